//! S3 buckets that send no event notifications.
//!
//! Prowler's `s3_bucket_event_notifications_enabled` (see `crate::prowler`): a bucket passes
//! when its notification configuration sends events somewhere: an SNS topic, an SQS queue, a
//! Lambda function, or Amazon EventBridge. One result per bucket.

use super::each_bucket;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "s3_bucket_event_notifications",
        title: "S3 buckets do not send event notifications",
        description: "Without event notifications nothing outside the bucket learns that objects were created, deleted or restored: unexpected deletions or uploads go unnoticed until someone looks.",
        severity: Severity::Low,
        category: Category::Security,
        service: "s3",
        resource_type: ResourceType::AwsS3Bucket,
        standards: &[],
        remediation: Remediation {
            console: "S3 console > the bucket > Properties > Event notifications: create one (for example object removal events to an SNS topic), or turn on Amazon EventBridge.",
            cli: "aws s3api put-bucket-notification-configuration --bucket <bucket> --notification-configuration '{\"EventBridgeConfiguration\":{}}'",
            url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventNotifications.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_bucket(ctx, out, |_, bucket, res, out| match bucket.event_notifications {
        Observed::Known(true) => out.pass(res, "the bucket sends event notifications"),
        Observed::Known(false) => out.fail(res, "the bucket has no event notification configured"),
        Observed::Unknown(ref why) => out.not_available(res, format!("the notification configuration could not be read: {why}")),
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
        assert_eq!(single(&CHECK, &with_bucket(|b| b.event_notifications = Observed::Known(true))).0, Status::Passed);
        assert_eq!(single(&CHECK, &with_bucket(|b| b.event_notifications = Observed::Known(false))).0, Status::Failed);
        assert_eq!(single(&CHECK, &with_bucket(|_| {})).0, Status::NotAvailable);
    }
}
