//! ACM certificates that expire within 30 days (or have expired).
//!
//! Security Hub ACM.1 (its `daysToExpiration` default, 30; Rampart's is
//! `thresholds.certificate_expiry_warning_days`). Issued and expired certificates
//! are evaluated; pending, failed and revoked ones have no validity period to judge. One result
//! per certificate.
//!
//! AWS: "The rule is NON_COMPLIANT if your certificates are about to expire" (Config
//! `acm-certificate-expiration-check`, behind ACM.1, `daysToExpiration` 30): expiring within the
//! window or already expired fails (`pass_fail_not_available`).

use super::each_certificate;
use crate::aws::parse_time;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "acm_certificate_expiry",
        title: "ACM certificates expire within 30 days",
        description: "A certificate that is not renewed in time breaks TLS for every client of the services that use it. Imported certificates are never renewed by ACM; ACM-issued ones fail to renew when validation no longer works. The warning period is `thresholds.certificate_expiry_warning_days` (default 30).",
        severity: Severity::Medium,
        category: Category::Security,
        service: "acm",
        resource_type: ResourceType::AwsCertificateManagerCertificate,
        standards: &[StandardRef::fsbp("ACM.1")],
        remediation: Remediation {
            console: "ACM console > the certificate: for an ACM-issued certificate fix its DNS/email validation so managed renewal succeeds; for an imported one import the renewed certificate (Reimport).",
            cli: "aws acm import-certificate --certificate-arn <arn> --certificate fileb://cert.pem --private-key fileb://key.pem --certificate-chain fileb://chain.pem",
            url: "https://docs.aws.amazon.com/acm/latest/userguide/managed-renewal.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    let warn = i64::from(ctx.thresholds.certificate_expiry_warning_days);
    each_certificate(ctx, out, |c, res, out| {
        if c.status != "ISSUED" && c.status != "EXPIRED" {
            return;
        }
        let Some(not_after) = c.not_after.as_deref() else {
            return out.not_available(res, "the certificate's expiry date was not reported");
        };
        let Some(t) = parse_time(not_after) else {
            return out.malformed(res, format!("expiry date `{not_after}` is not an RFC 3339 time"));
        };
        let left = (t - ctx.now).whole_days();
        if t <= ctx.now {
            out.fail(res, format!("the certificate expired on {not_after}"));
        } else if left < warn {
            out.fail(res, format!("the certificate expires in {left} days ({not_after}), within the {warn}-day warning period"));
        } else {
            out.pass(res, format!("the certificate expires in {left} days, after the {warn}-day warning period"));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::cert;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{AcmCertificate, Observed};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        // now = 2026-11-27 12:00 UTC
        let mut inv = inventory();
        region(&mut inv).acm = Observed::Known(vec![
            cert("fine", Some("2027-06-01T00:00:00Z")),
            cert("soon", Some("2026-12-10T00:00:00Z")),
            cert("gone", Some("2026-11-01T00:00:00Z")),
            cert("undated", None),
            cert("garbled", Some("next week")),
            AcmCertificate { status: "PENDING_VALIDATION".into(), ..cert("pending", None) },
        ]);
        assert_eq!(
            statuses(&CHECK, &inv),
            vec![Status::Passed, Status::Failed, Status::Failed, Status::NotAvailable, Status::NotAvailable]
        );
        region(&mut inv).acm = Observed::Unknown("acm:ListCertificates access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }

    #[test]
    fn configured_warning_period_changes_the_verdict() {
        // Expires in 185 days.
        let mut inv = inventory();
        region(&mut inv).acm = Observed::Known(vec![cert("fine", Some("2027-06-01T00:00:00Z"))]);
        assert_eq!(single(&CHECK, &inv).0, Status::Passed);
        let r = run_check_with(&CHECK, &inv, &crate::Thresholds { certificate_expiry_warning_days: 200, ..Default::default() });
        assert_eq!(r[0].status, Status::Failed);
        assert!(r[0].reason.contains("200-day warning period"), "{}", r[0].reason);
    }
}
