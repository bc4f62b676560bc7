//! CloudFront distributions with custom certificates use dedicated IP addresses instead of SNI.
//!
//! Security Hub CloudFront.8 (FSBP): a distribution with a custom certificate fails when its SSL
//! support method is not `sni-only`. Distributions on the default certificate are not evaluated.
//! One result per distribution with a custom certificate.
//!
//! AWS: "This control fails if a custom SSL/TLS certificate is associated but the SSL/TLS support
//! method is a dedicated IP address" (Security Hub CloudFront.8).

use super::{each_distribution, custom_certificate};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudfront_sni",
        title: "CloudFront distributions with custom certificates use dedicated IP addresses instead of SNI",
        description: "Dedicated-IP (vip) HTTPS exists for clients without SNI support, which no current browser lacks; it costs a monthly fee and keeps the distribution on legacy settings.",
        severity: Severity::Low,
        category: Category::Security,
        service: "cloudfront",
        resource_type: ResourceType::AwsCloudFrontDistribution,
        standards: &[StandardRef::fsbp("CloudFront.8")],
        remediation: Remediation {
            console: "CloudFront console > the distribution > General > Settings > Edit > Legacy clients support: clear it (SNI only).",
            cli: "aws cloudfront get-distribution-config --id <id> > d.json; set ViewerCertificate.SSLSupportMethod to sni-only; aws cloudfront update-distribution --id <id> --if-match <etag> --distribution-config file://d.json",
            url: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cnames-https-dedicated-ip-or-sni.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_distribution(ctx, out, |_, d, res, out| {
        // Only a named (custom) certificate has an SSL support method, whatever the default flag says.
        if custom_certificate(d).is_none() {
            return;
        }
        match d.ssl_support_method.as_deref() {
            Some("sni-only") => out.pass(res, "HTTPS is served with SNI"),
            Some(m) => out.fail(res, format!("the SSL support method is `{m}`, not `sni-only`")),
            None => out.not_available(res, "the distribution's SSL support method was not read"),
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
        let custom = |d: &mut Distribution| d.iam_certificate_id = Some("ASCA1".into());
        assert_eq!(one(|d| { custom(d); d.ssl_support_method = Some("sni-only".into()) }), Status::Passed);
        assert_eq!(one(|d| { custom(d); d.ssl_support_method = Some("vip".into()) }), Status::Failed);
        assert_eq!(one(custom), Status::NotAvailable);
        assert!(results(|d| d.cloudfront_default_certificate = true).is_empty());
        assert_eq!(one(|d| { custom(d); d.cloudfront_default_certificate = true; d.ssl_support_method = Some("vip".into()) }), Status::Failed);
        super::super::tests::unknown_is_not_available(&CHECK);
    }
}
