//! Agents that report in (see `agents.rs`): each agent's token (as a SHA-256 digest, never
//! in clear: the CHECK refuses anything but 64 hex digits), the host it is bound to, its
//! status, and the telemetry documents it uploaded (kept 30 days by default).

use super::Schema;

pub(crate) static AGENTS: Schema = Schema {
    name: "agents",
    migrations: &[
        // 1: agents and their telemetry.
        r#"
CREATE TABLE agents (
    name             TEXT PRIMARY KEY NOT NULL,
    token_hash       TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64 AND token_hash NOT GLOB '*[^0-9a-f]*'),
    created_at       TEXT NOT NULL,
    created_by       TEXT NOT NULL,
    revoked_at       TEXT,
    host_id          TEXT,      -- bound at the first upload: an EC2 instance id or a hostname
    hostname         TEXT,
    version          TEXT,      -- the agent's version, as it said
    interval_seconds INTEGER,   -- how often it said it reports
    last_seen        TEXT,
    health           TEXT,      -- JSON array of what its last document could not read
    uploads          INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE agent_telemetry (
    id           INTEGER PRIMARY KEY,
    agent        TEXT NOT NULL REFERENCES agents (name) ON DELETE CASCADE,
    host_id      TEXT NOT NULL,
    hostname     TEXT NOT NULL,
    tags         TEXT NOT NULL,   -- JSON object, the document's tags
    collected_at TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    encoding     TEXT NOT NULL CHECK (encoding = 'gzip+json'),
    document     BLOB NOT NULL
);
CREATE INDEX agent_telemetry_received ON agent_telemetry (received_at);
CREATE INDEX agent_telemetry_host ON agent_telemetry (host_id, collected_at);
"#,
        // 2: one host, one agent: a first binding to a host another agent (not revoked) is
        // bound to aborts (the store refuses it before; this keeps it so whatever writes).
        // A trigger, not a unique index, so a database holding such pairs from before still
        // opens; those agents keep uploading. The newest document of a host is the one
        // received last (`Store::latest_telemetry`).
        r#"
CREATE TRIGGER agents_one_agent_per_host BEFORE UPDATE OF host_id ON agents
WHEN OLD.host_id IS NULL AND NEW.host_id IS NOT NULL AND NEW.revoked_at IS NULL
 AND EXISTS (SELECT 1 FROM agents WHERE host_id = NEW.host_id AND revoked_at IS NULL AND name != NEW.name)
BEGIN
    SELECT RAISE(ABORT, 'this host is bound to another agent');
END;
CREATE INDEX agent_telemetry_host_received ON agent_telemetry (host_id, received_at);
"#,
    ],
    // On PostgreSQL (the same versions, each written for it); empty: SQLite only so far.
    postgres: &[],
};
