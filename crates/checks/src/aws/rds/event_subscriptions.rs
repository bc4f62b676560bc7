//! What the four RDS event-subscription controls (RDS.19 to RDS.22) share.
//!
//! Security Hub evaluates each existing event subscription of the control's source type
//! (resource type `AWS::RDS::EventSubscription`): it passes when the subscription is enabled
//! and notifies on the control's event categories (an empty category list means all
//! categories). AWS's control pages say the control passes when the account has no event
//! subscriptions; per-resource findings need a resource, so a region without subscriptions
//! gets no result. Subscriptions of other source types get no result either.
//!
//! A subscription without a source type receives the events of every source (RDS
//! `CreateEventSubscription`), so it is judged by all four controls: it covers the
//! control's events exactly when its categories do. AWS does not document this case; skipping
//! it would ignore a subscription that notifies (or, disabled, does not).
//!
//! AWS: "This control checks whether an Amazon RDS event subscription exists that has
//! notifications enabled for the following source type, event category key-value pairs ...
//! The control also passes if you select All event categories" (Security Hub RDS.19–22; pairs
//! `DBCluster: ["maintenance","failure"]`, `DBInstance: ["maintenance","configuration
//! change","failure"]`, `DBParameterGroup: ["configuration change"]`, `DBSecurityGroup:
//! ["configuration change","failure"]`). A subscription naming only some of the pairs' categories
//! fails (`partial` in each control's test).

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
        for s in subs.iter().filter(|s| s.source_type.as_deref().filter(|t| !t.is_empty()).is_none_or(|t| t == source_type)) {
            let kind = if s.source_type.as_deref().is_some_and(|t| !t.is_empty()) { source_type } else { "all-sources" };
            let arn = if s.arn.is_empty() { account.arn("rds", &region.name, &format!("es:{}", s.name)) } else { s.arn.clone() };
            let res = resource(account, &region.name, ResourceType::AwsRdsEventSubscription, arn, &s.name);
            let missing: Vec<&str> = if s.event_categories.is_empty() {
                Vec::new()
            } else {
                required.iter().copied().filter(|r| !s.event_categories.iter().any(|c| c == r)).collect()
            };
            if !s.enabled {
                out.fail(res, format!("the {kind} subscription is disabled"));
            } else if !missing.is_empty() {
                out.fail(res, format!("the {kind} subscription does not notify on {} {source_type} events", missing.join(", ")));
            } else {
                out.pass(res, format!("notifies on {} {source_type} events", required.join(", ")));
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::testkit::*;
    use rampart_inventory::{Observed, RdsEventSubscription};
    use rampart_model::Status;

    /// A subscription without a source type gets the events of every source: all four
    /// controls judge it by its categories.
    #[test]
    fn a_subscription_without_source_type_is_judged_by_every_control() {
        use super::super::{event_subscription_cluster as c, event_subscription_instance as i};
        use super::super::{event_subscription_parameter_group as p, event_subscription_security_group as g};
        let mut inv = inventory();
        let any = |name: &str, cats: &[&str]| RdsEventSubscription { source_type: None, ..sub(name, "", cats) };
        rds(&mut inv).event_subscriptions = Observed::Known(vec![
            any("everything", &[]),
            any("config-only", &["configuration change"]),
            RdsEventSubscription { enabled: false, ..any("off", &[]) },
        ]);
        use Status::{Failed as F, Passed as P};
        for (check, want) in [(&c::CHECK, [P, F, F]), (&i::CHECK, [P, F, F]), (&p::CHECK, [P, P, F]), (&g::CHECK, [P, F, F])] {
            let r = run_check(check, &inv);
            assert_eq!(r.iter().map(|r| r.status).collect::<Vec<_>>(), want, "{}", check.meta.id);
            assert!(r[2].reason.contains("all-sources subscription is disabled"), "{}", r[2].reason);
        }
    }

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
