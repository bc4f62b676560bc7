//! Findings from other tools: ASFF (AWS Security Finding Format, what Security Hub's
//! `BatchImportFindings` accepts and what Prowler, Trivy and Rampart itself write) and
//! OCSF finding events (Compliance Finding 2003, Vulnerability Finding 2002, Detection
//! Finding 2004), read into one model, [`ImportedFinding`].
//!
//! Pure: bytes in, findings and per-finding errors out; no I/O, no store. The store
//! (`rampart-hub`) keeps them, deduplicated by (product ARN, finding id) as Security Hub
//! does.
//!
//! A document is either a `BatchImportFindings` request (`{"Findings": [...]}`), a plain
//! JSON array of findings (Prowler's `.asff.json`, Rampart's `--format asff`), or one
//! finding. A document that is not JSON, or not one of these shapes, is a
//! [`DocumentError`]; inside a good document each finding is read on its own, and a bad
//! one becomes a [`FindingError`] with an error code and message, as `BatchImportFindings`
//! answers in `FailedFindings`. Every finding keeps its original JSON
//! ([`ImportedFinding::document`]), so nothing the model has no field for is lost.

mod asff;
pub mod aws;
mod ocsf;
mod vuln;

use rampart_model::{RecordState, Severity, Status, Timestamp, WorkflowStatus};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

pub use asff::parse_finding as parse_asff_finding;
pub use ocsf::parse_event as parse_ocsf_event;

/// `BatchImportFindings` takes at most this many findings per call; more and the whole
/// call is refused.
pub const MAX_FINDINGS_PER_CALL: usize = 100;
/// The largest finding Security Hub accepts: 240 KB of JSON.
pub const MAX_FINDING_BYTES: usize = 240 * 1024;

/// The error code of a finding that does not follow the format (AWS's code for a finding
/// that does not adhere to ASFF).
pub const INVALID_INPUT: &str = "InvalidInput";
/// The error code of a finding larger than [`MAX_FINDING_BYTES`].
pub const FINDING_TOO_LARGE: &str = "FindingSizeExceeded";

/// The format of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Asff,
    Ocsf,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Asff => "asff",
            Format::Ocsf => "ocsf",
        }
    }
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "asff" => Some(Format::Asff),
            "ocsf" => Some(Format::Ocsf),
            _ => None,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding from another tool, as Security Hub keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedFinding {
    pub format: Format,
    /// The provider's id of the finding (ASFF `Id`, OCSF `finding_info.uid`); unique
    /// within its product.
    pub id: String,
    /// ASFF `ProductArn`; for OCSF, the ARN of the product `metadata.product` names
    /// (`arn:<partition>:securityhub:<region>::product/<vendor>/<product>`, lower-cased).
    pub product_arn: String,
    pub product_name: String,
    pub company_name: String,
    pub generator_id: String,
    pub aws_account_id: String,
    /// ASFF `Region` (else the first resource's region).
    pub region: String,
    pub types: Vec<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub first_observed_at: Option<Timestamp>,
    pub last_observed_at: Option<Timestamp>,
    pub severity: Severity,
    /// `Severity.Normalized` as given, else derived from the label (0, 1, 40, 70, 90).
    pub severity_normalized: u8,
    pub severity_original: Option<String>,
    pub title: String,
    pub description: String,
    /// `None`: the finding has no compliance status (a threat detection, say).
    pub compliance_status: Option<Status>,
    pub related_requirements: Vec<String>,
    /// `None`: the provider did not set it (a new finding starts NEW).
    pub workflow_status: Option<WorkflowStatus>,
    /// `None`: the provider did not set it (ACTIVE).
    pub record_state: Option<RecordState>,
    pub confidence: Option<u8>,
    pub criticality: Option<u8>,
    pub resources: Vec<ImportedResource>,
    pub remediation_text: Option<String>,
    pub remediation_url: Option<String>,
    /// ASFF `Vulnerabilities` / OCSF `vulnerabilities`, as given.
    pub vulnerabilities: Vec<Value>,
    pub product_fields: BTreeMap<String, String>,
    pub user_defined_fields: BTreeMap<String, String>,
    pub source_url: Option<String>,
    /// The finding as the file held it.
    pub document: Value,
}

impl ImportedFinding {
    /// The resource the store files the finding under: the first (ASFF requires one).
    pub fn primary_resource(&self) -> &ImportedResource {
        &self.resources[0]
    }

    /// The first vulnerability as Rampart's model holds one (ASFF `Vulnerabilities[0]`
    /// or OCSF `vulnerabilities[0]`); `None` when there is none or it names no id.
    pub fn vulnerability(&self) -> Option<rampart_model::Vulnerability> {
        let v = self.vulnerabilities.first()?;
        match self.format {
            Format::Asff => vuln::from_asff(v),
            Format::Ocsf => vuln::from_ocsf(v),
        }
    }
}

/// One resource of a finding.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedResource {
    /// ASFF resource type (`AwsS3Bucket`, `Other`, ...), as given.
    pub kind: String,
    pub id: String,
    pub partition: String,
    pub region: String,
    /// A friendly name where the format has one (OCSF `name`); empty otherwise.
    pub name: String,
    pub tags: BTreeMap<String, String>,
    /// ASFF `Details` / OCSF `data`, as given.
    pub details: Option<Value>,
}

/// A finding that could not be imported: `BatchImportFindings`'s `ImportFindingsError`
/// plus where it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingError {
    /// Position in the document's list of findings, from 0.
    pub index: usize,
    /// The finding's id, or `#<index>` when it has none.
    pub id: String,
    pub code: &'static str,
    pub message: String,
}

impl fmt::Display for FindingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "finding {} ({}): {}: {}", self.index, self.id, self.code, self.message)
    }
}

/// A document that holds no findings to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentError {
    /// Not JSON: where it stops being JSON.
    NotJson { line: usize, column: usize, message: String },
    /// JSON, but not a finding, a list of findings or `{"Findings": [...]}`.
    Shape(String),
    /// `--format auto` could not tell ASFF from OCSF.
    UnknownFormat,
}

impl fmt::Display for DocumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocumentError::NotJson { line, column, message } => {
                write!(f, "not JSON (line {line}, column {column}: {message}); expected ASFF or OCSF findings")
            }
            DocumentError::Shape(s) => f.write_str(s),
            DocumentError::UnknownFormat => f.write_str(
                "neither ASFF (findings with SchemaVersion and ProductArn) nor OCSF (events with class_uid); name the format with --format",
            ),
        }
    }
}

impl std::error::Error for DocumentError {}

/// What a document holds: each finding read, or why not.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub format: Format,
    pub findings: Vec<Result<ImportedFinding, FindingError>>,
}

/// Reads a document of findings. `format` `None` tells ASFF from OCSF by the first
/// finding's keys.
pub fn parse_document(bytes: &[u8], format: Option<Format>) -> Result<Parsed, DocumentError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| DocumentError::NotJson {
        line: e.line(),
        column: e.column(),
        message: e.to_string().split(" at line").next().unwrap_or_default().to_string(),
    })?;
    let items = findings_of(value)?;
    let format = match format {
        Some(f) => f,
        None => items.first().map(detect).unwrap_or(Some(Format::Asff)).ok_or(DocumentError::UnknownFormat)?,
    };
    let findings = parse_values(items, format);
    Ok(Parsed { format, findings })
}

/// Reads findings already split into values (a `BatchImportFindings` request's
/// `Findings`): each on its own.
pub fn parse_values(items: Vec<Value>, format: Format) -> Vec<Result<ImportedFinding, FindingError>> {
    items
        .into_iter()
        .enumerate()
        .map(|(index, v)| match format {
            Format::Asff => asff::parse_finding(v, index),
            Format::Ocsf => ocsf::parse_event(v, index),
        })
        .collect()
}

/// The findings a document holds: the elements of an array, a request's `Findings`, or
/// the one finding an object is.
pub fn findings_of(value: Value) -> Result<Vec<Value>, DocumentError> {
    match value {
        Value::Array(items) => Ok(items),
        Value::Object(mut map) => match map.remove("Findings") {
            Some(Value::Array(items)) => Ok(items),
            Some(_) => Err(DocumentError::Shape("\"Findings\" is not a list of findings".into())),
            None => Ok(vec![Value::Object(map)]),
        },
        _ => Err(DocumentError::Shape("expected a list of findings, {\"Findings\": [...]} or one finding object".into())),
    }
}

/// ASFF or OCSF, from one finding's keys.
pub fn detect(v: &Value) -> Option<Format> {
    let o = v.as_object()?;
    if o.contains_key("SchemaVersion") || o.contains_key("ProductArn") {
        Some(Format::Asff)
    } else if o.contains_key("class_uid") || o.contains_key("finding_info") {
        Some(Format::Ocsf)
    } else {
        None
    }
}

/// `Severity.Label` from `Severity.Normalized`, as Security Hub derives it.
pub fn label_from_normalized(n: u8) -> Severity {
    match n {
        0 => Severity::Informational,
        1..=39 => Severity::Low,
        40..=69 => Severity::Medium,
        70..=89 => Severity::High,
        _ => Severity::Critical,
    }
}

// ---- shared helpers of the two readers ----

/// A finding being read: its JSON object and where to say what is wrong.
pub(crate) struct Reader<'a> {
    pub obj: &'a Map<String, Value>,
    pub index: usize,
    pub id: String,
}

pub(crate) type Res<T> = Result<T, FindingError>;

impl<'a> Reader<'a> {
    pub fn fail(&self, message: impl Into<String>) -> FindingError {
        FindingError { index: self.index, id: self.id.clone(), code: INVALID_INPUT, message: message.into() }
    }
}

pub(crate) fn id_or_index(id: Option<&str>, index: usize) -> String {
    match id {
        Some(s) if !s.trim().is_empty() => s.to_string(),
        _ => format!("#{index}"),
    }
}

/// Refuses a finding over the size limit (its JSON as serialized compactly).
pub(crate) fn check_size(v: &Value, index: usize, id: &str) -> Res<()> {
    let size = serde_json::to_vec(v).map(|b| b.len()).unwrap_or(usize::MAX);
    if size > MAX_FINDING_BYTES {
        return Err(FindingError {
            index,
            id: id.to_string(),
            code: FINDING_TOO_LARGE,
            message: format!("finding is {size} bytes; the limit is {MAX_FINDING_BYTES} (240 KB)"),
        });
    }
    Ok(())
}

pub(crate) fn parse_time(s: &str) -> Option<Timestamp> {
    use time::format_description::well_known::Rfc3339;
    Timestamp::parse(s, &Rfc3339).ok().map(|t| t.to_offset(time::UtcOffset::UTC))
}

pub(crate) fn severity_from_label(s: &str) -> Option<Severity> {
    Some(match s {
        "INFORMATIONAL" => Severity::Informational,
        "LOW" => Severity::Low,
        "MEDIUM" => Severity::Medium,
        "HIGH" => Severity::High,
        "CRITICAL" => Severity::Critical,
        _ => return None,
    })
}
