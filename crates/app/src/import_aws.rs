//! Findings of AWS's own security services into the store: read live through the SDK
//! (`rampart import aws`: Security Hub, GuardDuty, IAM Access Analyzer, AWS Config), or
//! from their saved API responses (`rampart import findings --format guardduty FILE`:
//! those and Inspector2 and Macie). Either way each finding is normalised by
//! `rampart_import_findings::aws` into the one imported-finding model and stored by
//! [`crate::import::import_parsed`], so deduplication by (product ARN, id), automation
//! rules and events apply as to any import.
//!
//! Each source and region is reported on its own: what was read, stored or failed, or
//! why it was not read. A source that could not be read is never reported as "0
//! findings".

use crate::import::{import_parsed, ImportAnswer, ImportError};
use rampart_hub::Store;
use rampart_import_findings::aws::{parse_findings, parse_response, response_findings};
use rampart_import_findings::{FindingError, ImportedFinding};
use rampart_model::Timestamp;
use std::path::{Path, PathBuf};

pub use rampart_import_findings::aws::{AwsSource, SourceContext};

/// What importing one source in one region did.
#[derive(Debug, Clone)]
pub struct SourceImport {
    pub source: AwsSource,
    pub region: String,
    /// Findings read from the service (non-compliant evaluations for Config).
    pub read: usize,
    /// Stored (created or updated) and failed, with each failure's code and message.
    pub answer: ImportAnswer,
    /// Why the source was not read, or not wholly (what was read before is stored).
    pub error: Option<String>,
    /// Read, but worth saying about an empty answer (GuardDuty not enabled in the region...).
    pub note: Option<String>,
}

impl SourceImport {
    /// Read in full and every finding stored.
    pub fn complete(&self) -> bool {
        self.error.is_none() && self.answer.failed.is_empty()
    }
}

/// The sources `--sources` names: comma-separated, or every source when empty.
pub fn parse_sources(list: &[String]) -> Result<Vec<AwsSource>, String> {
    if list.is_empty() {
        return Ok(AwsSource::ALL.to_vec());
    }
    let mut out = Vec::new();
    for s in list {
        let source = AwsSource::parse(s).ok_or_else(|| {
            let known: Vec<&str> = AwsSource::ALL.iter().map(|a| a.as_str()).collect();
            format!("unknown source `{s}`; the sources are {}", known.join(", "))
        })?;
        if !out.contains(&source) {
            out.push(source);
        }
    }
    Ok(out)
}

/// Reads `sources` through the SDK (read-only) in the regions of `opts` and stores what
/// they hold. Fails as a whole only when the reading cannot start (no credentials, no
/// endpoint) or the store fails; every other failure is its source's and region's.
pub fn import_aws(
    store: &mut Store,
    opts: &rampart_collect_aws::Options,
    sources: &[AwsSource],
    now: Timestamp,
) -> anyhow::Result<Vec<SourceImport>> {
    // The reading runs on the runtime's workers, given the stack a debug build of the SDK's
    // nested futures needs (the caller's thread may be a small one, a test's or a server's).
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().thread_stack_size(8 << 20).build()?;
    let (o, s) = (opts.clone(), sources.to_vec());
    let read =
        rt.block_on(async move { tokio::spawn(async move { rampart_collect_aws::findings_sources::read_findings(&o, &s).await }).await })??;
    let mut out = Vec::new();
    for r in read.reads {
        let mut parsed: Vec<Result<ImportedFinding, FindingError>> = Vec::new();
        let mut error = r.error;
        for page in r.pages {
            match response_findings(r.source, page.body) {
                Ok(items) => parsed.extend(parse_findings(r.source, items, &page.context)),
                Err(e) => {
                    error.get_or_insert_with(|| format!("an answer was not read: {e}"));
                }
            }
        }
        let read_count = parsed.len();
        let answer = import_parsed(store, parsed, now)?;
        out.push(SourceImport { source: r.source, region: r.region, read: read_count, answer, error, note: r.note });
    }
    Ok(out)
}

/// What importing one saved response did.
#[derive(Debug, Clone)]
pub struct ResponseFileImport {
    pub path: PathBuf,
    pub source: AwsSource,
    pub read: usize,
    pub answer: ImportAnswer,
}

/// Imports saved API responses of `source` (`aws guardduty get-findings ... > FILE`):
/// every file read and parsed first (one that is not such a response stores nothing),
/// then stored. `ctx` says what the responses do not: the account and region (Config's
/// evaluations and Access Analyzer's findings name no region), the analyzer.
pub fn import_response_files(
    store: &mut Store,
    source: AwsSource,
    paths: &[PathBuf],
    ctx: &SourceContext,
    now: Timestamp,
) -> Result<Vec<ResponseFileImport>, ImportError> {
    let parsed: Vec<(PathBuf, Vec<Result<ImportedFinding, FindingError>>)> =
        paths.iter().map(|p| read_response(p, source, ctx).map(|f| (p.clone(), f))).collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for (path, findings) in parsed {
        let read = findings.len();
        let answer = import_parsed(store, findings, now)?;
        out.push(ResponseFileImport { path, source, read, answer });
    }
    Ok(out)
}

fn read_response(path: &Path, source: AwsSource, ctx: &SourceContext) -> Result<Vec<Result<ImportedFinding, FindingError>>, ImportError> {
    let bytes = std::fs::read(path).map_err(|e| ImportError::File { path: path.to_path_buf(), why: format!("cannot read it ({e})") })?;
    parse_response(source, &bytes, ctx).map(|p| p.findings).map_err(|e| ImportError::File { path: path.to_path_buf(), why: e.to_string() })
}
