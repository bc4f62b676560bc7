//! Amazon EC2 Auto Scaling: groups (`DescribeAutoScalingGroups`) and launch configurations
//! (`DescribeLaunchConfigurations`) of a region.
//!
//! Reading a snapshot is strict, as in `aws.rs`: only `Observed` fields and tags may be missing.

use crate::{Observed, Tags};
use serde::{Deserialize, Serialize};

/// A region's Auto Scaling groups and launch configurations.
///
/// The groups are the service's listing (when it fails the whole `Region::autoscaling` is
/// `Unknown`); launch configurations come from a call of their own.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AutoScaling {
    pub groups: Vec<AutoScalingGroup>,
    #[serde(default)]
    pub launch_configurations: Observed<Vec<LaunchConfiguration>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AutoScalingGroup {
    /// `AutoScalingGroupName`.
    pub name: String,
    /// `AutoScalingGroupARN`.
    pub arn: String,
    pub availability_zones: Vec<String>,
    /// `VPCZoneIdentifier`, split at its commas; empty for a group outside a VPC.
    pub subnet_ids: Vec<String>,
    /// Classic Load Balancers (`LoadBalancerNames`).
    pub load_balancer_names: Vec<String>,
    /// Target groups of Application, Network and Gateway Load Balancers (`TargetGroupARNs`).
    pub target_group_arns: Vec<String>,
    /// `HealthCheckType`: `EC2` (the default), `ELB`, or a comma-separated list such as `EBS,ELB`.
    pub health_check_type: String,
    /// `LaunchConfigurationName`, when the group launches from a launch configuration.
    pub launch_configuration_name: Option<String>,
    /// `LaunchTemplate`, when the group launches from a launch template.
    pub launch_template: Option<LaunchTemplateRef>,
    /// `MixedInstancesPolicy`, when the group launches several instance types or purchase options.
    pub mixed_instances_policy: Option<MixedInstancesPolicy>,
    #[serde(default)]
    pub tags: Tags,
    /// `CapacityRebalance`: whether the group replaces Spot Instances at risk of interruption.
    #[serde(default)]
    pub capacity_rebalance: Observed<bool>,
}

/// A launch template as a group names it (`LaunchTemplateSpecification`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LaunchTemplateRef {
    pub id: Option<String>,
    pub name: Option<String>,
    /// `$Default`, `$Latest` or a version number; `None` = the default version.
    pub version: Option<String>,
}

/// The parts of a `MixedInstancesPolicy` the checks read.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MixedInstancesPolicy {
    /// `LaunchTemplate.LaunchTemplateSpecification`.
    pub launch_template: Option<LaunchTemplateRef>,
    /// `LaunchTemplate.Overrides`, in order.
    pub overrides: Vec<InstanceOverride>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct InstanceOverride {
    /// `InstanceType`; `None` for an attribute-based override.
    pub instance_type: Option<String>,
    /// Whether the override selects instance types by attributes (`InstanceRequirements`).
    pub attribute_based: bool,
}

impl AutoScalingGroup {
    /// The distinct instance types the group's mixed instances policy names (none without one).
    pub fn override_instance_types(&self) -> Vec<&str> {
        let mut types: Vec<&str> = self
            .mixed_instances_policy
            .iter()
            .flat_map(|p| p.overrides.iter().filter_map(|o| o.instance_type.as_deref()))
            .collect();
        types.sort_unstable();
        types.dedup();
        types
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LaunchConfiguration {
    /// `LaunchConfigurationName`.
    pub name: String,
    /// `LaunchConfigurationARN`.
    pub arn: String,
    pub image_id: String,
    pub instance_type: String,
    /// `MetadataOptions.HttpTokens` (`required`, `optional`); `None` = not specified.
    pub metadata_http_tokens: Option<String>,
    /// `MetadataOptions.HttpEndpoint` (`enabled`, `disabled`); `None` = not specified.
    pub metadata_http_endpoint: Option<String>,
    /// `MetadataOptions.HttpPutResponseHopLimit`; `None` = not specified.
    pub metadata_http_put_response_hop_limit: Option<i32>,
    /// `AssociatePublicIpAddress`; `None` = not specified (the subnet decides).
    pub associate_public_ip_address: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshots_older_than_the_field_read_it_as_not_collected() {
        let r: crate::Region = serde_json::from_str(r#"{"name": "us-east-1"}"#).unwrap();
        assert!(r.autoscaling.is_not_collected());
        // Groups listed, launch configurations absent: only they are not collected.
        let a: AutoScaling = serde_json::from_str(r#"{"groups": []}"#).unwrap();
        assert!(a.launch_configurations.is_not_collected());
        // Anything else missing is an error, never "none".
        assert!(serde_json::from_str::<AutoScalingGroup>(r#"{"name": "g"}"#).is_err());
    }

    #[test]
    fn override_instance_types_are_distinct_and_skip_attribute_based_ones() {
        let o = |t: Option<&str>| InstanceOverride { instance_type: t.map(Into::into), attribute_based: t.is_none() };
        let g = AutoScalingGroup {
            mixed_instances_policy: Some(MixedInstancesPolicy { launch_template: None, overrides: vec![o(Some("m5.large")), o(None), o(Some("c5.large")), o(Some("m5.large"))] }),
            ..Default::default()
        };
        assert_eq!(g.override_instance_types(), vec!["c5.large", "m5.large"]);
        assert!(AutoScalingGroup::default().override_instance_types().is_empty());
    }
}
