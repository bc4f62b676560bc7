//! CloudFront distributions whose custom certificate, from the IAM certificate store, is
//! expired or about to expire.
//!
//! Trusted Advisor "CloudFront Custom SSL Certificates in the IAM Certificate Store": red when
//! expired; Trusted Advisor turns yellow 7 days before expiry, Rampart 30 days before (the
//! issue's threshold: time to renew; `thresholds.certificate_expiry_warning_days`). SHA-1 signatures and names missing from the certificate
//! are `cloudfront_iam_certificate_strength`'s part. The expiry is the certificate body's notAfter
//! (`GetServerCertificate`), else the listed expiration. One result per distribution.

use super::each_distribution;
use crate::aws::{days_since, parse_time};
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudfront_iam_certificate_expiry",
        title: "CloudFront IAM server certificate is expired or expires within 30 days",
        description: "When the custom certificate of a distribution expires, browsers refuse or warn on every HTTPS request to its alternate domain names. The warning period is `thresholds.certificate_expiry_warning_days` (default 30).",
        severity: Severity::High,
        category: Category::Security,
        service: "cloudfront",
        resource_type: ResourceType::AwsCloudFrontDistribution,
        standards: &[StandardRef::ta("CloudFront Custom SSL Certificates in the IAM Certificate Store")],
        remediation: Remediation {
            console: "Request or import a certificate in ACM (us-east-1), then CloudFront console > the distribution > General > Edit > Custom SSL certificate: choose it. ACM certificates renew automatically.",
            cli: "aws cloudfront get-distribution-config --id <id> > d.json; set ViewerCertificate.ACMCertificateArn; aws cloudfront update-distribution --id <id> --if-match <etag> --distribution-config file://d.json",
            url: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cnames-and-https-procedures.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    let warn = i64::from(ctx.thresholds.certificate_expiry_warning_days);
    each_distribution(ctx, out, |account, d, res, out| {
        let Some(cert_id) = &d.iam_certificate_id else {
            return out.pass(res, "the distribution does not use an IAM server certificate");
        };
        let certs = match &account.iam_server_certificates {
            Observed::Known(c) => c,
            Observed::Unknown(why) => return out.not_available(res, format!("IAM server certificates could not be read: {why}")),
        };
        let Some(cert) = certs.iter().find(|c| &c.id == cert_id) else {
            return out.not_available(res, format!("IAM server certificate `{cert_id}` is not in the certificate store"));
        };
        let Some(expiry) = cert.expires().and_then(parse_time) else {
            return out.not_available(res, format!("certificate `{}` has no readable expiration", cert.name));
        };
        let left = -days_since(expiry, ctx.now);
        if expiry <= ctx.now {
            out.fail(res, format!("certificate `{}` expired {} days ago", cert.name, -left));
        } else if left < warn {
            out.fail_with(res, Severity::Medium, format!("certificate `{}` expires in {left} days, within the {warn}-day warning period", cert.name));
        } else {
            out.pass(res, format!("certificate `{}` is valid for {left} more days, beyond the {warn}-day warning period", cert.name));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Distribution, ServerCertificate};
    use rampart_model::Status;

    fn with(expiration: &str) -> rampart_inventory::Inventory {
        let mut inv = inventory();
        account(&mut inv).cloudfront = Observed::Known(vec![
            Distribution { id: "E1".into(), iam_certificate_id: Some("ASCA1".into()), ..Default::default() },
            Distribution { id: "E2".into(), acm_certificate_arn: Some("arn:aws:acm:us-east-1:123456789012:certificate/x".into()), ..Default::default() },
        ]);
        account(&mut inv).iam_server_certificates = Observed::Known(vec![ServerCertificate { name: "www".into(), id: "ASCA1".into(), expiration: Some(expiration.into()), ..Default::default() }]);
        inv
    }

    #[test]
    fn pass_and_fail() {
        assert_eq!(statuses(&CHECK, &with("2027-06-01T00:00:00Z")), vec![Status::Passed, Status::Passed]);
        let r = run_check(&CHECK, &with("2026-12-10T00:00:00Z"));
        assert_eq!((r[0].status, r[0].severity), (Status::Failed, Some(Severity::Medium)));
        let r = run_check(&CHECK, &with("2026-11-01T00:00:00Z"));
        assert_eq!((r[0].status, r[0].severity), (Status::Failed, None));
    }

    /// The body's notAfter wins over a listed expiration that disagrees with it.
    #[test]
    fn the_certificate_body_decides_the_expiry() {
        let mut inv = with("2012-05-08T01:02:03Z");
        account(&mut inv).iam_server_certificates.known_mut().unwrap()[0].not_after = Some("2030-01-01T00:00:00Z".into());
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Passed]);
        account(&mut inv).iam_server_certificates.known_mut().unwrap()[0].not_after = Some("2026-11-20T00:00:00Z".into());
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Failed, Status::Passed]);
    }

    #[test]
    fn configured_warning_period_changes_the_verdict() {
        // Expires in 12 days: a warning by default, fine with a 7-day period (Trusted Advisor's).
        let inv = with("2026-12-10T00:00:00Z");
        let r = run_check_with(&CHECK, &inv, &crate::Thresholds { certificate_expiry_warning_days: 7, ..Default::default() });
        assert_eq!(r[0].status, Status::Passed);
        assert!(r[0].reason.contains("7-day warning period"), "{}", r[0].reason);
        assert!(run_check(&CHECK, &inv)[0].reason.contains("30-day warning period"));
    }

    #[test]
    fn not_available() {
        let mut inv = with("2027-06-01T00:00:00Z");
        account(&mut inv).iam_server_certificates = Observed::Unknown("iam:ListServerCertificates access denied".into());
        assert_eq!(statuses(&CHECK, &inv), vec![Status::NotAvailable, Status::Passed]);
        account(&mut inv).iam_server_certificates = Observed::Known(vec![]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::NotAvailable, Status::Passed]);
        account(&mut inv).cloudfront = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
