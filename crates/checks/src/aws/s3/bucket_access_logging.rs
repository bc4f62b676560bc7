//! S3 server access logging.
//!
//! Security Hub S3.9 (FSBP): fails when server access logging is off. One result per bucket.
//!
//! AWS: "This control passes if server access logging is enabled. The target logging bucket does
//! not need to have server access logging enabled" (Security Hub S3.9; Config
//! `s3-bucket-logging-enabled`: "NON_COMPLIANT if logging is not enabled"). A log bucket without
//! logging of its own fails here as in AWS, which suggests suppressing that finding.

use super::each_bucket;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "s3_bucket_access_logging",
        title: "S3 bucket server access logging is not enabled",
        description: "Server access logs record every request made to the bucket, who made it and from where: without them, misuse of the data cannot be investigated.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "s3",
        resource_type: ResourceType::AwsS3Bucket,
        standards: &[StandardRef::fsbp("S3.9"), StandardRef::ta("Amazon S3 Bucket Logging")],
        remediation: Remediation {
            console: "S3 console > the bucket > Properties > Server access logging > Edit: Enable, and choose a destination bucket (not the bucket itself).",
            cli: "aws s3api put-bucket-logging --bucket <bucket> --bucket-logging-status '{\"LoggingEnabled\":{\"TargetBucket\":\"<log-bucket>\",\"TargetPrefix\":\"<bucket>/\"}}'",
            url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_bucket(ctx, out, |_, bucket, res, out| match &bucket.logging_target {
        Observed::Known(Some(target)) => out.pass(res, format!("server access logs go to bucket `{target}`")),
        Observed::Known(None) => out.fail(res, "server access logging is off"),
        Observed::Unknown(why) => out.not_available(res, format!("bucket logging could not be read: {why}")),
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
        assert_eq!(single(&CHECK, &with_bucket(|b| b.logging_target = Observed::Known(Some("logs".into())))).0, Status::Passed);
        assert_eq!(single(&CHECK, &with_bucket(|b| b.logging_target = Observed::Known(None))).0, Status::Failed);
        assert_eq!(single(&CHECK, &with_bucket(|_| {})).0, Status::NotAvailable);
    }
}
