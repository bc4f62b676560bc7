//! CloudFront (global): distributions from their summaries, plus standard (legacy) logging and
//! the default root object, which only the distribution's config holds.

use super::{first_err, known_or_return, non_empty};
use crate::call::{client, Ctx};
use aws_sdk_cloudfront::types::DistributionSummary;
use futures::future::join_all;
use rampart_inventory::{Distribution, Observed, Origin};

pub(super) async fn collect(ctx: &Ctx) -> Observed<Vec<Distribution>> {
    let client = client!(ctx, aws_sdk_cloudfront);
    let summaries = known_or_return!(
        ctx.call("cloudfront:ListDistributions", None, client.list_distributions().into_paginator().items().send().try_collect()).await
    );
    // `logging_enabled` is a plain bool: a distribution whose config cannot be read makes the
    // whole list unknown rather than claim "logging off".
    let configs = join_all(summaries.iter().map(|s| {
        let client = &client;
        async move {
            let out = ctx.call("cloudfront:GetDistributionConfig", Some(s.arn()), client.get_distribution_config().id(s.id()).send()).await?;
            let config = out.distribution_config();
            Ok::<_, String>((
                config.and_then(|c| c.logging()).is_some_and(|l| l.enabled()),
                config.and_then(|c| non_empty(c.default_root_object())),
            ))
        }
    }))
    .await;
    if let Some(reason) = first_err(&configs) {
        return Observed::Unknown(reason);
    }
    let out = summaries
        .iter()
        .zip(configs)
        .map(|(s, config)| {
            let (logging_enabled, default_root_object) = config.unwrap_or_default();
            distribution(s, logging_enabled, default_root_object)
        })
        .collect();
    Observed::Known(out)
}

/// A bucket's REST endpoint (`<bucket>.s3.amazonaws.com`, `<bucket>.s3.<region>.amazonaws.com`,
/// legacy `<bucket>.s3-<region>.amazonaws.com`), for origins that carry neither origin config.
fn is_s3_domain(domain: &str) -> bool {
    let d = domain.to_ascii_lowercase();
    d.ends_with(".amazonaws.com") && !d.contains(".s3-website") && (d.contains(".s3.") || d.contains(".s3-"))
}

/// `acm`, `iam` or `cloudfront`: from the certificate fields, as the deprecated
/// `CertificateSource` field advises, else that field.
fn certificate_source(c: &aws_sdk_cloudfront::types::ViewerCertificate) -> Option<String> {
    if non_empty(c.acm_certificate_arn()).is_some() {
        return Some("acm".to_string());
    }
    if non_empty(c.iam_certificate_id()).is_some() {
        return Some("iam".to_string());
    }
    if c.cloud_front_default_certificate() == Some(true) {
        return Some("cloudfront".to_string());
    }
    #[allow(deprecated)]
    c.certificate_source().map(|v| v.as_str().to_string())
}

fn distribution(s: &DistributionSummary, logging_enabled: bool, default_root_object: Option<String>) -> Distribution {
    let mut viewer_protocol_policies: Vec<String> = s
        .default_cache_behavior()
        .map(|b| b.viewer_protocol_policy().as_str().to_string())
        .into_iter()
        .chain(s.cache_behaviors().map(|c| c.items()).unwrap_or_default().iter().map(|b| b.viewer_protocol_policy().as_str().to_string()))
        .collect();
    viewer_protocol_policies.sort();
    viewer_protocol_policies.dedup();
    let cert = s.viewer_certificate();
    Distribution {
        id: s.id().to_string(),
        arn: s.arn().to_string(),
        domain_name: s.domain_name().to_string(),
        aliases: s.aliases().map(|a| a.items().to_vec()).unwrap_or_default(),
        enabled: s.enabled(),
        viewer_protocol_policies,
        minimum_protocol_version: cert.and_then(|c| c.minimum_protocol_version()).map(|v| v.as_str().to_string()),
        ssl_support_method: cert.and_then(|c| c.ssl_support_method()).map(|v| v.as_str().to_string()),
        certificate_source: cert.and_then(certificate_source),
        iam_certificate_id: cert.and_then(|c| non_empty(c.iam_certificate_id())),
        acm_certificate_arn: cert.and_then(|c| non_empty(c.acm_certificate_arn())),
        cloudfront_default_certificate: cert.and_then(|c| c.cloud_front_default_certificate()).unwrap_or_default(),
        origins: s
            .origins()
            .map(|o| o.items())
            .unwrap_or_default()
            .iter()
            .map(|o| {
                let custom = o.custom_origin_config();
                Origin {
                    id: o.id().to_string(),
                    domain_name: o.domain_name().to_string(),
                    origin_protocol_policy: custom.map(|c| c.origin_protocol_policy().as_str().to_string()),
                    origin_ssl_protocols: custom
                        .and_then(|c| c.origin_ssl_protocols())
                        .map(|p| p.items().iter().map(|v| v.as_str().to_string()).collect())
                        .unwrap_or_default(),
                    s3_origin: o.s3_origin_config().is_some() || (custom.is_none() && is_s3_domain(o.domain_name())),
                    origin_access_control_id: non_empty(o.origin_access_control_id()),
                    origin_access_identity: o.s3_origin_config().and_then(|c| non_empty(Some(c.origin_access_identity()))),
                    https_port: custom.and_then(|c| u16::try_from(c.https_port()).ok()),
                    served_certificate: Observed::not_collected(),
                }
            })
            .collect(),
        web_acl_id: non_empty(Some(s.web_acl_id())),
        geo_restriction_type: match s.restrictions().and_then(|r| r.geo_restriction()) {
            Some(g) => Observed::Known(g.restriction_type().as_str().to_string()),
            None => Observed::Unknown("cloudfront:ListDistributions: no Restrictions in the response".into()),
        },
        default_field_level_encryption_id: match s.default_cache_behavior() {
            Some(b) => Observed::Known(non_empty(b.field_level_encryption_id())),
            None => Observed::Unknown("cloudfront:ListDistributions: no DefaultCacheBehavior in the response".into()),
        },
        logging_enabled,
        default_root_object,
        origin_groups: Observed::Known(
            s.origin_groups()
                .map(|g| g.items())
                .unwrap_or_default()
                .iter()
                .map(|g| g.members().map(|m| m.items()).unwrap_or_default().iter().map(|m| m.origin_id().to_string()).collect())
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_rest_endpoints_only() {
        assert!(is_s3_domain("b.s3.amazonaws.com"));
        assert!(is_s3_domain("b.s3.eu-west-1.amazonaws.com"));
        assert!(is_s3_domain("b.s3-eu-west-1.amazonaws.com"));
        assert!(!is_s3_domain("b.s3-website-eu-west-1.amazonaws.com"));
        assert!(!is_s3_domain("b.s3-website.eu-west-1.amazonaws.com"));
        assert!(!is_s3_domain("example.com"));
    }
}
