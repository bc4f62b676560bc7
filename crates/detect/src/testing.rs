//! Records for the detections' tests, in the shape CloudTrail writes them.

use rampart_cloudtrail::Event;
use serde_json::{json, Value};

pub const ACCOUNT: &str = "111122223333";

/// An IAM user `alice` of [`ACCOUNT`].
pub fn alice() -> Value {
    json!({"type": "IAMUser", "principalId": "AIDAALICE", "arn": format!("arn:aws:iam::{ACCOUNT}:user/alice"),
           "accountId": ACCOUNT, "accessKeyId": "AKIAALICE", "userName": "alice"})
}

/// A session of the role `app` named `session`.
pub fn role_session(session: &str) -> Value {
    json!({"type": "AssumedRole", "principalId": format!("AROAAPP:{session}"),
           "arn": format!("arn:aws:sts::{ACCOUNT}:assumed-role/app/{session}"), "accountId": ACCOUNT, "accessKeyId": "ASIAAPP",
           "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROAAPP", "arn": format!("arn:aws:iam::{ACCOUNT}:role/app"),
                              "accountId": ACCOUNT, "userName": "app"},
                              "attributes": {"creationDate": "2026-12-07T10:00:00Z", "mfaAuthenticated": "false"}}})
}

/// A record: `source` is the service's short name (`iam`), `at` seconds after 10:00.
pub fn record(id: &str, source: &str, name: &str, who: Value, at: i64, request: Value) -> Value {
    let t = time::macros::datetime!(2026-12-07 10:00 UTC) + time::Duration::seconds(at);
    json!({
        "eventVersion": "1.09", "userIdentity": who, "eventTime": rampart_model::rfc3339(t),
        "eventSource": format!("{source}.amazonaws.com"), "eventName": name, "awsRegion": "us-east-1",
        "sourceIPAddress": "198.51.100.7", "userAgent": "aws-cli/2.15.0 Python/3.11.6 Linux/6.5.0 exe/x86_64.ubuntu.22",
        "requestParameters": request, "responseElements": null, "requestID": format!("req-{id}"), "eventID": id,
        "readOnly": false, "eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": ACCOUNT,
        "eventCategory": "Management"
    })
}

pub fn events(records: &[Value]) -> Vec<Event> {
    records.iter().map(|r| rampart_cloudtrail::log::event(r).unwrap()).collect()
}

/// The check ids and event ids of what the detections saw in `records`.
pub fn seen(records: &[Value]) -> Vec<(String, Vec<String>)> {
    let events = events(records);
    crate::hits(&events, &crate::Thresholds::default()).iter().map(|h| (h.rule.id.to_string(), h.event_ids())).collect()
}

/// What the rule `id` saw in `records`: the event ids of each hit.
pub fn seen_by(id: &str, records: &[Value]) -> Vec<Vec<String>> {
    seen(records).into_iter().filter(|(r, _)| r == id).map(|(_, e)| e).collect()
}
