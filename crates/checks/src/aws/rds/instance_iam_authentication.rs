//! RDS DB instances without IAM database authentication.
//!
//! Security Hub RDS.10 (AWS Config rule `rds-instance-iam-authentication-enabled`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-10>.
//! Only engines that support IAM authentication are evaluated, as the control does: `mysql`, `mariadb`,
//! `postgres`, `aurora`, `aurora-mysql`, `aurora-postgresql`. One result per such DB instance.
//!
//! AWS: "The control fails if IAM authentication is not configured for RDS DB instances ... An RDS
//! instance must also be in one of the following states for a finding to be generated:
//! `available`, `backing-up`, `storage-optimization`, or `storage-full`" (Security Hub RDS.10).
//! Disagreement kept (stricter): the instance state is not consulted, so a stopped or creating
//! instance without IAM authentication fails here where Security Hub reports nothing; the setting
//! is the same whatever the state.

use super::each_instance;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rds_instance_iam_authentication",
        title: "RDS DB instances do not use IAM database authentication",
        description: "IAM database authentication replaces long-lived database passwords with short-lived tokens tied to IAM identities, so access is granted, audited and revoked centrally.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "rds",
        resource_type: ResourceType::AwsRdsDbInstance,
        standards: &[StandardRef::fsbp("RDS.10")],
        remediation: Remediation {
            console: "RDS console > Databases > the instance > Modify > Database authentication: select Password and IAM database authentication; apply.",
            cli: "aws rds modify-db-instance --db-instance-identifier <id> --enable-iam-database-authentication --apply-immediately",
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_instance(ctx, out, |db, res, out| {
        if !IAM_AUTH_ENGINES.contains(&db.engine.as_str()) {
            return;
        }
        if db.iam_database_authentication_enabled {
            out.pass(res, "IAM database authentication is on");
        } else {
            out.fail(res, "IAMDatabaseAuthenticationEnabled is false");
        }
    });
}

/// The engines the control evaluates.
const IAM_AUTH_ENGINES: &[&str] = &["mysql", "mariadb", "postgres", "aurora", "aurora-mysql", "aurora-postgresql"];

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
            DbInstance { iam_database_authentication_enabled: true, ..db("good") },
            DbInstance { engine: "mysql".into(), ..db("bad") },
            DbInstance { engine: "oracle-ee".into(), ..db("oracle-not-applicable") },
        ];
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        region(&mut inv).rds = Observed::Unknown("rds:DescribeDBInstances access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
