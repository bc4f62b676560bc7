//! CloudFront distributions do not encrypt traffic to custom origins.
//!
//! Security Hub CloudFront.9 (FSBP): fails when a custom origin's protocol policy is `http-only`,
//! or `match-viewer` while some cache behavior lets viewers in over HTTP (`allow-all`).
//! Distributions with S3 origins only are not evaluated. One result per distribution with a
//! custom origin.
//!
//! AWS (CloudFront.9, as Security Hub's text is mirrored publicly; the AWS page itself was not
//! retrieved here): the control fails for a distribution whose origin protocol policy is
//! `http-only`, and also if it is `match-viewer` while the viewer protocol policy is `allow-all`.
//! Every custom origin is judged: one `http-only` origin beside `https-only` ones fails. A
//! `match-viewer` origin whose distribution's cache behaviors were not read is NOT_AVAILABLE (it
//! used to pass, as if no behavior allowed HTTP).
//!
//! AWS: "This control fails for a CloudFront distribution whose origin protocol policy allows
//! 'http-only'. This control also fails if the distribution's origin protocol policy is
//! 'match-viewer' while the viewer protocol policy is 'allow-all'" (Security Hub CloudFront.9).

use super::each_distribution;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudfront_custom_origin_https",
        title: "CloudFront distributions do not encrypt traffic to custom origins",
        description: "Between CloudFront and a custom origin over HTTP, content, cookies and headers travel in the clear across the internet.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "cloudfront",
        resource_type: ResourceType::AwsCloudFrontDistribution,
        standards: &[StandardRef::fsbp("CloudFront.9")],
        remediation: Remediation {
            console: "CloudFront console > the distribution > Origins > the custom origin > Edit > Protocol: HTTPS only (or Match viewer with every behavior redirecting HTTP to HTTPS).",
            cli: "aws cloudfront get-distribution-config --id <id> > d.json; set CustomOriginConfig.OriginProtocolPolicy to https-only; aws cloudfront update-distribution --id <id> --if-match <etag> --distribution-config file://d.json",
            url: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-cloudfront-to-custom-origin.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_distribution(ctx, out, |_, d, res, out| {
        let custom: Vec<_> = d.origins.iter().filter(|o| !o.s3_origin).collect();
        if custom.is_empty() {
            return;
        }
        let viewers_plain = d.viewer_protocol_policies.iter().any(|p| p == "allow-all");
        let mut bad = Vec::new();
        let mut unknown = Vec::new();
        for o in custom {
            match o.origin_protocol_policy.as_deref() {
                Some("http-only") => bad.push(format!("{} (http-only)", o.id)),
                Some("match-viewer") if viewers_plain => bad.push(format!("{} (match-viewer with viewers on HTTP)", o.id)),
                Some("match-viewer") if d.viewer_protocol_policies.is_empty() => unknown.push(o.id.as_str()),
                Some(_) => {}
                None => unknown.push(o.id.as_str()),
            }
        }
        if !bad.is_empty() {
            out.fail(res, format!("custom origins reached over plain HTTP: {}", bad.join(", ")));
        } else if !unknown.is_empty() {
            out.not_available(
                res,
                format!("origin protocol policy, or the viewer protocol policies it follows, not read for {}", unknown.join(", ")),
            );
        } else {
            out.pass(res, "every custom origin is reached over HTTPS");
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
        let origin = |policy: &str| Origin { id: "app".into(), origin_protocol_policy: Some(policy.into()), ..Default::default() };
        assert_eq!(one(|d| d.origins = vec![origin("https-only")]), Status::Passed);
        assert_eq!(
            one(|d| {
                d.origins = vec![origin("match-viewer")];
                d.viewer_protocol_policies = vec!["https-only".into()]
            }),
            Status::Passed
        );
        assert_eq!(
            one(|d| {
                d.origins = vec![origin("http-only")];
                d.viewer_protocol_policies = vec!["https-only".into()]
            }),
            Status::Failed
        );
        assert_eq!(
            one(|d| {
                d.origins = vec![origin("match-viewer")];
                d.viewer_protocol_policies = vec!["allow-all".into()]
            }),
            Status::Failed
        );
        assert_eq!(one(|d| d.origins = vec![Origin { id: "x".into(), ..Default::default() }]), Status::NotAvailable);
        assert!(results(|d| d.origins = vec![Origin { s3_origin: true, ..Default::default() }]).is_empty());
        super::super::tests::unknown_is_not_available(&CHECK);
    }

    /// Several origins: one plain-HTTP origin among HTTPS ones fails; `match-viewer` without the
    /// cache behaviors read is not a pass.
    #[test]
    fn several_origins() {
        let origin = |id: &str, policy: &str| Origin { id: id.into(), origin_protocol_policy: Some(policy.into()), ..Default::default() };
        let r = results(|d| {
            d.origins = vec![origin("api", "https-only"), origin("legacy", "http-only"), Origin { s3_origin: true, ..Default::default() }];
            d.viewer_protocol_policies = vec!["https-only".into()];
        });
        assert_eq!(r[0].status, Status::Failed);
        assert!(r[0].reason.contains("legacy (http-only)") && !r[0].reason.contains("api"), "{}", r[0].reason);
        assert_eq!(one(|d| d.origins = vec![origin("app", "match-viewer")]), Status::NotAvailable);
        assert_eq!(
            one(|d| {
                d.origins = vec![origin("app", "match-viewer"), origin("api", "https-only")];
                d.viewer_protocol_policies = vec!["allow-all".into(), "https-only".into()];
            }),
            Status::Failed
        );
    }
}
