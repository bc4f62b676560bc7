//! IAM groups with `AdministratorAccess` attached that have a member without MFA.
//!
//! No Security Hub control or CIS recommendation names it; it is Prowler's
//! `iam_administrator_access_with_mfa` (see `crate::prowler`): a group with the AWS managed
//! `AdministratorAccess` policy fails when any one of its users has no MFA device. MFA is read
//! from each user's devices (`iam:ListMFADevices`, virtual or hardware, as the credential
//! report's `mfa_active`). One result per group: groups without the policy pass.

use super::known_iam;
use super::user_administrator_access::{is_administrator_access, list_unknown};
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::{Group, Observed, User};
use rampart_model::{Category, CheckMeta, Remediation, Resource, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_administrator_access_with_mfa",
        title: "IAM groups with AdministratorAccess have members without MFA",
        description: "A member of a group holding AdministratorAccess can do anything in the account; without MFA a leaked password is enough to take it over.",
        severity: Severity::High,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsIamGroup,
        standards: &[],
        remediation: Remediation {
            console: "IAM console > Users > each member named > Security credentials > Multi-factor authentication (MFA) > Assign MFA device; or remove the user from the group.",
            cli: "aws iam remove-user-from-group --group-name <group> --user-name <user> (or have the user enable MFA: aws iam enable-mfa-device ...)",
            url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable.html",
        },
    },
    run,
};

fn judge(res: Resource, g: &Group, users: &[User], out: &mut Emit) {
    let attached = match &g.attached_policy_arns {
        Observed::Known(a) => a,
        Observed::Unknown(why) => return out.not_available(res, format!("the group's attached policies could not be read: {why}")),
    };
    if !attached.iter().any(|a| is_administrator_access(a)) {
        return out.pass(res, "the group does not have AdministratorAccess");
    }
    let (mut without, mut unknown, mut members) = (Vec::new(), Vec::new(), 0);
    for u in users {
        match &u.groups {
            Observed::Known(groups) if !groups.contains(&g.group_name) => continue,
            Observed::Known(_) => {}
            Observed::Unknown(_) => {
                unknown.push(format!("`{}` (groups not read)", u.user_name));
                continue;
            }
        }
        members += 1;
        match &u.mfa_devices {
            Observed::Known(d) if d.is_empty() => without.push(format!("`{}`", u.user_name)),
            Observed::Known(_) => {}
            Observed::Unknown(_) => unknown.push(format!("`{}` (MFA devices not read)", u.user_name)),
        }
    }
    if !without.is_empty() {
        out.fail(res, format!("AdministratorAccess is given to users without MFA: {}", without.join(", ")));
    } else if !unknown.is_empty() {
        out.not_available(res, format!("the group has AdministratorAccess and these users could not be judged: {}", unknown.join(", ")));
    } else if members == 0 {
        out.pass(res, "the group has AdministratorAccess but no users");
    } else {
        out.pass(res, format!("all {members} users given AdministratorAccess by the group have MFA"));
    }
}

fn run(ctx: &Ctx, out: &mut Emit) {
    for account in &ctx.inventory.accounts {
        let Some(iam) = known_iam(account, out) else { continue };
        let groups = match &iam.groups {
            Observed::Known(g) => g,
            Observed::Unknown(why) => {
                list_unknown(account, ResourceType::AwsIamGroup, "groups", why, out);
                continue;
            }
        };
        for g in groups {
            let res = resource(account, &account.home_region, ResourceType::AwsIamGroup, g.arn.clone(), &g.group_name);
            match &iam.users {
                Observed::Known(users) => judge(res, g, users, out),
                Observed::Unknown(why) => out.not_available(res, format!("IAM users (the group's members) could not be read: {why}")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_model::Status;

    const ADMIN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

    fn group(name: &str, attached: &[&str]) -> Group {
        Group {
            group_name: name.into(),
            arn: format!("arn:aws:iam::123456789012:group/{name}"),
            attached_policy_arns: Observed::Known(attached.iter().map(|s| s.to_string()).collect()),
            ..Default::default()
        }
    }

    fn user(name: &str, groups: &[&str], mfa: Observed<Vec<String>>) -> User {
        User {
            user_name: name.into(),
            arn: format!("arn:aws:iam::123456789012:user/{name}"),
            groups: Observed::Known(groups.iter().map(|s| s.to_string()).collect()),
            mfa_devices: mfa,
            ..Default::default()
        }
    }

    #[test]
    fn pass_fail_not_available() {
        let mfa = || Observed::Known(vec!["arn:aws:iam::123456789012:mfa/x".to_string()]);
        let mut inv = inventory();
        iam(&mut inv).groups = Observed::Known(vec![
            group("readers", &["arn:aws:iam::aws:policy/ReadOnlyAccess"]),
            group("admins", &[ADMIN]),
            group("ops", &[ADMIN]),
            group("empty", &[ADMIN]),
            group("audit", &[ADMIN]),
        ]);
        iam(&mut inv).users = Observed::Known(vec![
            user("alice", &["admins", "ops", "readers"], mfa()),
            // One member of two without MFA fails the group.
            user("bob", &["ops"], Observed::Known(vec![])),
            user("carol", &["audit"], Observed::Unknown("iam:ListMFADevices access denied".into())),
        ]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(
            r.iter().map(|r| r.status).collect::<Vec<_>>(),
            vec![Status::Passed, Status::Passed, Status::Failed, Status::Passed, Status::NotAvailable]
        );
        assert_eq!(r[2].reason, "AdministratorAccess is given to users without MFA: `bob`");
        iam(&mut inv).users = Observed::Unknown("denied".into());
        assert!(run_check(&CHECK, &inv).iter().all(|r| r.status == Status::NotAvailable));
        iam(&mut inv).groups = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
