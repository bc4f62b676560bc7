//! Amazon EC2 Auto Scaling checks (groups and launch configurations) and what they share.

pub mod group_elb_health_check;
pub mod group_health_check;
pub mod group_resources;
pub mod group_launch_template;
pub mod group_multi_az;
pub mod group_multiple_instance_types;
pub mod launch_config_imdsv2;
pub mod launch_config_public_ip;
pub mod group_capacity_rebalance;

use crate::{resource, Ctx, Emit};
use rampart_inventory::{Account, AutoScalingGroup, LaunchConfiguration, Observed, Region};
use rampart_model::{Resource, ResourceType};

/// Calls `f` for every Auto Scaling group, and reports NOT_AVAILABLE once per region whose
/// groups could not be listed.
pub(crate) fn each_group(ctx: &Ctx, out: &mut Emit, mut f: impl FnMut(&AutoScalingGroup, Resource, &mut Emit)) {
    each_group_in(ctx, out, |_, g, res, out| f(g, res, out));
}

/// [`each_group`], with the group's region.
pub(crate) fn each_group_in(ctx: &Ctx, out: &mut Emit, mut f: impl FnMut(&Region, &AutoScalingGroup, Resource, &mut Emit)) {
    for (account, region) in ctx.inventory.regions() {
        match &region.autoscaling {
            Observed::Known(asg) => {
                for g in &asg.groups {
                    let res = resource(account, &region.name, ResourceType::AwsAutoScalingAutoScalingGroup, g.arn.clone(), &g.name);
                    f(region, g, res, out);
                }
            }
            Observed::Unknown(why) => {
                let res = placeholder(account, region, ResourceType::AwsAutoScalingAutoScalingGroup, "autoScalingGroup", "all Auto Scaling groups");
                out.not_available(res, format!("Auto Scaling groups could not be listed in {}: {why}", region.name));
            }
        }
    }
}

/// Calls `f` for every launch configuration, and reports NOT_AVAILABLE once per region whose
/// launch configurations could not be listed.
pub(crate) fn each_launch_configuration(ctx: &Ctx, out: &mut Emit, mut f: impl FnMut(&LaunchConfiguration, Resource, &mut Emit)) {
    for (account, region) in ctx.inventory.regions() {
        let listed = match &region.autoscaling {
            Observed::Known(asg) => asg.launch_configurations.as_result(),
            Observed::Unknown(why) => Err(why.as_str()),
        };
        match listed {
            Ok(lcs) => {
                for lc in lcs {
                    let res = resource(account, &region.name, ResourceType::AwsAutoScalingLaunchConfiguration, lc.arn.clone(), &lc.name);
                    f(lc, res, out);
                }
            }
            Err(why) => {
                let res = placeholder(account, region, ResourceType::AwsAutoScalingLaunchConfiguration, "launchConfiguration", "all launch configurations");
                out.not_available(res, format!("launch configurations could not be listed in {}: {why}", region.name));
            }
        }
    }
}

/// `arn:<partition>:autoscaling:<region>:<account>:<what>:*`: the resource of a region whose
/// groups or launch configurations could not be read.
fn placeholder(account: &Account, region: &Region, kind: ResourceType, what: &str, name: &str) -> Resource {
    resource(account, &region.name, kind, account.arn("autoscaling", &region.name, &format!("{what}:*")), name)
}

#[cfg(test)]
pub(crate) mod tests {
    use rampart_inventory::{AutoScaling, AutoScalingGroup, Inventory, LaunchConfiguration, LaunchTemplateRef, Observed};

    /// A group in two zones, launched from a launch template, behind no load balancer.
    pub fn group(name: &str) -> AutoScalingGroup {
        AutoScalingGroup {
            name: name.into(),
            arn: format!("arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/{name}"),
            availability_zones: vec!["us-east-1a".into(), "us-east-1b".into()],
            health_check_type: "EC2".into(),
            launch_template: Some(LaunchTemplateRef { id: Some("lt-1".into()), name: None, version: Some("$Default".into()) }),
            ..Default::default()
        }
    }

    /// A launch configuration requiring IMDSv2, hop limit 1, no public IP.
    pub fn launch_configuration(name: &str) -> LaunchConfiguration {
        LaunchConfiguration {
            name: name.into(),
            arn: format!("arn:aws:autoscaling:us-east-1:123456789012:launchConfiguration:1:launchConfigurationName/{name}"),
            image_id: "ami-12345678".into(),
            instance_type: "t3.micro".into(),
            metadata_http_tokens: Some("required".into()),
            metadata_http_endpoint: Some("enabled".into()),
            metadata_http_put_response_hop_limit: Some(1),
            associate_public_ip_address: Some(false),
        }
    }

    /// Sets the testkit region's Auto Scaling data.
    pub fn set(inv: &mut Inventory, groups: Vec<AutoScalingGroup>, lcs: Vec<LaunchConfiguration>) {
        crate::testkit::region(inv).autoscaling = Observed::Known(AutoScaling { groups, launch_configurations: Observed::Known(lcs) });
    }
}
