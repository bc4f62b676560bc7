//! RDS DB instances enrolled in RDS Extended Support.
//!
//! Prowler's `rds_instance_extended_support` (see `crate::prowler`): an instance fails when its
//! `EngineLifecycleSupport` is `open-source-rds-extended-support`: its major engine version is
//! past the end of standard support, and RDS charges for keeping it patched. Instances without
//! the attribute (engines without Extended Support) pass. One result per DB instance.

use super::each_instance;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rds_instance_extended_support",
        title: "RDS DB instances are enrolled in RDS Extended Support",
        description: "An instance in Extended Support runs a major engine version past its end of standard support: it is patched only for critical issues, at an extra charge, until a hard end date.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "rds",
        resource_type: ResourceType::AwsRdsDbInstance,
        standards: &[],
        remediation: Remediation {
            console: "RDS console > Databases > the instance > Modify > Engine version: upgrade to a major version in standard support (test the upgrade on a snapshot restore first).",
            cli: "aws rds modify-db-instance --db-instance-identifier <id> --engine-version <supported-major> --allow-major-version-upgrade --apply-immediately",
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/extended-support.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_instance(ctx, out, |db, res, out| match &db.engine_lifecycle_support {
        Observed::Known(Some(s)) if s == "open-source-rds-extended-support" => {
            out.fail(res, format!("{} {} is enrolled in RDS Extended Support", db.engine, db.engine_version))
        }
        Observed::Known(Some(s)) => out.pass(res, format!("engine lifecycle support is {s}")),
        Observed::Known(None) => out.pass(res, "the instance is not enrolled in RDS Extended Support"),
        Observed::Unknown(why) => out.not_available(res, format!("the engine lifecycle support could not be read: {why}")),
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::DbInstance;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let with = |id: &str, s: Observed<Option<String>>| DbInstance { engine_lifecycle_support: s, ..db(id) };
        let mut inv = inventory();
        rds(&mut inv).db_instances = vec![
            with("off", Observed::Known(Some("open-source-rds-extended-support-disabled".into()))),
            with("on", Observed::Known(Some("open-source-rds-extended-support".into()))),
            with("absent", Observed::Known(None)),
            with("unread", Observed::Unknown("not collected".into())),
        ];
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::Passed, Status::NotAvailable]);
        region(&mut inv).rds = Observed::Unknown("rds:DescribeDBInstances access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
