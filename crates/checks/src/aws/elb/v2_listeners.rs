//! Application, Network and Gateway Load Balancers without any listener.
//!
//! No Security Hub control or CIS recommendation covers it; it is Prowler's
//! `elbv2_listeners_underneath` (see `crate::prowler`): a load balancer with no listener serves
//! nothing, costs money and is often a leftover whose DNS name other records still point to. One
//! result per load balancer.

use super::each_v2;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "elb_v2_without_listeners",
        title: "Load balancers have no listener",
        description: "A load balancer without listeners accepts no traffic: it is unfinished or left over, and its DNS name may still be referenced where an attacker could later matter.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "elb",
        resource_type: ResourceType::AwsElbv2LoadBalancer,
        standards: &[],
        remediation: Remediation {
            console: "EC2 console > Load Balancers > the load balancer: add the listener it should have (Listeners and rules > Add listener), or delete it (Actions > Delete load balancer) after removing DNS records that point to it.",
            cli: "aws elbv2 delete-load-balancer --load-balancer-arn <arn>",
            url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_v2(ctx, out, &["application", "network", "gateway"], |lb, res, out| match &lb.listeners {
        Observed::Known(l) if l.is_empty() => out.fail(res, "the load balancer has no listener"),
        Observed::Known(l) => out.pass(res, format!("{} listener(s)", l.len())),
        Observed::Unknown(why) => out.not_available(res, format!("listeners could not be read: {why}")),
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::v2;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Elbv2, ListenerV2, LoadBalancerV2};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        let listener = ListenerV2 { port: 443, protocol: "HTTPS".into(), ..Default::default() };
        region(&mut inv).elbv2 = Observed::Known(Elbv2 {
            load_balancers: vec![
                LoadBalancerV2 { listeners: Observed::Known(vec![listener]), ..v2("serving", "application", &[]) },
                v2("empty", "network", &[]),
                LoadBalancerV2 {
                    listeners: Observed::Unknown("elasticloadbalancing:DescribeListeners access denied".into()),
                    ..v2("unknown", "gateway", &[])
                },
            ],
            target_groups: vec![],
        });
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::NotAvailable]);
        region(&mut inv).elbv2 = Observed::Unknown("elasticloadbalancing:DescribeLoadBalancers access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
