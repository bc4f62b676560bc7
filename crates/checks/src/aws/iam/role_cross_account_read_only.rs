//! IAM roles with the AWS managed `ReadOnlyAccess` policy that another account may assume.
//!
//! No Security Hub control or CIS recommendation covers it; it is Prowler's
//! `iam_role_cross_account_readonlyaccess_policy` (see `crate::prowler`). `ReadOnlyAccess`
//! reads far more than configuration (S3 objects, DynamoDB items, secrets' metadata, logs): a
//! role another account can assume with it hands that account the data. A role fails when it
//! has `ReadOnlyAccess` and an `Allow` statement of its trust policy names an `AWS` principal of
//! another account, or `*`. Roles only AWS services may assume are out of scope, as in Prowler.
//! One result per role in scope.

use super::known_iam;
use super::role_administrator_access::service_only;
use super::user_administrator_access::list_unknown;
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};
use rampart_policy::{Effect, Principal};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_role_cross_account_read_only",
        title: "IAM roles that other accounts can assume have the ReadOnlyAccess policy",
        description: "ReadOnlyAccess reads the account's data, not only its configuration; a third party that needs to audit the configuration needs SecurityAudit or ViewOnlyAccess instead.",
        severity: Severity::High,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsIamRole,
        standards: &[],
        remediation: Remediation {
            console: "IAM console > Roles > the role > Permissions: replace ReadOnlyAccess with SecurityAudit or ViewOnlyAccess (or a policy of what the other account needs); check Trust relationships names only the accounts meant, with an sts:ExternalId condition for third parties.",
            cli: "aws iam detach-role-policy --role-name <role> --policy-arn arn:aws:iam::aws:policy/ReadOnlyAccess && aws iam attach-role-policy --role-name <role> --policy-arn arn:aws:iam::aws:policy/SecurityAudit",
            url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html",
        },
    },
    run,
};

/// The principals of the trust policy's `Allow` statements that are outside account `me`.
fn foreign_principals(trust: &str, me: &str) -> Option<Vec<String>> {
    let doc = rampart_policy::parse_maybe_url_encoded(trust).ok()?;
    let mut out = Vec::new();
    for s in doc.statements.iter().filter(|s| s.effect == Effect::Allow) {
        match &s.principal {
            Some(Principal::Any) => out.push("*".to_string()),
            Some(Principal::Specific(p)) => {
                for v in p.get("AWS").into_iter().flatten() {
                    let account = if v.starts_with("arn:") { v.split(':').nth(4).unwrap_or("") } else { v.as_str() };
                    if v == "*" || account != me {
                        out.push(v.clone());
                    }
                }
            }
            None => {}
        }
    }
    Some(out)
}

fn run(ctx: &Ctx, out: &mut Emit) {
    for account in &ctx.inventory.accounts {
        let Some(iam) = known_iam(account, out) else { continue };
        let roles = match &iam.roles {
            Observed::Known(r) => r,
            Observed::Unknown(why) => {
                list_unknown(account, ResourceType::AwsIamRole, "roles", why, out);
                continue;
            }
        };
        let read_only = format!("arn:{}:iam::aws:policy/ReadOnlyAccess", account.partition);
        for r in roles.iter().filter(|r| !service_only(r.assume_role_policy_document.as_deref())) {
            let res = resource(account, &account.home_region, ResourceType::AwsIamRole, r.arn.clone(), &r.role_name);
            match &r.attached_policy_arns {
                Observed::Unknown(why) => out.not_available(res, format!("the role's attached policies could not be read: {why}")),
                Observed::Known(a) if !a.contains(&read_only) => out.pass(res, "ReadOnlyAccess is not attached"),
                Observed::Known(_) => match r.assume_role_policy_document.as_deref().map(|t| foreign_principals(t, &account.id)) {
                    Some(Some(foreign)) if foreign.is_empty() => {
                        out.pass(res, "ReadOnlyAccess, but only the account itself may assume the role")
                    }
                    Some(Some(foreign)) => {
                        out.fail(res, format!("ReadOnlyAccess, and the trust policy lets {} assume the role", foreign.join(", ")))
                    }
                    Some(None) => out.malformed(res, "the trust policy is not valid"),
                    None => out.not_available(res, "the role's trust policy was not read"),
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::Role;
    use rampart_model::Status;

    const RO: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    fn trust(principal: &str) -> String {
        format!(r#"{{"Statement":[{{"Effect":"Allow","Principal":{{"AWS":"{principal}"}},"Action":"sts:AssumeRole"}}]}}"#)
    }
    fn role(name: &str, trust: String, attached: Observed<Vec<String>>) -> Role {
        Role {
            role_name: name.into(),
            arn: format!("arn:aws:iam::123456789012:role/{name}"),
            assume_role_policy_document: Some(trust),
            attached_policy_arns: attached,
            ..Default::default()
        }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        iam(&mut inv).roles = Observed::Known(vec![
            role("vendor", trust("arn:aws:iam::210987654321:root"), Observed::Known(vec![RO.into()])),
            role("bare-account-id", trust("210987654321"), Observed::Known(vec![RO.into()])),
            role("own", trust("arn:aws:iam::123456789012:role/admin"), Observed::Known(vec![RO.into()])),
            role(
                "vendor-audit",
                trust("arn:aws:iam::210987654321:root"),
                Observed::Known(vec!["arn:aws:iam::aws:policy/SecurityAudit".into()]),
            ),
            role(
                "unknown",
                trust("arn:aws:iam::210987654321:root"),
                Observed::Unknown("iam:ListAttachedRolePolicies access denied".into()),
            ),
            // Out of scope: only a service may assume it.
            role(
                "svc",
                r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#.into(),
                Observed::Known(vec![RO.into()]),
            ),
        ]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(
            r.iter().map(|r| r.status).collect::<Vec<_>>(),
            vec![Status::Failed, Status::Failed, Status::Passed, Status::Passed, Status::NotAvailable]
        );
        assert!(r[0].reason.contains("arn:aws:iam::210987654321:root"), "{}", r[0].reason);
        iam(&mut inv).roles = Observed::Unknown("iam:ListRoles access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
