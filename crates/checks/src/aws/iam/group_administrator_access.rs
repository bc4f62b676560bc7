//! IAM groups with the AWS managed policy `AdministratorAccess` attached.
//!
//! No Security Hub control or CIS recommendation names it; it is Prowler's
//! `iam_group_administrator_access_policy` (see `crate::prowler`): every member of such a group
//! is a full administrator. One result per group.

use super::known_iam;
use super::user_administrator_access::{judge, list_unknown};
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_group_administrator_access",
        title: "IAM groups have the AdministratorAccess policy attached",
        description: "AdministratorAccess allows every action on every resource: adding a user to the group makes them a full administrator with long-lived credentials.",
        severity: Severity::High,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsIamGroup,
        standards: &[],
        remediation: Remediation {
            console: "IAM console > User groups > the group > Permissions: replace AdministratorAccess with the policies the members' jobs need; let administrators assume an administrator role with MFA instead.",
            cli: "aws iam detach-group-policy --group-name <group> --policy-arn arn:aws:iam::aws:policy/AdministratorAccess",
            url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for account in &ctx.inventory.accounts {
        let Some(iam) = known_iam(account, out) else { continue };
        match &iam.groups {
            Observed::Known(groups) => {
                for g in groups {
                    let res = resource(account, &account.home_region, ResourceType::AwsIamGroup, g.arn.clone(), &g.group_name);
                    judge(res, "group", &g.attached_policy_arns, out);
                }
            }
            Observed::Unknown(why) => list_unknown(account, ResourceType::AwsIamGroup, "groups", why, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::Group;
    use rampart_model::Status;

    fn group(name: &str, attached: Observed<Vec<String>>) -> Group {
        Group {
            group_name: name.into(),
            arn: format!("arn:aws:iam::123456789012:group/{name}"),
            attached_policy_arns: attached,
            ..Default::default()
        }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        iam(&mut inv).groups = Observed::Known(vec![
            group("readers", Observed::Known(vec!["arn:aws:iam::aws:policy/ReadOnlyAccess".into()])),
            group("admins", Observed::Known(vec!["arn:aws:iam::aws:policy/AdministratorAccess".into()])),
            group("unknown", Observed::Unknown("iam:ListAttachedGroupPolicies access denied".into())),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::NotAvailable]);
        iam(&mut inv).groups = Observed::Unknown("iam:ListGroups access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
