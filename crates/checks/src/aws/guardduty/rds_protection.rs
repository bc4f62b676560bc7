//! GuardDuty detectors without RDS Protection.
//!
//! Security Hub GuardDuty.9:
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/guardduty-controls.html#guardduty-9>.
//! A detector passes when its `RDS_LOGIN_EVENTS` feature is `ENABLED`. One result per detector; regions without a detector are GuardDuty.1's
//! (`guardduty_enabled`).
//!
//! AWS: "The rule is NON_COMPLIANT if the Amazon RDS protection feature in Amazon GuardDuty is not
//! enabled for you account" (Config `guardduty-rds-protection-enabled`, behind GuardDuty.9).

use super::{each_detector, feature};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "guardduty_rds_protection",
        title: "GuardDuty RDS Protection is not enabled",
        description: "RDS Protection profiles login activity on Aurora and RDS databases and flags anomalous logins: brute force, access from unusual places, suspicious successful logins.",
        severity: Severity::High,
        category: Category::Security,
        service: "guardduty",
        resource_type: ResourceType::AwsGuardDutyDetector,
        standards: &[StandardRef::fsbp("GuardDuty.9")],
        remediation: Remediation {
            console: "GuardDuty console > Protection plans > RDS Protection > Edit: enable it.",
            cli: "aws guardduty update-detector --detector-id <id> --features '[{\"Name\":\"RDS_LOGIN_EVENTS\",\"Status\":\"ENABLED\"}]'",
            url: "https://docs.aws.amazon.com/guardduty/latest/ug/rds-protection.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_detector(ctx, out, |f| feature(f, "RDS_LOGIN_EVENTS", "RDS Protection"));
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::*;
    use crate::testkit::*;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        assert_eq!(single(&CHECK, &with_features(&[("RDS_LOGIN_EVENTS", "ENABLED")])).0, Status::Passed);
        assert_eq!(single(&CHECK, &with_features(&[("RDS_LOGIN_EVENTS", "DISABLED")])).0, Status::Failed);
        assert_eq!(single(&CHECK, &with_features(&[])).0, Status::Failed);
        not_available_cases(&CHECK);
    }
}
