//! SNS: topics with their access policy, encryption key and subscriptions (protocol and
//! confirmation, not the endpoint).

use super::{known_or_return, non_empty};
use crate::call::{client, Ctx};
use futures::future::join_all;
use rampart_inventory::{Observed, SnsSubscription, SnsTopic};

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
            // CIS 4.x's audit: "at least one subscription should have "SubscriptionArn" with valid
            // aws ARN" (a pending one reads `PendingConfirmation`). `SubscriptionsConfirmed` of the
            // attributes would say the same, but emulators do not keep it.
            let subscriptions = match ctx
                .call(
                    "sns:ListSubscriptionsByTopic",
                    Some(&arn),
                    client.list_subscriptions_by_topic().topic_arn(&arn).into_paginator().items().send().try_collect(),
                )
                .await
            {
                // The endpoint is left out: an HTTP(S) endpoint's URL may carry a credential.
                Ok(subs) => Observed::Known(
                    subs.iter()
                        .map(|s| SnsSubscription {
                            arn: s.subscription_arn().unwrap_or_default().to_string(),
                            protocol: s.protocol().unwrap_or_default().to_string(),
                        })
                        .collect::<Vec<_>>(),
                ),
                Err(why) => Observed::Unknown(why),
            };
            let subscriptions_confirmed = subscriptions.clone().map(|subs| subs.iter().filter(|s| s.arn.starts_with("arn:")).count() as u64);
            SnsTopic { policy: attr("Policy"), kms_master_key_id: attr("KmsMasterKeyId"), subscriptions_confirmed, subscriptions, arn }
        }
    }))
    .await;
    Observed::Known(out)
}
