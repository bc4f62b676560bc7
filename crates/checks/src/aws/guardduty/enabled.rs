//! GuardDuty enabled in every region.
//!
//! Security Hub GuardDuty.1: a region passes when it has a detector with status `ENABLED`.
//! One result per (account, region).
//!
//! AWS: "This control checks whether Amazon GuardDuty is enabled in your GuardDuty account and
//! Region" (Security Hub GuardDuty.1; Config `guardduty-enabled-centralized`: "COMPLIANT when
//! Amazon GuardDuty is enabled"): a region whose only detector is suspended fails.

use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "guardduty_enabled",
        title: "GuardDuty is not enabled in the region",
        description: "GuardDuty watches CloudTrail, VPC flow logs and DNS logs for signs of compromise such as credential exfiltration and crypto-mining; a region without it goes unwatched.",
        severity: Severity::High,
        category: Category::Security,
        service: "guardduty",
        resource_type: ResourceType::AwsAccount,
        standards: &[StandardRef::fsbp("GuardDuty.1")],
        remediation: Remediation {
            console: "GuardDuty console (in each region) > Get started > Enable GuardDuty; with AWS Organizations, use a delegated administrator and auto-enable.",
            cli: "aws guardduty create-detector --enable --region <region>",
            url: "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_settingup.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for (account, region) in ctx.inventory.regions() {
        let res = resource(account, &region.name, ResourceType::AwsAccount, account.arn("guardduty", &region.name, "detector/*"), &format!("{} {}", account.id, region.name));
        match &region.guardduty {
            Observed::Known(g) => match g.detectors.iter().find(|(_, status)| status == "ENABLED") {
                Some((id, _)) => out.pass(res, format!("detector `{id}` is enabled in {}", region.name)),
                None if g.detectors.is_empty() => out.fail(res, format!("no GuardDuty detector in {}", region.name)),
                None => out.fail(res, format!("the GuardDuty detector in {} is disabled", region.name)),
            },
            Observed::Unknown(why) => out.not_available(res, format!("GuardDuty could not be read in {}: {why}", region.name)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::GuardDuty;
    use rampart_model::Status;

    fn with(detectors: &[&str]) -> rampart_inventory::Inventory {
        let mut inv = inventory();
        let detectors = detectors.iter().enumerate().map(|(i, s)| (format!("d{i}"), s.to_string())).collect();
        region(&mut inv).guardduty = Observed::Known(GuardDuty { detectors, features: Observed::Known(Default::default()) });
        inv
    }

    #[test]
    fn pass_fail_not_available() {
        assert_eq!(single(&CHECK, &with(&["ENABLED"])).0, Status::Passed);
        assert_eq!(single(&CHECK, &with(&[])).0, Status::Failed);
        assert_eq!(single(&CHECK, &with(&["DISABLED"])).0, Status::Failed);
        let mut inv = inventory();
        region(&mut inv).guardduty = Observed::Unknown("guardduty:ListDetectors access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
