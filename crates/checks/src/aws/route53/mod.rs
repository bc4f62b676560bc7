//! Route 53 checks.

pub mod mx_spf;
pub mod alias_record_sets;
pub mod failover_high_ttl;
pub mod failover_record_sets;
pub mod deleted_health_checks;
pub mod query_logging;
pub mod dangling_ip;

use crate::{resource, Ctx, Emit};
use rampart_inventory::{Account, HostedZone, Observed, RecordSet};
use rampart_model::{Resource, ResourceType};

/// Calls `f` with the record sets of every hosted zone (public only unless `private`), and
/// reports NOT_AVAILABLE for the account when Route 53 could not be read and for a zone whose
/// records could not be.
pub(crate) fn each_zone(ctx: &Ctx, out: &mut Emit, private: bool, mut f: impl FnMut(&Account, &HostedZone, &[RecordSet], Resource, &mut Emit)) {
    for account in &ctx.inventory.accounts {
        let zones = match &account.route53 {
            Observed::Known(z) => z,
            Observed::Unknown(why) => {
                let res = resource(account, &account.home_region, ResourceType::AwsRoute53HostedZone, format!("arn:{}:route53:::hostedzone/*", account.partition), "all hosted zones");
                out.not_available(res, format!("Route 53 could not be read: {why}"));
                continue;
            }
        };
        for z in zones.iter().filter(|z| private || !z.private_zone) {
            let res = zone_resource(account, z);
            match &z.record_sets {
                Observed::Known(r) => f(account, z, r, res, out),
                Observed::Unknown(why) => out.not_available(res, format!("record sets could not be read: {why}")),
            }
        }
    }
}

pub(crate) fn zone_resource(account: &Account, z: &HostedZone) -> Resource {
    let id = z.id.trim_start_matches("/hostedzone/");
    resource(account, &account.home_region, ResourceType::AwsRoute53HostedZone, format!("arn:{}:route53:::hostedzone/{id}", account.partition), &z.name)
}

/// A DNS name without its trailing dot, lower case.
pub(crate) fn dns_name(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::testkit::*;
    use rampart_inventory::{HostedZone, Inventory, Observed, RecordSet};

    /// An inventory whose account has one public hosted zone, example.com, holding `records`.
    pub fn zone_with(records: Vec<RecordSet>) -> Inventory {
        let mut inv = inventory();
        account(&mut inv).route53 = Observed::Known(vec![HostedZone { id: "/hostedzone/Z1".into(), name: "example.com.".into(), private_zone: false, record_sets: Observed::Known(records), query_logging_log_groups: Observed::Known(vec![]) }]);
        inv
    }
}
