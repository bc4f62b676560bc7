//! The certificate a CloudFront custom origin serves.
//!
//! Trusted Advisor "CloudFront SSL Certificate on the Origin Server" connects to each origin
//! and reads its certificate: expired (red), expiring within 30 days, weak key or SHA-1/MD5
//! signature (yellow). Rampart reads it two ways:
//! - when the origin's domain is the DNS name of one of the account's load balancers, from the
//!   HTTPS/TLS listeners' certificates (ACM or IAM) — no connection needed;
//! - otherwise from the certificate the opt-in origin probe (`--probe-origins`) read in a TLS
//!   handshake with the origin.
//!
//! An origin read neither way is NOT_AVAILABLE ("reading it needs a connection"), never
//! PASSED; distributions without custom HTTPS origins pass. Protocols are
//! `cloudfront_origin_ssl_protocols`' part.

use super::{each_distribution, key_weakness};
use crate::aws::{days_since, parse_time};
use crate::{Check, Ctx, Emit};
use rampart_inventory::{Account, Observed, Origin};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudfront_origin_certificate",
        title: "CloudFront origin's certificate is expired, expiring within 30 days or weak",
        description: "CloudFront refuses an origin whose certificate is expired or invalid (HTTP 502 to every viewer); a weak key lets the connection between CloudFront and the origin be attacked.",
        severity: Severity::High,
        category: Category::Security,
        service: "cloudfront",
        resource_type: ResourceType::AwsCloudFrontDistribution,
        standards: &[StandardRef::ta("CloudFront SSL Certificate on the Origin Server")],
        remediation: Remediation {
            console: "Renew or replace the origin's certificate with one from a trusted CA (RSA 2048 or ECDSA P-256, SHA-256). For a load balancer origin: request it in ACM, then EC2 console > Load Balancers > Listeners > Edit > Default SSL/TLS certificate.",
            cli: "aws elbv2 modify-listener --listener-arn <arn> --certificates CertificateArn=<new-acm-arn>",
            url: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-cloudfront-to-custom-origin.html",
        },
    },
    run,
};

/// What can be said of one certificate: its name, expiry and key weakness, or why it cannot be judged.
type Judged = Result<(String, Option<String>, Option<String>), String>;

/// A load balancer listener's certificate by ARN.
fn certificate(account: &Account, region: &rampart_inventory::Region, arn: &str) -> Judged {
    if arn.contains(":acm:") {
        let acm = region.acm.as_result().map_err(|why| format!("ACM certificates of {} could not be read: {why}", region.name))?;
        let c = acm.iter().find(|c| c.arn == arn).ok_or_else(|| format!("certificate {arn} is not among the ACM certificates of {}", region.name))?;
        let weak = c.key_algorithm.as_deref().filter(|k| *k == "RSA_1024" || *k == "RSA-1024").map(|k| format!("its key is {k}"));
        return Ok((arn.to_string(), c.not_after.clone(), weak));
    }
    let certs = account.iam_server_certificates.as_result().map_err(|why| format!("IAM server certificates could not be read: {why}"))?;
    let c = certs.iter().find(|c| c.arn == arn).ok_or_else(|| format!("certificate {arn} is not in the IAM certificate store"))?;
    let weak = match &c.key {
        Observed::Known(k) => key_weakness(k),
        Observed::Unknown(_) => None,
    };
    Ok((arn.to_string(), c.expires().map(str::to_string), weak))
}

/// The certificates of the load balancer whose DNS name is `domain`, if the account has one.
fn lb_certificates(account: &Account, domain: &str) -> Option<Result<Vec<Judged>, String>> {
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    let domain = domain.strip_prefix("dualstack.").unwrap_or(&domain).to_string();
    for region in &account.regions {
        if let Observed::Known(lbs) = &region.elb {
            if let Some(lb) = lbs.iter().find(|lb| lb.dns_name.eq_ignore_ascii_case(&domain)) {
                let arns = lb.listeners.iter().filter(|l| matches!(l.protocol.as_str(), "HTTPS" | "SSL")).filter_map(|l| l.ssl_certificate_id.clone());
                return Some(Ok(arns.map(|a| certificate(account, region, &a)).collect()));
            }
        }
        if let Observed::Known(v2) = &region.elbv2 {
            if let Some(lb) = v2.load_balancers.iter().find(|lb| lb.dns_name.eq_ignore_ascii_case(&domain)) {
                let listeners = match &lb.listeners {
                    Observed::Known(l) => l,
                    Observed::Unknown(why) => return Some(Err(format!("listeners of {} could not be read: {why}", lb.name))),
                };
                let arns = listeners.iter().filter(|l| matches!(l.protocol.as_str(), "HTTPS" | "TLS")).flat_map(|l| l.certificate_arns.clone());
                return Some(Ok(arns.map(|a| certificate(account, region, &a)).collect()));
            }
        }
    }
    None
}

/// The certificates behind one origin: its load balancer's, else what the probe read.
fn origin_certificates(account: &Account, o: &Origin) -> Result<Vec<Judged>, String> {
    if let Some(lb) = lb_certificates(account, &o.domain_name) {
        return lb;
    }
    match &o.served_certificate {
        Observed::Known(c) => Ok(vec![Ok((format!("the certificate {} serves ({})", c.endpoint, c.subject), Some(c.not_after.clone()), key_weakness(&c.key)))]),
        u if u.is_not_collected() => Err(format!(
            "origin {} ({}) is not a load balancer of this account: reading its certificate needs a connection to it (scan with --probe-origins)",
            o.id, o.domain_name
        )),
        Observed::Unknown(why) => Err(format!("origin {} ({}): {why}", o.id, o.domain_name)),
    }
}

fn run(ctx: &Ctx, out: &mut Emit) {
    let warn = i64::from(ctx.thresholds.certificate_expiry_warning_days);
    each_distribution(ctx, out, |account, d, res, out| {
        let https: Vec<_> = d.origins.iter().filter(|o| !o.s3_origin && o.origin_protocol_policy.as_deref() != Some("http-only")).collect();
        if https.is_empty() {
            return out.pass(res, "no custom origin is reached over HTTPS");
        }
        let (mut bad, mut warnings, mut unknown) = (Vec::new(), Vec::new(), Vec::new());
        for o in https {
            let certs = match origin_certificates(account, o) {
                Ok(c) => c,
                Err(why) => {
                    unknown.push(why);
                    continue;
                }
            };
            for c in certs {
                let (name, expiry, weak) = match c {
                    Ok(c) => c,
                    Err(why) => {
                        unknown.push(why);
                        continue;
                    }
                };
                match expiry.as_deref().and_then(parse_time) {
                    Some(t) if t <= ctx.now => bad.push(format!("{name} (origin {}) expired", o.id)),
                    Some(t) if -days_since(t, ctx.now) < warn => warnings.push(format!("{name} (origin {}) expires in {} days", o.id, -days_since(t, ctx.now))),
                    Some(_) => {}
                    None => unknown.push(format!("{name}: no readable expiry")),
                }
                if let Some(w) = weak {
                    warnings.push(format!("{name} (origin {}) is weak: {w}", o.id));
                }
            }
        }
        if !bad.is_empty() {
            out.fail(res, bad.join("; "));
        } else if !warnings.is_empty() {
            out.fail_with(res, Severity::Medium, warnings.join("; "));
        } else if !unknown.is_empty() {
            out.not_available(res, unknown.join("; "));
        } else {
            out.pass(res, format!("the origins' certificates are valid beyond the {warn}-day warning period and not weak"));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{AcmCertificate, CertificateKey, Distribution, Elbv2, ListenerV2, LoadBalancerV2, Origin, ServedCertificate};
    use rampart_model::Status;

    const CERT: &str = "arn:aws:acm:us-east-1:123456789012:certificate/abc";

    fn with(origin_domain: &str, not_after: &str, key: &str) -> rampart_inventory::Inventory {
        let mut inv = inventory();
        let origin = Origin { id: "app".into(), domain_name: origin_domain.into(), origin_protocol_policy: Some("https-only".into()), ..Default::default() };
        account(&mut inv).cloudfront = Observed::Known(vec![
            Distribution { id: "E1".into(), origins: vec![origin], ..Default::default() },
            Distribution { id: "E2".into(), origins: vec![Origin { id: "s3".into(), s3_origin: true, ..Default::default() }], ..Default::default() },
        ]);
        let listener = ListenerV2 { port: 443, protocol: "HTTPS".into(), certificate_arns: vec![CERT.into()], ..Default::default() };
        let lb = LoadBalancerV2 { name: "web".into(), dns_name: "web-123.us-east-1.elb.amazonaws.com".into(), listeners: Observed::Known(vec![listener]), ..Default::default() };
        region(&mut inv).elbv2 = Observed::Known(Elbv2 { load_balancers: vec![lb], ..Default::default() });
        region(&mut inv).acm = Observed::Known(vec![AcmCertificate { arn: CERT.into(), not_after: Some(not_after.into()), key_algorithm: Some(key.into()), ..Default::default() }]);
        inv
    }

    #[test]
    fn pass_fail_not_available() {
        let lb = "web-123.us-east-1.elb.amazonaws.com";
        assert_eq!(statuses(&CHECK, &with(lb, "2028-01-01T00:00:00Z", "RSA_2048")), vec![Status::Passed, Status::Passed]);
        assert_eq!(statuses(&CHECK, &with(&format!("dualstack.{lb}"), "2028-01-01T00:00:00Z", "EC_prime256v1")), vec![Status::Passed, Status::Passed]);
        let r = run_check(&CHECK, &with(lb, "2026-01-01T00:00:00Z", "RSA_2048"));
        assert_eq!((r[0].status, r[0].severity), (Status::Failed, None), "{}", r[0].reason);
        let r = run_check(&CHECK, &with(lb, "2026-12-10T00:00:00Z", "RSA_2048"));
        assert_eq!((r[0].status, r[0].severity), (Status::Failed, Some(Severity::Medium)), "{}", r[0].reason);
        let r = run_check(&CHECK, &with(lb, "2028-01-01T00:00:00Z", "RSA_1024"));
        assert_eq!((r[0].status, r[0].severity), (Status::Failed, Some(Severity::Medium)));
        assert!(r[0].reason.contains("is weak: its key is RSA_1024"), "{}", r[0].reason);
        // An origin that is not one of the account's load balancers cannot be read offline.
        let r = run_check(&CHECK, &with("origin.example.com", "2028-01-01T00:00:00Z", "RSA_2048"));
        assert_eq!(r[0].status, Status::NotAvailable);
        assert!(r[0].reason.contains("needs a connection"), "{}", r[0].reason);
        let mut inv = with(lb, "2028-01-01T00:00:00Z", "RSA_2048");
        region(&mut inv).acm = Observed::Unknown("acm:ListCertificates denied".into());
        assert_eq!(run_check(&CHECK, &inv)[0].status, Status::NotAvailable);
    }

    /// Origins that are not the account's load balancers, judged by what the probe read.
    #[test]
    fn probed_origins() {
        let probed = |served: Observed<ServedCertificate>| {
            let mut inv = with("origin.example.com", "2028-01-01T00:00:00Z", "RSA_2048");
            account(&mut inv).cloudfront.known_mut().unwrap()[0].origins[0].served_certificate = served;
            run_check(&CHECK, &inv).remove(0)
        };
        let cert = |not_after: &str, algorithm: &str, bits: u32, sig: &str| {
            Observed::Known(ServedCertificate {
                endpoint: "origin.example.com:443".into(),
                subject: "CN=origin.example.com".into(),
                not_after: not_after.into(),
                key: CertificateKey { algorithm: algorithm.into(), bits: Some(bits), signature_algorithm: sig.into() },
                protocol: "TLSv1.3".into(),
            })
        };
        let r = probed(cert("2028-01-01T00:00:00Z", "EC", 256, "ecdsa-with-SHA256"));
        assert_eq!(r.status, Status::Passed, "{}", r.reason);
        let r = probed(cert("2025-01-01T00:00:00Z", "RSA", 2048, "sha256WithRSAEncryption"));
        assert_eq!((r.status, r.severity), (Status::Failed, None), "{}", r.reason);
        assert!(r.reason.contains("the certificate origin.example.com:443 serves (CN=origin.example.com) (origin app) expired"), "{}", r.reason);
        let r = probed(cert("2026-12-10T00:00:00Z", "RSA", 2048, "sha256WithRSAEncryption"));
        assert_eq!((r.status, r.severity), (Status::Failed, Some(Severity::Medium)), "{}", r.reason);
        let r = probed(cert("2028-01-01T00:00:00Z", "RSA", 1024, "sha256WithRSAEncryption"));
        assert_eq!((r.status, r.severity), (Status::Failed, Some(Severity::Medium)), "{}", r.reason);
        assert!(r.reason.contains("1024 bits"), "{}", r.reason);
        let r = probed(cert("2028-01-01T00:00:00Z", "RSA", 2048, "sha1WithRSAEncryption"));
        assert_eq!((r.status, r.severity), (Status::Failed, Some(Severity::Medium)), "{}", r.reason);
        let r = probed(Observed::Unknown("cannot connect to origin.example.com:443: connection refused".into()));
        assert_eq!(r.status, Status::NotAvailable);
        assert!(r.reason.contains("connection refused"), "{}", r.reason);
        let r = probed(Observed::not_collected());
        assert_eq!(r.status, Status::NotAvailable);
        assert!(r.reason.contains("--probe-origins"), "{}", r.reason);
    }
}
