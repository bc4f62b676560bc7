//! The certificate a CloudFront custom origin serves, when the origin is a load balancer of
//! the scanned account.
//!
//! Trusted Advisor "CloudFront SSL Certificate on the Origin Server" connects to each origin
//! and reads its certificate: expired (red), expiring within 30 days, weak key (yellow).
//! A read-only scan does not connect to origins; it can read the certificate only when the
//! origin's domain is the DNS name of one of the account's load balancers, whose HTTPS/TLS
//! listeners name their certificates (ACM or IAM). Other HTTPS origins are NOT_AVAILABLE
//! ("reading it needs a connection to the origin"); distributions without custom HTTPS
//! origins pass. Protocols are `cloudfront_origin_ssl_protocols`' part.

use super::each_distribution;
use crate::aws::{days_since, parse_time};
use crate::{Check, Ctx, Emit};
use rampart_inventory::{Account, Observed};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudfront_origin_certificate",
        title: "CloudFront origin's certificate (a load balancer of the account) is expired, expiring within 30 days or weak",
        description: "CloudFront refuses an origin whose certificate is expired or invalid (HTTP 502 to every viewer); a weak key lets the connection between CloudFront and the origin be attacked.",
        severity: Severity::High,
        category: Category::Security,
        service: "cloudfront",
        resource_type: ResourceType::AwsCloudFrontDistribution,
        standards: &[StandardRef::ta("CloudFront SSL Certificate on the Origin Server")],
        remediation: Remediation {
            console: "Renew or replace the load balancer listener's certificate (ACM: request a new RSA 2048 or ECDSA certificate; EC2 console > Load Balancers > Listeners > Edit > Default SSL/TLS certificate).",
            cli: "aws elbv2 modify-listener --listener-arn <arn> --certificates CertificateArn=<new-acm-arn>",
            url: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-cloudfront-to-custom-origin.html",
        },
    },
    run,
};

/// A load balancer certificate: (expiry, weak-key reason) or why it cannot be judged.
fn certificate(account: &Account, region: &rampart_inventory::Region, arn: &str) -> Result<(Option<String>, Option<String>), String> {
    if arn.contains(":acm:") {
        let acm = region.acm.as_result().map_err(|why| format!("ACM certificates of {} could not be read: {why}", region.name))?;
        let c = acm.iter().find(|c| c.arn == arn).ok_or_else(|| format!("certificate {arn} is not among the ACM certificates of {}", region.name))?;
        let weak = c.key_algorithm.as_deref().filter(|k| *k == "RSA_1024" || *k == "RSA-1024").map(|k| format!("key {k}"));
        return Ok((c.not_after.clone(), weak));
    }
    let certs = account.iam_server_certificates.as_result().map_err(|why| format!("IAM server certificates could not be read: {why}"))?;
    let c = certs.iter().find(|c| c.arn == arn).ok_or_else(|| format!("certificate {arn} is not in the IAM certificate store"))?;
    let weak = match &c.key {
        Observed::Known(k) if k.algorithm == "RSA" && k.bits.is_some_and(|b| b < 2048) => Some(format!("RSA key of {} bits", k.bits.unwrap_or(0))),
        Observed::Known(k) if k.signature_algorithm.to_ascii_lowercase().contains("sha1") => Some(format!("signature {}", k.signature_algorithm)),
        _ => None,
    };
    Ok((c.expiration.clone(), weak))
}

/// The certificates of the load balancer whose DNS name is `domain`, if the account has one.
fn lb_certificates(account: &Account, domain: &str) -> Option<Result<Vec<(String, Result<(Option<String>, Option<String>), String>)>, String>> {
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    let domain = domain.strip_prefix("dualstack.").unwrap_or(&domain).to_string();
    for region in &account.regions {
        if let Observed::Known(lbs) = &region.elb {
            if let Some(lb) = lbs.iter().find(|lb| lb.dns_name.eq_ignore_ascii_case(&domain)) {
                let arns = lb.listeners.iter().filter(|l| matches!(l.protocol.as_str(), "HTTPS" | "SSL")).filter_map(|l| l.ssl_certificate_id.clone());
                return Some(Ok(arns.map(|a| (a.clone(), certificate(account, region, &a))).collect()));
            }
        }
        if let Observed::Known(v2) = &region.elbv2 {
            if let Some(lb) = v2.load_balancers.iter().find(|lb| lb.dns_name.eq_ignore_ascii_case(&domain)) {
                let listeners = match &lb.listeners {
                    Observed::Known(l) => l,
                    Observed::Unknown(why) => return Some(Err(format!("listeners of {} could not be read: {why}", lb.name))),
                };
                let arns = listeners.iter().filter(|l| matches!(l.protocol.as_str(), "HTTPS" | "TLS")).flat_map(|l| l.certificate_arns.clone());
                return Some(Ok(arns.map(|a| (a.clone(), certificate(account, region, &a))).collect()));
            }
        }
    }
    None
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
            match lb_certificates(account, &o.domain_name) {
                None => unknown.push(format!("origin {} ({}) is not a load balancer of this account: reading its certificate needs a connection to it", o.id, o.domain_name)),
                Some(Err(why)) => unknown.push(why),
                Some(Ok(certs)) => {
                    for (arn, c) in certs {
                        match c {
                            Err(why) => unknown.push(why),
                            Ok((expiry, weak)) => {
                                match expiry.as_deref().and_then(parse_time) {
                                    Some(t) if t <= ctx.now => bad.push(format!("{arn} (origin {}) expired", o.id)),
                                    Some(t) if -days_since(t, ctx.now) < warn => warnings.push(format!("{arn} (origin {}) expires in {} days", o.id, -days_since(t, ctx.now))),
                                    Some(_) => {}
                                    None => unknown.push(format!("{arn}: no readable expiry")),
                                }
                                if let Some(w) = weak {
                                    warnings.push(format!("{arn} (origin {}): weak {w}", o.id));
                                }
                            }
                        }
                    }
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
            out.pass(res, format!("the origins' load balancer certificates are valid beyond the {warn}-day warning period and not weak"));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{AcmCertificate, Distribution, Elbv2, ListenerV2, LoadBalancerV2, Origin};
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
        assert!(r[0].reason.contains("weak key RSA_1024"), "{}", r[0].reason);
        // An origin that is not one of the account's load balancers cannot be read offline.
        let r = run_check(&CHECK, &with("origin.example.com", "2028-01-01T00:00:00Z", "RSA_2048"));
        assert_eq!(r[0].status, Status::NotAvailable);
        assert!(r[0].reason.contains("needs a connection"), "{}", r[0].reason);
        let mut inv = with(lb, "2028-01-01T00:00:00Z", "RSA_2048");
        region(&mut inv).acm = Observed::Unknown("acm:ListCertificates denied".into());
        assert_eq!(run_check(&CHECK, &inv)[0].status, Status::NotAvailable);
    }
}
