//! Whether a bucket is public, by S3's own rules.
//!
//! - ACL grants to `AllUsers` or `AuthenticatedUsers` (any AWS account) are public, unless ACLs
//!   are disabled (object ownership `BucketOwnerEnforced`) or `IgnorePublicAcls` is on at the
//!   account or bucket level. A bucket-ACL `READ` lets anyone list the bucket; `WRITE` lets
//!   anyone create, overwrite and delete objects; `WRITE_ACP` lets anyone rewrite the ACL;
//!   `FULL_CONTROL` is all of these.
//!   <https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html>
//! - A bucket policy is public when `rampart_policy` says so (S3's "meaning of public"),
//!   unless `RestrictPublicBuckets` is on at the account or bucket level, which limits access
//!   to AWS service principals and the bucket owner's account.
//!   `BlockPublicAcls` and `BlockPublicPolicy` only refuse *new* public ACLs and policies;
//!   they do not neutralize existing ones, so they are not considered here.
//!   <https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html>

use rampart_inventory::{Bucket, Observed, PublicAccessBlock, ALL_USERS_URI, AUTHENTICATED_USERS_URI};

/// What the world can do to a bucket, with the reason for each, and what could not be told.
///
/// ACL and policy are judged independently: a public grant proven by one source is a finding
/// even when the other source could not be read.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Exposure {
    pub read: Vec<String>,
    pub write: Vec<String>,
    /// Data that was needed and not read: without a proven exposure, the verdict is
    /// NOT_AVAILABLE.
    pub unknown: Vec<String>,
    /// The bucket policy is not a valid policy document.
    pub malformed: Option<String>,
}

/// Account- and bucket-level Block Public Access combined: a flag counts when set at either.
fn effective_flag(
    account: &Observed<Option<PublicAccessBlock>>,
    bucket: &Observed<Option<PublicAccessBlock>>,
    flag: fn(&PublicAccessBlock) -> bool,
) -> Result<bool, String> {
    let get = |o: &Observed<Option<PublicAccessBlock>>| match o {
        Observed::Known(b) => Ok(b.as_ref().map(flag).unwrap_or(false)),
        Observed::Unknown(why) => Err(why.clone()),
    };
    match (get(account), get(bucket)) {
        (Ok(true), _) | (_, Ok(true)) => Ok(true),
        (Ok(false), Ok(false)) => Ok(false),
        (Err(why), _) | (_, Err(why)) => Err(why),
    }
}

pub fn exposure(account_bpa: &Observed<Option<PublicAccessBlock>>, bucket: &Bucket, bucket_account: &str) -> Exposure {
    let mut exp = Exposure::default();
    acl_exposure(account_bpa, bucket, &mut exp);
    policy_exposure(account_bpa, bucket, bucket_account, &mut exp);
    exp
}

fn acl_exposure(account_bpa: &Observed<Option<PublicAccessBlock>>, bucket: &Bucket, exp: &mut Exposure) {
    // ACLs disabled by object ownership: grants are not evaluated by S3 at all.
    if matches!(&bucket.ownership_controls, Observed::Known(Some(o)) if o == "BucketOwnerEnforced") {
        return;
    }
    let grants = match &bucket.acl {
        Observed::Known(g) => g,
        Observed::Unknown(why) => return exp.unknown.push(format!("bucket ACL: {why}")),
    };
    let public: Vec<_> = grants
        .iter()
        .filter(|g| g.grantee == ALL_USERS_URI || g.grantee == AUTHENTICATED_USERS_URI)
        .collect();
    if public.is_empty() {
        return;
    }
    match effective_flag(account_bpa, &bucket.public_access_block, |b| b.ignore_public_acls) {
        Ok(true) => return,
        Ok(false) => {}
        Err(why) => return exp.unknown.push(format!("block public access settings: {why}")),
    }
    if let Observed::Unknown(why) = &bucket.ownership_controls {
        // ACLs could be disabled; we cannot tell.
        return exp.unknown.push(format!("object ownership: {why}"));
    }
    for g in public {
        let who = if g.grantee == ALL_USERS_URI { "everyone" } else { "any authenticated AWS user" };
        match g.permission.as_str() {
            "READ" => exp.read.push(format!("ACL grants list (READ) to {who}")),
            "WRITE" => exp.write.push(format!("ACL grants upload/delete (WRITE) to {who}")),
            "WRITE_ACP" => exp.write.push(format!("ACL grants WRITE_ACP (rewrite the ACL) to {who}")),
            "READ_ACP" => exp.read.push(format!("ACL grants READ_ACP (read the ACL) to {who}")),
            "FULL_CONTROL" => {
                exp.read.push(format!("ACL grants FULL_CONTROL to {who}"));
                exp.write.push(format!("ACL grants FULL_CONTROL to {who}"));
            }
            _ => {}
        }
    }
}

fn policy_exposure(account_bpa: &Observed<Option<PublicAccessBlock>>, bucket: &Bucket, bucket_account: &str, exp: &mut Exposure) {
    let text = match &bucket.policy {
        Observed::Known(None) => return,
        Observed::Known(Some(t)) => t,
        Observed::Unknown(why) => return exp.unknown.push(format!("bucket policy: {why}")),
    };
    let doc = match rampart_policy::parse(text) {
        Ok(d) => d,
        Err(e) => {
            exp.malformed = Some(format!("bucket policy is not valid: {e}"));
            return;
        }
    };
    let public = rampart_policy::s3_bucket_policy_public_access(&doc, bucket_account);
    if !public.is_public() {
        return;
    }
    match effective_flag(account_bpa, &bucket.public_access_block, |b| b.restrict_public_buckets) {
        Ok(true) => return,
        Ok(false) => {}
        Err(why) => return exp.unknown.push(format!("block public access settings: {why}")),
    }
    if !public.list.is_empty() {
        exp.read.push(format!("bucket policy lets anyone {}", public.list.join(", ")));
    }
    if !public.read.is_empty() {
        exp.read.push(format!("bucket policy lets anyone {}", public.read.join(", ")));
    }
    if !public.write.is_empty() {
        exp.write.push(format!("bucket policy lets anyone {}", public.write.join(", ")));
    }
    // `other`: reads of configuration and metadata (known actions) count as public read; an
    // S3 action the table does not know might change anything, so it counts as write.
    let (known, unknown): (Vec<&String>, Vec<&String>) =
        public.other.iter().partition(|a| rampart_policy::s3_action_class(a).is_some());
    if !known.is_empty() {
        exp.read.push(format!("bucket policy lets anyone read metadata: {}", join(&known)));
    }
    if !unknown.is_empty() {
        exp.write.push(format!("bucket policy lets anyone call S3 actions rampart does not know (assumed to write): {}", join(&unknown)));
    }
}

fn join(v: &[&String]) -> String {
    v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
}
