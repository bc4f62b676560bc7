//! Secrets Manager: secrets' rotation, use and encryption (`ListSecrets`) and resource policy.
//! Never a secret's value.

use super::{known_or_return, non_empty, observed, ts_opt};
use crate::call::{client, Ctx};
use futures::future::join_all;
use rampart_inventory::{Observed, Secret};

pub(super) async fn collect(ctx: &Ctx) -> Observed<Vec<Secret>> {
    let client = client!(ctx, aws_sdk_secretsmanager);
    let pages =
        known_or_return!(ctx.call("secretsmanager:ListSecrets", None, client.list_secrets().into_paginator().send().try_collect()).await);
    let secrets: Vec<&aws_sdk_secretsmanager::types::SecretListEntry> = pages.iter().flat_map(|p| p.secret_list()).collect();
    let out = join_all(secrets.iter().map(|s| {
        let client = &client;
        async move {
            let arn = s.arn().unwrap_or_default().to_string();
            let policy = ctx
                .call_opt(
                    "secretsmanager:GetResourcePolicy",
                    Some(&arn),
                    &["ResourceNotFoundException"],
                    client.get_resource_policy().secret_id(&arn).send(),
                )
                .await;
            let rules = s.rotation_rules();
            Secret {
                name: s.name().unwrap_or_default().to_string(),
                kms_key_id: non_empty(s.kms_key_id()),
                rotation_enabled: s.rotation_enabled().unwrap_or(false),
                rotation_days: rules.and_then(|r| r.automatically_after_days()),
                rotation_schedule: non_empty(rules.and_then(|r| r.schedule_expression())),
                created: ts_opt(s.created_date()),
                last_rotated: ts_opt(s.last_rotated_date()),
                last_accessed: ts_opt(s.last_accessed_date()),
                policy: observed(policy).map(|p| p.and_then(|p| non_empty(p.resource_policy()))),
                arn,
            }
        }
    }))
    .await;
    Observed::Known(out)
}
