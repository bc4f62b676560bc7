//! Agents that report in: each agent has a token (kept as its SHA-256 digest), is bound to
//! the host of its first upload, and keeps a status (last seen, version, interval, what its
//! last document could not read). Its telemetry documents are kept gzip-compressed and
//! pruned by age ([`Store::prune_telemetry`]). The caller checks and decodes uploads; the
//! store keeps the binding: an upload from another host is refused in the same transaction
//! that would store it.

use crate::codec;
use crate::error::StoreError;
use crate::sql::{vals, Row};
use crate::store::{corrupt, Store};
use rampart_model::Timestamp;
use std::collections::BTreeMap;
use std::io::{Read, Write};

/// An agent as the console shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Agent {
    pub name: String,
    pub created_at: Timestamp,
    /// Who issued its token.
    pub created_by: String,
    /// When its token was revoked: it can upload no more.
    pub revoked_at: Option<Timestamp>,
    /// The host its token is bound to (an EC2 instance id or a hostname), from its first upload.
    pub host_id: Option<String>,
    pub hostname: Option<String>,
    pub version: Option<String>,
    /// How often it says it reports.
    pub interval_seconds: Option<u64>,
    pub last_seen: Option<Timestamp>,
    /// What its last document could not read (empty: all of it was read).
    pub health: Vec<String>,
    pub uploads: u64,
}

/// One upload to store, checked and decoded by the caller.
#[derive(Debug, Clone)]
pub struct TelemetryUpload<'a> {
    pub host_id: &'a str,
    pub hostname: &'a str,
    pub tags: &'a BTreeMap<String, String>,
    pub collected_at: Timestamp,
    pub received_at: Timestamp,
    /// The document as JSON (kept gzip-compressed).
    pub json: &'a str,
    pub version: &'a str,
    pub interval_seconds: Option<u64>,
    pub health: &'a [String],
}

/// What became of an upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadOutcome {
    /// Stored with this id (the agent's first upload binds it to the host).
    Stored(i64),
    /// The agent is bound to another host: nothing was stored.
    OtherHost { bound: String },
    /// The agent is not bound yet and another agent (not revoked) is bound to the upload's
    /// host: nothing was stored, and this agent stays unbound.
    HostTaken { agent: String },
    /// No such agent, or its token was revoked: nothing was stored.
    Unknown,
}

/// A stored document's record (without the document).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TelemetryRecord {
    pub id: i64,
    pub agent: String,
    pub host_id: String,
    pub hostname: String,
    pub tags: BTreeMap<String, String>,
    pub collected_at: Timestamp,
    pub received_at: Timestamp,
}

const AGENT_COLUMNS: &str =
    "name, created_at, created_by, revoked_at, host_id, hostname, version, interval_seconds, last_seen, health, uploads";

/// The name of the lock binding a host takes (see `Dialect::named_lock`; the PostgreSQL
/// trigger of `schema/agents.rs` takes the same one).
const HOST_LOCK: &str = "rampart agents host ";

impl Store {
    /// Adds an agent with its token's digest; `false` if the name is taken.
    pub fn add_agent(&mut self, name: &str, token_hash: &str, created_by: &str, now: Timestamp) -> Result<bool, StoreError> {
        let n = self.sql().execute(
            "INSERT INTO agents (name, token_hash, created_at, created_by) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING",
            &vals![name, token_hash, codec::time_to_text(now), created_by],
        )?;
        Ok(n == 1)
    }

    /// Every agent, by name.
    pub fn agents(&self) -> Result<Vec<Agent>, StoreError> {
        let rows = self.sql().query(&format!("SELECT {AGENT_COLUMNS} FROM agents ORDER BY name"), &[])?;
        rows.iter().map(|row| self.agent_row(row)).collect()
    }

    pub fn agent(&self, name: &str) -> Result<Option<Agent>, StoreError> {
        self.agent_where("name = ?", name)
    }

    /// The agent whose token has this digest, unless revoked.
    pub fn agent_by_token(&self, token_hash: &str) -> Result<Option<Agent>, StoreError> {
        self.agent_where("token_hash = ? AND revoked_at IS NULL", token_hash)
    }

    fn agent_where(&self, clause: &str, arg: &str) -> Result<Option<Agent>, StoreError> {
        match self.sql().query_opt(&format!("SELECT {AGENT_COLUMNS} FROM agents WHERE {clause}"), &vals![arg])? {
            Some(row) => Ok(Some(self.agent_row(&row)?)),
            None => Ok(None),
        }
    }

    fn agent_row(&self, row: &Row) -> Result<Agent, StoreError> {
        let bad = corrupt(&self.path);
        let time = |i: usize| -> Result<Option<Timestamp>, StoreError> {
            row.opt_text(i)?.map(|t| codec::time_from_text(&t).map_err(&bad)).transpose()
        };
        let health = match row.opt_text(9)? {
            Some(h) => serde_json::from_str(&h).map_err(|_| bad(("agent health", h.clone())))?,
            None => Vec::new(),
        };
        Ok(Agent {
            name: row.text(0)?,
            created_at: time(1)?.ok_or_else(|| bad(("agent created_at", String::new())))?,
            created_by: row.text(2)?,
            revoked_at: time(3)?,
            host_id: row.opt_text(4)?,
            hostname: row.opt_text(5)?,
            version: row.opt_text(6)?,
            interval_seconds: row.opt_int(7)?.map(|i| i.max(0) as u64),
            last_seen: time(8)?,
            health,
            uploads: row.int(10)?.max(0) as u64,
        })
    }

    /// Revokes an agent's token (the agent and its documents are kept); `false` if there is
    /// no such agent or it was revoked already.
    pub fn revoke_agent(&mut self, name: &str, now: Timestamp) -> Result<bool, StoreError> {
        let n = self
            .sql()
            .execute("UPDATE agents SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", &vals![codec::time_to_text(now), name])?;
        Ok(n == 1)
    }

    /// Stores an upload of agent `name` in one transaction: binds the agent to the upload's
    /// host if it has none and no other agent (not revoked) is bound to that host, refuses it
    /// (storing nothing) if bound to another host or the host is another agent's, else keeps
    /// the document and updates the agent's status. Two agents cannot both bind one host:
    /// on SQLite the transaction is IMMEDIATE (it holds the write lock from its first read);
    /// on PostgreSQL a first binding takes the host's lock (`Dialect::named_lock`) before it
    /// looks for another agent there, as the table's trigger does.
    pub fn record_upload(&mut self, name: &str, u: &TelemetryUpload) -> Result<UploadOutcome, StoreError> {
        let mut gz = flate2::write::GzEncoder::new(Vec::with_capacity(u.json.len() / 8), flate2::Compression::default());
        gz.write_all(u.json.as_bytes()).expect("writing to memory");
        let document = gz.finish().expect("writing to memory");
        let tags = serde_json::to_string(u.tags).expect("tags serialize");
        let health = serde_json::to_string(u.health).expect("health serializes");
        self.db.tx(|tx| {
            let Some(bound) = tx.query_opt("SELECT host_id FROM agents WHERE name = ? AND revoked_at IS NULL", &vals![name])? else {
                return Ok(UploadOutcome::Unknown);
            };
            match bound.opt_text(0)? {
                Some(bound) if bound != u.host_id => return Ok(UploadOutcome::OtherHost { bound }),
                Some(_) => {}
                None => {
                    if let Some(lock) = tx.dialect().named_lock() {
                        tx.execute(lock, &vals![format!("{HOST_LOCK}{}", u.host_id)])?;
                    }
                    let other = tx.query_opt(
                        "SELECT name FROM agents WHERE host_id = ? AND revoked_at IS NULL AND name != ? ORDER BY name LIMIT 1",
                        &vals![u.host_id, name],
                    )?;
                    if let Some(other) = other {
                        return Ok(UploadOutcome::HostTaken { agent: other.text(0)? });
                    }
                }
            }
            // Only while the agent is still unrevoked and unbound or bound to this host: a
            // concurrent writer (PostgreSQL's READ COMMITTED) that revoked or bound it since
            // the read above leaves this update nothing to change, and the upload is refused.
            let updated = tx.execute(
                "UPDATE agents SET host_id = ?, hostname = ?, version = ?, interval_seconds = ?, last_seen = ?, health = ?,
                        uploads = uploads + 1
                 WHERE name = ? AND revoked_at IS NULL AND (host_id IS NULL OR host_id = ?)",
                &vals![
                    u.host_id,
                    u.hostname,
                    u.version,
                    u.interval_seconds.map(|i| i.min(i64::MAX as u64) as i64),
                    codec::time_to_text(u.received_at),
                    health,
                    name,
                    u.host_id
                ],
            )?;
            if updated == 0 {
                let now = tx.query_opt("SELECT host_id FROM agents WHERE name = ? AND revoked_at IS NULL", &vals![name])?;
                return Ok(match now.map(|r| r.opt_text(0)).transpose()?.flatten() {
                    Some(bound) => UploadOutcome::OtherHost { bound },
                    None => UploadOutcome::Unknown,
                });
            }
            let id = tx.insert_id(
                "INSERT INTO agent_telemetry (agent, host_id, hostname, tags, collected_at, received_at, encoding, document)
                 VALUES (?, ?, ?, ?, ?, ?, 'gzip+json', ?) RETURNING id",
                &vals![
                    name,
                    u.host_id,
                    u.hostname,
                    tags,
                    codec::time_to_text(u.collected_at),
                    codec::time_to_text(u.received_at),
                    document
                ],
            )?;
            Ok(UploadOutcome::Stored(id))
        })
    }

    /// The newest document of each host collected at or after `since`, by host. Only
    /// documents of agents not revoked count, and "newest" is the one the server received
    /// last (the document's own `collected_at` is the agent's word: a document claiming a
    /// far-future time must not stay the newest).
    pub fn latest_telemetry(&self, since: Timestamp) -> Result<Vec<TelemetryRecord>, StoreError> {
        let since = codec::time_to_text(since);
        let rows = self.sql().query(
            "SELECT id, agent, host_id, hostname, tags, collected_at, received_at FROM agent_telemetry t
             WHERE collected_at >= ?
               AND id = (SELECT u.id FROM agent_telemetry u JOIN agents a ON a.name = u.agent
                         WHERE u.host_id = t.host_id AND u.collected_at >= ? AND a.revoked_at IS NULL
                         ORDER BY u.received_at DESC, u.id DESC LIMIT 1)
             ORDER BY host_id",
            &vals![&since, &since],
        )?;
        rows.iter().map(|row| self.telemetry_row(row)).collect()
    }

    /// How many documents are kept (of agent `name`, or of all).
    pub fn telemetry_count(&self, name: Option<&str>) -> Result<u64, StoreError> {
        let row = match name {
            Some(name) => self.sql().query_one("SELECT count(*) FROM agent_telemetry WHERE agent = ?", &vals![name])?,
            None => self.sql().query_one("SELECT count(*) FROM agent_telemetry", &[])?,
        };
        Ok(row.int(0)?.max(0) as u64)
    }

    fn telemetry_row(&self, row: &Row) -> Result<TelemetryRecord, StoreError> {
        let bad = corrupt(&self.path);
        let tags = row.text(4)?;
        Ok(TelemetryRecord {
            id: row.int(0)?,
            agent: row.text(1)?,
            host_id: row.text(2)?,
            hostname: row.text(3)?,
            tags: serde_json::from_str(&tags).map_err(|_| bad(("telemetry tags", tags.clone())))?,
            collected_at: codec::time_from_text(&row.text(5)?).map_err(&bad)?,
            received_at: codec::time_from_text(&row.text(6)?).map_err(&bad)?,
        })
    }

    /// A stored document's JSON; `None` if it was pruned.
    pub fn telemetry_document(&self, id: i64) -> Result<Option<String>, StoreError> {
        let bad = corrupt(&self.path);
        let Some(row) = self.sql().query_opt("SELECT document FROM agent_telemetry WHERE id = ?", &vals![id])? else {
            return Ok(None);
        };
        let blob = row.opt_blob(0)?.unwrap_or_default();
        let mut json = String::new();
        flate2::read::GzDecoder::new(&blob[..]).read_to_string(&mut json).map_err(|e| bad(("telemetry document", e.to_string())))?;
        Ok(Some(json))
    }

    /// Forgets the documents received before `before`; returns how many. Agents and their
    /// status are kept.
    pub fn prune_telemetry(&mut self, before: Timestamp) -> Result<usize, StoreError> {
        Ok(self.sql().execute("DELETE FROM agent_telemetry WHERE received_at < ?", &vals![codec::time_to_text(before)])? as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn upload<'a>(host: &'a str, tags: &'a BTreeMap<String, String>, at: Timestamp) -> TelemetryUpload<'a> {
        TelemetryUpload {
            host_id: host,
            hostname: host,
            tags,
            collected_at: at,
            received_at: at,
            json: r#"{"schema_version":2}"#,
            version: "0.1.0",
            interval_seconds: Some(3600),
            health: &[],
        }
    }

    #[test]
    fn an_agent_is_bound_to_its_first_host_and_revocable() {
        let mut s = Store::open_in_memory().unwrap();
        let t0 = codec::truncate(Timestamp::now_utc());
        assert!(s.add_agent("web-1", HASH, "admin", t0).unwrap());
        assert!(!s.add_agent("web-1", &HASH.replace('0', "1"), "admin", t0).unwrap(), "name taken");
        assert!(s.add_agent("bad", "not a digest", "admin", t0).is_err(), "only digests are kept");
        assert_eq!(s.agent_by_token(HASH).unwrap().unwrap().name, "web-1");
        let tags = BTreeMap::from([("env".to_string(), "prod".to_string())]);
        let UploadOutcome::Stored(id) = s.record_upload("web-1", &upload("i-1", &tags, t0)).unwrap() else { panic!() };
        assert_eq!(s.record_upload("web-1", &upload("i-2", &tags, t0)).unwrap(), UploadOutcome::OtherHost { bound: "i-1".into() });
        assert_eq!(s.telemetry_count(Some("web-1")).unwrap(), 1, "the other host's upload stored nothing");
        let a = s.agent("web-1").unwrap().unwrap();
        assert_eq!((a.host_id.as_deref(), a.uploads, a.last_seen), (Some("i-1"), 1, Some(t0)));
        assert_eq!(s.telemetry_document(id).unwrap().as_deref(), Some(r#"{"schema_version":2}"#));
        assert!(s.revoke_agent("web-1", t0).unwrap());
        assert!(!s.revoke_agent("web-1", t0).unwrap());
        assert!(s.agent_by_token(HASH).unwrap().is_none());
        assert_eq!(s.record_upload("web-1", &upload("i-1", &tags, t0)).unwrap(), UploadOutcome::Unknown);
        assert!(s.agent("web-1").unwrap().unwrap().revoked_at.is_some());
    }

    #[test]
    fn the_newest_document_per_host_and_pruning_by_age() {
        let mut s = Store::open_in_memory().unwrap();
        let t0 = codec::truncate(Timestamp::now_utc()) - time::Duration::days(40);
        let tags = BTreeMap::new();
        s.add_agent("a", HASH, "admin", t0).unwrap();
        s.add_agent("b", &HASH.replace('0', "2"), "admin", t0).unwrap();
        for d in [0, 20, 35] {
            s.record_upload("a", &upload("host-a", &tags, t0 + time::Duration::days(d))).unwrap();
        }
        s.record_upload("b", &upload("host-b", &tags, t0 + time::Duration::days(5))).unwrap();
        let latest = s.latest_telemetry(t0 + time::Duration::days(1)).unwrap();
        assert_eq!(
            latest.iter().map(|r| (r.host_id.as_str(), r.collected_at)).collect::<Vec<_>>(),
            [("host-a", t0 + time::Duration::days(35)), ("host-b", t0 + time::Duration::days(5))]
        );
        assert_eq!(s.prune_telemetry(t0 + time::Duration::days(10)).unwrap(), 2);
        assert_eq!(s.telemetry_count(None).unwrap(), 2);
        assert_eq!(s.agents().unwrap().len(), 2, "agents are kept");
    }

    #[test]
    fn a_second_agent_cannot_bind_a_host_another_agent_holds() {
        let mut s = Store::open_in_memory().unwrap();
        let t0 = codec::truncate(Timestamp::now_utc());
        let tags = BTreeMap::new();
        s.add_agent("a", HASH, "admin", t0).unwrap();
        s.add_agent("b", &HASH.replace('0', "2"), "admin", t0).unwrap();
        assert!(matches!(s.record_upload("a", &upload("i-a", &tags, t0)).unwrap(), UploadOutcome::Stored(_)));
        let mut forged = upload("i-a", &tags, t0 + time::Duration::days(365 * 70));
        forged.received_at = t0;
        assert_eq!(s.record_upload("b", &forged).unwrap(), UploadOutcome::HostTaken { agent: "a".into() });
        assert_eq!(s.telemetry_count(Some("b")).unwrap(), 0, "nothing stored");
        assert_eq!(s.agent("b").unwrap().unwrap().host_id, None, "b stays unbound");
        // The trigger refuses it whatever writes.
        assert!(s.lite().unwrap().execute("UPDATE agents SET host_id = 'i-a' WHERE name = 'b'", []).is_err());
        // Once a is revoked, the host can be bound by a new agent.
        s.revoke_agent("a", t0).unwrap();
        assert!(matches!(s.record_upload("b", &upload("i-a", &tags, t0)).unwrap(), UploadOutcome::Stored(_)));
    }

    #[test]
    fn the_newest_is_the_last_received_and_revoked_agents_documents_do_not_count() {
        let mut s = Store::open_in_memory().unwrap();
        let t0 = codec::truncate(Timestamp::now_utc()) - time::Duration::days(2);
        let tags = BTreeMap::new();
        s.add_agent("a", HASH, "admin", t0).unwrap();
        // A document claiming to be collected far ahead, received first ...
        let mut future = upload("host-a", &tags, t0 + time::Duration::days(365 * 70));
        future.received_at = t0;
        s.record_upload("a", &future).unwrap();
        // ... is not the newest once a later one is received.
        let later = upload("host-a", &tags, t0 + time::Duration::days(1));
        let UploadOutcome::Stored(id) = s.record_upload("a", &later).unwrap() else { panic!() };
        let latest = s.latest_telemetry(t0).unwrap();
        assert_eq!(latest.iter().map(|r| r.id).collect::<Vec<_>>(), [id]);
        s.revoke_agent("a", t0).unwrap();
        assert!(s.latest_telemetry(t0).unwrap().is_empty(), "a revoked agent's documents are not assessed");
    }
}
