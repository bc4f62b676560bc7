//! RDS DB clusters that do not copy their tags to snapshots.
//!
//! Security Hub RDS.16 (AWS Config rule `rds-cluster-copy-tags-to-snapshots-enabled`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-16>.
//! One result per RDS DB cluster (Neptune and DocumentDB clusters excluded).
//!
//! AWS: "This control checks whether RDS DB clusters are configured to copy all tags to snapshots
//! when the snapshots are created" (Security Hub RDS.16).

use super::each_cluster;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rds_cluster_copy_tags_to_snapshots",
        title: "RDS DB clusters do not copy tags to snapshots",
        description: "Snapshots without the cluster's tags escape tag-based access control, ownership and retention policies.",
        severity: Severity::Low,
        category: Category::Security,
        service: "rds",
        resource_type: ResourceType::AwsRdsDbCluster,
        standards: &[StandardRef::fsbp("RDS.16")],
        remediation: Remediation {
            console: "RDS console > Databases > the cluster > Modify > Backup: select Copy tags to snapshots; apply.",
            cli: "aws rds modify-db-cluster --db-cluster-identifier <id> --copy-tags-to-snapshot --apply-immediately",
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_Tagging.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_cluster(ctx, out, |c, res, out| {
        if c.copy_tags_to_snapshot {
            out.pass(res, "tags are copied to snapshots");
        } else {
            out.fail(res, "CopyTagsToSnapshot is false");
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
            DbCluster { copy_tags_to_snapshot: true, ..cluster("good") },
            DbCluster { copy_tags_to_snapshot: false, ..cluster("bad") },
            DbCluster { copy_tags_to_snapshot: false, engine: "neptune".into(), ..cluster("graph") },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        rds(&mut inv).db_clusters = Observed::Unknown("rds:DescribeDBClusters access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        region(&mut inv).rds = Observed::Unknown("rds:DescribeDBInstances access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
