//! RDS DB clusters whose administrator is still called `admin` or `postgres`.
//!
//! Security Hub RDS.24 (AWS Config rule `rds-cluster-default-admin-check`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-24>.
//! The defaults are the names the RDS console proposes, `admin` and `postgres` (see `super::DEFAULT_ADMIN_NAMES`).
//! One result per RDS DB cluster (Neptune and DocumentDB clusters excluded).
//!
//! AWS: "This rule will fail if the admin username is set to the default value. ... The control
//! does not apply to engines of the type neptune (Neptune DB) or docdb (DocumentDB)" (Security Hub
//! RDS.24).

use super::{each_cluster, DEFAULT_ADMIN_NAMES};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rds_cluster_default_admin_username",
        title: "RDS DB clusters use a default administrator username",
        description: "A well-known administrator name leaves an attacker only the password to guess.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "rds",
        resource_type: ResourceType::AwsRdsDbCluster,
        standards: &[StandardRef::fsbp("RDS.24")],
        remediation: Remediation {
            console: "The master username cannot be changed: restore the cluster from a snapshot into a new cluster created with a custom master username, or create one and move the data.",
            cli: "aws rds create-db-cluster --db-cluster-identifier <new-id> --engine <engine> --master-username <custom-name> --manage-master-user-password",
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.MasterAccounts.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_cluster(ctx, out, |c, res, out| match c.master_username.as_deref() {
        Some(name) if DEFAULT_ADMIN_NAMES.contains(&name) => out.fail(res, format!("master username is the default `{name}`")),
        Some(name) => out.pass(res, format!("master username `{name}` is not a default")),
        None => out.not_available(res, "DescribeDBClusters did not report a master username"),
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
        rds(&mut inv).db_clusters = Observed::Known(vec![
            DbCluster { master_username: Some("dbo_x7".into()), ..cluster("good") },
            DbCluster { master_username: Some("admin".into()), ..cluster("admin") },
            DbCluster { master_username: Some("postgres".into()), ..cluster("postgres") },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::Failed]);
        rds(&mut inv).db_clusters = Observed::Unknown("rds:DescribeDBClusters access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
