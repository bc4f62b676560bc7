//! CloudFront distributions do not require encryption in transit to viewers.
//!
//! Security Hub CloudFront.3 (FSBP): fails when the default or any other cache behavior has the
//! viewer protocol policy `allow-all`.
//! One result per distribution.
//!
//! AWS ("Security Hub CSPM controls for Amazon CloudFront", CloudFront.3): "The control fails if
//! ViewerProtocolPolicy is set to allow-all for defaultCacheBehavior or for cacheBehaviors."
//! One `allow-all` behavior among `redirect-to-https` ones fails the distribution (test
//! `pass_fail_not_available`).

use super::each_distribution;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudfront_viewer_https",
        title: "CloudFront distributions do not require encryption in transit to viewers",
        description: "A cache behavior with the viewer protocol policy allow-all serves content over plain HTTP, where it can be read and altered on the way.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "cloudfront",
        resource_type: ResourceType::AwsCloudFrontDistribution,
        standards: &[StandardRef::fsbp("CloudFront.3")],
        remediation: Remediation {
            console: "CloudFront console > the distribution > Behaviors > each behavior > Edit > Viewer protocol policy: Redirect HTTP to HTTPS or HTTPS only.",
            cli: "aws cloudfront get-distribution-config --id <id> > d.json; set ViewerProtocolPolicy to redirect-to-https in DefaultCacheBehavior and every CacheBehaviors item; aws cloudfront update-distribution --id <id> --if-match <etag> --distribution-config file://d.json",
            url: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-viewers-to-cloudfront.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_distribution(ctx, out, |_, d, res, out| {
        if d.viewer_protocol_policies.is_empty() {
            return out.not_available(res, "the distribution's cache behaviors were not read");
        }
        if d.viewer_protocol_policies.iter().any(|p| p == "allow-all") {
            out.fail(res, "a cache behavior allows plain HTTP (viewer protocol policy `allow-all`)");
        } else {
            out.pass(res, "every cache behavior redirects HTTP to HTTPS or requires HTTPS");
        }
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
        assert_eq!(one(|d| d.viewer_protocol_policies = vec!["redirect-to-https".into(), "https-only".into()]), Status::Passed);
        assert_eq!(one(|d| d.viewer_protocol_policies = vec!["redirect-to-https".into(), "allow-all".into()]), Status::Failed);
        assert_eq!(one(|_| {}), Status::NotAvailable);
        super::super::tests::unknown_is_not_available(&CHECK);
    }
}
