//! Findings from other tools into the store, with Security Hub's `BatchImportFindings`
//! semantics: ASFF or OCSF read by `rampart-import-findings`, stored by
//! [`Store::import_findings`] (deduplicated by product ARN and finding id).
//!
//! Two calls:
//! - [`batch_import_findings`]: one request (`{"Findings": [...]}` or a list), at most
//!   100 findings, answered as AWS answers (`SuccessCount`, `FailedCount`,
//!   `FailedFindings` with `Id`, `ErrorCode`, `ErrorMessage`). What the server's
//!   `POST /api/v1/findings/import` calls.
//! - [`import_files`]: files of any size (Prowler's `.asff.json`, Rampart's own output),
//!   sent to the store in batches of 100; every file is read and parsed before anything
//!   is stored, so a file that is not JSON stores nothing.

use rampart_hub::{ImportFailure, ImportedFinding as StoreFinding, Store};
use rampart_import_findings::{self as parse, DocumentError, FindingError, ImportedFinding};
use rampart_model::{RecordState, Resource, ResourceType, Timestamp};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

pub use parse::{Format, MAX_FINDINGS_PER_CALL, MAX_FINDING_BYTES};

/// Why an import was refused as a whole.
#[derive(Debug)]
pub enum ImportError {
    /// The request is not JSON, or not findings.
    Document(DocumentError),
    /// More than 100 findings (or none) in one `BatchImportFindings` call.
    TooMany(usize),
    /// A file could not be read or parsed: its path and why.
    File {
        path: PathBuf,
        why: String,
    },
    Store(rampart_hub::StoreError),
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::Document(e) => write!(f, "{e}"),
            ImportError::TooMany(n) => write!(
                f,
                "a BatchImportFindings request holds 1 to {MAX_FINDINGS_PER_CALL} findings, not {n}: send them in batches of {MAX_FINDINGS_PER_CALL}"
            ),
            ImportError::File { path, why } => write!(f, "{}: {why}", path.display()),
            ImportError::Store(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ImportError {}

impl From<rampart_hub::StoreError> for ImportError {
    fn from(e: rampart_hub::StoreError) -> Self {
        ImportError::Store(e)
    }
}

/// One finding not imported: where it was and AWS's error code and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    /// Position in its request or file, from 0.
    pub index: usize,
    pub id: String,
    pub code: String,
    pub message: String,
}

/// The answer to one import (`BatchImportFindings`' response).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportAnswer {
    pub success_count: usize,
    pub failed: Vec<Failed>,
}

impl ImportAnswer {
    pub fn failed_count(&self) -> usize {
        self.failed.len()
    }

    /// AWS's response body: `{"FailedCount", "SuccessCount", "FailedFindings": [{"Id", "ErrorCode", "ErrorMessage"}]}`.
    pub fn to_json(&self) -> Value {
        json!({
            "FailedCount": self.failed.len(),
            "SuccessCount": self.success_count,
            "FailedFindings": self.failed.iter().map(|f| json!({"Id": f.id, "ErrorCode": f.code, "ErrorMessage": f.message})).collect::<Vec<_>>(),
        })
    }
}

/// One `BatchImportFindings` request: `request` is `{"Findings": [...]}`, a list of
/// findings or one finding; `format` `None` tells ASFF from OCSF. More than 100
/// findings is refused whole ([`ImportError::TooMany`]), as AWS refuses the call.
pub fn batch_import_findings(
    store: &mut Store,
    request: Value,
    format: Option<Format>,
    now: Timestamp,
) -> Result<ImportAnswer, ImportError> {
    let items = parse::findings_of(request).map_err(ImportError::Document)?;
    if items.is_empty() || items.len() > MAX_FINDINGS_PER_CALL {
        return Err(ImportError::TooMany(items.len()));
    }
    let format = match format {
        Some(f) => f,
        None => parse::detect(&items[0]).ok_or(ImportError::Document(DocumentError::UnknownFormat))?,
    };
    let parsed: Vec<(usize, Result<ImportedFinding, FindingError>)> = parse::parse_values(items, format).into_iter().enumerate().collect();
    store_batch(store, parsed, now)
}

/// Stores one batch (≤ 100) of parsed findings: the good ones stored, the bad ones and
/// those the store refuses answered.
fn store_batch(
    store: &mut Store,
    parsed: Vec<(usize, Result<ImportedFinding, FindingError>)>,
    now: Timestamp,
) -> Result<ImportAnswer, ImportError> {
    let mut answer = ImportAnswer::default();
    let mut good: Vec<(usize, StoreFinding)> = Vec::new();
    for (index, p) in parsed {
        match p {
            Ok(f) => good.push((index, to_store(&f))),
            Err(e) => answer.failed.push(Failed { index, id: e.id, code: e.code.to_string(), message: e.message }),
        }
    }
    if !good.is_empty() {
        let findings: Vec<StoreFinding> = good.iter().map(|(_, f)| f.clone()).collect();
        let result = store.import_findings(&findings, now)?;
        answer.success_count = result.success_count;
        for ImportFailure { id, error_code, error_message } in result.failed_findings {
            // The store names a finding by its id: the last of that id is the one refused
            // (a duplicate in the batch), else the only one.
            let index = good.iter().rev().find(|(_, f)| f.id == id).map_or(0, |(i, _)| *i);
            answer.failed.push(Failed { index, id, code: error_code, message: error_message });
        }
    }
    answer.failed.sort_by_key(|f| f.index);
    Ok(answer)
}

/// The store's shape of an imported finding: its first resource, its account.
pub fn to_store(f: &ImportedFinding) -> StoreFinding {
    let r = f.primary_resource();
    let kind: ResourceType = serde_json::from_value(Value::String(r.kind.clone())).unwrap_or(ResourceType::Other);
    StoreFinding {
        product_arn: f.product_arn.clone(),
        id: f.id.clone(),
        generator_id: f.generator_id.clone(),
        product_name: f.product_name.clone(),
        company_name: f.company_name.clone(),
        // OCSF has no length limits; the store keeps ASFF's (Title 256, Description 1,024).
        title: truncate(&f.title, 256),
        description: truncate(&f.description, 1024),
        severity: f.severity,
        compliance_status: f.compliance_status,
        related_requirements: f.related_requirements.clone(),
        resource: Resource {
            id: r.id.clone(),
            kind,
            account: f.aws_account_id.clone(),
            region: if r.region.is_empty() { f.region.clone() } else { r.region.clone() },
            partition: r.partition.clone(),
            name: r.name.clone(),
        },
        resource_tags: r.tags.clone(),
        remediation_text: f.remediation_text.clone().unwrap_or_default(),
        remediation_url: f.remediation_url.clone().unwrap_or_default(),
        created_at: f.created_at,
        updated_at: f.updated_at,
        first_observed_at: f.first_observed_at,
        last_observed_at: f.last_observed_at,
        record_state: f.record_state.unwrap_or(RecordState::Active),
        workflow_status: f.workflow_status,
        vulnerability: f.vulnerability(),
    }
}

/// What importing one file did.
#[derive(Debug, Clone)]
pub struct FileImport {
    pub path: PathBuf,
    pub format: Format,
    pub read: usize,
    pub answer: ImportAnswer,
}

/// Reads one file's findings (no store): the format and each finding or its error.
pub fn read_file(path: &Path, format: Option<Format>) -> Result<parse::Parsed, ImportError> {
    let bytes = std::fs::read(path).map_err(|e| ImportError::File { path: path.to_path_buf(), why: format!("cannot read it ({e})") })?;
    parse::parse_document(&bytes, format).map_err(|e| ImportError::File { path: path.to_path_buf(), why: e.to_string() })
}

/// Imports files of findings: all read and parsed first (a file that is not JSON stores
/// nothing), then each sent to the store in batches of 100.
pub fn import_files(store: &mut Store, paths: &[PathBuf], format: Option<Format>, now: Timestamp) -> Result<Vec<FileImport>, ImportError> {
    let parsed: Vec<(PathBuf, parse::Parsed)> =
        paths.iter().map(|p| read_file(p, format).map(|d| (p.clone(), d))).collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for (path, doc) in parsed {
        let read = doc.findings.len();
        let mut answer = ImportAnswer::default();
        let mut numbered = doc.findings.into_iter().enumerate().peekable();
        while numbered.peek().is_some() {
            let batch: Vec<_> = numbered.by_ref().take(MAX_FINDINGS_PER_CALL).collect();
            let a = store_batch(store, batch, now)?;
            answer.success_count += a.success_count;
            answer.failed.extend(a.failed);
        }
        out.push(FileImport { path, format: doc.format, read, answer });
    }
    Ok(out)
}

fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => s[..i].to_string(),
        None => s.to_string(),
    }
}
