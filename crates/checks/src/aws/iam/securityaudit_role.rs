//! No IAM role has the AWS managed `SecurityAudit` policy.
//!
//! No Security Hub control or CIS recommendation asks for it; it is Prowler's
//! `iam_securityaudit_role_created` (see `crate::prowler`): a role that auditors and security
//! tools assume to read the account's configuration, rather than broader credentials. One
//! result per account, as `iam_support_role` does for AWSSupportAccess.

use super::{account_resource, known_iam};
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_securityaudit_role",
        title: "No IAM role has the SecurityAudit policy for security reviews",
        description: "Without a role for security audits, reviewers and scanners get broader credentials than reading the configuration needs, or none at all.",
        severity: Severity::Low,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsAccount,
        standards: &[],
        remediation: Remediation {
            console: "IAM console > Roles > Create role: trusted entity your account (or your security account), attach the AWS managed policy SecurityAudit, and let auditors and security tools assume it.",
            cli: "aws iam create-role --role-name security-audit --assume-role-policy-document file://trust.json && aws iam attach-role-policy --role-name security-audit --policy-arn arn:aws:iam::aws:policy/SecurityAudit",
            url: "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/SecurityAudit.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for account in &ctx.inventory.accounts {
        let Some(iam) = known_iam(account, out) else { continue };
        let res = account_resource(account);
        let roles = match &iam.roles {
            Observed::Known(r) => r,
            Observed::Unknown(why) => {
                out.not_available(res, format!("IAM roles could not be read: {why}"));
                continue;
            }
        };
        let policy = format!("arn:{}:iam::aws:policy/SecurityAudit", account.partition);
        let holder = roles.iter().find(|r| matches!(&r.attached_policy_arns, Observed::Known(a) if a.contains(&policy)));
        let unknown: Vec<&str> =
            roles.iter().filter(|r| matches!(r.attached_policy_arns, Observed::Unknown(_))).map(|r| r.role_name.as_str()).collect();
        match holder {
            Some(r) => out.pass(res, format!("role `{}` has SecurityAudit", r.role_name)),
            None if !unknown.is_empty() => {
                out.not_available(res, format!("the attached policies of role(s) {} could not be read", unknown.join(", ")))
            }
            None => out.fail(res, "no role has the SecurityAudit policy attached"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::Role;
    use rampart_model::Status;

    fn role(name: &str, arns: Observed<Vec<String>>) -> Role {
        Role {
            role_name: name.into(),
            arn: format!("arn:aws:iam::123456789012:role/{name}"),
            attached_policy_arns: arns,
            ..Default::default()
        }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        let audit = || role("audit", Observed::Known(vec!["arn:aws:iam::aws:policy/SecurityAudit".into()]));
        let other = || role("app", Observed::Known(vec!["arn:aws:iam::aws:policy/ReadOnlyAccess".into()]));
        let unknown = || role("hidden", Observed::Unknown("iam:ListAttachedRolePolicies access denied".into()));
        iam(&mut inv).roles = Observed::Known(vec![other(), unknown(), audit()]);
        assert_eq!(single(&CHECK, &inv).0, Status::Passed);
        iam(&mut inv).roles = Observed::Known(vec![other()]);
        assert_eq!(single(&CHECK, &inv).0, Status::Failed);
        iam(&mut inv).roles = Observed::Known(vec![other(), unknown()]);
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        iam(&mut inv).roles = Observed::Unknown("iam:ListRoles access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
