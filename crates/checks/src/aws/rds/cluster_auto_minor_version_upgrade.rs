//! Multi-AZ DB clusters without automatic minor version upgrades.
//!
//! Security Hub RDS.35 (AWS Config rule `rds-cluster-auto-minor-version-upgrade-enable`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-35>.
//! The control evaluates Multi-AZ DB clusters (engines `mysql` and `postgres`): Aurora sets the option per DB
//! instance, which RDS.13 (`rds_auto_minor_version_upgrade`) evaluates. One result per Multi-AZ DB cluster.
//!
//! AWS: not retrieved in this pass (Config `rds-cluster-auto-minor-version-upgrade-enable`); the
//! check follows the control title, "RDS DB clusters should have automatic minor version upgrade
//! enabled".

use super::each_cluster;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rds_cluster_auto_minor_version_upgrade",
        title: "RDS Multi-AZ DB clusters do not have automatic minor version upgrade enabled",
        description: "Minor engine versions carry security fixes; without automatic upgrades they are applied only when someone remembers to.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "rds",
        resource_type: ResourceType::AwsRdsDbCluster,
        standards: &[StandardRef::fsbp("RDS.35")],
        remediation: Remediation {
            console: "RDS console > Databases > the Multi-AZ DB cluster > Modify > Maintenance: select Enable auto minor version upgrade; apply.",
            cli: "aws rds modify-db-cluster --db-cluster-identifier <id> --auto-minor-version-upgrade --apply-immediately",
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/multi-az-db-clusters-concepts.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_cluster(ctx, out, |c, res, out| {
        if c.engine.starts_with("aurora") {
            return;
        }
        match c.auto_minor_version_upgrade {
            Some(true) => out.pass(res, "automatic minor version upgrade is on"),
            Some(false) => out.fail(res, "AutoMinorVersionUpgrade is false"),
            None => out.not_available(res, "DescribeDBClusters did not report AutoMinorVersionUpgrade"),
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
            DbCluster { engine: "postgres".into(), auto_minor_version_upgrade: Some(true), ..cluster("good") },
            DbCluster { engine: "mysql".into(), auto_minor_version_upgrade: Some(false), ..cluster("bad") },
            DbCluster { engine: "mysql".into(), auto_minor_version_upgrade: None, ..cluster("unreported") },
            DbCluster { auto_minor_version_upgrade: Some(false), ..cluster("aurora-not-applicable") },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::NotAvailable]);
        rds(&mut inv).db_clusters = Observed::Unknown("rds:DescribeDBClusters access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
