//! Auto Scaling groups that name a load balancer or target group that no longer exists.
//!
//! Trusted Advisor "Auto Scaling Group Resources" (fault tolerance): red when a group is
//! associated with a deleted load balancer (a group pointing to unavailable resources cannot
//! launch instances as intended). Trusted Advisor's other criterion, a launch configuration
//! whose AMI was deleted, needs the AMIs of other accounts, which the inventory does not hold:
//! not judged. A Classic Load Balancer must be among the region's, a target group among the
//! region's target groups. One result per group.

use super::each_group_in;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "autoscaling_group_resources",
        title: "Auto Scaling groups name load balancers or target groups that no longer exist",
        description: "A group attached to a deleted load balancer or target group does not register its new instances anywhere: they get no traffic, and scaling does not help.",
        severity: Severity::Medium,
        category: Category::FaultTolerance,
        service: "autoscaling",
        resource_type: ResourceType::AwsAutoScalingAutoScalingGroup,
        standards: &[StandardRef::ta("Auto Scaling Group Resources")],
        remediation: Remediation {
            console: "EC2 console > Auto Scaling groups > the group > Details > Load balancing > Edit: remove the deleted load balancer or target group and attach an existing one.",
            cli: "aws autoscaling detach-load-balancers --auto-scaling-group-name <name> --load-balancer-names <deleted>  # or detach-load-balancer-target-groups --target-group-arns <deleted>",
            url: "https://docs.aws.amazon.com/autoscaling/ec2/userguide/ts-as-loadbalancer.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_group_in(ctx, out, |region, g, res, out| {
        let mut missing = Vec::new();
        let mut unknown = Vec::new();
        if !g.load_balancer_names.is_empty() {
            match &region.elb {
                Observed::Known(lbs) => missing.extend(g.load_balancer_names.iter().filter(|n| !lbs.iter().any(|lb| &lb.name == *n)).map(|n| format!("load balancer `{n}`"))),
                Observed::Unknown(why) => unknown.push(format!("classic load balancers could not be listed: {why}")),
            }
        }
        if !g.target_group_arns.is_empty() {
            match &region.elbv2 {
                Observed::Known(v2) => missing.extend(g.target_group_arns.iter().filter(|a| !v2.target_groups.iter().any(|t| &t.arn == *a)).map(|a| format!("target group `{a}`"))),
                Observed::Unknown(why) => unknown.push(format!("target groups could not be listed: {why}")),
            }
        }
        if !missing.is_empty() {
            out.fail(res, format!("associated with deleted {}", missing.join(", ")));
        } else if !unknown.is_empty() {
            out.not_available(res, unknown.join("; "));
        } else {
            let n = g.load_balancer_names.len() + g.target_group_arns.len();
            out.pass(res, format!("its {n} load balancer(s) and target group(s) exist"));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::{group, set};
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{AutoScalingGroup, ClassicLoadBalancer, Elbv2, TargetGroup};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        let tg = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1";
        region(&mut inv).elb = Observed::Known(vec![ClassicLoadBalancer { name: "web".into(), ..Default::default() }]);
        region(&mut inv).elbv2 = Observed::Known(Elbv2 { target_groups: vec![TargetGroup { arn: tg.into(), ..Default::default() }], ..Default::default() });
        let with = |name: &str, lbs: &[&str], tgs: &[&str]| AutoScalingGroup {
            load_balancer_names: lbs.iter().map(|s| s.to_string()).collect(),
            target_group_arns: tgs.iter().map(|s| s.to_string()).collect(),
            ..group(name)
        };
        set(&mut inv, vec![with("ok", &["web"], &[tg]), with("alone", &[], &[]), with("orphan", &["gone"], &[]), with("orphan-tg", &[], &["arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/gone/2"])], vec![]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Passed, Status::Failed, Status::Failed]);
        region(&mut inv).elb = Observed::Unknown("elasticloadbalancing:DescribeLoadBalancers denied".into());
        assert_eq!(statuses(&CHECK, &inv), vec![Status::NotAvailable, Status::Passed, Status::NotAvailable, Status::Failed]);
    }
}
