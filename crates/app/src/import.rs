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
use std::collections::HashSet;
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
    let parsed: Vec<(usize, Result<ImportedFinding, FindingError>)> =
        parse::parse_values(items, format).into_iter().enumerate().map(|(i, r)| (i, r.and_then(|f| not_an_aws_product(i, f)))).collect();
    Ok(store_calls(store, vec![Call::new(parsed)], now)?.pop().unwrap_or_default())
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

/// One call's findings (≤ 100) as a reader gave them, split: the good ones (with their
/// place in the call) for the store, the bad ones answered.
struct Call {
    good: Vec<ImportedFinding>,
    index_of: Vec<usize>,
    answer: ImportAnswer,
}

impl Call {
    fn new(parsed: Vec<(usize, Result<ImportedFinding, FindingError>)>) -> Call {
        let mut call =
            Call { good: Vec::with_capacity(parsed.len()), index_of: Vec::with_capacity(parsed.len()), answer: ImportAnswer::default() };
        for (index, p) in parsed {
            match p {
                Ok(f) => {
                    call.good.push(f);
                    call.index_of.push(index);
                }
                Err(e) => call.answer.failed.push(Failed { index, id: e.id, code: e.code.to_string(), message: e.message }),
            }
        }
        call
    }
}

/// Stores calls (each ≤ 100 findings) in one transaction ([`Store::import_calls`]: the
/// good findings stored, the bad ones and those the store refuses answered). Then, call by
/// call, on the findings it created or updated, as Security Hub does after an import: the
/// automation rules, in order (each change in the finding's history as `rule:<name>`), and
/// one "Findings - Imported" event each to the event rules that match it. The callers
/// group only calls with no (ProductArn, Id) in common, so that this order (every call
/// stored, then each call's rules and events) leaves what storing each call and applying
/// its rules before the next would.
fn store_calls(store: &mut Store, mut calls: Vec<Call>, now: Timestamp) -> Result<Vec<ImportAnswer>, ImportError> {
    let goods: Vec<&[ImportedFinding]> = calls.iter().filter(|c| !c.good.is_empty()).map(|c| c.good.as_slice()).collect();
    let mut results = if goods.is_empty() { Vec::new() } else { store.import_calls(&goods, now)? }.into_iter();
    let mut answers = Vec::with_capacity(calls.len());
    for call in &mut calls {
        let mut answer = std::mem::take(&mut call.answer);
        if !call.good.is_empty() {
            let result = results.next().unwrap_or_default();
            answer.success_count = result.success_count;
            for ImportFailure { index, id, error_code, error_message } in result.failed_findings {
                answer.failed.push(Failed { index: call.index_of[index], id, code: error_code, message: error_message });
            }
            if !result.stored.is_empty() {
                store.apply_automation_rules(&result.stored, now)?;
                publish_imported(store, &result.stored, now)?;
            }
        }
        answer.failed.sort_by_key(|f| f.index);
        answers.push(answer);
    }
    Ok(answers)
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

/// How many calls of 100 findings one transaction holds when importing more than one
/// call's worth (group commit): 1,000 findings per commit (docs/benchmarks.md compares 1
/// and 10); the automation rules and events still follow each call.
pub const CALLS_PER_COMMIT: usize = 10;

/// Like [`import_findings`], for findings as a reader gave them: each parsed finding or why
/// it could not be; the failures are answered at their place in the list. The findings go
/// to the store as calls of 100, up to [`CALLS_PER_COMMIT`] calls per transaction; a call
/// that holds a (ProductArn, Id) of an earlier call in the same transaction starts the
/// next one.
pub fn import_parsed(
    store: &mut Store,
    parsed: Vec<Result<ImportedFinding, FindingError>>,
    now: Timestamp,
) -> Result<ImportAnswer, ImportError> {
    let mut answer = ImportAnswer::default();
    let mut numbered = parsed.into_iter().enumerate().peekable();
    let mut group: Vec<Call> = Vec::with_capacity(CALLS_PER_COMMIT);
    let mut held: HashSet<(String, String)> = HashSet::new();
    let mut flush = |group: &mut Vec<Call>, held: &mut HashSet<(String, String)>| -> Result<(), ImportError> {
        held.clear();
        for a in store_calls(store, std::mem::take(group), now)? {
            answer.success_count += a.success_count;
            answer.failed.extend(a.failed);
        }
        Ok(())
    };
    while numbered.peek().is_some() {
        let call = Call::new(numbered.by_ref().take(MAX_FINDINGS_PER_CALL).collect());
        if call.good.iter().any(|f| held.contains(&(f.product_arn.clone(), f.id.clone()))) {
            flush(&mut group, &mut held)?;
        }
        held.extend(call.good.iter().map(|f| (f.product_arn.clone(), f.id.clone())));
        group.push(call);
        if group.len() == CALLS_PER_COMMIT {
            flush(&mut group, &mut held)?;
        }
    }
    if !group.is_empty() {
        flush(&mut group, &mut held)?;
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
