//! Auto Scaling groups that do not launch from an EC2 launch template.
//!
//! Security Hub AutoScaling.9 (FSBP; AWS Config rule `autoscaling-launch-template`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/autoscaling-controls.html#autoscaling-9>.
//! A group passes when it names a launch template (`LaunchTemplate`) or its mixed instances
//! policy does (`MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification`); a group
//! launching from a launch configuration fails. One result per group.
//!
//! AWS: "This control fails if an Amazon EC2 Auto Scaling group is not created with a launch
//! template or if a launch template is not specified in a mixed instances policy" (Security Hub
//! AutoScaling.9).

use super::each_group;
use crate::{Check, Ctx, Emit};
use rampart_inventory::LaunchTemplateRef;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "autoscaling_group_launch_template",
        title: "Auto Scaling groups do not use EC2 launch templates",
        description: "Launch configurations get no new EC2 features (newer instance types, IMDS and network options) and cannot be versioned; launch templates can.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "autoscaling",
        resource_type: ResourceType::AwsAutoScalingAutoScalingGroup,
        standards: &[StandardRef::fsbp("AutoScaling.9")],
        remediation: Remediation {
            console: "EC2 console > Auto Scaling groups > the group > Details > Launch configuration > Edit: Switch to launch template (copy the launch configuration to a launch template first).",
            cli: "aws autoscaling update-auto-scaling-group --auto-scaling-group-name <name> --launch-template LaunchTemplateId=<lt-id>,Version='$Default'",
            url: "https://docs.aws.amazon.com/autoscaling/ec2/userguide/replace-launch-config.html",
        },
    },
    run,
};

fn describe(t: &LaunchTemplateRef) -> String {
    let which = t.name.as_deref().or(t.id.as_deref()).unwrap_or("(unnamed)");
    format!("`{which}` version `{}`", t.version.as_deref().unwrap_or("$Default"))
}

fn run(ctx: &Ctx, out: &mut Emit) {
    each_group(ctx, out, |g, res, out| {
        if let Some(t) = &g.launch_template {
            out.pass(res, format!("the group launches from launch template {}", describe(t)));
        } else if let Some(t) = g.mixed_instances_policy.as_ref().and_then(|p| p.launch_template.as_ref()) {
            out.pass(res, format!("the group's mixed instances policy launches from launch template {}", describe(t)));
        } else if let Some(lc) = &g.launch_configuration_name {
            out.fail(res, format!("the group launches from launch configuration `{lc}`, not from a launch template"));
        } else {
            out.fail(res, "the group names no launch template");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::{group, set};
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{AutoScalingGroup, MixedInstancesPolicy, Observed};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        let mixed = AutoScalingGroup {
            launch_template: None,
            mixed_instances_policy: Some(MixedInstancesPolicy { launch_template: group("x").launch_template, overrides: vec![] }),
            ..group("mixed")
        };
        let lc = AutoScalingGroup { launch_template: None, launch_configuration_name: Some("lc-1".into()), ..group("lc") };
        set(&mut inv, vec![group("lt"), mixed, lc], vec![]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Passed, Status::Failed]);
        region(&mut inv).autoscaling = Observed::Unknown("autoscaling:DescribeAutoScalingGroups access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
