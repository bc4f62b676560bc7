//! The S3 actions a bucket policy can grant on a bucket or its objects, each
//! with the class of access it gives.
//!
//! Action names from the Service Authorization Reference, "Actions, resources,
//! and condition keys for Amazon S3"
//! (<https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html>),
//! restricted to the `bucket` and `object` resource types. Account-level actions
//! (`s3:ListAllMyBuckets`, `s3:CreateJob`, ...) are left out: a bucket policy
//! cannot grant them on the bucket.

use std::fmt;

/// What a public grant of an action exposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum S3AccessClass {
    /// Object data can be read.
    Read,
    /// Object keys, versions or uploads can be listed.
    List,
    /// Anything that changes the bucket, its configuration, its objects or their
    /// metadata (ACLs and the bucket policy included).
    Write,
    /// Reads of configuration and metadata (ACLs, tags, the bucket policy, ...),
    /// and any S3 action this table does not know.
    Other,
}

impl fmt::Display for S3AccessClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Read => "read",
            Self::List => "list",
            Self::Write => "write",
            Self::Other => "other",
        })
    }
}

use S3AccessClass::{List, Other, Read, Write};

/// Every known bucket- or object-level S3 action and its class. `s3:*`,
/// `s3:Get*`, `*` and `NotAction` lists are expanded against this table.
pub const S3_ACTIONS: &[(&str, S3AccessClass)] = &[
    // Listing.
    ("s3:ListBucket", List),
    ("s3:ListBucketVersions", List),
    ("s3:ListBucketMultipartUploads", List),
    ("s3:ListMultipartUploadParts", List),
    // Object data.
    ("s3:GetObject", Read),
    ("s3:GetObjectVersion", Read),
    ("s3:GetObjectTorrent", Read),
    ("s3:GetObjectVersionTorrent", Read),
    ("s3:GetObjectVersionForReplication", Read),
    // Writes to objects.
    ("s3:PutObject", Write),
    ("s3:PutObjectAcl", Write),
    ("s3:PutObjectVersionAcl", Write),
    ("s3:PutObjectTagging", Write),
    ("s3:PutObjectVersionTagging", Write),
    ("s3:PutObjectLegalHold", Write),
    ("s3:PutObjectRetention", Write),
    ("s3:DeleteObject", Write),
    ("s3:DeleteObjectVersion", Write),
    ("s3:DeleteObjectTagging", Write),
    ("s3:DeleteObjectVersionTagging", Write),
    ("s3:RestoreObject", Write),
    ("s3:AbortMultipartUpload", Write),
    ("s3:ReplicateObject", Write),
    ("s3:ReplicateDelete", Write),
    ("s3:ReplicateTags", Write),
    ("s3:BypassGovernanceRetention", Write),
    ("s3:ObjectOwnerOverrideToBucketOwner", Write),
    // Writes to the bucket and its configuration.
    ("s3:CreateBucket", Write),
    ("s3:DeleteBucket", Write),
    ("s3:DeleteBucketPolicy", Write),
    ("s3:DeleteBucketWebsite", Write),
    ("s3:DeleteBucketOwnershipControls", Write),
    ("s3:PutBucketPolicy", Write),
    ("s3:PutBucketAcl", Write),
    ("s3:PutBucketCORS", Write),
    ("s3:PutBucketLogging", Write),
    ("s3:PutBucketNotification", Write),
    ("s3:PutBucketObjectLockConfiguration", Write),
    ("s3:PutBucketOwnershipControls", Write),
    ("s3:PutBucketPublicAccessBlock", Write),
    ("s3:PutBucketRequestPayment", Write),
    ("s3:PutBucketTagging", Write),
    ("s3:PutBucketVersioning", Write),
    ("s3:PutBucketWebsite", Write),
    ("s3:PutAccelerateConfiguration", Write),
    ("s3:PutAnalyticsConfiguration", Write),
    ("s3:PutEncryptionConfiguration", Write),
    ("s3:PutIntelligentTieringConfiguration", Write),
    ("s3:PutInventoryConfiguration", Write),
    ("s3:PutLifecycleConfiguration", Write),
    ("s3:PutMetricsConfiguration", Write),
    ("s3:PutReplicationConfiguration", Write),
    // Reads of object metadata.
    ("s3:GetObjectAcl", Other),
    ("s3:GetObjectVersionAcl", Other),
    ("s3:GetObjectTagging", Other),
    ("s3:GetObjectVersionTagging", Other),
    ("s3:GetObjectAttributes", Other),
    ("s3:GetObjectVersionAttributes", Other),
    ("s3:GetObjectLegalHold", Other),
    ("s3:GetObjectRetention", Other),
    // Reads of bucket configuration.
    ("s3:GetBucketAcl", Other),
    ("s3:GetBucketCORS", Other),
    ("s3:GetBucketLocation", Other),
    ("s3:GetBucketLogging", Other),
    ("s3:GetBucketNotification", Other),
    ("s3:GetBucketObjectLockConfiguration", Other),
    ("s3:GetBucketOwnershipControls", Other),
    ("s3:GetBucketPolicy", Other),
    ("s3:GetBucketPolicyStatus", Other),
    ("s3:GetBucketPublicAccessBlock", Other),
    ("s3:GetBucketRequestPayment", Other),
    ("s3:GetBucketTagging", Other),
    ("s3:GetBucketVersioning", Other),
    ("s3:GetBucketWebsite", Other),
    ("s3:GetAccelerateConfiguration", Other),
    ("s3:GetAnalyticsConfiguration", Other),
    ("s3:GetEncryptionConfiguration", Other),
    ("s3:GetIntelligentTieringConfiguration", Other),
    ("s3:GetInventoryConfiguration", Other),
    ("s3:GetLifecycleConfiguration", Other),
    ("s3:GetMetricsConfiguration", Other),
    ("s3:GetReplicationConfiguration", Other),
];

/// The class of a known S3 action, compared case-insensitively; `None` for an
/// action (or pattern) not in [`S3_ACTIONS`].
#[must_use]
pub fn s3_action_class(action: &str) -> Option<S3AccessClass> {
    S3_ACTIONS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(action))
        .map(|(_, class)| *class)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn table_has_no_duplicates_and_well_formed_names() {
        let mut seen = HashSet::new();
        for (name, _) in S3_ACTIONS {
            assert!(seen.insert(name.to_ascii_lowercase()), "duplicate {name}");
            assert!(name.starts_with("s3:"), "{name}");
            assert!(
                name[3..].chars().all(|c| c.is_ascii_alphanumeric()),
                "{name}"
            );
        }
    }

    #[test]
    fn documented_bad_actions_are_never_other_than_expected() {
        assert_eq!(s3_action_class("S3:GETOBJECT"), Some(Read));
        assert_eq!(s3_action_class("s3:ListBucket"), Some(List));
        assert_eq!(s3_action_class("s3:PutBucketPolicy"), Some(Write));
        assert_eq!(s3_action_class("s3:GetBucketAcl"), Some(Other));
        assert_eq!(s3_action_class("s3:Get*"), None);
        // S3's "bad actions" (s3:Delete*, s3:Put*, s3:RestoreObject,
        // s3:AbortMultipartUpload) all count as writes.
        for (name, class) in S3_ACTIONS {
            let lower = name.to_ascii_lowercase();
            if lower.starts_with("s3:put") || lower.starts_with("s3:delete") {
                assert_eq!(*class, Write, "{name}");
            }
            if lower.starts_with("s3:list") {
                assert_eq!(*class, List, "{name}");
            }
        }
    }
}
