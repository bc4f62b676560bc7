//! CloudTrail checks and what they share.
//!
//! Each region's list holds the trails that apply to it: its own, and multi-region or
//! organization trails homed elsewhere ("shadow" trails). A trail is judged once, in its home
//! region.

pub mod bucket_public;
pub mod cloudwatch_logs;
pub mod kms_encryption;
pub mod log_file_validation;
pub mod logging;
mod s3_data_events;
pub mod s3_object_write_events;
pub mod s3_object_read_events;
pub mod bucket_access_logging;
pub mod insights_enabled;

use crate::{resource, Ctx, Emit};
use rampart_inventory::{Account, Observed, Region, Trail};
use rampart_model::{Resource, ResourceType};

pub(crate) fn trail_resource(account: &Account, region: &Region, t: &Trail) -> Resource {
    let arn = if t.arn.is_empty() { account.arn("cloudtrail", &region.name, &format!("trail/{}", t.name)) } else { t.arn.clone() };
    resource(account, &region.name, ResourceType::AwsCloudTrailTrail, arn, &t.name)
}

/// The trail's home region; from its ARN when the API left it out.
pub(crate) fn home_region(t: &Trail) -> &str {
    if t.home_region.is_empty() {
        t.arn.split(':').nth(3).unwrap_or_default()
    } else {
        &t.home_region
    }
}

/// The account's multi-region trails, once per ARN (a multi-region trail is listed in every
/// region), each with the event selectors of the first copy that could be read; and why the
/// trails of some regions could not be listed.
pub(crate) fn logging_trails(account: &Account) -> (Vec<(&str, Observed<String>)>, Vec<String>) {
    let mut by_arn: std::collections::BTreeMap<&str, Vec<&Trail>> = Default::default();
    let mut unreadable = Vec::new();
    for region in &account.regions {
        match &region.cloudtrail {
            Observed::Known(trails) => {
                for t in trails.iter().filter(|t| t.is_multi_region_trail) {
                    by_arn.entry(t.arn.as_str()).or_default().push(t);
                }
            }
            Observed::Unknown(why) => unreadable.push(format!("CloudTrail could not be read in {}: {why}", region.name)),
        }
    }
    let merged = by_arn
        .into_iter()
        .map(|(arn, copies)| (arn, copies.iter().map(|t| &t.event_selectors).find(|o| o.known().is_some()).unwrap_or(&copies[0].event_selectors).clone()))
        .collect();
    (merged, unreadable)
}

/// Calls `f` for every trail in its home region, and reports NOT_AVAILABLE for regions whose
/// trails could not be listed.
pub(crate) fn each_home_trail(ctx: &Ctx, out: &mut Emit, mut f: impl FnMut(&Account, &Trail, Resource, &mut Emit)) {
    for (account, region) in ctx.inventory.regions() {
        match &region.cloudtrail {
            Observed::Known(trails) => {
                for t in trails.iter().filter(|t| home_region(t) == region.name) {
                    f(account, t, trail_resource(account, region, t), out);
                }
            }
            Observed::Unknown(why) => {
                let res = resource(account, &region.name, ResourceType::AwsCloudTrailTrail, account.arn("cloudtrail", &region.name, "trail/*"), "all trails");
                out.not_available(res, format!("CloudTrail could not be read in {}: {why}", region.name));
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use rampart_inventory::{Observed, Trail};

    pub const ALL_MANAGEMENT: &str = r#"{"EventSelectors":[{"ReadWriteType":"All","IncludeManagementEvents":true,"DataResources":[]}],"AdvancedEventSelectors":[]}"#;

    pub fn trail(name: &str, home: &str) -> Trail {
        Trail {
            name: name.into(),
            arn: format!("arn:aws:cloudtrail:{home}:123456789012:trail/{name}"),
            home_region: home.into(),
            is_multi_region_trail: true,
            log_file_validation_enabled: true,
            s3_bucket_name: Some("trail-logs".into()),
            is_logging: Observed::Known(true),
            event_selectors: Observed::Known(ALL_MANAGEMENT.into()),
            ..Default::default()
        }
    }
}
