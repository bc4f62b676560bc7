//! RDS DB instances without automatic minor version upgrades.
//!
//! Security Hub RDS.13, CIS AWS Foundations v3.0.0 2.3.2. One result per DB instance.
//!
//! AWS: "The rule is NON_COMPLIANT if the value of 'autoMinorVersionUpgrade' is false" (Config
//! `rds-automatic-minor-version-upgrade-enabled`, behind RDS.13 and CIS 2.3.2).

use super::each_instance;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rds_auto_minor_version_upgrade",
        title: "RDS DB instances do not upgrade minor engine versions automatically",
        description: "Minor engine versions carry security fixes; without automatic minor upgrades the instance keeps running known-vulnerable engine versions until someone upgrades it by hand.",
        severity: Severity::High,
        category: Category::Security,
        service: "rds",
        resource_type: ResourceType::AwsRdsDbInstance,
        standards: &[StandardRef::fsbp("RDS.13"), StandardRef::cis("2.3.2")],
        remediation: Remediation {
            console: "RDS console > Databases > the instance > Modify > Maintenance: select Enable auto minor version upgrade; apply.",
            cli: "aws rds modify-db-instance --db-instance-identifier <id> --auto-minor-version-upgrade --apply-immediately",
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.Upgrading.html#USER_UpgradeDBInstance.Upgrading.AutoMinorVersionUpgrades",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_instance(ctx, out, |db, res, out| {
        if db.auto_minor_version_upgrade {
            out.pass(res, "automatic minor version upgrades are on");
        } else {
            out.fail(res, "AutoMinorVersionUpgrade is false");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::db;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{DbInstance, Observed};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        rds(&mut inv).db_instances = vec![DbInstance { auto_minor_version_upgrade: true, ..db("good") }, DbInstance { auto_minor_version_upgrade: false, ..db("bad") }];
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        region(&mut inv).rds = Observed::Unknown("rds:DescribeDBInstances access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
