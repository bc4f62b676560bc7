//! Access keys of the root user.
//!
//! `GetAccountSummary` reports `AccountAccessKeysPresent` = 1 when the root user has an access
//! key. Trusted Advisor "Root User Access Key" (red when present), CIS AWS Foundations v3.0.0
//! 1.4, Security Hub IAM.4.
//!
//! AWS: "The rule is COMPLIANT if the user access key does not exist. Otherwise, NON_COMPLIANT"
//! (Config `iam-root-access-key-check`, behind IAM.4); CIS 1.4 audits the same
//! `AccountAccessKeysPresent`. An inactive root key still fails: it exists.

use super::{account_resource, known_iam};
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_root_access_key",
        title: "The root user has an access key",
        description: "A root access key gives unrestricted, unconditional programmatic control of the account; if it leaks, nothing in IAM can limit what is done with it.",
        severity: Severity::Critical,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsAccount,
        standards: &[
            StandardRef::ta("Root User Access Key"),
            StandardRef::cis("1.4"),
            StandardRef::fsbp("IAM.4"),
        ],
        remediation: Remediation {
            console: "Sign in as the root user, open Security credentials, and under Access keys make each key inactive, then delete it.",
            cli: "Only the root user can delete its keys (aws iam delete-access-key --access-key-id <id>, run with the root key itself); prefer the console: https://console.aws.amazon.com/iam/home#/security_credentials",
            url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user_manage_delete-key.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for account in &ctx.inventory.accounts {
        let Some(iam) = known_iam(account, out) else { continue };
        let res = account_resource(account);
        match &iam.account_summary {
            Observed::Unknown(why) => out.not_available(res, format!("account summary could not be read: {why}")),
            Observed::Known(map) => match map.get("AccountAccessKeysPresent") {
                Some(0) => out.pass(res, "the root user has no access key"),
                Some(_) => out.fail(res, "the root user has an access key"),
                None => out.not_available(res, "the account summary has no `AccountAccessKeysPresent` entry"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_model::Status;

    fn with(v: Option<i64>) -> rampart_inventory::Inventory {
        let mut inv = inventory();
        iam(&mut inv).account_summary = Observed::Known(v.map(|v| ("AccountAccessKeysPresent".to_string(), v)).into_iter().collect());
        inv
    }

    #[test]
    fn pass() {
        assert_eq!(single(&CHECK, &with(Some(0))).0, Status::Passed);
    }

    #[test]
    fn fail() {
        assert_eq!(single(&CHECK, &with(Some(1))).0, Status::Failed);
    }

    #[test]
    fn not_available() {
        assert_eq!(single(&CHECK, &with(None)).0, Status::NotAvailable);
        let mut inv = inventory();
        iam(&mut inv).account_summary = Observed::Unknown("iam:GetAccountSummary access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
