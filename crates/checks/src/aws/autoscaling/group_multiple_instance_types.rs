//! Auto Scaling groups that define a single instance type.
//!
//! Security Hub AutoScaling.6 (FSBP; AWS Config rule `autoscaling-multiple-instance-types`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/autoscaling-controls.html#autoscaling-6>.
//! As the Config rule, a group passes when its mixed instances policy names at least two
//! distinct instance types (`Overrides[].InstanceType`) and fails when it defines only one: a
//! launch configuration, a launch template alone, or a policy naming fewer than two. As the
//! Config rule, attribute-based instance type selection (`InstanceRequirements`) is not
//! evaluated: such a group gets no result. (The control's title also says "in multiple
//! Availability Zones"; its rule judges the instance types only, and `autoscaling_group_multi_az`
//! judges the zones.) One result per group.

use super::each_group;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "autoscaling_group_multiple_instance_types",
        title: "Auto Scaling groups define a single instance type",
        description: "A group that can launch only one instance type cannot fall back to another type when its zones lack capacity for that one.",
        severity: Severity::Medium,
        category: Category::FaultTolerance,
        service: "autoscaling",
        resource_type: ResourceType::AwsAutoScalingAutoScalingGroup,
        standards: &[StandardRef::fsbp("AutoScaling.6")],
        remediation: Remediation {
            console: "EC2 console > Auto Scaling groups > the group > Details > Launch template > Edit: Override launch template, add at least one more instance type.",
            cli: "aws autoscaling update-auto-scaling-group --auto-scaling-group-name <name> --mixed-instances-policy '{\"LaunchTemplate\":{\"LaunchTemplateSpecification\":{\"LaunchTemplateId\":\"<lt-id>\"},\"Overrides\":[{\"InstanceType\":\"m5.large\"},{\"InstanceType\":\"m6i.large\"}]}}'",
            url: "https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-mixed-instances-groups.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_group(ctx, out, |g, res, out| {
        let Some(policy) = &g.mixed_instances_policy else {
            let from = match &g.launch_configuration_name {
                Some(lc) => format!("launch configuration `{lc}`"),
                None => "its launch template".to_string(),
            };
            return out.fail(res, format!("the group has no mixed instances policy: it launches the one instance type of {from}"));
        };
        if policy.overrides.iter().any(|o| o.attribute_based) {
            return; // attribute-based selection is not evaluated (as the Config rule)
        }
        let types = g.override_instance_types();
        match types.len() {
            n if n >= 2 => out.pass(res, format!("the group's mixed instances policy names {n} instance types: {}", types.join(", "))),
            0 => out.fail(res, "the group's mixed instances policy names no instance type: it launches the one of its launch template"),
            _ => out.fail(res, format!("the group's mixed instances policy names one instance type: {}", types[0])),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::{group, set};
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{AutoScalingGroup, InstanceOverride, MixedInstancesPolicy, Observed};
    use rampart_model::Status;

    fn mixed(name: &str, types: &[&str]) -> AutoScalingGroup {
        let overrides = types.iter().map(|t| InstanceOverride { instance_type: Some(t.to_string()), attribute_based: false }).collect();
        AutoScalingGroup { launch_template: None, mixed_instances_policy: Some(MixedInstancesPolicy { launch_template: group("x").launch_template, overrides }), ..group(name) }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        let mut attributes = mixed("attributes", &[]);
        attributes.mixed_instances_policy.as_mut().unwrap().overrides.push(InstanceOverride { instance_type: None, attribute_based: true });
        let lc = AutoScalingGroup { launch_template: None, launch_configuration_name: Some("lc-1".into()), ..group("lc") };
        set(
            &mut inv,
            vec![mixed("two", &["t3.micro", "t3a.micro"]), mixed("same-twice", &["t3.micro", "t3.micro"]), group("lt-only"), lc, attributes],
            vec![],
        );
        // The attribute-based group gets no result.
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::Failed, Status::Failed]);
        region(&mut inv).autoscaling = Observed::Unknown("autoscaling:DescribeAutoScalingGroups access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
