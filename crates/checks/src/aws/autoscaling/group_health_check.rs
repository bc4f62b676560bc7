//! Auto Scaling groups whose health check type does not match their load balancers.
//!
//! Trusted Advisor "Auto Scaling Group Health Check" (fault tolerance): yellow when a group has
//! an associated load balancer (a Classic Load Balancer or a target group) but the Elastic Load
//! Balancing health check is not enabled, and when a group has no load balancer but the ELB
//! health check is enabled (it then never sees a load balancer's verdict). FSBP AutoScaling.1
//! is the first half only (`autoscaling_group_elb_health_check`). One result per group.

use super::each_group;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "autoscaling_group_health_check",
        title: "Auto Scaling groups' health check type does not match their load balancers",
        description: "A group behind a load balancer that ignores its health checks keeps instances whose application does not answer; a group with the ELB health check type but no load balancer has no load balancer to ask.",
        severity: Severity::Low,
        category: Category::FaultTolerance,
        service: "autoscaling",
        resource_type: ResourceType::AwsAutoScalingAutoScalingGroup,
        standards: &[StandardRef::ta("Auto Scaling Group Health Check")],
        remediation: Remediation {
            console: "EC2 console > Auto Scaling groups > the group > Details > Health checks > Edit: turn Elastic Load Balancing health checks on for a group behind a load balancer, off for a group without one.",
            cli: "aws autoscaling update-auto-scaling-group --auto-scaling-group-name <name> --health-check-type ELB   # or EC2 for a group without a load balancer",
            url: "https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-add-elb-healthcheck.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_group(ctx, out, |g, res, out| {
        let behind = g.load_balancer_names.len() + g.target_group_arns.len();
        let elb = g.health_check_type.split(',').any(|t| t.trim().eq_ignore_ascii_case("ELB"));
        match (behind > 0, elb) {
            (true, true) => out.pass(res, format!("behind {behind} load balancer(s) or target group(s), with ELB health checks")),
            (false, false) => out.pass(res, format!("no load balancer, health check type `{}`", g.health_check_type)),
            (true, false) => out.fail(res, format!("behind {behind} load balancer(s) or target group(s) but the health check type is `{}`", g.health_check_type)),
            (false, true) => out.fail(res, "the ELB health check is on but the group has no load balancer"),
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
        let with = |name: &str, lb: bool, hc: &str| AutoScalingGroup {
            load_balancer_names: if lb { vec!["web".into()] } else { vec![] },
            health_check_type: hc.into(),
            ..group(name)
        };
        set(&mut inv, vec![with("lb-elb", true, "ELB"), with("lb-ec2", true, "EC2"), with("alone-ec2", false, "EC2"), with("alone-elb", false, "ELB")], vec![]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::Passed, Status::Failed]);
        region(&mut inv).autoscaling = Observed::Unknown("autoscaling:DescribeAutoScalingGroups access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
