//! CloudFront custom origins reached over SSLv3 or TLSv1.
//!
//! Trusted Advisor "CloudFront SSL Certificate on the Origin Server" looks at the origin's
//! certificate by connecting to it, which an offline scan cannot; Rampart checks the part the
//! configuration shows, the protocols CloudFront may use with the origin: SSLv3 is high
//! (Security Hub CloudFront.10), TLSv1 medium. Origins that CloudFront reaches over HTTP only,
//! and S3 origins, negotiate nothing and pass. One result per distribution.
//!
//! AWS: "This rule is NON_COMPLIANT for a CloudFront distribution if any 'OriginSslProtocols'
//! includes 'SSLv3'." (AWS Config `cloudfront-no-deprecated-ssl-protocols`, the rule behind
//! CloudFront.10,
//! <https://docs.aws.amazon.com/config/latest/developerguide/cloudfront-no-deprecated-ssl-protocols.html>).
//! Every custom origin is judged: one SSLv3 origin beside TLSv1.2 ones fails the distribution.
//! A custom HTTPS origin whose protocol list is empty was not read (AWS requires at least one
//! protocol): NOT_AVAILABLE, not a pass as before.

use super::each_distribution;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudfront_origin_ssl_protocols",
        title: "CloudFront distributions allow outdated SSL/TLS protocols to custom origins",
        description: "SSLv3 and TLS 1.0 between CloudFront and the origin have known weaknesses (POODLE, BEAST) that can expose the traffic to the origin.",
        severity: Severity::High,
        category: Category::Security,
        service: "cloudfront",
        resource_type: ResourceType::AwsCloudFrontDistribution,
        standards: &[
            StandardRef::ta("CloudFront SSL Certificate on the Origin Server"),
            StandardRef::fsbp("CloudFront.10"),
        ],
        remediation: Remediation {
            console: "CloudFront console > the distribution > Origins > the origin > Edit > Minimum origin SSL protocol: choose TLSv1.2 (and make the origin support it).",
            cli: "aws cloudfront get-distribution-config --id <id> > d.json; set CustomOriginConfig.OriginSslProtocols to {Quantity:1,Items:[TLSv1.2]}; aws cloudfront update-distribution --id <id> --if-match <etag> --distribution-config file://d.json",
            url: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-ciphers-cloudfront-to-origin.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_distribution(ctx, out, |_, d, res, out| {
        let (mut sslv3, mut tlsv1, mut unread) = (Vec::new(), Vec::new(), Vec::new());
        for o in d.origins.iter().filter(|o| !o.s3_origin && o.origin_protocol_policy.as_deref() != Some("http-only")) {
            if o.origin_ssl_protocols.is_empty() {
                unread.push(o.id.as_str());
            } else if o.origin_ssl_protocols.iter().any(|p| p == "SSLv3") {
                sslv3.push(o.id.as_str());
            } else if o.origin_ssl_protocols.iter().any(|p| p == "TLSv1") {
                tlsv1.push(o.id.as_str());
            }
        }
        if !sslv3.is_empty() {
            out.fail(res, format!("origins allow SSLv3: {}", sslv3.join(", ")));
        } else if !tlsv1.is_empty() {
            out.fail_with(res, Severity::Medium, format!("origins allow TLSv1: {}", tlsv1.join(", ")));
        } else if !unread.is_empty() {
            out.not_available(res, format!("the SSL protocols of origins were not read: {}", unread.join(", ")));
        } else {
            out.pass(res, "no custom origin allows SSLv3 or TLSv1");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Distribution, Observed, Origin};
    use rampart_model::Status;

    fn with(policy: &str, protocols: &[&str]) -> rampart_inventory::Inventory {
        let mut inv = inventory();
        let o = Origin {
            id: "app".into(),
            origin_protocol_policy: Some(policy.into()),
            origin_ssl_protocols: protocols.iter().map(|p| p.to_string()).collect(),
            ..Default::default()
        };
        account(&mut inv).cloudfront = Observed::Known(vec![Distribution { id: "E1".into(), origins: vec![o], ..Default::default() }]);
        inv
    }

    #[test]
    fn pass_fail_not_available() {
        assert_eq!(single(&CHECK, &with("https-only", &["TLSv1.2"])).0, Status::Passed);
        assert_eq!(single(&CHECK, &with("http-only", &["SSLv3"])).0, Status::Passed);
        let r = run_check(&CHECK, &with("https-only", &["SSLv3", "TLSv1.2"]));
        assert_eq!((r[0].status, r[0].severity), (Status::Failed, None));
        let r = run_check(&CHECK, &with("match-viewer", &["TLSv1", "TLSv1.1", "TLSv1.2"]));
        assert_eq!((r[0].status, r[0].severity), (Status::Failed, Some(Severity::Medium)));
        let mut inv = inventory();
        account(&mut inv).cloudfront = Observed::Unknown("cloudfront:ListDistributions access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        assert_eq!(single(&CHECK, &with("https-only", &[])).0, Status::NotAvailable);
    }

    /// Several origins: one SSLv3 origin beside a TLSv1.2 one fails (high), naming only it.
    #[test]
    fn several_origins() {
        let mut inv = with("https-only", &["TLSv1.2"]);
        if let Observed::Known(ds) = &mut account(&mut inv).cloudfront {
            let mut old = ds[0].origins[0].clone();
            old.id = "old".into();
            old.origin_ssl_protocols = vec!["SSLv3".into(), "TLSv1.2".into()];
            ds[0].origins.push(old);
        }
        let r = run_check(&CHECK, &inv);
        assert_eq!((r[0].status, r[0].severity), (Status::Failed, None));
        assert!(r[0].reason.contains("old") && !r[0].reason.contains("app"), "{}", r[0].reason);
    }
}
