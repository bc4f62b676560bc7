//! RDS DB clusters not deployed in multiple Availability Zones.
//!
//! Security Hub RDS.15 (AWS Config rule `rds-cluster-multi-az-enabled`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-15>.
//! One result per RDS DB cluster (Neptune and DocumentDB clusters excluded).
//!
//! AWS: "This control checks whether high availability is enabled for your RDS DB clusters"
//! (Security Hub RDS.15; Config `rds-cluster-multi-az-enabled`: NON_COMPLIANT when the cluster is
//! not configured with Multi-AZ).

use super::each_cluster;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rds_cluster_multi_az",
        title: "RDS DB clusters are not configured for multiple Availability Zones",
        description: "A cluster in one Availability Zone is unavailable while that zone is; with instances in several zones, Aurora and Multi-AZ DB clusters fail over automatically.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "rds",
        resource_type: ResourceType::AwsRdsDbCluster,
        standards: &[StandardRef::fsbp("RDS.15")],
        remediation: Remediation {
            console: "RDS console > Databases > the cluster > Actions > Add reader: place the reader in another Availability Zone.",
            cli: "aws rds create-db-instance --db-cluster-identifier <id> --db-instance-identifier <id>-reader --engine <engine> --db-instance-class <class> --availability-zone <other-az>",
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.AuroraHighAvailability.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_cluster(ctx, out, |c, res, out| {
        if c.multi_az {
            out.pass(res, "the cluster spans multiple Availability Zones");
        } else {
            out.fail(res, "MultiAZ is false");
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
            DbCluster { multi_az: true, ..cluster("good") },
            DbCluster { multi_az: false, ..cluster("bad") },
            DbCluster { multi_az: false, engine: "neptune".into(), ..cluster("graph") },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        rds(&mut inv).db_clusters = Observed::Unknown("rds:DescribeDBClusters access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        region(&mut inv).rds = Observed::Unknown("rds:DescribeDBInstances access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
