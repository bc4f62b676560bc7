//! CloudFront distributions are not protected by AWS WAF.
//!
//! Security Hub CloudFront.6 (FSBP): fails when no AWS WAF (classic or v2) web ACL is associated.
//! One result per distribution.
//!
//! AWS: "The control fails if the distribution is not associated with a web ACL" (Security Hub
//! CloudFront.6; WAF classic or WAFv2 alike).

use super::each_distribution;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudfront_waf",
        title: "CloudFront distributions are not protected by AWS WAF",
        description: "Without a web ACL, requests reach the origin unfiltered: common exploits, bad bots and request floods are not stopped at the edge.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "cloudfront",
        resource_type: ResourceType::AwsCloudFrontDistribution,
        standards: &[StandardRef::fsbp("CloudFront.6")],
        remediation: Remediation {
            console: "CloudFront console > the distribution > Security > Edit: enable AWS WAF protections, or associate an existing web ACL (us-east-1, scope CLOUDFRONT).",
            cli: "aws wafv2 associate-web-acl is not used for CloudFront: aws cloudfront get-distribution-config --id <id> > d.json; set WebACLId to the web ACL ARN; aws cloudfront update-distribution --id <id> --if-match <etag> --distribution-config file://d.json",
            url: "https://docs.aws.amazon.com/waf/latest/developerguide/cloudfront-features.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_distribution(ctx, out, |_, d, res, out| match d.web_acl_id.as_deref() {
        Some(w) if !w.is_empty() => out.pass(res, format!("web ACL `{w}` is associated")),
        _ => out.fail(res, "no AWS WAF web ACL is associated"),
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::{one_with, results_with};
    use super::*;
    #[allow(unused_imports)]
    use rampart_inventory::{Distribution, Origin};
    use rampart_model::Status;

    fn one(edit: impl FnOnce(&mut Distribution)) -> Status {
        one_with(&CHECK, edit)
    }

    #[allow(dead_code)]
    fn results(edit: impl FnOnce(&mut Distribution)) -> Vec<rampart_model::CheckResult> {
        results_with(&CHECK, edit)
    }

    #[test]
    fn pass_fail_not_available() {
        assert_eq!(one(|d| d.web_acl_id = Some("arn:aws:wafv2:us-east-1:123456789012:global/webacl/w/1".into())), Status::Passed);
        assert_eq!(one(|_| {}), Status::Failed);
        super::super::tests::unknown_is_not_available(&CHECK);
    }
}
