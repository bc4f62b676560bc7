//! S3 buckets without an active lifecycle rule.
//!
//! Security Hub S3.13 (AWS Config rule `s3-lifecycle-policy-check`, no optional parameters
//! set): <https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-13>.
//! A bucket passes when its lifecycle configuration has at least one enabled rule. One result
//! per bucket.
//!
//! AWS: "This control fails if a lifecycle policy is not configured for an S3 bucket" (Security Hub
//! S3.13).

use super::each_bucket;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "s3_bucket_lifecycle",
        title: "S3 buckets do not have lifecycle configurations",
        description: "Without lifecycle rules, old object versions, incomplete multipart uploads and data past its retention period stay forever: cost, and data kept longer than it should be.",
        severity: Severity::Low,
        category: Category::Security,
        service: "s3",
        resource_type: ResourceType::AwsS3Bucket,
        standards: &[StandardRef::fsbp("S3.13")],
        remediation: Remediation {
            console: "S3 console > the bucket > Management > Lifecycle rules > Create lifecycle rule: choose the scope and the transitions or expirations the data's retention calls for.",
            cli: "aws s3api put-bucket-lifecycle-configuration --bucket <bucket> --lifecycle-configuration file://lifecycle.json",
            url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_bucket(ctx, out, |_, bucket, res, out| match &bucket.lifecycle_rules {
        Observed::Known(rules) => match rules.iter().filter(|r| r.enabled).count() {
            0 if rules.is_empty() => out.fail(res, "no lifecycle configuration"),
            0 => out.fail(res, format!("all {} lifecycle rules are disabled", rules.len())),
            n => out.pass(res, format!("{n} enabled lifecycle rules")),
        },
        Observed::Unknown(why) => out.not_available(res, format!("lifecycle configuration could not be read: {why}")),
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::with_bucket;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::LifecycleRule;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let rule = |enabled| LifecycleRule { id: Some("r".into()), enabled };
        assert_eq!(single(&CHECK, &with_bucket(|b| b.lifecycle_rules = Observed::Known(vec![rule(false), rule(true)]))).0, Status::Passed);
        assert_eq!(single(&CHECK, &with_bucket(|b| b.lifecycle_rules = Observed::Known(vec![]))).0, Status::Failed);
        assert_eq!(single(&CHECK, &with_bucket(|b| b.lifecycle_rules = Observed::Known(vec![rule(false)]))).0, Status::Failed);
        assert_eq!(single(&CHECK, &with_bucket(|_| {})).0, Status::NotAvailable);
    }
}
