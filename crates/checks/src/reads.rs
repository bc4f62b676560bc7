//! What checks read beyond their own resource: the declaration change-triggered checks use
//! to re-run every check that reads a changed piece of the inventory, not only the checks
//! of the changed resource's type (an instance's exposure reads its security groups; a
//! trail's checks read its bucket).
//!
//! A check reads an [`Input`] when its resource type is the input's, or when it is named
//! in the input's list below. The lists are kept true by a differential test
//! (`rampart_app::changes`' tests): every piece of one input in the demo estate is changed
//! (opened to the world, emptied, removed) and every check whose results change must read
//! that input here.

use crate::{Check, REGISTRY};
use rampart_model::ResourceType;

/// A piece of the inventory a change can touch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Input {
    /// EC2 security groups (their rules, tags, existence).
    SecurityGroups,
    /// S3 buckets (their policy, ACL, public access block, settings, existence).
    Buckets,
}

impl Input {
    /// The resource type of the input's own checks.
    pub fn resource_type(self) -> ResourceType {
        match self {
            Input::SecurityGroups => ResourceType::AwsEc2SecurityGroup,
            Input::Buckets => ResourceType::AwsS3Bucket,
        }
    }

    /// The checks of other resource types that read this input.
    pub fn other_readers(self) -> &'static [&'static str] {
        match self {
            Input::SecurityGroups => SECURITY_GROUP_READERS,
            Input::Buckets => BUCKET_READERS,
        }
    }
}

/// Checks of other resource types whose verdicts depend on security groups: the resources
/// that use groups (instances, load balancers, databases) and the estate-wide ones.
const SECURITY_GROUP_READERS: &[&str] = &[
    "ec2_instance_large_number_of_sg_rules",
    "elb_security_groups",
    "inspector_network_reachability",
    "rds_security_group_access_risk",
    "servicequotas_usage",
];

/// Checks of other resource types whose verdicts depend on S3 buckets.
const BUCKET_READERS: &[&str] =
    &["cloudfront_s3_origin_exists", "cloudtrail_bucket_access_logging", "cloudtrail_bucket_public", "route53_dangling_ip"];

/// Whether `check` reads `input`.
pub fn reads(check: &Check, input: Input) -> bool {
    check.meta.resource_type == input.resource_type() || input.other_readers().contains(&check.meta.id)
}

/// Every check that reads `input`, in registry order.
pub fn readers(input: Input) -> Vec<&'static Check> {
    REGISTRY.iter().copied().filter(|c| reads(c, input)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_reader_is_a_registered_check_of_another_type() {
        for input in [Input::SecurityGroups, Input::Buckets] {
            for id in input.other_readers() {
                let c = REGISTRY.iter().find(|c| c.meta.id == *id).unwrap_or_else(|| panic!("{id} is not a registered check"));
                assert_ne!(c.meta.resource_type, input.resource_type(), "{id} reads {input:?} by its type already");
            }
        }
    }
}
