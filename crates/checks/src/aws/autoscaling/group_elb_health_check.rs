//! Auto Scaling groups behind a load balancer that do not use its health checks.
//!
//! Security Hub AutoScaling.1 (FSBP; AWS Config rule `autoscaling-group-elb-healthcheck-required`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/autoscaling-controls.html#autoscaling-1>.
//! A group associated with a load balancer (a Classic Load Balancer in `LoadBalancerNames` or
//! a target group in `TargetGroupARNs`) passes when `ELB` is among its health check types
//! (`HealthCheckType`, e.g. `ELB` or `EBS,ELB`); groups behind no load balancer get no result.
//!
//! Trusted Advisor's "Auto Scaling Group Health Check" also judges groups without a load
//! balancer: `autoscaling_group_health_check`.
//!
//! AWS: "Checks if your Auto Scaling groups that are associated with a Classic Load Balancer are
//! using Elastic Load Balancing health checks. The rule is NON_COMPLIANT if the Auto Scaling groups
//! are not using Elastic Load Balancing health checks" (Config
//! `autoscaling-group-elb-healthcheck-required`, 2023 wording). Wider than that wording: groups
//! behind a target group are judged too (the rule's proactive schema names `LoadBalancerNames`
//! and later control pages speak of any load balancer; see docs/benchmarks.md).

use super::each_group;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "autoscaling_group_elb_health_check",
        title: "Auto Scaling groups behind a load balancer do not use ELB health checks",
        description: "Without the load balancer's health checks a group only replaces instances whose EC2 status checks fail, and keeps instances whose application does not answer.",
        severity: Severity::Low,
        category: Category::FaultTolerance,
        service: "autoscaling",
        resource_type: ResourceType::AwsAutoScalingAutoScalingGroup,
        standards: &[StandardRef::fsbp("AutoScaling.1")],
        remediation: Remediation {
            console: "EC2 console > Auto Scaling groups > the group > Details > Health checks > Edit: turn on Elastic Load Balancing health checks.",
            cli: "aws autoscaling update-auto-scaling-group --auto-scaling-group-name <name> --health-check-type ELB --health-check-grace-period 300",
            url: "https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-add-elb-healthcheck.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_group(ctx, out, |g, res, out| {
        let behind = g.load_balancer_names.len() + g.target_group_arns.len();
        if behind == 0 {
            return;
        }
        if g.health_check_type.split(',').any(|t| t.trim().eq_ignore_ascii_case("ELB")) {
            out.pass(res, format!("the group uses ELB health checks (`{}`) for its {behind} load balancer(s) or target group(s)", g.health_check_type));
        } else {
            out.fail(res, format!("the group is behind {behind} load balancer(s) or target group(s) but its health check type is `{}`", g.health_check_type));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::{group, set};
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{AutoScalingGroup, Observed};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        let classic = |name: &str, hc: &str| AutoScalingGroup { load_balancer_names: vec!["web".into()], health_check_type: hc.into(), ..group(name) };
        let tg = AutoScalingGroup {
            target_group_arns: vec!["arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1".into()],
            health_check_type: "EBS,ELB".into(),
            ..group("tg-ebs-elb")
        };
        // A group behind no load balancer gets no result.
        set(&mut inv, vec![classic("elb", "ELB"), classic("ec2", "EC2"), tg, group("alone")], vec![]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::Passed]);
        region(&mut inv).autoscaling = Observed::Unknown("autoscaling:DescribeAutoScalingGroups access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
