//! GuardDuty detectors without EKS Runtime Monitoring.
//!
//! Security Hub GuardDuty.7:
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/guardduty-controls.html#guardduty-7>.
//! The control asks for EKS Runtime Monitoring with automated agent management: `EKS_RUNTIME_MONITORING`
//! or its successor `RUNTIME_MONITORING` enabled, with the `EKS_ADDON_MANAGEMENT` configuration enabled. One result per detector; regions without a detector are GuardDuty.1's
//! (`guardduty_enabled`).
//!
//! AWS: "For a standalone account, the control fails if GuardDuty EKS Runtime Monitoring is disabled in the
//! account" (Security Hub GuardDuty.7, wording as mirrored publicly; the same sentence for each
//! protection plan). Rampart judges each account's detector: the multi-account clause (the
//! administrator and every member) is the sum of those results.

use super::{each_detector, on};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "guardduty_eks_runtime_monitoring",
        title: "GuardDuty EKS Runtime Monitoring is not enabled",
        description: "EKS Runtime Monitoring watches processes, file access and network connections inside EKS nodes and containers; with automated agent management GuardDuty keeps its agent deployed on every cluster.",
        severity: Severity::High,
        category: Category::Security,
        service: "guardduty",
        resource_type: ResourceType::AwsGuardDutyDetector,
        standards: &[StandardRef::fsbp("GuardDuty.7")],
        remediation: Remediation {
            console: "GuardDuty console > Protection plans > Runtime Monitoring > Edit: enable Runtime Monitoring and, under Automated agent configuration, Amazon EKS.",
            cli: "aws guardduty update-detector --detector-id <id> --features '[{\"Name\":\"RUNTIME_MONITORING\",\"Status\":\"ENABLED\",\"AdditionalConfiguration\":[{\"Name\":\"EKS_ADDON_MANAGEMENT\",\"Status\":\"ENABLED\"}]}]'",
            url: "https://docs.aws.amazon.com/guardduty/latest/ug/runtime-monitoring.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_detector(ctx, out, |f| {
        if on(f, "RUNTIME_MONITORING") && on(f, "RUNTIME_MONITORING/EKS_ADDON_MANAGEMENT") {
            Ok("Runtime Monitoring covers EKS with automated agent management".into())
        } else if on(f, "EKS_RUNTIME_MONITORING") && on(f, "EKS_RUNTIME_MONITORING/EKS_ADDON_MANAGEMENT") {
            Ok("EKS Runtime Monitoring with automated agent management is enabled".into())
        } else if on(f, "RUNTIME_MONITORING") || on(f, "EKS_RUNTIME_MONITORING") {
            Err("runtime monitoring is on, but automated agent management for EKS (EKS_ADDON_MANAGEMENT) is not".into())
        } else {
            Err("neither EKS_RUNTIME_MONITORING nor RUNTIME_MONITORING is enabled".into())
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::*;
    use crate::testkit::*;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        for ok in [[("RUNTIME_MONITORING", "ENABLED"), ("RUNTIME_MONITORING/EKS_ADDON_MANAGEMENT", "ENABLED")], [("EKS_RUNTIME_MONITORING", "ENABLED"), ("EKS_RUNTIME_MONITORING/EKS_ADDON_MANAGEMENT", "ENABLED")]] {
            assert_eq!(single(&CHECK, &with_features(&ok)).0, Status::Passed, "{ok:?}");
        }
        let manual = with_features(&[("EKS_RUNTIME_MONITORING", "ENABLED"), ("EKS_RUNTIME_MONITORING/EKS_ADDON_MANAGEMENT", "DISABLED")]);
        assert_eq!(single(&CHECK, &manual).0, Status::Failed);
        assert_eq!(single(&CHECK, &with_features(&[("EKS_AUDIT_LOGS", "ENABLED")])).0, Status::Failed);
        not_available_cases(&CHECK);
    }
}
