//! Certificates: IAM server certificates (global) and ACM certificates (per region).

use super::{first_err, known_or_return, non_empty, ts_opt};
use crate::call::{client, Ctx};
use aws_sdk_acm::types::{CertificateDetail, CertificateSummary, Filters, KeyAlgorithm};
use futures::future::join_all;
use crate::certparse::certificate_body;
use rampart_inventory::{AcmCertificate, Observed, ServerCertificate};

pub(super) async fn iam_server_certificates(ctx: &Ctx) -> Observed<Vec<ServerCertificate>> {
    let client = client!(ctx, aws_sdk_iam);
    let certs = known_or_return!(
        ctx.call("iam:ListServerCertificates", None, client.list_server_certificates().into_paginator().items().send().try_collect()).await
    );
    let bodies = join_all(certs.iter().map(|c| {
        let client = &client;
        async move {
            let name = c.server_certificate_name();
            match ctx.call("iam:GetServerCertificate", Some(name), client.get_server_certificate().server_certificate_name(name).send()).await {
                Ok(out) => match out.server_certificate().map(|sc| sc.certificate_body()) {
                    Some(pem) => match certificate_body(pem) {
                        Ok((key, not_after)) => (Observed::Known(key), Some(not_after)),
                        Err(e) => (Observed::Unknown(format!("certificate body of `{name}`: {e}")), None),
                    },
                    None => (Observed::Unknown(format!("GetServerCertificate returned no body for `{name}`")), None),
                },
                Err(why) => (Observed::Unknown(why), None),
            }
        }
    }))
    .await;
    Observed::Known(
        certs
            .iter()
            .zip(bodies)
            .map(|(c, (key, not_after))| ServerCertificate {
                name: c.server_certificate_name().to_string(),
                id: c.server_certificate_id().to_string(),
                arn: c.arn().to_string(),
                expiration: ts_opt(c.expiration()),
                upload_date: ts_opt(c.upload_date()),
                key,
                not_after,
            })
            .collect(),
    )
}

pub(super) async fn acm(ctx: &Ctx) -> Observed<Vec<AcmCertificate>> {
    let client = client!(ctx, aws_sdk_acm);
    // Without a key-type filter ListCertificates only returns RSA_1024/RSA_2048 certificates.
    let all_key_types = KeyAlgorithm::values().iter().fold(Filters::builder(), |f, k| f.key_types(KeyAlgorithm::from(*k))).build();
    let summaries = known_or_return!(
        ctx.call("acm:ListCertificates", None, client.list_certificates().includes(all_key_types).into_paginator().items().send().try_collect()).await
    );
    // `in_use_by` is a plain list: a certificate in use whose details cannot be read makes the
    // whole list unknown rather than claim "used by nothing".
    let details = join_all(summaries.iter().map(|s| {
        let client = &client;
        async move {
            let arn = s.certificate_arn().unwrap_or_default();
            if s.in_use() == Some(false) {
                return Ok(None);
            }
            ctx.call("acm:DescribeCertificate", Some(arn), client.describe_certificate().certificate_arn(arn).send())
                .await
                .map(|out| out.certificate().cloned())
        }
    }))
    .await;
    if let Some(reason) = first_err(&details) {
        return Observed::Unknown(reason);
    }
    Observed::Known(summaries.iter().zip(details).map(|(s, d)| certificate(s, d.ok().flatten().as_ref())).collect())
}

fn certificate(s: &CertificateSummary, d: Option<&CertificateDetail>) -> AcmCertificate {
    AcmCertificate {
        arn: s.certificate_arn().unwrap_or_default().to_string(),
        domain_name: d.and_then(|d| d.domain_name()).or(s.domain_name()).unwrap_or_default().to_string(),
        status: d.and_then(|d| d.status()).or(s.status()).map(|v| v.as_str().to_string()).unwrap_or_default(),
        kind: d.and_then(|d| d.r#type()).or(s.r#type()).map(|v| v.as_str().to_string()).unwrap_or_default(),
        key_algorithm: d.and_then(|d| d.key_algorithm()).or(s.key_algorithm()).map(|v| v.as_str().to_string()),
        not_after: ts_opt(d.and_then(|d| d.not_after()).or(s.not_after())),
        in_use_by: d.map(|d| d.in_use_by().iter().filter_map(|a| non_empty(Some(a))).collect()).unwrap_or_default(),
        renewal_eligibility: d
            .and_then(|d| d.renewal_eligibility())
            .or(s.renewal_eligibility())
            .map(|v| v.as_str().to_string()),
    }
}

#[cfg(test)]
mod key_tests {
    use crate::certparse::certificate_body;

    fn read(name: &str) -> String {
        std::fs::read_to_string(format!("{}/../../testdata/certs/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn key_size_and_signature_of_certificate_bodies() {
        let (k, not_after) = certificate_body(&read("rsa1024-sha1.pem")).unwrap();
        assert_eq!((k.algorithm.as_str(), k.bits, k.signature_algorithm.as_str()), ("RSA", Some(1024), "sha1WithRSAEncryption"));
        assert!(not_after.starts_with("2036-11-25T04:00:45"), "{not_after}");
        let (k, not_after) = certificate_body(&read("rsa2048-sha256.pem")).unwrap();
        assert_eq!(not_after, "2035-12-30T00:00:00Z");
        assert_eq!((k.algorithm.as_str(), k.bits, k.signature_algorithm.as_str()), ("RSA", Some(2048), "sha256WithRSAEncryption"));
        let (k, _) = certificate_body(&read("ec256-sha256.pem")).unwrap();
        assert_eq!((k.algorithm.as_str(), k.bits, k.signature_algorithm.as_str()), ("EC", Some(256), "ecdsa-with-SHA256"));
    }

    #[test]
    fn bad_bodies_are_errors_not_panics() {
        for bad in ["", "not a certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n"] {
            assert!(certificate_body(bad).is_err(), "{bad:?}");
        }
    }
}
