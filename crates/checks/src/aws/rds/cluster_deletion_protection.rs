//! RDS DB clusters without deletion protection.
//!
//! Security Hub RDS.7 (AWS Config rule `rds-cluster-deletion-protection-enabled`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-7>.
//! One result per RDS DB cluster (Neptune and DocumentDB clusters excluded).
//!
//! AWS: "This rule is NON_COMPLIANT if an RDS cluster does not have deletion protection enabled"
//! (Config `rds-cluster-deletion-protection-enabled`, behind RDS.7).

use super::each_cluster;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rds_cluster_deletion_protection",
        title: "RDS DB clusters do not have deletion protection",
        description: "Without deletion protection one API call or console click, by mistake or by an attacker, deletes the cluster.",
        severity: Severity::Low,
        category: Category::Security,
        service: "rds",
        resource_type: ResourceType::AwsRdsDbCluster,
        standards: &[StandardRef::fsbp("RDS.7")],
        remediation: Remediation {
            console: "RDS console > Databases > the cluster > Modify: select Enable deletion protection; apply immediately.",
            cli: "aws rds modify-db-cluster --db-cluster-identifier <id> --deletion-protection --apply-immediately",
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_DeleteCluster.html#USER_DeletionProtection",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_cluster(ctx, out, |c, res, out| {
        if c.deletion_protection {
            out.pass(res, "deletion protection is on");
        } else {
            out.fail(res, "DeletionProtection is false");
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
            DbCluster { deletion_protection: true, ..cluster("good") },
            DbCluster { deletion_protection: false, ..cluster("bad") },
            DbCluster { deletion_protection: false, engine: "neptune".into(), ..cluster("graph") },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        rds(&mut inv).db_clusters = Observed::Unknown("rds:DescribeDBClusters access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        region(&mut inv).rds = Observed::Unknown("rds:DescribeDBInstances access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
