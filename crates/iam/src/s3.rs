//! S3 as the resource: what bucket ACLs grant and what Block Public Access takes away, as
//! resource-based statements the evaluation reads next to the bucket policy.
//!
//! Following the S3 User Guide ("Access control list (ACL) overview", "Blocking public access
//! to your Amazon S3 storage", "Controlling ownership of objects and disabling ACLs"):
//! - a bucket ACL grant of `READ` lists the bucket (`s3:ListBucket`, `ListBucketVersions`,
//!   `ListBucketMultipartUploads`), `WRITE` writes and deletes its objects (`s3:PutObject`,
//!   `s3:DeleteObject`), `READ_ACP`/`WRITE_ACP` read and write the bucket ACL, and
//!   `FULL_CONTROL` all of those; `AllUsers` is everyone (anonymous included),
//!   `AuthenticatedUsers` any AWS principal (not anonymous), `LogDelivery` S3's log delivery;
//! - Object Ownership `BucketOwnerEnforced` disables ACLs: they grant nothing;
//! - `IgnorePublicAcls` (the account's or the bucket's) voids grants to `AllUsers` and
//!   `AuthenticatedUsers`;
//! - `RestrictPublicBuckets`, on a bucket whose policy is public (S3's definition,
//!   `rampart_policy::s3_bucket_policy_public_access`), lets in only AWS service principals
//!   and principals of the bucket owner's account: every other request is refused.
//!   [`restrict_public_buckets`] says it as a `Deny` the answer names.
//!
//! Object ACLs are not read by the collector and are not modelled.

use crate::NamedPolicy;

/// Who a bucket ACL grant names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grantee {
    AllUsers,
    AuthenticatedUsers,
    LogDelivery,
    /// The account of a canonical user id the estate knows.
    Account(String),
}

/// The name of the policy [`acl_policy`] returns.
pub const ACL_POLICY: &str = "bucket ACL";
/// The name of the policy [`restrict_public_buckets`] returns.
pub const RESTRICT_PUBLIC_BUCKETS: &str = "Block Public Access (RestrictPublicBuckets)";

/// The IAM actions an ACL permission on a bucket allows, with whether each acts on objects
/// (`bucket/*`) rather than on the bucket.
#[must_use]
pub fn acl_actions(permission: &str) -> &'static [(&'static str, bool)] {
    const READ: &[(&str, bool)] = &[("s3:ListBucket", false), ("s3:ListBucketVersions", false), ("s3:ListBucketMultipartUploads", false)];
    const WRITE: &[(&str, bool)] = &[("s3:PutObject", true), ("s3:DeleteObject", true)];
    const FULL: &[(&str, bool)] = &[
        ("s3:ListBucket", false),
        ("s3:ListBucketVersions", false),
        ("s3:ListBucketMultipartUploads", false),
        ("s3:PutObject", true),
        ("s3:DeleteObject", true),
        ("s3:GetBucketAcl", false),
        ("s3:PutBucketAcl", false),
    ];
    match permission {
        "READ" => READ,
        "WRITE" => WRITE,
        "READ_ACP" => &[("s3:GetBucketAcl", false)],
        "WRITE_ACP" => &[("s3:PutBucketAcl", false)],
        "FULL_CONTROL" => FULL,
        _ => &[],
    }
}

/// The bucket ACL's grants as one resource-based policy (one statement per grant, in order),
/// after Object Ownership and `IgnorePublicAcls`; `None` when nothing is granted.
#[must_use]
pub fn acl_policy(bucket_arn: &str, grants: &[(Grantee, String)], acls_disabled: bool, ignore_public_acls: bool) -> Option<NamedPolicy> {
    if acls_disabled {
        return None;
    }
    let mut statements = Vec::new();
    for (grantee, permission) in grants {
        let public = matches!(grantee, Grantee::AllUsers | Grantee::AuthenticatedUsers);
        if public && ignore_public_acls {
            continue;
        }
        let actions = acl_actions(permission);
        if actions.is_empty() {
            continue;
        }
        let mut resources: Vec<String> = Vec::new();
        if actions.iter().any(|(_, obj)| !obj) {
            resources.push(bucket_arn.to_string());
        }
        if actions.iter().any(|(_, obj)| *obj) {
            resources.push(format!("{bucket_arn}/*"));
        }
        let principal = match grantee {
            Grantee::AllUsers => serde_json::json!("*"),
            Grantee::AuthenticatedUsers => serde_json::json!({"AWS": "*"}),
            Grantee::LogDelivery => serde_json::json!({"Service": "logging.s3.amazonaws.com"}),
            Grantee::Account(a) => serde_json::json!({"AWS": a}),
        };
        let mut st = serde_json::json!({
            "Sid": format!("{permission} to {}", match grantee {
                Grantee::AllUsers => "AllUsers".to_string(),
                Grantee::AuthenticatedUsers => "AuthenticatedUsers".to_string(),
                Grantee::LogDelivery => "LogDelivery".to_string(),
                Grantee::Account(a) => a.clone(),
            }),
            "Effect": "Allow",
            "Principal": principal,
            "Action": actions.iter().map(|(a, _)| *a).collect::<Vec<_>>(),
            "Resource": resources,
        });
        if *grantee == Grantee::AuthenticatedUsers {
            // Any authenticated AWS principal: not an anonymous request.
            st["Condition"] = serde_json::json!({"StringNotEquals": {"aws:PrincipalType": "Anonymous"}});
        }
        statements.push(st);
    }
    if statements.is_empty() {
        return None;
    }
    let doc = serde_json::json!({"Version": "2012-10-17", "Statement": statements});
    // Invariant: the document is built here from fixed shapes; it always parses.
    let document = rampart_policy::parse(&doc.to_string()).expect("built ACL policy parses");
    Some(NamedPolicy { name: ACL_POLICY.into(), document })
}

/// Whether `RestrictPublicBuckets` applies to a bucket with this policy: the setting is on
/// (the account's or the bucket's) and the policy is public by S3's definition.
#[must_use]
pub fn restricts(policy: Option<&rampart_policy::PolicyDocument>, owner_account: &str, restrict_public_buckets: bool) -> bool {
    restrict_public_buckets && policy.is_some_and(|p| rampart_policy::s3_bucket_policy_public_access(p, owner_account).is_public())
}

/// `RestrictPublicBuckets` in force on a bucket: a `Deny` of every request that is neither
/// an AWS service's nor a principal's of `owner_account`.
#[must_use]
pub fn restrict_public_buckets(bucket_arn: &str, owner_account: &str) -> NamedPolicy {
    let doc = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "OnlyOwnerAccountAndServices",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [bucket_arn, format!("{bucket_arn}/*")],
            "Condition": {
                "StringNotEquals": {"aws:PrincipalAccount": owner_account},
                "Null": {"aws:PrincipalServiceName": "true"}
            }
        }]
    });
    // Invariant: built here from fixed shapes; it always parses.
    let document = rampart_policy::parse(&doc.to_string()).expect("built BPA policy parses");
    NamedPolicy { name: RESTRICT_PUBLIC_BUCKETS.into(), document }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{evaluate, Context, Decision, Policies, Request};

    fn req(principal: &str, action: &str, resource: &str) -> Request {
        Request {
            principal: principal.into(),
            role_arn: None,
            action: action.into(),
            resource: resource.into(),
            resource_account: Some("111111111111".into()),
            context: Context::new(),
        }
    }

    const BUCKET: &str = "arn:aws:s3:::b";
    const OUTSIDER: &str = "arn:aws:iam::222222222222:user/eve";

    fn outsider_identity() -> Vec<NamedPolicy> {
        let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
        vec![NamedPolicy { name: "eve-s3".into(), document: rampart_policy::parse(doc).unwrap() }]
    }

    #[test]
    fn acl_grants_by_grantee_and_permission() {
        let acl =
            acl_policy(BUCKET, &[(Grantee::AllUsers, "READ".into()), (Grantee::AuthenticatedUsers, "WRITE".into())], false, false).unwrap();
        let p = Policies { resource: vec![acl.clone()], ..Policies::default() };
        assert_eq!(evaluate(&req("anonymous", "s3:ListBucket", BUCKET), &p).decision, Decision::Allowed);
        assert_eq!(evaluate(&req("anonymous", "s3:PutObject", "arn:aws:s3:::b/k"), &p).decision, Decision::ImplicitDeny);
        assert_eq!(
            evaluate(&req("anonymous", "s3:GetObject", "arn:aws:s3:::b/k"), &p).decision,
            Decision::ImplicitDeny,
            "READ on a bucket lists, it does not read objects"
        );
        let cross = Policies { identity: outsider_identity(), resource: vec![acl], ..Policies::default() };
        assert_eq!(evaluate(&req(OUTSIDER, "s3:PutObject", "arn:aws:s3:::b/k"), &cross).decision, Decision::Allowed);
        // IgnorePublicAcls voids both public grants; BucketOwnerEnforced voids every grant.
        assert!(
            acl_policy(BUCKET, &[(Grantee::AllUsers, "READ".into()), (Grantee::AuthenticatedUsers, "WRITE".into())], false, true).is_none()
        );
        assert!(acl_policy(BUCKET, &[(Grantee::Account("222222222222".into()), "FULL_CONTROL".into())], true, false).is_none());
        let kept = acl_policy(
            BUCKET,
            &[(Grantee::AllUsers, "READ".into()), (Grantee::Account("222222222222".into()), "READ".into())],
            false,
            true,
        )
        .unwrap();
        assert_eq!(kept.document.statements.len(), 1, "a grant to an account is not public: IgnorePublicAcls keeps it");
    }

    #[test]
    fn restrict_public_buckets_keeps_the_owner_account_and_services_only() {
        let public = rampart_policy::parse(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#).unwrap();
        assert!(restricts(Some(&public), "111111111111", true));
        assert!(!restricts(Some(&public), "111111111111", false));
        let fixed = rampart_policy::parse(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#).unwrap();
        assert!(!restricts(Some(&fixed), "111111111111", true), "a policy granting a fixed account is not public");
        let bucket_policy = NamedPolicy { name: "bucket policy".into(), document: public };
        let with = |bpa: bool| Policies {
            identity: outsider_identity(),
            resource: if bpa {
                vec![bucket_policy.clone(), restrict_public_buckets(BUCKET, "111111111111")]
            } else {
                vec![bucket_policy.clone()]
            },
            ..Policies::default()
        };
        let obj = "arn:aws:s3:::b/k";
        assert_eq!(evaluate(&req("anonymous", "s3:GetObject", obj), &with(false)).decision, Decision::Allowed);
        assert_eq!(evaluate(&req("anonymous", "s3:GetObject", obj), &with(true)).decision, Decision::ExplicitDeny);
        assert_eq!(evaluate(&req(OUTSIDER, "s3:GetObject", obj), &with(false)).decision, Decision::Allowed);
        let a = evaluate(&req(OUTSIDER, "s3:GetObject", obj), &with(true));
        assert_eq!(a.decision, Decision::ExplicitDeny);
        assert!(a.matched.iter().any(|m| m.policy == RESTRICT_PUBLIC_BUCKETS));
        let own = "arn:aws:iam::111111111111:user/alice";
        assert_eq!(evaluate(&req(own, "s3:GetObject", obj), &with(true)).decision, Decision::Allowed, "the owner account keeps access");
        assert_eq!(
            evaluate(&req("cloudtrail.amazonaws.com", "s3:GetObject", obj), &with(true)).decision,
            Decision::Allowed,
            "services keep access"
        );
    }
}
