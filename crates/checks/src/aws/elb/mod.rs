//! Elastic Load Balancing checks (Classic and v2 load balancers) and what they share.

pub mod listener_security;
pub mod security_groups;

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
