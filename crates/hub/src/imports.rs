//! Findings imported from other tools (Security Hub's `BatchImportFindings`): the store
//! side. Parsing ASFF or OCSF (or reading AWS's own services) into [`ImportedFinding`] is
//! `rampart-import-findings`' job; this module keeps what it read.
//!
//! An imported finding is identified, as in Security Hub, by its product ARN and its own
//! id: importing the same pair again updates it. It lives in the same table as rampart's
//! findings, under a key of its own (`import/n<hex>`, handed out in ascending order:
//! [`next_key_number`]; findings imported before are keyed `import/<hash>`), so the
//! findings query, insights, batch updates and history work on it unchanged; its
//! `ProductArn`, `ProductName`, `CompanyName`, `Id` and `GeneratorId` are its own, `status` holds its
//! `Compliance.Status` (NOT_AVAILABLE when it has none; `compliance_status` tells "none"
//! apart). The findings row holds the first resource (what filters and insights group
//! by); the `imported_findings` table holds every resource (ASFF `Resources`, details and
//! tags included), the finding as the tool sent it (deflate-compressed JSON) and the
//! provider's `UpdatedAt`. Every resource's tags go to `resource_tags`. Scans never
//! archive imported findings (`ARCHIVE_VANISHED` reads rampart's own only).
//!
//! AWS's rules (<https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html>):
//! at most 100 findings per call (more is refused whole); a finding that cannot be stored
//! is answered in `failed` with a code and message and the others are stored; once a
//! finding exists, an import does not change what customers manage (workflow status,
//! note, user-defined fields, verification state) nor a severity, confidence or
//! criticality a person set — the tool's severity is kept as the finding's own, under a
//! person's override. An import whose `UpdatedAt` is older than the one stored changes
//! nothing (it counts as a success: the store already holds newer data); the stored one is
//! the provider's, not the time a person last changed the finding.
//!
//! Security Hub's automatic workflow rules apply on every import ([`next_workflow`]); each
//! change they make is kept in the finding's history (author `rampart`, the rule as the
//! note). Automation rules and "Findings - Imported" events are the application layer's
//! (`rampart_app::import`), over the keys [`ImportResult::stored`] lists.
//!
//! Speed: one transaction per call ([`Store::import_calls`]: several calls in one, for
//! files), statements prepared once per SQLite connection, one look-up of the whole
//! batch's stored state by (ProductArn, Id) (not one per finding) and one of its
//! resources' tags, ascending keys (appends, not random B-tree writes), a resource's tags
//! rewritten only when they changed. The same code runs on PostgreSQL (written once
//! against `sql::Sql`; `Dialect` gives the look-up's JSON), where each statement is a
//! round trip to the server: a new finding is two statements and one per tag.

use crate::codec;
use crate::dialect::Dialect;
use crate::error::StoreError;
use crate::sql::{vals, Sql};
use crate::store::Store;
use rampart_model::{RecordState, ResourceType, Status, Timestamp, WorkflowStatus};
use rusqlite::types::Value as SqlValue;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use std::io::Read;

pub use rampart_import_findings::{ImportedFinding, ImportedResource};

/// The most findings one import may hold (`BatchImportFindings`: 100).
pub const MAX_IMPORT_FINDINGS: usize = 100;

/// The WAL size (in 4 KiB pages) at which a connection that imported checkpoints.
const WAL_CHECKPOINT_PAGES: i64 = 16_384;

/// A finding an import did not store (`ImportFindingsError`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImportFailure {
    /// Its position in the import, from 0.
    #[serde(skip)]
    pub index: usize,
    pub id: String,
    pub error_code: String,
    pub error_message: String,
}

/// The answer to an import (`BatchImportFindings`' response), and what it changed.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct ImportResult {
    pub success_count: usize,
    pub failed_count: usize,
    pub failed_findings: Vec<ImportFailure>,
    /// The store keys of the findings this import created or updated (not those it found
    /// stale): what automation rules and events then apply to.
    #[serde(skip)]
    pub stored: Vec<String>,
}

/// What an import read from the store of one finding already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known {
    pub workflow: WorkflowStatus,
    pub record_state: RecordState,
    pub compliance: Option<Status>,
}

/// The workflow status of an imported finding after an import, and why it changed (the
/// note kept in its history; `None`: not changed by a rule). Security Hub's rules
/// (<https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_Workflow.html>):
///
/// - a new finding takes the provider's `Workflow.Status`; without one it is NEW, or
///   RESOLVED when its `Compliance.Status` is PASSED (as Security Hub sets passed control
///   findings);
/// - SUPPRESSED is a person's decision: never changed;
/// - NOTIFIED or RESOLVED become NEW when `RecordState` changes from ARCHIVED to ACTIVE,
///   or `Compliance.Status` changes from PASSED to WARNING, FAILED or NOT_AVAILABLE;
/// - NEW or NOTIFIED become RESOLVED when `Compliance.Status` changes to PASSED;
/// - archiving (`RecordState` ARCHIVED) changes no workflow: Security Hub's rules name
///   only the way back.
pub fn next_workflow(
    known: Option<Known>,
    provider: Option<WorkflowStatus>,
    compliance: Option<Status>,
    record_state: RecordState,
) -> (WorkflowStatus, Option<String>) {
    use WorkflowStatus::*;
    let Some(k) = known else {
        return match provider {
            Some(w) => (w, None),
            None if compliance == Some(Status::Passed) => (Resolved, None),
            None => (New, None),
        };
    };
    let was = |s: Option<Status>| s.map_or("none", Status::as_str);
    match k.workflow {
        Suppressed => (Suppressed, None),
        Notified | Resolved if k.record_state == RecordState::Archived && record_state == RecordState::Active => {
            (New, Some("RecordState changed from ARCHIVED to ACTIVE: reopened".to_string()))
        }
        Notified | Resolved
            if k.compliance == Some(Status::Passed)
                && matches!(compliance, Some(Status::Failed | Status::Warning | Status::NotAvailable)) =>
        {
            (New, Some(format!("Compliance.Status changed from PASSED to {}: reopened", was(compliance))))
        }
        New | Notified if compliance == Some(Status::Passed) && k.compliance != Some(Status::Passed) => {
            (Resolved, Some(format!("Compliance.Status changed from {} to PASSED: resolved", was(k.compliance))))
        }
        w => (w, None),
    }
}

/// The prefix of the keys of findings imported since keys were ordered (see [`next_key_number`]).
const KEY_PREFIX: &str = "import/n";

/// The key of the first imported finding stored after `last` (the greatest key with
/// [`KEY_PREFIX`], if any) at `now`.
///
/// Why keys are handed out, not hashed: every finding is keyed in the findings table, its
/// severity-order index and `imported_findings`. A key hashed from (ProductArn, Id), as
/// imported findings had before, lands on a random leaf of each of those B-trees, so
/// every finding of a call dirtied pages of its own in each, written to the WAL at each
/// commit and again at each checkpoint: at 1M findings that, not the finding's own work,
/// bounded an import. A key that grows with each new finding is an append to all three.
/// Identity stays (ProductArn, Id): a finding is found by them (`findings_imported`, a
/// unique index), never by recomputing its key, so findings keyed by a hash before keep
/// their key and are updated under it. The number is at least `now` in microseconds, so
/// the key of a deleted finding is not handed out again (unless the clock goes back).
fn next_key_number(last: Option<&str>, now: Timestamp) -> u64 {
    let after = last.and_then(|k| k.strip_prefix(KEY_PREFIX)).and_then(|n| u64::from_str_radix(n, 16).ok()).map_or(0, |n| n + 1);
    let micros = u64::try_from(now.unix_timestamp_nanos() / 1_000).unwrap_or(0);
    after.max(micros)
}

/// The key of number `n`: fixed-width hex, so that the keys' text order is their order.
fn key_of(n: u64) -> String {
    format!("{KEY_PREFIX}{n:016x}")
}

/// Why a finding cannot be stored as given, if it cannot.
fn invalid(f: &ImportedFinding) -> Option<String> {
    let first = f.resources.first().map_or("", |r| r.id.as_str());
    let required = [
        ("ProductArn", f.product_arn.as_str()),
        ("Id", &f.id),
        ("GeneratorId", &f.generator_id),
        ("Title", &f.title),
        ("Resources[0].Id", first),
        ("AwsAccountId", &f.aws_account_id),
    ];
    for (name, v) in required {
        if v.trim().is_empty() {
            return Some(format!("{name} is missing"));
        }
    }
    for (name, v, max) in [("Id", &f.id, 512), ("GeneratorId", &f.generator_id, 512)] {
        let n = v.chars().count();
        if n > max {
            return Some(format!("{name} is {n} characters long, at most {max} are allowed"));
        }
    }
    None
}

/// ASFF's limits on what the findings row holds (OCSF has none: its long descriptions are
/// cut there; the document keeps them whole).
fn cut(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Every resource as ASFF `Resources` (`Type`, `Id`, `Partition`, `Region`, `Tags`,
/// `Details`; OCSF's `name` as `Name`).
pub fn resources_json(resources: &[ImportedResource]) -> Value {
    Value::Array(
        resources
            .iter()
            .map(|r| {
                let mut m = Map::new();
                m.insert("Type".into(), Value::String(r.kind.clone()));
                m.insert("Id".into(), Value::String(r.id.clone()));
                m.insert("Partition".into(), Value::String(r.partition.clone()));
                m.insert("Region".into(), Value::String(r.region.clone()));
                if !r.name.is_empty() {
                    m.insert("Name".into(), Value::String(r.name.clone()));
                }
                if !r.tags.is_empty() {
                    m.insert("Tags".into(), Value::Object(r.tags.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect()));
                }
                if let Some(d) = &r.details {
                    m.insert("Details".into(), d.clone());
                }
                Value::Object(m)
            })
            .collect(),
    )
}

/// The document, deflate-compressed (fast level: an import is CPU-bound). One compressor
/// per thread, reset between documents: making one allocates and zeroes a few hundred
/// KB, more than compressing a finding costs.
fn compress(doc: &Value) -> Option<Vec<u8>> {
    thread_local! {
        static DEFLATE: std::cell::RefCell<flate2::Compress> = std::cell::RefCell::new(flate2::Compress::new(flate2::Compression::fast(), false));
    }
    if doc.is_null() {
        return None;
    }
    let bytes = serde_json::to_vec(doc).ok()?;
    DEFLATE.with(|d| {
        let mut d = d.borrow_mut();
        d.reset();
        let mut out = Vec::with_capacity(bytes.len() / 2 + 64);
        loop {
            let before = d.total_in() as usize;
            let status = d.compress_vec(&bytes[before.min(bytes.len())..], &mut out, flate2::FlushCompress::Finish).ok()?;
            match status {
                flate2::Status::StreamEnd => return Some(out),
                _ => out.reserve(out.capacity().max(1024)),
            }
        }
    })
}

/// Where an imported finding came from, whole: its product, every resource, and the
/// finding as the tool sent it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ImportedSource {
    /// `asff` or `ocsf`; `None` for a finding imported before the store kept documents.
    pub format: Option<String>,
    pub product_arn: String,
    pub product_name: String,
    pub company_name: String,
    /// The finding's own `Id`.
    pub id: String,
    /// ASFF `Resources`: every resource, with its tags and details.
    pub resources: Value,
    /// The finding as the tool sent it (`None`: not kept — imported before the store kept
    /// documents, or read from a service that sends none).
    pub document: Option<Value>,
    /// The provider's `UpdatedAt`.
    pub provider_updated_at: Option<String>,
}

/// Adds a finding seen for the first time: its parameters are `Args`' values in order.
const INSERT: &str = r#"INSERT INTO findings (id, check_id, title, description, severity, status, reason, detail, service,
    resource_id, resource_type, account, region, "partition", resource_name, remediation_console,
    remediation_cli, remediation_url, related_requirements, first_observed, last_observed,
    workflow_status, record_state, updated_at, vulnerability, product_arn, product_name, company_name,
    external_id, compliance_status)
 VALUES (?, ?, ?, ?, ?, ?, '', '', '', ?, ?, ?, ?, ?, ?, ?, '', ?, ?,
    ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"#;

/// The number of `INSERT`'s parameters (the values of one finding's row, in its order).
const ARGS: usize = 26;

/// What the tool owns, and the workflow as the rules leave it; not what customers manage
/// (note, fields, verification, confidence, criticality, severity override): each column
/// an update may set, with the position (from 0) of `INSERT`'s parameter that holds its value.
///
/// An update sets only the columns whose value changed ([`update_sql`]), and a finding
/// whose row and source are unchanged is not written at all: SQLite rewrites the entry of
/// every index that holds a column an `UPDATE` sets, even to the value it had (11 indexes
/// hold these columns), and a tool's next run mostly sends what the store holds.
const UPDATABLE: [(&str, usize); 23] = [
    ("check_id", 1),
    ("title", 2),
    ("description", 3),
    ("severity", 4),
    ("status", 5),
    ("resource_id", 6),
    ("resource_type", 7),
    ("account", 8),
    ("region", 9),
    ("\"partition\"", 10),
    ("resource_name", 11),
    ("remediation_console", 12),
    ("remediation_url", 13),
    ("related_requirements", 14),
    ("first_observed", 15),
    ("last_observed", 16),
    ("workflow_status", 17),
    ("record_state", 18),
    ("updated_at", 19),
    ("vulnerability", 20),
    ("product_name", 22),
    ("company_name", 23),
    ("compliance_status", 25),
];

/// The `UPDATE` of the findings row that sets the columns of `UPDATABLE` whose bit is
/// set in `changed` (its parameters: the value of each one set, in order, then the key).
fn update_sql(changed: u32) -> String {
    let sets: Vec<String> =
        UPDATABLE.iter().enumerate().filter(|(i, _)| changed & (1 << i) != 0).map(|(_, (column, _))| format!("{column} = ?")).collect();
    format!("UPDATE findings SET {} WHERE id = ?", sets.join(", "))
}

const SOURCE: &str = "INSERT INTO imported_findings (finding_id, format, provider_updated_at, resources, document)
 VALUES (?, ?, ?, ?, ?)";

const SOURCE_UPDATE: &str =
    "UPDATE imported_findings SET format = ?, provider_updated_at = ?, resources = ?, document = ? WHERE finding_id = ?";

/// The stored state of a batch's findings, one query, by (ProductArn, Id) through the
/// unique index `findings_imported`: the position in the bound JSON array of
/// `[ProductArn, Id]`, the key, workflow, record state, compliance and the provider's last
/// `UpdatedAt` (the row's own for a finding imported before the store kept it apart);
/// then whether `imported_findings` holds a row of it, that row's format, resources and
/// document, and the columns of `UPDATABLE` in its order (what an update compares).
pub(crate) fn lookup_sql(dialect: Dialect) -> String {
    let (pairs, position) = dialect.json_positions();
    format!(
        r#"SELECT {position}, f.id, f.workflow_status, f.record_state, f.compliance_status,
    coalesce(i.provider_updated_at, f.updated_at), i.finding_id IS NOT NULL, i.format, i.resources, i.document,
    f.check_id, f.title, f.description, f.severity, f.status, f.resource_id, f.resource_type, f.account, f.region,
    f."partition", f.resource_name, f.remediation_console, f.remediation_url, f.related_requirements,
    f.first_observed, f.last_observed, f.workflow_status, f.record_state, f.updated_at, f.vulnerability,
    f.product_name, f.company_name, f.compliance_status
 FROM {pairs}
 JOIN findings f ON f.product_arn = j.value ->> 0 AND f.external_id = j.value ->> 1
 LEFT JOIN imported_findings i ON i.finding_id = f.id{lock}"#,
        lock = dialect.for_update_of("f")
    )
}

/// The first column of the look-up that holds a column of `UPDATABLE`.
const LOOKUP_ROW: usize = 10;

/// What the look-up read of one stored finding.
struct Stored {
    id: String,
    known: Known,
    /// The provider's last `UpdatedAt`.
    updated_at: String,
    /// `imported_findings`' row: format, provider's `UpdatedAt`, resources and document
    /// (`None`: no row).
    source: Option<(String, String, String, Option<Vec<u8>>)>,
    /// The values of `UPDATABLE`'s columns, in its order.
    row: Vec<SqlValue>,
}

/// The greatest key handed out ([`next_key_number`]); the findings' primary key answers it.
const LAST_KEY: &str = "SELECT max(id) FROM findings WHERE id >= 'import/n' AND id < 'import/o'";

impl Store {
    /// Stores findings from another tool (see the module documentation); `now` is when.
    /// One call (`BatchImportFindings`): at most [`MAX_IMPORT_FINDINGS`], one transaction.
    pub fn import_findings(&mut self, findings: &[ImportedFinding], now: Timestamp) -> Result<ImportResult, StoreError> {
        let mut answers = self.import_calls(&[findings], now)?;
        Ok(answers.pop().unwrap_or_default())
    }

    /// Several calls in one transaction (group commit), each answered as
    /// [`Store::import_findings`] answers it, in order, as if made one after the other. For
    /// importing files: a commit writes every page the calls dirtied once (hot pages of the
    /// indexes are shared between calls), however many calls dirtied it. Every call is
    /// checked before anything is stored; an error stores nothing of any call.
    pub fn import_calls(&mut self, calls: &[&[ImportedFinding]], now: Timestamp) -> Result<Vec<ImportResult>, StoreError> {
        if let Some(c) = calls.iter().find(|c| c.is_empty() || c.len() > MAX_IMPORT_FINDINGS) {
            return Err(StoreError::InvalidImport(format!("send 1 to {MAX_IMPORT_FINDINGS} findings per import, not {}", c.len())));
        }
        if let crate::sql::Db::Sqlite(conn) = &self.db {
            // Each call of 100 findings dirties pages all over the findings' indexes,
            // hundreds of pages per commit: with SQLite's default (a checkpoint every
            // 1,000 WAL pages) nearly every other call would copy them back into the
            // database and sync it. A checkpoint every WAL_CHECKPOINT_PAGES writes each
            // hot page once for many calls. (PostgreSQL's checkpoints are the server's.)
            let err = crate::error::sql(&self.path);
            conn.pragma_update(None, "wal_autocheckpoint", WAL_CHECKPOINT_PAGES).map_err(&err)?;
            conn.pragma_update(None, "temp_store", "MEMORY").map_err(&err)?;
        }
        self.db.tx(|tx| {
            // One import at a time, as SQLite's write transaction makes it: two calls
            // holding the same new (ProductArn, Id), or handing out keys from the same
            // greatest one, would both insert. (PostgreSQL: an advisory lock until commit.)
            if let Some(lock) = tx.dialect().named_lock() {
                tx.execute(lock, &vals!["rampart findings import"])?;
            }
            let mut answers = Vec::with_capacity(calls.len());
            for findings in calls {
                let out = import_call(tx, findings, now)?;
                tracing::debug!(stored = out.success_count, failed = out.failed_count, "imported findings");
                answers.push(out);
            }
            Ok(answers)
        })
    }

    /// The key of the imported finding (ProductArn, Id), if the store holds it.
    pub fn imported_key(&self, product_arn: &str, id: &str) -> Result<Option<String>, StoreError> {
        let row = self.sql().query_opt("SELECT id FROM findings WHERE product_arn = ? AND external_id = ?", &vals![product_arn, id])?;
        row.map(|r| r.text(0)).transpose()
    }

    /// The product name of each imported finding among `ids` (rampart's own are absent),
    /// in one query: for lists that show both.
    pub fn product_names(&self, ids: &[String]) -> Result<HashMap<String, String>, StoreError> {
        let db = self.sql();
        let among = db.dialect().in_json_list("id");
        let rows = db.query(
            &format!("SELECT id, coalesce(product_name, '') FROM findings WHERE {among} AND product_arn IS NOT NULL"),
            &vals![codec::strings_to_json(ids)],
        )?;
        rows.iter().map(|r| Ok((r.text(0)?, r.text(1)?))).collect()
    }

    /// Where an imported finding came from, whole (every resource, the document as sent);
    /// `None` for rampart's own findings. [`StoreError::UnknownFinding`] if there is none.
    pub fn imported_source(&self, finding: &str) -> Result<Option<ImportedSource>, StoreError> {
        let bad = crate::store::corrupt(&self.path);
        let row = self.sql().query_opt(
            r#"SELECT f.product_arn, f.product_name, f.company_name, f.external_id, i.format, i.resources, i.document,
                      i.provider_updated_at, f.resource_id, f.resource_type, f."partition", f.region, f.resource_name
               FROM findings f LEFT JOIN imported_findings i ON i.finding_id = f.id WHERE f.id = ?"#,
            &vals![finding],
        )?;
        let Some(row) = row else {
            return Err(StoreError::UnknownFinding(finding.to_string()));
        };
        let Some(product_arn) = row.opt_text(0)? else { return Ok(None) };
        let resources = match row.opt_text(5)? {
            Some(text) => serde_json::from_str(&text).map_err(|_| bad(("imported resources", crate::filter::shorten(&text))))?,
            // Imported before the store kept every resource: the one the row holds.
            None => {
                let r = ImportedResource {
                    id: row.text(8)?,
                    kind: row.text(9)?,
                    partition: row.text(10)?,
                    region: row.text(11)?,
                    name: row.text(12)?,
                    tags: Default::default(),
                    details: None,
                };
                resources_json(&[r])
            }
        };
        let document = match row.opt_blob(6)? {
            None => None,
            Some(bytes) => {
                let mut text = Vec::new();
                flate2::read::DeflateDecoder::new(bytes.as_slice())
                    .read_to_end(&mut text)
                    .map_err(|_| bad(("imported document", "not deflate data".into())))?;
                Some(serde_json::from_slice(&text).map_err(|_| bad(("imported document", "not JSON".into())))?)
            }
        };
        Ok(Some(ImportedSource {
            format: row.opt_text(4)?,
            product_arn,
            product_name: row.opt_text(1)?.unwrap_or_default(),
            company_name: row.opt_text(2)?.unwrap_or_default(),
            id: row.opt_text(3)?.unwrap_or_default(),
            resources,
            document,
            provider_updated_at: row.opt_text(7)?,
        }))
    }
}

/// One call's findings stored in the open transaction `tx`.
fn import_call(tx: &dyn Sql, findings: &[ImportedFinding], now: Timestamp) -> Result<ImportResult, StoreError> {
    let path = tx.place().to_path_buf();
    let bad = crate::store::corrupt(&path);
    let mut out = ImportResult::default();

    // What can be stored, without SQL: the bad and the repeated ones answered.
    let mut count: HashMap<(&str, &str), usize> = HashMap::new();
    for f in findings {
        *count.entry((&f.product_arn, &f.id)).or_default() += 1;
    }
    let mut seen: HashSet<(&str, &str)> = HashSet::new();
    let mut todo: Vec<&ImportedFinding> = Vec::with_capacity(findings.len());
    for (index, f) in findings.iter().enumerate() {
        let fail = |code: &str, message: String| ImportFailure { index, id: f.id.clone(), error_code: code.into(), error_message: message };
        if let Some(why) = invalid(f) {
            out.failed_findings.push(fail("InvalidInput", why));
            continue;
        }
        if count[&(f.product_arn.as_str(), f.id.as_str())] > 1 && !seen.insert((&f.product_arn, &f.id)) {
            out.failed_findings.push(fail("DuplicatedFindingIdentifier", "the import holds this ProductArn and Id more than once".into()));
            continue;
        }
        todo.push(f);
    }
    let now_text = codec::time_to_text(codec::truncate(now));

    // What is stored of each, by its position in `todo`.
    let mut known: HashMap<usize, Stored> = HashMap::with_capacity(todo.len());
    let pairs =
        Value::Array(todo.iter().map(|f| Value::Array(vec![Value::String(f.product_arn.clone()), Value::String(f.id.clone())])).collect())
            .to_string();
    for row in tx.query(&lookup_sql(tx.dialect()), &vals![pairs])? {
        let at: usize = row.int(0)?.try_into().map_err(|_| bad(("import look-up", "negative position".into())))?;
        let k = Known {
            workflow: codec::workflow_from_text(&row.text(2)?).map_err(&bad)?,
            record_state: codec::record_state_from_text(&row.text(3)?).map_err(&bad)?,
            compliance: row.opt_text(4)?.map(|s| codec::status_from_text(&s)).transpose().map_err(&bad)?,
        };
        let updated_at = row.text(5)?;
        let source = match row.flag(6)? {
            true => Some((row.text(7)?, updated_at.clone(), row.text(8)?, row.opt_blob(9)?)),
            false => None,
        };
        let stored_row = (0..UPDATABLE.len()).map(|i| row.value(LOOKUP_ROW + i).clone()).collect();
        known.insert(at, Stored { id: row.text(1)?, known: k, updated_at, source, row: stored_row });
    }
    let mut next = if known.len() < todo.len() {
        let last = tx.query_one(LAST_KEY, &[])?.opt_text(0)?;
        next_key_number(last.as_deref(), now)
    } else {
        0
    };
    // The tags every resource of the call holds, in one query (then kept as the call writes them).
    let mut held_tags: HashMap<String, Vec<(String, String)>> = HashMap::new();
    {
        let ids: Vec<String> = todo.iter().flat_map(|f| f.resources.iter().map(|r| r.id.clone())).collect();
        let among = tx.dialect().in_json_list("resource_id");
        let rows = tx.query(
            &format!("SELECT resource_id, key, value FROM resource_tags WHERE {among} ORDER BY resource_id, key"),
            &vals![codec::strings_to_json(&ids)],
        )?;
        for row in rows {
            held_tags.entry(row.text(0)?).or_default().push((row.text(1)?, row.text(2)?));
        }
    }
    let upsert_tag = "INSERT INTO resource_tags (resource_id, key, value) VALUES (?, ?, ?)
                      ON CONFLICT (resource_id, key) DO UPDATE SET value = excluded.value";
    for (at, f) in todo.into_iter().enumerate() {
        let updated_at = codec::time_to_text(codec::truncate(f.updated_at));
        let before = known.remove(&at);
        if before.as_ref().is_some_and(|s| s.updated_at.as_str() > updated_at.as_str()) {
            out.success_count += 1;
            continue;
        }
        let id = match &before {
            Some(s) => s.id.clone(),
            None => {
                next += 1;
                key_of(next - 1)
            }
        };
        let record_state = f.record_state.unwrap_or(RecordState::Active);
        let (workflow, why) = next_workflow(before.as_ref().map(|s| s.known), f.workflow_status, f.compliance_status, record_state);
        let r = &f.resources[0];
        let kind: ResourceType = serde_json::from_value(Value::String(r.kind.clone())).unwrap_or(ResourceType::Other);
        let region = if r.region.is_empty() { f.region.as_str() } else { r.region.as_str() };
        let first = codec::time_to_text(codec::truncate(f.first_observed_at.unwrap_or(f.created_at)));
        let last = codec::time_to_text(codec::truncate(f.last_observed_at.unwrap_or(f.updated_at)));
        let text = |s: &str| SqlValue::Text(s.to_string());
        let maybe = |s: Option<String>| s.map_or(SqlValue::Null, SqlValue::Text);
        // INSERT's parameters, in order.
        let args: [SqlValue; ARGS] = [
            text(&id),
            text(&f.generator_id),
            text(cut(&f.title, 256)),
            text(cut(&f.description, 1024)),
            text(f.severity.label()),
            text(f.compliance_status.unwrap_or(Status::NotAvailable).as_str()),
            text(&r.id),
            SqlValue::Text(codec::resource_type_to_text(kind)),
            text(&f.aws_account_id),
            text(region),
            text(&r.partition),
            text(&r.name),
            text(f.remediation_text.as_deref().unwrap_or_default()),
            text(f.remediation_url.as_deref().unwrap_or_default()),
            SqlValue::Text(codec::strings_to_json(&f.related_requirements)),
            SqlValue::Text(first),
            SqlValue::Text(last),
            text(workflow.as_str()),
            text(record_state.as_str()),
            text(&updated_at),
            maybe(f.vulnerability().as_ref().map(codec::vulnerability_to_json)),
            text(&f.product_arn),
            text(&f.product_name),
            text(&f.company_name),
            text(&f.id),
            maybe(f.compliance_status.map(|s| s.as_str().to_string())),
        ];
        let resources = resources_json(&f.resources).to_string();
        let document = compress(&f.document);
        let source_values = || vals![f.format.as_str(), &updated_at, &resources, document.clone()];
        match &before {
            Some(stored) => {
                let mut changed = 0u32;
                for (i, (_, param)) in UPDATABLE.iter().enumerate() {
                    if stored.row.get(i) != Some(&args[*param]) {
                        changed |= 1 << i;
                    }
                }
                if changed != 0 {
                    let mut values: Vec<SqlValue> =
                        UPDATABLE.iter().enumerate().filter(|(i, _)| changed & (1 << i) != 0).map(|(_, (_, p))| args[*p].clone()).collect();
                    values.push(args[0].clone());
                    tx.execute(&update_sql(changed), &values)?;
                }
                if let Some(note) = why {
                    tx.execute(
                        "INSERT INTO workflow_history (finding_id, changed_at, from_status, to_status, note, run_id, changed_by)
                         VALUES (?, ?, ?, ?, ?, NULL, 'rampart')",
                        &vals![&id, &now_text, stored.known.workflow.as_str(), workflow.as_str(), note],
                    )?;
                }
                let same_source = stored.source.as_ref().is_some_and(|(format, at, res, doc)| {
                    format == f.format.as_str() && *at == updated_at && *res == resources && *doc == document
                });
                match &stored.source {
                    _ if same_source => {}
                    Some(_) => {
                        let mut values = source_values();
                        values.push(SqlValue::Text(id.clone()));
                        tx.execute(SOURCE_UPDATE, &values)?;
                    }
                    None => {
                        let mut values = vals![&id];
                        values.extend(source_values());
                        tx.execute(SOURCE, &values)?;
                    }
                }
            }
            None => {
                tx.execute(INSERT, &args)?;
                let mut values = vals![&id];
                values.extend(source_values());
                tx.execute(SOURCE, &values)?;
            }
        }
        for r in &f.resources {
            // A tool's next run mostly sends the tags the store holds: rewriting them
            // would dirty a page (a write to the WAL and again at the checkpoint, per
            // finding), so they are compared with what the call read first.
            let was = held_tags.entry(r.id.clone()).or_default();
            if was.len() == r.tags.len() && was.iter().zip(&r.tags).all(|((hk, hv), (k, v))| hk == k && hv == v) {
                continue;
            }
            if !was.is_empty() {
                tx.execute("DELETE FROM resource_tags WHERE resource_id = ?", &vals![&r.id])?;
            }
            for (k, v) in &r.tags {
                tx.execute(upsert_tag, &vals![&r.id, k, v])?;
            }
            *was = r.tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        }
        out.success_count += 1;
        out.stored.push(id);
    }
    out.failed_count = out.failed_findings.len();
    Ok(out)
}
