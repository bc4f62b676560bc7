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

/// Whether `name` is a known region, or at least shaped like one (`xx-name-N`), so that a
/// region newer than this build still works.
pub fn is_known(name: &str) -> bool {
    if KNOWN.contains(&name) {
        return true;
    }
    let parts: Vec<&str> = name.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].chars().all(|c| c.is_ascii_lowercase())
        && parts[1..parts.len() - 1].iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        && parts[parts.len() - 1].chars().all(|c| c.is_ascii_digit())
        && parts[1..parts.len() - 1].iter().any(|p| ["east", "west", "north", "south", "central", "northeast", "southeast", "northwest", "southwest", "gov", "iso", "isob"].contains(p))
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
    fn known_and_shaped() {
        assert!(is_known("us-east-1"));
        assert!(is_known("eu-west-1"));
        assert!(is_known("ap-southeast-9"));
        assert!(!is_known("us-east"));
        assert!(!is_known("mars-1"));
        assert!(!is_known("us-easst-1"));
        assert!(!is_known("US-EAST-1"));
        assert!(!is_known(""));
    }
}
