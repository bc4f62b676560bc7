//! The schedules of `rampart serve` (see `schedules.rs`): one row per scope (the
//! organisation, an account, an account's region), its interval, whether it is paused, the
//! outcome of its last run, and the claim of a run in progress — the claim is what keeps
//! two runs of one scope from overlapping, even across two servers on one database.

use super::Schema;

pub(crate) static SCHEDULES: Schema = Schema {
    name: "schedules",
    migrations: &[
        // 1: schedules. `scope` is the scope's key (`org`, `account/<id>`,
        // `region/<id>/<region>`), unique: one schedule per scope. `last_started_at` is the
        // start of the last run that finished (the next run is due `interval_secs` after
        // it, less the scope's jitter); `claimed_by`/`claimed_at`/`lease_until` say that a
        // server is running it now (its lease renewed while it runs, so a server that died
        // mid-run frees the scope when the lease runs out).
        r#"
CREATE TABLE schedules (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    scope            TEXT NOT NULL UNIQUE,
    interval_secs    INTEGER NOT NULL CHECK (interval_secs >= 60),
    paused           INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    run_requested_at TEXT,            -- "run now": due at once, whatever the interval
    last_started_at  TEXT,
    last_finished_at TEXT,
    last_error       TEXT,            -- NULL: the last run succeeded (or none ran)
    last_run_id      TEXT,            -- the findings run it recorded (not a reference: runs are pruned)
    claimed_by       TEXT,            -- the server running it now
    claimed_at       TEXT,
    lease_until      TEXT
);
"#,
        // 2: a schedule's settings (JSON: an organisation's member role and external id),
        // and what a trail schedule's last poll did (JSON: files, records skipped, errors,
        // findings changed). Scopes may now also be `trail/<bucket>[/<prefix>]`.
        "ALTER TABLE schedules ADD COLUMN settings TEXT; ALTER TABLE schedules ADD COLUMN last_poll TEXT;",
    ],
    // On PostgreSQL (the same versions, each written for it); empty: SQLite only so far.
    postgres: &[],
};
