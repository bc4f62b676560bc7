//! Security Hub enabled in every region.
//!
//! Security Hub SecurityHub.1, CIS AWS Foundations v3.0.0 4.16. One result per
//! (account, region).
//!
//! AWS: "The rule is NON_COMPLIANT if AWS Security Hub is not enabled" (Config
//! `securityhub-enabled`, behind SecurityHub.1), judged per region as Security Hub is regional.

use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "securityhub_enabled",
        title: "Security Hub is not enabled in the region",
        description: "Security Hub collects findings from GuardDuty, Inspector, Macie, IAM Access Analyzer and partner tools and runs the security standards' controls; a region without it has no central view.",
        severity: Severity::High,
        category: Category::Security,
        service: "securityhub",
        resource_type: ResourceType::AwsAccount,
        standards: &[StandardRef::fsbp("SecurityHub.1"), StandardRef::cis("4.16")],
        remediation: Remediation {
            console: "Security Hub console (in each region) > Go to Security Hub > Enable Security Hub; with AWS Organizations use central configuration.",
            cli: "aws securityhub enable-security-hub --enable-default-standards --region <region>",
            url: "https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-settingup.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for (account, region) in ctx.inventory.regions() {
        let res = resource(account, &region.name, ResourceType::AwsAccount, account.arn("securityhub", &region.name, "hub/default"), &format!("{} {}", account.id, region.name));
        match &region.securityhub {
            Observed::Known(h) => match &h.hub_arn {
                Some(arn) => out.pass(res, format!("Security Hub is enabled (`{arn}`)")),
                None => out.fail(res, format!("Security Hub is not enabled in {}", region.name)),
            },
            Observed::Unknown(why) => out.not_available(res, format!("Security Hub could not be read in {}: {why}", region.name)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::SecurityHub;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        region(&mut inv).securityhub = Observed::Known(SecurityHub { hub_arn: Some("arn:aws:securityhub:us-east-1:123456789012:hub/default".into()), enabled_standards: Observed::Known(vec![]) });
        assert_eq!(single(&CHECK, &inv).0, Status::Passed);
        region(&mut inv).securityhub = Observed::Known(SecurityHub::default());
        assert_eq!(single(&CHECK, &inv).0, Status::Failed);
        region(&mut inv).securityhub = Observed::Unknown("securityhub:DescribeHub access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
