//! RDS DB instances whose administrator is still called `admin` or `postgres`.
//!
//! Security Hub RDS.25 (AWS Config rule `rds-instance-default-admin-check`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-25>.
//! The defaults are the names the RDS console proposes, `admin` and `postgres` (see `super::DEFAULT_ADMIN_NAMES`).
//! Neptune and DocumentDB instances are excluded. One result per DB instance.
//!
//! AWS: "The control fails if the administrative username is set to the default value. ... The
//! control does not apply to engines of the type neptune (Neptune DB) or docdb (DocumentDB)"
//! (Security Hub RDS.25).

use super::{each_instance_with, DEFAULT_ADMIN_NAMES};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rds_instance_default_admin_username",
        title: "RDS DB instances use a default administrator username",
        description: "A well-known administrator name leaves an attacker only the password to guess.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "rds",
        resource_type: ResourceType::AwsRdsDbInstance,
        standards: &[StandardRef::fsbp("RDS.25")],
        remediation: Remediation {
            console: "The master username cannot be changed: create a new instance with a custom master username (or restore a snapshot into one), move the data, and switch the application over.",
            cli: "aws rds create-db-instance --db-instance-identifier <new-id> --engine <engine> --db-instance-class <class> --master-username <custom-name> --manage-master-user-password",
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.MasterAccounts.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_instance_with(ctx, out, |db| &db.master_username, |db, name, res, out| {
        if matches!(db.engine.as_str(), "neptune" | "docdb") {
            return;
        }
        match name.as_deref() {
            Some(name) if DEFAULT_ADMIN_NAMES.contains(&name) => out.fail(res, format!("master username is the default `{name}`")),
            Some(name) => out.pass(res, format!("master username `{name}` is not a default")),
            None => out.not_available(res, "DescribeDBInstances did not report a master username"),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::*;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        rds(&mut inv).db_instances = vec![
            DbInstance { master_username: Observed::Known(Some("dbo_x7".into())), ..db("good") },
            db("admin"),
            DbInstance { master_username: Observed::Known(Some("postgres".into())), ..db("postgres") },
            DbInstance { master_username: Observed::not_collected(), ..db("old-snapshot") },
        ];
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::Failed, Status::NotAvailable]);
        region(&mut inv).rds = Observed::Unknown("rds:DescribeDBInstances access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
