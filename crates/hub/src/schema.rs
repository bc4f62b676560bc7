//! The schema and its migrations.
//!
//! `MIGRATIONS[i]` takes a database from schema `i` to schema `i + 1`; the schema
//! version is `PRAGMA user_version`. The list is append-only: a released migration is
//! never edited, a change is a new script. All pending scripts run in one `IMMEDIATE`
//! transaction, so two processes opening a fresh file cannot both migrate it and a
//! failed migration leaves the file as it was.
//!
//! Timestamps are RFC 3339 text in UTC with second precision (`2026-11-27T23:57:00Z`,
//! see [`rampart_model::rfc3339`]): readable in `sqlite3` and ordered as text. Enums are
//! stored as their serialized names (`FAILED`, `AwsS3Bucket`, `access_denied`), lists as
//! JSON arrays.

use crate::error::{classify, StoreError};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::Path;

/// `PRAGMA application_id` of a rampart database: "RAMP" in ASCII. It tells a rampart
/// database from any other SQLite file.
pub(crate) const APPLICATION_ID: i32 = 0x5241_4D50;

/// The schema version this build writes and reads.
pub(crate) const LATEST: u32 = MIGRATIONS.len() as u32;

pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: runs, findings with their lifecycle, per-run results, gaps, workflow history.
    r#"
CREATE TABLE runs (
    id           TEXT PRIMARY KEY NOT NULL,
    started_at   TEXT NOT NULL,
    finished_at  TEXT NOT NULL,
    source       TEXT NOT NULL,
    accounts     TEXT NOT NULL,   -- JSON array of account ids
    regions      TEXT NOT NULL,   -- JSON array of region names
    tool_version TEXT NOT NULL,
    checks       TEXT NOT NULL DEFAULT '[]'   -- JSON array of the check ids evaluated
);
CREATE INDEX runs_started_at ON runs (started_at);

-- Current state of every finding ever seen; one row per finding id.
CREATE TABLE findings (
    id                   TEXT PRIMARY KEY NOT NULL,
    check_id             TEXT NOT NULL,
    title                TEXT NOT NULL,
    description          TEXT NOT NULL,
    severity             TEXT NOT NULL CHECK (severity IN ('INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    status               TEXT NOT NULL CHECK (status IN ('PASSED', 'FAILED', 'WARNING', 'NOT_AVAILABLE')),
    reason               TEXT NOT NULL,
    detail               TEXT NOT NULL,
    service              TEXT NOT NULL,
    resource_id          TEXT NOT NULL,
    resource_type        TEXT NOT NULL,
    account              TEXT NOT NULL,
    region               TEXT NOT NULL,
    "partition"          TEXT NOT NULL,
    resource_name        TEXT NOT NULL,
    remediation_console  TEXT NOT NULL,
    remediation_cli      TEXT NOT NULL,
    remediation_url      TEXT NOT NULL,
    related_requirements TEXT NOT NULL,   -- JSON array of strings
    first_observed       TEXT NOT NULL,
    last_observed        TEXT NOT NULL,
    workflow_status      TEXT NOT NULL CHECK (workflow_status IN ('NEW', 'NOTIFIED', 'SUPPRESSED', 'RESOLVED')),
    record_state         TEXT NOT NULL CHECK (record_state IN ('ACTIVE', 'ARCHIVED')),
    updated_at           TEXT NOT NULL
);
CREATE INDEX findings_scope ON findings (account, region);
CREATE INDEX findings_check ON findings (check_id);
CREATE INDEX findings_status ON findings (status);

-- What each run said about each finding it produced.
CREATE TABLE run_results (
    run_id          TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    finding_id      TEXT NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    status          TEXT NOT NULL,
    severity        TEXT NOT NULL,
    reason          TEXT NOT NULL,
    workflow_status TEXT NOT NULL,
    observed_at     TEXT NOT NULL,
    PRIMARY KEY (run_id, finding_id)
) WITHOUT ROWID;
CREATE INDEX run_results_finding ON run_results (finding_id);

CREATE TABLE gaps (
    run_id   TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq      INTEGER NOT NULL,
    action   TEXT NOT NULL,
    kind     TEXT NOT NULL,
    account  TEXT NOT NULL,
    region   TEXT NOT NULL,
    resource TEXT,
    message  TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
);

-- Every change of a finding's workflow status: by a person (run_id NULL) or by the
-- automatic rules of a run.
CREATE TABLE workflow_history (
    id          INTEGER PRIMARY KEY,
    finding_id  TEXT NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    changed_at  TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    note        TEXT NOT NULL,
    run_id      TEXT REFERENCES runs (id) ON DELETE SET NULL
);
CREATE INDEX workflow_history_finding ON workflow_history (finding_id, id);
"#,
    // 2: a vulnerability database (see `vulndb.rs`): advisories as OSV JSON plus the
    // columns queries need, their affected packages indexed by (ecosystem, package),
    // and per source the last import.
    r#"
CREATE TABLE vuln_advisories (
    id         TEXT PRIMARY KEY NOT NULL,
    modified   TEXT,            -- RFC 3339 as the record gives it
    withdrawn  TEXT,
    aliases    TEXT NOT NULL,   -- JSON array of ids (CVE, GHSA)
    summary    TEXT,
    severity   TEXT CHECK (severity IN ('INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    cvss_score REAL,
    source     TEXT NOT NULL,   -- the feed: osv, debian-security-tracker, alpine-secdb
    record     TEXT NOT NULL    -- the advisory as OSV JSON
);
CREATE INDEX vuln_advisories_source ON vuln_advisories (source);

CREATE TABLE vuln_affected (
    advisory_id TEXT NOT NULL REFERENCES vuln_advisories (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    ecosystem   TEXT NOT NULL,
    package     TEXT NOT NULL,  -- normalized per ecosystem (rampart_vuln::ecosystem)
    ranges      TEXT NOT NULL,  -- JSON array of OSV ranges
    versions    TEXT NOT NULL,  -- JSON array of explicitly affected versions
    PRIMARY KEY (advisory_id, seq)
) WITHOUT ROWID;
CREATE INDEX vuln_affected_package ON vuln_affected (ecosystem, package);

-- Per source: its last import and how many advisories it holds.
CREATE TABLE vulndb_meta (
    source      TEXT PRIMARY KEY NOT NULL,
    imported_at TEXT NOT NULL,
    read        INTEGER NOT NULL,   -- records in the last import
    inserted    INTEGER NOT NULL,
    updated     INTEGER NOT NULL,
    unchanged   INTEGER NOT NULL,
    older       INTEGER NOT NULL,   -- skipped: the store held a newer `modified`
    advisories  INTEGER NOT NULL    -- advisories of this source in the store
);
"#,
    // 3: assessment targets, templates and runs (see `assess.rs`), after Inspector's.
    r#"
CREATE TABLE assessment_targets (
    name       TEXT PRIMARY KEY NOT NULL,
    selector   TEXT NOT NULL,   -- JSON {"tags": {k: v}, "hosts": [glob]}
    created_at TEXT NOT NULL
);

CREATE TABLE assessment_templates (
    name             TEXT PRIMARY KEY NOT NULL,
    target           TEXT NOT NULL REFERENCES assessment_targets (name),
    rule_packages    TEXT NOT NULL,   -- JSON array: cve, cis, best-practices, runtime
    duration_seconds INTEGER NOT NULL,
    created_at       TEXT NOT NULL
);

CREATE TABLE assessment_runs (
    id              INTEGER PRIMARY KEY,   -- never deleted, so never reused
    template        TEXT NOT NULL REFERENCES assessment_templates (name),
    state           TEXT NOT NULL CHECK (state IN ('CREATED', 'COLLECTING_DATA', 'EVALUATING_RULES', 'COMPLETED', 'FAILED')),
    created_at      TEXT NOT NULL,
    collecting_at   TEXT,
    evaluating_at   TEXT,
    completed_at    TEXT,
    failed_at       TEXT,
    failure         TEXT,
    findings_run_id TEXT REFERENCES runs (id) ON DELETE SET NULL,
    hosts           TEXT NOT NULL DEFAULT '[]'   -- JSON array of the assessed hostnames
);
CREATE INDEX assessment_runs_template ON assessment_runs (template, id);
"#,
    // 4: the structured vulnerability of a host, image or function CVE finding (JSON of
    // `rampart_model::Vulnerability`, NULL for every other finding); the aliases of every
    // advisory as rows, so that matching can find another source's record of the same CVE
    // (its CVSS rates an advisory that has none), filled for the advisories already held.
    r#"
ALTER TABLE findings ADD COLUMN vulnerability TEXT;

CREATE TABLE vuln_aliases (
    alias       TEXT NOT NULL,
    advisory_id TEXT NOT NULL REFERENCES vuln_advisories (id) ON DELETE CASCADE,
    PRIMARY KEY (alias, advisory_id)
) WITHOUT ROWID;
CREATE INDEX vuln_aliases_advisory ON vuln_aliases (advisory_id);
INSERT OR IGNORE INTO vuln_aliases (alias, advisory_id)
    SELECT j.value, a.id FROM vuln_advisories a, json_each(a.aliases) j WHERE j.type = 'text';
"#,
    // 5: who changed a finding's workflow by hand (the operating-system user the CLI ran
    // as); NULL for a run's automatic changes and for changes recorded before.
    r#"
ALTER TABLE workflow_history ADD COLUMN changed_by TEXT;
"#,
];

/// Sets the connection up, checks the file is ours and not from the future, and
/// migrates it to [`LATEST`]. Returns the schema version.
pub(crate) fn prepare(conn: &mut Connection, path: &Path) -> Result<u32, StoreError> {
    let err = |e| classify(path, e);
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(err)?;
    conn.pragma_update(None, "foreign_keys", true)
        .map_err(err)?;
    // The first statement that reads the file: a non-SQLite file fails here with
    // NotADatabase, which `classify` turns into `StoreError::NotRampart`.
    let _mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(err)?;
    // WAL makes NORMAL durable against application crashes and much faster than FULL.
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(err)?;
    // 64 MiB of page cache (the default is 2 MiB): a run upserts findings all over the
    // B-trees, and a cache that holds them makes recording a large run several times
    // faster. SQLite allocates it only as pages are read.
    conn.pragma_update(None, "cache_size", -65_536)
        .map_err(err)?;

    check_owner(conn, path)?;

    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(err)?;
    // Read again under the write lock: another process may have migrated meanwhile.
    let current = user_version(&tx, path)?;
    if current > LATEST {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found: current,
            known: LATEST,
        });
    }
    if current == LATEST {
        return Ok(current);
    }
    for (i, script) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let version = i as u32 + 1;
        let to_migrate = |source| StoreError::Migrate {
            path: path.to_path_buf(),
            version,
            source,
        };
        tx.execute_batch(script).map_err(to_migrate)?;
        tx.pragma_update(None, "user_version", version)
            .map_err(to_migrate)?;
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)
        .map_err(err)?;
    tx.commit().map_err(err)?;
    tracing::debug!(path = %path.display(), from = current, to = LATEST, "migrated database");
    Ok(LATEST)
}

/// Refuses SQLite files that belong to something else, and rampart files that are
/// too new for this build.
fn check_owner(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let err = |e| classify(path, e);
    let app_id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(err)?;
    let version = user_version(conn, path)?;
    let not_rampart = |why| {
        Err(StoreError::NotRampart {
            path: path.to_path_buf(),
            why,
        })
    };
    if app_id == APPLICATION_ID {
        if version > LATEST {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found: version,
                known: LATEST,
            });
        }
        return Ok(());
    }
    if app_id != 0 {
        return not_rampart("it belongs to another application");
    }
    let objects: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .map_err(err)?;
    if version != 0 || objects != 0 {
        return not_rampart("it holds tables of another application");
    }
    Ok(())
}

fn user_version(conn: &Connection, path: &Path) -> Result<u32, StoreError> {
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| classify(path, e))?;
    // user_version is a signed 32-bit header field; a negative value is not ours.
    u32::try_from(v).map_err(|_| StoreError::NotRampart {
        path: path.to_path_buf(),
        why: "it has a negative schema version",
    })
}

/// `$<env>` if set and not empty, otherwise `<data dir>/rampart/<file>`, or `<file>` in the
/// current directory when the platform has no data directory.
pub(crate) fn default_path(env: &str, file: &str) -> std::path::PathBuf {
    if let Some(p) = std::env::var_os(env).filter(|p| !p.is_empty()) {
        return std::path::PathBuf::from(p);
    }
    match dirs::data_dir() {
        Some(dir) => dir.join("rampart").join(file),
        None => std::path::PathBuf::from(file),
    }
}

/// How a database file is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Read and write, creating the file and its parent directory if missing: for the
    /// commands that record something (a scan, an import).
    Create,
    /// Read and write a file that exists: for changes to what is recorded (workflow).
    Existing,
    /// Read only (`SQLITE_OPEN_READ_ONLY`), never creating anything: for the commands that
    /// only show what is recorded, so that a database the user may read but not write can
    /// be browsed. An older schema is migrated if the file happens to be writable.
    ReadOnly,
}

/// Opens and migrates the database at `path` as `mode` says; `:memory:` when `path` is
/// `None`. Returns the connection, its path and version.
pub(crate) fn open(path: Option<&Path>, mode: Mode) -> Result<(Connection, std::path::PathBuf, u32), StoreError> {
    let Some(path) = path else {
        let path = std::path::PathBuf::from(":memory:");
        let mut conn = Connection::open_in_memory().map_err(|source| StoreError::Open { path: path.clone(), source })?;
        let version = prepare(&mut conn, &path)?;
        return Ok((conn, path, version));
    };
    if mode != Mode::Create && !exists(path)? {
        return Err(StoreError::Missing { path: path.to_path_buf() });
    }
    if mode == Mode::ReadOnly {
        let (conn, version) = open_read_only(path)?;
        if version == LATEST {
            return Ok((conn, path.to_path_buf(), version));
        }
        // An older schema: readable only once migrated, which needs write access.
        drop(conn);
        return match open(Some(path), Mode::Existing) {
            Err(StoreError::ReadOnly { .. } | StoreError::Open { .. }) => {
                Err(StoreError::OldReadOnly { path: path.to_path_buf(), found: version, known: LATEST })
            }
            other => other,
        };
    }
    let flags = match mode {
        Mode::Create => {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)
                    .map_err(|source| StoreError::CreateDir { path: parent.to_path_buf(), source })?;
            }
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX
        }
        _ => OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    };
    let mut conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
    let version = prepare(&mut conn, path)?;
    Ok((conn, path.to_path_buf(), version))
}

/// Whether `path` exists (a dangling symlink does not); an error other than "not found"
/// (a parent that is a file, no permission) is the open's error.
fn exists(path: &Path) -> Result<bool, StoreError> {
    match std::fs::metadata(path) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(source) => Err(StoreError::Access { path: path.to_path_buf(), source }),
    }
}

/// Opens `path` read-only and checks it is ours; returns its schema version.
///
/// A WAL database is read through its `-shm` index, which SQLite creates beside the file
/// when it is missing: in a directory the user may not write, that fails with
/// SQLITE_CANTOPEN or SQLITE_READONLY_CANTINIT (<https://sqlite.org/wal.html#readonly>).
/// Then the file is opened again as `immutable` (<https://sqlite.org/uri.html#uriimmutable>):
/// SQLite reads it without any lock or index, which is right for a file this user cannot
/// change (a writer with more rights changing it meanwhile could make a read fail, never
/// write anything wrong).
fn open_read_only(path: &Path) -> Result<(Connection, u32), StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    let try_open = |uri: &str| -> Result<(Connection, u32), StoreError> {
        let conn = Connection::open_with_flags(uri, flags).map_err(|e| classify(path, e))?;
        conn.busy_timeout(std::time::Duration::from_secs(10)).map_err(|e| classify(path, e))?;
        check_owner(&conn, path)?;
        let version = user_version(&conn, path)?;
        if version == 0 {
            // An empty file (or an empty SQLite database): nothing was ever recorded in it.
            return Err(StoreError::Empty { path: path.to_path_buf() });
        }
        // Reading a table is what needs the WAL index: fail here rather than at the first query.
        conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0))
            .map_err(|e| classify(path, e))?;
        Ok((conn, version))
    };
    let uri = file_uri(path);
    match try_open(&format!("{uri}?mode=ro")) {
        Err(StoreError::Open { .. } | StoreError::ReadOnly { .. }) => try_open(&format!("{uri}?mode=ro&immutable=1")),
        other => other,
    }
}

/// `path` as an SQLite `file:` URI (<https://sqlite.org/uri.html>): every byte other than
/// an unreserved character or `/` percent-encoded, so `?`, `#` and `%` in a name stay
/// part of the name.
fn file_uri(path: &Path) -> String {
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str()).to_vec();
    #[cfg(not(unix))]
    let bytes = path.to_string_lossy().as_bytes().to_vec();
    let mut uri = String::from("file:");
    for b in bytes {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => uri.push(b as char),
            _ => uri.push_str(&format!("%{b:02X}")),
        }
    }
    uri
}
