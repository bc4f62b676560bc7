//! IAM users with policies attached directly (managed or inline).
//!
//! Security Hub IAM.2 (FSBP) and CIS AWS Foundations v3.0.0 1.15: users should get their
//! permissions only through groups (or roles). One result per IAM user.
//!
//! AWS: "This control checks that none of your IAM users have policies attached. Instead, IAM users
//! must inherit permissions from IAM groups or roles" (Security Hub IAM.2): one inline or managed
//! policy fails the user.

use super::known_iam;
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_user_policies_attached",
        title: "IAM users have policies attached directly",
        description: "Permissions granted to individual users drift apart and are hard to review or revoke; granting them through groups keeps access consistent with each person's role.",
        severity: Severity::Low,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsIamUser,
        standards: &[StandardRef::cis("1.15"), StandardRef::fsbp("IAM.2")],
        remediation: Remediation {
            console: "IAM console > User groups: create a group with the needed policies and add the user; then IAM console > Users > the user > Permissions: remove the directly attached and inline policies.",
            cli: "aws iam add-user-to-group --group-name <group> --user-name <user>; aws iam detach-user-policy --user-name <user> --policy-arn <arn>; aws iam delete-user-policy --user-name <user> --policy-name <name>",
            url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups_manage_attach-policy.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for account in &ctx.inventory.accounts {
        let Some(iam) = known_iam(account, out) else { continue };
        let users = match &iam.users {
            Observed::Known(u) => u,
            Observed::Unknown(why) => {
                out.not_available(super::account_resource(account), format!("IAM users could not be listed: {why}"));
                continue;
            }
        };
        for u in users {
            let arn = if u.arn.is_empty() { format!("arn:{}:iam::{}:user/{}", account.partition, account.id, u.user_name) } else { u.arn.clone() };
            let res = resource(account, &account.home_region, ResourceType::AwsIamUser, arn, &u.user_name);
            let (mut direct, mut unknown) = (Vec::new(), Vec::new());
            match &u.attached_policy_arns {
                Observed::Known(p) if !p.is_empty() => direct.push(format!("managed policies {}", p.join(", "))),
                Observed::Known(_) => {}
                Observed::Unknown(why) => unknown.push(format!("attached policies: {why}")),
            }
            match &u.inline_policies {
                Observed::Known(p) if !p.is_empty() => direct.push(format!("inline policies {}", p.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", "))),
                Observed::Known(_) => {}
                Observed::Unknown(why) => unknown.push(format!("inline policies: {why}")),
            }
            if !direct.is_empty() {
                out.fail(res, format!("the user has {}", direct.join(" and ")));
            } else if !unknown.is_empty() {
                out.not_available(res, format!("the user's policies could not be read: {}", unknown.join("; ")));
            } else {
                out.pass(res, "the user has no directly attached or inline policy");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{InlinePolicy, User};
    use rampart_model::Status;

    fn user(name: &str, attached: Observed<Vec<String>>, inline: Observed<Vec<InlinePolicy>>) -> User {
        User { user_name: name.into(), arn: format!("arn:aws:iam::123456789012:user/{name}"), attached_policy_arns: attached, inline_policies: inline, ..Default::default() }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        let inline = InlinePolicy { name: "p".into(), document: "{}".into() };
        iam(&mut inv).users = Observed::Known(vec![
            user("clean", Observed::Known(vec![]), Observed::Known(vec![])),
            user("managed", Observed::Known(vec!["arn:aws:iam::aws:policy/ReadOnlyAccess".into()]), Observed::Known(vec![])),
            user("inline", Observed::Known(vec![]), Observed::Known(vec![inline.clone()])),
            user("inline-known", Observed::Unknown("denied".into()), Observed::Known(vec![inline])),
            user("unknown", Observed::Known(vec![]), Observed::Unknown("iam:ListUserPolicies access denied".into())),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::Failed, Status::Failed, Status::NotAvailable]);
        iam(&mut inv).users = Observed::Unknown("iam:ListUsers access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        account(&mut inv).iam = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
