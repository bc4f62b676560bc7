//! Customer managed IAM policies that allow decrypting with every KMS key.
//!
//! Security Hub KMS.1 (AWS Config rule `iam-customer-policy-blocked-kms-actions`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html#kms-1>.
//! The default version of every customer managed policy, attached or not, fails when it
//! allows `kms:Decrypt` or `kms:ReEncryptFrom` on all keys (see [`super::decrypt_on_all_keys`]);
//! conditions are not considered, as in the control. One result per customer managed policy.
//!
//! AWS: "The rule is NON_COMPLIANT if any blocked action is allowed on all AWS KMS keys by the
//! managed IAM policy." (AWS Config `iam-customer-policy-blocked-kms-actions`, the rule behind
//! KMS.1,
//! <https://docs.aws.amazon.com/config/latest/developerguide/iam-customer-policy-blocked-kms-actions.html>).
//! Judged per statement: one statement allowing `kms:Decrypt` on all keys fails the policy
//! beside statements scoped to single keys, and a `Resource` list that holds one key ARN and a
//! wildcard covering every key (`arn:aws:kms:*`, `arn:*`) is "all keys" (test
//! `several_statements`; `arn:aws:kms:*` and `arn:*` were not recognised before).

use super::decrypt_on_all_keys;
use crate::aws::iam::each_customer_policy;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "kms_customer_policy_decrypt_all_keys",
        title: "IAM customer managed policies allow decryption actions on all KMS keys",
        description: "Decrypt on every key lets whoever holds the policy read any data encrypted under any key in the account (and keys elsewhere that trust it) rather than the keys their job needs.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "kms",
        resource_type: ResourceType::AwsIamPolicy,
        standards: &[StandardRef::fsbp("KMS.1")],
        remediation: Remediation {
            console: "IAM console > Policies > the policy > Edit: in statements allowing kms:Decrypt or kms:ReEncryptFrom, replace Resource \"*\" with the ARNs of the keys needed.",
            cli: "aws iam create-policy-version --policy-arn <arn> --policy-document file://scoped-to-keys.json --set-as-default",
            url: "https://docs.aws.amazon.com/kms/latest/developerguide/iam-policies-best-practices.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_customer_policy(ctx, out, |_, doc, res, out| {
        let actions = decrypt_on_all_keys(doc);
        if actions.is_empty() {
            out.pass(res, "no statement allows kms:Decrypt or kms:ReEncryptFrom on all keys");
        } else {
            out.fail(res, format!("allows {} on all KMS keys", actions.join(", ")));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{ManagedPolicy, Observed};
    use rampart_model::Status;

    fn policy(name: &str, doc: Observed<String>) -> ManagedPolicy {
        ManagedPolicy {
            policy_name: name.into(),
            arn: format!("arn:aws:iam::123456789012:policy/{name}"),
            aws_managed: false,
            attachment_count: 0,
            default_version_id: "v1".into(),
            document: doc,
            permissions_boundary_usage_count: 0,
        }
    }

    #[test]
    fn pass_fail_not_available() {
        let known = |d: &str| Observed::Known(d.to_string());
        let mut inv = inventory();
        iam(&mut inv).policies = Observed::Known(vec![
            policy(
                "one-key",
                known(
                    r#"{"Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:us-east-1:123456789012:key/k1"}]}"#,
                ),
            ),
            policy(
                "all-keys",
                known(r#"{"Statement":[{"Effect":"Allow","Action":["kms:Decrypt","kms:GenerateDataKey"],"Resource":"*"}]}"#),
            ),
            policy("unknown", Observed::Unknown("iam:GetPolicyVersion access denied".into())),
        ]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(r.iter().map(|r| r.status).collect::<Vec<_>>(), vec![Status::Passed, Status::Failed, Status::NotAvailable]);
        assert_eq!(r[1].reason, "allows kms:Decrypt on all KMS keys");
        iam(&mut inv).policies = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }

    #[test]
    fn several_statements() {
        let known = |d: &str| Observed::Known(d.to_string());
        let mut inv = inventory();
        iam(&mut inv).policies = Observed::Known(vec![
            policy(
                "mixed",
                known(
                    r#"{"Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:us-east-1:123456789012:key/k1"},{"Effect":"Allow","Action":"kms:ReEncrypt*","Resource":["arn:aws:kms:us-east-1:123456789012:key/k1","arn:aws:kms:*"]}]}"#,
                ),
            ),
            policy(
                "scoped",
                known(
                    r#"{"Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:us-east-1:123456789012:key/k1"},{"Effect":"Allow","Action":"kms:Encrypt","Resource":"*"}]}"#,
                ),
            ),
        ]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(r.iter().map(|r| r.status).collect::<Vec<_>>(), vec![Status::Failed, Status::Passed]);
        assert_eq!(r[0].reason, "allows kms:ReEncryptFrom on all KMS keys");
    }
}
