//! RDS DB clusters without IAM database authentication.
//!
//! Security Hub RDS.12 (AWS Config rule `rds-cluster-iam-authentication-enabled`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-12>.
//! One result per RDS DB cluster (Neptune and DocumentDB clusters excluded).
//!
//! AWS: "The rule is NON_COMPLIANT if an RDS Cluster does not have IAM authentication enabled"
//! (Config `rds-cluster-iam-authentication-enabled`, behind RDS.12).

use super::each_cluster;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rds_cluster_iam_authentication",
        title: "RDS DB clusters do not use IAM database authentication",
        description: "IAM database authentication replaces long-lived database passwords with short-lived tokens tied to IAM identities, so access is granted, audited and revoked centrally.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "rds",
        resource_type: ResourceType::AwsRdsDbCluster,
        standards: &[StandardRef::fsbp("RDS.12")],
        remediation: Remediation {
            console: "RDS console > Databases > the cluster > Modify > Database authentication: select Password and IAM database authentication; apply.",
            cli: "aws rds modify-db-cluster --db-cluster-identifier <id> --enable-iam-database-authentication --apply-immediately",
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.IAMDBAuth.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_cluster(ctx, out, |c, res, out| {
        if c.iam_database_authentication_enabled {
            out.pass(res, "IAM database authentication is on");
        } else {
            out.fail(res, "IAMDatabaseAuthenticationEnabled is false");
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
        rds(&mut inv).db_clusters = Observed::Known(vec![
            DbCluster { iam_database_authentication_enabled: true, ..cluster("good") },
            DbCluster { iam_database_authentication_enabled: false, ..cluster("bad") },
            DbCluster { iam_database_authentication_enabled: false, engine: "neptune".into(), ..cluster("graph") },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        rds(&mut inv).db_clusters = Observed::Unknown("rds:DescribeDBClusters access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        region(&mut inv).rds = Observed::Unknown("rds:DescribeDBInstances access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
