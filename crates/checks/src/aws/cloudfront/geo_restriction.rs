//! CloudFront distributions do not restrict viewers by country.
//!
//! Prowler's `cloudfront_distributions_geo_restrictions_enabled` (see `crate::prowler`): a distribution passes when its geo restriction type is `allowlist` or `blocklist`, and fails with `none`. One result per distribution.

use super::each_distribution;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudfront_geo_restriction",
        title: "CloudFront distributions do not restrict viewers by country",
        description: "Without a geo restriction a distribution serves every country, including those the business never serves and where attacks come from; an allow list or block list narrows who can reach the content.",
        severity: Severity::Low,
        category: Category::Security,
        service: "cloudfront",
        resource_type: ResourceType::AwsCloudFrontDistribution,
        standards: &[],
        remediation: Remediation {
            console: "CloudFront console > Distributions > the distribution > Security > CloudFront geographic restrictions > Edit: choose an allow list (or a block list) of countries.",
            cli: "aws cloudfront update-distribution --id <id> --distribution-config file://config-with-restrictions.json --if-match <etag>",
            url: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/georestrictions.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_distribution(ctx, out, |_, d, res, out| match &d.geo_restriction_type {
        Observed::Known(t) if t == "none" => out.fail(res, "the distribution has no geo restriction"),
        Observed::Known(t) => out.pass(res, format!("geo restriction: {t}")),
        Observed::Unknown(why) => out.not_available(res, format!("the geo restriction could not be read: {why}")),
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::one_with;
    use super::*;
    use rampart_inventory::Distribution;
    use rampart_model::Status;

    fn one(edit: impl FnOnce(&mut Distribution)) -> Status {
        one_with(&CHECK, edit)
    }

    #[test]
    fn pass_fail_not_available() {
        assert_eq!(one(|d| d.geo_restriction_type = Observed::Known("allowlist".into())), Status::Passed);
        assert_eq!(one(|d| d.geo_restriction_type = Observed::Known("none".into())), Status::Failed);
        assert_eq!(one(|d| d.geo_restriction_type = Observed::Unknown("not collected".into())), Status::NotAvailable);
        super::super::tests::unknown_is_not_available(&CHECK);
    }
}
