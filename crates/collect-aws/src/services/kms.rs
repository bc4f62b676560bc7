//! KMS: every key with its metadata, key policy, grants and (customer-managed keys) rotation.

use super::{known_or_return, observed};
use crate::call::{client, Ctx};
use futures::future::join_all;
use rampart_inventory::{KmsGrant, KmsKey, Observed};

pub(super) async fn collect(ctx: &Ctx) -> Observed<Vec<KmsKey>> {
    let client = client!(ctx, aws_sdk_kms);
    let keys = known_or_return!(ctx.call("kms:ListKeys", None, client.list_keys().into_paginator().items().send().try_collect()).await);

    let out = join_all(keys.iter().map(|k| {
        let client = &client;
        async move {
            let key_id = k.key_id().unwrap_or_default().to_string();
            let arn = k.key_arn().unwrap_or_default().to_string();
            let resource = if arn.is_empty() { key_id.clone() } else { arn.clone() };
            let (described, policy, grants) = futures::join!(
                ctx.call("kms:DescribeKey", Some(&resource), client.describe_key().key_id(&key_id).send()),
                ctx.call("kms:GetKeyPolicy", Some(&resource), client.get_key_policy().key_id(&key_id).policy_name("default").send()),
                ctx.call("kms:ListGrants", Some(&resource), client.list_grants().key_id(&key_id).into_paginator().items().send().try_collect()),
            );
            let grants = observed(grants).map(|gs| gs.iter().map(grant).collect());
            let policy = observed(policy).map(|p| p.policy().unwrap_or_default().to_string());
            // A key whose policy does not let this account read it keeps its id and ARN; its
            // metadata stays empty and its rotation unknown.
            let meta = match &described {
                Ok(d) => d.key_metadata(),
                Err(_) => None,
            };
            let key_manager = meta.and_then(|m| m.key_manager()).map(|v| v.as_str().to_string()).unwrap_or_default();
            let key_state = meta.and_then(|m| m.key_state()).map(|v| v.as_str().to_string()).unwrap_or_default();
            let rotation_enabled = match (&described, key_manager.as_str(), key_state.as_str()) {
                (Err(reason), _, _) => Observed::Unknown(reason.clone()),
                (Ok(_), "", _) => Observed::Unknown("kms:DescribeKey: no KeyManager in the response".to_string()),
                // AWS rotates the keys it manages every year; their rotation cannot be turned off.
                (Ok(_), "AWS", _) => Observed::Known(true),
                (Ok(_), _, "PendingDeletion" | "PendingReplicaDeletion") => {
                    Observed::Unknown("key is pending deletion: rotation not read".to_string())
                }
                (Ok(_), _, _) => observed(
                    // Asymmetric, HMAC, imported and custom-key-store keys cannot rotate automatically.
                    ctx.call_opt("kms:GetKeyRotationStatus", Some(&resource), &["UnsupportedOperationException"], client.get_key_rotation_status().key_id(&key_id).send())
                        .await
                        .map(|r| r.is_some_and(|r| r.key_rotation_enabled())),
                ),
            };
            KmsKey {
                key_id: meta.map(|m| m.key_id().to_string()).filter(|s| !s.is_empty()).unwrap_or(key_id.clone()),
                arn: meta.and_then(|m| m.arn()).map(str::to_string).unwrap_or(arn.clone()),
                key_manager,
                key_state,
                key_spec: meta.and_then(|m| m.key_spec()).map(|v| v.as_str().to_string()).unwrap_or_default(),
                origin: meta.and_then(|m| m.origin()).map(|v| v.as_str().to_string()).unwrap_or_default(),
                multi_region: match (&described, meta.and_then(|m| m.multi_region())) {
                    (Err(reason), _) => Observed::Unknown(reason.clone()),
                    (Ok(_), Some(m)) => Observed::Known(m),
                    (Ok(_), None) => Observed::Unknown("kms:DescribeKey: no MultiRegion in the response".to_string()),
                },
                rotation_enabled,
                policy,
                grants,
            }
        }
    }))
    .await;
    Observed::Known(out)
}

fn grant(g: &aws_sdk_kms::types::GrantListEntry) -> KmsGrant {
    let constrained = g.constraints().is_some_and(|c| {
        c.encryption_context_subset().is_some_and(|m| !m.is_empty()) || c.encryption_context_equals().is_some_and(|m| !m.is_empty())
    });
    KmsGrant {
        grant_id: g.grant_id().unwrap_or_default().to_string(),
        name: g.name().filter(|n| !n.is_empty()).map(str::to_string),
        grantee_principal: g.grantee_principal().unwrap_or_default().to_string(),
        retiring_principal: g.retiring_principal().map(str::to_string),
        operations: g.operations().iter().map(|o| o.as_str().to_string()).collect(),
        issuing_account: g.issuing_account().map(str::to_string),
        constrained,
    }
}
