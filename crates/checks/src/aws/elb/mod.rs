//! Elastic Load Balancing checks (Classic and v2 load balancers) and what they share.

pub mod alb_desync_mitigation;
pub mod alb_drop_invalid_headers;
pub mod alb_http_redirect;
pub mod classic_acm_certificate;
pub mod classic_connection_draining;
pub mod classic_cross_zone;
pub mod classic_desync_mitigation;
pub mod deletion_protection;
pub mod idle;
pub mod listener_security;
pub mod logging;
pub mod multi_az;
pub mod security_groups;
pub mod v2_listeners;
pub mod v2_cross_zone;

use crate::{resource, Emit};
use rampart_inventory::{Account, ClassicLoadBalancer, LoadBalancerV2, Region};
use rampart_model::{Resource, ResourceType};

pub(crate) fn classic_resource(account: &Account, region: &Region, lb: &ClassicLoadBalancer) -> Resource {
    resource(account, &region.name, ResourceType::AwsElbLoadBalancer, account.arn("elasticloadbalancing", &region.name, &format!("loadbalancer/{}", lb.name)), &lb.name)
}

pub(crate) fn v2_resource(account: &Account, region: &Region, lb: &LoadBalancerV2) -> Resource {
    resource(account, &region.name, ResourceType::AwsElbv2LoadBalancer, lb.arn.clone(), &lb.name)
}

/// NOT_AVAILABLE for all load balancers of a kind in a region.
pub(crate) fn region_unknown(account: &Account, region: &Region, kind: ResourceType, why: &str, out: &mut Emit) {
    // Classic and v2 load balancers are listed by different calls: distinct ids keep their
    // NOT_AVAILABLE results apart.
    let (id, name) = match kind {
        ResourceType::AwsElbv2LoadBalancer => ("loadbalancer/v2/*", "all v2 load balancers"),
        _ => ("loadbalancer/*", "all classic load balancers"),
    };
    let res = resource(account, &region.name, kind, account.arn("elasticloadbalancing", &region.name, id), name);
    out.not_available(res, format!("load balancers could not be read in {}: {why}", region.name));
}

/// Calls `f` for every classic load balancer, and reports NOT_AVAILABLE for regions whose
/// classic load balancers could not be listed.
pub(crate) fn each_classic(ctx: &crate::Ctx, out: &mut Emit, mut f: impl FnMut(&ClassicLoadBalancer, Resource, &mut Emit)) {
    for (account, region) in ctx.inventory.regions() {
        match &region.elb {
            rampart_inventory::Observed::Known(lbs) => {
                for lb in lbs {
                    f(lb, classic_resource(account, region, lb), out);
                }
            }
            rampart_inventory::Observed::Unknown(why) => region_unknown(account, region, ResourceType::AwsElbLoadBalancer, why, out),
        }
    }
}

/// Calls `f` for every v2 load balancer whose type (`application`, `network`, `gateway`) is in
/// `kinds`, and reports NOT_AVAILABLE for regions whose v2 load balancers could not be listed.
pub(crate) fn each_v2(ctx: &crate::Ctx, out: &mut Emit, kinds: &[&str], mut f: impl FnMut(&LoadBalancerV2, Resource, &mut Emit)) {
    for (account, region) in ctx.inventory.regions() {
        match &region.elbv2 {
            rampart_inventory::Observed::Known(v2) => {
                for lb in v2.load_balancers.iter().filter(|lb| kinds.contains(&lb.kind.as_str())) {
                    f(lb, v2_resource(account, region, lb), out);
                }
            }
            rampart_inventory::Observed::Unknown(why) => region_unknown(account, region, ResourceType::AwsElbv2LoadBalancer, why, out),
        }
    }
}

/// Judges one load balancer attribute (`DescribeLoadBalancerAttributes`): PASSED when `good`
/// holds for its value, FAILED when not, NOT_AVAILABLE when the attributes or the key are
/// missing.
pub(crate) fn judge_attribute(lb: &LoadBalancerV2, key: &str, good: fn(&str) -> bool, res: Resource, out: &mut Emit) {
    match &lb.attributes {
        rampart_inventory::Observed::Known(attrs) => match attrs.get(key) {
            Some(v) if good(v) => out.pass(res, format!("`{key}` is `{v}`")),
            Some(v) => out.fail(res, format!("`{key}` is `{v}`")),
            None => out.not_available(res, format!("the load balancer's attributes have no `{key}`")),
        },
        rampart_inventory::Observed::Unknown(why) => out.not_available(res, format!("load balancer attributes could not be read: {why}")),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use rampart_inventory::{ClassicLoadBalancer, LoadBalancerV2, Observed};

    /// A v2 load balancer of type `kind` with the given attributes.
    pub fn v2(name: &str, kind: &str, attrs: &[(&str, &str)]) -> LoadBalancerV2 {
        LoadBalancerV2 {
            arn: format!("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/{name}/1"),
            name: name.into(),
            kind: kind.into(),
            availability_zones: vec!["us-east-1a".into(), "us-east-1b".into()],
            listeners: Observed::Known(vec![]),
            attributes: Observed::Known(attrs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()),
            ..Default::default()
        }
    }

    /// A classic load balancer in two zones with every attribute on.
    pub fn classic(name: &str) -> ClassicLoadBalancer {
        ClassicLoadBalancer {
            name: name.into(),
            availability_zones: vec!["us-east-1a".into(), "us-east-1b".into()],
            cross_zone_load_balancing: Observed::Known(true),
            connection_draining: Observed::Known(true),
            access_log_enabled: Observed::Known(true),
            desync_mitigation_mode: Observed::Known(Some("defensive".into())),
            policies: Observed::Known(vec![]),
            ..Default::default()
        }
    }
}
