//! Rampart's application layer: what each command of the `rampart` binary and each route
//! of `rampart serve` does, as a call. The CLI turns flags into these calls and prints what
//! they return; the server turns requests into the same calls. Nothing here prints, parses
//! flags or speaks HTTP: what the user should read besides the result (a source not read, a
//! document skipped) goes to a [`Notify`], and errors name no flag (the caller adds its own
//! advice).
//!
//! - [`inputs`]: the demo estate, snapshots, live collection, host telemetry joined to an
//!   inventory.
//! - [`scan`]: an inventory's checks into a [`Scan`] (run, findings, gaps), the config's
//!   thresholds, exclusions and suppressions applied; compliance; recording.
//! - [`host`]: Inspector's host assessment (the CVE rule package against the vulnerability
//!   database, and the host rule packages) of a root, a telemetry document, an image or a
//!   Lambda zip.
//! - [`assess`]: an assessment template's run, state by state.
//! - [`automation`]: automation rules from Security Hub's JSON; a dry run.
//! - [`secrets`]: access keys in files and git history.
//! - [`reach`]: reachability questions, including whole subnets and egress.
//! - [`inventory`]: the inventory recorded with each scan, its resources, read back.
//! - [`insights`]: managed and custom insights, their counts and the findings of a group.
//! - [`events`]: events routed by pattern into the outbox, custom actions, delivery with backoff.
//! - [`import`]: findings from other tools (ASFF, OCSF) into the store, with `BatchImportFindings` semantics.
//! - [`import_aws`]: findings of AWS's own services (Security Hub, GuardDuty, Inspector2, Access Analyzer, Macie, Config), read live or from saved responses.
//! - [`browse`]: what the store holds, in the shapes both front ends show.
//! - [`detect`]: threat detections over CloudTrail files, as a run of findings.

pub mod agent;
pub mod assess;
pub mod assess_events;
pub mod automation;
pub mod browse;
pub mod changes;
pub mod db;
pub mod detect;
pub mod escalation;
pub mod exposure;
pub mod events;
pub mod graph_links;
pub mod host;
pub mod iam;
pub mod iam_access;
pub mod import;
pub mod import_aws;
pub mod inputs;
pub mod insights;
pub mod investigate;
pub mod notify;
pub mod org;
pub mod inventory;
pub mod jobs;
pub mod jobs_aws;
pub mod jobs_evaluate;
pub mod ip_ranges;
pub mod reach;
pub mod scan;
pub mod schedule;
pub mod secrets;

pub use scan::Scan;

use rampart_model::{RunInfo, Timestamp};
use std::fmt;

/// Something a call has to tell its user besides its result. The CLI prints it on stderr;
/// the server logs it and returns it with the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Part of the input was not read or not used (a document skipped, a source unreadable).
    Warning,
    /// What happened, for a person watching (a document joined, a state reached).
    Info,
}

/// Where a call's notices go.
pub trait Notify {
    fn notice(&self, level: Level, text: &str);

    /// A transient progress line ("reading packages: dpkg 1,234"); most sinks ignore it.
    fn progress(&self, _what: fmt::Arguments<'_>) {}

    /// The end of a progress line.
    fn progress_done(&self) {}

    fn warn(&self, text: &str) {
        self.notice(Level::Warning, text);
    }

    fn info(&self, text: &str) {
        self.notice(Level::Info, text);
    }
}

/// A [`Notify`] that keeps every notice, for callers that answer with them (the server)
/// and for tests.
#[derive(Debug, Default)]
pub struct Collected(pub std::sync::Mutex<Vec<(Level, String)>>);

impl Collected {
    pub fn take(&self) -> Vec<(Level, String)> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// The warnings' texts.
    pub fn warnings(&self) -> Vec<String> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).iter().filter(|(l, _)| *l == Level::Warning).map(|(_, t)| t.clone()).collect()
    }
}

impl Notify for Collected {
    fn notice(&self, level: Level, text: &str) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push((level, text.to_owned()));
    }
}

/// The time now, in UTC: the one clock of the application layer (engines take times).
pub fn now() -> Timestamp {
    time::OffsetDateTime::now_utc()
}

/// A run's record: what was read (`source`), since `started`, finished now, by this build.
/// Its id is taken from the finish time, unique to the nanosecond.
pub fn run_info(source: String, started: Timestamp, accounts: Vec<String>, regions: Vec<String>, checks: Vec<String>) -> RunInfo {
    let finished = now();
    RunInfo {
        id: format!("run-{}-{:09}", finished.unix_timestamp(), finished.nanosecond()),
        started_at: started,
        finished_at: finished,
        source,
        accounts,
        regions,
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        checks,
        incomplete: Vec::new(),
    }
}

/// User input as an error echoes it: at most 80 characters, then "…", so a pasted
/// document or a runaway shell expansion does not fill the screen.
pub fn shown(s: &str) -> String {
    const MAX: usize = 80;
    match s.char_indices().nth(MAX) {
        None => s.to_string(),
        Some((end, _)) => format!("{}…", &s[..end]),
    }
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests;
