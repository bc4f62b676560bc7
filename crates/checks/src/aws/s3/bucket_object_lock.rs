//! S3 buckets without Object Lock.
//!
//! Prowler's `s3_bucket_object_lock` (see `crate::prowler`): a bucket passes when Object Lock
//! is enabled (`ObjectLockEnabled` = `Enabled`), which lets retention periods and legal holds
//! keep object versions from being deleted or overwritten, ransomware and mistakes included.
//! One result per bucket.

use super::each_bucket;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "s3_bucket_object_lock",
        title: "S3 buckets do not have Object Lock enabled",
        description: "Without Object Lock any principal allowed to delete objects (or an attacker holding its credentials) can destroy every version; Object Lock retention makes versions undeletable for a set period.",
        severity: Severity::Low,
        category: Category::Security,
        service: "s3",
        resource_type: ResourceType::AwsS3Bucket,
        standards: &[],
        remediation: Remediation {
            console: "S3 console > the bucket > Properties > Object Lock > Edit: enable (versioning must be on), then set a default retention mode and period.",
            cli: "aws s3api put-object-lock-configuration --bucket <bucket> --object-lock-configuration '{\"ObjectLockEnabled\":\"Enabled\",\"Rule\":{\"DefaultRetention\":{\"Mode\":\"GOVERNANCE\",\"Days\":30}}}'",
            url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_bucket(ctx, out, |_, bucket, res, out| match bucket.object_lock {
        Observed::Known(true) => out.pass(res, "Object Lock is enabled"),
        Observed::Known(false) => out.fail(res, "Object Lock is not enabled"),
        Observed::Unknown(ref why) => out.not_available(res, format!("the Object Lock configuration could not be read: {why}")),
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
        assert_eq!(single(&CHECK, &with_bucket(|b| b.object_lock = Observed::Known(true))).0, Status::Passed);
        assert_eq!(single(&CHECK, &with_bucket(|b| b.object_lock = Observed::Known(false))).0, Status::Failed);
        assert_eq!(single(&CHECK, &with_bucket(|_| {})).0, Status::NotAvailable);
    }
}
