//! Recording a run as a stream of parts (one account at a time), so memory does not grow
//! with the estate: [`Store::begin_run`] opens the run's transaction, [`RunWriter::write`]
//! records a part's findings and gaps, [`RunWriter::finish`] writes the run's final
//! description, archives what the run could have produced and did not, and commits.
//! Nothing of the run is visible before `finish` commits; a writer dropped (or a process
//! killed) before that leaves the store as it was. [`Store::record_run`] is the same three
//! steps over one part.

use crate::codec;
use crate::error::{sql, StoreError};
use crate::lifecycle::{next_workflow, Known};
use crate::store::{corrupt, Store, ARCHIVE_VANISHED, CONFIG_SUPPRESSION, INSERT_FINDING, UPDATE_FINDING};
use rampart_model::{Finding, Gap, RecordState, RunInfo, Timestamp, WorkflowStatus};
use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};
use std::collections::HashSet;
use std::path::Path;

/// What each finding of a part became: its first and last observation and its workflow
/// (`None` only for slots a part did not fill). [`apply`] copies them onto the findings.
pub type Updates = Vec<Option<(Timestamp, Timestamp, WorkflowStatus)>>;

/// Sets each finding to what the store now holds of it (after the run committed).
pub fn apply(findings: &mut [Finding], updates: Updates) {
    for (f, update) in findings.iter_mut().zip(updates) {
        let Some((first, last, workflow)) = update else { continue };
        f.first_observed = first;
        f.last_observed = last;
        f.workflow_status = workflow;
        f.record_state = RecordState::Active;
    }
}

/// A run being recorded on SQLite, part by part, in one write transaction.
pub struct RunWriter<'s> {
    tx: Transaction<'s>,
    path: &'s Path,
    run_id: String,
    updated_at: String,
    gaps: i64,
    findings: usize,
    /// The checks whose findings the run may archive: the run's and every part's.
    check_ids: HashSet<String>,
}

fn insert_run(tx: &Transaction<'_>, path: &Path, run: &RunInfo) -> Result<(), StoreError> {
    let inserted = tx
        .execute(
            "INSERT INTO runs (id, started_at, finished_at, source, accounts, regions, tool_version, checks, incomplete)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (id) DO NOTHING",
            params![
                run.id,
                codec::time_to_text(run.started_at),
                codec::time_to_text(run.finished_at),
                run.source,
                codec::strings_to_json(&run.accounts),
                codec::strings_to_json(&run.regions),
                run.tool_version,
                codec::strings_to_json(&run.checks),
                codec::strings_to_json(&run.incomplete),
            ],
        )
        .map_err(sql(path))?;
    if inserted == 0 {
        return Err(StoreError::DuplicateRun(run.id.clone()));
    }
    Ok(())
}

/// Runs `stmt`, [`INSERT_FINDING`] or [`UPDATE_FINDING`], with `f`'s row bound as both take
/// it (?1 to ?24): the finding, when it was first and last observed, its workflow status and
/// when the row changed.
pub(crate) fn execute_finding_row(
    stmt: &mut rusqlite::CachedStatement<'_>,
    f: &Finding,
    first_observed: Timestamp,
    last_observed: &str,
    workflow: WorkflowStatus,
    updated_at: &str,
) -> rusqlite::Result<usize> {
    with_finding_row(f, first_observed, last_observed, workflow, updated_at, |row| stmt.execute(row))
}

/// Calls `run` with `f`'s row as [`INSERT_FINDING`] and [`UPDATE_FINDING`] bind it (?1 to
/// ?24): the one binding of a finding's row, for a rusqlite statement
/// ([`execute_finding_row`]) or as values for [`crate::sql::Sql`] on either backend
/// ([`crate::sql::values_of`]; change-triggered inserts, `changes.rs`).
pub(crate) fn with_finding_row<R>(
    f: &Finding,
    first_observed: Timestamp,
    last_observed: &str,
    workflow: WorkflowStatus,
    updated_at: &str,
    run: impl FnOnce(&[&dyn rusqlite::ToSql]) -> R,
) -> R {
    run(params![
        f.id,
        f.check_id,
        f.title,
        f.description,
        f.severity.label(),
        f.status.as_str(),
        f.reason,
        f.detail,
        f.service,
        f.resource.id,
        codec::resource_type_to_text(f.resource.kind),
        f.resource.account,
        f.resource.region,
        f.resource.partition,
        f.resource.name,
        f.remediation_console,
        f.remediation_cli,
        f.remediation_url,
        codec::strings_to_json(&f.related_requirements),
        codec::time_to_text(first_observed),
        last_observed,
        workflow.as_str(),
        updated_at,
        f.vulnerability.as_deref().map(codec::vulnerability_to_json),
    ])
}

impl Store {
    /// Starts recording `run` (its id, source and start; the rest is rewritten by
    /// [`RunWriter::finish`]): takes the write lock until the writer finishes or is
    /// dropped. A run already recorded under that id is [`StoreError::DuplicateRun`].
    pub fn begin_run(&mut self, run: &RunInfo) -> Result<BackendRunWriter<'_>, StoreError> {
        let path = self.path.as_path();
        let conn = match &mut self.db {
            crate::sql::Db::Sqlite(c) => c,
            crate::sql::Db::Postgres(pg) => return Ok(BackendRunWriter::Postgres(pg.begin_run(run)?)),
        };
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sql(path))?;
        insert_run(&tx, path, run)?;
        Ok(BackendRunWriter::Sqlite(RunWriter {
            tx,
            path,
            run_id: run.id.clone(),
            // Every row the run writes is stamped with the run's end as the caller gave it
            // at the start; `finish` does not restamp them.
            updated_at: codec::time_to_text(run.finished_at),
            gaps: 0,
            findings: 0,
            check_ids: run.checks.iter().cloned().collect(),
        }))
    }
}

impl RunWriter<'_> {
    /// Records one part of the run: its gaps, and each finding upserted under the lifecycle
    /// rules. Returns what each finding became (see [`apply`]); it is only the store's
    /// once [`RunWriter::finish`] commits.
    pub fn write(&mut self, findings: &[Finding], gaps: &[Gap]) -> Result<Updates, StoreError> {
        let (tx, path) = (&self.tx, self.path);
        let err = sql(path);
        let bad = corrupt(path);
        let updated_at = self.updated_at.as_str();
        let run_id = self.run_id.as_str();
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO gaps (run_id, seq, action, kind, account, region, resource, message)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(&err)?;
            for g in gaps {
                insert
                    .execute(params![run_id, self.gaps, g.action, codec::gap_kind_to_text(g.kind), g.account, g.region, g.resource, g.message])
                    .map_err(&err)?;
                self.gaps += 1;
            }
        }

        let mut updates: Updates = vec![None; findings.len()];
        // Visiting findings in id order walks the B-trees keyed by id from left to right
        // instead of at random: several times fewer page misses on large runs.
        let mut order: Vec<usize> = (0..findings.len()).collect();
        order.sort_unstable_by(|&a, &b| findings[a].id.cmp(&findings[b].id));
        let mut get = tx
            .prepare_cached("SELECT status, workflow_status, record_state, first_observed FROM findings WHERE id = ?1")
            .map_err(&err)?;
        let mut insert = tx.prepare_cached(INSERT_FINDING).map_err(&err)?;
        let mut update = tx.prepare_cached(UPDATE_FINDING).map_err(&err)?;
        let mut result = tx
            .prepare_cached(
                "INSERT OR REPLACE INTO run_results
                 (run_id, finding_id, status, severity, reason, workflow_status, observed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .map_err(&err)?;
        let mut history = tx
            .prepare_cached(
                "INSERT INTO workflow_history (finding_id, changed_at, from_status, to_status, note, run_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .map_err(&err)?;
        let mut last_note =
            tx.prepare_cached("SELECT note FROM workflow_history WHERE finding_id = ?1 ORDER BY id DESC LIMIT 1").map_err(&err)?;

        for &i in &order {
            let f = &findings[i];
            let row = get
                .query_row([&f.id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?)))
                .optional()
                .map_err(&err)?;
            let known = match row {
                None => None,
                Some((status, workflow, state, first)) => Some((
                    Known {
                        status: codec::status_from_text(&status).map_err(&bad)?,
                        workflow: codec::workflow_from_text(&workflow).map_err(&bad)?,
                        record_state: codec::record_state_from_text(&state).map_err(&bad)?,
                    },
                    codec::time_from_text(&first).map_err(&bad)?,
                )),
            };
            // A suppression rule of the configuration arrives as SUPPRESSED on the finding;
            // when no rule suppresses it any more (expired, removed), a finding that only the
            // configuration had suppressed reopens. A person's SUPPRESSED is never touched.
            let by_config = f.workflow_status == WorkflowStatus::Suppressed;
            let config_lapsed = match known {
                Some((k, _)) if !by_config && k.workflow == WorkflowStatus::Suppressed => last_note
                    .query_row([&f.id], |r| r.get::<_, String>(0))
                    .optional()
                    .map_err(&err)?
                    .is_some_and(|n| n.starts_with(CONFIG_SUPPRESSION)),
                _ => false,
            };
            let workflow = if by_config {
                WorkflowStatus::Suppressed
            } else if config_lapsed {
                next_workflow(None, f.status)
            } else {
                next_workflow(known.map(|(k, _)| k), f.status)
            };
            let first_observed = known.map_or(codec::truncate(f.first_observed), |(_, t)| t);
            let last_observed = codec::truncate(f.last_observed);
            let last_text = codec::time_to_text(last_observed);

            let write = if known.is_some() { &mut update } else { &mut insert };
            execute_finding_row(write, f, first_observed, &last_text, workflow, updated_at).map_err(&err)?;
            result
                .execute(params![run_id, f.id, f.status.as_str(), f.severity.label(), f.reason, workflow.as_str(), last_text])
                .map_err(&err)?;
            if known.is_none() && by_config {
                history
                    .execute(params![f.id, updated_at, WorkflowStatus::New.as_str(), workflow.as_str(), CONFIG_SUPPRESSION, run_id])
                    .map_err(&err)?;
            }
            if let Some((k, _)) = known {
                if k.workflow != workflow {
                    let note = if by_config {
                        CONFIG_SUPPRESSION.to_string()
                    } else if config_lapsed {
                        "automatic: no suppression rule applies any more".to_string()
                    } else if k.record_state == RecordState::Archived {
                        format!("automatic: back from archive as {}", f.status)
                    } else {
                        format!("automatic: compliance {} -> {}", k.status, f.status)
                    };
                    history.execute(params![f.id, updated_at, k.workflow.as_str(), workflow.as_str(), note, run_id]).map_err(&err)?;
                }
            }
            if !self.check_ids.contains(&*f.check_id) {
                self.check_ids.insert(f.check_id.to_string());
            }
            updates[i] = Some((first_observed, last_observed, workflow));
        }
        self.findings += findings.len();
        Ok(updates)
    }

    /// Renews the lease of job `id` held by `worker` (see [`Store::renew_job`]) inside the
    /// run's transaction: while a run is written the store takes no other writer, so the
    /// worker writing it renews its own lease here (it is kept when the run commits).
    pub fn renew_job(&mut self, id: i64, worker: &str, now: Timestamp, lease: time::Duration) -> Result<bool, StoreError> {
        crate::jobs::renew(&self.tx, self.path, id, worker, now, lease)
    }

    /// The run's tags of resources, written with it (see [`Store::set_resource_tags`]).
    pub fn set_resource_tags<'a>(
        &mut self,
        tags: impl IntoIterator<Item = (&'a str, &'a std::collections::BTreeMap<String, String>)>,
    ) -> Result<(), StoreError> {
        crate::query::write_resource_tags(&self.tx, self.path, tags)
    }

    /// Writes `run` as the run's final description (end, accounts, regions, checks, what
    /// was incomplete; its id must be the one begun), archives the findings the run could
    /// have produced and did not, and commits. Returns how many were archived.
    pub fn finish(self, run: &RunInfo) -> Result<usize, StoreError> {
        let err = sql(self.path);
        if run.id != self.run_id {
            return Err(StoreError::InvalidUpdate(format!("run {} was begun; cannot finish it as run {}", self.run_id, run.id)));
        }
        self.tx
            .execute(
                "UPDATE runs SET finished_at = ?2, accounts = ?3, regions = ?4, tool_version = ?5, checks = ?6, incomplete = ?7 WHERE id = ?1",
                params![
                    run.id,
                    codec::time_to_text(run.finished_at),
                    codec::strings_to_json(&run.accounts),
                    codec::strings_to_json(&run.regions),
                    run.tool_version,
                    codec::strings_to_json(&run.checks),
                    codec::strings_to_json(&run.incomplete),
                ],
            )
            .map_err(&err)?;
        let mut check_ids = self.check_ids;
        check_ids.extend(run.checks.iter().cloned());
        let archived = if check_ids.is_empty() || run.accounts.is_empty() || run.regions.is_empty() {
            0
        } else {
            let mut check_ids: Vec<String> = check_ids.into_iter().collect();
            check_ids.sort_unstable();
            self.tx
                .execute(
                    ARCHIVE_VANISHED,
                    params![
                        self.updated_at,
                        codec::strings_to_json(&run.accounts),
                        codec::strings_to_json(&run.regions),
                        codec::strings_to_json(&check_ids),
                        run.id,
                    ],
                )
                .map_err(&err)?
        };
        self.tx.commit().map_err(&err)?;
        tracing::debug!(run_id = %run.id, findings = self.findings, gaps = self.gaps, archived, "recorded run");
        Ok(archived)
    }
}

/// A run being recorded part by part on either backend ([`crate::Backend::begin_run`]).
pub enum BackendRunWriter<'s> {
    Sqlite(RunWriter<'s>),
    Postgres(crate::pg::PgRunWriter<'s>),
}

impl BackendRunWriter<'_> {
    /// [`RunWriter::write`].
    pub fn write(&mut self, findings: &[Finding], gaps: &[Gap]) -> Result<Updates, StoreError> {
        match self {
            BackendRunWriter::Sqlite(w) => w.write(findings, gaps),
            BackendRunWriter::Postgres(w) => w.write(findings, gaps),
        }
    }

    /// [`RunWriter::renew_job`] on SQLite; on PostgreSQL a run's transaction blocks no
    /// other writer of the queue, and the worker's renewer thread renews: nothing to do.
    pub fn renew_job(&mut self, id: i64, worker: &str, now: Timestamp, lease: time::Duration) -> Result<bool, StoreError> {
        match self {
            BackendRunWriter::Sqlite(w) => w.renew_job(id, worker, now, lease),
            BackendRunWriter::Postgres(_) => Ok(true),
        }
    }

    /// [`RunWriter::set_resource_tags`].
    pub fn set_resource_tags<'a>(
        &mut self,
        tags: impl IntoIterator<Item = (&'a str, &'a std::collections::BTreeMap<String, String>)>,
    ) -> Result<(), StoreError> {
        match self {
            BackendRunWriter::Sqlite(w) => w.set_resource_tags(tags),
            BackendRunWriter::Postgres(w) => w.set_resource_tags(tags),
        }
    }

    /// [`RunWriter::finish`].
    pub fn finish(self, run: &RunInfo) -> Result<usize, StoreError> {
        match self {
            BackendRunWriter::Sqlite(w) => w.finish(run),
            BackendRunWriter::Postgres(w) => w.finish(run),
        }
    }
}

impl Store {
    /// The outputs of batch `batch`'s jobs whose key starts with `prefix` (one account's
    /// parts: `<batch>/<account>/`), by key: what a streaming evaluation reads one account
    /// at a time.
    pub fn job_outputs_with_prefix(&self, batch: &str, prefix: &str) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        if let crate::sql::Db::Postgres(pg) = &self.db {
            return pg.job_outputs_with_prefix(batch, prefix);
        }
        let err = sql(&self.path);
        let mut stmt = self
            .lite()?
            .prepare_cached("SELECT key, body FROM job_outputs WHERE batch = ?1 AND substr(key, 1, length(?2)) = ?2 ORDER BY key")
            .map_err(&err)?;
        let rows = stmt.query_map(params![batch, prefix], |r| Ok((r.get(0)?, r.get(1)?))).map_err(&err)?;
        rows.collect::<Result<_, _>>().map_err(&err)
    }

    /// Up to `limit` ids of run `run_id`'s findings after `after` (by id): the run's
    /// findings a page at a time.
    pub fn run_finding_ids(&self, run_id: &str, after: &str, limit: usize) -> Result<Vec<String>, StoreError> {
        if let crate::sql::Db::Postgres(pg) = &self.db {
            return pg.run_finding_ids(run_id, after, limit);
        }
        let err = sql(&self.path);
        let mut stmt = self
            .lite()?
            .prepare_cached("SELECT finding_id FROM run_results WHERE run_id = ?1 AND finding_id > ?2 ORDER BY finding_id LIMIT ?3")
            .map_err(&err)?;
        let rows = stmt.query_map(params![run_id, after, limit as i64], |r| r.get(0)).map_err(&err)?;
        rows.collect::<Result<_, _>>().map_err(&err)
    }
}
