//! Auto Scaling groups behind a load balancer without Capacity Rebalancing.
//!
//! Prowler's `autoscaling_group_capacity_rebalance_enabled` (see `crate::prowler`): a group
//! fails when `CapacityRebalance` is off. With it on, the group launches a replacement as soon
//! as EC2 signals that a Spot Instance is at elevated risk of interruption, instead of after
//! the two-minute notice. Like Prowler, only groups that serve a load balancer are judged
//! (Prowler asks for both a Classic Load Balancer and a target group; here either one counts).
//! One result per such group.

use super::each_group;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "autoscaling_group_capacity_rebalance",
        title: "Auto Scaling groups behind load balancers do not have Capacity Rebalancing enabled",
        description: "Without Capacity Rebalancing a group replaces an interrupted Spot Instance only after it is gone, leaving the load balancer short of a target meanwhile.",
        severity: Severity::Low,
        category: Category::FaultTolerance,
        service: "autoscaling",
        resource_type: ResourceType::AwsAutoScalingAutoScalingGroup,
        standards: &[],
        remediation: Remediation {
            console: "EC2 console > Auto Scaling groups > the group > Details > Allocation strategies > Edit: turn on Capacity rebalance.",
            cli: "aws autoscaling update-auto-scaling-group --auto-scaling-group-name <name> --capacity-rebalance",
            url: "https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-capacity-rebalancing.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_group(ctx, out, |g, res, out| {
        if g.load_balancer_names.is_empty() && g.target_group_arns.is_empty() {
            return;
        }
        match g.capacity_rebalance {
            Observed::Known(true) => out.pass(res, "Capacity Rebalancing is on"),
            Observed::Known(false) => out.fail(res, "Capacity Rebalancing is off"),
            Observed::Unknown(ref why) => {
                out.not_available(res, format!("the group's Capacity Rebalancing setting could not be read: {why}"))
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::AutoScalingGroup;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        let behind = |name: &str, rebalance: Observed<bool>| AutoScalingGroup {
            target_group_arns: vec!["arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/1".into()],
            capacity_rebalance: rebalance,
            ..group(name)
        };
        let classic =
            AutoScalingGroup { load_balancer_names: vec!["web".into()], capacity_rebalance: Observed::Known(false), ..group("classic") };
        set(
            &mut inv,
            vec![
                behind("on", Observed::Known(true)),
                behind("off", Observed::Known(false)),
                classic,
                behind("unread", Observed::Unknown("not collected".into())),
                AutoScalingGroup { capacity_rebalance: Observed::Known(false), ..group("no-lb") },
            ],
            vec![],
        );
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::Failed, Status::NotAvailable]);
        region(&mut inv).autoscaling = Observed::Unknown("autoscaling:DescribeAutoScalingGroups access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
