//! RDS DB snapshots and DB cluster snapshots that are not encrypted at rest.
//!
//! Security Hub RDS.4. One result per snapshot of the account (manual and automated).
//!
//! AWS: "This control checks whether RDS DB snapshots are encrypted ... it can also generate
//! findings for snapshots of Aurora DB instances, Neptune DB instances, and Amazon DocumentDB
//! clusters" (Security Hub RDS.4): cluster snapshots are judged too.

use super::known_rds;
use crate::{resource, Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rds_snapshots_encrypted",
        title: "RDS snapshots are not encrypted at rest",
        description: "An unencrypted snapshot is a full copy of the database that anyone who can copy, share or restore it reads in plain text; encryption ties that to permission on a KMS key.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "rds",
        resource_type: ResourceType::AwsRdsDbSnapshot,
        standards: &[StandardRef::fsbp("RDS.4")],
        remediation: Remediation {
            console: "RDS console > Snapshots > the snapshot > Actions > Copy snapshot: select Enable encryption and a KMS key; delete the unencrypted snapshot once the copy exists.",
            cli: "aws rds copy-db-snapshot --source-db-snapshot-identifier <id> --target-db-snapshot-identifier <id>-enc --kms-key-id <key> (cluster snapshots: aws rds copy-db-cluster-snapshot ... --kms-key-id <key>)",
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_CopySnapshot.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for (account, region) in ctx.inventory.regions() {
        let Some(rds) = known_rds(account, region, ResourceType::AwsRdsDbSnapshot, out) else { continue };
        let all = rds
            .db_snapshots
            .iter()
            .map(|s| (s, ResourceType::AwsRdsDbSnapshot, "snapshot"))
            .chain(rds.db_cluster_snapshots.iter().map(|s| (s, ResourceType::AwsRdsDbClusterSnapshot, "cluster-snapshot")));
        for (s, kind, prefix) in all {
            let arn = if s.arn.is_empty() { account.arn("rds", &region.name, &format!("{prefix}:{}", s.identifier)) } else { s.arn.clone() };
            let res = resource(account, &region.name, kind, arn, &s.identifier);
            if s.encrypted {
                out.pass(res, "the snapshot is encrypted");
            } else {
                out.fail(res, "the snapshot is not encrypted");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{DbSnapshot, Observed};
    use rampart_model::Status;

    fn snap(id: &str, encrypted: bool) -> DbSnapshot {
        DbSnapshot { identifier: id.into(), snapshot_type: "manual".into(), encrypted, ..Default::default() }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        rds(&mut inv).db_snapshots = vec![snap("enc", true), snap("plain", false)];
        rds(&mut inv).db_cluster_snapshots = vec![snap("cluster-plain", false)];
        let r = run_check(&CHECK, &inv);
        assert_eq!(r.iter().map(|r| r.status).collect::<Vec<_>>(), vec![Status::Passed, Status::Failed, Status::Failed]);
        assert!(r[2].resource.id.ends_with("cluster-snapshot:cluster-plain"));
        region(&mut inv).rds = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
