//! CloudTrail events in the other shapes people save them in, besides a trail's log file:
//!
//! - the `LookupEvents` response (`aws cloudtrail lookup-events` output): `{"Events":
//!   [{"EventId", ..., "CloudTrailEvent": "<the record as a JSON string>"}]}`;
//! - EventBridge events (`"detail-type": "AWS API Call via CloudTrail"` and the other
//!   CloudTrail detail types), the record in `detail`: one event, an array of them, or one
//!   per line (JSON Lines, as an archive or Firehose writes them);
//! - bare records: one object, an array, or one per line (CloudTrail Lake exports, a
//!   `jq` pipeline's output).
//!
//! [`read_events`] reads a trail's log file as [`crate::read_log`] does (streamed), and any
//! of the shapes above otherwise: such a document is inflated whole (at most the bound)
//! and read value by value. Each record becomes an [`Event`] or a [`Malformed`] with its
//! position (`index`: its place among the records of the document, from 0).

use crate::log::{read_log, Event, FileError, Malformed};
use serde_json::Value;
use std::io::Read;

/// Reads a document of CloudTrail events in any of the shapes this module names (gzip or
/// plain), handing each record to `each`.
pub fn read_events(file: &str, bytes: &[u8], limit: u64, each: &mut dyn FnMut(Result<Event, Malformed>)) -> Result<(), FileError> {
    // A trail's log file: streamed.
    let mut any = false;
    let first = read_log(file, bytes, limit, &mut |r| {
        any = true;
        each(r)
    });
    match first {
        Ok(()) => return Ok(()),
        Err(e) if any => return Err(e),
        Err(FileError::NoRecords { .. } | FileError::NotJson { .. }) => {}
        Err(e) => return Err(e),
    }
    let text = inflate(file, bytes, limit)?;
    let mut index = 0usize;
    let mut values = serde_json::Deserializer::from_slice(&text).into_iter::<Value>();
    let mut seen = false;
    loop {
        match values.next() {
            None => break,
            Some(Ok(v)) => {
                // A document whose first value is none of the shapes is not events at all.
                if !seen && !looks_like_events(&v) {
                    return Err(FileError::NoRecords { file: file.to_string() });
                }
                seen = true;
                top_level(file, v, &mut index, each);
            }
            Some(Err(e)) => {
                if !seen {
                    return Err(FileError::NotJson { file: file.to_string(), message: e.to_string() });
                }
                // A line that is not JSON in JSON Lines: the rest of the document cannot be
                // told apart; what was read stands.
                each(Err(Malformed { file: file.to_string(), index, message: format!("not JSON from here on: {e}") }));
                break;
            }
        }
    }
    if !seen {
        return Err(FileError::NoRecords { file: file.to_string() });
    }
    Ok(())
}

/// Whether a top-level value is one of the shapes: an array, or an object with a field
/// of a record, an EventBridge event or a `LookupEvents` response.
fn looks_like_events(v: &Value) -> bool {
    match v {
        Value::Array(_) => true,
        Value::Object(o) => ["eventSource", "eventName", "eventTime", "userIdentity", "detail", "detail-type", "Events", "CloudTrailEvent"]
            .iter()
            .any(|k| o.contains_key(*k)),
        _ => false,
    }
}

fn inflate(file: &str, bytes: &[u8], limit: u64) -> Result<Vec<u8>, FileError> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(bytes.to_vec());
    }
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| FileError::Gzip { file: file.to_string(), message: e.to_string() })?;
    if out.len() as u64 > limit {
        return Err(FileError::TooLarge { file: file.to_string(), limit });
    }
    Ok(out)
}

/// One top-level value: an array of events, a `LookupEvents` response, an EventBridge
/// event, or a record.
fn top_level(file: &str, v: Value, index: &mut usize, each: &mut dyn FnMut(Result<Event, Malformed>)) {
    match v {
        Value::Array(items) => {
            for item in items {
                one(file, item, index, each);
            }
        }
        Value::Object(ref o) if o.get("Events").is_some_and(Value::is_array) => {
            let Value::Object(mut o) = v else { return };
            if let Some(Value::Array(items)) = o.remove("Events") {
                for item in items {
                    one(file, item, index, each);
                }
            }
        }
        other => one(file, other, index, each),
    }
}

/// One event in any shape.
fn one(file: &str, v: Value, index: &mut usize, each: &mut dyn FnMut(Result<Event, Malformed>)) {
    let at = *index;
    *index += 1;
    let bad = |message: String| Malformed { file: file.to_string(), index: at, message };
    let record: Result<Value, String> = match &v {
        // LookupEvents: the record as a JSON string.
        Value::Object(o) if o.contains_key("CloudTrailEvent") => match o.get("CloudTrailEvent") {
            Some(Value::String(s)) => serde_json::from_str(s).map_err(|e| format!("`CloudTrailEvent` is not JSON: {e}")),
            _ => Err("`CloudTrailEvent` is not a string".into()),
        },
        // EventBridge: the record in `detail`.
        Value::Object(o) if o.contains_key("detail-type") || (o.contains_key("detail") && !o.contains_key("eventSource")) => {
            match o.get("detail") {
                Some(d @ Value::Object(_)) => Ok(d.clone()),
                _ => Err("an EventBridge event without a `detail` object".into()),
            }
        }
        Value::Object(_) => Ok(v.clone()),
        _ => Err("neither a CloudTrail record, an EventBridge event nor a LookupEvents entry".into()),
    };
    each(record.and_then(crate::log::event_from).map_err(bad));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(name: &str) -> Value {
        json!({"eventTime": "2026-12-01T10:00:00Z", "eventSource": "iam.amazonaws.com", "eventName": name, "awsRegion": "us-east-1",
               "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/a"}})
    }

    fn read(bytes: &[u8]) -> (Result<(), FileError>, Vec<String>, Vec<(usize, String)>) {
        let (mut ok, mut bad) = (Vec::new(), Vec::new());
        let r = read_events("f", bytes, 1 << 20, &mut |r| match r {
            Ok(e) => ok.push(e.name),
            Err(m) => bad.push((m.index, m.message)),
        });
        (r, ok, bad)
    }

    #[test]
    fn every_shape_gives_its_records() {
        let log = json!({"Records": [record("A"), record("B")]}).to_string();
        assert_eq!(read(log.as_bytes()).1, ["A", "B"]);
        let lookup = json!({"Events": [
            {"EventId": "1", "EventName": "A", "CloudTrailEvent": record("A").to_string()},
            {"EventId": "2", "CloudTrailEvent": "{not json"}
        ], "NextToken": "x"})
        .to_string();
        let (r, ok, bad) = read(lookup.as_bytes());
        assert!(r.is_ok());
        assert_eq!(ok, ["A"]);
        assert_eq!(bad[0].0, 1);
        assert!(bad[0].1.contains("CloudTrailEvent"));
        let bridge =
            |name: &str| json!({"version": "0", "detail-type": "AWS API Call via CloudTrail", "source": "aws.iam", "detail": record(name)});
        let one = bridge("A").to_string();
        assert_eq!(read(one.as_bytes()).1, ["A"]);
        let lines = format!("{}\n{}\n{}\n", bridge("A"), bridge("B"), json!({"detail-type": "x"}));
        let (_, ok, bad) = read(lines.as_bytes());
        assert_eq!(ok, ["A", "B"]);
        assert_eq!(bad.len(), 1);
        let array = json!([record("A"), bridge("B"), 42]).to_string();
        let (_, ok, bad) = read(array.as_bytes());
        assert_eq!(ok, ["A", "B"]);
        assert_eq!(bad[0].0, 2);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, lines.as_bytes()).unwrap();
        assert_eq!(read(&gz.finish().unwrap()).1, ["A", "B"]);
    }

    #[test]
    fn what_is_not_events_is_an_error_of_the_file() {
        assert!(matches!(read(b"hello").0, Err(FileError::NotJson { .. })));
        assert!(matches!(read(br#"{"hello": 1}"#).0, Err(FileError::NoRecords { .. })), "JSON, but no events");
        assert!(matches!(read(b"42").0, Err(FileError::NoRecords { .. })));
        assert!(matches!(read(b"").0, Err(FileError::NoRecords { .. }) | Err(FileError::NotJson { .. })));
        let (r, ok, bad) = read(format!("{}\nnot json\n{}", record("A"), record("B")).as_bytes());
        assert!(r.is_ok());
        assert_eq!(ok, ["A"]);
        assert!(bad[0].1.contains("not JSON from here on"));
        let big = json!({"detail-type": "x", "detail": record(&"x".repeat(2 << 20))}).to_string();
        assert!(matches!(read(big.as_bytes()).0, Err(FileError::TooLarge { .. })));
    }
}
