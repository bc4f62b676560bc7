//! The one write Rampart ever makes: publishing an event to an Amazon SNS topic that the
//! user named as an event target (opt-in). Everything else in this crate scans and only
//! reads.
//!
//! **Outside the read-only guard, on purpose and alone.** Scanning clients are built with
//! [`crate::guard::ReadOnlyGuard`] (the `client!` macro of `call.rs`, and the STS, S3 and
//! S3 Control builders), which refuses `Publish` like every operation that is not a
//! `Describe*`/`List*`/`Get*` read; this module builds its own SNS client, without the
//! guard, from the target's own settings (region, optional profile, optional endpoint),
//! never from a scan's [`crate::Ctx`], and calls nothing but `Publish`. It makes no
//! `ctx.call("…")` either, so `sns:Publish` never enters `rampart iam-policy`'s read-only
//! policy. `tests/read_only.rs` checks all three: the guard still refuses `Publish`, no
//! other source file builds a client without the guard or names `publish`, and the
//! policy lists no write.

use aws_sdk_sns::types::MessageAttributeValue;
use std::time::Duration;

/// Where and as whom to publish.
#[derive(Debug, Clone, Default)]
pub struct SnsTopic {
    /// The topic's ARN (`arn:aws:sns:REGION:ACCOUNT:NAME`, `.fifo` for a FIFO topic).
    pub topic_arn: String,
    /// The topic's Region.
    pub region: String,
    /// A named profile of the shared config files; the default credential chain otherwise.
    pub profile: Option<String>,
    /// An SNS-compatible endpoint (an emulator); AWS's otherwise.
    pub endpoint_url: Option<String>,
}

/// Checks a topic's settings the way they are given (no call): an SNS topic ARN whose
/// Region is the given one.
pub fn check_topic(topic: &SnsTopic) -> Result<(), String> {
    let parts: Vec<&str> = topic.topic_arn.split(':').collect();
    if parts.len() != 6 || parts[0] != "arn" || parts[2] != "sns" || parts[5].is_empty() {
        return Err(format!(
            "`{}` is not an SNS topic ARN: give one like arn:aws:sns:us-east-1:123456789012:security-events",
            shown(&topic.topic_arn)
        ));
    }
    if !crate::regions::is_known(&topic.region) {
        return Err(format!("unknown region `{}`: give the topic's region, e.g. us-east-1", shown(&topic.region)));
    }
    if parts[3] != topic.region {
        return Err(format!("the topic ARN is in region `{}`, not `{}`: give the topic's own region", parts[3], topic.region));
    }
    if let Some(url) = &topic.endpoint_url {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(format!("invalid endpoint URL `{}`: give a URL such as http://127.0.0.1:5000", shown(url)));
        }
    }
    Ok(())
}

/// Whether the topic is a FIFO topic (its name ends in `.fifo`).
pub fn is_fifo(topic_arn: &str) -> bool {
    topic_arn.ends_with(".fifo")
}

/// Publishes `message` (an event's JSON) to the topic with the message attributes
/// `detail-type` and `source` (so subscriptions can filter on them). On a FIFO topic the
/// message deduplication id is `idempotency_key` (SNS drops a second publish with the
/// same id within its 5-minute deduplication interval) and the message group is the
/// event's source. Returns SNS's message id; an error is one line starting with AWS's
/// error code when AWS answered (e.g. `NotFound (HTTP 404): Topic does not exist`).
pub async fn sns_publish(
    topic: &SnsTopic,
    message: &str,
    detail_type: &str,
    source: &str,
    idempotency_key: &str,
) -> Result<String, String> {
    check_topic(topic)?;
    use aws_config::retry::RetryConfig;
    use aws_config::timeout::TimeoutConfig;
    // Few attempts here: the outbox retries a failed delivery later, with its own backoff.
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_types::region::Region::new(topic.region.clone()))
        .retry_config(RetryConfig::standard().with_max_attempts(2))
        .timeout_config(
            TimeoutConfig::builder().connect_timeout(Duration::from_secs(10)).operation_timeout(Duration::from_secs(30)).build(),
        );
    if let Some(p) = &topic.profile {
        loader = loader.profile_name(p);
    }
    if let Some(url) = &topic.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let sdk = loader.load().await;
    let sns = aws_sdk_sns::Client::new(&sdk);
    let attr = |v: &str| MessageAttributeValue::builder().data_type("String").string_value(v).build().map_err(|e| e.to_string());
    let mut req = sns.publish().topic_arn(&topic.topic_arn).message(message).message_attributes("source", attr(source)?);
    if !detail_type.is_empty() {
        req = req.message_attributes("detail-type", attr(detail_type)?);
    }
    if is_fifo(&topic.topic_arn) {
        req = req.message_group_id(if source.is_empty() { "rampart" } else { source }).message_deduplication_id(idempotency_key);
    }
    match req.send().await {
        Ok(out) => Ok(out.message_id().unwrap_or_default().to_string()),
        Err(e) => Err(crate::call::describe_error(&e)),
    }
}

/// A value as echoed in an error: one line, at most 80 characters.
fn shown(s: &str) -> String {
    let one: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if one.chars().count() > 80 {
        format!("{}…", one.chars().take(79).collect::<String>())
    } else {
        one
    }
}
