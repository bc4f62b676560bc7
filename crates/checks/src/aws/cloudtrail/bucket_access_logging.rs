//! The S3 bucket that receives a trail's logs has no server access logging.
//!
//! CIS AWS Foundations v3.0.0 3.4 (Security Hub CloudTrail.7, a control of its CIS standards):
//! access logs of the trail's bucket show who read or deleted the audit logs. A bucket that is
//! not in this account's inventory (another account's log archive) cannot be judged:
//! NOT_AVAILABLE. One result per trail, in its home region.

use super::each_home_trail;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudtrail_bucket_access_logging",
        title: "The S3 bucket of a CloudTrail trail has no server access logging",
        description: "Server access logs of the CloudTrail bucket record every request for the audit logs themselves: without them, reads and deletions of the trail's logs leave no record.",
        severity: Severity::Low,
        category: Category::Security,
        service: "cloudtrail",
        resource_type: ResourceType::AwsCloudTrailTrail,
        standards: &[StandardRef::cis("3.4")],
        remediation: Remediation {
            console: "S3 console > the trail's bucket > Properties > Server access logging > Edit: Enable, with a target bucket other than the trail's own.",
            cli: "aws s3api put-bucket-logging --bucket <trail-bucket> --bucket-logging-status '{\"LoggingEnabled\":{\"TargetBucket\":\"<log-bucket>\",\"TargetPrefix\":\"cloudtrail-bucket/\"}}'",
            url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_home_trail(ctx, out, |account, t, res, out| {
        let Some(name) = &t.s3_bucket_name else {
            return out.pass(res, "the trail delivers to no S3 bucket");
        };
        let s3 = match &account.s3 {
            Observed::Known(s3) => s3,
            Observed::Unknown(why) => return out.not_available(res, format!("S3 could not be read: {why}")),
        };
        let Some(bucket) = s3.buckets.iter().find(|b| &b.name == name) else {
            return out.not_available(res, format!("bucket `{name}` is not in this account's inventory (another account's, or deleted)"));
        };
        match &bucket.logging_target {
            Observed::Known(Some(target)) => out.pass(res, format!("bucket `{name}` logs its access to `{target}`")),
            Observed::Known(None) => out.fail(res, format!("bucket `{name}` has no server access logging")),
            Observed::Unknown(why) => out.not_available(res, format!("the logging of bucket `{name}` could not be read: {why}")),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::trail;
    use super::*;
    use crate::aws::s3::bucket_public_read::tests::bucket;
    use crate::testkit::*;
    use rampart_model::Status;

    fn with(logging: Observed<Option<String>>) -> rampart_inventory::Inventory {
        let mut inv = inventory();
        let mut b = bucket("trail-logs");
        b.logging_target = logging;
        account(&mut inv).s3.known_mut().unwrap().buckets.push(b);
        region(&mut inv).cloudtrail = Observed::Known(vec![trail("main", "us-east-1")]);
        inv
    }

    #[test]
    fn pass_fail_not_available() {
        assert_eq!(single(&CHECK, &with(Observed::Known(Some("access-logs".into())))).0, Status::Passed);
        assert_eq!(single(&CHECK, &with(Observed::Known(None))).0, Status::Failed);
        assert_eq!(single(&CHECK, &with(Observed::Unknown("s3:GetBucketLogging denied".into()))).0, Status::NotAvailable);
        let mut inv = with(Observed::Known(None));
        account(&mut inv).s3.known_mut().unwrap().buckets.clear();
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable, "another account's bucket");
    }
}
