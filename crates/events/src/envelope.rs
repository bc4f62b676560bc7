//! The envelope every event travels in: EventBridge's
//! (<https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html>).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The `source` of rampart's events (Security Hub's are `aws.securityhub`).
pub const SOURCE: &str = "rampart.hub";

/// Security Hub's detail-type for findings sent to EventBridge when imported or updated.
pub const DETAIL_TYPE_IMPORTED: &str = "Security Hub Findings - Imported";

/// Security Hub's detail-type for a custom action triggered on findings.
pub const DETAIL_TYPE_CUSTOM_ACTION: &str = "Security Hub Findings - Custom Action";

/// One event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Always "0".
    pub version: String,
    /// Unique per event; deliveries carry it as their idempotency key.
    pub id: String,
    #[serde(rename = "detail-type")]
    pub detail_type: String,
    pub source: String,
    pub account: String,
    /// RFC 3339, UTC.
    #[serde(with = "time::serde::rfc3339")]
    pub time: time::OffsetDateTime,
    pub region: String,
    /// ARNs (or ids) of what the event is about.
    pub resources: Vec<String>,
    pub detail: Value,
}

impl Event {
    /// The event as the JSON object patterns match against.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}
