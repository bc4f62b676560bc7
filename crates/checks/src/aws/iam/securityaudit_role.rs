//! No IAM role has the AWS managed `SecurityAudit` policy.
//!
//! No Security Hub control or CIS recommendation asks for it; it is Prowler's
//! `iam_securityaudit_role_created` (see `crate::prowler`): a role that auditors and security
//! tools assume to read the account's configuration, rather than broader credentials. One
//! result per account, as `iam_support_role` does for AWSSupportAccess.

use super::account_has_role_with_managed_policy;
use crate::{Check, Ctx, Emit};
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
    account_has_role_with_managed_policy(ctx, out, "SecurityAudit");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Observed, Role};
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
