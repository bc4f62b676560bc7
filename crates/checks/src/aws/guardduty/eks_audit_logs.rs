//! GuardDuty detectors without EKS Audit Log Monitoring.
//!
//! Security Hub GuardDuty.5:
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/guardduty-controls.html#guardduty-5>.
//! A detector passes when its `EKS_AUDIT_LOGS` feature is `ENABLED`. One result per detector; regions without a detector are GuardDuty.1's
//! (`guardduty_enabled`).
//!
//! AWS: "For a standalone account, the control fails if GuardDuty EKS Audit Log Monitoring is disabled in the
//! account" (Security Hub GuardDuty.5, wording as mirrored publicly; the same sentence for each
//! protection plan). Rampart judges each account's detector: the multi-account clause (the
//! administrator and every member) is the sum of those results.

use super::{each_detector, feature};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "guardduty_eks_audit_logs",
        title: "GuardDuty EKS Audit Log Monitoring is not enabled",
        description: "EKS Audit Log Monitoring analyses Kubernetes audit logs of EKS clusters for suspicious API activity (anonymous access, privileged pods, credential theft).",
        severity: Severity::High,
        category: Category::Security,
        service: "guardduty",
        resource_type: ResourceType::AwsGuardDutyDetector,
        standards: &[StandardRef::fsbp("GuardDuty.5")],
        remediation: Remediation {
            console: "GuardDuty console > Protection plans > EKS Protection > Edit: enable EKS Audit Log Monitoring.",
            cli: "aws guardduty update-detector --detector-id <id> --features '[{\"Name\":\"EKS_AUDIT_LOGS\",\"Status\":\"ENABLED\"}]'",
            url: "https://docs.aws.amazon.com/guardduty/latest/ug/kubernetes-protection.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_detector(ctx, out, |f| feature(f, "EKS_AUDIT_LOGS", "EKS Audit Log Monitoring"));
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::*;
    use crate::testkit::*;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        assert_eq!(single(&CHECK, &with_features(&[("EKS_AUDIT_LOGS", "ENABLED")])).0, Status::Passed);
        assert_eq!(single(&CHECK, &with_features(&[("EKS_AUDIT_LOGS", "DISABLED")])).0, Status::Failed);
        assert_eq!(single(&CHECK, &with_features(&[])).0, Status::Failed);
        not_available_cases(&CHECK);
    }
}
