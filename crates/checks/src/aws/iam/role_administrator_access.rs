//! IAM roles with the AWS managed policy `AdministratorAccess` attached.
//!
//! No Security Hub control or CIS recommendation names it; it is Prowler's
//! `iam_role_administratoraccess_policy` (see `crate::prowler`), with the same scope: roles that
//! only AWS services may assume (every trust statement allows `sts:AssumeRole` to `Service`
//! principals alone) are left out, since the account does not hand them to people. An
//! administrator role people assume is not wrong in itself; the finding asks whether it should
//! exist and who may assume it. One result per role in scope.

use super::known_iam;
use super::user_administrator_access::{judge, list_unknown};
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};
use rampart_policy::{Effect, Principal};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_role_administrator_access",
        title: "IAM roles that people or other accounts can assume have the AdministratorAccess policy attached",
        description: "AdministratorAccess allows every action on every resource: whoever the trust policy lets assume the role becomes a full administrator.",
        severity: Severity::High,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsIamRole,
        standards: &[],
        remediation: Remediation {
            console: "IAM console > Roles > the role > Permissions: replace AdministratorAccess with the policies the role's job needs; if an administrator role is needed, restrict its trust policy to few principals and require MFA.",
            cli: "aws iam detach-role-policy --role-name <role> --policy-arn arn:aws:iam::aws:policy/AdministratorAccess",
            url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        },
    },
    run,
};

/// Whether only AWS services may assume a role with this trust policy.
pub(crate) fn service_only(trust: Option<&str>) -> bool {
    let Some(Ok(doc)) = trust.map(rampart_policy::parse_maybe_url_encoded) else { return false };
    !doc.statements.is_empty()
        && doc.statements.iter().all(|s| {
            s.effect == Effect::Allow
                && s.action.as_ref().is_some_and(|a| a.iter().any(|a| a == "sts:AssumeRole" || a == "sts:*" || a == "*"))
                && matches!(&s.principal, Some(Principal::Specific(p)) if p.len() == 1 && p.contains_key("Service"))
        })
}

fn run(ctx: &Ctx, out: &mut Emit) {
    for account in &ctx.inventory.accounts {
        let Some(iam) = known_iam(account, out) else { continue };
        match &iam.roles {
            Observed::Known(roles) => {
                for r in roles.iter().filter(|r| !service_only(r.assume_role_policy_document.as_deref())) {
                    let res = resource(account, &account.home_region, ResourceType::AwsIamRole, r.arn.clone(), &r.role_name);
                    judge(res, "role", &r.attached_policy_arns, out);
                }
            }
            Observed::Unknown(why) => list_unknown(account, ResourceType::AwsIamRole, "roles", why, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::Role;
    use rampart_model::Status;

    const ADMIN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";
    const SERVICE: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    const ACCOUNT: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:root"},"Action":"sts:AssumeRole"}]}"#;
    // IAM returns trust policies percent-encoded.
    const ENCODED_SERVICE: &str = "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22lambda.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D";

    fn role(name: &str, trust: &str, attached: Observed<Vec<String>>) -> Role {
        Role {
            role_name: name.into(),
            arn: format!("arn:aws:iam::123456789012:role/{name}"),
            assume_role_policy_document: Some(trust.into()),
            attached_policy_arns: attached,
            ..Default::default()
        }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        iam(&mut inv).roles = Observed::Known(vec![
            role("cross-account-admin", ACCOUNT, Observed::Known(vec![ADMIN.into()])),
            role("cross-account-reader", ACCOUNT, Observed::Known(vec!["arn:aws:iam::aws:policy/ReadOnlyAccess".into()])),
            role("unknown", ACCOUNT, Observed::Unknown("iam:ListAttachedRolePolicies access denied".into())),
            // Out of scope: only a service may assume them.
            role("ec2-admin", SERVICE, Observed::Known(vec![ADMIN.into()])),
            role("lambda-admin", ENCODED_SERVICE, Observed::Known(vec![ADMIN.into()])),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Failed, Status::Passed, Status::NotAvailable]);
        iam(&mut inv).roles = Observed::Unknown("iam:ListRoles access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
