//! What the four RDS event-subscription controls (RDS.19 to RDS.22) share.
//!
//! Security Hub evaluates each existing event subscription of the control's source type
//! (resource type `AWS::RDS::EventSubscription`): it passes when the subscription is enabled
//! and notifies on the control's event categories (an empty category list means all
//! categories). Subscriptions of other source types get no result, and neither does a region
//! without subscriptions, as in Security Hub.

use super::known_rds;
use crate::{resource, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::ResourceType;

/// Judges every subscription whose source type is `source_type` against `required`.
pub(crate) fn judge(ctx: &Ctx, out: &mut Emit, source_type: &str, required: &[&str]) {
    for (account, region) in ctx.inventory.regions() {
        let Some(rds) = known_rds(account, region, ResourceType::AwsRdsEventSubscription, out) else { continue };
        let subs = match &rds.event_subscriptions {
            Observed::Known(s) => s,
            Observed::Unknown(why) => {
                let res = resource(account, &region.name, ResourceType::AwsRdsEventSubscription, account.arn("rds", &region.name, "es:*"), "all event subscriptions");
                out.not_available(res, format!("event subscriptions could not be read in {}: {why}", region.name));
                continue;
            }
        };
        for s in subs.iter().filter(|s| s.source_type.as_deref() == Some(source_type)) {
            let arn = if s.arn.is_empty() { account.arn("rds", &region.name, &format!("es:{}", s.name)) } else { s.arn.clone() };
            let res = resource(account, &region.name, ResourceType::AwsRdsEventSubscription, arn, &s.name);
            let missing: Vec<&str> = if s.event_categories.is_empty() {
                Vec::new()
            } else {
                required.iter().copied().filter(|r| !s.event_categories.iter().any(|c| c == r)).collect()
            };
            if !s.enabled {
                out.fail(res, format!("the {source_type} subscription is disabled"));
            } else if !missing.is_empty() {
                out.fail(res, format!("the {source_type} subscription does not notify on {}", missing.join(", ")));
            } else {
                out.pass(res, format!("notifies on {} {source_type} events", required.join(", ")));
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use rampart_inventory::RdsEventSubscription;

    pub fn sub(name: &str, source_type: &str, categories: &[&str]) -> RdsEventSubscription {
        RdsEventSubscription {
            name: name.into(),
            arn: format!("arn:aws:rds:us-east-1:123456789012:es:{name}"),
            source_type: Some(source_type.into()),
            event_categories: categories.iter().map(|c| c.to_string()).collect(),
            enabled: true,
            status: "active".into(),
            ..Default::default()
        }
    }
}
