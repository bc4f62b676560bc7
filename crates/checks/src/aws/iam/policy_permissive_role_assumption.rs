//! Customer managed policies, attached to an identity, that allow assuming any role.
//!
//! No Security Hub control or CIS recommendation covers it (IAM.21 fails `sts:*` but not
//! `sts:AssumeRole` alone); it is Prowler's `iam_no_custom_policy_permissive_role_assumption`
//! (see `crate::prowler`): a policy fails when an `Allow` statement names `sts:AssumeRole`,
//! `sts:*` or `*` in `Action` and a `Resource` with a wildcard. Whoever holds it can then assume
//! every role whose trust policy trusts the account, which turns each of them into a way up.
//! Unattached policies grant nothing and are not judged, as in Prowler. One result per attached
//! customer managed policy.

use super::each_customer_policy;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};
use rampart_policy::{Effect, PolicyDocument};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_policy_permissive_role_assumption",
        title: "IAM customer managed policies allow assuming any role",
        description: "sts:AssumeRole on a wildcard resource lets the holder assume every role that trusts the account, whatever those roles may do; naming the roles keeps each escalation path deliberate.",
        severity: Severity::High,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsIamPolicy,
        standards: &[],
        remediation: Remediation {
            console: "IAM console > Policies > the policy > Edit: in statements allowing sts:AssumeRole (or sts:*, *), replace the wildcard Resource with the ARNs of the roles to be assumed.",
            cli: "aws iam create-policy-version --policy-arn <arn> --policy-document file://scoped.json --set-as-default",
            url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_permissions-to-switch.html",
        },
    },
    run,
};

/// The `Sid`s (or positions) of statements allowing role assumption on wildcard resources.
fn permissive(doc: &PolicyDocument) -> Vec<String> {
    doc.statements
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            s.effect == Effect::Allow
                && s.action.as_ref().is_some_and(|a| {
                    a.iter().any(|a| a.eq_ignore_ascii_case("sts:AssumeRole") || a.eq_ignore_ascii_case("sts:*") || a == "*")
                })
                && s.resource.as_ref().is_some_and(|r| r.iter().any(|r| r.contains('*')))
        })
        .map(|(i, s)| s.sid.clone().map(|sid| format!("`{sid}`")).unwrap_or_else(|| format!("statement {}", i + 1)))
        .collect()
}

fn run(ctx: &Ctx, out: &mut Emit) {
    each_customer_policy(ctx, out, |p, doc, res, out| {
        if p.attachment_count == 0 {
            return;
        }
        let bad = permissive(doc);
        if bad.is_empty() {
            out.pass(res, "no statement allows sts:AssumeRole on a wildcard resource");
        } else {
            out.fail(res, format!("allows sts:AssumeRole on a wildcard resource: {}", bad.join(", ")));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{ManagedPolicy, Observed};
    use rampart_model::Status;

    fn policy(name: &str, attached: i32, doc: Observed<String>) -> ManagedPolicy {
        ManagedPolicy {
            policy_name: name.into(),
            arn: format!("arn:aws:iam::123456789012:policy/{name}"),
            aws_managed: false,
            attachment_count: attached,
            default_version_id: "v1".into(),
            document: doc,
            permissions_boundary_usage_count: 0,
        }
    }
    const ANY_ROLE: &str = r#"{"Statement":[{"Sid":"hop","Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"#;
    const PREFIX: &str =
        r#"{"Statement":[{"Effect":"Allow","Action":["s3:GetObject","sts:*"],"Resource":"arn:aws:iam::123456789012:role/app-*"}]}"#;
    const ONE_ROLE: &str =
        r#"{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::123456789012:role/deploy"}]}"#;
    const DENY: &str = r#"{"Statement":[{"Effect":"Deny","Action":"sts:AssumeRole","Resource":"*"}]}"#;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        iam(&mut inv).policies = Observed::Known(vec![
            policy("any-role", 1, Observed::Known(ANY_ROLE.into())),
            policy("prefix", 2, Observed::Known(PREFIX.into())),
            policy("one-role", 1, Observed::Known(ONE_ROLE.into())),
            policy("deny", 1, Observed::Known(DENY.into())),
            policy("unknown", 1, Observed::Unknown("iam:GetPolicyVersion access denied".into())),
            // Not judged: attached to nobody.
            policy("unattached", 0, Observed::Known(ANY_ROLE.into())),
        ]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(
            r.iter().map(|r| r.status).collect::<Vec<_>>(),
            vec![Status::Failed, Status::Failed, Status::Passed, Status::Passed, Status::NotAvailable]
        );
        assert!(r[0].reason.contains("`hop`") && r[1].reason.contains("statement 1"), "{} / {}", r[0].reason, r[1].reason);
        iam(&mut inv).policies = Observed::Unknown("iam:ListPolicies access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
