//! Events (see `events.rs`): targets, rules that route events to them, custom actions,
//! and the transactional outbox of deliveries.

use super::Schema;

pub(crate) static EVENTS: Schema = Schema {
    name: "events",
    migrations: &[
        // 1: targets, rules, custom actions, the outbox.
        r#"
CREATE TABLE event_targets (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL CHECK (kind IN ('webhook', 'slack', 'sns', 'email')),
    config     TEXT NOT NULL,          -- JSON: url / topic ARN / addresses, per kind
    enabled    INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    created_at TEXT NOT NULL
);
CREATE TABLE event_rules (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL UNIQUE,
    pattern    TEXT NOT NULL,          -- an EventBridge event pattern, JSON
    target_id  INTEGER NOT NULL REFERENCES event_targets (id) ON DELETE CASCADE,
    enabled    INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    created_at TEXT NOT NULL
);
CREATE TABLE custom_actions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
-- The outbox: an event is stored with one delivery per target in the transaction that
-- decides it, so nothing is lost across a crash; the event id is the idempotency key.
CREATE TABLE events (
    id          TEXT PRIMARY KEY NOT NULL,
    detail_type TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    body        TEXT NOT NULL          -- the whole envelope, JSON
);
CREATE TABLE deliveries (
    event_id        TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    target_id       INTEGER NOT NULL REFERENCES event_targets (id) ON DELETE CASCADE,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    delivered_at    TEXT,
    PRIMARY KEY (event_id, target_id)
);
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);
"#,
    ],
    // On PostgreSQL (the same versions, each written for it); empty: SQLite only so far.
    postgres: &[],
};
