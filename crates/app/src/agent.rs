//! Agents that report in: telemetry uploads checked, bound to their host, kept for 30 days,
//! and assessed by the templates that target the host.
//!
//! **The server's side.** An admin issues an agent a token ([`issue`]; kept as its SHA-256
//! digest, usable only to upload). An upload ([`receive`]) is decoded by
//! [`rampart_host::upload::decode`] (gzip, bounded, read like `scan host --telemetry`), the
//! token is bound to the host of its first upload (another host's upload with it is refused
//! and nothing is stored), the document is kept ([`RETENTION_DAYS`]: Inspector keeps
//! telemetry 30 days; older documents are pruned at each upload), and the agent's status
//! (last seen, version, interval, what the document could not read) is updated. Then the
//! assessment templates whose target selects the host run ([`run_due_assessments`]) when
//! their **interval** has passed, a template's interval being its duration (the collection
//! window of a run, Inspector's "duration"): at most one run of a template per window, and
//! that run assesses the newest document of every host the target selects collected within
//! the window, uploaded by any agent.
//!
//! **The agent's side** ([`Agent`], [`run_loop`]): collect on a schedule (default hourly),
//! encode ([`rampart_host::upload::encode`]), write the body to a spool directory
//! ([`spool::Spool`], bounded, oldest dropped with a warning), then deliver the spool oldest
//! first through an [`Uploader`] ([`upload::Https`] in production); a failed delivery is
//! retried with exponential backoff ([`Backoff`]) until the next collection, and the spool
//! keeps everything while the server is down. The clock is an input ([`Clock`]).

pub mod spool;
pub mod upload;

use crate::Notify;
use anyhow::{bail, Context, Result};
pub use rampart_host::upload::{UploadError, LIMITS};
use rampart_host::Telemetry;
use rampart_hub::{Agent as AgentRecord, Store, TelemetryUpload, UploadOutcome, VulnStore};
use rampart_model::Timestamp;
use sha2::{Digest, Sha256};
use std::time::Duration;

/// How long telemetry documents are kept (Inspector's retention of agent telemetry).
pub const RETENTION_DAYS: i64 = 30;

/// Prefix of agent tokens: unlike a user's API token (`rampart_…`), it says what it is.
pub const TOKEN_PREFIX: &str = "rampart_agent_";

/// The interval an agent reports at unless told otherwise.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(3600);

/// An agent that has not reported for this many of its intervals is flagged silent.
pub const SILENT_INTERVALS: u32 = 2;

/// The longest interval an agent is taken at its word for (a longer one counts as this).
pub const MAX_INTERVAL: Duration = Duration::from_secs(24 * 3600);

/// An interval as written on the command line: `1h`, `30m`, `90s`, `2d` or seconds
/// (`3600`); at least 10 seconds.
pub fn parse_interval(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = num.parse().map_err(|_| format!("`{s}` is not a duration: write 1h, 30m or 90s"))?;
    let secs = match unit {
        "" | "s" => n,
        "m" | "min" => n.saturating_mul(60),
        "h" => n.saturating_mul(3600),
        "d" => n.saturating_mul(86_400),
        _ => return Err(format!("`{s}`: unknown unit `{unit}`: use s, m, h or d")),
    };
    if secs < 10 {
        return Err(format!("`{s}` is too short: at least 10 s"));
    }
    if secs > MAX_INTERVAL.as_secs() {
        return Err(format!("`{s}` is too long: at most 1d (the server flags an agent silent after two days)"));
    }
    Ok(Duration::from_secs(secs))
}

/// SHA-256 of a token in hex: how agent tokens are kept and looked up.
pub fn digest(token: &str) -> String {
    hex(&Sha256::digest(token.trim().as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether a bearer credential is an agent token (by its prefix; the digest decides).
pub fn is_agent_token(token: &str) -> bool {
    token.starts_with(TOKEN_PREFIX)
}

/// An agent's name checked: 1 to 128 characters of letters, digits, `.`, `-`, `_`.
pub fn check_name(name: &str) -> Result<&str> {
    let name = name.trim();
    if name.is_empty() || name.len() > 128 || !name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')) {
        bail!(
            "agent name `{}` is not 1 to 128 letters, digits, `.`, `-` or `_`: name it after its host",
            name.chars().take(40).collect::<String>()
        );
    }
    Ok(name)
}

/// Why a token was not issued (each front end words the status itself: the server answers
/// 400, 409 or 500 by the variant, never by the message's text).
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    /// The name is not an agent's name.
    #[error("{0}")]
    BadName(String),
    /// An agent of that name exists (revoked or not).
    #[error("agent `{0}` exists: revoke it and issue a token under another name")]
    Exists(String),
    /// The system or the store failed.
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

/// Issues a new agent `name` a token (returned once, kept only as its digest), by `by`.
pub fn issue(store: &mut Store, name: &str, by: &str, now: Timestamp) -> Result<String, IssueError> {
    let name = check_name(name).map_err(|e| IssueError::BadName(e.to_string()))?;
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness from the system: {e}"))?;
    let token = format!("{TOKEN_PREFIX}{}", hex(&bytes));
    if !store.add_agent(name, &digest(&token), by, now).map_err(anyhow::Error::from)? {
        return Err(IssueError::Exists(name.to_string()));
    }
    Ok(token)
}

/// Revokes agent `name`'s token: it can upload no more (its documents are kept).
pub fn revoke(store: &mut Store, name: &str, now: Timestamp) -> Result<()> {
    if !store.revoke_agent(name, now)? {
        match store.agent(name)? {
            None => bail!("no agent `{name}`: list them with `rampart agents list`"),
            Some(_) => bail!("agent `{name}` is revoked already"),
        }
    }
    Ok(())
}

/// Whether an agent is silent at `now`: it reported before (or was issued) more than
/// [`SILENT_INTERVALS`] of its intervals ago. A revoked agent is not watched.
pub fn is_silent(a: &AgentRecord, now: Timestamp) -> bool {
    if a.revoked_at.is_some() {
        return false;
    }
    let interval = a.interval_seconds.filter(|i| *i > 0).unwrap_or(DEFAULT_INTERVAL.as_secs()).min(MAX_INTERVAL.as_secs());
    let since = a.last_seen.unwrap_or(a.created_at);
    now - since > time::Duration::seconds(i64::try_from(interval.saturating_mul(u64::from(SILENT_INTERVALS))).unwrap_or(i64::MAX / 2))
}

/// What the agent says about itself beside the document (request headers).
#[derive(Debug, Clone, Default)]
pub struct AgentMeta {
    /// `rampart-agent/0.1.0` → `0.1.0`; empty when not said.
    pub version: String,
    pub interval_seconds: Option<u64>,
}

impl AgentMeta {
    /// From a `User-Agent` (`rampart-agent/VERSION`) and an interval header's value. The
    /// interval is the agent's word and decides when it counts as silent, so it is capped
    /// at [`MAX_INTERVAL`]: a host cannot stay "not silent" for months by saying so.
    pub fn from_headers(user_agent: Option<&str>, interval: Option<&str>) -> AgentMeta {
        let version = user_agent.and_then(|u| u.strip_prefix("rampart-agent/")).map(|v| v.chars().take(40).collect()).unwrap_or_default();
        let interval_seconds =
            interval.and_then(|i| i.trim().parse::<u64>().ok()).filter(|i| *i > 0).map(|i| i.min(MAX_INTERVAL.as_secs()));
        AgentMeta { version, interval_seconds }
    }
}

/// Why an upload was refused (each front end words the status itself).
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// The document (400) or its size (413).
    #[error("{0}")]
    Upload(#[from] UploadError),
    /// The token is bound to another host (403).
    #[error("this agent's token is bound to host `{bound}`, and the document is of host `{host}`: issue this host a token of its own")]
    OtherHost { bound: String, host: String },
    /// This agent is not bound yet and another agent is bound to the document's host (403).
    #[error("host `{host}` is bound to agent `{agent}`: one host reports through one agent; revoke `{agent}` first if this host is to report through this token")]
    HostTaken { host: String, agent: String },
    /// The agent is unknown or revoked (401).
    #[error("the agent token is unknown or revoked: ask an admin for a new one (`rampart agents token --name HOST`)")]
    Revoked,
}

/// An upload stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Received {
    pub agent: String,
    pub host: String,
    pub hostname: String,
    pub telemetry_id: i64,
    pub collected_at: String,
    /// This upload bound the agent to its host (its first stored one): worth an audit row,
    /// where the routine ones after it are not.
    pub first: bool,
}

/// Decodes an upload (pure, outside the store).
pub fn decode(body: &[u8], content_encoding: Option<&str>) -> Result<Telemetry, Refusal> {
    Ok(rampart_host::upload::decode(body, content_encoding, &LIMITS)?)
}

/// Stores agent `name`'s decoded document (see the module's docs); prunes documents past
/// [`RETENTION_DAYS`].
pub fn store_upload(store: &mut Store, name: &str, t: &Telemetry, meta: &AgentMeta, now: Timestamp) -> Result<Result<Received, Refusal>> {
    // decode() refused documents without one.
    let host = rampart_host::upload::host_id(t).context("the document names no host")?;
    let hostname = crate::host::hostname(t);
    let health = crate::host::not_read(t);
    let json = serde_json::to_string(t).context("the document cannot be written")?;
    let upload = TelemetryUpload {
        host_id: &host,
        hostname: &hostname,
        tags: &t.tags,
        collected_at: t.collected_at,
        received_at: now,
        json: &json,
        version: &meta.version,
        interval_seconds: meta.interval_seconds,
        health: &health,
    };
    // The one writer holds the store: nothing binds the agent between this and the upload.
    let first = store.agent(name)?.is_some_and(|a| a.host_id.is_none());
    let id = match store.record_upload(name, &upload)? {
        UploadOutcome::Stored(id) => id,
        UploadOutcome::OtherHost { bound } => return Ok(Err(Refusal::OtherHost { bound, host })),
        UploadOutcome::HostTaken { agent } => return Ok(Err(Refusal::HostTaken { host, agent })),
        UploadOutcome::Unknown => return Ok(Err(Refusal::Revoked)),
    };
    store.prune_telemetry(now - time::Duration::days(RETENTION_DAYS))?;
    Ok(Ok(Received {
        agent: name.to_string(),
        host,
        hostname,
        telemetry_id: id,
        collected_at: rampart_model::rfc3339(t.collected_at),
        first,
    }))
}

/// The templates whose target selects `t`'s host and whose interval (duration) has passed
/// since their latest run began.
pub fn due_templates(store: &Store, t: &Telemetry, now: Timestamp) -> Result<Vec<String>> {
    let host = crate::host::hostname(t);
    let runs = store.assessment_runs()?;
    let mut due = Vec::new();
    for tpl in store.templates()? {
        let target = store.target(&tpl.target)?;
        if !target.selector.matches(&host, &t.tags) {
            continue;
        }
        let last = runs.iter().filter(|r| r.template == tpl.name).map(|r| r.created_at).max();
        let interval = time::Duration::seconds(i64::try_from(tpl.duration_seconds).unwrap_or(i64::MAX / 2));
        if last.is_none_or(|l| now - l >= interval) {
            due.push(tpl.name);
        }
    }
    Ok(due)
}

/// Runs the templates of [`due_templates`] over the stored documents collected within each
/// one's window; returns the runs (a failed run is stored FAILED and reported to `notify`).
///
/// The store is reached through `access` ([`crate::assess::StoreAccess`]) one short step at
/// a time: the documents are read from the store (for reading only) and parsed outside it,
/// and the hosts are evaluated holding nothing, so a server's write connection is taken
/// only to store each state change and the findings.
pub fn run_due_assessments(
    access: &dyn crate::assess::StoreAccess,
    t: &Telemetry,
    now: Timestamp,
    vulndb: &dyn Fn() -> Result<VulnStore>,
    notify: &dyn Notify,
) -> Result<Vec<crate::assess::Completed>> {
    let due = crate::assess::reading(access, |store| {
        let due = due_templates(store, t, now)?;
        let mut windows = Vec::new();
        for name in due {
            let tpl = store.template(&name)?;
            windows.push((name, tpl.duration_seconds));
        }
        Ok(windows)
    })?;
    let mut done = Vec::new();
    for (name, duration_seconds) in due {
        let since = now - time::Duration::seconds(i64::try_from(duration_seconds).unwrap_or(i64::MAX / 2));
        let load = |access: &dyn crate::assess::StoreAccess| -> Result<Vec<(String, Telemetry)>> {
            // The stored documents' JSON, read for reading only; parsed after.
            let stored = crate::assess::reading(access, |store| {
                let mut stored = Vec::new();
                for rec in store.latest_telemetry(since)? {
                    let Some(json) = store.telemetry_document(rec.id)? else { continue };
                    stored.push((rec, json));
                }
                Ok(stored)
            })?;
            let mut docs = Vec::new();
            for (rec, json) in stored {
                let doc = Telemetry::from_json(&json)
                    .map_err(|e| anyhow::anyhow!("stored telemetry {} of agent `{}`: {e}", rec.id, rec.agent))?;
                docs.push((format!("telemetry {} of agent `{}`", rec.id, rec.agent), doc));
            }
            Ok(docs)
        };
        // Still due when it starts: another upload's assessment may have started it since
        // (the templates due were read without holding the write connection).
        let still_due = |store: &Store| -> Result<bool> { Ok(due_templates(store, t, now)?.contains(&name)) };
        match crate::assess::run_on(access, &name, Some(&still_due), &load, vulndb, notify) {
            Ok(Some(c)) => done.push(c),
            Ok(None) => notify.info(&format!("template `{name}` ran within its window meanwhile: not run again")),
            Err(e) => notify.warn(&format!("{e:#}")),
        }
    }
    Ok(done)
}

// ---------------------------------------------------------------------------------------
// The agent's side.

/// Time for the loop: the real one sleeps; a test's advances.
pub trait Clock {
    fn now(&self) -> Timestamp;
    fn sleep(&self, d: Duration);
}

/// The system clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        crate::now()
    }
    fn sleep(&self, d: Duration) {
        std::thread::sleep(d)
    }
}

/// Why a delivery did not happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// The server could not be reached, or answered 5xx / 429: try again later.
    Retry(String),
    /// The server refused this document (400, 413): it never will accept it.
    Rejected(String),
    /// The server refused the token (401, 403): nothing will be accepted until it is fixed;
    /// documents stay spooled.
    Unauthorized(String),
}

impl std::fmt::Display for SendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SendError::Retry(m) | SendError::Rejected(m) | SendError::Unauthorized(m) => f.write_str(m),
        }
    }
}

/// Sends one upload body.
pub trait Uploader {
    fn send(&self, body: &[u8]) -> Result<(), SendError>;
}

/// Exponential backoff: 30 s, 1 min, 2 min, … at most `cap`, with a jitter of up to a
/// quarter of the delay so that agents that lost the server together do not return together.
#[derive(Debug, Clone)]
pub struct Backoff {
    pub base: Duration,
    pub cap: Duration,
    attempt: u32,
    /// A per-agent number in [0, 1) that spreads the delays.
    spread: f64,
}

impl Backoff {
    pub fn new(base: Duration, cap: Duration, spread: f64) -> Backoff {
        Backoff { base, cap, attempt: 0, spread: spread.clamp(0.0, 0.999) }
    }

    /// The delay before the next attempt; each call doubles the next one.
    pub fn next_delay(&mut self) -> Duration {
        let exp = self.base.saturating_mul(1u32.checked_shl(self.attempt.min(20)).unwrap_or(u32::MAX));
        self.attempt = self.attempt.saturating_add(1);
        let d = exp.min(self.cap);
        (d + d.mul_f64(self.spread / 4.0)).min(self.cap.max(self.base))
    }

    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

/// What one delivery of the spool did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub delivered: usize,
    pub rejected: usize,
    /// Why it stopped before the spool was empty.
    pub stopped: Option<SendError>,
}

/// An agent: what it collects, where it spools, how it sends.
pub struct Agent<'a> {
    pub spool: spool::Spool,
    pub uploader: &'a dyn Uploader,
    /// Collects the document at a time.
    pub collect: &'a dyn Fn(Timestamp) -> Telemetry,
    pub notify: &'a dyn Notify,
}

impl Agent<'_> {
    /// Collects now and spools the upload body.
    pub fn collect_and_spool(&self, now: Timestamp) -> Result<()> {
        let t = (self.collect)(now);
        crate::host::warn_collection(&t, self.notify);
        let body = rampart_host::upload::encode(&t, &LIMITS).map_err(|e| anyhow::anyhow!("the document cannot be uploaded: {e}"))?;
        for dropped in self.spool.push(&body, now)? {
            self.notify.warn(&format!("spool full: dropped the oldest document {}", dropped.display()));
        }
        Ok(())
    }

    /// Delivers the spool, oldest first, until it is empty or a send fails.
    pub fn deliver(&self) -> Result<Delivery> {
        let mut d = Delivery { delivered: 0, rejected: 0, stopped: None };
        for file in self.spool.list()? {
            let body = match std::fs::read(&file) {
                Ok(b) => b,
                Err(e) => {
                    self.notify.warn(&format!("cannot read spooled `{}`: {e}; dropped", file.display()));
                    let _ = std::fs::remove_file(&file);
                    continue;
                }
            };
            match self.uploader.send(&body) {
                Ok(()) => {
                    self.spool.remove(&file)?;
                    d.delivered += 1;
                }
                Err(SendError::Rejected(why)) => {
                    self.notify.warn(&format!("the server refused `{}`: {why}; dropped", file.display()));
                    self.spool.remove(&file)?;
                    d.rejected += 1;
                }
                Err(e) => {
                    d.stopped = Some(e);
                    break;
                }
            }
        }
        Ok(d)
    }
}

/// Runs the agent until `stop` says so: collect every `interval` (the first at once), and
/// deliver after each collection; a failed delivery is retried with `backoff` until the
/// next collection. With `once`, collects and delivers once (the delivery's result is the
/// answer).
pub fn run_loop(agent: &Agent, interval: Duration, backoff: &mut Backoff, clock: &dyn Clock, stop: &dyn Fn() -> bool) -> Result<()> {
    let interval_t = time::Duration::try_from(interval).unwrap_or(time::Duration::HOUR);
    let mut next_collect = clock.now();
    while !stop() {
        let now = clock.now();
        if now >= next_collect {
            if let Err(e) = agent.collect_and_spool(now) {
                agent.notify.warn(&format!("{e:#}"));
            }
            next_collect = now + interval_t;
        }
        let wait = match agent.deliver()? {
            Delivery { stopped: None, delivered, .. } => {
                if delivered > 0 {
                    agent.notify.info(&format!("delivered {delivered} document(s)"));
                }
                backoff.reset();
                None
            }
            Delivery { stopped: Some(e), delivered, .. } => {
                let left = agent.spool.list().map(|l| l.len()).unwrap_or(0);
                let delay = backoff.next_delay();
                agent.notify.warn(&format!("delivered {delivered}, {left} spooled: {e}; retrying in {} s", delay.as_secs()));
                Some(delay)
            }
        };
        let until_collect = (next_collect - clock.now()).try_into().unwrap_or(Duration::ZERO);
        let sleep = wait.map_or(until_collect, |w: Duration| w.min(until_collect));
        // Sleep in slices so that a stop is noticed within a second.
        let mut left = sleep;
        while !left.is_zero() && !stop() {
            let slice = left.min(Duration::from_secs(1));
            clock.sleep(slice);
            left -= slice;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
