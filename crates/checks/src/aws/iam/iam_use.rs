//! Whether the account uses IAM identities at all, rather than the root user.
//!
//! Trusted Advisor "IAM Use": meant to discourage root access by checking that at least one
//! IAM user exists; yellow when there is none. Trusted Advisor has since dropped the check from
//! its security list; it is kept because the issue names it. An account that uses only IAM
//! Identity Center or federation has no IAM users and still fails here: that is the
//! Trusted Advisor semantics, and the reason is worded so a reader can dismiss it.

use super::{account_resource, known_iam};
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_use",
        title: "No IAM users exist: the root user may be used for daily work",
        description: "An account without IAM users (or federated identities) is probably operated with the root user, whose credentials cannot be limited by any policy.",
        severity: Severity::Low,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsAccount,
        standards: &[StandardRef::ta("IAM Use")],
        remediation: Remediation {
            console: "Prefer IAM Identity Center (Settings > Enable) and assign permission sets; otherwise IAM console > Users > Create user with only the permissions needed, and stop using the root user.",
            cli: "aws iam create-user --user-name <name> && aws iam add-user-to-group --user-name <name> --group-name <group>",
            url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for account in &ctx.inventory.accounts {
        let Some(iam) = known_iam(account, out) else { continue };
        let res = account_resource(account);
        // The user list; `GetAccountSummary`'s `Users` count when the list could not be read.
        let count = match (&iam.users, &iam.account_summary) {
            (Observed::Known(users), _) => Ok(users.len() as i64),
            (_, Observed::Known(summary)) if summary.contains_key("Users") => Ok(summary["Users"]),
            (Observed::Unknown(why), _) => Err(why.clone()),
        };
        match count {
            Ok(0) => out.fail(res, "the account has no IAM users (expected if all access is federated through IAM Identity Center or SAML)"),
            Ok(n) => out.pass(res, format!("the account has {n} IAM user(s)")),
            Err(why) => out.not_available(res, format!("IAM users could not be listed: {why}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::User;
    use rampart_model::Status;

    #[test]
    fn pass() {
        let mut inv = inventory();
        iam(&mut inv).users = Observed::Known(vec![User { user_name: "alice".into(), ..Default::default() }]);
        assert_eq!(single(&CHECK, &inv).0, Status::Passed);
        // Users unreadable, but the summary counts them.
        iam(&mut inv).users = Observed::Unknown("denied".into());
        iam(&mut inv).account_summary = Observed::Known([("Users".to_string(), 3)].into());
        assert_eq!(single(&CHECK, &inv).0, Status::Passed);
    }

    #[test]
    fn fail() {
        assert_eq!(single(&CHECK, &inventory()).0, Status::Failed);
    }

    #[test]
    fn not_available() {
        let mut inv = inventory();
        iam(&mut inv).users = Observed::Unknown("iam:GetAccountAuthorizationDetails access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        account(&mut inv).iam = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
