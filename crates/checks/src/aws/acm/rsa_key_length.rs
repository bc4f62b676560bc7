//! RSA certificates in ACM with keys shorter than 2,048 bits.
//!
//! Security Hub ACM.2. Only RSA certificates are evaluated (`KeyAlgorithm` `RSA_*`); ECDSA
//! certificates have no RSA key length. One result per RSA certificate.
//!
//! AWS: "The rule is NON_COMPLIANT if the minimum key length is less than 2048 bits" (Config
//! `acm-certificate-rsa-check`, behind ACM.2): 2,048 passes, 1,024 fails.

use super::each_certificate;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub const MIN_BITS: u32 = 2048;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "acm_rsa_key_length",
        title: "ACM RSA certificates use keys shorter than 2,048 bits",
        description: "RSA keys of 1,024 bits are within reach of well-funded attackers and are rejected by current browsers and clients.",
        severity: Severity::High,
        category: Category::Security,
        service: "acm",
        resource_type: ResourceType::AwsCertificateManagerCertificate,
        standards: &[StandardRef::fsbp("ACM.2")],
        remediation: Remediation {
            console: "Request (or import) a certificate with an RSA 2048-bit or larger key, or an ECDSA key, move the services that use the old certificate to it, then delete the old one.",
            cli: "aws acm request-certificate --domain-name <domain> --validation-method DNS --key-algorithm RSA_2048",
            url: "https://docs.aws.amazon.com/acm/latest/userguide/acm-certificate.html#algorithms",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_certificate(ctx, out, |c, res, out| {
        let Some(alg) = c.key_algorithm.as_deref() else {
            return out.not_available(res, "the certificate's key algorithm was not reported");
        };
        let Some(bits) = alg.strip_prefix("RSA_").or_else(|| alg.strip_prefix("RSA-")) else { return };
        match bits.parse::<u32>() {
            Ok(b) if b >= MIN_BITS => out.pass(res, format!("RSA key of {b} bits")),
            Ok(b) => out.fail(res, format!("RSA key of {b} bits (less than {MIN_BITS})")),
            Err(_) => out.malformed(res, format!("key algorithm `{alg}` has no key length")),
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
        let mut inv = inventory();
        region(&mut inv).acm = Observed::Known(vec![
            cert("rsa2048", None),
            AcmCertificate { key_algorithm: Some("RSA_4096".into()), ..cert("rsa4096", None) },
            AcmCertificate { key_algorithm: Some("RSA_1024".into()), ..cert("rsa1024", None) },
            AcmCertificate { key_algorithm: None, ..cert("unknown", None) },
            AcmCertificate { key_algorithm: Some("EC_prime256v1".into()), ..cert("ecdsa", None) },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Passed, Status::Failed, Status::NotAvailable]);
        region(&mut inv).acm = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
