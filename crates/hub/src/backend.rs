//! The findings store on either backend: [`Backend`] is a SQLite [`Store`] or a
//! PostgreSQL [`PgStore`], with the operations both implement (recording a run, runs,
//! results, gaps, the findings and their query, people's changes and the history) and
//! the job queue (enqueue, claim, renew, finish, fail, a batch's progress and outputs). The
//! conformance suite (`tests/conformance.rs`) runs the same tests through it on both.
//! Everything else (assessments, accounts, insights, automation, events, inventory,
//! audit) is the SQLite store's alone: [`Backend::sqlite`] says so by name on PostgreSQL.

use crate::jobs::{BatchProgress, DeadJob, Job, NewJob, RunningJob};
use crate::pg::{is_postgres_url, PgMode, PgStore};
use crate::query::{FindingQuery, FindingRecord, FindingsPage};
use crate::store::{FindingFilter, Store, WorkflowChange};
use crate::triage::{BatchUpdateResult, ChangeAuthor, FindingUpdate};
use crate::StoreError;
use rampart_model::{Finding, Gap, RunInfo, Timestamp, WorkflowStatus};
use std::path::Path;

/// The findings store on SQLite or PostgreSQL.
pub enum Backend {
    Sqlite(Store),
    Postgres(PgStore),
}

macro_rules! both {
    ($self:expr, $s:ident => $e:expr) => {
        match $self {
            Backend::Sqlite($s) => $e,
            Backend::Postgres($s) => $e,
        }
    };
}

impl Backend {
    /// Opens `spec`, a `postgres://` URL or a SQLite file's path, as `mode` says (see
    /// [`Store::open`], [`Store::open_existing`], [`Store::open_read_only`]).
    pub fn open(spec: &str, mode: PgMode) -> Result<Backend, StoreError> {
        if is_postgres_url(spec) {
            return PgStore::connect(spec, mode).map(Backend::Postgres);
        }
        let path = Path::new(spec);
        Ok(Backend::Sqlite(match mode {
            PgMode::Create => Store::open(path)?,
            PgMode::Existing => Store::open_existing(path)?,
            PgMode::ReadOnly => Store::open_read_only(path)?,
        }))
    }

    /// Where the store lives: a file's path, or the URL without its password.
    pub fn describe(&self) -> String {
        match self {
            Backend::Sqlite(s) => s.path().display().to_string(),
            Backend::Postgres(p) => p.target().to_string(),
        }
    }

    /// Whether this is PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        matches!(self, Backend::Postgres(_))
    }

    /// The SQLite store, for what only it holds; on PostgreSQL
    /// [`StoreError::NotOnPostgres`] naming `what`.
    pub fn sqlite(&self, what: &str) -> Result<&Store, StoreError> {
        match self {
            Backend::Sqlite(s) => Ok(s),
            Backend::Postgres(_) => Err(StoreError::NotOnPostgres(what.to_string())),
        }
    }

    /// [`Backend::sqlite`], to change what only it holds.
    pub fn sqlite_mut(&mut self, what: &str) -> Result<&mut Store, StoreError> {
        match self {
            Backend::Sqlite(s) => Ok(s),
            Backend::Postgres(_) => Err(StoreError::NotOnPostgres(what.to_string())),
        }
    }

    /// The findings store's schema version.
    pub fn schema_version(&self) -> u32 {
        both!(self, s => s.schema_version())
    }

    pub fn record_run(&mut self, run: &RunInfo, findings: &mut [Finding], gaps: &[Gap]) -> Result<(), StoreError> {
        both!(self, s => s.record_run(run, findings, gaps))
    }

    pub fn runs(&self) -> Result<Vec<RunInfo>, StoreError> {
        both!(self, s => s.runs())
    }

    pub fn run_results(&self, run_id: &str) -> Result<Vec<Finding>, StoreError> {
        both!(self, s => s.run_results(run_id))
    }

    pub fn gaps(&self, run_id: &str) -> Result<Vec<Gap>, StoreError> {
        both!(self, s => s.gaps(run_id))
    }

    pub fn findings(&self, filter: &FindingFilter) -> Result<Vec<Finding>, StoreError> {
        both!(self, s => s.findings(filter))
    }

    pub fn count_findings(&self, filter: &FindingFilter) -> Result<usize, StoreError> {
        both!(self, s => s.count_findings(filter))
    }

    pub fn get_findings(&self, query: &FindingQuery, now: Timestamp) -> Result<FindingsPage, StoreError> {
        both!(self, s => s.get_findings(query, now))
    }

    pub fn count_query(&self, query: &FindingQuery, now: Timestamp) -> Result<u64, StoreError> {
        both!(self, s => s.count_query(query, now))
    }

    pub fn finding_record(&self, id: &str) -> Result<FindingRecord, StoreError> {
        both!(self, s => s.finding_record(id))
    }

    pub fn set_workflow_by(&mut self, id: &str, status: WorkflowStatus, note: &str, changed_by: Option<&str>) -> Result<(), StoreError> {
        both!(self, s => s.set_workflow_by(id, status, note, changed_by))
    }

    pub fn workflow_history(&self, id: &str) -> Result<Vec<WorkflowChange>, StoreError> {
        both!(self, s => s.workflow_history(id))
    }

    pub fn batch_update_findings(
        &mut self,
        ids: &[String],
        update: &FindingUpdate,
        author: &ChangeAuthor,
        now: Timestamp,
    ) -> Result<BatchUpdateResult, StoreError> {
        both!(self, s => s.batch_update_findings(ids, update, author, now))
    }

    pub fn run_summaries(&self) -> Result<Vec<crate::RunSummary>, StoreError> {
        both!(self, s => s.run_summaries())
    }

    pub fn product_names(&self, ids: &[String]) -> Result<std::collections::HashMap<String, String>, StoreError> {
        both!(self, s => s.product_names(ids))
    }

    pub fn set_resource_tags<'a>(
        &mut self,
        tags: impl IntoIterator<Item = (&'a str, &'a std::collections::BTreeMap<String, String>)>,
    ) -> Result<(), StoreError> {
        both!(self, s => s.set_resource_tags(tags))
    }
}

/// The job queue (`jobs.rs`, `pg/jobs.rs`): the same semantics on both.
impl Backend {
    pub fn enqueue_jobs(&mut self, batch: &str, jobs: &[NewJob], now: Timestamp) -> Result<usize, StoreError> {
        both!(self, s => s.enqueue_jobs(batch, jobs, now))
    }

    pub fn claim_job(&mut self, worker: &str, kinds: &[&str], now: Timestamp, lease: time::Duration) -> Result<Option<Job>, StoreError> {
        both!(self, s => s.claim_job(worker, kinds, now, lease))
    }

    pub fn renew_job(&mut self, id: i64, worker: &str, now: Timestamp, lease: time::Duration) -> Result<bool, StoreError> {
        both!(self, s => s.renew_job(id, worker, now, lease))
    }

    pub fn finish_job(&mut self, id: i64, worker: &str, output: Option<&[u8]>, now: Timestamp) -> Result<bool, StoreError> {
        both!(self, s => s.finish_job(id, worker, output, now))
    }

    pub fn fail_job(&mut self, id: i64, worker: &str, error: &str, now: Timestamp) -> Result<bool, StoreError> {
        both!(self, s => s.fail_job(id, worker, error, now))
    }

    pub fn batch_progress(&self, batch: &str) -> Result<BatchProgress, StoreError> {
        both!(self, s => s.batch_progress(batch))
    }

    pub fn batch_jobs(&self, batch: &str) -> Result<Vec<(String, String, serde_json::Value)>, StoreError> {
        both!(self, s => s.batch_jobs(batch))
    }

    pub fn dead_jobs(&self, batch: &str) -> Result<Vec<DeadJob>, StoreError> {
        both!(self, s => s.dead_jobs(batch))
    }

    pub fn running_jobs(&self, batch: &str) -> Result<Vec<RunningJob>, StoreError> {
        both!(self, s => s.running_jobs(batch))
    }

    pub fn job_outputs(&self, batch: &str) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        both!(self, s => s.job_outputs(batch))
    }

    pub fn drop_job_outputs(&mut self, batch: &str) -> Result<usize, StoreError> {
        both!(self, s => s.drop_job_outputs(batch))
    }

    /// Whether a run `id` is recorded.
    pub fn run_exists(&self, id: &str) -> Result<bool, StoreError> {
        both!(self, s => s.run_exists(id))
    }
}
