//! IAM users, groups or roles hold the AWS managed policy `AWSCloudShellFullAccess`.
//!
//! CIS 1.22 "Ensure access to AWSCloudShellFullAccess is restricted" is a manual recommendation
//! (Rampart does not claim it); this is Prowler's `iam_policy_cloudshell_admin_not_attached`
//! (see `crate::prowler`): the account fails when any user, group or role has the policy
//! attached. CloudShell with full access uploads and downloads files to and from a shell that
//! runs with the holder's credentials, a path around data-loss controls. One result per account.

use super::{account_resource, known_iam};
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_cloudshell_full_access",
        title: "IAM identities have the AWSCloudShellFullAccess policy attached",
        description: "AWSCloudShellFullAccess lets the holder move files in and out of a shell running with their credentials, outside the controls on other data paths.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsAccount,
        standards: &[],
        remediation: Remediation {
            console: "IAM console > Policies > AWSCloudShellFullAccess > Entities attached: detach it; grant a scoped CloudShell policy (without file upload and download) where CloudShell is needed.",
            cli: "aws iam list-entities-for-policy --policy-arn arn:aws:iam::aws:policy/AWSCloudShellFullAccess; aws iam detach-user-policy --user-name <user> --policy-arn arn:aws:iam::aws:policy/AWSCloudShellFullAccess (detach-group-policy / detach-role-policy)",
            url: "https://docs.aws.amazon.com/cloudshell/latest/userguide/sec-auth-with-identities.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for account in &ctx.inventory.accounts {
        let Some(iam) = known_iam(account, out) else { continue };
        let res = account_resource(account);
        let policy = format!("arn:{}:iam::aws:policy/AWSCloudShellFullAccess", account.partition);
        let (mut holders, mut unknown) = (Vec::new(), Vec::new());
        let lists = [
            (
                "users",
                iam.users
                    .as_result()
                    .map(|v| v.iter().map(|u| (format!("user {}", u.user_name), &u.attached_policy_arns)).collect::<Vec<_>>()),
            ),
            (
                "groups",
                iam.groups.as_result().map(|v| v.iter().map(|g| (format!("group {}", g.group_name), &g.attached_policy_arns)).collect()),
            ),
            (
                "roles",
                iam.roles.as_result().map(|v| v.iter().map(|r| (format!("role {}", r.role_name), &r.attached_policy_arns)).collect()),
            ),
        ];
        for (what, list) in lists {
            match list {
                Err(_) => unknown.push(format!("the {what}")),
                Ok(identities) => {
                    for (name, attached) in identities {
                        match attached {
                            Observed::Known(a) if a.contains(&policy) => holders.push(name),
                            Observed::Known(_) => {}
                            Observed::Unknown(_) => unknown.push(format!("the policies of {name}")),
                        }
                    }
                }
            }
        }
        if !holders.is_empty() {
            out.fail(res, format!("AWSCloudShellFullAccess is attached to {}", holders.join(", ")));
        } else if !unknown.is_empty() {
            out.not_available(res, format!("{} could not be read", unknown.join(", ")));
        } else {
            out.pass(res, "no user, group or role has AWSCloudShellFullAccess");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Group, Role, User};
    use rampart_model::Status;

    const SHELL: &str = "arn:aws:iam::aws:policy/AWSCloudShellFullAccess";

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        iam(&mut inv).users =
            Observed::Known(vec![User { user_name: "alice".into(), attached_policy_arns: Observed::Known(vec![]), ..Default::default() }]);
        iam(&mut inv).groups =
            Observed::Known(vec![Group { group_name: "ops".into(), attached_policy_arns: Observed::Known(vec![]), ..Default::default() }]);
        iam(&mut inv).roles =
            Observed::Known(vec![Role { role_name: "app".into(), attached_policy_arns: Observed::Known(vec![]), ..Default::default() }]);
        assert_eq!(single(&CHECK, &inv).0, Status::Passed);
        iam(&mut inv).groups = Observed::Known(vec![Group {
            group_name: "ops".into(),
            attached_policy_arns: Observed::Known(vec![SHELL.into()]),
            ..Default::default()
        }]);
        let (s, why) = single(&CHECK, &inv);
        assert_eq!((s, why.as_str()), (Status::Failed, "AWSCloudShellFullAccess is attached to group ops"));
        iam(&mut inv).groups = Observed::Known(vec![]);
        iam(&mut inv).roles = Observed::Known(vec![Role {
            role_name: "app".into(),
            attached_policy_arns: Observed::Unknown("denied".into()),
            ..Default::default()
        }]);
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable, "one role unread: not PASSED");
        iam(&mut inv).roles = Observed::Unknown("iam:ListRoles access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
