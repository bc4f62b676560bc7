//! GuardDuty detectors without Runtime Monitoring.
//!
//! Security Hub has no FSBP control for it (GuardDuty.7 is EKS Runtime Monitoring,
//! `guardduty_eks_runtime_monitoring`); it is Prowler's `guardduty_runtime_monitoring_enabled`
//! (see `crate::prowler`): a detector passes when its `RUNTIME_MONITORING` feature is `ENABLED`
//! (EKS, ECS Fargate and EC2 runtime events). One result per detector; regions without a
//! detector are `guardduty_enabled`'s.

use super::{each_detector, feature};
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "guardduty_runtime_monitoring",
        title: "GuardDuty Runtime Monitoring is not enabled",
        description: "Runtime Monitoring watches processes, file access and network connections inside EC2 instances, ECS tasks and EKS pods, where API logs see nothing: crypto miners, reverse shells, privilege escalation.",
        severity: Severity::High,
        category: Category::Security,
        service: "guardduty",
        resource_type: ResourceType::AwsGuardDutyDetector,
        standards: &[],
        remediation: Remediation {
            console: "GuardDuty console > Protection plans > Runtime Monitoring > Edit: enable it, with automated agent configuration for the resource types in use.",
            cli: "aws guardduty update-detector --detector-id <id> --features '[{\"Name\":\"RUNTIME_MONITORING\",\"Status\":\"ENABLED\"}]'",
            url: "https://docs.aws.amazon.com/guardduty/latest/ug/runtime-monitoring.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_detector(ctx, out, |f| feature(f, "RUNTIME_MONITORING", "Runtime Monitoring"));
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::*;
    use crate::testkit::*;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        assert_eq!(single(&CHECK, &with_features(&[("RUNTIME_MONITORING", "ENABLED")])).0, Status::Passed);
        assert_eq!(single(&CHECK, &with_features(&[("RUNTIME_MONITORING", "DISABLED")])).0, Status::Failed);
        assert_eq!(single(&CHECK, &with_features(&[("EKS_RUNTIME_MONITORING", "ENABLED")])).0, Status::Failed);
        not_available_cases(&CHECK);
    }
}
