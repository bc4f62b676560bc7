//! MFA on the root account.
//!
//! `GetAccountSummary` reports `AccountMFAEnabled` = 1 when the root user has an MFA device.
//!
//! Security Hub's IAM.9 ("MFA should be enabled for the root user") is this check, but it
//! belongs to CIS (v3.0.0 1.5, listed here), PCI DSS and NIST 800-53, not to FSBP
//! (https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-9), so it is
//! not claimed as an FSBP reference.
//!
//! AWS: "Checks whether the root user of your AWS account requires multi-factor authentication for
//! console sign-in" (Config `root-account-mfa-enabled`, behind IAM.9 and CIS 1.5).

use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_root_mfa",
        title: "MFA on Root Account",
        description: "The root user can do anything in the account, including closing it. Without multi-factor authentication a leaked password is enough to take the account over.",
        severity: Severity::Critical,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsAccount,
        standards: &[
            StandardRef::ta("MFA on Root Account"),
            StandardRef::cis("1.5"),
        ],
        remediation: Remediation {
            console: "Sign in as the root user, open Security credentials, choose Assign MFA device and follow the steps (a hardware key is best).",
            cli: "The root user's MFA can only be assigned in the console: https://console.aws.amazon.com/iam/home#/security_credentials",
            url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-mfa-for-root.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for account in &ctx.inventory.accounts {
        let res = resource(
            account,
            &account.home_region,
            ResourceType::AwsAccount,
            format!("arn:{}:iam::{}:root", account.partition, account.id),
            &account.id,
        );
        let summary = match &account.iam {
            Observed::Known(iam) => &iam.account_summary,
            Observed::Unknown(why) => {
                out.not_available(res, format!("IAM could not be read: {why}"));
                continue;
            }
        };
        match summary {
            Observed::Unknown(why) => out.not_available(res, format!("account summary could not be read: {why}")),
            Observed::Known(map) => match map.get("AccountMFAEnabled") {
                Some(1) => out.pass(res, "the root user has an MFA device"),
                Some(_) => out.fail(res, "the root user has no MFA device"),
                None => out.not_available(res, "the account summary has no `AccountMFAEnabled` entry"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_model::Status;

    fn with_summary(v: Option<i64>) -> rampart_inventory::Inventory {
        let mut inv = inventory();
        let iam = account(&mut inv).iam.known_mut().unwrap();
        let mut m = std::collections::BTreeMap::new();
        if let Some(v) = v {
            m.insert("AccountMFAEnabled".to_string(), v);
        }
        iam.account_summary = Observed::Known(m);
        inv
    }

    #[test]
    fn pass() {
        assert_eq!(single(&CHECK, &with_summary(Some(1))).0, Status::Passed);
    }

    #[test]
    fn fail() {
        assert_eq!(single(&CHECK, &with_summary(Some(0))).0, Status::Failed);
    }

    #[test]
    fn not_available() {
        assert_eq!(single(&CHECK, &with_summary(None)).0, Status::NotAvailable);
        let mut inv = inventory();
        account(&mut inv).iam.known_mut().unwrap().account_summary =
            Observed::Unknown("iam:GetAccountSummary access denied".into());
        let (s, why) = single(&CHECK, &inv);
        assert_eq!(s, Status::NotAvailable);
        assert!(why.contains("iam:GetAccountSummary"));
        account(&mut inv).iam = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
