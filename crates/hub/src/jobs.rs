//! The job queue: work split into jobs that worker processes claim, on one machine or many.
//!
//! A job is *claimed* in one `IMMEDIATE` transaction that picks the oldest claimable job and
//! gives it to the worker with a lease (`lease_until`). The worker renews the lease while it
//! works ([`Store::renew_job`]); a worker that dies stops renewing, its lease runs out, and the
//! next claim takes the job again (attempt + 1). A job's output and its `done` state are
//! written in one transaction ([`Store::finish_job`]), and only by the worker that holds the
//! lease: a worker that lost its lease cannot finish the job a second time, so no output is
//! lost or counted twice. Enqueuing is idempotent by the job's `key`.
//!
//! A *barrier* job (the evaluation of a scan) is claimable only when every other job of its
//! batch is done or dead: it runs once, after the batch's collection. A job that failed
//! [`MAX_ATTEMPTS`] times is dead (its error kept); the batch still completes.

use crate::codec;
use crate::error::{sql, StoreError};
use crate::store::Store;
use rampart_model::Timestamp;
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use serde_json::Value;

/// Attempts before a job is dead.
pub const MAX_ATTEMPTS: u32 = 5;

/// A job to enqueue.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    /// Unique across the queue: enqueuing a key twice adds it once.
    pub key: String,
    pub kind: String,
    pub payload: Value,
    /// Wait for every other job of the batch first.
    pub barrier: bool,
}

/// A claimed job.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: i64,
    pub batch: String,
    pub key: String,
    pub kind: String,
    pub payload: Value,
    /// 1 for the first claim.
    pub attempts: u32,
    pub lease_until: Timestamp,
}

/// How far a batch is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct BatchProgress {
    pub pending: usize,
    pub running: usize,
    pub done: usize,
    pub dead: usize,
    /// Claims of the batch's jobs so far: more than its jobs when some were taken again
    /// (a worker died or an attempt failed).
    pub claims: usize,
}

impl BatchProgress {
    pub fn total(&self) -> usize {
        self.pending + self.running + self.done + self.dead
    }

    /// Every job is done or dead.
    pub fn finished(&self) -> bool {
        self.total() > 0 && self.pending + self.running == 0
    }
}

/// A job a worker holds now.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RunningJob {
    pub key: String,
    /// The lease holder's name (`rampart worker`: host and pid).
    pub worker: String,
    pub attempts: u32,
    pub lease_until: Timestamp,
}

/// A job that failed every attempt.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DeadJob {
    pub key: String,
    pub kind: String,
    pub attempts: u32,
    pub error: String,
}

fn t(now: Timestamp) -> String {
    codec::time_to_text(codec::truncate(now))
}

impl Store {
    /// Adds `jobs` to `batch`; a key already queued is left as it is. Returns how many were added.
    pub fn enqueue_jobs(&mut self, batch: &str, jobs: &[NewJob], now: Timestamp) -> Result<usize, StoreError> {
        if let crate::sql::Db::Postgres(pg) = &mut self.db {
            return pg.enqueue_jobs(batch, jobs, now);
        }
        let err = sql(&self.path);
        let tx = crate::sql::lite_mut(&mut self.db)?.transaction_with_behavior(TransactionBehavior::Immediate).map_err(&err)?;
        let mut added = 0;
        {
            let mut stmt = tx
                .prepare(
                    "INSERT OR IGNORE INTO jobs (batch, key, kind, payload, barrier, state, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6)",
                )
                .map_err(&err)?;
            for j in jobs {
                added += stmt.execute(params![batch, j.key, j.kind, j.payload.to_string(), i64::from(j.barrier), t(now)]).map_err(&err)?;
            }
        }
        tx.commit().map_err(&err)?;
        Ok(added)
    }

    /// Gives the oldest claimable job of `kinds` to `worker` until `now + lease`: a pending
    /// job, or a running one whose lease ran out (its worker died). A job claimed
    /// [`MAX_ATTEMPTS`] times without finishing is dead instead. `None`: nothing to do now.
    pub fn claim_job(&mut self, worker: &str, kinds: &[&str], now: Timestamp, lease: time::Duration) -> Result<Option<Job>, StoreError> {
        if let crate::sql::Db::Postgres(pg) = &mut self.db {
            return pg.claim_job(worker, kinds, now, lease);
        }
        let err = sql(&self.path);
        let now_text = t(now);
        let kinds_json = serde_json::to_string(kinds).unwrap_or_else(|_| "[]".into());
        let tx = crate::sql::lite_mut(&mut self.db)?.transaction_with_behavior(TransactionBehavior::Immediate).map_err(&err)?;
        // Jobs of any kind whose last attempt's lease ran out are dead: a barrier no longer
        // waits for them, whatever kinds this worker does.
        tx.execute(
            "UPDATE jobs SET state = 'dead', lease_owner = NULL, finished_at = ?1,
                    last_error = coalesce(last_error, 'its worker stopped (lease ran out) on every attempt')
             WHERE state = 'running' AND lease_until < ?1 AND attempts >= ?2",
            params![now_text, MAX_ATTEMPTS],
        )
        .map_err(&err)?;
        let picked = loop {
            let row: Option<(i64, u32, Option<String>)> = tx
                .query_row(
                    "SELECT id, attempts, last_error FROM jobs j
                     WHERE kind IN (SELECT value FROM json_each(?1))
                       AND (state = 'pending' OR (state = 'running' AND lease_until < ?2))
                       AND (barrier = 0 OR NOT EXISTS (
                           SELECT 1 FROM jobs o WHERE o.batch = j.batch AND o.id <> j.id AND o.state IN ('pending', 'running')))
                     ORDER BY id LIMIT 1",
                    params![kinds_json, now_text],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()
                .map_err(&err)?;
            let Some((id, attempts, last_error)) = row else { break None };
            if attempts >= MAX_ATTEMPTS {
                let why = last_error.unwrap_or_else(|| "its worker stopped (lease ran out) on every attempt".into());
                tx.execute(
                    "UPDATE jobs SET state = 'dead', lease_owner = NULL, last_error = ?2, finished_at = ?3 WHERE id = ?1",
                    params![id, why, now_text],
                )
                .map_err(&err)?;
                continue;
            }
            break Some(id);
        };
        let Some(id) = picked else {
            tx.commit().map_err(&err)?;
            return Ok(None);
        };
        let until = codec::truncate(now + lease);
        tx.execute(
            "UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_owner = ?2, lease_until = ?3 WHERE id = ?1",
            params![id, worker, t(until)],
        )
        .map_err(&err)?;
        let job = tx
            .query_row("SELECT batch, key, kind, payload, attempts FROM jobs WHERE id = ?1", [id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get::<_, u32>(4)?))
            })
            .map_err(&err)?;
        tx.commit().map_err(&err)?;
        let (batch, key, kind, payload, attempts) = job;
        let payload =
            serde_json::from_str(&payload).map_err(|e| StoreError::InvalidUpdate(format!("job {key}: its payload is not JSON: {e}")))?;
        Ok(Some(Job { id, batch, key, kind, payload, attempts, lease_until: until }))
    }

    /// Extends `worker`'s lease on job `id` to `now + lease`. `false`: the worker no longer
    /// holds the job (its lease ran out and another worker took it) and must stop.
    pub fn renew_job(&mut self, id: i64, worker: &str, now: Timestamp, lease: time::Duration) -> Result<bool, StoreError> {
        if let crate::sql::Db::Postgres(pg) = &mut self.db {
            return pg.renew_job(id, worker, now, lease);
        }
        renew(self.lite()?, &self.path, id, worker, now, lease)
    }

    /// Marks job `id` done with its output (kept under the job's key in its batch), in one
    /// transaction, if `worker` still holds it. `false`: it does not (nothing written).
    pub fn finish_job(&mut self, id: i64, worker: &str, output: Option<&[u8]>, now: Timestamp) -> Result<bool, StoreError> {
        if let crate::sql::Db::Postgres(pg) = &mut self.db {
            return pg.finish_job(id, worker, output, now);
        }
        let err = sql(&self.path);
        let tx = crate::sql::lite_mut(&mut self.db)?.transaction_with_behavior(TransactionBehavior::Immediate).map_err(&err)?;
        let n = tx
            .execute(
                "UPDATE jobs SET state = 'done', lease_owner = NULL, finished_at = ?3 WHERE id = ?1 AND lease_owner = ?2 AND state = 'running'",
                params![id, worker, t(now)],
            )
            .map_err(&err)?;
        if n == 1 {
            if let Some(body) = output {
                tx.execute(
                    "INSERT OR REPLACE INTO job_outputs (batch, key, body) SELECT batch, key, ?2 FROM jobs WHERE id = ?1",
                    params![id, body],
                )
                .map_err(&err)?;
            }
        }
        tx.commit().map_err(&err)?;
        Ok(n == 1)
    }

    /// Records a failed attempt of job `id` by `worker`: pending again at once (the next
    /// claim retries it), or dead after [`MAX_ATTEMPTS`]. `false`: `worker` did not hold it.
    pub fn fail_job(&mut self, id: i64, worker: &str, error: &str, now: Timestamp) -> Result<bool, StoreError> {
        if let crate::sql::Db::Postgres(pg) = &mut self.db {
            return pg.fail_job(id, worker, error, now);
        }
        let n = self
            .lite()?
            .execute(
                "UPDATE jobs SET state = CASE WHEN attempts >= ?4 THEN 'dead' ELSE 'pending' END,
                        finished_at = CASE WHEN attempts >= ?4 THEN ?5 END,
                        lease_owner = NULL, lease_until = NULL, last_error = ?3
                 WHERE id = ?1 AND lease_owner = ?2 AND state = 'running'",
                params![id, worker, error, MAX_ATTEMPTS, t(now)],
            )
            .map_err(sql(&self.path))?;
        Ok(n == 1)
    }

    /// How far `batch` is.
    pub fn batch_progress(&self, batch: &str) -> Result<BatchProgress, StoreError> {
        if let crate::sql::Db::Postgres(pg) = &self.db {
            return pg.batch_progress(batch);
        }
        let err = sql(&self.path);
        let mut stmt =
            self.lite()?.prepare("SELECT state, count(*), sum(attempts) FROM jobs WHERE batch = ?1 GROUP BY state").map_err(&err)?;
        let mut rows = stmt.query([batch]).map_err(&err)?;
        let mut p = BatchProgress::default();
        while let Some(r) = rows.next().map_err(&err)? {
            let n = r.get::<_, i64>(1).map_err(&err)? as usize;
            p.claims += r.get::<_, i64>(2).map_err(&err)? as usize;
            match r.get::<_, String>(0).map_err(&err)?.as_str() {
                "pending" => p.pending = n,
                "running" => p.running = n,
                "done" => p.done = n,
                _ => p.dead = n,
            }
        }
        Ok(p)
    }

    /// Every job of `batch`: key, kind and payload, in the order enqueued.
    pub fn batch_jobs(&self, batch: &str) -> Result<Vec<(String, String, Value)>, StoreError> {
        if let crate::sql::Db::Postgres(pg) = &self.db {
            return pg.batch_jobs(batch);
        }
        let err = sql(&self.path);
        let mut stmt = self.lite()?.prepare("SELECT key, kind, payload FROM jobs WHERE batch = ?1 ORDER BY id").map_err(&err)?;
        let rows =
            stmt.query_map([batch], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))).map_err(&err)?;
        let mut out = Vec::new();
        for row in rows {
            let (key, kind, payload) = row.map_err(&err)?;
            let payload = serde_json::from_str(&payload)
                .map_err(|e| StoreError::InvalidUpdate(format!("job {key}: its payload is not JSON: {e}")))?;
            out.push((key, kind, payload));
        }
        Ok(out)
    }

    /// The jobs of `batch` that failed every attempt.
    pub fn dead_jobs(&self, batch: &str) -> Result<Vec<DeadJob>, StoreError> {
        if let crate::sql::Db::Postgres(pg) = &self.db {
            return pg.dead_jobs(batch);
        }
        let err = sql(&self.path);
        let mut stmt = self
            .lite()?
            .prepare("SELECT key, kind, attempts, coalesce(last_error, '') FROM jobs WHERE batch = ?1 AND state = 'dead' ORDER BY id")
            .map_err(&err)?;
        let rows = stmt
            .query_map([batch], |r| Ok(DeadJob { key: r.get(0)?, kind: r.get(1)?, attempts: r.get(2)?, error: r.get(3)? }))
            .map_err(&err)?;
        rows.collect::<Result<_, _>>().map_err(&err)
    }

    /// The jobs of `batch` that workers hold now, in the order enqueued (a lease that ran out
    /// is listed until the next claim takes the job again).
    pub fn running_jobs(&self, batch: &str) -> Result<Vec<RunningJob>, StoreError> {
        if let crate::sql::Db::Postgres(pg) = &self.db {
            return pg.running_jobs(batch);
        }
        let err = sql(&self.path);
        let bad = crate::store::corrupt(&self.path);
        let mut stmt = self
            .lite()?
            .prepare("SELECT key, coalesce(lease_owner, ''), attempts, coalesce(lease_until, '') FROM jobs WHERE batch = ?1 AND state = 'running' ORDER BY id")
            .map_err(&err)?;
        let rows = stmt
            .query_map([batch], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, u32>(2)?, r.get::<_, String>(3)?)))
            .map_err(&err)?;
        let mut out = Vec::new();
        for row in rows {
            let (key, worker, attempts, until) = row.map_err(&err)?;
            out.push(RunningJob { key, worker, attempts, lease_until: codec::time_from_text(&until).map_err(&bad)? });
        }
        Ok(out)
    }

    /// The outputs of `batch`'s finished jobs, by key.
    pub fn job_outputs(&self, batch: &str) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        if let crate::sql::Db::Postgres(pg) = &self.db {
            return pg.job_outputs(batch);
        }
        let err = sql(&self.path);
        let mut stmt = self.lite()?.prepare("SELECT key, body FROM job_outputs WHERE batch = ?1 ORDER BY key").map_err(&err)?;
        let rows = stmt.query_map([batch], |r| Ok((r.get(0)?, r.get(1)?))).map_err(&err)?;
        rows.collect::<Result<_, _>>().map_err(&err)
    }

    /// Whether a run `id` is recorded (an evaluation retried after its worker died finds
    /// its run there and records nothing twice).
    pub fn run_exists(&self, id: &str) -> Result<bool, StoreError> {
        if let crate::sql::Db::Postgres(pg) = &self.db {
            return pg.run_exists(id);
        }
        self.lite()?.query_row("SELECT EXISTS (SELECT 1 FROM runs WHERE id = ?1)", [id], |r| r.get(0)).map_err(sql(&self.path))
    }

    /// Forgets a finished batch's outputs (its jobs stay as a record).
    pub fn drop_job_outputs(&mut self, batch: &str) -> Result<usize, StoreError> {
        if let crate::sql::Db::Postgres(pg) = &mut self.db {
            return pg.drop_job_outputs(batch);
        }
        self.lite()?.execute("DELETE FROM job_outputs WHERE batch = ?1", [batch]).map_err(sql(&self.path))
    }
}

/// [`Store::renew_job`] on `conn`, which may be inside a transaction (a run being written:
/// `crate::RunWriter::renew_job`).
pub(crate) fn renew(conn: &rusqlite::Connection, path: &std::path::Path, id: i64, worker: &str, now: Timestamp, lease: time::Duration) -> Result<bool, StoreError> {
    let n = conn
        .execute("UPDATE jobs SET lease_until = ?3 WHERE id = ?1 AND lease_owner = ?2 AND state = 'running'", params![id, worker, t(now + lease)])
        .map_err(sql(path))?;
    Ok(n == 1)
}
