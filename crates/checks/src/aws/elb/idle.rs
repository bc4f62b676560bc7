//! Load balancers with nothing healthy behind them.
//!
//! Trusted Advisor "Idle Load Balancers" (cost optimization) flags load balancers with no
//! active back-end instances *or* fewer than 100 requests a day over a week; the request count
//! needs CloudWatch metrics Rampart does not read offline, so only the first half is checked
//! here and a PASSED means "something can serve", not "in use". A classic load balancer fails
//! with no registered instance (its instances' health is not collected); a v2 load balancer
//! fails when none of the targets of its target groups is `healthy`. Targets whose health
//! checks are disabled (`unavailable`, the default for Lambda targets) count as serving. One
//! result per load balancer.

use super::{each_classic, region_unknown, v2_resource};
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "elb_idle_load_balancers",
        title: "Load balancers have no healthy target or instance",
        description: "A load balancer is billed by the hour whether or not anything behind it can answer. Trusted Advisor also counts a load balancer with fewer than 100 requests a day as idle, from CloudWatch metrics Rampart does not read offline.",
        severity: Severity::Low,
        category: Category::CostOptimization,
        service: "elb",
        resource_type: ResourceType::AwsElbv2LoadBalancer,
        standards: &[StandardRef::ta("Idle Load Balancers")],
        remediation: Remediation {
            console: "EC2 console > Load balancers > the load balancer: register healthy targets (or instances), or Actions > Delete load balancer if nothing needs it.",
            cli: "aws elbv2 delete-load-balancer --load-balancer-arn <arn>  # classic: aws elb delete-load-balancer --load-balancer-name <name>",
            url: "https://docs.aws.amazon.com/awssupport/latest/user/cost-optimization-checks.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_classic(ctx, out, |lb, res, out| {
        if lb.instance_ids.is_empty() {
            out.fail(res, "no instance is registered with the load balancer");
        } else {
            out.pass(res, format!("{} instance(s) registered", lb.instance_ids.len()));
        }
    });
    for (account, region) in ctx.inventory.regions() {
        let v2 = match &region.elbv2 {
            Observed::Known(v2) => v2,
            Observed::Unknown(why) => {
                region_unknown(account, region, ResourceType::AwsElbv2LoadBalancer, why, out);
                continue;
            }
        };
        for lb in &v2.load_balancers {
            let res = v2_resource(account, region, lb);
            let groups: Vec<_> = v2.target_groups.iter().filter(|g| g.load_balancer_arns.contains(&lb.arn)).collect();
            if groups.is_empty() {
                out.fail(res, "no target group is attached to the load balancer");
                continue;
            }
            let (mut serving, mut targets, mut unknown) = (0, 0, Vec::new());
            for g in &groups {
                match &g.targets {
                    Observed::Known(ts) => {
                        targets += ts.len();
                        serving += ts.iter().filter(|t| t.health == "healthy" || t.health == "unavailable").count();
                    }
                    Observed::Unknown(why) => unknown.push(format!("`{}`: {why}", g.name)),
                }
            }
            if serving > 0 {
                out.pass(res, format!("{serving} of {targets} target(s) are healthy or not health-checked"));
            } else if !unknown.is_empty() {
                out.not_available(res, format!("target health could not be read for target group(s) {}", unknown.join("; ")));
            } else if targets == 0 {
                out.fail(res, format!("its {} target group(s) have no registered target", groups.len()));
            } else {
                out.fail(res, format!("none of its {targets} target(s) is healthy"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{ClassicLoadBalancer, Elbv2, LoadBalancerV2, Target, TargetGroup};
    use rampart_model::Status;

    fn lb(name: &str) -> LoadBalancerV2 {
        LoadBalancerV2 { arn: format!("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/{name}/1"), name: name.into(), kind: "application".into(), ..Default::default() }
    }

    fn tg(lb: &str, targets: Observed<Vec<Target>>) -> TargetGroup {
        TargetGroup { name: format!("tg-{lb}"), load_balancer_arns: vec![self::lb(lb).arn], targets, ..Default::default() }
    }

    fn target(health: &str) -> Target {
        Target { id: "i-1".into(), port: Some(80), health: health.into() }
    }

    #[test]
    fn classic() {
        let mut inv = inventory();
        region(&mut inv).elb = Observed::Known(vec![
            ClassicLoadBalancer { name: "busy".into(), instance_ids: vec!["i-1".into()], ..Default::default() },
            ClassicLoadBalancer { name: "empty".into(), ..Default::default() },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        region(&mut inv).elb = Observed::Unknown("elasticloadbalancing:DescribeLoadBalancers access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }

    #[test]
    fn v2_pass_fail_not_available() {
        let mut inv = inventory();
        region(&mut inv).elbv2 = Observed::Known(Elbv2 {
            load_balancers: vec![lb("healthy"), lb("lambda"), lb("unhealthy"), lb("empty"), lb("no-tg"), lb("unknown")],
            target_groups: vec![
                tg("healthy", Observed::Known(vec![target("unhealthy"), target("healthy")])),
                tg("lambda", Observed::Known(vec![target("unavailable")])),
                tg("unhealthy", Observed::Known(vec![target("unhealthy"), target("draining")])),
                tg("empty", Observed::Known(vec![])),
                tg("unknown", Observed::Unknown("elasticloadbalancing:DescribeTargetHealth access denied".into())),
            ],
        });
        let r = run_check(&CHECK, &inv);
        assert_eq!(
            r.iter().map(|r| r.status).collect::<Vec<_>>(),
            vec![Status::Passed, Status::Passed, Status::Failed, Status::Failed, Status::Failed, Status::NotAvailable]
        );
        assert!(r[2].reason.contains("none of its 2 target(s) is healthy"), "{}", r[2].reason);
        region(&mut inv).elbv2 = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
