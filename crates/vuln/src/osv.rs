//! The OSV advisory model (<https://ossf.github.io/osv-schema/>), the part matching
//! needs, and its parsing from JSON or YAML text.
//!
//! Unknown fields are ignored; the fields read are strict about their types, except the
//! free-form `database_specific` / `ecosystem_specific` objects, of which only the string
//! values of `severity`, `urgency` and RustSec's `informational` are read (anything else
//! there reads as absent: those objects are each database's own).

use serde::{Deserialize, Serialize};

/// One OSV record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Advisory {
    /// The record id (`RUSTSEC-2023-0090`, `PYSEC-2018-104`, `GO-2024-3228`).
    pub id: String,
    /// Other ids of the same vulnerability (CVE, GHSA).
    #[serde(default, deserialize_with = "null_as_default")]
    pub aliases: Vec<String>,
    /// When the record was last modified (RFC 3339); a store keeps the newest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// When the record was published (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// When the record was withdrawn; withdrawn records never match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
    /// A one-line summary.
    #[serde(default)]
    pub summary: Option<String>,
    /// The affected packages and versions.
    #[serde(default, deserialize_with = "null_as_default")]
    pub affected: Vec<Affected>,
    /// Severity vectors.
    #[serde(default, deserialize_with = "null_as_default")]
    pub severity: Vec<SeverityVector>,
    /// Links to the advisory and what it cites.
    #[serde(default, deserialize_with = "null_as_default", skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
    /// The database's own rating fields (GitHub's `severity`, Debian's `urgency`).
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "specific")]
    pub database_specific: Option<Specific>,
}

/// A reference of a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// `ADVISORY`, `WEB`, `PACKAGE`, `FIX`, ...; absent reads as `WEB`.
    #[serde(rename = "type", default = "web")]
    pub kind: String,
    pub url: String,
}

fn web() -> String {
    "WEB".to_owned()
}

/// The rating fields of a `database_specific` or `ecosystem_specific` object: GitHub's
/// `severity` (`LOW`, `MODERATE`, `HIGH`, `CRITICAL`), Ubuntu's and others' `severity`,
/// Debian's `urgency` (`unimportant`, `low`, `medium`, `high`, `not yet assigned`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Specific {
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "string_or_none")]
    pub severity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "string_or_none")]
    pub urgency: Option<String>,
}

/// A `database_specific` / `ecosystem_specific` object: its rating fields when it is an
/// object that has one, absent otherwise (never an error: the shape is the database's).
fn specific<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Specific>, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    let text = |key: &str| v.get(key).and_then(|x| x.as_str()).map(str::to_owned);
    let s = Specific {
        severity: text("severity"),
        urgency: text("urgency"),
    };
    Ok((s != Specific::default()).then_some(s))
}

/// One affected package of an advisory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Affected {
    /// The package; absent in some records, which then match nothing.
    #[serde(default)]
    pub package: Option<PackageRef>,
    /// Version ranges.
    #[serde(default, deserialize_with = "null_as_default")]
    pub ranges: Vec<Range>,
    /// Explicitly affected versions.
    #[serde(default, deserialize_with = "null_as_default")]
    pub versions: Vec<String>,
    /// Per-package severity (OSV 1.5), used when the record has none.
    #[serde(default, deserialize_with = "null_as_default")]
    pub severity: Vec<SeverityVector>,
    /// The database's own fields; RustSec's `informational`, `severity` and `urgency`
    /// are read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<AffectedSpecific>,
    /// The ecosystem's own fields; `severity` and `urgency` are read (Debian's exports
    /// and the tracker lists carry the urgency per release here).
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "specific")]
    pub ecosystem_specific: Option<Specific>,
}

/// The part of an [`Affected`] entry's `database_specific` that matching uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AffectedSpecific {
    /// RustSec: `unmaintained`, `unsound` or `notice` when the advisory is informational
    /// (a warning, not a vulnerability). Any other type reads as absent.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "string_or_none"
    )]
    pub informational: Option<String>,
    /// The rating fields, as in [`Specific`].
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "string_or_none")]
    pub severity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "string_or_none")]
    pub urgency: Option<String>,
}

fn string_or_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Some(s),
        _ => None,
    })
}

impl Advisory {
    /// The kind of an informational advisory (RustSec's `unmaintained`, `unsound`,
    /// `notice`), which reports a warning rather than a vulnerability.
    pub fn informational(&self) -> Option<&str> {
        self.affected
            .iter()
            .find_map(|a| a.database_specific.as_ref()?.informational.as_deref())
    }
}

/// The package an [`Affected`] entry names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackageRef {
    /// The OSV ecosystem (`PyPI`, `Debian:12`, ...).
    pub ecosystem: String,
    /// The package name as the ecosystem spells it.
    pub name: String,
    /// The package URL, when given.
    #[serde(default)]
    pub purl: Option<String>,
}

/// A range of affected versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Range {
    /// How the versions in the events are ordered.
    #[serde(rename = "type")]
    pub kind: RangeType,
    /// The events, in any order.
    #[serde(default, deserialize_with = "null_as_default")]
    pub events: Vec<Event>,
}

/// The ordering of a [`Range`]'s versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RangeType {
    /// The ecosystem's own version ordering.
    Ecosystem,
    /// SemVer 2.0.
    Semver,
    /// Git commits; not matched against package versions.
    Git,
}

/// A range event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawEvent", into = "RawEvent")]
pub enum Event {
    /// Versions from here on are affected (`"0"`: from the first version).
    Introduced(String),
    /// Versions from here on are not affected.
    Fixed(String),
    /// The last affected version (inclusive).
    LastAffected(String),
    /// Versions from here on are outside the range.
    Limit(String),
}

impl Event {
    /// The event's version.
    pub fn version(&self) -> &str {
        match self {
            Event::Introduced(v) | Event::Fixed(v) | Event::LastAffected(v) | Event::Limit(v) => v,
        }
    }
}

/// A severity vector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeverityVector {
    /// `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, `Ubuntu`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// The vector (or a rating for non-CVSS types).
    pub score: String,
}

/// An event as written: a map with exactly one of the four keys. (An externally
/// tagged enum would need YAML tags in `serde_yaml`.)
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    introduced: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fixed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_affected: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    limit: Option<String>,
}

impl TryFrom<RawEvent> for Event {
    type Error = String;

    fn try_from(raw: RawEvent) -> Result<Self, String> {
        match raw {
            RawEvent {
                introduced: Some(v),
                fixed: None,
                last_affected: None,
                limit: None,
            } => Ok(Event::Introduced(v)),
            RawEvent {
                introduced: None,
                fixed: Some(v),
                last_affected: None,
                limit: None,
            } => Ok(Event::Fixed(v)),
            RawEvent {
                introduced: None,
                fixed: None,
                last_affected: Some(v),
                limit: None,
            } => Ok(Event::LastAffected(v)),
            RawEvent {
                introduced: None,
                fixed: None,
                last_affected: None,
                limit: Some(v),
            } => Ok(Event::Limit(v)),
            _ => Err(
                "an event needs exactly one of `introduced`, `fixed`, `last_affected`, `limit`"
                    .to_owned(),
            ),
        }
    }
}

impl From<Event> for RawEvent {
    fn from(e: Event) -> Self {
        let mut raw = RawEvent::default();
        match e {
            Event::Introduced(v) => raw.introduced = Some(v),
            Event::Fixed(v) => raw.fixed = Some(v),
            Event::LastAffected(v) => raw.last_affected = Some(v),
            Event::Limit(v) => raw.limit = Some(v),
        }
        raw
    }
}

fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Why a record could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// Invalid JSON or not an OSV record.
    #[error("invalid osv json: {0}")]
    Json(#[from] serde_json::Error),
    /// Invalid YAML or not an OSV record.
    #[error("invalid osv yaml: {0}")]
    Yaml(#[from] serde_yaml::Error),
    /// A record without an id.
    #[error("record has an empty `id`")]
    EmptyId,
}

/// The text format of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.json`
    Json,
    /// `.yaml` / `.yml`
    Yaml,
}

/// Parses one record.
pub fn parse(text: &[u8], format: Format) -> Result<Advisory, ParseError> {
    let advisory: Advisory = match format {
        Format::Json => serde_json::from_slice(text)?,
        Format::Yaml => serde_yaml::from_slice(text)?,
    };
    if advisory.id.trim().is_empty() {
        return Err(ParseError::EmptyId);
    }
    Ok(advisory)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rustsec_informational_advisories_are_recognised() {
        let with = |specific: &str| {
            let text = format!(
                r#"{{"id":"RUSTSEC-2020-0001","affected":[{{"package":{{"ecosystem":"crates.io","name":"x"}},
                   "database_specific":{specific},"ranges":[]}}]}}"#
            );
            parse(text.as_bytes(), Format::Json).unwrap()
        };
        assert_eq!(
            with(r#"{"informational":"unmaintained","cvss":null}"#).informational(),
            Some("unmaintained")
        );
        assert_eq!(
            with(r#"{"informational":null,"categories":["memory-corruption"]}"#).informational(),
            None
        );
        assert_eq!(
            with(r#"{"informational":7}"#).informational(),
            None,
            "a non-string reads as absent"
        );
        assert_eq!(with(r#"{}"#).informational(), None);
        // Kept through the store's round trip.
        let a = with(r#"{"informational":"unsound"}"#);
        let back: Advisory = serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
        assert_eq!(back.informational(), Some("unsound"));
    }

    #[test]
    fn parses_json_and_ignores_unknown_fields() {
        let text = br#"{"id":"X-1","aliases":null,"database_specific":{"a":1},
            "affected":[{"package":{"ecosystem":"PyPI","name":"Foo"},
              "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.0"}]}]}],
            "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]}"#;
        let a = parse(text, Format::Json).expect("valid record");
        assert_eq!(a.id, "X-1");
        assert!(a.aliases.is_empty());
        assert_eq!(
            a.affected[0].ranges[0].events[1],
            Event::Fixed("1.0".into())
        );
        assert_eq!(a.affected[0].ranges[0].kind, RangeType::Ecosystem);
    }

    #[test]
    fn rejects_bad_records() {
        let err = |t: &[u8]| parse(t, Format::Json).expect_err("invalid").to_string();
        assert!(err(b"{}").contains("missing field `id`"));
        assert!(err(br#"{"id":""}"#).contains("empty `id`"));
        assert!(
            err(br#"{"id":"X","affected":[{"ranges":[{"type":"CVS","events":[]}]}]}"#)
                .contains("unknown variant `CVS`")
        );
        assert!(err(
            br#"{"id":"X","affected":[{"ranges":[{"type":"GIT","events":[{"broke":"1"}]}]}]}"#
        )
        .contains("unknown field `broke`"));
        assert!(err(br#"{"id":"X","affected":[{"ranges":[{"type":"GIT","events":[{"fixed":"1","limit":"2"}]}]}]}"#)
            .contains("exactly one of"));
        assert!(err(b"[1,2").contains("invalid osv json"));
    }
}
