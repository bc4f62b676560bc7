//! RDS DB clusters whose storage is not encrypted at rest.
//!
//! Security Hub RDS.27 (AWS Config rule `rds-cluster-encrypted-at-rest`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-27>.
//! One result per RDS DB cluster (Neptune and DocumentDB clusters excluded).
//!
//! AWS: "The rule is NON_COMPLIANT if an Amazon RDS cluster is not encrypted at rest" (Config
//! `rds-cluster-encrypted-at-rest`, behind RDS.27).

use super::each_cluster;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rds_cluster_storage_encrypted",
        title: "RDS DB clusters are not encrypted at rest",
        description: "Unencrypted cluster storage, its automated backups and snapshots expose the data to anyone who obtains the underlying storage or a copy of it.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "rds",
        resource_type: ResourceType::AwsRdsDbCluster,
        standards: &[StandardRef::fsbp("RDS.27")],
        remediation: Remediation {
            console: "An existing cluster cannot be encrypted: take a snapshot, copy it with encryption (a KMS key), restore a new cluster from the copy, and switch the application over.",
            cli: "aws rds copy-db-cluster-snapshot --source-db-cluster-snapshot-identifier <snap> --target-db-cluster-snapshot-identifier <snap>-enc --kms-key-id <key>",
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_cluster(ctx, out, |c, res, out| {
        if c.storage_encrypted {
            out.pass(res, "storage is encrypted");
        } else {
            out.fail(res, "StorageEncrypted is false");
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
            DbCluster { storage_encrypted: true, ..cluster("good") },
            DbCluster { storage_encrypted: false, ..cluster("bad") },
            DbCluster { storage_encrypted: false, engine: "neptune".into(), ..cluster("graph") },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        rds(&mut inv).db_clusters = Observed::Unknown("rds:DescribeDBClusters access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        region(&mut inv).rds = Observed::Unknown("rds:DescribeDBInstances access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
