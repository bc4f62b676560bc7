//! CloudFront distributions whose custom certificate, from the IAM certificate store, has a
//! weak key or a SHA-1 (or MD5) signature.
//!
//! Trusted Advisor "CloudFront Custom SSL Certificates in the IAM Certificate Store" warns
//! (yellow) about certificates signed with SHA-1; the issue asks for weak keys too. Weak:
//! RSA below 2,048 bits (NIST SP 800-131A; ACM's own minimum for imported certificates is
//! 1,024 but CloudFront and browsers expect 2,048), EC below 256 bits. The key and signature
//! come from the certificate body (`GetServerCertificate`). One result per distribution.

use super::each_distribution;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudfront_iam_certificate_strength",
        title: "CloudFront IAM server certificate has a weak key or a SHA-1 signature",
        description: "A certificate with an RSA key under 2,048 bits, an EC key under 256 bits, or a SHA-1/MD5 signature can be forged or broken; browsers reject SHA-1 certificates.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "cloudfront",
        resource_type: ResourceType::AwsCloudFrontDistribution,
        standards: &[StandardRef::ta("CloudFront Custom SSL Certificates in the IAM Certificate Store")],
        remediation: Remediation {
            console: "Request a certificate in ACM (us-east-1; RSA 2048 or ECDSA P-256, SHA-256 signatures), then CloudFront console > the distribution > General > Edit > Custom SSL certificate: choose it, and delete the old IAM server certificate.",
            cli: "aws acm request-certificate --region us-east-1 --domain-name <name> --validation-method DNS --key-algorithm RSA_2048; then set ViewerCertificate.ACMCertificateArn with aws cloudfront update-distribution",
            url: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cnames-and-https-requirements.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
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
        match &cert.key {
            Observed::Unknown(why) => out.not_available(res, format!("the body of certificate `{}` could not be read: {why}", cert.name)),
            Observed::Known(k) => match super::key_weakness(k) {
                Some(why) => out.fail(res, format!("certificate `{}`: {why}", cert.name)),
                None => out.pass(res, format!("certificate `{}`: {} {} key, {}", cert.name, k.algorithm, k.bits.map_or("?".into(), |b| b.to_string()), k.signature_algorithm)),
            },
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{CertificateKey, Distribution, ServerCertificate};
    use rampart_model::Status;

    fn with(key: Observed<CertificateKey>) -> rampart_inventory::Inventory {
        let mut inv = inventory();
        account(&mut inv).cloudfront = Observed::Known(vec![
            Distribution { id: "E1".into(), iam_certificate_id: Some("ASCA1".into()), ..Default::default() },
            Distribution { id: "E2".into(), ..Default::default() },
        ]);
        account(&mut inv).iam_server_certificates = Observed::Known(vec![ServerCertificate { name: "www".into(), id: "ASCA1".into(), key, ..Default::default() }]);
        inv
    }

    fn key(algorithm: &str, bits: u32, sig: &str) -> Observed<CertificateKey> {
        Observed::Known(CertificateKey { algorithm: algorithm.into(), bits: Some(bits), signature_algorithm: sig.into() })
    }

    #[test]
    fn pass_and_fail() {
        for good in [key("RSA", 2048, "sha256WithRSAEncryption"), key("EC", 256, "ecdsa-with-SHA256"), key("RSA", 4096, "sha384WithRSAEncryption")] {
            assert_eq!(statuses(&CHECK, &with(good)), vec![Status::Passed, Status::Passed]);
        }
        for (bad, why) in [
            (key("RSA", 1024, "sha256WithRSAEncryption"), "1024 bits"),
            (key("RSA", 2048, "sha1WithRSAEncryption"), "sha1WithRSAEncryption"),
            (key("EC", 192, "ecdsa-with-SHA256"), "192 bits"),
            (key("RSA", 2048, "md5WithRSAEncryption"), "md5"),
        ] {
            let r = run_check(&CHECK, &with(bad));
            assert_eq!((r[0].status, r[1].status), (Status::Failed, Status::Passed));
            assert!(r[0].reason.contains(why), "{}", r[0].reason);
        }
    }

    #[test]
    fn not_available() {
        assert_eq!(statuses(&CHECK, &with(Observed::Unknown("iam:GetServerCertificate denied".into()))), vec![Status::NotAvailable, Status::Passed]);
        let mut inv = with(key("RSA", 2048, "sha256WithRSAEncryption"));
        account(&mut inv).iam_server_certificates = Observed::Unknown("denied".into());
        assert_eq!(statuses(&CHECK, &inv), vec![Status::NotAvailable, Status::Passed]);
    }
}
