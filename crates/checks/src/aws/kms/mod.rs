//! KMS checks.

pub mod key_pending_deletion;
pub mod key_public;
pub mod customer_policy_decrypt_all_keys;
pub mod inline_policy_decrypt_all_keys;
pub mod key_rotation;
pub mod key_multi_region;

use crate::{resource, Ctx, Emit};
use rampart_inventory::{Account, KmsKey, Region};
use rampart_model::{Resource, ResourceType};

/// Calls `f` for every customer managed key (`KeyManager` = `CUSTOMER`); AWS managed keys are
/// AWS's to rotate and delete.
pub(crate) fn each_customer_key(ctx: &Ctx, out: &mut Emit, mut f: impl FnMut(&KmsKey, Resource, &mut Emit)) {
    super::each_regional(ctx, out, "kms", ResourceType::AwsKmsKey, "key", |r| &r.kms, |account, region, key, out| {
        if key.key_manager == "CUSTOMER" {
            f(key, key_resource(account, region, key), out);
        }
    });
}

/// The decryption actions KMS.1 and KMS.2 block on all keys (the AWS Config rules'
/// `blockedActionsPatterns`).
pub(crate) const BLOCKED_DECRYPT_ACTIONS: &[&str] = &["kms:Decrypt", "kms:ReEncryptFrom"];

/// The blocked decryption actions an identity policy allows on all KMS keys, ignoring
/// conditions as the controls do. A statement covers all keys when its `Resource` holds `*` or
/// a KMS ARN whose key part is a bare wildcard (`arn:aws:kms:*:*:key/*`), or any other pattern
/// that matches every key ARN (`arn:aws:kms:*`, `arn:*`), or when it uses `NotResource`
/// (everything but some resources).
pub(crate) fn decrypt_on_all_keys(doc: &rampart_policy::PolicyDocument) -> Vec<&'static str> {
    use rampart_policy::{action_matches, Effect};
    let all_keys = |r: &str| {
        r == "*" || {
            let parts: Vec<&str> = r.splitn(6, ':').collect();
            parts.len() == 6 && parts[0] == "arn" && matches!(parts[2], "kms" | "*") && matches!(parts[5], "*" | "key/*")
        } || ["aws", "aws-cn", "aws-us-gov"].iter().any(|partition| {
            // The text `arn:<partition>:kms:*:*:key/*` read literally: a pattern that matches it
            // has wildcards where every key ARN varies.
            action_matches(r, &format!("arn:{partition}:kms:*:*:key/*"))
        })
    };
    BLOCKED_DECRYPT_ACTIONS
        .iter()
        .copied()
        .filter(|action| {
            doc.statements.iter().any(|s| {
                let allows = match (&s.action, &s.not_action) {
                    (Some(a), _) => a.iter().any(|p| action_matches(p, action)),
                    (None, Some(na)) => !na.iter().any(|p| action_matches(p, action)),
                    (None, None) => false,
                };
                let everywhere = match (&s.resource, &s.not_resource) {
                    (Some(r), _) => r.iter().any(|r| all_keys(r)),
                    (None, Some(_)) => true,
                    (None, None) => false,
                };
                s.effect == Effect::Allow && allows && everywhere
            })
        })
        .collect()
}

fn key_resource(account: &Account, region: &Region, key: &KmsKey) -> Resource {
    let arn = if key.arn.is_empty() { account.arn("kms", &region.name, &format!("key/{}", key.key_id)) } else { key.arn.clone() };
    resource(account, &region.name, ResourceType::AwsKmsKey, arn, &key.key_id)
}

#[cfg(test)]
pub(crate) mod tests {
    use rampart_inventory::{KmsKey, Observed};

    #[test]
    fn decrypt_on_all_keys_table() {
        let table: &[(&str, &[&str])] = &[
            (r#"{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}"#, &["kms:Decrypt"]),
            (r#"{"Effect":"Allow","Action":"kms:*","Resource":"arn:aws:kms:*:123456789012:key/*"}"#, &["kms:Decrypt", "kms:ReEncryptFrom"]),
            (r#"{"Effect":"Allow","Action":"kms:ReEncrypt*","Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}}"#, &["kms:ReEncryptFrom"]),
            (r#"{"Effect":"Allow","NotAction":"kms:Decrypt","Resource":"*"}"#, &["kms:ReEncryptFrom"]),
            (r#"{"Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:us-east-1:123456789012:key/1234abcd"}"#, &[]),
            (r#"{"Effect":"Allow","Action":"kms:Encrypt","Resource":"*"}"#, &[]),
            (r#"{"Effect":"Deny","Action":"kms:Decrypt","Resource":"*"}"#, &[]),
            (r#"{"Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:*"}"#, &["kms:Decrypt"]),
            (r#"{"Effect":"Allow","Action":"kms:Decrypt","Resource":["arn:aws:kms:us-east-1:123456789012:key/1","arn:*"]}"#, &["kms:Decrypt"]),
            (r#"{"Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:us-east-1:123456789012:alias/*"}"#, &[]),
        ];
        for (statement, want) in table {
            let doc = rampart_policy::parse(&format!(r#"{{"Statement":[{statement}]}}"#)).unwrap();
            assert_eq!(super::decrypt_on_all_keys(&doc), *want, "{statement}");
        }
    }

    /// An enabled customer managed symmetric key with rotation on.
    pub fn key(id: &str) -> KmsKey {
        KmsKey {
            key_id: id.into(),
            arn: format!("arn:aws:kms:us-east-1:123456789012:key/{id}"),
            key_manager: "CUSTOMER".into(),
            key_state: "Enabled".into(),
            key_spec: "SYMMETRIC_DEFAULT".into(),
            origin: "AWS_KMS".into(),
            multi_region: Observed::Known(false),
            rotation_enabled: Observed::Known(true),
            policy: Observed::Known("{}".into()),
            grants: Observed::Known(Vec::new()),
        }
    }
}
