//! CloudFront distributions use the default CloudFront certificate.
//!
//! Security Hub CloudFront.7 (FSBP): fails when the distribution uses the default CloudFront
//! certificate rather than an ACM or IAM one.
//! One result per distribution.
//!
//! AWS: "This control passes if the CloudFront distribution uses a custom SSL/TLS certificate. This
//! control fails if the CloudFront distribution uses the default SSL/TLS certificate" (Security Hub
//! CloudFront.7).

use super::{each_distribution, custom_certificate};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudfront_custom_certificate",
        title: "CloudFront distributions use the default CloudFront certificate",
        description: "The default *.cloudfront.net certificate ties viewers to the CloudFront domain name; a custom certificate for your own domain lets you control the TLS policy and the name users trust.",
        severity: Severity::Low,
        category: Category::Security,
        service: "cloudfront",
        resource_type: ResourceType::AwsCloudFrontDistribution,
        standards: &[StandardRef::fsbp("CloudFront.7")],
        remediation: Remediation {
            console: "CloudFront console > the distribution > General > Settings > Edit: add your alternate domain names and choose a custom SSL certificate from ACM (us-east-1).",
            cli: "aws cloudfront get-distribution-config --id <id> > d.json; set ViewerCertificate {ACMCertificateArn:<arn>,SSLSupportMethod:sni-only,MinimumProtocolVersion:TLSv1.2_2021} and Aliases; aws cloudfront update-distribution --id <id> --if-match <etag> --distribution-config file://d.json",
            url: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-alternate-domain-names.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_distribution(ctx, out, |_, d, res, out| {
        // A named certificate decides: AWS never lists one next to the default flag (emulators
        // do, and CloudFront serves the named certificate for the alternate domain names).
        if let Some(c) = custom_certificate(d) {
            out.pass(res, format!("the distribution uses the custom certificate `{c}`"));
        } else if d.cloudfront_default_certificate {
            out.fail(res, "the distribution uses the default CloudFront certificate");
        } else {
            out.not_available(res, "the distribution's viewer certificate could not be told");
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
        assert_eq!(one(|d| d.acm_certificate_arn = Some("arn:aws:acm:us-east-1:123456789012:certificate/c".into())), Status::Passed);
        assert_eq!(one(|d| d.cloudfront_default_certificate = true), Status::Failed);
        assert_eq!(one(|_| {}), Status::NotAvailable);
        // A named certificate next to the default flag (never on AWS; moto does it): custom.
        assert_eq!(one(|d| { d.cloudfront_default_certificate = true; d.iam_certificate_id = Some("ASCA1".into()) }), Status::Passed);
        super::super::tests::unknown_is_not_available(&CHECK);
    }
}
