//! Recording a run on PostgreSQL: the same lifecycle as [`crate::Store::record_run`]
//! (`store.rs`), set-based. In one transaction: the run; its gaps; what the store knew of
//! the run's findings, read in batches; each finding's new workflow decided in Rust by
//! the same rules (`lifecycle.rs`), visiting findings in id order with what was decided
//! so far standing in for the table (so a finding given twice is handled as SQLite does);
//! then the findings upserted and the results and history written with binary `COPY`;
//! last, the findings the run could have produced and did not are archived. Killed at
//! any point before the commit, nothing of the run is visible. [`PgStore::begin_run`]
//! records a run part by part in that one transaction (see `crate::run_writer`).

use super::PgStore;
use crate::codec;
use crate::lifecycle::{next_workflow, Known};
use crate::store::CONFIG_SUPPRESSION;
use crate::StoreError;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};
use rampart_model::{Finding, Gap, RecordState, RunInfo, Timestamp, WorkflowStatus};
use std::cell::RefMut;
use std::collections::{HashMap, HashSet};

/// Findings looked up per statement.
const BATCH: usize = 10_000;

/// The columns a run writes of each finding, in the staging table's order.
const FINDING_COLUMNS: &str = r#"id, check_id, title, description, severity, status, reason, detail, service,
    resource_id, resource_type, account, region, "partition", resource_name, remediation_console,
    remediation_cli, remediation_url, related_requirements, first_observed, last_observed,
    workflow_status, vulnerability"#;

/// A known finding's state and first observation; what history note it last got.
#[derive(Clone)]
struct Was {
    known: Known,
    first: Timestamp,
    last_note: Option<String>,
}

/// A run being recorded on PostgreSQL, part by part, in one transaction (`BEGIN` on the
/// store's connection; rolled back if the writer is dropped before [`PgRunWriter::finish`]).
pub struct PgRunWriter<'s> {
    client: RefMut<'s, postgres::Client>,
    target: String,
    path: std::path::PathBuf,
    run_id: String,
    updated_at: String,
    gaps: i64,
    findings: usize,
    check_ids: HashSet<String>,
    open: bool,
}

impl PgStore {
    /// [`crate::Store::record_run`] on PostgreSQL: same arguments, same result.
    pub fn record_run(&mut self, run: &RunInfo, findings: &mut [Finding], gaps: &[Gap]) -> Result<(), StoreError> {
        let mut writer = self.begin_run(run)?;
        let updates = writer.write(findings, gaps)?;
        writer.finish(run)?;
        crate::run_writer::apply(findings, updates);
        Ok(())
    }

    /// [`crate::Store::begin_run`] on PostgreSQL.
    pub fn begin_run(&mut self, run: &RunInfo) -> Result<PgRunWriter<'_>, StoreError> {
        let target = self.target.clone();
        let err = |source| StoreError::Postgres { target: target.clone(), source };
        let mut client = self.client.borrow_mut();
        // A run is recorded however long another writer holds its rows: no lock timeout in
        // its transaction (the session's applies to people's changes, see `PgStore::connect`).
        client.batch_execute("BEGIN; SET LOCAL lock_timeout = 0").map_err(err)?;
        let mut writer = PgRunWriter {
            client,
            target: self.target.clone(),
            path: self.path.clone(),
            run_id: run.id.clone(),
            updated_at: codec::time_to_text(run.finished_at),
            gaps: 0,
            findings: 0,
            check_ids: run.checks.iter().cloned().collect(),
            open: true,
        };
        let inserted = writer
            .client
            .execute(
                "INSERT INTO runs (id, started_at, finished_at, source, accounts, regions, tool_version, checks, incomplete)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING",
                &[
                    &run.id,
                    &codec::time_to_text(run.started_at),
                    &codec::time_to_text(run.finished_at),
                    &run.source,
                    &codec::strings_to_json(&run.accounts),
                    &codec::strings_to_json(&run.regions),
                    &run.tool_version,
                    &codec::strings_to_json(&run.checks),
                    &codec::strings_to_json(&run.incomplete),
                ],
            )
            .map_err(err)?;
        if inserted == 0 {
            return Err(StoreError::DuplicateRun(run.id.clone()));
        }
        Ok(writer)
    }
}

impl Drop for PgRunWriter<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.client.batch_execute("ROLLBACK");
        }
    }
}

impl PgRunWriter<'_> {
    /// [`crate::run_writer::RunWriter::write`] on PostgreSQL. A finding id an earlier part
    /// wrote (a resource whose id names no account, read in two accounts' parts) gets this
    /// part's word: a run's results hold one row per finding, as SQLite's `INSERT OR REPLACE`.
    pub fn write(&mut self, findings: &[Finding], gaps: &[Gap]) -> Result<crate::run_writer::Updates, StoreError> {
        let target = self.target.clone();
        let err = |source| StoreError::Postgres { target: target.clone(), source };
        let bad = crate::store::corrupt(&self.path);
        let updated_at = self.updated_at.clone();
        let run_id = self.run_id.clone();
        let tx = &mut *self.client;
        if !gaps.is_empty() {
            let sink =
                tx.copy_in("COPY gaps (run_id, seq, action, kind, account, region, resource, message) FROM STDIN BINARY").map_err(err)?;
            let types = [Type::TEXT, Type::INT8, Type::TEXT, Type::TEXT, Type::TEXT, Type::TEXT, Type::TEXT, Type::TEXT];
            let mut w = BinaryCopyInWriter::new(sink, &types);
            for (n, g) in gaps.iter().enumerate() {
                let seq = self.gaps + n as i64;
                let kind = codec::gap_kind_to_text(g.kind);
                w.write(&[&run_id, &seq, &g.action, &kind, &g.account, &g.region, &g.resource, &g.message]).map_err(err)?;
            }
            w.finish().map_err(err)?;
            self.gaps += gaps.len() as i64;
        }

        // What the store knew, for every finding id of the run.
        let mut ids: Vec<&str> = findings.iter().map(|f| f.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut was: HashMap<String, Was> = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(BATCH) {
            let rows = tx
                .query("SELECT id, status, workflow_status, record_state, first_observed FROM findings WHERE id = ANY($1)", &[&chunk])
                .map_err(err)?;
            for r in rows {
                let text = |i: usize| r.get::<_, String>(i);
                let known = Known {
                    status: codec::status_from_text(&text(1)).map_err(&bad)?,
                    workflow: codec::workflow_from_text(&text(2)).map_err(&bad)?,
                    record_state: codec::record_state_from_text(&text(3)).map_err(&bad)?,
                };
                let first = codec::time_from_text(&text(4)).map_err(&bad)?;
                was.insert(text(0), Was { known, first, last_note: None });
            }
        }
        // The last history note of the suppressed ones: was it the configuration's?
        let suppressed: Vec<&str> =
            was.iter().filter(|(_, w)| w.known.workflow == WorkflowStatus::Suppressed).map(|(id, _)| id.as_str()).collect();
        let mut notes: Vec<(String, String)> = Vec::new();
        for chunk in suppressed.chunks(BATCH) {
            let rows = tx
                .query(
                    "SELECT DISTINCT ON (finding_id) finding_id, note FROM workflow_history
                     WHERE finding_id = ANY($1) ORDER BY finding_id, id DESC",
                    &[&chunk],
                )
                .map_err(err)?;
            notes.extend(rows.into_iter().map(|r| (r.get(0), r.get(1))));
        }
        drop(suppressed);
        for (id, note) in notes {
            if let Some(w) = was.get_mut(&id) {
                w.last_note = Some(note);
            }
        }

        // Decide, in id order, as SQLite's loop does.
        let mut order: Vec<usize> = (0..findings.len()).collect();
        order.sort_by(|&a, &b| findings[a].id.cmp(&findings[b].id));
                let mut updates: Vec<Option<(Timestamp, Timestamp, WorkflowStatus)>> = vec![None; findings.len()];
        // Per finding id, the index of the finding whose row is written (the last one).
        let mut written: HashMap<&str, usize> = HashMap::with_capacity(findings.len());
        // (finding, from, to, note)
        let mut history: Vec<(usize, WorkflowStatus, WorkflowStatus, String)> = Vec::new();
        for &i in &order {
            let f = &findings[i];
            let known = was.get(&f.id).cloned();
            let by_config = f.workflow_status == WorkflowStatus::Suppressed;
            let config_lapsed = match &known {
                Some(w) if !by_config && w.known.workflow == WorkflowStatus::Suppressed => {
                    w.last_note.as_deref().is_some_and(|n| n.starts_with(CONFIG_SUPPRESSION))
                }
                _ => false,
            };
            let workflow = if by_config {
                WorkflowStatus::Suppressed
            } else if config_lapsed {
                next_workflow(None, f.status)
            } else {
                next_workflow(known.as_ref().map(|w| w.known), f.status)
            };
            let first_observed = known.as_ref().map_or(codec::truncate(f.first_observed), |w| w.first);
            let last_observed = codec::truncate(f.last_observed);
            let mut note = None;
            match &known {
                None if by_config => history.push((i, WorkflowStatus::New, workflow, CONFIG_SUPPRESSION.to_string())),
                Some(w) if w.known.workflow != workflow => {
                    let text = if by_config {
                        CONFIG_SUPPRESSION.to_string()
                    } else if config_lapsed {
                        "automatic: no suppression rule applies any more".to_string()
                    } else if w.known.record_state == RecordState::Archived {
                        format!("automatic: back from archive as {}", f.status)
                    } else {
                        format!("automatic: compliance {} -> {}", w.known.status, f.status)
                    };
                    history.push((i, w.known.workflow, workflow, text.clone()));
                    note = Some(text);
                }
                _ => {}
            }
            if known.is_none() && by_config {
                note = Some(CONFIG_SUPPRESSION.to_string());
            }
            // What the table holds after this finding, for a later one of the same id.
            let last_note = note.or_else(|| known.as_ref().and_then(|w| w.last_note.clone()));
            was.insert(
                f.id.clone(),
                Was { known: Known { status: f.status, workflow, record_state: RecordState::Active }, first: first_observed, last_note },
            );
            if !self.check_ids.contains(&*f.check_id) {
                self.check_ids.insert(f.check_id.to_string());
            }
            written.insert(&f.id, i);
            updates[i] = Some((first_observed, last_observed, workflow));
        }

        // The findings, staged then upserted: a known id keeps its first observation and
        // what it is derived from (check, resource id, detail).
        tx.batch_execute(&format!(
            "CREATE TEMPORARY TABLE IF NOT EXISTS rampart_stage ON COMMIT DROP AS SELECT {FINDING_COLUMNS} FROM findings WITH NO DATA;
             TRUNCATE rampart_stage"
        ))
        .map_err(err)?;
        let mut rows: Vec<usize> = written.values().copied().collect();
        rows.sort_unstable_by(|&a, &b| findings[a].id.cmp(&findings[b].id));
        {
            let sink = tx.copy_in(format!("COPY rampart_stage ({FINDING_COLUMNS}) FROM STDIN BINARY").as_str()).map_err(err)?;
            let mut w = BinaryCopyInWriter::new(sink, &[Type::TEXT; 23]);
            for &i in &rows {
                let f = &findings[i];
                let Some((first, last, workflow)) = updates[i] else { continue };
                let severity = f.severity.label();
                let status = f.status.as_str();
                let kind = codec::resource_type_to_text(f.resource.kind);
                let requirements = codec::strings_to_json(&f.related_requirements);
                let first = codec::time_to_text(first);
                let last = codec::time_to_text(last);
                let workflow = workflow.as_str();
                let vulnerability = f.vulnerability.as_deref().map(codec::vulnerability_to_json);
                let (check, title, description, service) = (&*f.check_id, &*f.title, &*f.description, &*f.service);
                let (console, cli, url) = (&*f.remediation_console, &*f.remediation_cli, &*f.remediation_url);
                let values: [&(dyn ToSql + Sync); 23] = [
                    &f.id,
                    &check,
                    &title,
                    &description,
                    &severity,
                    &status,
                    &f.reason,
                    &f.detail,
                    &service,
                    &f.resource.id,
                    &kind,
                    &f.resource.account,
                    &f.resource.region,
                    &f.resource.partition,
                    &f.resource.name,
                    &console,
                    &cli,
                    &url,
                    &requirements,
                    &first,
                    &last,
                    &workflow,
                    &vulnerability,
                ];
                w.write(&values).map_err(err)?;
            }
            w.finish().map_err(err)?;
        }
        tx.execute(
            format!(
                r#"INSERT INTO findings ({FINDING_COLUMNS}, record_state, updated_at)
                SELECT {FINDING_COLUMNS}, 'ACTIVE', $1 FROM rampart_stage
                ON CONFLICT (id) DO UPDATE SET
                    title = excluded.title, description = excluded.description, severity = excluded.severity,
                    status = excluded.status, reason = excluded.reason, service = excluded.service,
                    resource_type = excluded.resource_type, account = excluded.account, region = excluded.region,
                    "partition" = excluded."partition", resource_name = excluded.resource_name,
                    remediation_console = excluded.remediation_console, remediation_cli = excluded.remediation_cli,
                    remediation_url = excluded.remediation_url, related_requirements = excluded.related_requirements,
                    last_observed = excluded.last_observed, workflow_status = excluded.workflow_status,
                    record_state = 'ACTIVE', updated_at = excluded.updated_at, vulnerability = excluded.vulnerability"#
            )
            .as_str(),
            &[&updated_at],
        )
        .map_err(err)?;

        // What this run said of each finding (the last word for an id given twice, in this
        // part or an earlier one).
        if self.findings > 0 {
            for chunk in ids.chunks(BATCH) {
                tx.execute("DELETE FROM run_results WHERE run_id = $1 AND finding_id = ANY($2)", &[&run_id, &chunk]).map_err(err)?;
            }
        }
        {
            let sink = tx
                .copy_in("COPY run_results (run_id, finding_id, status, severity, reason, workflow_status, observed_at) FROM STDIN BINARY")
                .map_err(err)?;
            let mut w = BinaryCopyInWriter::new(sink, &[Type::TEXT; 7]);
            for &i in &rows {
                let f = &findings[i];
                let Some((_, last, workflow)) = updates[i] else { continue };
                let (status, severity, workflow, last) =
                    (f.status.as_str(), f.severity.label(), workflow.as_str(), codec::time_to_text(last));
                w.write(&[&run_id, &f.id, &status, &severity, &f.reason, &workflow, &last]).map_err(err)?;
            }
            w.finish().map_err(err)?;
        }
        if !history.is_empty() {
            let sink = tx
                .copy_in("COPY workflow_history (finding_id, changed_at, from_status, to_status, note, run_id) FROM STDIN BINARY")
                .map_err(err)?;
            let mut w = BinaryCopyInWriter::new(sink, &[Type::TEXT; 6]);
            for (i, from, to, note) in &history {
                let (from, to) = (from.as_str(), to.as_str());
                w.write(&[&findings[*i].id, &updated_at, &from, &to, note, &run_id]).map_err(err)?;
            }
            w.finish().map_err(err)?;
        }

        self.findings += findings.len();
        Ok(updates)
    }

    /// [`crate::Store::set_resource_tags`] inside the run's transaction.
    pub fn set_resource_tags<'a>(
        &mut self,
        tags: impl IntoIterator<Item = (&'a str, &'a std::collections::BTreeMap<String, String>)>,
    ) -> Result<(), StoreError> {
        super::read::write_resource_tags(&mut *self.client, &self.target, tags)
    }

    /// [`crate::run_writer::RunWriter::finish`] on PostgreSQL.
    pub fn finish(mut self, run: &RunInfo) -> Result<usize, StoreError> {
        let target = self.target.clone();
        let err = |source| StoreError::Postgres { target: target.clone(), source };
        if run.id != self.run_id {
            return Err(StoreError::InvalidUpdate(format!("run {} was begun; cannot finish it as run {}", self.run_id, run.id)));
        }
        let mut check_ids = std::mem::take(&mut self.check_ids);
        check_ids.extend(run.checks.iter().cloned());
        let client = &mut *self.client;
        client
            .execute(
                "UPDATE runs SET finished_at = $2, accounts = $3, regions = $4, tool_version = $5, checks = $6, incomplete = $7 WHERE id = $1",
                &[
                    &run.id,
                    &codec::time_to_text(run.finished_at),
                    &codec::strings_to_json(&run.accounts),
                    &codec::strings_to_json(&run.regions),
                    &run.tool_version,
                    &codec::strings_to_json(&run.checks),
                    &codec::strings_to_json(&run.incomplete),
                ],
            )
            .map_err(err)?;
        let archived = if check_ids.is_empty() || run.accounts.is_empty() || run.regions.is_empty() {
            0
        } else {
            let mut check_ids: Vec<&str> = check_ids.iter().map(String::as_str).collect();
            check_ids.sort_unstable();
            client.execute(
                "UPDATE findings SET record_state = 'ARCHIVED', updated_at = $1
                 WHERE record_state = 'ACTIVE' AND product_arn IS NULL
                   AND account = ANY($2) AND (region = ANY($3) OR region = 'global') AND check_id = ANY($4)
                   AND NOT EXISTS (SELECT 1 FROM run_results r WHERE r.run_id = $5 AND r.finding_id = findings.id)
                   AND NOT EXISTS (SELECT 1 FROM gaps g WHERE g.run_id = $5 AND g.resource IS NULL AND g.account = findings.account)",
                &[&self.updated_at, &run.accounts, &run.regions, &check_ids, &run.id],
            )
            .map_err(err)?
        };
        self.client.batch_execute("COMMIT").map_err(err)?;
        self.open = false;
        tracing::debug!(run_id = %run.id, findings = self.findings, gaps = self.gaps, archived, "recorded run on PostgreSQL");
        Ok(archived as usize)
    }
}

impl PgStore {
    /// [`crate::Store::job_outputs_with_prefix`] on PostgreSQL.
    pub fn job_outputs_with_prefix(&self, batch: &str, prefix: &str) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let rows = self
            .client
            .borrow_mut()
            .query("SELECT key, body FROM job_outputs WHERE batch = $1 AND left(key, length($2)) = $2 ORDER BY key", &[&batch, &prefix])
            .map_err(self.err())?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    /// [`crate::Store::run_finding_ids`] on PostgreSQL.
    pub fn run_finding_ids(&self, run_id: &str, after: &str, limit: usize) -> Result<Vec<String>, StoreError> {
        let rows = self
            .client
            .borrow_mut()
            .query(
                "SELECT finding_id FROM run_results WHERE run_id = $1 AND finding_id > $2 ORDER BY finding_id LIMIT $3",
                &[&run_id, &after, &(limit as i64)],
            )
            .map_err(self.err())?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }
}
