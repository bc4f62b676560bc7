//! Where a trail puts its files in the bucket.
//!
//! A trail of one account writes
//! `[<prefix>/]AWSLogs/<account id>/CloudTrail/<region>/<YYYY>/<MM>/<DD>/<file>.json.gz`; an
//! organisation trail adds the organisation's id:
//! `[<prefix>/]AWSLogs/<o-id>/<account id>/CloudTrail/<region>/...`. Digest files (log file
//! integrity validation) live beside the logs under `CloudTrail-Digest/`, Insights events
//! under `CloudTrail-Insight/`; neither holds management events.

use time::{Date, Month};

/// What a key of a trail bucket is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyKind {
    /// A log file of management (and data) events.
    Log(LogKey),
    /// A digest file of log file integrity validation: skipped.
    Digest,
    /// A file of CloudTrail Insights events: skipped.
    Insight,
    /// Anything else (a file a person put there, the `CloudTrail` folder marker, a key of
    /// another layout): skipped.
    Other,
}

/// A log file's key, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogKey {
    /// The trail's key prefix, without its final `/` (empty when the trail has none).
    pub prefix: String,
    /// The organisation's id (`o-...`) for an organisation trail's file.
    pub org_id: Option<String>,
    pub account: String,
    pub region: String,
    /// The day of the folder the file is in (UTC).
    pub date: Date,
    /// The file's name (the last part of the key).
    pub file: String,
}

impl LogKey {
    /// The folder that holds the region's logs, with its final `/`: the unit a reader lists
    /// and keeps a checkpoint for (`AWSLogs/<account>/CloudTrail/<region>/`).
    pub fn region_prefix(&self) -> String {
        region_prefix(&self.prefix, self.org_id.as_deref(), &self.account, &self.region)
    }
}

/// `[<prefix>/]AWSLogs/[<org>/]<account>/CloudTrail/<region>/`.
pub fn region_prefix(prefix: &str, org_id: Option<&str>, account: &str, region: &str) -> String {
    let mut s = String::new();
    if !prefix.is_empty() {
        s.push_str(prefix.trim_end_matches('/'));
        s.push('/');
    }
    s.push_str("AWSLogs/");
    if let Some(o) = org_id {
        s.push_str(o);
        s.push('/');
    }
    s.push_str(account);
    s.push_str("/CloudTrail/");
    s.push_str(region);
    s.push('/');
    s
}

/// The folder of one day under a region's folder: `<region prefix>YYYY/MM/DD/`.
pub fn day_prefix(region_prefix: &str, date: Date) -> String {
    format!("{region_prefix}{:04}/{:02}/{:02}/", date.year(), u8::from(date.month()), date.day())
}

/// An AWS account id: twelve digits.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// An AWS Organizations id: `o-` and 10 to 32 lower-case letters or digits.
pub fn is_org_id(s: &str) -> bool {
    s.strip_prefix("o-").is_some_and(|r| (10..=32).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

/// A region name as CloudTrail writes it in keys: lower-case letters, digits and dashes,
/// with at least two dashes (`us-east-1`, `us-gov-west-1`, `cn-north-1`).
fn is_region(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 32
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && s.matches('-').count() >= 2
}

/// What `key` is in a trail's bucket.
pub fn parse_key(key: &str) -> KeyKind {
    let parts: Vec<&str> = key.split('/').collect();
    // The trail's own prefix may itself contain `AWSLogs`: the layout is matched at every
    // `AWSLogs` segment, the last one that fits wins.
    let mut found = KeyKind::Other;
    for (i, part) in parts.iter().enumerate() {
        if *part != "AWSLogs" {
            continue;
        }
        let kind = after_awslogs(&parts[..i], &parts[i + 1..]);
        if kind != KeyKind::Other {
            found = kind;
        }
    }
    found
}

fn after_awslogs(prefix: &[&str], rest: &[&str]) -> KeyKind {
    let (org_id, rest) = match rest.first() {
        Some(o) if is_org_id(o) => (Some(o.to_string()), &rest[1..]),
        _ => (None, rest),
    };
    // <account>/<folder>/<region>/YYYY/MM/DD/<file>
    let [account, folder, region, y, m, d, file] = rest else { return KeyKind::Other };
    if !is_account_id(account) || !is_region(region) || file.is_empty() {
        return KeyKind::Other;
    }
    let Some(date) = date(y, m, d) else { return KeyKind::Other };
    match *folder {
        "CloudTrail-Digest" => KeyKind::Digest,
        "CloudTrail-Insight" => KeyKind::Insight,
        "CloudTrail" if file.ends_with(".json.gz") || file.ends_with(".json") => KeyKind::Log(LogKey {
            prefix: prefix.join("/"),
            org_id,
            account: account.to_string(),
            region: region.to_string(),
            date,
            file: file.to_string(),
        }),
        _ => KeyKind::Other,
    }
}

fn date(y: &str, m: &str, d: &str) -> Option<Date> {
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let y: i32 = y.parse().ok()?;
    let m: u8 = m.parse().ok()?;
    let d: u8 = d.parse().ok()?;
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}
