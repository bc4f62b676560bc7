//! IAM users with the AWS managed policy `AdministratorAccess` attached.
//!
//! No Security Hub control or CIS recommendation names it (IAM.1 judges the documents of
//! customer managed policies, CIS 1.15 any policy attached to a user); it is Prowler's
//! `iam_user_administrator_access_policy` (see `crate::prowler`). Full administrators should be
//! few and reached through roles or groups that are reviewed. One result per user.

use super::known_iam;
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::{Account, Observed};
use rampart_model::{Category, CheckMeta, Remediation, Resource, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_user_administrator_access",
        title: "IAM users have the AdministratorAccess policy attached",
        description: "AdministratorAccess allows every action on every resource: a user holding it directly has long-lived credentials that can do anything in the account.",
        severity: Severity::Critical,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsIamUser,
        standards: &[],
        remediation: Remediation {
            console: "IAM console > Users > the user > Permissions: remove AdministratorAccess; grant the needed permissions through a group, or let the person assume an administrator role with MFA when needed.",
            cli: "aws iam detach-user-policy --user-name <user> --policy-arn arn:aws:iam::aws:policy/AdministratorAccess",
            url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        },
    },
    run,
};

/// Whether `arn` is the AWS managed `AdministratorAccess` policy (in any partition).
pub(crate) fn is_administrator_access(arn: &str) -> bool {
    arn.starts_with("arn:") && arn.ends_with(":iam::aws:policy/AdministratorAccess")
}

/// FAILED when `attached` holds `AdministratorAccess`, PASSED when it does not, NOT_AVAILABLE
/// when it could not be read; `what` names the identity ("user", "group", "role").
pub(crate) fn judge(res: Resource, what: &str, attached: &Observed<Vec<String>>, out: &mut Emit) {
    match attached {
        Observed::Known(arns) if arns.iter().any(|a| is_administrator_access(a)) => {
            out.fail(res, format!("the AWS managed policy AdministratorAccess is attached to the {what}"))
        }
        Observed::Known(_) => out.pass(res, format!("AdministratorAccess is not attached to the {what}")),
        Observed::Unknown(why) => out.not_available(res, format!("the {what}'s attached policies could not be read: {why}")),
    }
}

/// NOT_AVAILABLE for every identity of kind `what` ("users", "groups", "roles") of the account.
pub(crate) fn list_unknown(account: &Account, kind: ResourceType, what: &str, why: &str, out: &mut Emit) {
    let arn = format!("arn:{}:iam::{}:{}/*", account.partition, account.id, &what[..what.len() - 1]);
    out.not_available(
        resource(account, &account.home_region, kind, arn, &format!("all {what}")),
        format!("IAM {what} could not be read: {why}"),
    );
}

fn run(ctx: &Ctx, out: &mut Emit) {
    for account in &ctx.inventory.accounts {
        let Some(iam) = known_iam(account, out) else { continue };
        match &iam.users {
            Observed::Known(users) => {
                for u in users {
                    let res = resource(account, &account.home_region, ResourceType::AwsIamUser, u.arn.clone(), &u.user_name);
                    judge(res, "user", &u.attached_policy_arns, out);
                }
            }
            Observed::Unknown(why) => list_unknown(account, ResourceType::AwsIamUser, "users", why, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::User;
    use rampart_model::Status;

    fn user(name: &str, attached: Observed<Vec<String>>) -> User {
        User {
            user_name: name.into(),
            arn: format!("arn:aws:iam::123456789012:user/{name}"),
            attached_policy_arns: attached,
            ..Default::default()
        }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        iam(&mut inv).users = Observed::Known(vec![
            user("reader", Observed::Known(vec!["arn:aws:iam::aws:policy/ReadOnlyAccess".into()])),
            user("admin", Observed::Known(vec!["arn:aws:iam::aws:policy/AdministratorAccess".into()])),
            // A customer policy that happens to share the name is IAM.1's business.
            user("lookalike", Observed::Known(vec!["arn:aws:iam::123456789012:policy/AdministratorAccess".into()])),
            user("gov", Observed::Known(vec!["arn:aws-us-gov:iam::aws:policy/AdministratorAccess".into()])),
            user("unknown", Observed::Unknown("iam:ListAttachedUserPolicies access denied".into())),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::Passed, Status::Failed, Status::NotAvailable]);
        iam(&mut inv).users = Observed::Unknown("iam:ListUsers access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        account(&mut inv).iam = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
