//! IAM users, groups and roles whose inline policies allow decrypting with every KMS key.
//!
//! Security Hub KMS.2 (AWS Config rule `iam-inline-policy-blocked-kms-actions`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html#kms-2>.
//! An identity fails when one of its inline policies allows `kms:Decrypt` or
//! `kms:ReEncryptFrom` on all keys (see [`super::decrypt_on_all_keys`]); conditions are not
//! considered, as in the control. One result per user, group and role.
//!
//! AWS: "The rule is NON_COMPLIANT if any blocked action is allowed on all AWS KMS keys in an
//! inline policy." (AWS Config `iam-inline-policy-blocked-kms-actions`, the rule behind KMS.2,
//! <https://docs.aws.amazon.com/config/latest/developerguide/iam-inline-policy-blocked-kms-actions.html>).
//! Every inline policy and every statement is judged:
//! one such statement in one of several policies fails the identity, even when another of its
//! policies cannot be parsed (that used to make the whole identity NOT_AVAILABLE).

use super::decrypt_on_all_keys;
use crate::aws::iam::each_identity_inline_policies;
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::{Account, InlinePolicy, Observed};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "kms_inline_policy_decrypt_all_keys",
        title: "IAM principals have inline policies that allow decryption actions on all KMS keys",
        description: "Decrypt on every key lets the user, group or role read any data encrypted under any key in the account (and keys elsewhere that trust it) rather than the keys its job needs.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "kms",
        resource_type: ResourceType::AwsIamRole,
        standards: &[StandardRef::fsbp("KMS.2")],
        remediation: Remediation {
            console: "IAM console > Users, User groups or Roles > the identity > Permissions > the inline policy > Edit: in statements allowing kms:Decrypt or kms:ReEncryptFrom, replace Resource \"*\" with the ARNs of the keys needed.",
            cli: "aws iam put-role-policy --role-name <role> --policy-name <policy> --policy-document file://scoped-to-keys.json (put-user-policy / put-group-policy for users and groups)",
            url: "https://docs.aws.amazon.com/kms/latest/developerguide/iam-policies-best-practices.html",
        },
    },
    run,
};

fn judge(account: &Account, kind: ResourceType, arn: &str, name: &str, inline: &Observed<Vec<InlinePolicy>>, out: &mut Emit) {
    let res = resource(account, &account.home_region, kind, arn.to_string(), name);
    let policies = match inline {
        Observed::Known(p) => p,
        Observed::Unknown(why) => return out.not_available(res, format!("inline policies could not be read: {why}")),
    };
    let mut bad = Vec::new();
    let mut invalid = Vec::new();
    for p in policies {
        match rampart_policy::parse_maybe_url_encoded(&p.document) {
            Err(e) => invalid.push(format!("inline policy `{}` is not valid: {e}", p.name)),
            Ok(doc) => {
                let actions = decrypt_on_all_keys(&doc);
                if !actions.is_empty() {
                    bad.push(format!("`{}` ({})", p.name, actions.join(", ")));
                }
            }
        }
    }
    if !bad.is_empty() {
        out.fail(res, format!("inline policies allow decryption on all KMS keys: {}", bad.join("; ")));
    } else if !invalid.is_empty() {
        out.malformed(res, invalid.join("; "));
    } else {
        out.pass(res, "no inline policy allows kms:Decrypt or kms:ReEncryptFrom on all keys");
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

    const ALL_KEYS: &str = r#"{"Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}"#;
    const ONE_KEY: &str =
        r#"{"Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:us-east-1:123456789012:key/k1"}]}"#;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        iam(&mut inv).users = Observed::Known(vec![User {
            user_name: "alice".into(),
            arn: "arn:aws:iam::123456789012:user/alice".into(),
            inline_policies: Observed::Known(vec![inline("one", ONE_KEY)]),
            ..Default::default()
        }]);
        iam(&mut inv).groups = Observed::Known(vec![Group {
            group_name: "ops".into(),
            arn: "arn:aws:iam::123456789012:group/ops".into(),
            inline_policies: Observed::Unknown("iam:ListGroupPolicies access denied".into()),
            ..Default::default()
        }]);
        iam(&mut inv).roles = Observed::Known(vec![Role {
            role_name: "app".into(),
            arn: "arn:aws:iam::123456789012:role/app".into(),
            inline_policies: Observed::Known(vec![inline("one", ONE_KEY), inline("all", ALL_KEYS)]),
            ..Default::default()
        }]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(r.iter().map(|r| r.status).collect::<Vec<_>>(), vec![Status::Passed, Status::NotAvailable, Status::Failed]);
        assert!(r[2].reason.contains("`all` (kms:Decrypt, kms:ReEncryptFrom)"), "{}", r[2].reason);
        iam(&mut inv).roles = Observed::Unknown("denied".into());
        assert_eq!(run_check(&CHECK, &inv)[2].status, Status::NotAvailable);
    }

    /// Several inline policies: an unparsable one does not hide another that allows decryption
    /// on all keys (FAILED, not NOT_AVAILABLE); alone it is NOT_AVAILABLE, never PASSED.
    #[test]
    fn several_policies() {
        let role = |policies: Vec<InlinePolicy>| Role {
            role_name: "app".into(),
            arn: "arn:aws:iam::123456789012:role/app".into(),
            inline_policies: Observed::Known(policies),
            ..Default::default()
        };
        let mut inv = inventory();
        iam(&mut inv).users = Observed::Known(vec![]);
        iam(&mut inv).groups = Observed::Known(vec![]);
        iam(&mut inv).roles = Observed::Known(vec![role(vec![inline("broken", "{nope"), inline("all", ALL_KEYS)])]);
        assert_eq!(single(&CHECK, &inv).0, Status::Failed);
        iam(&mut inv).roles = Observed::Known(vec![role(vec![inline("broken", "{nope"), inline("one", ONE_KEY)])]);
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
