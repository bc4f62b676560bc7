//! Queries for browsing the store: one finding with what each run said about it, and
//! the runs with their result counts. Read-only: they work on a store opened with
//! [`Store::open_read_only`].

use crate::codec;
use crate::error::{sql, StoreError};
use crate::sql::vals;
use crate::store::{corrupt, finding_from_row, Store, CURRENT_COLUMNS};
use rampart_model::{RunInfo, Status, Timestamp, WorkflowStatus};

/// What one run said about one finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunResult {
    pub run_id: String,
    pub observed_at: Timestamp,
    pub status: Status,
    pub severity: rampart_model::Severity,
    pub reason: String,
    pub workflow_status: WorkflowStatus,
}

/// A run and how many of its results had each status.
#[derive(Debug, Clone, PartialEq)]
pub struct RunSummary {
    pub run: RunInfo,
    /// `(status, count)` for every status with a result: FAILED, WARNING, NOT_AVAILABLE,
    /// PASSED.
    pub counts: Vec<(Status, usize)>,
}

impl Store {
    /// The current state of one finding; [`StoreError::UnknownFinding`] if there is none.
    pub fn finding(&self, finding_id: &str) -> Result<rampart_model::Finding, StoreError> {
        let row = self.sql().query_opt(&format!("SELECT {CURRENT_COLUMNS} FROM findings f WHERE f.id = ?"), &vals![finding_id])?;
        match row {
            Some(row) => finding_from_row(&row, &self.path),
            None => Err(StoreError::UnknownFinding(finding_id.to_string())),
        }
    }

    /// What every run that produced a finding said about it, oldest first.
    pub fn finding_results(&self, finding_id: &str) -> Result<Vec<RunResult>, StoreError> {
        let bad = corrupt(&self.path);
        let rows = self.sql().query(
            "SELECT r.run_id, r.observed_at, r.status, r.severity, r.reason, r.workflow_status
             FROM run_results r JOIN runs ON runs.id = r.run_id
             WHERE r.finding_id = ? ORDER BY runs.started_at, runs.id",
            &vals![finding_id],
        )?;
        rows.iter()
            .map(|row| {
                Ok(RunResult {
                    run_id: row.text(0)?,
                    observed_at: codec::time_from_text(&row.text(1)?).map_err(&bad)?,
                    status: codec::status_from_text(&row.text(2)?).map_err(&bad)?,
                    severity: codec::severity_from_text(&row.text(3)?).map_err(&bad)?,
                    reason: row.text(4)?,
                    workflow_status: codec::workflow_from_text(&row.text(5)?).map_err(&bad)?,
                })
            })
            .collect()
    }

    /// Every run, newest first, with the count of its results per status.
    pub fn run_summaries(&self) -> Result<Vec<RunSummary>, StoreError> {
        if let crate::sql::Db::Postgres(pg) = &self.db {
            return pg.run_summaries();
        }
        let err = sql(&self.path);
        let bad = corrupt(&self.path);
        let mut counts: std::collections::HashMap<String, Vec<(Status, usize)>> = Default::default();
        {
            let mut stmt =
                self.lite()?.prepare_cached("SELECT run_id, status, count(*) FROM run_results GROUP BY run_id, status").map_err(&err)?;
            let mut rows = stmt.query([]).map_err(&err)?;
            while let Some(row) = rows.next().map_err(&err)? {
                let run: String = row.get(0).map_err(&err)?;
                let status = codec::status_from_text(&row.get::<_, String>(1).map_err(&err)?).map_err(&bad)?;
                let n: i64 = row.get(2).map_err(&err)?;
                counts.entry(run).or_default().push((status, usize::try_from(n).unwrap_or(0)));
            }
        }
        Ok(self
            .runs()?
            .into_iter()
            .map(|run| {
                let mut c = counts.remove(&run.id).unwrap_or_default();
                c.sort_by_key(|(s, _)| status_rank(*s));
                RunSummary { run, counts: c }
            })
            .collect())
    }
}

/// Failures first, as a reader scans for them.
pub(crate) fn status_rank(s: Status) -> u8 {
    match s {
        Status::Failed => 0,
        Status::Warning => 1,
        Status::NotAvailable => 2,
        Status::Passed => 3,
    }
}
