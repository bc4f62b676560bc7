//! CloudFront distributions without origin failover.
//!
//! Security Hub CloudFront.4:
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/cloudfront-controls.html#cloudfront-4>.
//! A distribution passes when it has an origin group with two or more origins (a primary and a
//! failover). One result per distribution.
//!
//! AWS: "Checks if an origin group is configured for the distribution of at least two origins in
//! the origin group for Amazon CloudFront. The rule is NON_COMPLIANT if there are no origin groups
//! for the distribution." (AWS Config `cloudfront-origin-failover-enabled`, the rule behind
//! CloudFront.4,
//! <https://docs.aws.amazon.com/config/latest/developerguide/cloudfront-origin-failover-enabled.html>).
//! Several origin groups: one with two origins suffices; several one-origin groups do not add up
//! (test `several_groups`).

use super::each_distribution;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudfront_origin_failover",
        title: "CloudFront distributions do not have origin failover configured",
        description: "With an origin group, CloudFront retries a failed request on a secondary origin; without one, an outage of the single origin is an outage of the site.",
        severity: Severity::Low,
        category: Category::Security,
        service: "cloudfront",
        resource_type: ResourceType::AwsCloudFrontDistribution,
        standards: &[StandardRef::fsbp("CloudFront.4")],
        remediation: Remediation {
            console: "CloudFront console > Distributions > the distribution > Origins: add a second origin, then Create origin group with both origins and failover status codes; use the group in the cache behaviors.",
            cli: "aws cloudfront get-distribution-config --id <id> > cfg.json; add OriginGroups with two members; aws cloudfront update-distribution --id <id> --if-match <etag> --distribution-config file://cfg.json",
            url: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/high_availability_origin_failover.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_distribution(ctx, out, |_, d, res, out| match &d.origin_groups {
        Observed::Known(groups) => match groups.iter().find(|g| g.len() >= 2) {
            Some(g) => out.pass(res, format!("origin group fails over between {}", g.join(", "))),
            None if groups.is_empty() => out.fail(res, "no origin group"),
            None => out.fail(res, "no origin group has two or more origins"),
        },
        Observed::Unknown(why) => out.not_available(res, format!("origin groups not collected: {why}")),
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::*;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let groups = |g: Vec<Vec<&str>>| Observed::Known(g.into_iter().map(|g| g.into_iter().map(String::from).collect()).collect());
        assert_eq!(one_with(&CHECK, |d| d.origin_groups = groups(vec![vec!["primary", "secondary"]])), Status::Passed);
        assert_eq!(one_with(&CHECK, |d| d.origin_groups = groups(vec![])), Status::Failed);
        assert_eq!(one_with(&CHECK, |d| d.origin_groups = groups(vec![vec!["only"]])), Status::Failed);
        assert_eq!(one_with(&CHECK, |d| d.origin_groups = Observed::not_collected()), Status::NotAvailable);
        unknown_is_not_available(&CHECK);
    }

    #[test]
    fn several_groups() {
        let groups = |g: Vec<Vec<&str>>| Observed::Known(g.into_iter().map(|g| g.into_iter().map(String::from).collect()).collect());
        assert_eq!(one_with(&CHECK, |d| d.origin_groups = groups(vec![vec!["only"], vec!["a", "b"]])), Status::Passed);
        assert_eq!(one_with(&CHECK, |d| d.origin_groups = groups(vec![vec!["x"], vec!["y"]])), Status::Failed);
    }
}
