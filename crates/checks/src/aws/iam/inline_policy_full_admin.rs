//! IAM users, groups and roles with an inline policy that allows `*` on `*`.
//!
//! Security Hub IAM.1 and CIS 1.16 judge customer managed policies only
//! (`iam_policy_full_admin`); an inline policy grants the same power and is easier to miss. This
//! is Prowler's `iam_inline_policy_no_administrative_privileges` (see `crate::prowler`), judged
//! with IAM.1's definition ([`super::policy_full_admin::grants_full_admin`]: an `Allow`
//! statement with `Action` `"*"` and `Resource` `"*"`, whatever its conditions). One result per
//! user, group and role that has inline policies.

use super::each_identity_inline_policies;
use super::policy_full_admin::grants_full_admin;
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::{Account, InlinePolicy, Observed};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_inline_policy_full_admin",
        title: "IAM users, groups or roles have inline policies that allow \"*\" on \"*\"",
        description: "An inline policy allowing every action on every resource makes the identity an administrator, outside the managed policies that reviews usually look at.",
        severity: Severity::High,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsIamRole,
        standards: &[],
        remediation: Remediation {
            console: "IAM console > Users, User groups or Roles > the identity > Permissions > the inline policy: remove it, or edit it to list only the actions and resources the job needs.",
            cli: "aws iam delete-role-policy --role-name <role> --policy-name <policy> (delete-user-policy / delete-group-policy for users and groups), or put-role-policy with a scoped document",
            url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        },
    },
    run,
};

fn judge(account: &Account, kind: ResourceType, arn: &str, name: &str, inline: &Observed<Vec<InlinePolicy>>, out: &mut Emit) {
    let res = resource(account, &account.home_region, kind, arn.to_string(), name);
    let policies = match inline {
        Observed::Known(p) if p.is_empty() => return,
        Observed::Known(p) => p,
        Observed::Unknown(why) => return out.not_available(res, format!("inline policies could not be read: {why}")),
    };
    let mut admin = Vec::new();
    for p in policies {
        match rampart_policy::parse_maybe_url_encoded(&p.document) {
            Err(e) => return out.malformed(res, format!("inline policy `{}` is not valid: {e}", p.name)),
            Ok(doc) if grants_full_admin(&doc) => admin.push(format!("`{}`", p.name)),
            Ok(_) => {}
        }
    }
    if admin.is_empty() {
        out.pass(res, format!("none of its {} inline policies allows \"*\" on \"*\"", policies.len()));
    } else {
        out.fail(res, format!("inline policies allow \"*\" on \"*\": {}", admin.join(", ")));
    }
}

fn run(ctx: &Ctx, out: &mut Emit) {
    each_identity_inline_policies(ctx, out, judge);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Group, Role, User};
    use rampart_model::Status;

    fn inline(name: &str, doc: &str) -> InlinePolicy {
        InlinePolicy { name: name.into(), document: doc.into() }
    }

    const ADMIN: &str = r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    const READ: &str = r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        iam(&mut inv).users = Observed::Known(vec![
            User {
                user_name: "alice".into(),
                arn: "arn:aws:iam::123456789012:user/alice".into(),
                inline_policies: Observed::Known(vec![inline("read", READ)]),
                ..Default::default()
            },
            // No inline policy: nothing to judge.
            User {
                user_name: "bob".into(),
                arn: "arn:aws:iam::123456789012:user/bob".into(),
                inline_policies: Observed::Known(vec![]),
                ..Default::default()
            },
        ]);
        iam(&mut inv).groups = Observed::Known(vec![Group {
            group_name: "ops".into(),
            arn: "arn:aws:iam::123456789012:group/ops".into(),
            inline_policies: Observed::Unknown("iam:ListGroupPolicies access denied".into()),
            ..Default::default()
        }]);
        iam(&mut inv).roles = Observed::Known(vec![Role {
            role_name: "app".into(),
            arn: "arn:aws:iam::123456789012:role/app".into(),
            inline_policies: Observed::Known(vec![inline("read", READ), inline("everything", ADMIN)]),
            ..Default::default()
        }]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(r.iter().map(|r| r.status).collect::<Vec<_>>(), vec![Status::Passed, Status::NotAvailable, Status::Failed]);
        assert!(r[2].reason.contains("`everything`") && !r[2].reason.contains("`read`"), "{}", r[2].reason);
        iam(&mut inv).roles = Observed::Unknown("denied".into());
        assert_eq!(run_check(&CHECK, &inv)[2].status, Status::NotAvailable);
        account(&mut inv).iam = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
