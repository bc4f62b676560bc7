//! SQS: queues with their access policy and encryption (KMS or SQS-managed).

use super::{known_or_return, non_empty};
use crate::call::{client, Ctx};
use aws_sdk_sqs::types::QueueAttributeName;
use futures::future::join_all;
use rampart_inventory::{Observed, SqsQueue};

pub(super) async fn collect(ctx: &Ctx) -> Observed<Vec<SqsQueue>> {
    let client = client!(ctx, aws_sdk_sqs);
    // ListQueues only pages when a page size is given.
    let urls = known_or_return!(
        ctx.call("sqs:ListQueues", None, client.list_queues().max_results(1000).into_paginator().items().send().try_collect()).await
    );

    let out = join_all(urls.iter().map(|url| {
        let client = &client;
        async move {
            let attributes = ctx
                .call("sqs:GetQueueAttributes", Some(url), client.get_queue_attributes().queue_url(url).attribute_names(QueueAttributeName::All).send())
                .await;
            let get = |name: QueueAttributeName| match &attributes {
                Ok(out) => Ok(non_empty(out.attributes().and_then(|a| a.get(&name)).map(String::as_str))),
                Err(reason) => Err(reason.clone()),
            };
            let observed = |r: Result<Option<String>, String>| match r {
                Ok(v) => Observed::Known(v),
                Err(reason) => Observed::Unknown(reason),
            };
            SqsQueue {
                arn: get(QueueAttributeName::QueueArn).ok().flatten().unwrap_or_else(|| arn_from_url(url, &ctx.region)),
                policy: observed(get(QueueAttributeName::Policy)),
                kms_master_key_id: observed(get(QueueAttributeName::KmsMasterKeyId)),
                // Queues created before SQS-managed encryption existed do not report the attribute.
                sqs_managed_sse_enabled: observed(get(QueueAttributeName::SqsManagedSseEnabled))
                    .map(|v| v.is_some_and(|v| v.eq_ignore_ascii_case("true"))),
                url: url.clone(),
            }
        }
    }))
    .await;
    Observed::Known(out)
}

/// `https://sqs.<region>.amazonaws.com/<account>/<name>` → `arn:<partition>:sqs:<region>:<account>:<name>`,
/// for when the attributes (which hold the ARN) could not be read.
fn arn_from_url(url: &str, region: &str) -> String {
    let mut parts = url.trim_end_matches('/').rsplit('/');
    let name = parts.next().unwrap_or_default();
    let account = parts.next().unwrap_or_default();
    let partition = if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    };
    format!("arn:{partition}:sqs:{region}:{account}:{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_of_a_queue_url() {
        assert_eq!(
            arn_from_url("https://sqs.eu-west-1.amazonaws.com/123456789012/jobs", "eu-west-1"),
            "arn:aws:sqs:eu-west-1:123456789012:jobs"
        );
        assert_eq!(arn_from_url("", "us-east-1"), "arn:aws:sqs:us-east-1::");
    }
}
