//! RDS checks and what they share.

pub mod auto_minor_version_upgrade;
pub mod backups;
pub mod deletion_protection;
pub mod instance_public_access;
pub mod multi_az;
pub mod snapshots_encrypted;
pub mod public_snapshots;
pub mod security_group_access_risk;
pub mod storage_encrypted;

use crate::{resource, Emit};
use rampart_inventory::{Account, DbInstance, Observed, Rds, Region};
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
pub(crate) fn each_instance(ctx: &crate::Ctx, out: &mut Emit, mut f: impl FnMut(&DbInstance, Resource, &mut Emit)) {
    for (account, region) in ctx.inventory.regions() {
        let Some(rds) = known_rds(account, region, ResourceType::AwsRdsDbInstance, out) else { continue };
        for db in &rds.db_instances {
            f(db, instance_resource(account, region, db), out);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use rampart_inventory::DbInstance;

    pub fn db(id: &str) -> DbInstance {
        DbInstance {
            db_instance_identifier: id.into(),
            arn: format!("arn:aws:rds:us-east-1:123456789012:db:{id}"),
            engine: "postgres".into(),
            storage_encrypted: true,
            endpoint_port: Some(5432),
            ..Default::default()
        }
    }
}
