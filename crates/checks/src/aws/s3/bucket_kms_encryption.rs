//! S3 buckets whose default encryption does not use KMS keys.
//!
//! No Security Hub control of FSBP or CIS recommendation asks it (S3.17, in NIST 800-53 only,
//! does); it is Prowler's `s3_bucket_kms_encryption` (see `crate::prowler`): a bucket passes
//! when its default encryption is `aws:kms` or `aws:kms:dsse`. S3 encrypts every object since
//! January 2023 with S3-managed keys (`AES256`); a KMS key adds an access policy and an audit
//! trail of each decryption. One result per bucket.

use super::each_bucket;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "s3_bucket_kms_encryption",
        title: "S3 buckets are not encrypted by default with KMS keys",
        description: "With S3-managed keys anyone who may read an object reads it in clear; a KMS key adds its own key policy to pass, and CloudTrail records every use.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "s3",
        resource_type: ResourceType::AwsS3Bucket,
        standards: &[],
        remediation: Remediation {
            console: "S3 console > the bucket > Properties > Default encryption > Edit: choose SSE-KMS (or DSSE-KMS), pick a key and turn on the bucket key.",
            cli: "aws s3api put-bucket-encryption --bucket <bucket> --server-side-encryption-configuration '{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":{\"SSEAlgorithm\":\"aws:kms\",\"KMSMasterKeyID\":\"<key-arn>\"},\"BucketKeyEnabled\":true}]}'",
            url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_bucket(ctx, out, |_, bucket, res, out| match &bucket.encryption {
        Observed::Known(Some(a)) if a == "aws:kms" || a == "aws:kms:dsse" => out.pass(res, format!("default encryption is {a}")),
        Observed::Known(Some(a)) => out.fail(res, format!("default encryption is {a}, not a KMS key")),
        Observed::Known(None) => out.fail(res, "no default encryption configuration"),
        Observed::Unknown(why) => out.not_available(res, format!("bucket encryption could not be read: {why}")),
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
        let status = |v: Observed<Option<String>>| single(&CHECK, &with_bucket(|b| b.encryption = v)).0;
        assert_eq!(status(Observed::Known(Some("aws:kms".into()))), Status::Passed);
        assert_eq!(status(Observed::Known(Some("aws:kms:dsse".into()))), Status::Passed);
        assert_eq!(status(Observed::Known(Some("AES256".into()))), Status::Failed);
        assert_eq!(status(Observed::Known(None)), Status::Failed);
        assert_eq!(status(Observed::Unknown("s3:GetEncryptionConfiguration denied".into())), Status::NotAvailable);
    }
}
