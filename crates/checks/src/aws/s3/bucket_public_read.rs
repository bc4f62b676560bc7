//! S3 buckets that anyone can list or read, through the ACL or the bucket policy.
//!
//! Trusted Advisor "Amazon S3 Bucket Permissions" (open list/read: yellow), Security Hub S3.2.
//! See [`super::exposure`] for S3's definition of public.
//!
//! AWS: "The rule is compliant when both of the following are true: The Block Public Access setting
//! restricts public policies or the bucket policy does not allow public read access. The Block
//! Public Access setting restricts public ACLs or the bucket ACL does not allow public read
//! access" (Config `s3-bucket-public-read-prohibited`, behind S3.2). Reading: the settings that
//! restrict what is already there are `RestrictPublicBuckets` (policies) and `IgnorePublicAcls`
//! (ACLs); `BlockPublicPolicy` and `BlockPublicAcls` only refuse new public grants ("Enabling this
//! setting doesn't affect existing" policies or ACLs, S3 Block Public Access docs), so alone they
//! do not pass a bucket whose existing policy or ACL is public (`pass_private_or_blocked`,
//! `block-policy-only`). One public path fails the bucket whatever the others
//! (`one_public_path_among_several`).

use super::exposure::exposure;
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "s3_bucket_public_read",
        title: "S3 bucket allows public read or list access",
        description: "Anyone on the internet (or any AWS account) can list or read this bucket through its ACL or bucket policy, and Block Public Access does not prevent it.",
        severity: Severity::Critical,
        category: Category::Security,
        service: "s3",
        resource_type: ResourceType::AwsS3Bucket,
        standards: &[
            StandardRef::ta("Amazon S3 Bucket Permissions"),
            StandardRef::fsbp("S3.2"),
        ],
        remediation: Remediation {
            console: "S3 console > the bucket > Permissions: turn on Block public access (all four settings) unless the bucket must be public; remove AllUsers/AuthenticatedUsers grants from the ACL and Principal \"*\" statements from the bucket policy.",
            cli: "aws s3api put-public-access-block --bucket <bucket> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
            url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
        },
    },
    run,
};

/// Shared by the read and write checks: evaluates every bucket and reports with `verdict`.
pub(super) fn each_bucket(
    ctx: &Ctx,
    out: &mut Emit,
    verdict: fn(&super::exposure::Exposure) -> &Vec<String>,
    pass_reason: &str,
) {
    for account in &ctx.inventory.accounts {
        let s3 = match &account.s3 {
            Observed::Known(s3) => s3,
            Observed::Unknown(why) => {
                let res = resource(
                    account,
                    &account.home_region,
                    ResourceType::AwsS3Bucket,
                    format!("arn:{}:s3::{}:bucket/*", account.partition, account.id),
                    "all buckets",
                );
                out.not_available(res, format!("S3 could not be read: {why}"));
                continue;
            }
        };
        for bucket in &s3.buckets {
            let res = resource(
                account,
                &bucket.region,
                ResourceType::AwsS3Bucket,
                format!("arn:{}:s3:::{}", account.partition, bucket.name),
                &bucket.name,
            );
            let exp = exposure(&s3.account_public_access_block, bucket, &account.id);
            let reasons = verdict(&exp);
            if !reasons.is_empty() {
                out.fail(res, reasons.join("; "));
            } else if let Some(why) = exp.malformed {
                out.malformed(res, why);
            } else if !exp.unknown.is_empty() {
                out.not_available(res, exp.unknown.join("; "));
            } else {
                out.pass(res, pass_reason);
            }
        }
    }
}

fn run(ctx: &Ctx, out: &mut Emit) {
    each_bucket(ctx, out, |e| &e.read, "no ACL grant or policy statement lets the public list or read the bucket");
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Bucket, Grant, Inventory, PublicAccessBlock, ALL_USERS_URI, AUTHENTICATED_USERS_URI};
    use rampart_model::Status;

    pub fn bucket(name: &str) -> Bucket {
        Bucket {
            name: name.into(),
            region: "us-east-1".into(),
            owner_id: Observed::Known("owner".into()),
            acl: Observed::Known(vec![Grant { grantee_type: "CanonicalUser".into(), grantee: "owner".into(), permission: "FULL_CONTROL".into() }]),
            policy: Observed::Known(None),
            public_access_block: Observed::Known(None),
            ownership_controls: Observed::Known(Some("ObjectWriter".into())),
            encryption: Observed::Known(None),
            versioning: Observed::Known(None),
            mfa_delete: Observed::Known(None),
            logging_target: Observed::Known(None),
            ..Default::default()
        }
    }

    pub fn grant(uri: &str, perm: &str) -> Grant {
        Grant { grantee_type: "Group".into(), grantee: uri.into(), permission: perm.into() }
    }

    pub fn with(b: Bucket) -> Inventory {
        let mut inv = inventory();
        account(&mut inv).s3.known_mut().unwrap().buckets.push(b);
        inv
    }

    pub const PUBLIC_GET: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;

    #[test]
    fn fail_acl_and_policy() {
        let mut b = bucket("acl-read");
        b.acl.known_mut().unwrap().push(grant(ALL_USERS_URI, "READ"));
        assert_eq!(single(&CHECK, &with(b)).0, Status::Failed);

        let mut b = bucket("acl-auth");
        b.acl.known_mut().unwrap().push(grant(AUTHENTICATED_USERS_URI, "FULL_CONTROL"));
        assert_eq!(single(&CHECK, &with(b)).0, Status::Failed);

        let mut b = bucket("policy");
        b.policy = Observed::Known(Some(PUBLIC_GET.into()));
        let (s, why) = single(&CHECK, &with(b));
        assert_eq!(s, Status::Failed);
        assert!(why.contains("s3:GetObject"), "{why}");
    }

    #[test]
    fn pass_private_or_blocked() {
        assert_eq!(single(&CHECK, &with(bucket("private"))).0, Status::Passed);

        // IgnorePublicAcls at the account level neutralizes a public ACL.
        let mut inv = {
            let mut b = bucket("acl-ignored");
            b.acl.known_mut().unwrap().push(grant(ALL_USERS_URI, "READ"));
            with(b)
        };
        account(&mut inv).s3.known_mut().unwrap().account_public_access_block =
            Observed::Known(Some(PublicAccessBlock { ignore_public_acls: true, ..Default::default() }));
        assert_eq!(single(&CHECK, &inv).0, Status::Passed);

        // RestrictPublicBuckets at the bucket level neutralizes a public policy.
        let mut b = bucket("policy-restricted");
        b.policy = Observed::Known(Some(PUBLIC_GET.into()));
        b.public_access_block = Observed::Known(Some(PublicAccessBlock { restrict_public_buckets: true, ..Default::default() }));
        assert_eq!(single(&CHECK, &with(b)).0, Status::Passed);

        // ACLs disabled by object ownership.
        let mut b = bucket("owner-enforced");
        b.acl.known_mut().unwrap().push(grant(ALL_USERS_URI, "READ"));
        b.ownership_controls = Observed::Known(Some("BucketOwnerEnforced".into()));
        assert_eq!(single(&CHECK, &with(b)).0, Status::Passed);

        // BlockPublicPolicy alone does not neutralize an existing public policy.
        let mut b = bucket("block-policy-only");
        b.policy = Observed::Known(Some(PUBLIC_GET.into()));
        b.public_access_block = Observed::Known(Some(PublicAccessBlock { block_public_policy: true, block_public_acls: true, ..Default::default() }));
        assert_eq!(single(&CHECK, &with(b)).0, Status::Failed);
    }

    #[test]
    fn a_public_acl_fails_even_when_the_policy_could_not_be_read() {
        let mut b = bucket("acl-read-policy-denied");
        b.acl.known_mut().unwrap().push(grant(ALL_USERS_URI, "READ"));
        b.policy = Observed::Unknown("s3:GetBucketPolicy access denied".into());
        assert_eq!(single(&CHECK, &with(b)).0, Status::Failed);

        let mut b = bucket("policy-public-acl-denied");
        b.acl = Observed::Unknown("s3:GetBucketAcl access denied".into());
        b.policy = Observed::Known(Some(PUBLIC_GET.into()));
        assert_eq!(single(&CHECK, &with(b)).0, Status::Failed);
    }

    #[test]
    fn public_metadata_reads_and_unknown_actions_are_not_ignored() {
        let mut b = bucket("policy-acl-read");
        b.policy = Observed::Known(Some(
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetBucketPolicy","Resource":"arn:aws:s3:::b"}]}"#.into(),
        ));
        assert_eq!(single(&CHECK, &with(b)).0, Status::Failed);
    }

    #[test]
    fn not_available_and_malformed() {
        let mut b = bucket("no-policy-read");
        b.policy = Observed::Unknown("s3:GetBucketPolicy access denied".into());
        let (s, why) = single(&CHECK, &with(b));
        assert_eq!(s, Status::NotAvailable);
        assert!(why.contains("s3:GetBucketPolicy"));

        // A public ACL with unknown BPA settings cannot be decided.
        let mut b = bucket("acl-bpa-unknown");
        b.acl.known_mut().unwrap().push(grant(ALL_USERS_URI, "READ"));
        b.public_access_block = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &with(b)).0, Status::NotAvailable);

        let mut b = bucket("bad-policy");
        b.policy = Observed::Known(Some("{not json".into()));
        let inv = with(b);
        let ctx = crate::Ctx { inventory: &inv, now: now(), thresholds: &Default::default(), ip_ranges: None };
        let mut emit = Emit::default();
        emit.start(CHECK.meta.id);
        (CHECK.run)(&ctx, &mut emit);
        let out = emit.finish();
        assert_eq!(out.results[0].status, Status::NotAvailable);
        assert_eq!(out.malformed.len(), 1);
    }

    #[test]
    fn one_public_path_among_several() {
        // An owner statement, a statement pinned to one account, and one public read.
        let mut b = bucket("mixed-policy");
        b.policy = Observed::Known(Some(
            r#"{"Statement":[
                {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"},
                {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"}}},
                {"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b"}]}"#
                .into(),
        ));
        assert_eq!(single(&CHECK, &with(b)).0, Status::Failed);
        // Public policies restricted, public ACLs not: the ACL's public READ grant still counts.
        let mut b = bucket("policy-restricted-acl-open");
        b.policy = Observed::Known(Some(PUBLIC_GET.into()));
        b.acl.known_mut().unwrap().push(grant(ALL_USERS_URI, "READ"));
        b.public_access_block = Observed::Known(Some(PublicAccessBlock { restrict_public_buckets: true, block_public_policy: true, ..Default::default() }));
        let (s, why) = single(&CHECK, &with(b));
        assert_eq!(s, Status::Failed);
        assert!(why.contains("ACL grants") && !why.contains("bucket policy"), "{why}");
    }
}
