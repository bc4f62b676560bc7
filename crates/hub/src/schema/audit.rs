//! The audit log (see `audit.rs`): one row per state-changing request to the server or
//! state-changing CLI command. No secret is ever kept here: no password, token, CSRF value
//! or request body, only who, what, when and from where.

use super::Schema;

pub(crate) static AUDIT: Schema = Schema {
    name: "audit",
    migrations: &[
        // 1: the log. `user` is not a reference to auth_users: the row outlives the user,
        // and a failed sign-in names a user that may not exist.
        r#"
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    user       TEXT NOT NULL,          -- '' for an anonymous caller
    role       TEXT NOT NULL,          -- '' when unknown
    method     TEXT NOT NULL,          -- POST, PUT, DELETE, ... or CLI
    route      TEXT NOT NULL,          -- the route's pattern (/api/v1/findings/{id}/workflow) or the CLI command
    targets    TEXT NOT NULL,          -- JSON array of the ids acted on
    status     INTEGER NOT NULL,       -- the HTTP status (a CLI command: 200 done, 400 refused)
    client     TEXT NOT NULL,          -- the peer address, or `cli`
    user_agent TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_user ON audit_log (user, id);
"#,
        // 2: how many requests a row stands for. Anonymous refusals (401 without any
        // credential) are the one row any client can make the server write: the server keeps
        // one row per address and minute and counts the others in it.
        r#"
ALTER TABLE audit_log ADD COLUMN repeats INTEGER NOT NULL DEFAULT 1 CHECK (repeats >= 1);
"#,
    ],
    // On PostgreSQL (the same versions, each written for it); empty: SQLite only so far.
    postgres: &[],
};
