//! CloudFront distributions whose S3 origin names a bucket that does not exist.
//!
//! Security Hub CloudFront.12:
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/cloudfront-controls.html#cloudfront-12>.
//! An S3 origin (REST endpoint, not a website endpoint, access point or Object Lambda) passes
//! when its bucket is among the buckets of the scanned accounts. Rampart cannot ask S3 about
//! buckets of other accounts: a bucket owned outside the scanned accounts fails too, and the
//! reason says so. Unreadable bucket lists give NOT_AVAILABLE. One result per distribution with
//! S3 origins.
//!
//! AWS: "The control fails for a CloudFront distribution if the origin is configured to point to a
//! non-existent bucket. This control only applies to CloudFront distributions where an S3 bucket
//! without static website hosting is the S3 origin" (Security Hub CloudFront.12).

use super::each_distribution;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};
use std::collections::HashSet;

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudfront_s3_origin_exists",
        title: "CloudFront distributions point to non-existent S3 origins",
        description: "Anyone can create a bucket with a free name: if the origin's bucket was deleted, whoever recreates it serves content under the distribution's domain (subdomain takeover).",
        severity: Severity::High,
        category: Category::Security,
        service: "cloudfront",
        resource_type: ResourceType::AwsCloudFrontDistribution,
        standards: &[StandardRef::fsbp("CloudFront.12")],
        remediation: Remediation {
            console: "CloudFront console > Distributions > the distribution > Origins: point the origin to an existing bucket you own, or delete the origin (and the behaviors that use it); recreate the bucket first if the content must stay.",
            cli: "aws cloudfront get-distribution-config --id <id> > cfg.json; edit Origins; aws cloudfront update-distribution --id <id> --if-match <etag> --distribution-config file://cfg.json",
            url: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistS3AndCustomOrigins.html",
        },
    },
    run,
};

/// The bucket of an S3 REST endpoint (`b.s3.amazonaws.com`, `b.s3.eu-west-1.amazonaws.com`,
/// `b.s3-eu-west-1.amazonaws.com`); `None` for access points, Object Lambda and other hosts.
pub(crate) fn bucket_of(domain: &str) -> Option<&str> {
    let domain = domain.trim_end_matches('.');
    if domain.contains(".s3-accesspoint.") || domain.contains(".s3-object-lambda.") {
        return None;
    }
    let at = domain.match_indices(".s3").map(|(i, _)| i).filter(|&i| matches!(domain.as_bytes().get(i + 3), Some(b'.' | b'-'))).last()?;
    Some(&domain[..at]).filter(|b| !b.is_empty())
}

fn run(ctx: &Ctx, out: &mut Emit) {
    let mut buckets = HashSet::new();
    let mut unknown = Vec::new();
    for account in &ctx.inventory.accounts {
        match &account.s3 {
            Observed::Known(s3) => buckets.extend(s3.buckets.iter().map(|b| b.name.as_str())),
            Observed::Unknown(why) => unknown.push(format!("{}: {why}", account.id)),
        }
    }
    // One account of a larger scan: the other accounts' buckets too.
    buckets.extend(ctx.inventory.estate_buckets.names.iter().map(String::as_str));
    unknown.extend(ctx.inventory.estate_buckets.unknown.iter().cloned());
    each_distribution(ctx, out, |_, d, res, out| {
        let names: Vec<&str> = d.origins.iter().filter(|o| o.s3_origin).filter_map(|o| bucket_of(&o.domain_name)).collect();
        if names.is_empty() {
            return;
        }
        let missing: Vec<&str> = names.iter().copied().filter(|b| !buckets.contains(b)).collect();
        if missing.is_empty() {
            out.pass(res, format!("origin buckets exist: {}", names.join(", ")));
        } else if !unknown.is_empty() {
            out.not_available(res, format!("buckets {} not found, but bucket lists could not be read ({})", missing.join(", "), unknown.join("; ")));
        } else {
            out.fail(res, format!("no bucket named {} in the scanned accounts (deleted, or owned by another account)", missing.join(", ")));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Bucket, Origin};
    use rampart_model::Status;

    fn s3_origin(domain: &str) -> Origin {
        Origin { id: domain.into(), domain_name: domain.into(), s3_origin: true, ..Default::default() }
    }

    #[test]
    fn bucket_names() {
        assert_eq!(bucket_of("my.bucket.s3.amazonaws.com"), Some("my.bucket"));
        assert_eq!(bucket_of("b.s3.eu-west-1.amazonaws.com"), Some("b"));
        assert_eq!(bucket_of("b.s3-eu-west-1.amazonaws.com"), Some("b"));
        assert_eq!(bucket_of("s3.amazonaws.com"), None);
        assert_eq!(bucket_of("ap-123456789012.s3-accesspoint.us-east-1.amazonaws.com"), None);
    }

    #[test]
    fn pass_fail_not_available() {
        let with = |domains: &[&str], s3_known: bool| {
            let mut d = rampart_inventory::Distribution { id: "E1".into(), domain_name: "d1.cloudfront.net".into(), ..Default::default() };
            d.origins = domains.iter().map(|x| s3_origin(x)).collect();
            let mut inv = inventory();
            account(&mut inv).cloudfront = Observed::Known(vec![d]);
            if s3_known {
                account(&mut inv).s3.known_mut().unwrap().buckets = vec![Bucket { name: "assets".into(), ..Default::default() }];
            } else {
                account(&mut inv).s3 = Observed::Unknown("s3:ListBuckets access denied".into());
            }
            run_check(&CHECK, &inv).iter().map(|r| r.status).collect::<Vec<_>>()
        };
        assert_eq!(with(&["assets.s3.us-east-1.amazonaws.com"], true), vec![Status::Passed]);
        assert_eq!(with(&["assets.s3.amazonaws.com", "gone.s3.amazonaws.com"], true), vec![Status::Failed]);
        assert_eq!(with(&["gone.s3.amazonaws.com"], false), vec![Status::NotAvailable]);
        assert_eq!(with(&[], true), Vec::<Status>::new());
        unknown_is_not_available(&CHECK);
    }
}
