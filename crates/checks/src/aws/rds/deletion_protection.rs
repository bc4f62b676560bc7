//! RDS DB instances without deletion protection.
//!
//! Security Hub RDS.8. One result per DB instance.
//!
//! AWS: "This rule is NON_COMPLIANT if an Amazon RDS instance does not have deletion protection
//! enabled i.e `deletionProtection` is set to false" (Config
//! `rds-instance-deletion-protection-enabled`, behind RDS.8). Cluster members are left to RDS.7
//! (see below and docs/benchmarks.md).

use super::each_instance;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rds_deletion_protection",
        title: "RDS DB instances do not have deletion protection",
        description: "Without deletion protection one API call or console click, by mistake or by an attacker, deletes the database.",
        severity: Severity::Low,
        category: Category::Security,
        service: "rds",
        resource_type: ResourceType::AwsRdsDbInstance,
        standards: &[StandardRef::fsbp("RDS.8")],
        remediation: Remediation {
            console: "RDS console > Databases > the instance > Modify: select Enable deletion protection; apply.",
            cli: "aws rds modify-db-instance --db-instance-identifier <id> --deletion-protection --apply-immediately",
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html#USER_DeletionProtection",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_instance(ctx, out, |db, res, out| {
        // Cluster members are not evaluated: RDS.8 (AWS Config `rds-instance-deletion-protection-enabled`: cluster members are not applicable, deletion protection is the cluster's setting, checked by RDS.7).
        if super::cluster_member(db).is_some() {
            return;
        }
        if db.deletion_protection {
            out.pass(res, "deletion protection is on");
        } else {
            out.fail(res, "DeletionProtection is false");
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
        rds(&mut inv).db_instances = vec![DbInstance { deletion_protection: true, ..db("good") }, DbInstance { deletion_protection: false, ..db("bad") }];
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        // Cluster members (by engine, or by DBClusterIdentifier) are the cluster's business.
        rds(&mut inv).db_instances.push(DbInstance { engine: "aurora-postgresql".into(), ..db("aurora-member") });
        rds(&mut inv).db_instances.push(DbInstance { db_cluster_identifier: Observed::Known(Some("maz".into())), ..db("maz-member") });
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        region(&mut inv).rds = Observed::Unknown("rds:DescribeDBInstances access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
