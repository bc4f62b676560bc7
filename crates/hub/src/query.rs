//! The findings query (Security Hub's `GetFindings`): [`FindingFilters`] as SQL with bound
//! parameters, one sort field with the id as tiebreak, and keyset pagination.
//!
//! Pagination is by key, not by offset: a page's `NextToken` holds the sort value and id
//! of its last finding, and the next page starts after them. Findings inserted meanwhile
//! (a scan recording) never shift the pages: no finding of the first page comes again,
//! and no finding that existed before is skipped, unless its own sort value changed in
//! between (a scan updates `LastObservedAt` and `UpdatedAt`; the default order, by
//! severity, moves only when a severity changes). The token also names the sort and the
//! filters it was made for: used with another query, it is refused.

use crate::codec;
use crate::dialect::{Cells, Dialect};
use crate::error::{sql, StoreError};
use crate::filter::{
    field_named, DateFilter, FieldFilters, FindingFilters, Kind, MapFilter, NumberFilter, QueryError, StringComparison, StringFilter,
};
use crate::store::{corrupt, finding_from_row, Store, CURRENT_COLUMNS};
use rampart_model::{Finding, Severity, Timestamp};
use rusqlite::types::Value;
use serde_json::{json, Value as Json};
use std::collections::BTreeMap;

/// The effective severity label of a finding: a person's override, else the check's.
pub(crate) const SEVERITY: &str = "coalesce(f.severity_label, f.severity)";

/// `Severity.Normalized` of the effective label, as ASFF sets it from a label alone
/// (INFORMATIONAL 0, LOW 1, MEDIUM 40, HIGH 70, CRITICAL 90). Spelled as the
/// `findings_severity_order` index spells it (findings migration 4).
pub(crate) const NORMALIZED: &str = "(CASE coalesce(f.severity_label, f.severity) WHEN 'CRITICAL' THEN 90 WHEN 'HIGH' THEN 70 \
     WHEN 'MEDIUM' THEN 40 WHEN 'LOW' THEN 1 ELSE 0 END)";

/// The findings' `ProductArn`: an imported finding's product, else as rampart's ASFF
/// output writes it (the account's default product for custom integrations).
const PRODUCT_ARN: &str =
    "coalesce(f.product_arn, 'arn:' || f.\"partition\" || ':securityhub:' || f.region || ':' || f.account || ':product/' || f.account || '/default')";

/// The prefix of an FSBP requirement in `related_requirements`; what follows is the
/// control id (`ComplianceSecurityControlId`).
const FSBP_PREFIX: &str = "AWS Foundational Security Best Practices/";

/// Standards as `ComplianceAssociatedStandardsId` names them, by the title that starts
/// their requirements in `related_requirements`.
const STANDARD_IDS: &[(&str, &str)] = &[
    ("AWS Foundational Security Best Practices/", "standards/aws-foundational-security-best-practices/v/1.0.0"),
    ("CIS AWS Foundations Benchmark v3.0.0/", "standards/cis-aws-foundations-benchmark/v/3.0.0"),
];

/// Which standards of [`STANDARD_IDS`] a finding's requirements name, as bits (1 the
/// first, 2 the second), read from the JSON text without taking it apart: a requirement
/// starts with a standard's title when `"` and the title occur in the text. That is exact
/// as long as the text holds no backslash (no escaped character, so every `"` is a
/// string's delimiter, and a closing one is never followed by a title); the insights use
/// it only then ([`Store::requirements_unescaped`]). Spelled as findings migration 12's
/// resource indexes spell it: they serve only a query that spells it the same.
pub(crate) fn standards_mask() -> String {
    let bits: Vec<String> = STANDARD_IDS
        .iter()
        .enumerate()
        .map(|(i, (title, _))| {
            let bit = if i == 0 { String::new() } else { format!("{} * ", 1 << i) };
            format!("{bit}(instr(f.related_requirements, '\"{title}') > 0)")
        })
        .collect();
    format!("({})", bits.join(" + "))
}

/// The number of standards [`standards_mask`] tells apart.
pub(crate) const MASKED_STANDARDS: usize = STANDARD_IDS.len();

/// A requirement list naming exactly the standards of `mask` (one requirement each: the
/// standard's title alone), as JSON.
pub(crate) fn standards_of_mask(mask: usize) -> String {
    let titles: Vec<&str> = STANDARD_IDS.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, (t, _))| *t).collect();
    codec::strings_to_json(&titles.iter().map(|t| t.to_string()).collect::<Vec<_>>())
}

/// For a multi-valued field, the SQL of one of its values from a requirement `j.value`
/// (NULL when the requirement gives none).
pub(crate) fn element(field: &str) -> Option<String> {
    match field {
        "ComplianceSecurityControlId" => Some(format!(
            "(CASE WHEN substr(j.value, 1, {n}) = '{FSBP_PREFIX}' THEN substr(j.value, {m}) END)",
            n = FSBP_PREFIX.len(),
            m = FSBP_PREFIX.len() + 1
        )),
        "ComplianceAssociatedStandardsId" => {
            let whens: Vec<String> = STANDARD_IDS
                .iter()
                .map(|(title, id)| format!("WHEN substr(j.value, 1, {}) = '{title}' THEN '{id}'", title.len()))
                .collect();
            Some(format!("(CASE {} END)", whens.join(" ")))
        }
        _ => None,
    }
}

/// What a single-valued field reads, and whether it may be NULL (on SQLite).
#[cfg(test)]
pub(crate) fn column(field: &str) -> (String, bool) {
    column_in(field, Dialect::Sqlite)
}

/// [`column`] in `dialect`.
pub(crate) fn column_in(field: &str, dialect: Dialect) -> (String, bool) {
    let (expr, nullable) = match field {
        "Id" => ("coalesce(f.external_id, f.id)", false),
        "GeneratorId" => ("f.check_id", false),
        "Title" => ("f.title", false),
        "Description" => ("f.description", false),
        "SeverityLabel" => (SEVERITY, false),
        "SeverityNormalized" => (NORMALIZED, false),
        "ComplianceStatus" => ("(CASE WHEN f.product_arn IS NULL THEN f.status ELSE f.compliance_status END)", true),
        "WorkflowStatus" => ("f.workflow_status", false),
        "RecordState" => ("f.record_state", false),
        "VerificationState" => ("f.verification_state", false),
        "ResourceId" => ("f.resource_id", false),
        "ResourceType" => ("f.resource_type", false),
        "ResourcePartition" => ("f.\"partition\"", false),
        "ResourceRegion" | "Region" => ("f.region", false),
        "AwsAccountId" => ("f.account", false),
        "FirstObservedAt" | "CreatedAt" => ("f.first_observed", false),
        "LastObservedAt" => ("f.last_observed", false),
        "UpdatedAt" => ("f.updated_at", false),
        "Confidence" => ("f.confidence", true),
        "Criticality" => ("f.criticality", true),
        "NoteText" => ("f.note_text", true),
        "NoteUpdatedBy" => ("f.note_updated_by", true),
        "NoteUpdatedAt" => ("f.note_updated_at", true),
        "VulnerabilityId" => return (dialect.json_member("f.vulnerability", "id"), true),
        "ProductArn" => (PRODUCT_ARN, false),
        "ProductName" => ("coalesce(f.product_name, 'Rampart')", false),
        "CompanyName" => ("coalesce(f.company_name, 'Rampart')", false),
        // Invariant: `FIELDS` lists exactly the names above plus the multi-valued and map
        // fields, which are never read as one column (`tests_query.rs` checks it).
        other => unreachable!("no column for field {other}"),
    };
    (expr.to_string(), nullable)
}

/// The SQL of a positive string comparison of `expr` with the next bound value(s).
fn compare(expr: &str, c: StringComparison, value: &str, values: &mut Vec<Value>, dialect: Dialect) -> String {
    match c.positive() {
        StringComparison::Equals => {
            values.push(Value::Text(value.to_string()));
            format!("{expr} = ?")
        }
        StringComparison::Prefix => {
            // The range test lets an index on `expr` narrow the scan; the `substr` test
            // is the exact one (characters, as `length` counts them).
            values.push(Value::Text(value.to_string()));
            values.push(Value::Integer(value.chars().count() as i64));
            values.push(Value::Text(value.to_string()));
            format!("({expr} >= ? AND substr({expr}, 1, ?) = ?)")
        }
        _ => {
            values.push(Value::Text(value.to_string()));
            dialect.contains(expr)
        }
    }
}

/// Security Hub's join of one field's string filters over `expr`, or over each element
/// that `elements` selects (a subquery yielding column `v`, its bound values first).
fn string_group(target: &Target<'_>, filters: &[&StringFilter], values: &mut Vec<Value>, dialect: Dialect) -> String {
    let mut positives = Vec::new();
    let mut negatives = Vec::new();
    // The text lists the positive comparisons first: their values are bound first too,
    // whatever the order of the filters.
    let mut negative_values = Vec::new();
    for f in filters {
        let bound = if f.comparison.is_negative() { &mut negative_values } else { &mut *values };
        let clause = match target {
            Target::Column(expr) => compare(expr, f.comparison, &f.value, bound, dialect),
            Target::Elements { sql, bind } => {
                bound.extend(bind.iter().cloned());
                format!("EXISTS (SELECT 1 FROM ({sql}) x WHERE {})", compare("x.v", f.comparison, &f.value, bound, dialect))
            }
        };
        if f.comparison.is_negative() {
            // A NULL value (nothing there) matches every negative comparison.
            negatives.push(format!("NOT coalesce({clause}, {})", dialect.truth(false)));
        } else {
            positives.push(clause);
        }
    }
    values.extend(negative_values);
    let mut parts = Vec::new();
    if !positives.is_empty() {
        parts.push(format!("({})", positives.join(" OR ")));
    }
    parts.extend(negatives);
    parts.join(" AND ")
}

enum Target<'a> {
    Column(&'a str),
    /// A subquery selecting column `v`, with the values it binds.
    Elements {
        sql: String,
        bind: Vec<Value>,
    },
}

fn number_group(expr: &str, filters: &[NumberFilter], values: &mut Vec<Value>, dialect: Dialect) -> String {
    let any: Vec<String> = filters
        .iter()
        .map(|f| {
            let all: Vec<String> = [(">=", f.gte), ("<=", f.lte), (">", f.gt), ("<", f.lt), ("=", f.eq)]
                .into_iter()
                .filter_map(|(op, b)| {
                    b.map(|b| {
                        values.push(Value::Real(b));
                        format!("{expr} {op} {}", dialect.real_param())
                    })
                })
                .collect();
            format!("({})", all.join(" AND "))
        })
        .collect();
    format!("({})", any.join(" OR "))
}

/// The first whole second at or after `t`.
fn ceil_second(t: Timestamp) -> Timestamp {
    let down = codec::truncate(t);
    if down == t.to_offset(time::UtcOffset::UTC) {
        down
    } else {
        down + time::Duration::seconds(1)
    }
}

fn date_group(expr: &str, filters: &[DateFilter], now: Timestamp, values: &mut Vec<Value>) -> String {
    let any: Vec<String> = filters
        .iter()
        .map(|f| {
            // Stored timestamps are RFC 3339 UTC text to the second: compared as text.
            let mut all = Vec::new();
            let (start, end) = match *f {
                DateFilter::LastDays(days) => (Some(now - time::Duration::days(i64::from(days))), None),
                DateFilter::Range { start, end } => (start, end),
            };
            if let Some(s) = start {
                values.push(Value::Text(codec::time_to_text(ceil_second(s))));
                all.push(format!("{expr} >= ?"));
            }
            if let Some(e) = end {
                values.push(Value::Text(codec::time_to_text(codec::truncate(e))));
                all.push(format!("{expr} <= ?"));
            }
            format!("({})", all.join(" AND "))
        })
        .collect();
    format!("({})", any.join(" OR "))
}

fn map_group(field: &str, filters: &[MapFilter], values: &mut Vec<Value>, dialect: Dialect) -> String {
    let mut by_key: BTreeMap<&str, Vec<StringFilter>> = BTreeMap::new();
    for f in filters {
        by_key.entry(&f.key).or_default().push(StringFilter { comparison: f.comparison, value: f.value.clone() });
    }
    let per_key: Vec<String> = by_key
        .into_iter()
        .map(|(key, fs)| {
            let sql = match field {
                "ResourceTags" => "SELECT t.value AS v FROM resource_tags t WHERE t.resource_id = f.resource_id AND t.key = ?".to_string(),
                _ => format!("SELECT j.value AS v FROM {} WHERE j.key = ?", dialect.json_members("f.user_defined_fields")),
            };
            let target = Target::Elements { sql, bind: vec![Value::Text(key.to_string())] };
            let refs: Vec<&StringFilter> = fs.iter().collect();
            format!("({})", string_group(&target, &refs, values, dialect))
        })
        .collect();
    per_key.join(" AND ")
}

/// The `WHERE` conditions of `filters` (joined by AND; `1` when there are none) and the
/// values they bind, in order.
pub(crate) fn conditions(filters: &FindingFilters, now: Timestamp) -> (String, Vec<Value>) {
    conditions_in(filters, now, Dialect::Sqlite)
}

/// [`conditions`] in `dialect`. PostgreSQL has no `finding_counts` (its counts read the
/// findings): a multi-valued field's filter takes each finding's requirements apart.
pub(crate) fn conditions_in(filters: &FindingFilters, now: Timestamp, dialect: Dialect) -> (String, Vec<Value>) {
    let mut values = Vec::new();
    let mut all = Vec::new();
    for (name, ff) in filters.iter() {
        let clause = match ff {
            FieldFilters::String(fs) => {
                let refs: Vec<&StringFilter> = fs.iter().collect();
                if let (Some(element), Dialect::Postgres) = (element(name), dialect) {
                    let sql = format!("SELECT {element} AS v FROM {}", dialect.json_elements("f.related_requirements"));
                    string_group(&Target::Elements { sql, bind: Vec::new() }, &refs, &mut values, dialect)
                } else if let Some(element) = element(name) {
                    // Whether a finding matches depends on its requirements alone, and
                    // `finding_counts` holds every list of requirements a finding has:
                    // the lists that match are found there, once, instead of taking
                    // each finding's list apart (about 2 µs a finding).
                    let sql = format!("SELECT {element} AS v FROM json_each(c.related_requirements) j");
                    let group = string_group(&Target::Elements { sql, bind: Vec::new() }, &refs, &mut values, dialect);
                    format!("f.related_requirements IN (SELECT c.related_requirements FROM finding_counts c WHERE {group})")
                } else if name == "Title" && dialect == Dialect::Sqlite && refs.iter().all(|f| f.comparison == StringComparison::Contains) {
                    // `finding_titles` holds each distinct title once: the titles that
                    // contain a value are found there, and their findings through the
                    // title index. The comparison of the finding's own title still
                    // applies (the titles only narrow the findings read).
                    let narrow = string_group(&Target::Column("t.title"), &refs, &mut values, dialect);
                    let exact = string_group(&Target::Column("f.title"), &refs, &mut values, dialect);
                    format!("f.title IN (SELECT t.title FROM finding_titles t WHERE {narrow}) AND {exact}")
                } else if name == "Description"
                    && dialect == Dialect::Sqlite
                    && refs.iter().all(|f| f.comparison == StringComparison::Contains)
                {
                    // `finding_descriptions` holds each distinct (description, check) pair
                    // once: the checks whose findings hold a matching description are
                    // found there, and their findings through the check index; the
                    // finding's own description is then compared as before.
                    let narrow = string_group(&Target::Column("d.description"), &refs, &mut values, dialect);
                    let exact = string_group(&Target::Column("f.description"), &refs, &mut values, dialect);
                    format!("f.check_id IN (SELECT d.check_id FROM finding_descriptions d WHERE {narrow}) AND {exact}")
                } else if name == "NoteText"
                    && dialect == Dialect::Sqlite
                    && refs.iter().all(|f| f.comparison == StringComparison::Contains)
                {
                    // A CONTAINS never matches a finding without a note: spelt so, the
                    // partial index of the noted findings (`findings_note`) can serve it.
                    let exact = string_group(&Target::Column("f.note_text"), &refs, &mut values, dialect);
                    format!("f.note_text IS NOT NULL AND {exact}")
                } else if name == "WorkflowStatus" && dialect == Dialect::Sqlite {
                    // Four values: `findings_workflow` is for the workflow sort, never a
                    // way to find a filter's matches (without statistics SQLite would
                    // take it for a selective one and read a row per match); `+` keeps
                    // the planner from it.
                    string_group(&Target::Column("+f.workflow_status"), &refs, &mut values, dialect)
                } else {
                    string_group(&Target::Column(&column_in(name, dialect).0), &refs, &mut values, dialect)
                }
            }
            FieldFilters::Number(fs) => number_group(&column_in(name, dialect).0, fs, &mut values, dialect),
            FieldFilters::Date(fs) => date_group(&column_in(name, dialect).0, fs, now, &mut values),
            FieldFilters::Map(fs) => map_group(name, fs, &mut values, dialect),
        };
        all.push(format!("({clause})"));
    }
    if all.is_empty() {
        (dialect.truth(true).to_string(), values)
    } else {
        (all.join(" AND "), values)
    }
}

/// The fields that `finding_counts` carries (findings migration 10): the number of
/// findings per combination of the columns these fields read, kept by triggers on
/// `findings`. Its columns have the names of the `findings` columns they copy, so the SQL
/// of [`conditions`] and [`column`] reads either table. A count or a group-by whose
/// filters (and group) use only these fields sums `finding_counts.n` over its few
/// thousand rows instead of visiting every matching finding.
pub(crate) const COUNTED: &[&str] = &[
    "GeneratorId",
    "SeverityLabel",
    "SeverityNormalized",
    "ComplianceStatus",
    "ComplianceSecurityControlId",
    "ComplianceAssociatedStandardsId",
    "WorkflowStatus",
    "RecordState",
    "VerificationState",
    "ResourceType",
    "ResourcePartition",
    "ResourceRegion",
    "Region",
    "AwsAccountId",
    "ProductArn",
    "ProductName",
    "CompanyName",
];

/// Whether every field `filters` use is one `finding_counts` carries.
pub(crate) fn counted(filters: &FindingFilters) -> bool {
    filters.iter().all(|(name, _)| COUNTED.contains(&name))
}

/// The conditions of `query`'s filters AND its `also` sets, and their values.
fn all_conditions(query: &FindingQuery, now: Timestamp, dialect: Dialect) -> (String, Vec<Value>) {
    let (mut cond, mut values) = conditions_in(&query.filters, now, dialect);
    for more in &query.also {
        let (c, v) = conditions_in(more, now, dialect);
        cond = format!("({cond}) AND ({c})");
        values.extend(v);
    }
    (cond, values)
}

/// The statement counting the findings `query` selects: a sum over `finding_counts` when
/// it carries every field filtered on, else a count of the `findings` rows.
#[cfg(test)]
pub(crate) fn count_statement(query: &FindingQuery, now: Timestamp) -> (String, Vec<Value>) {
    count_statement_through(query, now, None)
}

/// [`count_statement`], reading the findings through `index` when it counts their rows.
pub(crate) fn count_statement_through(query: &FindingQuery, now: Timestamp, index: Option<&str>) -> (String, Vec<Value>) {
    count_statement_in_through(query, now, Dialect::Sqlite, index)
}

/// [`count_statement`] in `dialect` (PostgreSQL counts the `findings` rows).
pub(crate) fn count_statement_in(query: &FindingQuery, now: Timestamp, dialect: Dialect) -> (String, Vec<Value>) {
    count_statement_in_through(query, now, dialect, None)
}

fn count_statement_in_through(query: &FindingQuery, now: Timestamp, dialect: Dialect, index: Option<&str>) -> (String, Vec<Value>) {
    let (cond, values) = all_conditions(query, now, dialect);
    let text = if dialect == Dialect::Sqlite && counted(&query.filters) && query.also.iter().all(counted) {
        format!("SELECT coalesce(sum(f.n), 0) FROM finding_counts f WHERE {cond}")
    } else if let (Some(index), Dialect::Sqlite) = (index, dialect) {
        format!("SELECT count(*) FROM findings f INDEXED BY {index} WHERE {cond}")
    } else {
        format!("SELECT count(*) FROM findings f WHERE {cond}")
    };
    (text, values)
}

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    Asc,
    #[default]
    Desc,
}

impl SortOrder {
    pub fn as_str(self) -> &'static str {
        match self {
            SortOrder::Asc => "asc",
            SortOrder::Desc => "desc",
        }
    }
}

/// One sort field (`SortCriterion`): any single-valued filter field (not
/// `ComplianceSecurityControlId`, `ResourceTags` or `UserDefinedFields`). Ties are broken
/// by the finding id, in the same direction. `SeverityLabel` sorts by severity, not by
/// name. Findings without a value (no confidence, no note) sort as lowest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortCriterion {
    pub field: String,
    pub order: SortOrder,
}

impl Default for SortCriterion {
    /// Most severe first.
    fn default() -> Self {
        SortCriterion { field: "SeverityLabel".to_string(), order: SortOrder::Desc }
    }
}

impl SortCriterion {
    /// The SQL of the sort key, never NULL.
    fn key(&self) -> Result<String, QueryError> {
        self.key_in(Dialect::Sqlite)
    }

    fn key_in(&self, dialect: Dialect) -> Result<String, QueryError> {
        let f = field_named(&self.field)
            .map_err(|_| QueryError::Sort(format!("unknown sort field `{}`", crate::filter::shorten(&self.field))))?;
        if !matches!(f.kind, Kind::String | Kind::Number | Kind::Date) {
            return Err(QueryError::Sort(format!("`{}` holds several values per finding: sort by another field", f.name)));
        }
        if matches!(f.name, "SeverityLabel" | "SeverityNormalized") {
            return Ok(NORMALIZED.to_string());
        }
        let (expr, nullable) = column_in(f.name, dialect);
        Ok(match (nullable, f.kind) {
            (false, _) => expr,
            (true, Kind::Number) => format!("coalesce({expr}, -1)"),
            (true, _) => format!("coalesce({expr}, '')"),
        })
    }
}

/// The most findings one page holds, and the default (as `GetFindings`' `MaxResults`).
pub const MAX_RESULTS: usize = 100;

/// A findings query (`GetFindings`): filters, one sort criterion, a page size and the
/// token of the page to continue from.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingQuery {
    pub filters: FindingFilters,
    pub sort: SortCriterion,
    /// 1 to [`MAX_RESULTS`].
    pub max_results: usize,
    /// The `next_token` of the previous page; `None` for the first.
    pub next_token: Option<String>,
    /// More filter sets, each joined to `filters` by AND (not part of the JSON request: a
    /// way to narrow a query, such as an insight's drill-down to one group, without
    /// changing how its own filters of the same field combine).
    pub also: Vec<FindingFilters>,
}

impl Default for FindingQuery {
    fn default() -> Self {
        FindingQuery {
            filters: FindingFilters::default(),
            sort: SortCriterion::default(),
            max_results: MAX_RESULTS,
            next_token: None,
            also: Vec::new(),
        }
    }
}

impl FindingQuery {
    /// A first-page query of `filters` in the default order.
    pub fn new(filters: FindingFilters) -> FindingQuery {
        FindingQuery { filters, ..FindingQuery::default() }
    }

    /// Parses `GetFindings`' request shape: `{"Filters": {...}, "SortCriteria": [{"Field":
    /// "SeverityLabel", "SortOrder": "desc"}], "MaxResults": 100, "NextToken": "..."}`,
    /// every member optional.
    pub fn from_json(value: &Json) -> Result<FindingQuery, QueryError> {
        let Json::Object(m) = value else {
            return Err(QueryError::Json("a query must be an object".into()));
        };
        let mut q = FindingQuery::default();
        for (k, v) in m {
            match k.as_str() {
                "Filters" => q.filters = FindingFilters::from_json(v)?,
                "SortCriteria" => {
                    let Json::Array(list) = v else {
                        return Err(QueryError::Sort("SortCriteria must be a list".into()));
                    };
                    if list.len() > 1 {
                        return Err(QueryError::Sort("give at most one sort criterion (ties are broken by finding id)".into()));
                    }
                    if let Some(c) = list.first() {
                        let Json::Object(c) = c else {
                            return Err(QueryError::Sort("a sort criterion must be an object with Field and SortOrder".into()));
                        };
                        for key in c.keys() {
                            if key != "Field" && key != "SortOrder" {
                                return Err(QueryError::Sort(format!(
                                    "unknown key `{}`: use Field and SortOrder",
                                    crate::filter::shorten(key)
                                )));
                            }
                        }
                        let field = c.get("Field").and_then(Json::as_str).ok_or_else(|| QueryError::Sort("Field is missing".into()))?;
                        let order = match c.get("SortOrder").map(|o| o.as_str()) {
                            None | Some(Some("desc")) => SortOrder::Desc,
                            Some(Some("asc")) => SortOrder::Asc,
                            Some(_) => return Err(QueryError::Sort("SortOrder must be asc or desc".into())),
                        };
                        q.sort = SortCriterion { field: field.to_string(), order };
                        q.sort.key()?;
                    }
                }
                "MaxResults" => {
                    let n = v.as_i64().ok_or_else(|| QueryError::Json("MaxResults must be a whole number".into()))?;
                    if !(1..=MAX_RESULTS as i64).contains(&n) {
                        return Err(QueryError::MaxResults(n));
                    }
                    q.max_results = n as usize;
                }
                "NextToken" => match v {
                    Json::Null => {}
                    Json::String(s) => q.next_token = Some(s.clone()),
                    _ => return Err(QueryError::Token),
                },
                other => return Err(QueryError::UnknownParameter(crate::filter::shorten(other))),
            }
        }
        Ok(q)
    }

    pub fn from_json_str(text: &str) -> Result<FindingQuery, QueryError> {
        let value: Json = serde_json::from_str(text).map_err(|e| QueryError::Json(e.to_string()))?;
        FindingQuery::from_json(&value)
    }

    /// What a token is bound to: the sort and the filters.
    pub(crate) fn fingerprint(&self) -> String {
        let also: Vec<Json> = self.also.iter().map(FindingFilters::to_json).collect();
        let text = json!([self.sort.field, self.sort.order.as_str(), self.filters.to_json(), also]).to_string();
        // FNV-1a, 64 bits: stable across builds, unlike `DefaultHasher`.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in text.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        format!("{h:016x}")
    }
}

impl<'de> serde::Deserialize<'de> for FindingQuery {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Json::deserialize(d)?;
        FindingQuery::from_json(&value).map_err(serde::de::Error::custom)
    }
}

/// Where a page ended: the sort value and id of its last finding.
pub(crate) fn encode_token(fingerprint: &str, key: &Value, id: &str) -> String {
    let key = match key {
        Value::Integer(i) => json!(i),
        Value::Real(r) => json!(r),
        Value::Text(t) => json!(t),
        _ => Json::Null,
    };
    let text = json!({"q": fingerprint, "k": key, "i": id}).to_string();
    text.bytes().map(|b| format!("{b:02x}")).collect()
}

fn decode_token(token: &str, fingerprint: &str) -> Result<(Value, String), QueryError> {
    if token.len() % 2 != 0 || token.len() > 8192 {
        return Err(QueryError::Token);
    }
    let bytes: Option<Vec<u8>> =
        (0..token.len()).step_by(2).map(|i| token.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok())).collect();
    let v: Json = bytes.and_then(|b| serde_json::from_slice(&b).ok()).ok_or(QueryError::Token)?;
    if v.get("q").and_then(Json::as_str) != Some(fingerprint) {
        return Err(QueryError::Token);
    }
    let key = match v.get("k") {
        Some(Json::Number(n)) if n.is_i64() => Value::Integer(n.as_i64().unwrap_or(0)),
        Some(Json::Number(n)) => Value::Real(n.as_f64().ok_or(QueryError::Token)?),
        Some(Json::String(s)) => Value::Text(s.clone()),
        _ => return Err(QueryError::Token),
    };
    let id = v.get("i").and_then(Json::as_str).ok_or(QueryError::Token)?.to_string();
    Ok((key, id))
}

/// A finding's verification state (`VerificationState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VerificationState {
    #[default]
    Unknown,
    TruePositive,
    FalsePositive,
    BenignPositive,
}

impl VerificationState {
    pub const ALL: [VerificationState; 4] =
        [VerificationState::Unknown, VerificationState::TruePositive, VerificationState::FalsePositive, VerificationState::BenignPositive];

    pub fn as_str(self) -> &'static str {
        match self {
            VerificationState::Unknown => "UNKNOWN",
            VerificationState::TruePositive => "TRUE_POSITIVE",
            VerificationState::FalsePositive => "FALSE_POSITIVE",
            VerificationState::BenignPositive => "BENIGN_POSITIVE",
        }
    }

    pub fn parse(s: &str) -> Option<VerificationState> {
        VerificationState::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// A person's note on a finding (`Note`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Note {
    pub text: String,
    pub updated_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: Timestamp,
}

/// A finding as the hub holds it: the finding (its `severity` the effective one, a
/// person's override if any) and what people set on it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FindingRecord {
    pub finding: Finding,
    /// The check's own severity (the finding's `severity` unless overridden).
    pub check_severity: Severity,
    /// The severity label a person set, overriding the check's.
    pub severity_override: Option<Severity>,
    pub confidence: Option<u8>,
    pub criticality: Option<u8>,
    pub verification_state: VerificationState,
    pub user_defined_fields: BTreeMap<String, String>,
    pub note: Option<Note>,
    /// The resource's tags as last recorded ([`Store::set_resource_tags`]).
    pub resource_tags: BTreeMap<String, String>,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: Timestamp,
    /// Where a finding imported from another tool comes from; `None` for rampart's own.
    /// For an imported finding, `finding.id` is the store's key, `finding.check_id` its
    /// `GeneratorId`, and `finding.status` is not meaningful: read `compliance_status`.
    pub imported: Option<ImportedOrigin>,
}

/// The product and identity of a finding imported from another tool.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImportedOrigin {
    pub product_arn: String,
    pub product_name: String,
    pub company_name: String,
    /// The finding's own `Id`, unique per product.
    pub id: String,
    /// `Compliance.Status`, when the finding has one.
    pub compliance_status: Option<rampart_model::Status>,
}

/// One page of a findings query.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingsPage {
    pub findings: Vec<FindingRecord>,
    /// The token of the next page; `None` on the last one.
    pub next_token: Option<String>,
}

/// The columns of a [`FindingRecord`] after `CURRENT_COLUMNS` (24 of them).
pub(crate) const RECORD_COLUMNS: &str = "f.severity, f.severity_label, f.confidence, f.criticality, f.verification_state, \
     f.user_defined_fields, f.note_text, f.note_updated_by, f.note_updated_at, f.updated_at, \
     f.product_arn, f.product_name, f.company_name, f.external_id, f.compliance_status";

/// The index of the sort key after `CURRENT_COLUMNS` and `RECORD_COLUMNS`.
pub(crate) const KEY_COLUMN: usize = 39;

pub(crate) fn record_from_row<R: Cells + ?Sized>(row: &R, path: &std::path::Path) -> Result<FindingRecord, StoreError> {
    let bad = corrupt(path);
    let finding = finding_from_row(row, path)?;
    let text = |i: usize| row.text(i, path);
    let percent = |i: usize| -> Result<Option<u8>, StoreError> {
        row.int(i, path)?.map(|v| u8::try_from(v).map_err(|_| bad(("percentage", v.to_string())))).transpose()
    };
    let check_severity = codec::severity_from_text(&text(24)?.unwrap_or_default()).map_err(&bad)?;
    let severity_override = text(25)?.map(|s| codec::severity_from_text(&s)).transpose().map_err(&bad)?;
    let verification = text(28)?.unwrap_or_default();
    let verification_state = VerificationState::parse(&verification).ok_or_else(|| bad(("verification state", verification)))?;
    let udf = text(29)?.unwrap_or_else(|| "{}".into());
    let user_defined_fields: BTreeMap<String, String> = serde_json::from_str(&udf).map_err(|_| bad(("user-defined fields", udf)))?;
    let note = match (text(30)?, text(31)?, text(32)?) {
        (Some(text), Some(by), Some(at)) => Some(Note { text, updated_by: by, updated_at: codec::time_from_text(&at).map_err(&bad)? }),
        _ => None,
    };
    let updated_at = codec::time_from_text(&text(33)?.unwrap_or_default()).map_err(&bad)?;
    let imported = match (text(34)?, text(35)?, text(36)?, text(37)?) {
        (Some(product_arn), name, company, Some(id)) => Some(ImportedOrigin {
            product_arn,
            product_name: name.unwrap_or_default(),
            company_name: company.unwrap_or_default(),
            id,
            compliance_status: text(38)?.map(|s| codec::status_from_text(&s)).transpose().map_err(&bad)?,
        }),
        _ => None,
    };
    Ok(FindingRecord {
        finding,
        check_severity,
        severity_override,
        confidence: percent(26)?,
        criticality: percent(27)?,
        verification_state,
        user_defined_fields,
        note,
        resource_tags: BTreeMap::new(),
        updated_at,
        imported,
    })
}

/// The statement of one page of `query` (one finding more than the page holds, to tell
/// whether another follows), the sort key its last column.
///
/// `index`: read the findings through it (see [`Store::get_findings`]).
#[cfg(test)]
pub(crate) fn page_statement(
    query: &FindingQuery,
    fingerprint: &str,
    index: Option<&str>,
    now: Timestamp,
) -> Result<(String, Vec<Value>), StoreError> {
    page_statement_within(query, fingerprint, index, None, now)
}

/// [`page_statement`], the sort key also between `range`'s bounds (inclusive: the first
/// and last sort values that have matches, [`Store::key_range`]).
pub(crate) fn page_statement_within(
    query: &FindingQuery,
    fingerprint: &str,
    index: Option<&str>,
    range: Option<(Value, Value)>,
    now: Timestamp,
) -> Result<(String, Vec<Value>), StoreError> {
    page_statement_through(query, fingerprint, index, range, now, Dialect::Sqlite)
}

/// [`page_statement`] in `dialect` (`in_order` names the SQLite index of the sort,
/// [`sort_index`]: PostgreSQL's planner, with statistics, chooses).
pub(crate) fn page_statement_in(
    query: &FindingQuery,
    fingerprint: &str,
    in_order: bool,
    now: Timestamp,
    dialect: Dialect,
) -> Result<(String, Vec<Value>), StoreError> {
    let index = if in_order && dialect == Dialect::Sqlite { sort_index(&query.sort.field) } else { None };
    page_statement_through(query, fingerprint, index, None, now, dialect)
}

fn page_statement_through(
    query: &FindingQuery,
    fingerprint: &str,
    index: Option<&str>,
    range: Option<(Value, Value)>,
    now: Timestamp,
    dialect: Dialect,
) -> Result<(String, Vec<Value>), StoreError> {
    let from = match index {
        Some(index) if dialect == Dialect::Sqlite => format!("findings f INDEXED BY {index}"),
        _ => "findings f".to_string(),
    };
    let key = query.sort.key_in(dialect)?;
    let (mut cond, mut values) = all_conditions(query, now, dialect);
    if let Some((low, high)) = range {
        cond = format!("({cond}) AND {key} >= ? AND {key} <= ?");
        values.push(low);
        values.push(high);
    }
    let (cmp, dir) = match query.sort.order {
        SortOrder::Asc => (">", "ASC"),
        SortOrder::Desc => ("<", "DESC"),
    };
    if let Some(token) = &query.next_token {
        let (last_key, last_id) = decode_token(token, fingerprint)?;
        cond = format!("({cond}) AND ({key}, f.id) {cmp} (?, ?)");
        values.push(last_key);
        values.push(Value::Text(last_id));
    }
    values.push(Value::Integer(query.max_results as i64 + 1));
    let text =
        format!("SELECT {CURRENT_COLUMNS}, {RECORD_COLUMNS}, {key} FROM {from} WHERE {cond} ORDER BY {key} {dir}, f.id {dir} LIMIT ?");
    Ok((text, values))
}

/// The index that holds the findings in the order of a sort field, the id breaking ties
/// (the console's sorts: `SORTS` of the server's API): a page in that order reads it in
/// order and stops when the page is full. `findings_resource` holds a resource's few
/// findings in another order: they are sorted by id, a resource at a time.
pub(crate) fn sort_index(field: &str) -> Option<&'static str> {
    Some(match field {
        "SeverityLabel" | "SeverityNormalized" => "findings_severity_order",
        "LastObservedAt" => "findings_last_observed",
        "Title" => "findings_title",
        "AwsAccountId" => "findings_account",
        "WorkflowStatus" => "findings_workflow",
        "ResourceId" => "findings_resource",
        _ => return None,
    })
}

impl Store {
    /// One page of the findings `query` selects, in its order (see the module
    /// documentation for pagination). `now` is the time "last N days" counts back from.
    pub fn get_findings(&self, query: &FindingQuery, now: Timestamp) -> Result<FindingsPage, StoreError> {
        if let crate::sql::Db::Postgres(pg) = &self.db {
            return pg.get_findings(query, now);
        }
        if !(1..=MAX_RESULTS).contains(&query.max_results) {
            return Err(QueryError::MaxResults(query.max_results as i64).into());
        }
        let fingerprint = query.fingerprint();
        // In the default order and the console's others, an index holds the findings
        // sorted: a page reads them in that order until it has enough, as long as matches
        // are not rare. Left to itself, without statistics, SQLite prefers an index on a
        // filtered column (the account, the resource type) and sorts every match: 1.7 s
        // for a quarter of 1M findings. When the filters are known to match at least one
        // finding in 20 without reading them ([`Store::matches_at_least`]; a page then
        // reads about 2,000 index entries at most), the sort's index is named; else
        // (rarer matches, or filters that cannot be counted cheaply) the planner chooses.
        let in_order = match sort_index(&query.sort.field).and(self.matches_at_least(query, now)?) {
            Some(n) => n * 20 >= self.count_query(&FindingQuery::default(), now)?,
            None => false,
        };
        let index = match sort_index(&query.sort.field) {
            Some(index) if in_order => Some(index),
            _ => self.narrow_index(query, now)?,
        };
        // A sort on a field `finding_counts` carries starts at the first value with
        // matches and stops after the last (else a page would first read every finding
        // of the values that have none: all RESOLVED ones, by workflow, when the filters
        // ask for FAILED).
        let range = if in_order { self.key_range(query, now)? } else { None };
        let (text, values) = page_statement_within(query, &fingerprint, index, range, now)?;
        let err = sql(&self.path);
        let mut stmt = self.lite()?.prepare_cached(&text).map_err(&err)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(values)).map_err(&err)?;
        let mut items: Vec<(FindingRecord, Value)> = Vec::new();
        while let Some(row) = rows.next().map_err(&err)? {
            items.push((record_from_row(row, &self.path)?, row.get::<_, Value>(KEY_COLUMN).map_err(&err)?));
        }
        drop(rows);
        drop(stmt);
        let more = items.len() > query.max_results;
        items.truncate(query.max_results);
        let next_token = match items.last() {
            Some((last, key)) if more => Some(encode_token(&fingerprint, key, &last.finding.id)),
            _ => None,
        };
        let mut findings: Vec<FindingRecord> = items.into_iter().map(|(r, _)| r).collect();
        self.attach_tags(&mut findings)?;
        Ok(FindingsPage { findings, next_token })
    }

    /// For a sort by a field `finding_counts` carries as a column (the workflow status,
    /// the account), when the filters can be counted: the first and last sort values
    /// among the matches (`None` when nothing matches or for another sort).
    pub(crate) fn key_range(&self, query: &FindingQuery, now: Timestamp) -> Result<Option<(Value, Value)>, StoreError> {
        let key = match query.sort.field.as_str() {
            "WorkflowStatus" => "f.workflow_status",
            "AwsAccountId" => "f.account",
            _ => return Ok(None),
        };
        if !(counted(&query.filters) && query.also.iter().all(counted)) {
            return Ok(None);
        }
        let (cond, values) = all_conditions(query, now, Dialect::Sqlite);
        let (low, high): (Value, Value) = self
            .lite()?
            .prepare_cached(&format!("SELECT min({key}), max({key}) FROM finding_counts f WHERE {cond}"))
            .and_then(|mut stmt| stmt.query_row(rusqlite::params_from_iter(values), |r| Ok((r.get(0)?, r.get(1)?))))
            .map_err(sql(&self.path))?;
        Ok(match (low, high) {
            (Value::Null, _) | (_, Value::Null) => None,
            range => Some(range),
        })
    }

    /// At least how many findings `query` selects, when that can be told without reading
    /// them: exactly when every field is one `finding_counts` carries; with Title filters
    /// or Description filters too, that count less the findings whose title or
    /// description fails them (`finding_titles` and `finding_descriptions` hold each
    /// one's number of findings). `None` for other fields.
    pub(crate) fn matches_at_least(&self, query: &FindingQuery, now: Timestamp) -> Result<Option<u64>, StoreError> {
        let mut bound = FindingQuery::default();
        let mut failing = 0u64;
        for (i, filters) in std::iter::once(&query.filters).chain(&query.also).enumerate() {
            let mut countable = FindingFilters::default();
            for (name, ff) in filters.iter() {
                match ff {
                    FieldFilters::String(fs) if name == "Title" => {
                        let refs: Vec<&StringFilter> = fs.iter().collect();
                        let mut values = Vec::new();
                        let group = string_group(&Target::Column("t.title"), &refs, &mut values, Dialect::Sqlite);
                        let n: i64 = self
                            .lite()?
                            .prepare_cached(&format!("SELECT coalesce(sum(t.n), 0) FROM finding_titles t WHERE NOT coalesce({group}, 0)"))
                            .and_then(|mut stmt| stmt.query_row(rusqlite::params_from_iter(values), |r| r.get(0)))
                            .map_err(sql(&self.path))?;
                        failing += u64::try_from(n).unwrap_or(0);
                    }
                    FieldFilters::String(fs) if name == "Description" => {
                        // Likewise: `finding_descriptions` holds each description's number.
                        let refs: Vec<&StringFilter> = fs.iter().collect();
                        let mut values = Vec::new();
                        let group = string_group(&Target::Column("d.description"), &refs, &mut values, Dialect::Sqlite);
                        let n: i64 = self
                            .lite()?
                            .prepare_cached(&format!(
                                "SELECT coalesce(sum(d.n), 0) FROM finding_descriptions d WHERE NOT coalesce({group}, 0)"
                            ))
                            .and_then(|mut stmt| stmt.query_row(rusqlite::params_from_iter(values), |r| r.get(0)))
                            .map_err(sql(&self.path))?;
                        failing += u64::try_from(n).unwrap_or(0);
                    }
                    _ if COUNTED.contains(&name) => countable.set(name, ff.clone())?,
                    _ => return Ok(None),
                }
            }
            if i == 0 {
                bound.filters = countable;
            } else {
                bound.also.push(countable);
            }
        }
        Ok(Some(self.count_query(&bound, now)?.saturating_sub(failing)))
    }

    /// The index through which the findings of a rare free-text `CONTAINS` are found,
    /// when it reads fewer than one finding in 20 (told without reading the findings):
    /// `findings_title` for Title (`finding_titles` holds the number of findings of each
    /// title, exactly), `findings_check` for Description (the findings of the checks
    /// that `finding_descriptions` pairs with a matching description), `findings_note`
    /// for NoteText (the noted findings whose note matches; only noted findings are in
    /// it). The one reading fewest wins. Without statistics SQLite would rather read
    /// every finding of an account (a quarter of them, 0.3 s over 1M findings) through
    /// its index, or every finding.
    pub(crate) fn narrow_index(&self, query: &FindingQuery, now: Timestamp) -> Result<Option<&'static str>, StoreError> {
        let mut fewest: Option<(i64, &'static str)> = None;
        for filters in std::iter::once(&query.filters).chain(&query.also) {
            for (field, text, index) in [
                ("Title", "SELECT coalesce(sum(t.n), 0) FROM finding_titles t WHERE {}", "findings_title"),
                (
                    "Description",
                    "SELECT coalesce(sum(c.n), 0) FROM finding_descriptions c
                     WHERE c.check_id IN (SELECT d.check_id FROM finding_descriptions d WHERE {})",
                    "findings_check",
                ),
                (
                    "NoteText",
                    "SELECT count(*) FROM findings f INDEXED BY findings_note WHERE f.note_text IS NOT NULL AND {}",
                    "findings_note",
                ),
            ] {
                let Some(FieldFilters::String(fs)) = filters.get(field) else { continue };
                if !fs.iter().all(|f| f.comparison == StringComparison::Contains) {
                    continue;
                }
                let refs: Vec<&StringFilter> = fs.iter().collect();
                let mut values = Vec::new();
                let target = match field {
                    "Title" => "t.title",
                    "Description" => "d.description",
                    _ => "f.note_text",
                };
                let group = string_group(&Target::Column(target), &refs, &mut values, Dialect::Sqlite);
                let n: i64 = self
                    .lite()?
                    .prepare_cached(&text.replace("{}", &group))
                    .and_then(|mut stmt| stmt.query_row(rusqlite::params_from_iter(values), |r| r.get(0)))
                    .map_err(sql(&self.path))?;
                if fewest.is_none_or(|(m, _)| n < m) {
                    fewest = Some((n, index));
                }
            }
        }
        let Some((n, index)) = fewest else { return Ok(None) };
        let total = self.count_query_through(&FindingQuery::default(), now, None)?;
        Ok((u64::try_from(n).unwrap_or(0) * 20 < total).then_some(index))
    }

    /// How many findings `filters` select.
    pub fn count_matching(&self, filters: &FindingFilters, now: Timestamp) -> Result<u64, StoreError> {
        self.count_query(&FindingQuery::new(filters.clone()), now)
    }

    /// How many findings `query` selects: its filters AND each of its `also` sets (the
    /// total of every page of [`Store::get_findings`]; sort, size and token play no part).
    pub fn count_query(&self, query: &FindingQuery, now: Timestamp) -> Result<u64, StoreError> {
        if let crate::sql::Db::Postgres(pg) = &self.db {
            return pg.count_query(query, now);
        }
        // Description CONTAINS alone: `finding_descriptions` holds the number of findings
        // of each description, exactly.
        if let ([("Description", FieldFilters::String(fs))], true) =
            (query.filters.iter().collect::<Vec<_>>().as_slice(), query.also.is_empty())
        {
            if fs.iter().all(|f| f.comparison == StringComparison::Contains) {
                let refs: Vec<&StringFilter> = fs.iter().collect();
                let mut values = Vec::new();
                let group = string_group(&Target::Column("d.description"), &refs, &mut values, Dialect::Sqlite);
                let n: i64 = self
                    .lite()?
                    .prepare_cached(&format!("SELECT coalesce(sum(d.n), 0) FROM finding_descriptions d WHERE {group}"))
                    .and_then(|mut stmt| stmt.query_row(rusqlite::params_from_iter(values), |r| r.get(0)))
                    .map_err(sql(&self.path))?;
                return Ok(u64::try_from(n).unwrap_or(0));
            }
        }
        // A Title or Description filter that every distinct title or description passes
        // selects nothing less: it is left out (the rest may then be counted from
        // `finding_counts`); one that none passes selects nothing.
        let mut query = query.clone();
        for filters in std::iter::once(&mut query.filters).chain(query.also.iter_mut()) {
            for (field, table, target) in
                [("Title", "finding_titles t", "t.title"), ("Description", "finding_descriptions t", "t.description")]
            {
                let Some(FieldFilters::String(fs)) = filters.get(field) else { continue };
                let refs: Vec<&StringFilter> = fs.iter().collect();
                let mut values = Vec::new();
                let group = string_group(&Target::Column(target), &refs, &mut values, Dialect::Sqlite);
                let (pass, fail): (i64, i64) = self
                    .lite()?
                    .prepare_cached(&format!(
                        "SELECT coalesce(sum(t.n) FILTER (WHERE coalesce({group}, 0)), 0),
                                coalesce(sum(t.n) FILTER (WHERE NOT coalesce({group}, 0)), 0) FROM {table}"
                    ))
                    .and_then(|mut stmt| {
                        let twice = values.iter().chain(values.iter());
                        stmt.query_row(rusqlite::params_from_iter(twice), |r| Ok((r.get(0)?, r.get(1)?)))
                    })
                    .map_err(sql(&self.path))?;
                if pass == 0 {
                    return Ok(0);
                }
                if fail == 0 {
                    filters.set(field, FieldFilters::String(Vec::new()))?;
                }
            }
        }
        let index = self.narrow_index(&query, now)?;
        self.count_query_through(&query, now, index)
    }

    /// [`Store::count_query`] through `index` (`None`: the planner chooses).
    fn count_query_through(&self, query: &FindingQuery, now: Timestamp, index: Option<&str>) -> Result<u64, StoreError> {
        let (text, values) = count_statement_through(query, now, index);
        let n: i64 = self
            .lite()?
            .prepare_cached(&text)
            .and_then(|mut stmt| stmt.query_row(rusqlite::params_from_iter(values), |r| r.get(0)))
            .map_err(sql(&self.path))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// One finding with what people set on it; [`StoreError::UnknownFinding`] if there is none.
    pub fn finding_record(&self, id: &str) -> Result<FindingRecord, StoreError> {
        if let crate::sql::Db::Postgres(pg) = &self.db {
            return pg.finding_record(id);
        }
        let err = sql(&self.path);
        let mut stmt = self
            .lite()?
            .prepare_cached(&format!("SELECT {CURRENT_COLUMNS}, {RECORD_COLUMNS} FROM findings f WHERE f.id = ?1"))
            .map_err(&err)?;
        let mut rows = stmt.query([id]).map_err(&err)?;
        let Some(row) = rows.next().map_err(&err)? else {
            return Err(StoreError::UnknownFinding(id.to_string()));
        };
        let mut records = vec![record_from_row(row, &self.path)?];
        drop(rows);
        drop(stmt);
        self.attach_tags(&mut records)?;
        Ok(records.remove(0))
    }

    /// Replaces the tags of each resource given (a resource given with no tags has none
    /// afterwards); resources not given keep theirs. What `ResourceTags` filters match.
    pub fn set_resource_tags<'a>(
        &mut self,
        tags: impl IntoIterator<Item = (&'a str, &'a BTreeMap<String, String>)>,
    ) -> Result<(), StoreError> {
        if let crate::sql::Db::Postgres(pg) = &mut self.db {
            return pg.set_resource_tags(tags);
        }
        let err = sql(&self.path);
        let tx = crate::sql::lite_mut(&mut self.db)?.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(&err)?;
        write_resource_tags(&tx, &self.path, tags)?;
        tx.commit().map_err(&err)
    }

    fn attach_tags(&self, records: &mut [FindingRecord]) -> Result<(), StoreError> {
        if records.is_empty() {
            return Ok(());
        }
        let err = sql(&self.path);
        let ids: Vec<String> = records.iter().map(|r| r.finding.resource.id.clone()).collect();
        let mut stmt = self
            .lite()?
            .prepare_cached("SELECT resource_id, key, value FROM resource_tags WHERE resource_id IN (SELECT value FROM json_each(?1))")
            .map_err(&err)?;
        let mut rows = stmt.query([codec::strings_to_json(&ids)]).map_err(&err)?;
        let mut by_resource: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        while let Some(row) = rows.next().map_err(&err)? {
            let (r, k, v): (String, String, String) = (row.get(0).map_err(&err)?, row.get(1).map_err(&err)?, row.get(2).map_err(&err)?);
            by_resource.entry(r).or_default().insert(k, v);
        }
        for rec in records {
            if let Some(tags) = by_resource.get(&rec.finding.resource.id) {
                rec.resource_tags = tags.clone();
            }
        }
        Ok(())
    }
}

/// [`Store::set_resource_tags`] inside the caller's transaction.
pub(crate) fn write_resource_tags<'a>(
    tx: &rusqlite::Transaction<'_>,
    path: &std::path::Path,
    tags: impl IntoIterator<Item = (&'a str, &'a BTreeMap<String, String>)>,
) -> Result<(), StoreError> {
    let err = sql(path);
    let mut delete = tx.prepare_cached("DELETE FROM resource_tags WHERE resource_id = ?1").map_err(&err)?;
    let mut insert = tx.prepare_cached("INSERT INTO resource_tags (resource_id, key, value) VALUES (?1, ?2, ?3)").map_err(&err)?;
    for (resource, map) in tags {
        delete.execute([resource]).map_err(&err)?;
        for (k, v) in map {
            insert.execute(rusqlite::params![resource, k, v]).map_err(&err)?;
        }
    }
    Ok(())
}
