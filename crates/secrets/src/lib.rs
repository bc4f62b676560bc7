//! Exposed AWS access keys: finds access key ids and secret access keys in files and in git
//! history, and judges them against the scanned account's IAM access keys (Trusted Advisor
//! "Exposed Access Keys").
//!
//! - [`detect`]: the detector over bytes (pure).
//! - [`scan_paths`]: files and directories, recursively, in parallel.
//! - [`scan_git_history`]: every blob reachable from any ref, each scanned once, reported
//!   with the first commit and path where it appears.
//! - [`classify`] / [`findings`]: a hit whose key id is an active access key of the account is
//!   critical, an inactive one high, any other medium (pure: time is an input).
//!
//! **Architecture invariants:**
//! - Only reads: files are opened read-only; git runs only `rev-parse`, `rev-list`,
//!   `cat-file` and `log`, which never write to the repository.
//! - Never holds, prints or logs a full secret access key: the detector turns a secret into a
//!   [`RedactedSecret`] (first 4 characters + `…`) at once, so no `Debug`, `Display` or serde
//!   output of this crate's types can contain one. Access key ids are printed in full: they are
//!   identifiers, not secrets.
//! - A file that cannot be read, is binary (NUL in its first 8 KiB) or is larger than
//!   [`ScanOptions::max_file_size`] is recorded in [`ScanReport::skipped`]; it never fails the
//!   scan.
//! - Deterministic: hits are sorted by path, commit, line and column.

mod classify;
mod detect;
pub mod git;
mod redact;
mod text;
mod walk;

pub use classify::{account_keys, classify, findings, results, AccountKey, AccountKeys, Exposed, Exposure, KeyStatus, CHECK_ID, META};
pub use detect::{
    detect, DetectOptions, KeyKind, Match, EXAMPLE_KEY_ID, EXAMPLE_SECRET_PREFIX, KEY_ID_LEN, NEAR_LINES, NON_CREDENTIAL_PREFIXES,
    SECRET_LEN,
};
pub use git::{is_git_repo, scan_git_history};
pub use redact::RedactedSecret;
pub use walk::scan_paths;

use serde::Serialize;
use std::fmt;
use std::path::PathBuf;

/// Default [`ScanOptions::max_file_size`]: 10 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;
/// A file is binary when this many leading bytes contain a NUL.
pub const BINARY_PROBE: usize = 8 * 1024;

/// How to scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanOptions {
    /// Files (and git blobs) larger than this are skipped.
    pub max_file_size: u64,
    /// Report AWS's documentation example keys, flagged `example`.
    pub include_examples: bool,
    /// Worker threads for [`scan_paths`]; `0` = the number of available cores.
    pub threads: usize,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions { max_file_size: DEFAULT_MAX_FILE_SIZE, include_examples: false, threads: 0 }
    }
}

impl ScanOptions {
    fn detect_options(&self) -> DetectOptions {
        DetectOptions { include_examples: self.include_examples }
    }
}

/// Where a hit is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    /// The file as walked (`scan_paths`), or `<repo>/<path in the repository>` (history).
    pub path: String,
    /// For history hits, the first commit (oldest first, topological order) in which the
    /// blob appears; `None` for files on disk or a blob no commit's diff introduces (e.g. one
    /// a tag points to directly).
    pub commit: Option<String>,
    /// 1-based.
    pub line: u32,
    /// 1-based byte column.
    pub column: u32,
}

/// `path:line:column`, followed by ` in commit <id>` for history hits.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.line, self.column)?;
        if let Some(c) = &self.commit {
            write!(f, " in commit {c}")?;
        }
        Ok(())
    }
}

/// An access key id and/or secret access key found somewhere. Holds no full secret.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Hit {
    pub location: Location,
    /// The access key id in full; `None` for a labelled secret without a key id.
    pub key_id: Option<String>,
    pub key_kind: Option<KeyKind>,
    /// The secret found with it, redacted.
    pub secret: Option<RedactedSecret>,
    /// An AWS documentation example value (only with [`ScanOptions::include_examples`]).
    pub example: bool,
}

impl Hit {
    fn new(path: String, commit: Option<String>, m: Match) -> Hit {
        Hit {
            location: Location { path, commit, line: m.line, column: m.column },
            key_id: m.key_id,
            key_kind: m.key_kind,
            secret: m.secret,
            example: m.example,
        }
    }

    /// What was found, for a finding's detail: the key id, or `secret <prefix>…`.
    pub fn what(&self) -> String {
        match (&self.key_id, &self.secret) {
            (Some(k), _) => k.clone(),
            (None, Some(s)) => format!("secret {s}"),
            (None, None) => "nothing".to_string(),
        }
    }
}

/// `<key id or redacted secret> at <location>`.
impl fmt::Display for Hit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", self.what(), self.location)?;
        if let (Some(_), Some(s)) = (&self.key_id, &self.secret) {
            write!(f, " with secret {s}")?;
        }
        Ok(())
    }
}

/// Why a file or blob was not scanned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum SkipReason {
    /// A NUL byte in the first [`BINARY_PROBE`] bytes.
    Binary,
    TooLarge { size: u64, limit: u64 },
    Unreadable { message: String },
}

/// A file or blob that was not scanned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub path: String,
    pub reason: SkipReason,
}

/// The outcome of a scan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ScanReport {
    pub hits: Vec<Hit>,
    pub skipped: Vec<Skipped>,
    /// Files (or unique blobs) scanned.
    pub scanned: u64,
    pub bytes: u64,
}

impl ScanReport {
    fn sort(&mut self) {
        self.hits.sort_by(|a, b| a.location.cmp(&b.location).then_with(|| a.key_id.cmp(&b.key_id)));
        self.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    }
}

/// Why a scan could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read `{}`: {source}", path.display())]
    Path { path: PathBuf, source: std::io::Error },
    #[error("cannot run `git`: {0}; install git to scan history")]
    GitMissing(std::io::Error),
    #[error("`{}` is not a git repository: {message}", repo.display())]
    NotARepo { repo: PathBuf, message: String },
    #[error("`git {command}` failed in `{}`: {message}", repo.display())]
    Git { repo: PathBuf, command: &'static str, message: String },
}

/// Whether a buffer looks binary: a NUL in its first [`BINARY_PROBE`] bytes.
pub fn is_binary(data: &[u8]) -> bool {
    memchr::memchr(0, &data[..data.len().min(BINARY_PROBE)]).is_some()
}
