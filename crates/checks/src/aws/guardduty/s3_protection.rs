//! GuardDuty detectors without S3 Protection.
//!
//! Security Hub GuardDuty.10:
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/guardduty-controls.html#guardduty-10>.
//! A detector passes when its `S3_DATA_EVENTS` feature is `ENABLED`. One result per detector; regions without a detector are GuardDuty.1's
//! (`guardduty_enabled`).
//!
//! AWS: "For a standalone account, the control fails if GuardDuty S3 Protection is disabled in the
//! account" (Security Hub GuardDuty.10, wording as mirrored publicly; the same sentence for each
//! protection plan). Rampart judges each account's detector: the multi-account clause (the
//! administrator and every member) is the sum of those results.

use super::{each_detector, feature};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "guardduty_s3_protection",
        title: "GuardDuty S3 Protection is not enabled",
        description: "S3 Protection analyses S3 data events for suspicious access to objects: exfiltration, unusual deletions, access from malicious IPs or anonymous principals.",
        severity: Severity::High,
        category: Category::Security,
        service: "guardduty",
        resource_type: ResourceType::AwsGuardDutyDetector,
        standards: &[StandardRef::fsbp("GuardDuty.10")],
        remediation: Remediation {
            console: "GuardDuty console > Protection plans > S3 Protection > Edit: enable it.",
            cli: "aws guardduty update-detector --detector-id <id> --features '[{\"Name\":\"S3_DATA_EVENTS\",\"Status\":\"ENABLED\"}]'",
            url: "https://docs.aws.amazon.com/guardduty/latest/ug/s3-protection.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_detector(ctx, out, |f| feature(f, "S3_DATA_EVENTS", "S3 Protection"));
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::*;
    use crate::testkit::*;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        assert_eq!(single(&CHECK, &with_features(&[("S3_DATA_EVENTS", "ENABLED")])).0, Status::Passed);
        assert_eq!(single(&CHECK, &with_features(&[("S3_DATA_EVENTS", "DISABLED")])).0, Status::Failed);
        assert_eq!(single(&CHECK, &with_features(&[])).0, Status::Failed);
        not_available_cases(&CHECK);
    }
}
