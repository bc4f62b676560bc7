//! RDS checks and what they share.

pub mod auto_minor_version_upgrade;
pub mod aurora_backtracking;
pub mod aurora_mysql_audit_logs;
pub mod backups;
pub mod cluster_auto_minor_version_upgrade;
pub mod cluster_copy_tags_to_snapshots;
pub mod cluster_default_admin_username;
pub mod cluster_deletion_protection;
pub mod cluster_iam_authentication;
pub mod cluster_multi_az;
pub mod cluster_storage_encrypted;
pub mod deletion_protection;
pub mod enhanced_monitoring;
pub mod event_subscription_cluster;
pub mod event_subscription_instance;
pub mod event_subscription_parameter_group;
pub mod event_subscription_security_group;
pub mod event_subscriptions;
pub mod instance_cloudwatch_logs;
pub mod instance_copy_tags_to_snapshots;
pub mod instance_default_admin_username;
pub mod instance_default_port;
pub mod instance_iam_authentication;
pub mod instance_public_access;
pub mod multi_az;
pub mod snapshots_encrypted;
pub mod public_snapshots;
pub mod security_group_access_risk;
pub mod storage_encrypted;

pub mod aurora_instance_accessibility;
pub mod cluster_default_port;
pub mod instance_certificate_expiry;
pub mod instance_extended_support;
pub mod instance_transport_encrypted;

use crate::{resource, Emit};
use rampart_inventory::{Account, DbCluster, DbInstance, Observed, Rds, Region};
use rampart_model::{Resource, ResourceType};

/// The region's RDS data, or NOT_AVAILABLE on a region-wide resource of `kind`.
pub(crate) fn known_rds<'a>(account: &Account, region: &'a Region, kind: ResourceType, out: &mut Emit) -> Option<&'a Rds> {
    match &region.rds {
        Observed::Known(rds) => Some(rds),
        Observed::Unknown(why) => {
            let res = resource(account, &region.name, kind, account.arn("rds", &region.name, "db:*"), "all RDS resources");
            out.not_available(res, format!("RDS could not be read in {}: {why}", region.name));
            None
        }
    }
}

pub(crate) fn instance_resource(account: &Account, region: &Region, db: &DbInstance) -> Resource {
    let arn = if db.arn.is_empty() { account.arn("rds", &region.name, &format!("db:{}", db.db_instance_identifier)) } else { db.arn.clone() };
    resource(account, &region.name, ResourceType::AwsRdsDbInstance, arn, &db.db_instance_identifier)
}

/// Calls `f` for every DB instance of every region whose RDS data is known.
/// The DB cluster an instance belongs to, when it is a cluster member: Aurora, DocumentDB and
/// Neptune instances always are (by engine), Multi-AZ DB cluster instances when
/// `DBClusterIdentifier` says so. Availability and deletion protection of members are the
/// cluster's settings, so instance-level controls (FSBP RDS.5, RDS.8) do not apply to them.
pub(crate) fn cluster_member(db: &DbInstance) -> Option<String> {
    if let Some(Some(cluster)) = db.db_cluster_identifier.known() {
        return Some(cluster.clone());
    }
    let engine = db.engine.as_str();
    (engine.starts_with("aurora") || engine == "docdb" || engine == "neptune").then(|| format!("an {engine} cluster"))
}

pub(crate) fn each_instance(ctx: &crate::Ctx, out: &mut Emit, mut f: impl FnMut(&DbInstance, Resource, &mut Emit)) {
    for (account, region) in ctx.inventory.regions() {
        let Some(rds) = known_rds(account, region, ResourceType::AwsRdsDbInstance, out) else { continue };
        for db in &rds.db_instances {
            f(db, instance_resource(account, region, db), out);
        }
    }
}

/// The administrator names the RDS console proposes (`admin`; `postgres` for PostgreSQL), which
/// RDS.24 and RDS.25 call default.
pub(crate) const DEFAULT_ADMIN_NAMES: &[&str] = &["admin", "postgres"];

/// Calls `f` for every DB instance whose `field` was read; NOT_AVAILABLE for the others.
pub(crate) fn each_instance_with<T>(
    ctx: &crate::Ctx,
    out: &mut Emit,
    field: fn(&DbInstance) -> &Observed<T>,
    mut f: impl FnMut(&DbInstance, &T, Resource, &mut Emit),
) {
    each_instance(ctx, out, |db, res, out| match field(db) {
        Observed::Known(v) => f(db, v, res, out),
        Observed::Unknown(why) => out.not_available(res, format!("not collected: {why}")),
    });
}

/// Whether the RDS cluster controls apply: `DescribeDBClusters` also lists Neptune and
/// DocumentDB clusters, which Security Hub evaluates under their own controls.
pub(crate) fn is_rds_cluster(c: &DbCluster) -> bool {
    !matches!(c.engine.as_str(), "neptune" | "docdb")
}

/// Calls `f` for every RDS DB cluster (Aurora and Multi-AZ DB clusters, not Neptune or
/// DocumentDB) of every region whose clusters are known; NOT_AVAILABLE once per region
/// whose clusters could not be read.
pub(crate) fn each_cluster(ctx: &crate::Ctx, out: &mut Emit, mut f: impl FnMut(&DbCluster, Resource, &mut Emit)) {
    for (account, region) in ctx.inventory.regions() {
        let Some(rds) = known_rds(account, region, ResourceType::AwsRdsDbCluster, out) else { continue };
        match &rds.db_clusters {
            Observed::Known(clusters) => {
                for c in clusters.iter().filter(|c| is_rds_cluster(c)) {
                    let arn = if c.arn.is_empty() { account.arn("rds", &region.name, &format!("cluster:{}", c.db_cluster_identifier)) } else { c.arn.clone() };
                    f(c, resource(account, &region.name, ResourceType::AwsRdsDbCluster, arn, &c.db_cluster_identifier), out);
                }
            }
            Observed::Unknown(why) => {
                let res = resource(account, &region.name, ResourceType::AwsRdsDbCluster, account.arn("rds", &region.name, "cluster:*"), "all DB clusters");
                out.not_available(res, format!("DB clusters could not be read in {}: {why}", region.name));
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use rampart_inventory::{DbCluster, DbInstance, Observed};

    pub fn cluster(id: &str) -> DbCluster {
        DbCluster {
            db_cluster_identifier: id.into(),
            arn: format!("arn:aws:rds:us-east-1:123456789012:cluster:{id}"),
            engine: "aurora-postgresql".into(),
            storage_encrypted: true,
            port: Some(5432),
            ..Default::default()
        }
    }

    pub fn db(id: &str) -> DbInstance {
        DbInstance {
            db_instance_identifier: id.into(),
            arn: format!("arn:aws:rds:us-east-1:123456789012:db:{id}"),
            engine: "postgres".into(),
            storage_encrypted: true,
            endpoint_port: Some(5432),
            monitoring_interval: Observed::Known(0),
            enabled_cloudwatch_logs_exports: Observed::Known(vec![]),
            copy_tags_to_snapshot: Observed::Known(false),
            master_username: Observed::Known(Some("admin".into())),
            db_cluster_identifier: Observed::Known(None),
            ..Default::default()
        }
    }
}
