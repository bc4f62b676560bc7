//! S3 buckets that still use ACLs.
//!
//! Security Hub S3.12 (FSBP): access should be managed by policies, with ACLs disabled by the
//! object ownership setting `BucketOwnerEnforced` (the default for buckets created since April
//! 2023). One result per bucket.
//!
//! AWS: "The control fails if ACLs are configured for managing user access on S3 buckets" (Security
//! Hub S3.12; Config `s3-bucket-acl-prohibited`: "NON_COMPLIANT if ACLs are configured for user
//! access"). Reading: while object ownership leaves ACLs enabled (`BucketObjectWriter`,
//! `BucketOwnerPreferred`, or no setting), ACLs are in force for the bucket and its objects, so the
//! bucket fails even if its own ACL grants only the owner; the inventory does not read object ACLs,
//! which could grant access the bucket ACL does not show.

use super::each_bucket;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "s3_bucket_acls_disabled",
        title: "S3 buckets use ACLs to manage access",
        description: "ACLs grant access beside the bucket policy, per object and to other accounts, where reviews seldom look; disabling them leaves the policy as the single place that grants access.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "s3",
        resource_type: ResourceType::AwsS3Bucket,
        standards: &[StandardRef::fsbp("S3.12")],
        remediation: Remediation {
            console: "S3 console > the bucket > Permissions > Object Ownership > Edit: choose ACLs disabled (Bucket owner enforced), after moving any access the ACLs grant into the bucket policy.",
            cli: "aws s3api put-bucket-ownership-controls --bucket <bucket> --ownership-controls Rules=[{ObjectOwnership=BucketOwnerEnforced}]",
            url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_bucket(ctx, out, |_, bucket, res, out| match &bucket.ownership_controls {
        Observed::Known(Some(o)) if o == "BucketOwnerEnforced" => out.pass(res, "ACLs are disabled (object ownership `BucketOwnerEnforced`)"),
        Observed::Known(Some(o)) => out.fail(res, format!("ACLs are enabled (object ownership `{o}`)")),
        Observed::Known(None) => out.fail(res, "ACLs are enabled (no object ownership setting)"),
        Observed::Unknown(why) => out.not_available(res, format!("object ownership could not be read: {why}")),
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::with_bucket;
    use super::*;
    use crate::testkit::*;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let with = |o: Observed<Option<String>>| with_bucket(|b| b.ownership_controls = o);
        assert_eq!(single(&CHECK, &with(Observed::Known(Some("BucketOwnerEnforced".into())))).0, Status::Passed);
        assert_eq!(single(&CHECK, &with(Observed::Known(Some("BucketOwnerPreferred".into())))).0, Status::Failed);
        assert_eq!(single(&CHECK, &with(Observed::Known(None))).0, Status::Failed);
        assert_eq!(single(&CHECK, &with(Observed::Unknown("denied".into()))).0, Status::NotAvailable);
    }
}
