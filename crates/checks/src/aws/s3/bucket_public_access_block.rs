//! Bucket-level S3 Block Public Access: all four settings on.
//!
//! Security Hub S3.8 (FSBP) looks at the bucket's own settings; the account-level settings are
//! `s3_account_public_access_block` (S3.1). One result per bucket.
//!
//! AWS: "This control fails is if any of the following settings are set to `false`:
//! `ignorePublicAcls`, `blockPublicPolicy`, `blockPublicAcls`, `restrictPublicBuckets`" (Security
//! Hub S3.8): one setting off fails (`pass_fail_not_available`).

use super::each_bucket;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "s3_bucket_public_access_block",
        title: "S3 buckets do not block public access at the bucket level",
        description: "With all four bucket-level Block Public Access settings on, no ACL or bucket policy can make the bucket public, even if the account-level settings are later relaxed.",
        severity: Severity::High,
        category: Category::Security,
        service: "s3",
        resource_type: ResourceType::AwsS3Bucket,
        standards: &[StandardRef::fsbp("S3.8")],
        remediation: Remediation {
            console: "S3 console > the bucket > Permissions > Block public access (bucket settings) > Edit: turn on Block all public access.",
            cli: "aws s3api put-public-access-block --bucket <bucket> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
            url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/configuring-block-public-access-bucket.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_bucket(ctx, out, |_, bucket, res, out| match &bucket.public_access_block {
        Observed::Unknown(why) => out.not_available(res, format!("bucket Block Public Access could not be read: {why}")),
        Observed::Known(None) => out.fail(res, "bucket-level Block Public Access is not configured"),
        Observed::Known(Some(b)) => {
            let off: Vec<&str> = [
                ("BlockPublicAcls", b.block_public_acls),
                ("IgnorePublicAcls", b.ignore_public_acls),
                ("BlockPublicPolicy", b.block_public_policy),
                ("RestrictPublicBuckets", b.restrict_public_buckets),
            ]
            .iter()
            .filter(|(_, on)| !on)
            .map(|(n, _)| *n)
            .collect();
            if off.is_empty() {
                out.pass(res, "all four bucket-level Block Public Access settings are on");
            } else {
                out.fail(res, format!("bucket-level Block Public Access settings off: {}", off.join(", ")));
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::with_bucket;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::PublicAccessBlock;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let all = PublicAccessBlock { block_public_acls: true, ignore_public_acls: true, block_public_policy: true, restrict_public_buckets: true };
        assert_eq!(single(&CHECK, &with_bucket(|b| b.public_access_block = Observed::Known(Some(all)))).0, Status::Passed);
        assert_eq!(single(&CHECK, &with_bucket(|b| b.public_access_block = Observed::Known(None))).0, Status::Failed);
        let (s, why) = single(&CHECK, &with_bucket(|b| b.public_access_block = Observed::Known(Some(PublicAccessBlock { restrict_public_buckets: false, ..all }))));
        assert_eq!(s, Status::Failed);
        assert!(why.contains("RestrictPublicBuckets") && !why.contains("BlockPublicAcls"), "{why}");
        assert_eq!(single(&CHECK, &with_bucket(|b| b.public_access_block = Observed::Unknown("denied".into()))).0, Status::NotAvailable);
    }
}
