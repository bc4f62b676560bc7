//! The SNS event target (`notify::sns_publish`), on moto: a published event reaches an SQS
//! queue subscribed to the topic with its `detail-type` attribute; on a FIFO topic the
//! idempotency key is the deduplication id (two publishes, one message); a missing topic is
//! an error naming AWS's error code.

#[path = "../../../testdata/moto/harness.rs"]
mod harness;

use rampart_collect_aws::notify::{check_topic, sns_publish, SnsTopic};

fn set_env() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        for (k, v) in [
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
            ("AWS_CONFIG_FILE", "/dev/null"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ] {
            std::env::set_var(k, v);
        }
    });
}

async fn clients(url: &str) -> (aws_sdk_sns::Client, aws_sdk_sqs::Client) {
    set_env();
    let conf = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("eu-west-1"))
        .endpoint_url(url)
        .load()
        .await;
    (aws_sdk_sns::Client::new(&conf), aws_sdk_sqs::Client::new(&conf))
}

/// A queue subscribed to `topic`; returns its URL.
async fn subscribed_queue(sns: &aws_sdk_sns::Client, sqs: &aws_sdk_sqs::Client, topic: &str, name: &str, fifo: bool) -> String {
    let mut q = sqs.create_queue().queue_name(name);
    if fifo {
        q = q.attributes(aws_sdk_sqs::types::QueueAttributeName::FifoQueue, "true");
    }
    let url = q.send().await.unwrap().queue_url().unwrap().to_string();
    let attrs =
        sqs.get_queue_attributes().queue_url(&url).attribute_names(aws_sdk_sqs::types::QueueAttributeName::QueueArn).send().await.unwrap();
    let arn = attrs.attributes().unwrap()[&aws_sdk_sqs::types::QueueAttributeName::QueueArn].clone();
    sns.subscribe().topic_arn(topic).protocol("sqs").endpoint(arn).send().await.unwrap();
    url
}

async fn drain(sqs: &aws_sdk_sqs::Client, url: &str) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    loop {
        let got = sqs.receive_message().queue_url(url).max_number_of_messages(10).wait_time_seconds(1).send().await.unwrap();
        if got.messages().is_empty() {
            return out;
        }
        for m in got.messages() {
            out.push(serde_json::from_str(m.body().unwrap()).unwrap());
            sqs.delete_message().queue_url(url).receipt_handle(m.receipt_handle().unwrap()).send().await.unwrap();
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_event_published_to_a_topic_reaches_a_subscribed_queue_with_its_detail_type() {
    let moto = harness::moto();
    let (sns, sqs) = clients(&moto.url).await;
    let topic = sns.create_topic().name("security-events").send().await.unwrap().topic_arn().unwrap().to_string();
    let queue = subscribed_queue(&sns, &sqs, &topic, "soc", false).await;

    let event = serde_json::json!({"version": "0", "id": "ev-1", "detail-type": "Security Hub Findings - Imported", "source": "rampart.securityhub", "detail": {"findings": []}});
    let target = SnsTopic { topic_arn: topic.clone(), region: "eu-west-1".into(), profile: None, endpoint_url: Some(moto.url.clone()) };
    let id = sns_publish(&target, &event.to_string(), "Security Hub Findings - Imported", "rampart.securityhub", "ev-1").await.unwrap();
    assert!(!id.is_empty());

    let got = drain(&sqs, &queue).await;
    assert_eq!(got.len(), 1, "{got:?}");
    // Not raw delivery: SNS's notification envelope around the event.
    assert_eq!(got[0]["TopicArn"], topic.as_str());
    let message: serde_json::Value = serde_json::from_str(got[0]["Message"].as_str().unwrap()).unwrap();
    assert_eq!(message, event);
    assert_eq!(got[0]["MessageAttributes"]["detail-type"]["Value"], "Security Hub Findings - Imported");
    assert_eq!(got[0]["MessageAttributes"]["source"]["Value"], "rampart.securityhub");
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_fifo_topic_the_idempotency_key_deduplicates() {
    let moto = harness::moto();
    let (sns, sqs) = clients(&moto.url).await;
    let topic =
        sns.create_topic().name("events.fifo").attributes("FifoTopic", "true").send().await.unwrap().topic_arn().unwrap().to_string();
    let queue = subscribed_queue(&sns, &sqs, &topic, "soc.fifo", true).await;
    let target = SnsTopic { topic_arn: topic.clone(), region: "eu-west-1".into(), profile: None, endpoint_url: Some(moto.url.clone()) };
    // A FIFO topic without content-based deduplication refuses a publish without a
    // deduplication id: these succeed only because the key is sent as one.
    for body in ["{\"id\":\"k1\",\"n\":1}", "{\"id\":\"k1\",\"n\":2}"] {
        sns_publish(&target, body, "X", "rampart.inspector", "k1").await.unwrap();
    }
    sns_publish(&target, "{\"id\":\"k2\"}", "X", "rampart.inspector", "k2").await.unwrap();
    let got = drain(&sqs, &queue).await;
    let messages: Vec<&str> = got.iter().map(|m| m["Message"].as_str().unwrap()).collect();
    assert_eq!(messages, ["{\"id\":\"k1\",\"n\":1}", "{\"id\":\"k2\"}"], "{got:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_topic_is_an_error_with_the_aws_error_code() {
    let moto = harness::moto();
    set_env();
    let target = SnsTopic {
        topic_arn: "arn:aws:sns:eu-west-1:123456789012:nothing-here".into(),
        region: "eu-west-1".into(),
        profile: None,
        endpoint_url: Some(moto.url.clone()),
    };
    let err = sns_publish(&target, "{}", "X", "rampart.securityhub", "k").await.unwrap_err();
    assert!(err.starts_with("NotFound (HTTP 404)"), "{err}");
}

#[test]
fn topic_settings_are_checked_before_any_call() {
    let t = |arn: &str, region: &str| SnsTopic { topic_arn: arn.into(), region: region.into(), ..SnsTopic::default() };
    assert!(check_topic(&t("arn:aws:sns:us-east-1:123456789012:t", "us-east-1")).is_ok());
    assert!(check_topic(&t("arn:aws:sqs:us-east-1:123456789012:t", "us-east-1")).unwrap_err().contains("not an SNS topic ARN"));
    assert!(check_topic(&t("security-events", "us-east-1")).unwrap_err().contains("not an SNS topic ARN"));
    assert!(check_topic(&t("arn:aws:sns:us-east-1:123456789012:t", "eu-west-1")).unwrap_err().contains("give the topic's own region"));
    assert!(check_topic(&t("arn:aws:sns:mars-1:123456789012:t", "mars-1")).unwrap_err().contains("unknown region"));
}
