//! SNS: topics with their access policy and encryption key.

use super::{known_or_return, non_empty};
use crate::call::{client, Ctx};
use futures::future::join_all;
use rampart_inventory::{Observed, SnsTopic};

pub(super) async fn collect(ctx: &Ctx) -> Observed<Vec<SnsTopic>> {
    let client = client!(ctx, aws_sdk_sns);
    let topics = known_or_return!(ctx.call("sns:ListTopics", None, client.list_topics().into_paginator().items().send().try_collect()).await);

    let out = join_all(topics.iter().map(|t| {
        let client = &client;
        async move {
            let arn = t.topic_arn().unwrap_or_default().to_string();
            let attributes = ctx.call("sns:GetTopicAttributes", Some(&arn), client.get_topic_attributes().topic_arn(&arn).send()).await;
            let attr = |name: &str| match &attributes {
                Ok(out) => Observed::Known(non_empty(out.attributes().and_then(|a| a.get(name)).map(String::as_str))),
                Err(reason) => Observed::Unknown(reason.clone()),
            };
            SnsTopic { policy: attr("Policy"), kms_master_key_id: attr("KmsMasterKeyId"), arn }
        }
    }))
    .await;
    Observed::Known(out)
}
