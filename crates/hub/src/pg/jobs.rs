//! The job queue on PostgreSQL: the same semantics as SQLite's (`crate::jobs`), for worker
//! processes on any number of machines sharing one database.
//!
//! A claim is one statement: the oldest claimable job of the kinds asked for is selected
//! `FOR UPDATE SKIP LOCKED` (a job another claimer is taking at that moment is passed over,
//! never waited for nor given twice) and updated to `running` with the claimer's lease.
//! The same statement first marks dead the jobs whose lease ran out on their last attempt
//! (also `SKIP LOCKED`), and a barrier job's wait counts those as dead already, so the
//! evaluation of a batch is never held back by a job no one will run again. Renewing,
//! finishing and failing change a job only while the caller holds its lease; a job's output
//! (`bytea`) and its `done` state are written in one transaction.
//!
//! Leases compare the callers' clocks (`now`, as on SQLite): workers on several machines
//! need clocks in step (NTP) to well under a lease.

use super::PgStore;
use crate::codec;
use crate::jobs::{BatchProgress, DeadJob, Job, NewJob, RunningJob, MAX_ATTEMPTS};
use crate::StoreError;
use rampart_model::Timestamp;
use serde_json::Value;

fn t(now: Timestamp) -> String {
    codec::time_to_text(codec::truncate(now))
}

fn payload(key: &str, text: &str) -> Result<Value, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::InvalidUpdate(format!("job {key}: its payload is not JSON: {e}")))
}

/// The claim: dead jobs swept, then the oldest claimable job taken (see the module's text).
/// `$1` kinds, `$2` now, `$3` worker, `$4` lease until, `$5` [`MAX_ATTEMPTS`].
const CLAIM: &str = r#"
WITH swept AS (
    UPDATE jobs SET state = 'dead', lease_owner = NULL, finished_at = $2,
           last_error = coalesce(last_error, 'its worker stopped (lease ran out) on every attempt')
    WHERE id IN (
        SELECT id FROM jobs
        WHERE state = 'running' AND lease_until < $2 AND attempts >= $5
        FOR UPDATE SKIP LOCKED)
    RETURNING id
), picked AS (
    SELECT j.id FROM jobs j
    WHERE j.kind = ANY($1)
      AND (j.state = 'pending' OR (j.state = 'running' AND j.lease_until < $2))
      AND j.attempts < $5
      AND (NOT j.barrier OR NOT EXISTS (
          SELECT 1 FROM jobs o
          WHERE o.batch = j.batch AND o.id <> j.id
            AND (o.state = 'pending' OR (o.state = 'running' AND NOT (o.lease_until < $2 AND o.attempts >= $5)))))
    ORDER BY j.id
    LIMIT 1
    FOR UPDATE SKIP LOCKED
)
UPDATE jobs SET state = 'running', attempts = jobs.attempts + 1, lease_owner = $3, lease_until = $4
FROM picked
WHERE jobs.id = picked.id
RETURNING jobs.id, jobs.batch, jobs.key, jobs.kind, jobs.payload, jobs.attempts
"#;

impl PgStore {
    /// [`crate::Store::enqueue_jobs`] on PostgreSQL.
    pub fn enqueue_jobs(&mut self, batch: &str, jobs: &[NewJob], now: Timestamp) -> Result<usize, StoreError> {
        let err = self.err();
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction().map_err(&err)?;
        let stmt = tx
            .prepare(
                "INSERT INTO jobs (batch, key, kind, payload, barrier, state, created_at)
                 VALUES ($1, $2, $3, $4, $5, 'pending', $6) ON CONFLICT (key) DO NOTHING",
            )
            .map_err(&err)?;
        let created = t(now);
        let mut added = 0;
        for j in jobs {
            added += tx.execute(&stmt, &[&batch, &j.key, &j.kind, &j.payload.to_string(), &j.barrier, &created]).map_err(&err)? as usize;
        }
        tx.commit().map_err(&err)?;
        Ok(added)
    }

    /// [`crate::Store::claim_job`] on PostgreSQL: one statement (see the module's text).
    pub fn claim_job(&mut self, worker: &str, kinds: &[&str], now: Timestamp, lease: time::Duration) -> Result<Option<Job>, StoreError> {
        let err = self.err();
        let until = codec::truncate(now + lease);
        let kinds: Vec<String> = kinds.iter().map(|k| k.to_string()).collect();
        let max = MAX_ATTEMPTS as i32;
        let row = self.client.borrow_mut().query_opt(CLAIM, &[&kinds, &t(now), &worker, &t(until), &max]).map_err(&err)?;
        let Some(row) = row else { return Ok(None) };
        let key: String = row.get(2);
        let payload = payload(&key, row.get(4))?;
        Ok(Some(Job {
            id: row.get(0),
            batch: row.get(1),
            kind: row.get(3),
            payload,
            attempts: row.get::<_, i32>(5) as u32,
            key,
            lease_until: until,
        }))
    }

    /// [`crate::Store::renew_job`] on PostgreSQL.
    pub fn renew_job(&mut self, id: i64, worker: &str, now: Timestamp, lease: time::Duration) -> Result<bool, StoreError> {
        let n = self
            .client
            .borrow_mut()
            .execute(
                "UPDATE jobs SET lease_until = $3 WHERE id = $1 AND lease_owner = $2 AND state = 'running'",
                &[&id, &worker, &t(now + lease)],
            )
            .map_err(self.err())?;
        Ok(n == 1)
    }

    /// [`crate::Store::finish_job`] on PostgreSQL: the output and the `done` state in one
    /// transaction, only by the lease's holder.
    pub fn finish_job(&mut self, id: i64, worker: &str, output: Option<&[u8]>, now: Timestamp) -> Result<bool, StoreError> {
        let err = self.err();
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction().map_err(&err)?;
        let n = tx
            .execute(
                "UPDATE jobs SET state = 'done', lease_owner = NULL, finished_at = $3 WHERE id = $1 AND lease_owner = $2 AND state = 'running'",
                &[&id, &worker, &t(now)],
            )
            .map_err(&err)?;
        if n == 1 {
            if let Some(body) = output {
                tx.execute(
                    "INSERT INTO job_outputs (batch, key, body) SELECT batch, key, $2 FROM jobs WHERE id = $1
                     ON CONFLICT (batch, key) DO UPDATE SET body = excluded.body",
                    &[&id, &body],
                )
                .map_err(&err)?;
            }
        }
        tx.commit().map_err(&err)?;
        Ok(n == 1)
    }

    /// [`crate::Store::fail_job`] on PostgreSQL.
    pub fn fail_job(&mut self, id: i64, worker: &str, error: &str, now: Timestamp) -> Result<bool, StoreError> {
        let n = self
            .client
            .borrow_mut()
            .execute(
                "UPDATE jobs SET state = CASE WHEN attempts >= $4 THEN 'dead' ELSE 'pending' END,
                        finished_at = CASE WHEN attempts >= $4 THEN $5 END,
                        lease_owner = NULL, lease_until = NULL, last_error = $3
                 WHERE id = $1 AND lease_owner = $2 AND state = 'running'",
                &[&id, &worker, &error, &(MAX_ATTEMPTS as i32), &t(now)],
            )
            .map_err(self.err())?;
        Ok(n == 1)
    }

    /// [`crate::Store::batch_progress`] on PostgreSQL.
    pub fn batch_progress(&self, batch: &str) -> Result<BatchProgress, StoreError> {
        let rows = self
            .client
            .borrow_mut()
            .query("SELECT state, count(*), coalesce(sum(attempts), 0)::bigint FROM jobs WHERE batch = $1 GROUP BY state", &[&batch])
            .map_err(self.err())?;
        let mut p = BatchProgress::default();
        for r in rows {
            let n = r.get::<_, i64>(1) as usize;
            p.claims += r.get::<_, i64>(2) as usize;
            match r.get::<_, &str>(0) {
                "pending" => p.pending = n,
                "running" => p.running = n,
                "done" => p.done = n,
                _ => p.dead = n,
            }
        }
        Ok(p)
    }

    /// [`crate::Store::batch_jobs`] on PostgreSQL.
    pub fn batch_jobs(&self, batch: &str) -> Result<Vec<(String, String, Value)>, StoreError> {
        let rows = self
            .client
            .borrow_mut()
            .query("SELECT key, kind, payload FROM jobs WHERE batch = $1 ORDER BY id", &[&batch])
            .map_err(self.err())?;
        rows.iter()
            .map(|r| {
                let key: String = r.get(0);
                let value = payload(&key, r.get(2))?;
                Ok((key, r.get(1), value))
            })
            .collect()
    }

    /// [`crate::Store::dead_jobs`] on PostgreSQL.
    pub fn dead_jobs(&self, batch: &str) -> Result<Vec<DeadJob>, StoreError> {
        let rows = self
            .client
            .borrow_mut()
            .query(
                "SELECT key, kind, attempts, coalesce(last_error, '') FROM jobs WHERE batch = $1 AND state = 'dead' ORDER BY id",
                &[&batch],
            )
            .map_err(self.err())?;
        Ok(rows.iter().map(|r| DeadJob { key: r.get(0), kind: r.get(1), attempts: r.get::<_, i32>(2) as u32, error: r.get(3) }).collect())
    }

    /// [`crate::Store::running_jobs`] on PostgreSQL.
    pub fn running_jobs(&self, batch: &str) -> Result<Vec<RunningJob>, StoreError> {
        let bad = crate::store::corrupt(&self.path);
        let rows = self
            .client
            .borrow_mut()
            .query(
                "SELECT key, coalesce(lease_owner, ''), attempts, coalesce(lease_until, '') FROM jobs WHERE batch = $1 AND state = 'running' ORDER BY id",
                &[&batch],
            )
            .map_err(self.err())?;
        rows.iter()
            .map(|r| {
                let lease_until = codec::time_from_text(r.get(3)).map_err(&bad)?;
                Ok(RunningJob { key: r.get(0), worker: r.get(1), attempts: r.get::<_, i32>(2) as u32, lease_until })
            })
            .collect()
    }

    /// [`crate::Store::job_outputs`] on PostgreSQL.
    pub fn job_outputs(&self, batch: &str) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let rows = self
            .client
            .borrow_mut()
            .query("SELECT key, body FROM job_outputs WHERE batch = $1 ORDER BY key", &[&batch])
            .map_err(self.err())?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    /// [`crate::Store::drop_job_outputs`] on PostgreSQL.
    pub fn drop_job_outputs(&mut self, batch: &str) -> Result<usize, StoreError> {
        let n = self.client.borrow_mut().execute("DELETE FROM job_outputs WHERE batch = $1", &[&batch]).map_err(self.err())?;
        Ok(n as usize)
    }

    /// The job queue's schema version (this build's latest once opened to write).
    pub fn queue_version(&self) -> Result<u32, StoreError> {
        let row = self.client.borrow_mut().query_opt("SELECT version FROM rampart_schema WHERE name = 'jobs'", &[]).map_err(self.err())?;
        Ok(row.map_or(0, |r| r.get::<_, i32>(0) as u32))
    }

    /// Whether a run `id` is recorded.
    pub fn run_exists(&self, id: &str) -> Result<bool, StoreError> {
        let row = self.client.borrow_mut().query_one("SELECT EXISTS (SELECT 1 FROM runs WHERE id = $1)", &[&id]).map_err(self.err())?;
        Ok(row.get(0))
    }
}
