//! No IAM role holds the AWSSupportAccess policy.
//!
//! CIS AWS Foundations v3.0.0 1.17 "Ensure a support role has been created to manage incidents
//! with AWS Support" (Security Hub IAM.18 in its CIS standards): the audit lists the entities
//! of the AWS managed policy `AWSSupportAccess` and expects at least one role among them. One
//! result per account.
//!
//! AWS / CIS: "Ensure a support role has been created to manage incidents with AWS Support" (CIS
//! v3.0.0 1.17, title): the audit lists `AWSSupportAccess`'s `PolicyRoles` and expects one;
//! attached to users or groups only, it fails.

use super::account_has_role_with_managed_policy;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_support_role",
        title: "No IAM role has the AWSSupportAccess policy to manage incidents with AWS Support",
        description: "Without a role for AWS Support, opening and following support cases during an incident needs broader credentials than the task requires.",
        severity: Severity::Low,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsAccount,
        standards: &[StandardRef::cis("1.17")],
        remediation: Remediation {
            console: "IAM console > Roles > Create role: trusted entity your account (or your identity provider), attach the AWS managed policy AWSSupportAccess, and let the incident responders assume it.",
            cli: "aws iam create-role --role-name aws-support --assume-role-policy-document file://trust.json && aws iam attach-role-policy --role-name aws-support --policy-arn arn:aws:iam::aws:policy/AWSSupportAccess",
            url: "https://docs.aws.amazon.com/awssupport/latest/user/accessing-support.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    account_has_role_with_managed_policy(ctx, out, "AWSSupportAccess");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Observed, Role};
    use rampart_model::Status;

    fn role(name: &str, arns: Observed<Vec<String>>) -> Role {
        Role { role_name: name.into(), arn: format!("arn:aws:iam::123456789012:role/{name}"), attached_policy_arns: arns, ..Default::default() }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        let support = || role("support", Observed::Known(vec!["arn:aws:iam::aws:policy/AWSSupportAccess".into()]));
        let other = || role("app", Observed::Known(vec!["arn:aws:iam::aws:policy/ReadOnlyAccess".into()]));
        iam(&mut inv).roles = Observed::Known(vec![other(), support()]);
        assert_eq!(single(&CHECK, &inv).0, Status::Passed);
        iam(&mut inv).roles = Observed::Known(vec![other()]);
        assert_eq!(single(&CHECK, &inv).0, Status::Failed);
        iam(&mut inv).roles = Observed::Known(vec![other(), role("odd", Observed::Unknown("denied".into()))]);
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        iam(&mut inv).roles = Observed::Unknown("iam:ListRoles denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
