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

use rampart_hub::{ImportFailure, Store};
use rampart_import_findings::{self as parse, DocumentError, FindingError, ImportedFinding};
use rampart_model::Timestamp;
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
    /// An event could not be built or stored.
    Event(String),
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
            ImportError::Event(e) => write!(f, "the import's events: {e}"),
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
    let parsed: Vec<(usize, Result<ImportedFinding, FindingError>)> = parse::parse_values(items, format)
        .into_iter()
        .enumerate()
        .map(|(i, r)| (i, r.and_then(|f| not_an_aws_product(i, f))))
        .collect();
    store_batch(store, parsed, now)
}

/// As Security Hub, a call may not send findings in the name of an AWS service
/// (`…:product/aws/guardduty` and the like): those are read from the service itself
/// (`rampart import aws`), and a sent copy could overwrite or archive them.
fn not_an_aws_product(index: usize, f: ImportedFinding) -> Result<ImportedFinding, FindingError> {
    if f.product_arn.contains(":product/aws/") {
        return Err(FindingError {
            index,
            id: f.id.clone(),
            code: "AccessDeniedException",
            message: format!(
                "ProductArn `{}` is an AWS service's: its findings are read from the service with `rampart import aws`, not sent",
                crate::shown(&f.product_arn)
            ),
        });
    }
    Ok(f)
}

/// Stores one batch (≤ 100) of parsed findings: the good ones stored, the bad ones and
/// those the store refuses answered. Then, on the findings the batch created or updated,
/// as Security Hub does after an import: the automation rules, in order (each change in
/// the finding's history as `rule:<name>`), and one "Findings - Imported" event each to
/// the event rules that match it.
fn store_batch(
    store: &mut Store,
    parsed: Vec<(usize, Result<ImportedFinding, FindingError>)>,
    now: Timestamp,
) -> Result<ImportAnswer, ImportError> {
    let mut answer = ImportAnswer::default();
    let mut good: Vec<ImportedFinding> = Vec::with_capacity(parsed.len());
    let mut index_of: Vec<usize> = Vec::with_capacity(parsed.len());
    for (index, p) in parsed {
        match p {
            Ok(f) => {
                good.push(f);
                index_of.push(index);
            }
            Err(e) => answer.failed.push(Failed { index, id: e.id, code: e.code.to_string(), message: e.message }),
        }
    }
    if !good.is_empty() {
        let result = store.import_findings(&good, now)?;
        answer.success_count = result.success_count;
        for ImportFailure { index, id, error_code, error_message } in result.failed_findings {
            answer.failed.push(Failed { index: index_of[index], id, code: error_code, message: error_message });
        }
        if !result.stored.is_empty() {
            store.apply_automation_rules(&result.stored, now)?;
            publish_imported(store, &result.stored, now)?;
        }
    }
    answer.failed.sort_by_key(|f| f.index);
    Ok(answer)
}

/// One Security Hub "Findings - Imported" event per finding an import created or updated
/// (as it is after the automation rules), routed to the event rules that match it; the
/// finding as rampart's own findings are sent, plus its product (`product_arn`,
/// `product_name`, `company_name`) and its own id (`external_id`). Nothing is built when
/// no event rule is enabled. Returns how many events went to at least one target.
pub fn publish_imported(store: &mut Store, keys: &[String], now: Timestamp) -> Result<usize, ImportError> {
    if !store.event_rules()?.iter().any(|r| r.enabled) {
        return Ok(0);
    }
    let mut routed = 0;
    for key in keys {
        let f = store.finding(key)?;
        let mut finding = serde_json::to_value(&f).map_err(|e| ImportError::Event(e.to_string()))?;
        if let (Some(source), Some(m)) = (store.imported_source(key)?, finding.as_object_mut()) {
            m.insert("product_arn".into(), Value::String(source.product_arn));
            m.insert("product_name".into(), Value::String(source.product_name));
            m.insert("company_name".into(), Value::String(source.company_name));
            m.insert("external_id".into(), Value::String(source.id));
        }
        let event = rampart_events::Event {
            version: "0".into(),
            id: crate::events::event_id(),
            detail_type: rampart_events::DETAIL_TYPE_IMPORTED.into(),
            source: rampart_events::SOURCE.into(),
            account: f.resource.account.clone(),
            time: now,
            region: f.resource.region.clone(),
            resources: vec![f.id.clone()],
            detail: json!({ "findings": [finding] }),
        };
        if crate::events::publish(store, &event).map_err(|e| ImportError::Event(format!("{e:#}")))? > 0 {
            routed += 1;
        }
    }
    Ok(routed)
}

/// Stores findings already read (from a file, a request or an AWS service), in batches of
/// 100, with what [`batch_import_findings`] applies after each: Security Hub's workflow
/// rules, automation rules and events.
pub fn import_findings(store: &mut Store, findings: Vec<ImportedFinding>, now: Timestamp) -> Result<ImportAnswer, ImportError> {
    import_parsed(store, findings.into_iter().map(Ok).collect(), now)
}

/// Like [`import_findings`], for findings as a reader gave them: each parsed finding or why
/// it could not be; the failures are answered at their place in the list.
pub fn import_parsed(
    store: &mut Store,
    parsed: Vec<Result<ImportedFinding, FindingError>>,
    now: Timestamp,
) -> Result<ImportAnswer, ImportError> {
    let mut answer = ImportAnswer::default();
    let mut numbered = parsed.into_iter().enumerate().peekable();
    while numbered.peek().is_some() {
        let batch: Vec<_> = numbered.by_ref().take(MAX_FINDINGS_PER_CALL).collect();
        let a = store_batch(store, batch, now)?;
        answer.success_count += a.success_count;
        answer.failed.extend(a.failed);
    }
    Ok(answer)
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
        let answer = import_parsed(store, doc.findings, now)?;
        out.push(FileImport { path, format: doc.format, read, answer });
    }
    Ok(out)
}
