//! ACM certificates in use whose issuance is kept out of Certificate Transparency logs.
//!
//! Prowler's `acm_certificates_transparency_logs_enabled` (see `crate::prowler`): an
//! Amazon-issued certificate fails when its `CertificateTransparencyLoggingPreference` is
//! `DISABLED`. Without CT logging, browsers that require it reject the certificate, and
//! certificates mis-issued for the domain are harder to notice (domain owners watch the logs).
//! Imported certificates are not ACM's to log and are not judged; neither are certificates not
//! in use (their details are not read, as Prowler by default skips unused resources). A
//! certificate that does not report the option has ACM's default, `ENABLED`. One result per
//! Amazon-issued certificate in use.

use super::each_certificate;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "acm_certificate_transparency_logging",
        title: "ACM certificates in use opt out of Certificate Transparency logging",
        description: "Browsers that require Certificate Transparency reject a certificate missing from the logs, and without them a certificate issued for the domain by mistake or by an attacker is harder to spot.",
        severity: Severity::Low,
        category: Category::Security,
        service: "acm",
        resource_type: ResourceType::AwsCertificateManagerCertificate,
        standards: &[],
        remediation: Remediation {
            console: "ACM console > the certificate: the preference can only be changed with the CLI or API (below); afterwards renewals and new certificates are logged.",
            cli: "aws acm update-certificate-options --certificate-arn <arn> --options CertificateTransparencyLoggingPreference=ENABLED",
            url: "https://docs.aws.amazon.com/acm/latest/userguide/acm-concepts.html#concept-transparency",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_certificate(ctx, out, |c, res, out| {
        if c.kind != "AMAZON_ISSUED" || c.in_use_by.is_empty() {
            return;
        }
        match &c.transparency_logging {
            Observed::Known(Some(p)) if p == "DISABLED" => out.fail(res, "Certificate Transparency logging is disabled"),
            Observed::Known(Some(p)) => out.pass(res, format!("Certificate Transparency logging is {}", p.to_ascii_lowercase())),
            Observed::Known(None) => out.pass(res, "no preference reported: ACM's default, logging enabled"),
            Observed::Unknown(why) => out.not_available(res, format!("the certificate's options could not be read: {why}")),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::cert;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::AcmCertificate;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let used = |id: &str, kind: &str, pref: Observed<Option<String>>| AcmCertificate {
            kind: kind.into(),
            in_use_by: vec!["arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1".into()],
            transparency_logging: pref,
            ..cert(id, None)
        };
        let mut inv = inventory();
        region(&mut inv).acm = Observed::Known(vec![
            used("on", "AMAZON_ISSUED", Observed::Known(Some("ENABLED".into()))),
            used("off", "AMAZON_ISSUED", Observed::Known(Some("DISABLED".into()))),
            used("default", "AMAZON_ISSUED", Observed::Known(None)),
            used("unread", "AMAZON_ISSUED", Observed::Unknown("acm:DescribeCertificate access denied".into())),
            used("imported", "IMPORTED", Observed::Known(Some("DISABLED".into()))),
            AcmCertificate { transparency_logging: Observed::Known(Some("DISABLED".into())), ..cert("unused", None) },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::Passed, Status::NotAvailable]);
        region(&mut inv).acm = Observed::Unknown("acm:ListCertificates access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
