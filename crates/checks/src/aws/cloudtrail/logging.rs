//! CloudTrail records every region: a logging trail covers each region, and at least one
//! logging multi-region trail records all (read and write) management events.
//!
//! Trusted Advisor "AWS CloudTrail Logging" (red: no trail for a region, or logging off for
//! every trail), Security Hub CloudTrail.1, CIS AWS Foundations v3.0.0 3.1. One result per
//! region, and one per account for the multi-region trail.
//!
//! AWS: "Checks if there is at least one multi-region AWS CloudTrail. The rule is NON_COMPLIANT
//! if the trails do not match input parameters. The rule is NON_COMPLIANT if the
//! ExcludeManagementEventSources field is not empty or if AWS CloudTrail is configured to
//! exclude management events such as AWS KMS events or Amazon RDS Data API events." (AWS Config
//! `multi-region-cloudtrail-enabled`, the rule behind CloudTrail.1, with `readWriteType` ALL,
//! <https://docs.aws.amazon.com/config/latest/developerguide/multi-region-cloudtrail-enabled.html>).
//! Several trails do not add up: one trail must be multi-region, logging and record read and
//! write management events (a multi-region write-only trail next to a single-region trail that
//! records all fails). Several selectors of that one trail do add up (see
//! [`records_all_management_events`]); they used to have to be a single `All` selector.

use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::{Observed, Trail};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};
use serde_json::Value;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudtrail_logging",
        title: "CloudTrail is not logging in every region with a multi-region trail",
        description: "Without a logging trail in a region, API activity there (including an attacker's) leaves no record; a multi-region trail that records all management events also covers regions enabled later.",
        severity: Severity::High,
        category: Category::Security,
        service: "cloudtrail",
        resource_type: ResourceType::AwsAccount,
        standards: &[
            StandardRef::ta("AWS CloudTrail Logging"),
            StandardRef::fsbp("CloudTrail.1"),
            StandardRef::cis("3.1"),
        ],
        remediation: Remediation {
            console: "CloudTrail console > Trails > Create trail (it applies to all regions by default) with management events Read and Write; for a stopped trail open it and choose Start logging.",
            cli: "aws cloudtrail create-trail --name <name> --s3-bucket-name <bucket> --is-multi-region-trail --enable-log-file-validation && aws cloudtrail start-logging --name <name>",
            url: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-a-trail.html",
        },
    },
    run,
};

/// Whether the selectors record all read and write management events; `None` if unreadable.
///
/// The selectors of one trail add up: a `ReadOnly` and a `WriteOnly` basic selector (or two
/// advanced selectors on `eventCategory` = `Management` with `readOnly` `true` and `false`)
/// together record every management event. A selector that excludes event sources or filters on
/// any other field records only part of them and counts for nothing.
pub fn records_all_management_events(selectors: &str) -> Option<bool> {
    let v: Value = serde_json::from_str(selectors).ok()?;
    let basic = v["EventSelectors"].as_array().cloned().unwrap_or_default();
    let advanced = v["AdvancedEventSelectors"].as_array().cloned().unwrap_or_default();
    let (mut read, mut write) = (false, false);
    for s in &basic {
        if s["IncludeManagementEvents"] == Value::Bool(false) || !s["ExcludeManagementEventSources"].as_array().is_none_or(|a| a.is_empty())
        {
            continue;
        }
        match s["ReadWriteType"].as_str() {
            Some("All") => (read, write) = (true, true),
            Some("ReadOnly") => read = true,
            Some("WriteOnly") => write = true,
            _ => {}
        }
    }
    for s in &advanced {
        let fields = s["FieldSelectors"].as_array().cloned().unwrap_or_default();
        let equals = |f: &Value| f["Equals"].as_array().cloned().unwrap_or_default();
        let management = fields.iter().any(|f| f["Field"] == "eventCategory" && equals(f).iter().any(|x| x == "Management"));
        let only_plain_fields = fields.iter().all(|f| {
            // Only `Equals` conditions; anything else (NotEquals, StartsWith ...) narrows.
            let plain = f.as_object().is_some_and(|o| {
                o.iter().all(|(k, v)| k == "Field" || k == "Equals" || v.is_null() || v.as_array().is_some_and(|a| a.is_empty()))
            });
            plain && (f["Field"] == "eventCategory" || f["Field"] == "readOnly")
        });
        if !management || !only_plain_fields {
            continue;
        }
        match fields.iter().find(|f| f["Field"] == "readOnly") {
            None => (read, write) = (true, true),
            Some(f) => {
                let vals = equals(f);
                read |= vals.iter().any(|x| x == "true");
                write |= vals.iter().any(|x| x == "false");
            }
        }
    }
    Some(read && write)
}

fn run(ctx: &Ctx, out: &mut Emit) {
    for account in &ctx.inventory.accounts {
        let mut all: Vec<&Trail> = Vec::new();
        let mut unreadable = Vec::new();
        for region in &account.regions {
            let res = resource(
                account,
                &region.name,
                ResourceType::AwsAccount,
                account.arn("cloudtrail", &region.name, "region"),
                &format!("{} {}", account.id, region.name),
            );
            let trails = match &region.cloudtrail {
                Observed::Known(t) => t,
                Observed::Unknown(why) => {
                    unreadable.push(region.name.clone());
                    out.not_available(res, format!("CloudTrail could not be read in {}: {why}", region.name));
                    continue;
                }
            };
            all.extend(trails.iter());
            if trails.is_empty() {
                out.fail(res, format!("no trail covers {}", region.name));
            } else if trails.iter().any(|t| t.is_logging == Observed::Known(true)) {
                out.pass(res, format!("a logging trail covers {}", region.name));
            } else if trails.iter().any(|t| matches!(t.is_logging, Observed::Unknown(_))) {
                out.not_available(res, format!("the status of the trails covering {} could not be read", region.name));
            } else {
                out.fail(res, format!("logging is stopped on every trail covering {}", region.name));
            }
        }
        if account.regions.is_empty() {
            continue;
        }
        let res = resource(
            account,
            &account.home_region,
            ResourceType::AwsAccount,
            format!("arn:{}:cloudtrail::{}:multi-region-trail", account.partition, account.id),
            &account.id,
        );
        // A multi-region trail appears in every region (shadow copies); judge it on the copy
        // whose status and selectors could be read, usually its home region's.
        let mut by_arn: std::collections::BTreeMap<&str, Vec<&Trail>> = Default::default();
        for t in all.iter().filter(|t| t.is_multi_region_trail) {
            by_arn.entry(t.arn.as_str()).or_default().push(t);
        }
        let merged: Vec<(Observed<bool>, Observed<String>)> = by_arn
            .values()
            .map(|copies| {
                let logging = copies.iter().map(|t| &t.is_logging).find(|o| o.known().is_some()).unwrap_or(&copies[0].is_logging).clone();
                let selectors =
                    copies.iter().map(|t| &t.event_selectors).find(|o| o.known().is_some()).unwrap_or(&copies[0].event_selectors).clone();
                (logging, selectors)
            })
            .collect();
        let good = merged.iter().any(|(logging, selectors)| {
            *logging == Observed::Known(true) && matches!(selectors, Observed::Known(s) if records_all_management_events(s) == Some(true))
        });
        let undecided =
            merged.iter().any(|(logging, selectors)| matches!(logging, Observed::Unknown(_)) || matches!(selectors, Observed::Unknown(_)));
        if good {
            out.pass(res, "a logging multi-region trail records all management events");
        } else if undecided || !unreadable.is_empty() {
            out.not_available(res, "the multi-region trails' status or event selectors could not be read everywhere");
        } else if merged.is_empty() {
            out.fail(res, "no multi-region trail");
        } else {
            out.fail(res, "no multi-region trail both logs and records all read and write management events");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::trail;
    use super::*;
    use crate::testkit::*;
    use rampart_model::Status;

    #[test]
    fn pass() {
        let mut inv = inventory();
        region(&mut inv).cloudtrail = Observed::Known(vec![trail("main", "us-east-1")]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Passed]);
    }

    #[test]
    fn fail() {
        let mut inv = inventory();
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Failed, Status::Failed]);
        let mut t = trail("main", "us-east-1");
        t.is_logging = Observed::Known(false);
        region(&mut inv).cloudtrail = Observed::Known(vec![t]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Failed, Status::Failed]);
        // Logging, but a single-region trail; or write-only management events.
        let mut t = trail("main", "us-east-1");
        t.is_multi_region_trail = false;
        region(&mut inv).cloudtrail = Observed::Known(vec![t]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        let mut t = trail("main", "us-east-1");
        t.event_selectors = Observed::Known(
            r#"{"EventSelectors":[{"ReadWriteType":"WriteOnly","IncludeManagementEvents":true}],"AdvancedEventSelectors":[]}"#.into(),
        );
        region(&mut inv).cloudtrail = Observed::Known(vec![t]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
    }

    #[test]
    fn advanced_selectors() {
        let all =
            r#"{"EventSelectors":[],"AdvancedEventSelectors":[{"FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]}]}"#;
        let read_only = r#"{"EventSelectors":[],"AdvancedEventSelectors":[{"FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]},{"Field":"readOnly","Equals":["true"]}]}]}"#;
        assert_eq!(records_all_management_events(all), Some(true));
        assert_eq!(records_all_management_events(read_only), Some(false));
        assert_eq!(records_all_management_events("nope"), None);
    }

    /// Several selectors of one trail add up; several trails do not.
    #[test]
    fn several_trails_and_selectors() {
        let split = r#"{"EventSelectors":[{"ReadWriteType":"ReadOnly","IncludeManagementEvents":true},{"ReadWriteType":"WriteOnly","IncludeManagementEvents":true}]}"#;
        assert_eq!(records_all_management_events(split), Some(true), "used to be Some(false)");
        let adv_split = r#"{"AdvancedEventSelectors":[{"FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]},{"Field":"readOnly","Equals":["true"]}]},{"FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]},{"Field":"readOnly","Equals":["false"]}]}]}"#;
        assert_eq!(records_all_management_events(adv_split), Some(true));
        let no_kms = r#"{"EventSelectors":[{"ReadWriteType":"All","IncludeManagementEvents":true,"ExcludeManagementEventSources":["kms.amazonaws.com"]}]}"#;
        assert_eq!(records_all_management_events(no_kms), Some(false));
        let adv_no_kms = r#"{"AdvancedEventSelectors":[{"FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]},{"Field":"eventSource","NotEquals":["kms.amazonaws.com"]}]}]}"#;
        assert_eq!(records_all_management_events(adv_no_kms), Some(false));
        let adv_not_equals = r#"{"AdvancedEventSelectors":[{"FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]},{"Field":"readOnly","NotEquals":["true"]}]},{"FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]},{"Field":"readOnly","Equals":["true"]}]}]}"#;
        assert_eq!(records_all_management_events(adv_not_equals), Some(false), "only Equals is understood");
        let read_only_twice = r#"{"EventSelectors":[{"ReadWriteType":"ReadOnly"},{"ReadWriteType":"ReadOnly"}]}"#;
        assert_eq!(records_all_management_events(read_only_twice), Some(false));

        // A multi-region write-only trail and a single-region all-events trail: no one trail
        // qualifies.
        let mut inv = inventory();
        let mut multi = trail("multi", "us-east-1");
        multi.event_selectors =
            Observed::Known(r#"{"EventSelectors":[{"ReadWriteType":"WriteOnly","IncludeManagementEvents":true}]}"#.into());
        let mut single_region = trail("local", "us-east-1");
        single_region.is_multi_region_trail = false;
        region(&mut inv).cloudtrail = Observed::Known(vec![multi.clone(), single_region]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        multi.event_selectors = Observed::Known(split.into());
        region(&mut inv).cloudtrail = Observed::Known(vec![multi]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Passed]);
    }

    #[test]
    fn not_available() {
        let mut inv = inventory();
        let mut t = trail("main", "us-east-1");
        t.is_logging = Observed::Unknown("cloudtrail:GetTrailStatus access denied".into());
        region(&mut inv).cloudtrail = Observed::Known(vec![t]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::NotAvailable, Status::NotAvailable]);
        region(&mut inv).cloudtrail = Observed::Unknown("denied".into());
        assert_eq!(statuses(&CHECK, &inv), vec![Status::NotAvailable, Status::NotAvailable]);
    }
}
