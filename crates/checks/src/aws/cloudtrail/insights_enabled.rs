//! Logging CloudTrail trails that do not record Insights events.
//!
//! CloudTrail Insights analyzes the rate of write management API calls (`ApiCallRateInsight`)
//! and of API errors (`ApiErrorRateInsight`) and logs an Insights event when it departs from the
//! account's baseline; it is enabled per trail with `PutInsightSelectors` and read back with
//! `GetInsightSelectors`, which throws `InsightNotEnabledException` for a trail without it
//! (recorded as no Insights types). One result per trail that logs, in its home region; a trail
//! that does not log is judged by `cloudtrail_logging`.

use super::each_home_trail;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudtrail_insights_enabled",
        title: "CloudTrail trails do not record Insights events",
        description: "Insights events flag unusual bursts of API calls or errors (a script enumerating resources, a compromised key deleting things) against the account's own baseline, which plain trails leave for someone to notice.",
        severity: Severity::Low,
        category: Category::Security,
        service: "cloudtrail",
        resource_type: ResourceType::AwsCloudTrailTrail,
        standards: &[],
        remediation: Remediation {
            console: "CloudTrail console > Trails > the trail > Insights events > Edit: select API call rate and API error rate, and save.",
            cli: "aws cloudtrail put-insight-selectors --trail-name <trail> --insight-selectors '[{\"InsightType\":\"ApiCallRateInsight\"},{\"InsightType\":\"ApiErrorRateInsight\"}]'",
            url: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-insights-events-with-cloudtrail.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_home_trail(ctx, out, |_, t, res, out| {
        match &t.is_logging {
            Observed::Known(true) => {}
            Observed::Known(false) => return,
            Observed::Unknown(why) => return out.not_available(res, format!("whether the trail logs could not be read: {why}")),
        }
        match &t.insight_selectors {
            Observed::Known(types) if types.is_empty() => out.fail(res, "the trail records no Insights events"),
            Observed::Known(types) => out.pass(res, format!("the trail records Insights events: {}", types.join(", "))),
            Observed::Unknown(why) => out.not_available(res, format!("the trail's Insights selectors could not be read: {why}")),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::trail;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::Trail;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        let with = |types: &[&str]| Observed::Known(types.iter().map(|t| t.to_string()).collect());
        region(&mut inv).cloudtrail = Observed::Known(vec![
            Trail { insight_selectors: with(&["ApiCallRateInsight"]), ..trail("good", "us-east-1") },
            Trail { insight_selectors: with(&[]), ..trail("bad", "us-east-1") },
            Trail {
                insight_selectors: Observed::Unknown("cloudtrail:GetInsightSelectors access denied".into()),
                ..trail("unread", "us-east-1")
            },
            Trail { insight_selectors: with(&[]), is_logging: Observed::Unknown("denied".into()), ..trail("status-unread", "us-east-1") },
            // not judged: not logging, or homed elsewhere
            Trail { insight_selectors: with(&[]), is_logging: Observed::Known(false), ..trail("stopped", "us-east-1") },
            Trail { insight_selectors: with(&[]), ..trail("shadow", "eu-west-1") },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::NotAvailable, Status::NotAvailable]);
        region(&mut inv).cloudtrail = Observed::Unknown("cloudtrail:DescribeTrails access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
