//! Findings filters with Security Hub's semantics (`AwsSecurityFindingFilters` of
//! `GetFindings`), parsed from and written to the JSON shape Security Hub uses.
//!
//! Each field holds a list of filters of its kind: string (`{"Value", "Comparison"}`),
//! number (`{"Gte", "Lte", "Eq", "Gt", "Lt"}`), date (`{"Start", "End"}` or
//! `{"DateRange": {"Value", "Unit": "DAYS"}}`) or map (`{"Key", "Value", "Comparison"}`).
//! How they combine is Security Hub's
//! (<https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_StringFilter.html>):
//!
//! - fields are joined by AND;
//! - within a field, `EQUALS`, `PREFIX` and `CONTAINS` are joined by OR, and
//!   `NOT_EQUALS`, `PREFIX_NOT_EQUALS` and `NOT_CONTAINS` by AND; a finding matches when
//!   it matches one of the former (if any) and all of the latter — "Security Hub first
//!   processes the PREFIX filters, and then the NOT_EQUALS or PREFIX_NOT_EQUALS filters";
//! - `CONTAINS` can only be used with other `CONTAINS` filters of the same field, and
//!   `NOT_CONTAINS` only with other `NOT_CONTAINS`; `EQUALS` cannot be combined with
//!   `NOT_EQUALS` or `PREFIX_NOT_EQUALS`: such a combination is an error, as in AWS;
//! - values are case-sensitive;
//! - number and date filters of one field are joined by OR; the bounds of one filter by AND;
//! - map filters (`ResourceTags`, `UserDefinedFields`) follow the string rules per key
//!   (AWS: `CONTAINS`/`EQUALS` OR, `NOT_*` AND); filters on different keys are joined by
//!   AND. A finding without the key matches the negative comparisons.
//!
//! Unknown fields, comparisons and keys are errors that name them, never ignored.
//! This module knows no SQL: `query.rs` turns a [`FindingFilters`] into bound parameters.

use rampart_model::Timestamp;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::fmt;
use time::format_description::well_known::Rfc3339;

/// Why a query was refused. Every message names the field or parameter at fault.
///
/// This type is publicly exported: add variants (it is `non_exhaustive`), don't rename
/// or remove them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    #[error("invalid query JSON: {0}")]
    Json(String),

    #[error("unknown filter field `{}`: use one of {}", shorten(.0), field_names())]
    UnknownField(String),

    #[error("filter field `{0}` is a Security Hub field that rampart's findings do not carry: remove it")]
    UnsupportedField(String),

    #[error("filter `{field}`: {reason}")]
    Invalid { field: String, reason: String },

    #[error("unknown query parameter `{0}`: use Filters, SortCriteria, MaxResults or NextToken")]
    UnknownParameter(String),

    #[error("sort: {0}")]
    Sort(String),

    #[error("MaxResults {0} is out of range: use 1 to 100")]
    MaxResults(i64),

    #[error("NextToken is not valid for this query: start again without it")]
    Token,
}

fn invalid(field: &str, reason: impl Into<String>) -> QueryError {
    QueryError::Invalid { field: field.to_string(), reason: reason.into() }
}

/// A string comparison (`StringFilter.Comparison`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StringComparison {
    Equals,
    Prefix,
    Contains,
    NotEquals,
    PrefixNotEquals,
    NotContains,
}

impl StringComparison {
    pub const ALL: [StringComparison; 6] = [
        StringComparison::Equals,
        StringComparison::Prefix,
        StringComparison::Contains,
        StringComparison::NotEquals,
        StringComparison::PrefixNotEquals,
        StringComparison::NotContains,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StringComparison::Equals => "EQUALS",
            StringComparison::Prefix => "PREFIX",
            StringComparison::Contains => "CONTAINS",
            StringComparison::NotEquals => "NOT_EQUALS",
            StringComparison::PrefixNotEquals => "PREFIX_NOT_EQUALS",
            StringComparison::NotContains => "NOT_CONTAINS",
        }
    }

    pub fn parse(s: &str) -> Option<StringComparison> {
        StringComparison::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// `NOT_EQUALS`, `PREFIX_NOT_EQUALS`, `NOT_CONTAINS`: joined by AND.
    pub fn is_negative(self) -> bool {
        matches!(self, StringComparison::NotEquals | StringComparison::PrefixNotEquals | StringComparison::NotContains)
    }

    /// The positive comparison a negative one negates (itself for a positive one).
    pub(crate) fn positive(self) -> StringComparison {
        match self {
            StringComparison::NotEquals => StringComparison::Equals,
            StringComparison::PrefixNotEquals => StringComparison::Prefix,
            StringComparison::NotContains => StringComparison::Contains,
            c => c,
        }
    }

    /// Whether `value` matches `self` `filter` (case-sensitive, as Security Hub).
    pub fn matches(self, value: &str, filter: &str) -> bool {
        let positive = match self.positive() {
            StringComparison::Equals => value == filter,
            StringComparison::Prefix => value.starts_with(filter),
            _ => value.contains(filter),
        };
        positive != self.is_negative()
    }
}

impl fmt::Display for StringComparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `StringFilter`: a comparison and a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringFilter {
    pub comparison: StringComparison,
    pub value: String,
}

/// `NumberFilter`: the bounds given, all of which must hold.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct NumberFilter {
    pub gte: Option<f64>,
    pub lte: Option<f64>,
    pub gt: Option<f64>,
    pub lt: Option<f64>,
    pub eq: Option<f64>,
}

/// `DateFilter`: a range, or the last days before the time of the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateFilter {
    /// `Start` and/or `End`, inclusive.
    Range { start: Option<Timestamp>, end: Option<Timestamp> },
    /// `DateRange {"Value": n, "Unit": "DAYS"}`: from `now - n days` on.
    LastDays(u32),
}

/// `MapFilter` (`ResourceTags`, `UserDefinedFields`): the value under a key. Its
/// comparisons are `EQUALS`, `NOT_EQUALS`, `CONTAINS` and `NOT_CONTAINS`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapFilter {
    pub key: String,
    pub comparison: StringComparison,
    pub value: String,
}

/// The filters of one field.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldFilters {
    String(Vec<StringFilter>),
    Number(Vec<NumberFilter>),
    Date(Vec<DateFilter>),
    Map(Vec<MapFilter>),
}

/// What a field holds, and so which filters it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// One string per finding.
    String,
    /// Several strings per finding: a positive filter matches when one of them does, a
    /// negative one when none of them matches its positive.
    Strings,
    Number,
    Date,
    Map,
}

/// A filter field: its Security Hub name and kind.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field {
    pub(crate) name: &'static str,
    pub(crate) kind: Kind,
}

const fn field(name: &'static str, kind: Kind) -> Field {
    Field { name, kind }
}

/// The fields rampart's findings carry, under Security Hub's names. What each reads is
/// in `query.rs` (`column`).
pub(crate) const FIELDS: &[Field] = &[
    field("Id", Kind::String),
    field("GeneratorId", Kind::String),
    field("Title", Kind::String),
    field("Description", Kind::String),
    field("SeverityLabel", Kind::String),
    field("SeverityNormalized", Kind::Number),
    field("ComplianceStatus", Kind::String),
    field("ComplianceSecurityControlId", Kind::Strings),
    field("ComplianceAssociatedStandardsId", Kind::Strings),
    field("WorkflowStatus", Kind::String),
    field("RecordState", Kind::String),
    field("VerificationState", Kind::String),
    field("ResourceId", Kind::String),
    field("ResourceType", Kind::String),
    field("ResourcePartition", Kind::String),
    field("ResourceRegion", Kind::String),
    field("Region", Kind::String),
    field("AwsAccountId", Kind::String),
    field("ResourceTags", Kind::Map),
    field("UserDefinedFields", Kind::Map),
    field("FirstObservedAt", Kind::Date),
    field("LastObservedAt", Kind::Date),
    field("CreatedAt", Kind::Date),
    field("UpdatedAt", Kind::Date),
    field("Confidence", Kind::Number),
    field("Criticality", Kind::Number),
    field("NoteText", Kind::String),
    field("NoteUpdatedBy", Kind::String),
    field("NoteUpdatedAt", Kind::Date),
    field("VulnerabilityId", Kind::String),
    field("ProductArn", Kind::String),
    field("ProductName", Kind::String),
    field("CompanyName", Kind::String),
];

/// Security Hub filter fields that rampart's findings do not carry: refused with a
/// message that says so, rather than as unknown.
const UNSUPPORTED: &[&str] = &[
    "Type",
    "SourceUrl",
    "ProductFields",
    "ProductVersion",
    "RecommendationText",
    "RelatedFindingsProductArn",
    "RelatedFindingsId",
    "ResourceDetailsOther",
    "ThreatIntelIndicatorType",
    "MalwareName",
    "NetworkSourceIpV4",
    "ProcessName",
    "Sample",
    "AwsAccountName",
    "VulnerabilitiesExploitAvailable",
    "VulnerabilitiesFixAvailable",
];

pub(crate) fn field_named(name: &str) -> Result<Field, QueryError> {
    if let Some(f) = FIELDS.iter().find(|f| f.name == name) {
        return Ok(*f);
    }
    if UNSUPPORTED.contains(&name) {
        return Err(QueryError::UnsupportedField(name.to_string()));
    }
    Err(QueryError::UnknownField(name.to_string()))
}

/// At most this many filters per field (Security Hub allows 20 for most fields, 100 for
/// a few): bounds the size of a query.
pub const MAX_FILTERS_PER_FIELD: usize = 100;

/// A set of findings filters (`AwsSecurityFindingFilters`): per field, its filters.
/// `Default` matches every finding.
///
/// Built from JSON ([`FindingFilters::from_json`], or serde) or in code
/// ([`FindingFilters::with_string`] and friends); written back with
/// [`FindingFilters::to_json`] in the same shape.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FindingFilters {
    fields: BTreeMap<&'static str, FieldFilters>,
}

impl FindingFilters {
    /// Parses Security Hub's JSON shape: `{"SeverityLabel": [{"Value": "HIGH",
    /// "Comparison": "EQUALS"}], ...}`.
    pub fn from_json(value: &Value) -> Result<FindingFilters, QueryError> {
        let Value::Object(map) = value else {
            return Err(QueryError::Json("Filters must be an object of filter fields".into()));
        };
        let mut out = FindingFilters::default();
        for (name, list) in map {
            let field = field_named(name)?;
            let Value::Array(items) = list else {
                return Err(invalid(name, "must be a list of filters"));
            };
            if items.len() > MAX_FILTERS_PER_FIELD {
                return Err(invalid(name, format!("has {} filters, at most {MAX_FILTERS_PER_FIELD} are allowed", items.len())));
            }
            let filters = match field.kind {
                Kind::String | Kind::Strings => {
                    FieldFilters::String(items.iter().map(|v| string_filter(name, v)).collect::<Result<_, _>>()?)
                }
                Kind::Number => FieldFilters::Number(items.iter().map(|v| number_filter(name, v)).collect::<Result<_, _>>()?),
                Kind::Date => FieldFilters::Date(items.iter().map(|v| date_filter(name, v)).collect::<Result<_, _>>()?),
                Kind::Map => FieldFilters::Map(items.iter().map(|v| map_filter(name, v)).collect::<Result<_, _>>()?),
            };
            out.set(field.name, filters)?;
        }
        Ok(out)
    }

    /// Parses the JSON text of [`FindingFilters::from_json`].
    pub fn from_json_str(text: &str) -> Result<FindingFilters, QueryError> {
        let value: Value = serde_json::from_str(text).map_err(|e| QueryError::Json(e.to_string()))?;
        FindingFilters::from_json(&value)
    }

    /// The filters in Security Hub's JSON shape; [`FindingFilters::from_json`] reads it back.
    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        for (name, filters) in &self.fields {
            let list: Vec<Value> = match filters {
                FieldFilters::String(v) => v.iter().map(|f| json!({"Value": f.value, "Comparison": f.comparison.as_str()})).collect(),
                FieldFilters::Number(v) => v
                    .iter()
                    .map(|f| {
                        let mut m = Map::new();
                        for (k, b) in [("Gte", f.gte), ("Lte", f.lte), ("Gt", f.gt), ("Lt", f.lt), ("Eq", f.eq)] {
                            if let Some(b) = b {
                                m.insert(k.to_string(), json!(b));
                            }
                        }
                        Value::Object(m)
                    })
                    .collect(),
                FieldFilters::Date(v) => v
                    .iter()
                    .map(|f| match f {
                        DateFilter::LastDays(n) => json!({"DateRange": {"Value": n, "Unit": "DAYS"}}),
                        DateFilter::Range { start, end } => {
                            let mut m = Map::new();
                            if let Some(s) = start {
                                m.insert("Start".into(), json!(rampart_model::rfc3339(*s)));
                            }
                            if let Some(e) = end {
                                m.insert("End".into(), json!(rampart_model::rfc3339(*e)));
                            }
                            Value::Object(m)
                        }
                    })
                    .collect(),
                FieldFilters::Map(v) => {
                    v.iter().map(|f| json!({"Key": f.key, "Value": f.value, "Comparison": f.comparison.as_str()})).collect()
                }
            };
            out.insert(name.to_string(), Value::Array(list));
        }
        Value::Object(out)
    }

    /// Replaces the filters of `field`, checking they suit it (kind, combinations).
    pub fn set(&mut self, field: &str, filters: FieldFilters) -> Result<(), QueryError> {
        let spec = field_named(field)?;
        let fits = matches!(
            (spec.kind, &filters),
            (Kind::String | Kind::Strings, FieldFilters::String(_))
                | (Kind::Number, FieldFilters::Number(_))
                | (Kind::Date, FieldFilters::Date(_))
                | (Kind::Map, FieldFilters::Map(_))
        );
        if !fits {
            return Err(invalid(field, "takes filters of another kind"));
        }
        check_combinations(spec.name, &filters)?;
        let empty = match &filters {
            FieldFilters::String(v) => v.is_empty(),
            FieldFilters::Number(v) => v.is_empty(),
            FieldFilters::Date(v) => v.is_empty(),
            FieldFilters::Map(v) => v.is_empty(),
        };
        if empty {
            self.fields.remove(spec.name);
        } else {
            self.fields.insert(spec.name, filters);
        }
        Ok(())
    }

    /// Adds a string filter to `field` (joined with its others as Security Hub joins them).
    pub fn with_string(mut self, field: &str, comparison: StringComparison, value: &str) -> Result<FindingFilters, QueryError> {
        let mut list = match self.fields.get(field) {
            Some(FieldFilters::String(v)) => v.clone(),
            _ => Vec::new(),
        };
        list.push(StringFilter { comparison, value: value.to_string() });
        self.set(field, FieldFilters::String(list))?;
        Ok(self)
    }

    /// Adds a date filter to `field`.
    pub fn with_date(mut self, field: &str, filter: DateFilter) -> Result<FindingFilters, QueryError> {
        let mut list = match self.fields.get(field) {
            Some(FieldFilters::Date(v)) => v.clone(),
            _ => Vec::new(),
        };
        list.push(filter);
        self.set(field, FieldFilters::Date(list))?;
        Ok(self)
    }

    /// Adds a number filter to `field`.
    pub fn with_number(mut self, field: &str, filter: NumberFilter) -> Result<FindingFilters, QueryError> {
        let mut list = match self.fields.get(field) {
            Some(FieldFilters::Number(v)) => v.clone(),
            _ => Vec::new(),
        };
        list.push(filter);
        self.set(field, FieldFilters::Number(list))?;
        Ok(self)
    }

    /// Adds a map filter to `field` (`ResourceTags`, `UserDefinedFields`).
    pub fn with_map(mut self, field: &str, key: &str, comparison: StringComparison, value: &str) -> Result<FindingFilters, QueryError> {
        let mut list = match self.fields.get(field) {
            Some(FieldFilters::Map(v)) => v.clone(),
            _ => Vec::new(),
        };
        list.push(MapFilter { key: key.to_string(), comparison, value: value.to_string() });
        self.set(field, FieldFilters::Map(list))?;
        Ok(self)
    }

    /// The filters of `field`, if any.
    pub fn get(&self, field: &str) -> Option<&FieldFilters> {
        self.fields.get(field)
    }

    /// Each field with filters, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &FieldFilters)> {
        self.fields.iter().map(|(k, v)| (*k, v))
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

impl serde::Serialize for FindingFilters {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for FindingFilters {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        FindingFilters::from_json(&value).map_err(serde::de::Error::custom)
    }
}

/// Security Hub's rules on which comparisons may share a field (per key for a map).
fn check_combinations(field: &str, filters: &FieldFilters) -> Result<(), QueryError> {
    let groups: Vec<(String, Vec<StringComparison>)> = match filters {
        FieldFilters::String(v) => vec![(field.to_string(), v.iter().map(|f| f.comparison).collect())],
        FieldFilters::Map(v) => {
            let mut by_key: BTreeMap<&str, Vec<StringComparison>> = BTreeMap::new();
            for f in v {
                if matches!(f.comparison, StringComparison::Prefix | StringComparison::PrefixNotEquals) {
                    return Err(invalid(
                        field,
                        format!("map filters take EQUALS, NOT_EQUALS, CONTAINS or NOT_CONTAINS, not {}", f.comparison),
                    ));
                }
                by_key.entry(&f.key).or_default().push(f.comparison);
            }
            by_key.into_iter().map(|(k, c)| (format!("{field} key `{k}`"), c)).collect()
        }
        _ => return Ok(()),
    };
    use StringComparison::*;
    for (what, comparisons) in groups {
        let has = |c: StringComparison| comparisons.contains(&c);
        for (only, name) in [(Contains, "CONTAINS"), (NotContains, "NOT_CONTAINS")] {
            if has(only) {
                if let Some(other) = comparisons.iter().find(|c| **c != only) {
                    return Err(QueryError::Invalid {
                        field: what,
                        reason: format!("{name} can only be combined with other {name} filters on the same field, not with {other}"),
                    });
                }
            }
        }
        if has(Equals) {
            if let Some(other) = comparisons.iter().find(|c| matches!(c, NotEquals | PrefixNotEquals)) {
                return Err(QueryError::Invalid {
                    field: what,
                    reason: format!("EQUALS cannot be combined with {other} on the same field"),
                });
            }
        }
    }
    Ok(())
}

/// The keys of a filter object, each checked against `allowed`.
fn object<'a>(field: &str, v: &'a Value, allowed: &[&str]) -> Result<&'a Map<String, Value>, QueryError> {
    let Value::Object(m) = v else {
        return Err(invalid(field, "each filter must be an object"));
    };
    for k in m.keys() {
        if !allowed.contains(&k.as_str()) {
            return Err(invalid(field, format!("unknown key `{k}`: use {}", allowed.join(", "))));
        }
    }
    Ok(m)
}

fn text<'a>(field: &str, m: &'a Map<String, Value>, key: &str) -> Result<&'a str, QueryError> {
    match m.get(key) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(invalid(field, format!("`{key}` must be a string"))),
        None => Err(invalid(field, format!("`{key}` is missing"))),
    }
}

fn comparison(field: &str, m: &Map<String, Value>) -> Result<StringComparison, QueryError> {
    let c = text(field, m, "Comparison")?;
    StringComparison::parse(c).ok_or_else(|| {
        invalid(
            field,
            format!(
                "unknown comparison `{}`: use {}",
                crate::filter::shorten(c),
                StringComparison::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
            ),
        )
    })
}

fn field_names() -> String {
    FIELDS.iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
}

/// A value echoed in an error: at most 64 characters.
pub(crate) fn shorten(s: &str) -> String {
    match s.char_indices().nth(64) {
        None => s.to_string(),
        Some((end, _)) => format!("{}…", &s[..end]),
    }
}

fn string_filter(field: &str, v: &Value) -> Result<StringFilter, QueryError> {
    let m = object(field, v, &["Value", "Comparison"])?;
    Ok(StringFilter { comparison: comparison(field, m)?, value: text(field, m, "Value")?.to_string() })
}

fn map_filter(field: &str, v: &Value) -> Result<MapFilter, QueryError> {
    let m = object(field, v, &["Key", "Value", "Comparison"])?;
    Ok(MapFilter {
        key: text(field, m, "Key")?.to_string(),
        comparison: comparison(field, m)?,
        value: text(field, m, "Value")?.to_string(),
    })
}

fn number_filter(field: &str, v: &Value) -> Result<NumberFilter, QueryError> {
    let m = object(field, v, &["Gte", "Lte", "Gt", "Lt", "Eq"])?;
    let bound = |key: &str| -> Result<Option<f64>, QueryError> {
        match m.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => {
                n.as_f64().filter(|x| x.is_finite()).map(Some).ok_or_else(|| invalid(field, format!("`{key}` is not a finite number")))
            }
            Some(_) => Err(invalid(field, format!("`{key}` must be a number"))),
        }
    };
    let f = NumberFilter { gte: bound("Gte")?, lte: bound("Lte")?, gt: bound("Gt")?, lt: bound("Lt")?, eq: bound("Eq")? };
    if f == NumberFilter::default() {
        return Err(invalid(field, "a number filter needs at least one of Gte, Lte, Gt, Lt, Eq"));
    }
    Ok(f)
}

fn date_filter(field: &str, v: &Value) -> Result<DateFilter, QueryError> {
    let m = object(field, v, &["Start", "End", "DateRange"])?;
    if let Some(range) = m.get("DateRange") {
        if m.contains_key("Start") || m.contains_key("End") {
            return Err(invalid(field, "give either DateRange or Start/End, not both"));
        }
        let r = object(field, range, &["Value", "Unit"])?;
        let unit = text(field, r, "Unit")?;
        if unit != "DAYS" {
            return Err(invalid(field, format!("unknown DateRange unit `{}`: use DAYS", shorten(unit))));
        }
        let days = match r.get("Value") {
            Some(Value::Number(n)) => n.as_u64().and_then(|d| u32::try_from(d).ok()),
            _ => None,
        };
        let days =
            days.filter(|d| *d <= 36_500).ok_or_else(|| invalid(field, "DateRange `Value` must be a whole number of days, 0 to 36500"))?;
        return Ok(DateFilter::LastDays(days));
    }
    let time = |key: &str| -> Result<Option<Timestamp>, QueryError> {
        match m.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Timestamp::parse(s, &Rfc3339)
                .map(Some)
                .map_err(|_| invalid(field, format!("`{key}` `{}` is not an RFC 3339 timestamp such as 2026-03-01T08:00:00Z", shorten(s)))),
            Some(_) => Err(invalid(field, format!("`{key}` must be a string"))),
        }
    };
    let (start, end) = (time("Start")?, time("End")?);
    if start.is_none() && end.is_none() {
        return Err(invalid(field, "a date filter needs Start, End or DateRange"));
    }
    Ok(DateFilter::Range { start, end })
}
