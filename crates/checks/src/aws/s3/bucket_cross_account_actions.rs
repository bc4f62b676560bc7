//! S3 bucket policies that let other AWS accounts change the bucket's policy, ACLs or
//! encryption, or delete its policy.
//!
//! Security Hub S3.6 (AWS Config rule `s3-bucket-blacklisted-actions-prohibited`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-6>.
//! The control's blocked actions are `s3:DeleteBucketPolicy`, `s3:PutBucketAcl`,
//! `s3:PutBucketPolicy`, `s3:PutEncryptionConfiguration` and `s3:PutObjectAcl`. A bucket fails
//! when an `Allow` statement grants one of them (directly or through a wildcard) to a principal
//! of another account: an account id or ARN other than the bucket's account, `*`, or any
//! `NotPrincipal`; service principals do not count. Conditions are not considered. One result
//! per bucket.
//!
//! Several statements and principals: each `Allow` statement is judged on its own, and a
//! principal list that names the owning account and another account counts as another account
//! (test `several_statements`).
//!
//! AWS: "The control fails if the S3 bucket policy allows any of the following actions for a
//! principal in another AWS account ... This control only checks entities in the Principal
//! element and doesn't take into account any conditionals under the Condition element of a
//! policy" (Security Hub S3.6).

use super::each_bucket;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};
use rampart_policy::{action_matches, Effect, Principal, Statement};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "s3_bucket_cross_account_actions",
        title: "S3 bucket policies allow other AWS accounts to change the bucket's permissions or encryption",
        description: "Whoever can rewrite a bucket's policy or ACLs, or its encryption configuration, controls who reads and writes its data: that power should stay in the owning account.",
        severity: Severity::High,
        category: Category::Security,
        service: "s3",
        resource_type: ResourceType::AwsS3Bucket,
        standards: &[StandardRef::fsbp("S3.6")],
        remediation: Remediation {
            console: "S3 console > the bucket > Permissions > Bucket policy > Edit: remove s3:DeleteBucketPolicy, s3:PutBucketAcl, s3:PutBucketPolicy, s3:PutEncryptionConfiguration and s3:PutObjectAcl (and wildcards covering them) from statements for other accounts.",
            cli: "aws s3api put-bucket-policy --bucket <bucket> --policy file://policy.json",
            url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html",
        },
    },
    run,
};

/// The actions the control blocks.
const BLOCKED: &[&str] =
    &["s3:DeleteBucketPolicy", "s3:PutBucketAcl", "s3:PutBucketPolicy", "s3:PutEncryptionConfiguration", "s3:PutObjectAcl"];

/// Whether the statement's principal includes someone outside `account`.
fn other_account(st: &Statement, account: &str) -> bool {
    if st.not_principal.is_some() {
        return true;
    }
    match &st.principal {
        Some(Principal::Any) => true,
        Some(Principal::Specific(map)) => map.get("AWS").into_iter().flatten().any(|p| {
            // `111122223333` or `arn:aws:iam::111122223333:...`
            let id = if p.starts_with("arn:") { p.split(':').nth(4).unwrap_or("") } else { p.as_str() };
            id != account
        }),
        None => false,
    }
}

fn blocked_actions(st: &Statement) -> Vec<&'static str> {
    BLOCKED
        .iter()
        .copied()
        .filter(|a| match (&st.action, &st.not_action) {
            (Some(p), _) => p.iter().any(|p| action_matches(p, a)),
            (None, Some(np)) => !np.iter().any(|p| action_matches(p, a)),
            (None, None) => false,
        })
        .collect()
}

fn run(ctx: &Ctx, out: &mut Emit) {
    each_bucket(ctx, out, |account, bucket, res, out| {
        let text = match &bucket.policy {
            Observed::Known(Some(t)) => t,
            Observed::Known(None) => return out.pass(res, "no bucket policy"),
            Observed::Unknown(why) => return out.not_available(res, format!("bucket policy could not be read: {why}")),
        };
        let doc = match rampart_policy::parse(text) {
            Ok(d) => d,
            Err(e) => return out.malformed(res, format!("bucket policy is not valid: {e}")),
        };
        let mut granted: Vec<&str> = doc
            .statements
            .iter()
            .filter(|st| st.effect == Effect::Allow && other_account(st, &account.id))
            .flat_map(blocked_actions)
            .collect();
        granted.sort_unstable();
        granted.dedup();
        if granted.is_empty() {
            out.pass(res, "no statement grants the blocked actions to other accounts");
        } else {
            out.fail(res, format!("other accounts may {}", granted.join(", ")));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::with_bucket;
    use super::*;
    use crate::testkit::*;
    use rampart_model::Status;

    fn status(statement: &str) -> Status {
        let doc = format!(r#"{{"Version":"2012-10-17","Statement":[{statement}]}}"#);
        single(&CHECK, &with_bucket(|b| b.policy = Observed::Known(Some(doc)))).0
    }

    #[test]
    fn pass_fail_not_available() {
        // Own account, service principals and harmless actions pass.
        assert_eq!(
            status(r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/admin"},"Action":"s3:*","Resource":"*"}"#),
            Status::Passed
        );
        assert_eq!(
            status(r#"{"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"*"}"#),
            Status::Passed
        );
        assert_eq!(
            status(r#"{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":["s3:GetObject","s3:PutObject"],"Resource":"*"}"#),
            Status::Passed
        );
        assert_eq!(status(r#"{"Effect":"Deny","Principal":"*","Action":"s3:PutBucketPolicy","Resource":"*"}"#), Status::Passed);
        // Other accounts with a blocked action, directly or by wildcard.
        assert_eq!(
            status(
                r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:PutBucketPolicy","Resource":"*"}"#
            ),
            Status::Failed
        );
        assert_eq!(status(r#"{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:Put*","Resource":"*"}"#), Status::Failed);
        assert_eq!(status(r#"{"Effect":"Allow","Principal":"*","Action":"s3:PutObjectAcl","Resource":"*"}"#), Status::Failed);
        assert_eq!(single(&CHECK, &with_bucket(|b| b.policy = Observed::Known(None))).0, Status::Passed);
        assert_eq!(single(&CHECK, &with_bucket(|_| {})).0, Status::NotAvailable);
    }

    #[test]
    fn several_statements() {
        let own_all = r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"s3:*","Resource":"*"}"#;
        let other_read = r#"{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:GetObject","Resource":"*"}"#;
        assert_eq!(status(&format!("{own_all},{other_read}")), Status::Passed);
        let mixed_principals = r#"{"Effect":"Allow","Principal":{"AWS":["123456789012","arn:aws:iam::444455556666:role/r"]},"Action":"s3:PutBucketAcl","Resource":"*"}"#;
        let doc = format!(r#"{{"Version":"2012-10-17","Statement":[{own_all},{other_read},{mixed_principals}]}}"#);
        let (s, why) = single(&CHECK, &with_bucket(|b| b.policy = Observed::Known(Some(doc))));
        assert_eq!(s, Status::Failed);
        assert_eq!(why, "other accounts may s3:PutBucketAcl");
    }
}
