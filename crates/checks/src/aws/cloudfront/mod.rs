//! CloudFront checks and what they share.

pub mod iam_certificate_expiry;
pub mod iam_certificate_strength;
pub mod origin_certificate;
pub mod origin_ssl_protocols;
pub mod default_root_object;
pub mod viewer_https;
pub mod logging;
pub mod waf;
pub mod custom_certificate;
pub mod sni;
pub mod custom_origin_https;
pub mod s3_origin_access_control;

use crate::{resource, Ctx, Emit};
use rampart_inventory::{Account, Distribution, Observed};
use rampart_model::{Resource, ResourceType};

/// Calls `f` for every distribution of every account whose CloudFront data is known.
pub(crate) fn each_distribution(ctx: &Ctx, out: &mut Emit, mut f: impl FnMut(&Account, &Distribution, Resource, &mut Emit)) {
    for account in &ctx.inventory.accounts {
        match &account.cloudfront {
            Observed::Known(ds) => {
                for d in ds {
                    let arn = if d.arn.is_empty() { format!("arn:{}:cloudfront::{}:distribution/{}", account.partition, account.id, d.id) } else { d.arn.clone() };
                    let res = resource(account, &account.home_region, ResourceType::AwsCloudFrontDistribution, arn, &d.domain_name);
                    f(account, d, res, out);
                }
            }
            Observed::Unknown(why) => {
                let res = resource(account, &account.home_region, ResourceType::AwsCloudFrontDistribution, format!("arn:{}:cloudfront::{}:distribution/*", account.partition, account.id), "all distributions");
                out.not_available(res, format!("CloudFront could not be read: {why}"));
            }
        }
    }
}

/// Why the key or signature is weak, if it is.
pub(crate) fn key_weakness(k: &rampart_inventory::CertificateKey) -> Option<String> {
    let sig = k.signature_algorithm.to_ascii_lowercase();
    if sig.contains("sha1") || sig.contains("md5") || sig.contains("sha-1") {
        return Some(format!("its signature algorithm is {}", k.signature_algorithm));
    }
    match (k.algorithm.as_str(), k.bits) {
        ("RSA", Some(b)) if b < 2048 => Some(format!("its RSA key has {b} bits (fewer than 2,048)")),
        ("EC", Some(b)) if b < 256 => Some(format!("its EC key has {b} bits (fewer than 256)")),
        _ => None,
    }
}

/// The distribution's custom viewer certificate (ACM or IAM), if it has one.
pub(crate) fn custom_certificate(d: &Distribution) -> Option<&str> {
    d.acm_certificate_arn.as_deref().or(d.iam_certificate_id.as_deref()).filter(|c| !c.is_empty())
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::testkit::*;
    use crate::Check;
    use rampart_inventory::{Distribution, Observed};
    use rampart_model::{CheckResult, Status};

    /// Runs `check` on one distribution edited by `edit`.
    pub fn results_with(check: &Check, edit: impl FnOnce(&mut Distribution)) -> Vec<CheckResult> {
        let mut d = Distribution { id: "E1".into(), domain_name: "d1.cloudfront.net".into(), ..Default::default() };
        edit(&mut d);
        let mut inv = inventory();
        account(&mut inv).cloudfront = Observed::Known(vec![d]);
        run_check(check, &inv)
    }

    /// The status of the single result on one distribution edited by `edit`.
    pub fn one_with(check: &Check, edit: impl FnOnce(&mut Distribution)) -> Status {
        let r = results_with(check, edit);
        assert_eq!(r.len(), 1, "{r:#?}");
        r[0].status
    }

    /// CloudFront unreadable: one NOT_AVAILABLE.
    pub fn unknown_is_not_available(check: &Check) {
        let mut inv = inventory();
        account(&mut inv).cloudfront = Observed::Unknown("cloudfront:ListDistributions access denied".into());
        assert_eq!(single(check, &inv).0, Status::NotAvailable);
    }
}
pub mod s3_origin_exists;
pub mod origin_failover;
pub mod alternate_domain_names;
pub mod geo_restriction;
pub mod field_level_encryption;
