//! Classic Load Balancers: listeners, registered instances, policies (SSL negotiation) and
//! attributes (cross-zone, connection draining, access logs).

use super::{known_or_return, non_empty, observed};
use crate::call::{client, Ctx};
use futures::future::join_all;
use rampart_inventory::{ClassicListener, ClassicLoadBalancer, ElbPolicy, Observed};

pub(super) async fn collect(ctx: &Ctx) -> Observed<Vec<ClassicLoadBalancer>> {
    let client = client!(ctx, aws_sdk_elasticloadbalancing);
    let lbs = known_or_return!(
        ctx.call("elasticloadbalancing:DescribeLoadBalancers", None, client.describe_load_balancers().into_paginator().items().send().try_collect())
            .await
    );

    let out = join_all(lbs.iter().map(|lb| {
        let client = &client;
        async move {
            let name = lb.load_balancer_name().unwrap_or_default().to_string();
            let (policies, attributes) = futures::join!(
                ctx.call("elasticloadbalancing:DescribeLoadBalancerPolicies", Some(&name), client.describe_load_balancer_policies().load_balancer_name(&name).send()),
                ctx.call("elasticloadbalancing:DescribeLoadBalancerAttributes", Some(&name), client.describe_load_balancer_attributes().load_balancer_name(&name).send()),
            );
            let policies = observed(policies).map(|out| {
                out.policy_descriptions()
                    .iter()
                    .map(|p| ElbPolicy {
                        name: p.policy_name().unwrap_or_default().to_string(),
                        type_name: p.policy_type_name().unwrap_or_default().to_string(),
                        attributes: p
                            .policy_attribute_descriptions()
                            .iter()
                            .map(|a| {
                                (a.attribute_name().unwrap_or_default().to_string(), a.attribute_value().unwrap_or_default().to_string())
                            })
                            .collect(),
                    })
                    .collect()
            });
            // Each attribute is `Unknown` if the call failed or the response left it out.
            let attr = |pick: fn(&aws_sdk_elasticloadbalancing::types::LoadBalancerAttributes) -> Option<bool>, what: &str| {
                match &attributes {
                    Ok(out) => match out.load_balancer_attributes().and_then(pick) {
                        Some(v) => Observed::Known(v),
                        None => Observed::Unknown(format!("elasticloadbalancing:DescribeLoadBalancerAttributes: no {what} in the response")),
                    },
                    Err(reason) => Observed::Unknown(reason.clone()),
                }
            };
            let cross_zone_load_balancing = attr(|a| a.cross_zone_load_balancing().map(|c| c.enabled()), "CrossZoneLoadBalancing");
            let connection_draining = attr(|a| a.connection_draining().map(|c| c.enabled()), "ConnectionDraining");
            let access_log_enabled = attr(|a| a.access_log().map(|c| c.enabled()), "AccessLog");
            let desync_mitigation_mode = match &attributes {
                Ok(out) => Observed::Known(out.load_balancer_attributes().and_then(|a| {
                    a.additional_attributes()
                        .iter()
                        .find(|x| x.key() == Some("elb.http.desyncmitigationmode"))
                        .and_then(|x| non_empty(x.value()))
                })),
                Err(reason) => Observed::Unknown(reason.clone()),
            };

            ClassicLoadBalancer {
                dns_name: lb.dns_name().unwrap_or_default().to_string(),
                scheme: lb.scheme().unwrap_or_default().to_string(),
                vpc_id: non_empty(lb.vpc_id()),
                subnets: lb.subnets().to_vec(),
                availability_zones: lb.availability_zones().to_vec(),
                security_groups: lb.security_groups().to_vec(),
                listeners: lb
                    .listener_descriptions()
                    .iter()
                    .filter_map(|d| {
                        let l = d.listener()?;
                        Some(ClassicListener {
                            protocol: l.protocol().to_string(),
                            load_balancer_port: l.load_balancer_port(),
                            instance_protocol: l.instance_protocol().unwrap_or_default().to_string(),
                            instance_port: l.instance_port(),
                            ssl_certificate_id: non_empty(l.ssl_certificate_id()),
                            policy_names: d.policy_names().to_vec(),
                        })
                    })
                    .collect(),
                instance_ids: lb.instances().iter().filter_map(|i| non_empty(i.instance_id())).collect(),
                name,
                policies,
                cross_zone_load_balancing,
                connection_draining,
                access_log_enabled,
                desync_mitigation_mode,
            }
        }
    }))
    .await;
    Observed::Known(out)
}
