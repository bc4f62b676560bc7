//! No multi-region trail records the object-level read events of every S3 bucket.
//!
//! CIS AWS Foundations v3.0.0 3.9 (Security Hub S3.23, a control of its CIS standards): see
//! [`super::s3_data_events`] for what counts. One result per account.

use super::s3_data_events::judge;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudtrail_s3_object_read_events",
        title: "No multi-region trail logs S3 object-level read events of all buckets",
        description: "Without S3 data events CloudTrail does not record who reads which objects (GetObject, PutObject, DeleteObject, ...): a data leak or tampering cannot be traced to a principal.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "cloudtrail",
        resource_type: ResourceType::AwsAccount,
        standards: &[StandardRef::cis("3.9")],
        remediation: Remediation {
            console: "CloudTrail console > Trails > a multi-region trail > Data events > Edit: add S3, log selector template \"Log all events\" (or \"Log reads only\") for all current and future buckets.",
            cli: "aws cloudtrail put-event-selectors --trail-name <trail> --event-selectors '[{\"ReadWriteType\":\"ReadOnly\",\"IncludeManagementEvents\":true,\"DataResources\":[{\"Type\":\"AWS::S3::Object\",\"Values\":[\"arn:aws:s3\"]}]}]'",
            url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-cloudtrail-logging-for-s3.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    judge(ctx, out, false);
}

#[cfg(test)]
mod tests {
    #[test]
    fn pass_fail_not_available() {
        super::super::s3_data_events::tests::pass_fail_not_available(&super::CHECK, "ReadOnly");
    }
}
