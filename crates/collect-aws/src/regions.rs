//! Region names: validation of `--regions` and discovery of the enabled ones.

use crate::call::{client, Ctx};

/// Commercial, China and GovCloud regions known to this build.
pub const KNOWN: &[&str] = &[
    "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
    "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1",
    "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1",
    "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1",
    "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2", "cn-north-1",
    "cn-northwest-1", "us-gov-east-1", "us-gov-west-1",
];

/// Whether `name` is a region this build knows.
pub fn is_known(name: &str) -> bool {
    KNOWN.contains(&name)
}

/// Regions enabled by default (no opt-in) in a partition: the fallback when the enabled
/// regions cannot be listed. Regions an account has not enabled then show up as gaps.
pub fn enabled_by_default(partition: &str) -> Vec<String> {
    let list: &[&str] = match partition {
        "aws-cn" => &["cn-north-1", "cn-northwest-1"],
        "aws-us-gov" => &["us-gov-east-1", "us-gov-west-1"],
        _ => &[
            "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1",
            "ap-southeast-2", "ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2",
            "eu-west-3", "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
        ],
    };
    list.iter().map(|s| s.to_string()).collect()
}

/// Regions enabled for the account (`ec2:DescribeRegions` without `AllRegions`); `None` if the
/// call failed (recorded as a gap).
pub(crate) async fn enabled(ctx: &Ctx) -> Option<Vec<String>> {
    let ec2 = client!(ctx, aws_sdk_ec2);
    let out = ctx.call("ec2:DescribeRegions", None, ec2.describe_regions().send()).await.ok()?;
    let mut names: Vec<String> = out.regions().iter().filter_map(|r| r.region_name().map(str::to_string)).collect();
    names.sort();
    Some(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_regions_only() {
        assert!(is_known("us-east-1"));
        assert!(is_known("eu-west-1"));
        assert!(!is_known("us-east-9"));
        assert!(!is_known("ap-southeast-9"));
        assert!(enabled_by_default("aws").iter().all(|r| is_known(r)));
        assert!(!is_known("us-east"));
        assert!(!is_known("mars-1"));
        assert!(!is_known("us-easst-1"));
        assert!(!is_known("US-EAST-1"));
        assert!(!is_known(""));
    }
}
