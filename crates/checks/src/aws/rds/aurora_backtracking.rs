//! Aurora MySQL DB clusters without backtracking.
//!
//! Security Hub RDS.14 (AWS Config rule `aurora-mysql-backtracking-enabled`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-14>.
//! Backtracking exists only for Aurora MySQL, so only `aurora-mysql` (and the retired MySQL 5.6-compatible
//! `aurora`) clusters are evaluated; the control's optional `BacktrackWindowInHours` is not set, so
//! any non-zero window passes. One result per such cluster.
//!
//! AWS: "This rule is NON_COMPLIANT if the Aurora cluster uses MySQL and it does not have
//! backtracking enabled" (Config `aurora-mysql-backtracking-enabled`, behind RDS.14).

use super::each_cluster;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rds_aurora_backtracking",
        title: "Aurora MySQL clusters do not have backtracking enabled",
        description: "Backtracking rewinds an Aurora MySQL cluster to a point in time in minutes, without restoring a backup, after a bad change or a destructive attack.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "rds",
        resource_type: ResourceType::AwsRdsDbCluster,
        standards: &[StandardRef::fsbp("RDS.14")],
        remediation: Remediation {
            console: "Backtracking can only be set when the cluster is created: restore or clone the cluster with a Target Backtrack window (e.g. 24 hours) and switch the application over.",
            cli: "aws rds restore-db-cluster-to-point-in-time --source-db-cluster-identifier <id> --db-cluster-identifier <id>-bt --restore-type copy-on-write --use-latest-restorable-time --backtrack-window 86400",
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Managing.Backtrack.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_cluster(ctx, out, |c, res, out| {
        if !matches!(c.engine.as_str(), "aurora-mysql" | "aurora") {
            return;
        }
        match c.backtrack_window {
            Some(w) if w > 0 => out.pass(res, format!("backtrack window is {w} seconds")),
            _ => out.fail(res, "backtracking is off (BacktrackWindow is 0 or absent)"),
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
            DbCluster { engine: "aurora-mysql".into(), backtrack_window: Some(86400), ..cluster("good") },
            DbCluster { engine: "aurora-mysql".into(), backtrack_window: Some(0), ..cluster("zero") },
            DbCluster { engine: "aurora-mysql".into(), backtrack_window: None, ..cluster("none") },
            cluster("postgres-not-applicable"),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::Failed]);
        rds(&mut inv).db_clusters = Observed::Unknown("rds:DescribeDBClusters access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
