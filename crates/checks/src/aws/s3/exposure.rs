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

/// What the world can do to a bucket, with the reason for each.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Exposure {
    pub read: Vec<String>,
    pub write: Vec<String>,
}

/// Why the exposure could not be decided.
#[derive(Debug, PartialEq, Eq)]
pub enum Undecided {
    /// Needed data was not read.
    Unknown(String),
    /// The bucket policy is not a valid policy document.
    Malformed(String),
}

/// Account- and bucket-level Block Public Access combined: a flag counts when set at either.
/// `None` when a flag we need is unknown.
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

pub fn exposure(
    account_bpa: &Observed<Option<PublicAccessBlock>>,
    bucket: &Bucket,
    bucket_account: &str,
) -> Result<Exposure, Undecided> {
    let mut exp = Exposure::default();

    // ACLs.
    let acls_disabled = matches!(&bucket.ownership_controls, Observed::Known(Some(o)) if o == "BucketOwnerEnforced");
    if !acls_disabled {
        let grants = bucket.acl.as_result().map_err(|why| Undecided::Unknown(format!("bucket ACL: {why}")))?;
        let public: Vec<_> = grants
            .iter()
            .filter(|g| g.grantee == ALL_USERS_URI || g.grantee == AUTHENTICATED_USERS_URI)
            .collect();
        if !public.is_empty() {
            let ignored = effective_flag(account_bpa, &bucket.public_access_block, |b| b.ignore_public_acls)
                .map_err(|why| Undecided::Unknown(format!("block public access settings: {why}")))?;
            if !ignored {
                if let Observed::Unknown(why) = &bucket.ownership_controls {
                    // ACLs could be disabled; we cannot tell.
                    return Err(Undecided::Unknown(format!("object ownership: {why}")));
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
        }
    }

    // Bucket policy.
    let policy = bucket.policy.as_result().map_err(|why| Undecided::Unknown(format!("bucket policy: {why}")))?;
    if let Some(text) = policy {
        let doc = rampart_policy::parse(text).map_err(|e| Undecided::Malformed(format!("bucket policy is not valid: {e}")))?;
        let public = rampart_policy::s3_bucket_policy_public_access(&doc, bucket_account);
        if public.is_public() {
            let restricted = effective_flag(account_bpa, &bucket.public_access_block, |b| b.restrict_public_buckets)
                .map_err(|why| Undecided::Unknown(format!("block public access settings: {why}")))?;
            if !restricted {
                if !public.list.is_empty() {
                    exp.read.push(format!("bucket policy lets anyone {}", public.list.join(", ")));
                }
                if !public.read.is_empty() {
                    exp.read.push(format!("bucket policy lets anyone {}", public.read.join(", ")));
                }
                if !public.write.is_empty() {
                    exp.write.push(format!("bucket policy lets anyone {}", public.write.join(", ")));
                }
            }
        }
    }
    Ok(exp)
}
