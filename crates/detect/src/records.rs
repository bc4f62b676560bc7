//! CloudTrail records from a file, in the shapes people have them in: a log file as a
//! trail delivers it (`{"Records": [...]}`), a JSON array of records (what CloudTrail Lake
//! or a SIEM exports, and Stratus Red Team's detonation logs), the output of
//! `aws cloudtrail lookup-events` (`{"Events": [{"CloudTrailEvent": "<record as text>"}]}`),
//! or EventBridge's "AWS API Call via CloudTrail" events (the record is the `detail`), one
//! or an array of them. Each may be gzip-compressed. A record that cannot be read is
//! counted with its position ([`Malformed`]) and the others are still read.

use rampart_cloudtrail::log::event;
use rampart_cloudtrail::{Event, Malformed, MAX_INFLATED};
use serde_json::Value;
use std::io::Read;

/// The records of one file.
pub type Records = rampart_cloudtrail::LogFile;

/// A file that holds no records at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordsError {
    #[error("`{file}` is not a valid gzip stream: {message}")]
    Gzip { file: String, message: String },
    #[error("`{file}` inflates to more than {limit} bytes: not a CloudTrail file")]
    TooLarge { file: String, limit: u64 },
    #[error("`{file}` is not JSON: {message}")]
    NotJson { file: String, message: String },
    #[error("`{file}` holds no CloudTrail records: expected a log file (`{{\"Records\": [...]}}`), a JSON array of records, `lookup-events` output (`{{\"Events\": [...]}}`) or EventBridge CloudTrail events")]
    Shape { file: String },
}

/// Reads the records of `bytes` (the file `file`), inflating at most [`MAX_INFLATED`].
pub fn read_records(file: &str, bytes: &[u8]) -> Result<Records, RecordsError> {
    read_records_with_limit(file, bytes, MAX_INFLATED)
}

/// [`read_records`] with another inflation bound.
pub fn read_records_with_limit(file: &str, bytes: &[u8], limit: u64) -> Result<Records, RecordsError> {
    let text = inflate(file, bytes, limit)?;
    let doc: Value = serde_json::from_slice(&text).map_err(|e| RecordsError::NotJson { file: file.to_string(), message: e.to_string() })?;
    let shape = || RecordsError::Shape { file: file.to_string() };
    let mut out = Records::default();
    match &doc {
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                push(&mut out, file, index, unwrap_eventbridge(item).map_or_else(|| event(item), event));
            }
        }
        Value::Object(o) => {
            if let Some(records) = o.get("Records") {
                let Value::Array(items) = records else { return Err(shape()) };
                for (index, item) in items.iter().enumerate() {
                    push(&mut out, file, index, event(item));
                }
            } else if let Some(events) = o.get("Events") {
                let Value::Array(items) = events else { return Err(shape()) };
                for (index, item) in items.iter().enumerate() {
                    push(&mut out, file, index, lookup_event(item));
                }
            } else if let Some(detail) = unwrap_eventbridge(&doc) {
                push(&mut out, file, 0, event(detail));
            } else {
                return Err(shape());
            }
        }
        _ => return Err(shape()),
    }
    Ok(out)
}

fn push(out: &mut Records, file: &str, index: usize, r: Result<Event, String>) {
    match r {
        Ok(e) => out.events.push(e),
        Err(message) => out.malformed.push(Malformed { file: file.to_string(), index, message }),
    }
}

/// The CloudTrail record of an EventBridge event, if `v` is one.
fn unwrap_eventbridge(v: &Value) -> Option<&Value> {
    let kind = v.get("detail-type")?.as_str()?;
    kind.contains("CloudTrail").then(|| v.get("detail")).flatten()
}

/// One `LookupEvents` item: its `CloudTrailEvent` is the record as a JSON string.
fn lookup_event(item: &Value) -> Result<Event, String> {
    match item.get("CloudTrailEvent") {
        Some(Value::String(text)) => {
            let record: Value = serde_json::from_str(text).map_err(|e| format!("`CloudTrailEvent` is not JSON: {e}"))?;
            event(&record)
        }
        Some(_) => Err("`CloudTrailEvent` is not a string".to_string()),
        None => Err("no `CloudTrailEvent`".to_string()),
    }
}

/// The file's bytes, inflated when gzip, at most `limit` of them.
fn inflate(file: &str, bytes: &[u8], limit: u64) -> Result<Vec<u8>, RecordsError> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        if bytes.len() as u64 > limit {
            return Err(RecordsError::TooLarge { file: file.to_string(), limit });
        }
        return Ok(bytes.to_vec());
    }
    let mut out = Vec::new();
    let mut reader = flate2::read::MultiGzDecoder::new(bytes).take(limit + 1);
    reader.read_to_end(&mut out).map_err(|e| RecordsError::Gzip { file: file.to_string(), message: e.to_string() })?;
    if out.len() as u64 > limit {
        return Err(RecordsError::TooLarge { file: file.to_string(), limit });
    }
    Ok(out)
}
