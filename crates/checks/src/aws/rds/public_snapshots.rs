//! RDS DB snapshots and DB cluster snapshots that any AWS account can restore (`restore`
//! attribute = `all`).
//!
//! Trusted Advisor "Amazon RDS Public Snapshots" (red), Security Hub RDS.1. One result per
//! manual snapshot (automated snapshots cannot be shared).
//!
//! AWS: "The rule is NON_COMPLIANT if any existing and new Amazon RDS snapshots are public" (Config
//! `rds-snapshots-public-prohibited`, behind RDS.1): `all` next to named accounts fails
//! (`pass_fail_not_available`, `cluster-public`).

use super::known_rds;
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rds_public_snapshots",
        title: "RDS snapshots are public",
        description: "A public DB or cluster snapshot lets every AWS account restore a copy of the database and read all its data.",
        severity: Severity::Critical,
        category: Category::Security,
        service: "rds",
        resource_type: ResourceType::AwsRdsDbSnapshot,
        standards: &[StandardRef::ta("Amazon RDS Public Snapshots"), StandardRef::fsbp("RDS.1")],
        remediation: Remediation {
            console: "RDS console > Snapshots > the snapshot > Actions > Share snapshot: set DB snapshot visibility to Private and list only the accounts that need it.",
            cli: "aws rds modify-db-snapshot-attribute --db-snapshot-identifier <id> --attribute-name restore --values-to-remove all (for cluster snapshots: aws rds modify-db-cluster-snapshot-attribute --db-cluster-snapshot-identifier <id> --attribute-name restore --values-to-remove all)",
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ShareSnapshot.html",
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
            match &s.restore_accounts {
                Observed::Known(a) if a.iter().any(|a| a == "all") => out.fail(res, "the `restore` attribute includes `all`: any AWS account can restore it"),
                Observed::Known(_) => out.pass(res, "the snapshot is not public"),
                Observed::Unknown(why) if s.snapshot_type == "automated" => out.pass(res, format!("automated snapshots cannot be shared ({why})")),
                Observed::Unknown(why) => out.not_available(res, format!("snapshot attributes could not be read: {why}")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::DbSnapshot;
    use rampart_model::Status;

    fn snap(id: &str, restore: Observed<Vec<String>>) -> DbSnapshot {
        DbSnapshot { identifier: id.into(), snapshot_type: "manual".into(), restore_accounts: restore, ..Default::default() }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        rds(&mut inv).db_snapshots = vec![snap("private", Observed::Known(vec![])), snap("public", Observed::Known(vec!["all".into()]))];
        rds(&mut inv).db_cluster_snapshots = vec![
            snap("cluster-public", Observed::Known(vec!["all".into(), "210987654321".into()])),
            snap("cluster-unknown", Observed::Unknown("rds:DescribeDBClusterSnapshotAttributes access denied".into())),
        ];
        let r = run_check(&CHECK, &inv);
        assert_eq!(r.iter().map(|r| r.status).collect::<Vec<_>>(), vec![Status::Passed, Status::Failed, Status::Failed, Status::NotAvailable]);
        assert_eq!(r[2].resource.kind, ResourceType::AwsRdsDbClusterSnapshot);
        region(&mut inv).rds = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
