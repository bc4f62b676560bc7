//! Aurora clusters whose instances are a mix of public and private.
//!
//! Trusted Advisor "Amazon Aurora DB Instance Accessibility" (fault tolerance): yellow when the
//! instances of an Aurora DB cluster have different accessibility. When the writer fails over
//! to a replica of the other kind, clients that could reach the old writer lose the database.
//! Members are the DB instances whose `DBClusterIdentifier` is the cluster's. One result per
//! Aurora cluster with instances.

use super::known_rds;
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rds_aurora_instance_accessibility",
        title: "Aurora clusters mix publicly accessible and private instances",
        description: "After a failover to an instance of the other accessibility, clients that reached the old writer can no longer connect (or the database becomes reachable from the internet).",
        severity: Severity::Low,
        category: Category::FaultTolerance,
        service: "rds",
        resource_type: ResourceType::AwsRdsDbCluster,
        standards: &[StandardRef::ta("Amazon Aurora DB Instance Accessibility")],
        remediation: Remediation {
            console: "RDS console > Databases > each instance of the cluster > Modify > Connectivity > Public access: the same setting (usually not publicly accessible) for all.",
            cli: "aws rds modify-db-instance --db-instance-identifier <instance> --no-publicly-accessible --apply-immediately",
            url: "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Managing.FaultTolerance.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for (account, region) in ctx.inventory.regions() {
        let Some(rds) = known_rds(account, region, ResourceType::AwsRdsDbCluster, out) else { continue };
        let clusters = match &rds.db_clusters {
            Observed::Known(c) => c,
            Observed::Unknown(why) => {
                let res = resource(account, &region.name, ResourceType::AwsRdsDbCluster, account.arn("rds", &region.name, "cluster:*"), "all DB clusters");
                out.not_available(res, format!("DB clusters could not be read in {}: {why}", region.name));
                continue;
            }
        };
        for c in clusters.iter().filter(|c| c.engine.starts_with("aurora")) {
            let arn = if c.arn.is_empty() { account.arn("rds", &region.name, &format!("cluster:{}", c.db_cluster_identifier)) } else { c.arn.clone() };
            let res = resource(account, &region.name, ResourceType::AwsRdsDbCluster, arn, &c.db_cluster_identifier);
            let mut unknown = false;
            let (mut public, mut private) = (Vec::new(), Vec::new());
            for db in &rds.db_instances {
                match &db.db_cluster_identifier {
                    Observed::Known(Some(id)) if id == &c.db_cluster_identifier => {
                        if db.publicly_accessible { public.push(db.db_instance_identifier.as_str()) } else { private.push(db.db_instance_identifier.as_str()) }
                    }
                    Observed::Known(_) => {}
                    Observed::Unknown(_) => unknown = true,
                }
            }
            if !public.is_empty() && !private.is_empty() {
                out.fail(res, format!("publicly accessible: {}; private: {}", public.join(", "), private.join(", ")));
            } else if unknown {
                out.not_available(res, "the cluster membership of some DB instances could not be read");
            } else if public.is_empty() && private.is_empty() {
                continue;
            } else {
                let kind = if public.is_empty() { "private" } else { "publicly accessible" };
                out.pass(res, format!("all {} instance(s) are {kind}", public.len() + private.len()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{cluster, db};
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::DbInstance;
    use rampart_model::Status;

    fn member(id: &str, cluster: &str, public: bool) -> DbInstance {
        DbInstance { db_cluster_identifier: Observed::Known(Some(cluster.into())), publicly_accessible: public, ..db(id) }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        rds(&mut inv).db_clusters = Observed::Known(vec![cluster("mixed"), cluster("private"), cluster("empty")]);
        rds(&mut inv).db_instances = vec![member("m-1", "mixed", true), member("m-2", "mixed", false), member("p-1", "private", false), member("p-2", "private", false)];
        let r = run_check(&CHECK, &inv);
        let got: Vec<(&str, Status)> = r.iter().map(|r| (r.resource.name.as_str(), r.status)).collect();
        assert_eq!(got, vec![("mixed", Status::Failed), ("private", Status::Passed)], "a cluster without instances has no result");
        assert!(r[0].reason.contains("publicly accessible: m-1; private: m-2"), "{}", r[0].reason);
        rds(&mut inv).db_instances.push(DbInstance { db_cluster_identifier: Observed::Unknown("denied".into()), ..db("x") });
        assert_eq!(run_check(&CHECK, &inv)[1].status, Status::NotAvailable);
        rds(&mut inv).db_clusters = Observed::Unknown("rds:DescribeDBClusters denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
