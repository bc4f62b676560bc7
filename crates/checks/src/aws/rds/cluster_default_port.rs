//! RDS DB clusters listening on their engine's default port.
//!
//! Security Hub RDS.23 ("RDS instances should not use a database engine default port") is
//! judged on DB instances (`rds_instance_default_port`); Prowler's `rds_cluster_non_default_port`
//! (see `crate::prowler`) asks the same of the cluster's own port (`DescribeDBClusters` `Port`),
//! which its writer and reader endpoints use. The default ports are RDS.23's
//! ([`super::instance_default_port::default_port`]). Neptune and DocumentDB clusters are not
//! judged. One result per Aurora or Multi-AZ DB cluster.

use super::each_cluster;
use super::instance_default_port::default_port;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rds_cluster_default_port",
        title: "RDS DB clusters use the database engine's default port",
        description: "Scanners and worms probe the well-known database ports first; a non-default port takes a cluster out of the cheapest sweeps (it does not replace network restrictions).",
        severity: Severity::Low,
        category: Category::Security,
        service: "rds",
        resource_type: ResourceType::AwsRdsDbCluster,
        standards: &[],
        remediation: Remediation {
            console: "RDS console > Databases > the cluster > Modify > Connectivity > Additional configuration > Database port: enter another port; apply, then update clients and security groups.",
            cli: "aws rds modify-db-cluster --db-cluster-identifier <id> --port <port> --apply-immediately",
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Modifying.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_cluster(ctx, out, |c, res, out| {
        let Some(default) = default_port(&c.engine) else { return };
        match c.port {
            Some(port) if port == default => out.fail(res, format!("{} listens on its default port {port}", c.engine)),
            Some(port) => out.pass(res, format!("port {port} is not {}'s default {default}", c.engine)),
            None => out.not_available(res, "the cluster's port was not reported"),
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
            DbCluster { port: Some(15432), ..cluster("good") },
            cluster("bad"),
            DbCluster { engine: "aurora-mysql".into(), port: Some(3306), ..cluster("mysql") },
            DbCluster { port: None, ..cluster("unknown") },
            DbCluster { engine: "neptune".into(), port: Some(8182), ..cluster("graph") },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::Failed, Status::NotAvailable]);
        rds(&mut inv).db_clusters = Observed::Unknown("rds:DescribeDBClusters access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
