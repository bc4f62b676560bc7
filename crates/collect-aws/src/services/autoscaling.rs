//! Amazon EC2 Auto Scaling: groups and launch configurations (both listings paginated).

use super::{known_or_return, non_empty, observed};
use crate::call::{client, Ctx};
use aws_sdk_autoscaling::types as sdk;
use rampart_inventory::{
    AutoScaling, AutoScalingGroup, InstanceOverride, LaunchConfiguration, LaunchTemplateRef, MixedInstancesPolicy, Observed,
};

pub(super) async fn collect(ctx: &Ctx) -> Observed<AutoScaling> {
    let client = client!(ctx, aws_sdk_autoscaling);
    let (groups, configs) = futures::join!(
        ctx.call(
            "autoscaling:DescribeAutoScalingGroups",
            None,
            client.describe_auto_scaling_groups().into_paginator().items().send().try_collect()
        ),
        ctx.call(
            "autoscaling:DescribeLaunchConfigurations",
            None,
            client.describe_launch_configurations().into_paginator().items().send().try_collect()
        ),
    );
    let groups = known_or_return!(groups);
    Observed::Known(AutoScaling {
        groups: groups.iter().map(|g| group(ctx, g)).collect(),
        launch_configurations: observed(configs).map(|lcs| lcs.iter().map(|lc| launch_configuration(ctx, lc)).collect()),
    })
}

fn group(ctx: &Ctx, g: &sdk::AutoScalingGroup) -> AutoScalingGroup {
    let name = g.auto_scaling_group_name().unwrap_or_default().to_string();
    AutoScalingGroup {
        // The ARN carries a generated id; without one (an emulator), the group's name stands in.
        arn: non_empty(g.auto_scaling_group_arn())
            .unwrap_or_else(|| format!("arn:aws:autoscaling:{}:{}:autoScalingGroup:*:autoScalingGroupName/{name}", ctx.region, ctx.account)),
        availability_zones: g.availability_zones().to_vec(),
        subnet_ids: g
            .vpc_zone_identifier()
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        load_balancer_names: g.load_balancer_names().to_vec(),
        target_group_arns: g.target_group_arns().to_vec(),
        health_check_type: g.health_check_type().unwrap_or("EC2").to_string(),
        launch_configuration_name: non_empty(g.launch_configuration_name()),
        launch_template: g.launch_template().map(template_ref),
        mixed_instances_policy: g.mixed_instances_policy().map(|p| {
            let lt = p.launch_template();
            MixedInstancesPolicy {
                launch_template: lt.and_then(|t| t.launch_template_specification()).map(template_ref),
                overrides: lt
                    .map(|t| t.overrides())
                    .unwrap_or_default()
                    .iter()
                    .map(|o| InstanceOverride {
                        instance_type: non_empty(o.instance_type()),
                        attribute_based: o.instance_requirements().is_some(),
                    })
                    .collect(),
            }
        }),
        tags: g.tags().iter().filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or_default().to_string()))).collect(),
        capacity_rebalance: match g.capacity_rebalance() {
            Some(c) => Observed::Known(c),
            None => Observed::Unknown("autoscaling:DescribeAutoScalingGroups: no CapacityRebalance in the response".into()),
        },
        name,
    }
}

fn template_ref(t: &sdk::LaunchTemplateSpecification) -> LaunchTemplateRef {
    LaunchTemplateRef {
        id: non_empty(t.launch_template_id()),
        name: non_empty(t.launch_template_name()),
        version: non_empty(t.version()),
    }
}

fn launch_configuration(ctx: &Ctx, lc: &sdk::LaunchConfiguration) -> LaunchConfiguration {
    let name = lc.launch_configuration_name().unwrap_or_default().to_string();
    let meta = lc.metadata_options();
    LaunchConfiguration {
        arn: non_empty(lc.launch_configuration_arn())
            .unwrap_or_else(|| format!("arn:aws:autoscaling:{}:{}:launchConfiguration:*:launchConfigurationName/{name}", ctx.region, ctx.account)),
        image_id: lc.image_id().unwrap_or_default().to_string(),
        instance_type: lc.instance_type().unwrap_or_default().to_string(),
        metadata_http_tokens: meta.and_then(|m| m.http_tokens()).map(|t| t.as_str().to_string()),
        metadata_http_endpoint: meta.and_then(|m| m.http_endpoint()).map(|e| e.as_str().to_string()),
        metadata_http_put_response_hop_limit: meta.and_then(|m| m.http_put_response_hop_limit()),
        associate_public_ip_address: lc.associate_public_ip_address(),
        name,
    }
}
