//! GuardDuty detectors without Lambda Protection.
//!
//! Security Hub GuardDuty.6:
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/guardduty-controls.html#guardduty-6>.
//! A detector passes when its `LAMBDA_NETWORK_LOGS` feature is `ENABLED`. One result per detector; regions without a detector are GuardDuty.1's
//! (`guardduty_enabled`).
//!
//! AWS: "For a standalone account, the control fails if GuardDuty Lambda Protection is disabled in the
//! account" (Security Hub GuardDuty.6, wording as mirrored publicly; the same sentence for each
//! protection plan). Rampart judges each account's detector: the multi-account clause (the
//! administrator and every member) is the sum of those results.

use super::{each_detector, feature};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "guardduty_lambda_protection",
        title: "GuardDuty Lambda Protection is not enabled",
        description: "Lambda Protection watches the network activity of Lambda functions for signs of compromise, such as cryptocurrency mining or contact with known malicious hosts.",
        severity: Severity::High,
        category: Category::Security,
        service: "guardduty",
        resource_type: ResourceType::AwsGuardDutyDetector,
        standards: &[StandardRef::fsbp("GuardDuty.6")],
        remediation: Remediation {
            console: "GuardDuty console > Protection plans > Lambda Protection > Edit: enable it.",
            cli: "aws guardduty update-detector --detector-id <id> --features '[{\"Name\":\"LAMBDA_NETWORK_LOGS\",\"Status\":\"ENABLED\"}]'",
            url: "https://docs.aws.amazon.com/guardduty/latest/ug/lambda-protection.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_detector(ctx, out, |f| feature(f, "LAMBDA_NETWORK_LOGS", "Lambda Protection"));
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::*;
    use crate::testkit::*;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        assert_eq!(single(&CHECK, &with_features(&[("LAMBDA_NETWORK_LOGS", "ENABLED")])).0, Status::Passed);
        assert_eq!(single(&CHECK, &with_features(&[("LAMBDA_NETWORK_LOGS", "DISABLED")])).0, Status::Failed);
        assert_eq!(single(&CHECK, &with_features(&[])).0, Status::Failed);
        not_available_cases(&CHECK);
    }
}
