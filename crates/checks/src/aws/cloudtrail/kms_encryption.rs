//! CloudTrail trails whose log files are not encrypted with a KMS key.
//!
//! Security Hub CloudTrail.2 (AWS Config rule `cloud-trail-encryption-enabled`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-2>;
//! CIS AWS Foundations v3.0.0 3.5. A trail passes when it names a KMS key (`KmsKeyId`); S3's
//! default server-side encryption does not count. One result per trail, in its home region.
//!
//! AWS: "This control checks whether CloudTrail is configured to use the server-side encryption
//! (SSE) AWS KMS key encryption. The check passes if the `KmsKeyId` is defined" (Security Hub
//! CloudTrail.2).

use super::each_home_trail;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloudtrail_kms_encryption",
        title: "CloudTrail logs are not encrypted at rest with a KMS key",
        description: "With SSE-KMS, reading the logs also needs kms:Decrypt on the trail's key: a second, separately audited permission between a leaked S3 read grant and the account's activity history.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "cloudtrail",
        resource_type: ResourceType::AwsCloudTrailTrail,
        standards: &[StandardRef::fsbp("CloudTrail.2"), StandardRef::cis("3.5")],
        remediation: Remediation {
            console: "CloudTrail console > Trails > the trail > General details > Edit: select Log file SSE-KMS encryption Enabled and choose or create a KMS key whose policy lets CloudTrail use it.",
            cli: "aws cloudtrail update-trail --name <trail> --kms-key-id <key-arn-or-alias>",
            url: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_home_trail(ctx, out, |_, t, res, out| match t.kms_key_id.as_deref().filter(|k| !k.is_empty()) {
        Some(key) => out.pass(res, format!("log files are encrypted with KMS key `{key}`")),
        None => out.fail(res, "no KMS key: log files are not encrypted with SSE-KMS"),
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::trail;
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Observed, Trail};
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        region(&mut inv).cloudtrail = Observed::Known(vec![
            Trail { kms_key_id: Some("arn:aws:kms:us-east-1:123456789012:key/k1".into()), ..trail("good", "us-east-1") },
            Trail { kms_key_id: None, ..trail("bad", "us-east-1") },
            Trail { kms_key_id: None, ..trail("shadow", "eu-west-1") },
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed]);
        region(&mut inv).cloudtrail = Observed::Unknown("cloudtrail:DescribeTrails access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
