//! Exposed AWS access keys: finds access key ids and secret access keys in files and in git
//! history, and judges them against the scanned account's IAM access keys (Trusted Advisor
//! "Exposed Access Keys").
//!
//! - [`detect`]: the detector over bytes (pure).
//! - [`scan_paths`]: files and directories, recursively, in parallel.
//! - [`scan_git_history`]: every blob in a repository's object database (reachable from a
//!   ref or not), each scanned once, reported with the first commit and path where it
//!   appears; read by [`git`], a pure-Rust reader that executes nothing.
//! - Text is UTF-8 (or any ASCII-compatible encoding) or UTF-16, decoded first (`text.rs`).
//! - [`classify`] / [`findings`]: a hit whose key id is an active access key of the account is
//!   critical, an inactive one high, any other medium (pure: time is an input).
//!
//! **Architecture invariants:**
//! - Only reads, and runs nothing: files are opened read-only; git history is read by
//!   [`git`], a pure-Rust reader of the object database that reads no environment variable,
//!   configuration, attribute file or hook and starts no process, so a hostile repository
//!   cannot make a scan run its code. Nothing outside the paths given is read: symbolic links
//!   to outside a scanned directory (and a `.git` link, `gitdir:` file or alternates pointing
//!   outside a repository) are reported, not followed.
//! - Never holds, prints or logs a full secret access key: the detector turns a secret into a
//!   [`RedactedSecret`] (first 4 characters + `…`) at once, so no `Debug`, `Display` or serde
//!   output of this crate's types can contain one. Access key ids are printed in full: they are
//!   identifiers, not secrets.
//! - Never "clean" on input it did not read: whatever could not be read (permission denied,
//!   a dangling link, a FIFO or device, a malformed git object) is a [`Skipped`] entry whose
//!   reason makes the report [`ScanReport::incomplete`]; binaries (a NUL in the first 8 KiB
//!   that is not UTF-16) and files larger than [`ScanOptions::max_file_size`] are skipped and
//!   counted. UTF-16 text is decoded and scanned. Nothing here fails the scan as a whole except
//!   a path given that does not exist or is not a file or directory.
//! - Deterministic: hits are sorted by path, commit, line and column.

mod classify;
mod detect;
pub mod git;
mod inflate;
mod redact;
mod text;
mod walk;

pub use classify::{account_keys, classify, findings, results, AccountKey, AccountKeys, Exposed, Exposure, KeyStatus, CHECK_ID, META};
pub use detect::{
    detect, DetectOptions, KeyKind, Match, EXAMPLE_KEY_ID, EXAMPLE_SECRET_PREFIX, KEY_ID_LEN, NEAR_LINES, NON_CREDENTIAL_PREFIXES,
    SECRET_LEN,
};
pub use git::{is_git_repo, scan_git_history};
pub use inflate::{gunzip_bounded, is_gzip, InflateError, GZIP_MAGIC};
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
    /// A NUL byte in the first [`BINARY_PROBE`] bytes, and not UTF-16 text.
    Binary,
    TooLarge { size: u64, limit: u64 },
    /// Could not be read: the report is incomplete.
    Unreadable { message: String },
    /// A symbolic link to outside the directory given: not followed (what it points to is not
    /// part of the scanned directory, so the report is not incomplete because of it).
    Outside { target: String },
}

impl SkipReason {
    /// Whether content of the scanned paths went unread because of this.
    pub fn incomplete(&self) -> bool {
        matches!(self, SkipReason::Unreadable { .. })
    }
}

/// One line: `<path>: <why>`.
impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.reason {
            SkipReason::Binary => write!(f, "{}: binary, not scanned", self.path),
            SkipReason::TooLarge { size, limit } => write!(f, "{}: {size} bytes, larger than the limit of {limit}: not scanned", self.path),
            SkipReason::Unreadable { message } => write!(f, "{}: not read: {message}", self.path),
            SkipReason::Outside { target } => write!(f, "{}: a link to `{target}`, outside the scanned directory: not followed", self.path),
        }
    }
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
    /// How many paths or objects could not be read; non-zero means the report is not a
    /// complete answer, whatever its hits.
    pub fn incomplete(&self) -> usize {
        self.skipped.iter().filter(|s| s.reason.incomplete()).count()
    }

    /// `(binary, too large)` counts of what was skipped on purpose.
    pub fn skipped_counts(&self) -> (usize, usize) {
        let n = |f: fn(&SkipReason) -> bool| self.skipped.iter().filter(|s| f(&s.reason)).count();
        (n(|r| matches!(r, SkipReason::Binary)), n(|r| matches!(r, SkipReason::TooLarge { .. })))
    }

    /// One warning line per unread or not-followed path, at most `max`, then `… and N more`.
    pub fn warnings(&self, max: usize) -> Vec<String> {
        let all: Vec<&Skipped> = self.skipped.iter().filter(|s| matches!(s.reason, SkipReason::Unreadable { .. } | SkipReason::Outside { .. })).collect();
        let mut out: Vec<String> = all.iter().take(max).map(|s| s.to_string()).collect();
        if all.len() > max {
            out.push(format!("… and {} more", all.len() - max));
        }
        out
    }

    /// The summary's line about what was not scanned, e.g. `incomplete: 2 path(s) not read;
    /// skipped: 1 binary, 0 too large`; `None` when everything was scanned.
    pub fn summary_line(&self) -> Option<String> {
        let (binary, large) = self.skipped_counts();
        let skipped = format!("skipped: {binary} binary, {large} too large");
        match self.incomplete() {
            0 if binary + large == 0 => None,
            0 => Some(skipped),
            n => Some(format!("incomplete: {n} path(s) not read; {skipped}")),
        }
    }

    /// Adds another report's hits, skips and counts (e.g. history to the work tree).
    pub fn merge(&mut self, other: ScanReport) {
        self.hits.extend(other.hits);
        self.skipped.extend(other.skipped);
        self.scanned += other.scanned;
        self.bytes += other.bytes;
        self.sort();
    }

    fn sort(&mut self) {
        self.hits.sort_by(|a, b| a.location.cmp(&b.location).then_with(|| a.key_id.cmp(&b.key_id)));
        self.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    }
}

/// Why a scan could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The cause is the source, not part of the message: it is printed once.
    #[error("cannot read `{}`", path.display())]
    Path { path: PathBuf, source: std::io::Error },
    #[error("`{}` is not a file or directory ({kind}): give a file or a directory", path.display())]
    NotAFile { path: PathBuf, kind: &'static str },
    #[error("`{}` is not a git repository: {message}", repo.display())]
    NotARepo { repo: PathBuf, message: String },
}

/// Whether a buffer looks binary: a NUL in its first [`BINARY_PROBE`] bytes.
pub fn is_binary(data: &[u8]) -> bool {
    memchr::memchr(0, &data[..data.len().min(BINARY_PROBE)]).is_some()
}
