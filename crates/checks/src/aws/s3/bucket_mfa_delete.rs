//! S3 buckets without MFA Delete.
//!
//! CIS 2.1.2 asks for it, as a manual recommendation (Rampart does not claim it: MFA Delete can
//! only be turned on by the root user with the AWS CLI, and the benchmark leaves the decision to
//! the reader); it is Prowler's `s3_bucket_no_mfa_delete` (see `crate::prowler`): a bucket
//! passes when `GetBucketVersioning` reports `MFADelete` `Enabled`. One result per bucket.

use super::each_bucket;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "s3_bucket_mfa_delete",
        title: "S3 buckets do not have MFA Delete enabled",
        description: "With MFA Delete, permanently deleting an object version or suspending versioning needs the root user's MFA code, so stolen credentials alone cannot destroy the bucket's history.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "s3",
        resource_type: ResourceType::AwsS3Bucket,
        standards: &[],
        remediation: Remediation {
            console: "Not available in the console: as the root user, with its MFA device, run the CLI command.",
            cli: "aws s3api put-bucket-versioning --bucket <bucket> --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa \"<root-mfa-serial> <code>\"",
            url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiFactorAuthenticationDelete.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_bucket(ctx, out, |_, bucket, res, out| match &bucket.mfa_delete {
        Observed::Known(Some(s)) if s == "Enabled" => out.pass(res, "MFA Delete is enabled"),
        Observed::Known(Some(s)) => out.fail(res, format!("MFA Delete is {}", s.to_lowercase())),
        Observed::Known(None) => out.fail(res, "MFA Delete was never enabled"),
        Observed::Unknown(why) => out.not_available(res, format!("bucket versioning could not be read: {why}")),
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
        let status = |v: Observed<Option<String>>| single(&CHECK, &with_bucket(|b| b.mfa_delete = v)).0;
        assert_eq!(status(Observed::Known(Some("Enabled".into()))), Status::Passed);
        assert_eq!(status(Observed::Known(Some("Disabled".into()))), Status::Failed);
        assert_eq!(status(Observed::Known(None)), Status::Failed);
        assert_eq!(status(Observed::Unknown("s3:GetBucketVersioning denied".into())), Status::NotAvailable);
    }
}
