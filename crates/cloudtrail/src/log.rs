//! A log file's records as typed events.
//!
//! A log file is one JSON object, `{"Records": [ ... ]}`, gzip-compressed as CloudTrail
//! delivers it (a plain JSON file is read too). Each record becomes an [`Event`]; a record
//! that is not an object or lacks what every management event carries (`eventSource`,
//! `eventName`, `eventTime` as RFC 3339, `awsRegion`) is [`Malformed`], counted with its
//! position, and the others are still read. The file is inflated and parsed as a stream,
//! one record at a time ([`read_log`]): memory holds one record, not the file (up to
//! [`MAX_INFLATED`] bytes of JSON) nor a tree of it.

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::io::Read;
use time::OffsetDateTime;

/// At most this many bytes are inflated from one log file (CloudTrail delivers a file about
/// every five minutes per account and region; one of this size is not CloudTrail's).
pub const MAX_INFLATED: u64 = 256 << 20;

/// A log file that could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("`{file}` is not a valid gzip stream: {message}")]
    Gzip { file: String, message: String },
    #[error("`{file}` inflates to more than {limit} bytes: not a CloudTrail log file")]
    TooLarge { file: String, limit: u64 },
    #[error("`{file}` is not JSON: {message}")]
    NotJson { file: String, message: String },
    #[error("`{file}` has no `Records` array: not a CloudTrail log file")]
    NoRecords { file: String },
}

/// A record that could not be read as an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    pub file: String,
    /// The record's position in the file's `Records` array (from 0).
    pub index: usize,
    pub message: String,
}

/// One log file, read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogFile {
    pub events: Vec<Event>,
    pub malformed: Vec<Malformed>,
}

/// One CloudTrail record.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// `eventID` (a GUID); empty when the record has none.
    pub id: String,
    /// `eventSource`, e.g. `ec2.amazonaws.com`.
    pub source: String,
    /// `eventName`, the API operation, e.g. `AuthorizeSecurityGroupIngress`.
    pub name: String,
    pub time: OffsetDateTime,
    /// `awsRegion`.
    pub region: String,
    /// The account that received the call and owns what it names (`recipientAccountId`,
    /// else the caller's `userIdentity.accountId`).
    pub account: String,
    /// `eventType`: `AwsApiCall`, `AwsServiceEvent`, `AwsConsoleAction`, ...
    pub event_type: String,
    /// `readOnly`, when the record says.
    pub read_only: Option<bool>,
    /// `managementEvent`, when the record says (data events say `false`).
    pub management: Option<bool>,
    /// `errorCode`: the call failed and changed nothing.
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    /// The caller (`userIdentity`), as recorded.
    pub user_identity: Value,
    pub source_ip: Option<String>,
    pub user_agent: Option<String>,
    /// `requestParameters` and `responseElements` as recorded (`Null` when absent).
    pub request: Value,
    pub response: Value,
    /// `additionalEventData` as recorded (`Null` when absent): e.g. a `ConsoleLogin`'s
    /// `MFAUsed`.
    pub additional: Value,
    /// `resources[].ARN` (CloudTrail lists the resources of some events).
    pub resource_arns: Vec<String>,
}

impl Event {
    /// The service's short name: `ec2` for `ec2.amazonaws.com`.
    pub fn service(&self) -> &str {
        self.source.split('.').next().unwrap_or(&self.source)
    }
}

/// Reads a log file (gzip or plain JSON) inflating at most [`MAX_INFLATED`] bytes.
pub fn parse_log(file: &str, bytes: &[u8]) -> Result<LogFile, FileError> {
    parse_log_with_limit(file, bytes, MAX_INFLATED)
}

/// [`parse_log`] with another inflation bound.
pub fn parse_log_with_limit(file: &str, bytes: &[u8], limit: u64) -> Result<LogFile, FileError> {
    let mut out = LogFile::default();
    read_log(file, bytes, limit, &mut |r| match r {
        Ok(e) => out.events.push(e),
        Err(m) => out.malformed.push(m),
    })?;
    Ok(out)
}

/// Reads a log file record by record, handing each to `each` as soon as it is read (an
/// event, or a [`Malformed`] record with its position): the file is inflated as it is read
/// (at most `limit` bytes) and parsed one record at a time, so memory holds one record,
/// never the file. A file that is not a log at all is an error, and then `each` may
/// already have been given the records before the fault.
pub fn read_log(file: &str, bytes: &[u8], limit: u64, each: &mut dyn FnMut(Result<Event, Malformed>)) -> Result<(), FileError> {
    let gzip = bytes.starts_with(&[0x1f, 0x8b]);
    if !gzip && bytes.len() as u64 > limit {
        return Err(FileError::TooLarge { file: file.to_string(), limit });
    }
    // Several gzip members one after another are one stream (gzip's own rule).
    let inner: Box<dyn Read + '_> = if gzip { Box::new(flate2::read::MultiGzDecoder::new(bytes)) } else { Box::new(bytes) };
    let mut reader = Bounded { inner: std::io::BufReader::with_capacity(64 << 10, inner), left: limit, over: false };
    let mut de = serde_json::Deserializer::from_reader(&mut reader);
    let mut seen_records = false;
    let read = de.deserialize_map(LogVisitor { file, each, seen_records: &mut seen_records }).and_then(|()| de.end());
    if reader.over {
        return Err(FileError::TooLarge { file: file.to_string(), limit });
    }
    match read {
        Ok(()) if seen_records => Ok(()),
        Ok(()) => Err(FileError::NoRecords { file: file.to_string() }),
        Err(e) => Err(match e.classify() {
            serde_json::error::Category::Io => FileError::Gzip { file: file.to_string(), message: io_message(&e) },
            // The top level is not an object, or `Records` is not an array.
            serde_json::error::Category::Data => FileError::NoRecords { file: file.to_string() },
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                FileError::NotJson { file: file.to_string(), message: e.to_string() }
            }
        }),
    }
}

/// The I/O error's own words (serde_json adds none of use here).
fn io_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    text.split(" at line ").next().unwrap_or(&text).to_string()
}

/// A reader that fails once more than `limit` bytes have been read through it (bounded
/// inflation of a compressed log; the flow-log reader of `rampart-graph` uses it too).
pub struct Bounded<R> {
    inner: R,
    left: u64,
    over: bool,
}

impl<R> Bounded<R> {
    pub fn new(inner: R, limit: u64) -> Bounded<R> {
        Bounded { inner, left: limit, over: false }
    }

    /// Whether a read failed because the bound was passed.
    pub fn over(&self) -> bool {
        self.over
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            self.over = true;
            return Err(std::io::Error::other("the inflation bound was passed"));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// The file's top-level object: `Records` read by [`RecordsSeed`], every other key skipped.
struct LogVisitor<'a, 'f> {
    file: &'a str,
    each: &'a mut dyn FnMut(Result<Event, Malformed>),
    seen_records: &'f mut bool,
}

impl<'de> Visitor<'de> for LogVisitor<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a CloudTrail log file's object with a `Records` array")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == "Records" && !*self.seen_records {
                *self.seen_records = true;
                map.next_value_seed(RecordsSeed { file: self.file, each: &mut *self.each })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// The `Records` array, one record at a time.
struct RecordsSeed<'a> {
    file: &'a str,
    each: &'a mut dyn FnMut(Result<Event, Malformed>),
}

impl<'de> DeserializeSeed<'de> for RecordsSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RecordsSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("the `Records` array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        while let Some(record) = seq.next_element::<Value>()? {
            (self.each)(event_from(record).map_err(|message| Malformed { file: self.file.to_string(), index, message }));
            index += 1;
        }
        Ok(())
    }
}

/// One record as an event, or why not.
pub fn event(r: &Value) -> Result<Event, String> {
    event_from(r.clone())
}

/// [`event`] of a record read for this alone: its fields are moved into the event, not
/// copied (the ingest's per-record path).
pub fn event_from(r: Value) -> Result<Event, String> {
    let mut o = match r {
        Value::Object(o) => o,
        other => return Err(format!("a record is a JSON object, not {}", kind(&other))),
    };
    let source = required(&o, "eventSource")?;
    let name = required(&o, "eventName")?;
    let region = required(&o, "awsRegion")?;
    let time_text = required(&o, "eventTime")?;
    let time = OffsetDateTime::parse(&time_text, &time::format_description::well_known::Rfc3339)
        .map_err(|e| format!("`eventTime` `{}` is not an RFC 3339 time: {e}", shorten(&time_text)))?;
    let account = optional(&o, "recipientAccountId")?;
    let id = optional(&o, "eventID")?.unwrap_or_default();
    let event_type = optional(&o, "eventType")?.unwrap_or_default();
    let read_only = flag(&o, "readOnly")?;
    let management = flag(&o, "managementEvent")?;
    let error_code = optional(&o, "errorCode")?.filter(|c| !c.is_empty());
    let error_message = optional(&o, "errorMessage")?;
    let source_ip = optional(&o, "sourceIPAddress")?;
    let user_agent = optional(&o, "userAgent")?;
    let user_identity = o.remove("userIdentity").unwrap_or(Value::Null);
    let account = account.or_else(|| user_identity.get("accountId").and_then(Value::as_str).map(str::to_string)).unwrap_or_default();
    let resource_arns = match o.get("resources") {
        Some(Value::Array(list)) => {
            list.iter().filter_map(|x| x.get("ARN").or_else(|| x.get("arn")).and_then(Value::as_str).map(str::to_string)).collect()
        }
        _ => Vec::new(),
    };
    Ok(Event {
        id,
        source,
        name,
        time,
        region,
        account,
        event_type,
        read_only,
        management,
        error_code,
        error_message,
        user_identity,
        source_ip,
        user_agent,
        request: o.remove("requestParameters").unwrap_or(Value::Null),
        response: o.remove("responseElements").unwrap_or(Value::Null),
        additional: o.remove("additionalEventData").unwrap_or(Value::Null),
        resource_arns,
    })
}

fn required(o: &Map<String, Value>, field: &str) -> Result<String, String> {
    match o.get(field) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        Some(Value::String(_)) => Err(format!("`{field}` is empty")),
        Some(v) => Err(format!("`{field}` is {}, not a string", kind(v))),
        None => Err(format!("no `{field}`")),
    }
}

fn optional(o: &Map<String, Value>, field: &str) -> Result<Option<String>, String> {
    match o.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(v) => Err(format!("`{field}` is {}, not a string", kind(v))),
    }
}

/// CloudTrail writes `readOnly` and `managementEvent` as booleans; a string `"true"` is
/// accepted too.
fn flag(o: &Map<String, Value>, field: &str) -> Result<Option<bool>, String> {
    match o.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(v) => Err(format!("`{field}` is {}, not a boolean", kind(v))),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_string()
    }
}
