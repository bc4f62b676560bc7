//! The job queue (see `jobs.rs`): work that any worker process may do — collect one
//! account's region, evaluate a scan — claimed with a lease that the worker renews, and
//! what each finished job produced.

use super::Schema;

pub(crate) static JOBS: Schema = Schema {
    name: "jobs",
    migrations: &[
        // 1: jobs and their outputs. `key` makes enqueuing idempotent; a job waits for the
        // other jobs of its batch when `barrier` is 1 (the evaluation after collection).
        r#"
CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    batch       TEXT NOT NULL,
    key         TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL,          -- JSON
    barrier     INTEGER NOT NULL CHECK (barrier IN (0, 1)),
    state       TEXT NOT NULL CHECK (state IN ('pending', 'running', 'done', 'dead')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_until TEXT,
    last_error  TEXT,
    created_at  TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX jobs_claim ON jobs (state, id);
CREATE INDEX jobs_batch ON jobs (batch, state);
CREATE TABLE job_outputs (
    batch TEXT NOT NULL,
    key   TEXT NOT NULL,
    body  BLOB NOT NULL,
    PRIMARY KEY (batch, key)
);
"#,
    ],
    // On PostgreSQL (the same versions, each written for it); empty: SQLite only so far.
    postgres: crate::pg::JOBS_PG,
};
