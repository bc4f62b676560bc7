//! Application, Network and Gateway Load Balancers: listeners, attributes, target groups and
//! the health of their targets.

use super::{known_or_return, non_empty, observed};
use crate::call::{client, Ctx};
use aws_sdk_elasticloadbalancingv2::types::{Action, ActionTypeEnum};
use futures::future::join_all;
use rampart_inventory::{Elbv2, ListenerV2, LoadBalancerV2, Observed, Target, TargetGroup};

pub(super) async fn collect(ctx: &Ctx) -> Observed<Elbv2> {
    let client = client!(ctx, aws_sdk_elasticloadbalancingv2);
    let (lbs, tgs) = futures::join!(
        ctx.call("elasticloadbalancing:DescribeLoadBalancers", None, client.describe_load_balancers().into_paginator().items().send().try_collect()),
        ctx.call("elasticloadbalancing:DescribeTargetGroups", None, client.describe_target_groups().into_paginator().items().send().try_collect()),
    );
    let lbs = known_or_return!(lbs);
    let tgs = known_or_return!(tgs);

    let load_balancers = join_all(lbs.iter().map(|lb| {
        let client = &client;
        async move {
            let arn = lb.load_balancer_arn().unwrap_or_default().to_string();
            let (listeners, attributes) = futures::join!(
                ctx.call("elasticloadbalancing:DescribeListeners", Some(&arn), client.describe_listeners().load_balancer_arn(&arn).into_paginator().items().send().try_collect()),
                ctx.call("elasticloadbalancing:DescribeLoadBalancerAttributes", Some(&arn), client.describe_load_balancer_attributes().load_balancer_arn(&arn).send()),
            );
            let listeners = observed(listeners).map(|ls| {
                ls.iter()
                    .map(|l| ListenerV2 {
                        arn: l.listener_arn().unwrap_or_default().to_string(),
                        port: l.port().unwrap_or_default(),
                        protocol: l.protocol().map(|p| p.as_str().to_string()).unwrap_or_default(),
                        ssl_policy: non_empty(l.ssl_policy()),
                        certificate_arns: l.certificates().iter().filter_map(|c| non_empty(c.certificate_arn())).collect(),
                        default_target_group_arns: target_group_arns(l.default_actions()),
                        redirect_to_https: redirects_to_https(l.default_actions()),
                    })
                    .collect()
            });
            let attributes = observed(attributes).map(|out| {
                out.attributes()
                    .iter()
                    .filter_map(|a| Some((a.key()?.to_string(), a.value().unwrap_or_default().to_string())))
                    .collect()
            });
            LoadBalancerV2 {
                name: lb.load_balancer_name().unwrap_or_default().to_string(),
                dns_name: lb.dns_name().unwrap_or_default().to_string(),
                kind: lb.r#type().map(|t| t.as_str().to_string()).unwrap_or_default(),
                scheme: lb.scheme().map(|s| s.as_str().to_string()).unwrap_or_default(),
                vpc_id: lb.vpc_id().unwrap_or_default().to_string(),
                subnet_ids: lb.availability_zones().iter().filter_map(|z| non_empty(z.subnet_id())).collect(),
                availability_zones: lb.availability_zones().iter().filter_map(|z| non_empty(z.zone_name())).collect(),
                security_groups: lb.security_groups().to_vec(),
                ip_address_type: lb.ip_address_type().map(|t| t.as_str().to_string()).unwrap_or_default(),
                arn,
                listeners,
                attributes,
            }
        }
    }))
    .await;

    let target_groups = join_all(tgs.iter().map(|tg| {
        let client = &client;
        async move {
            let arn = tg.target_group_arn().unwrap_or_default().to_string();
            let health = ctx
                .call("elasticloadbalancing:DescribeTargetHealth", Some(&arn), client.describe_target_health().target_group_arn(&arn).send())
                .await;
            let targets = observed(health).map(|out| {
                out.target_health_descriptions()
                    .iter()
                    .map(|d| Target {
                        id: d.target().and_then(|t| t.id()).unwrap_or_default().to_string(),
                        port: d.target().and_then(|t| t.port()),
                        health: d.target_health().and_then(|h| h.state()).map(|s| s.as_str().to_string()).unwrap_or_default(),
                    })
                    .collect()
            });
            TargetGroup {
                name: tg.target_group_name().unwrap_or_default().to_string(),
                protocol: tg.protocol().map(|p| p.as_str().to_string()),
                port: tg.port(),
                target_type: tg.target_type().map(|t| t.as_str().to_string()).unwrap_or_default(),
                vpc_id: non_empty(tg.vpc_id()),
                load_balancer_arns: tg.load_balancer_arns().to_vec(),
                arn,
                targets,
            }
        }
    }))
    .await;

    Observed::Known(Elbv2 { load_balancers, target_groups })
}

/// Target groups a listener forwards to by default (simple and weighted forwards).
fn target_group_arns(actions: &[Action]) -> Vec<String> {
    let mut arns: Vec<String> = actions
        .iter()
        .filter(|a| a.r#type() == Some(&ActionTypeEnum::Forward))
        .flat_map(|a| {
            let simple = non_empty(a.target_group_arn());
            let weighted = a
                .forward_config()
                .map(|f| f.target_groups().iter().filter_map(|t| non_empty(t.target_group_arn())).collect::<Vec<_>>())
                .unwrap_or_default();
            simple.into_iter().chain(weighted)
        })
        .collect();
    arns.sort();
    arns.dedup();
    arns
}

/// Whether the listener's default action redirects to HTTPS.
fn redirects_to_https(actions: &[Action]) -> bool {
    actions.iter().any(|a| {
        a.r#type() == Some(&ActionTypeEnum::Redirect)
            && a.redirect_config().and_then(|r| r.protocol()).is_some_and(|p| p.eq_ignore_ascii_case("HTTPS"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_elasticloadbalancingv2::types::{ForwardActionConfig, RedirectActionConfig, TargetGroupTuple};

    #[test]
    fn forwards_simple_and_weighted() {
        let simple = Action::builder().r#type(ActionTypeEnum::Forward).target_group_arn("tg-a").build();
        let weighted = Action::builder()
            .r#type(ActionTypeEnum::Forward)
            .forward_config(
                ForwardActionConfig::builder()
                    .target_groups(TargetGroupTuple::builder().target_group_arn("tg-b").build())
                    .target_groups(TargetGroupTuple::builder().target_group_arn("tg-a").build())
                    .build(),
            )
            .build();
        assert_eq!(target_group_arns(&[simple, weighted]), vec!["tg-a".to_string(), "tg-b".to_string()]);
    }

    #[test]
    fn https_redirect() {
        let redirect = |proto: &str| {
            Action::builder()
                .r#type(ActionTypeEnum::Redirect)
                .redirect_config(
                    RedirectActionConfig::builder()
                        .protocol(proto)
                        .status_code(aws_sdk_elasticloadbalancingv2::types::RedirectActionStatusCodeEnum::Http301)
                        .build(),
                )
                .build()
        };
        assert!(redirects_to_https(&[redirect("HTTPS")]));
        assert!(!redirects_to_https(&[redirect("#{protocol}")]));
        assert!(!redirects_to_https(&[]));
    }
}
