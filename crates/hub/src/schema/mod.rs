//! The schema: one per store, each with its own append-only migrations.
//!
//! A rampart database file holds one or more *stores*, each a set of tables with a name
//! and a version of its own: `findings` (runs, findings, results, gaps, workflow
//! history), `assessments` (Inspector's targets, templates and runs), `inventory` (each
//! run's snapshot of the estate) and `vulndb` (the vulnerability database), among others.
//! The table `rampart_schema (name, version)` says which stores
//! the file holds and at which version. A [`Schema`] is a store's name and its ordered
//! migrations: `migrations[i]` takes the store from version `i` to `i + 1`. The lists are
//! append-only: a released migration is never edited, a change is a new script.
//!
//! An opener names the stores it uses (a *set*: [`STORE`] for [`crate::Store`],
//! [`VULNDB`] for [`crate::VulnStore`]); opening migrates those and no other, so the
//! vulnerability database's file holds only its own tables, while one file can still
//! hold every store. All pending scripts run in one `IMMEDIATE` transaction, so two
//! processes opening a fresh file cannot both migrate it and a failed migration leaves
//! the file as it was. A store at a version newer than this build knows is refused
//! ([`StoreError::TooNew`] naming it); a store of the file that the opener does not use
//! (a newer rampart's, say) is left alone.
//!
//! ## Adding a store (e.g. the server's `auth`)
//!
//! 1. Write `schema/<name>.rs` with `pub(crate) static <NAME>: Schema = Schema { name:
//!    "<name>", migrations: &[ r#"CREATE TABLE ..."# ] }` (copy `assessments.rs`).
//! 2. List it in the set of the opener that uses it, after the stores its tables
//!    reference ([`STORE`] for tables in the main database), and in [`ALL`].
//! 3. Write the queries in a module of this crate (`auth.rs`: `impl Store { ... }`),
//!    with public value types; SQL stays in this crate.
//!
//! A later change to the store is a new script appended to its list; nothing else moves.
//! `tests_schema.rs` checks every known store opens, upgrades, and is refused when newer.
//!
//! ## The file before stores had versions
//!
//! Up to five schema versions, the whole file had one version, `PRAGMA user_version`
//! 1 to 5. Such a file is converted when first opened for writing: its stores' versions
//! follow from the legacy version ([`LEGACY`]), `rampart_schema` records them, and
//! `user_version` becomes [`FILE_FORMAT`], which rampart builds of that time refuse as
//! "written by a newer rampart" rather than misread. A read-only open converts nothing
//! and reads a legacy file as is when its stores are current.
//!
//! ## Conventions
//!
//! Timestamps are RFC 3339 text in UTC with second precision (`2026-11-27T23:57:00Z`,
//! see [`rampart_model::rfc3339`]): readable in `sqlite3` and ordered as text. Enums are
//! stored as their serialized names (`FAILED`, `AwsS3Bucket`, `access_denied`), lists as
//! JSON arrays.

mod agents;
mod assessments;
mod audit;
mod auth;
mod changes;
mod automation;
mod events;
mod findings;
mod graph;
mod insights;
mod jobs;
mod inventory;
#[cfg(test)]
pub(crate) mod legacy;
mod schedules;
mod vulndb;

use crate::error::{classify, StoreError};
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub(crate) use agents::AGENTS;
pub(crate) use assessments::ASSESSMENTS;
pub(crate) use audit::AUDIT;
pub(crate) use auth::AUTH;
pub(crate) use changes::CHANGES;
pub(crate) use automation::AUTOMATION;
pub(crate) use events::EVENTS;
pub(crate) use findings::FINDINGS;
pub(crate) use graph::GRAPH;
pub(crate) use insights::INSIGHTS;
pub(crate) use jobs::JOBS;
pub(crate) use inventory::INVENTORY;
pub(crate) use schedules::SCHEDULES;
pub(crate) use vulndb::VULNDB as VULNDB_SCHEMA;

/// `PRAGMA application_id` of a rampart database: "RAMP" in ASCII. It tells a rampart
/// database from any other SQLite file.
pub(crate) const APPLICATION_ID: i32 = 0x5241_4D50;

/// `PRAGMA user_version` of a file whose stores are versioned in `rampart_schema`: above
/// every legacy single version, so that builds of that time refuse the file as too new.
pub(crate) const FILE_FORMAT: u32 = 100;

/// One store's tables: its name in `rampart_schema` and its migrations, in order.
#[derive(Debug)]
pub(crate) struct Schema {
    /// The store's name: a key of `rampart_schema`, never changed once released.
    pub(crate) name: &'static str,
    /// `migrations[i]` takes the store from version `i` to `i + 1`. Append-only.
    pub(crate) migrations: &'static [&'static str],
    /// The same migrations written for PostgreSQL (`postgres[i]` is `migrations[i]`'s
    /// change there), or empty while the store runs on SQLite alone. A test checks the
    /// two lists have the same length once the store has any.
    pub(crate) postgres: &'static [&'static str],
}

impl Schema {
    /// The version this build writes and reads.
    pub(crate) fn latest(&self) -> u32 {
        self.migrations.len() as u32
    }
}

/// The stores of the main database ([`crate::Store`]), in migration order: a store may
/// reference the tables of those before it.
pub(crate) const STORE: &[&Schema] = &[&FINDINGS, &ASSESSMENTS, &AUTH, &INSIGHTS, &AUTOMATION, &EVENTS, &INVENTORY, &AUDIT, &CHANGES, &SCHEDULES, &AGENTS, &JOBS, &GRAPH];

/// The stores of the vulnerability database ([`crate::VulnStore`]).
pub(crate) const VULNDB: &[&Schema] = &[&VULNDB_SCHEMA];

/// Every store this build knows.
#[cfg(test)]
pub(crate) const ALL: &[&Schema] = &[&FINDINGS, &ASSESSMENTS, &AUTH, &INSIGHTS, &AUTOMATION, &EVENTS, &INVENTORY, &AUDIT, &CHANGES, &SCHEDULES, &AGENTS, &JOBS, &VULNDB_SCHEMA, &GRAPH];

/// The legacy single version at which each store reached each of its versions: store
/// `name` is at version `k` in a legacy file of `user_version >= thresholds[k - 1]`.
/// Legacy migration 1 created the findings tables, 2 the vulnerability database, 3 the
/// assessments, 4 the findings' `vulnerability` column and the advisories' aliases, 5
/// the workflow history's `changed_by`.
pub(crate) const LEGACY: &[(&str, &[u32])] = &[("findings", &[1, 4, 5]), ("vulndb", &[2, 4]), ("assessments", &[3])];

/// The highest legacy single version.
pub(crate) const LEGACY_LATEST: u32 = 5;

/// A store's name and version in a file.
pub(crate) type Versions = Vec<(&'static str, u32)>;

/// The versions of the stores of a legacy file of `user_version` `legacy`.
fn legacy_versions(legacy: u32) -> BTreeMap<String, u32> {
    LEGACY
        .iter()
        .map(|(name, thresholds)| (name.to_string(), thresholds.iter().filter(|t| legacy >= **t).count() as u32))
        .filter(|(_, v)| *v > 0)
        .collect()
}

/// What a file is, before any migration.
#[derive(Debug, Clone, PartialEq, Eq)]
enum FileState {
    /// No tables and no version: a new (or empty) database.
    Fresh,
    /// One version for the whole file (`user_version` 1 to [`LEGACY_LATEST`]).
    Legacy(u32),
    /// Stores versioned in `rampart_schema`.
    PerStore,
}

impl FileState {
    /// The stores' versions as the file holds them (a legacy file's, mapped).
    fn versions(&self, conn: &Connection, path: &Path) -> Result<BTreeMap<String, u32>, StoreError> {
        match self {
            FileState::Fresh => Ok(BTreeMap::new()),
            FileState::Legacy(n) => Ok(legacy_versions(*n)),
            FileState::PerStore => read_versions(conn, path),
        }
    }
}

fn read_versions(conn: &Connection, path: &Path) -> Result<BTreeMap<String, u32>, StoreError> {
    let err = |e| classify(path, e);
    let mut stmt = conn.prepare("SELECT name, version FROM rampart_schema").map_err(err)?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))).map_err(err)?;
    let mut out = BTreeMap::new();
    for row in rows {
        let (name, version) = row.map_err(err)?;
        let version = u32::try_from(version).map_err(|_| StoreError::Corrupt {
            path: path.to_path_buf(),
            what: "store version",
            value: format!("{name} {version}"),
        })?;
        out.insert(name, version);
    }
    Ok(out)
}

/// The first store of `set` that `versions` holds newer than this build knows.
fn too_new(set: &[&Schema], versions: &BTreeMap<String, u32>, path: &Path) -> Result<(), StoreError> {
    for s in set {
        let found = versions.get(s.name).copied().unwrap_or(0);
        if found > s.latest() {
            return Err(StoreError::TooNew { path: path.to_path_buf(), store: Some(s.name), found, known: s.latest() });
        }
    }
    Ok(())
}

/// Sets the connection up, checks the file is ours and not from the future, and
/// migrates the stores of `set` to their latest versions. Returns their versions.
fn prepare(conn: &mut Connection, path: &Path, set: &[&Schema]) -> Result<Versions, StoreError> {
    let err = |e| classify(path, e);
    conn.busy_timeout(std::time::Duration::from_secs(10)).map_err(err)?;
    conn.pragma_update(None, "foreign_keys", true).map_err(err)?;
    // The first statement that reads the file: a non-SQLite file fails here with
    // NotADatabase, which `classify` turns into `StoreError::NotRampart`.
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).map_err(err)?;
    // WAL makes NORMAL durable against application crashes and much faster than FULL.
    conn.pragma_update(None, "synchronous", "NORMAL").map_err(err)?;
    // 64 MiB of page cache (the default is 2 MiB): a run upserts findings all over the
    // B-trees, and a cache that holds them makes recording a large run several times
    // faster. SQLite allocates it only as pages are read.
    conn.pragma_update(None, "cache_size", -65_536).map_err(err)?;

    let state = check_owner(conn, path)?;
    too_new(set, &state.versions(conn, path)?, path)?;

    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(err)?;
    // Read again under the write lock: another process may have migrated meanwhile.
    let state = check_owner(&tx, path)?;
    let mut versions = state.versions(&tx, path)?;
    too_new(set, &versions, path)?;
    let pending = set.iter().any(|s| versions.get(s.name).copied().unwrap_or(0) < s.latest());
    if state == FileState::PerStore && !pending {
        return Ok(current(set, &versions));
    }
    if state != FileState::PerStore {
        // A new file, or a legacy one: from now on its stores are versioned one by one.
        tx.execute_batch("CREATE TABLE rampart_schema (name TEXT PRIMARY KEY NOT NULL, version INTEGER NOT NULL)").map_err(err)?;
        for (name, version) in &versions {
            tx.execute("INSERT INTO rampart_schema (name, version) VALUES (?1, ?2)", rusqlite::params![name, version]).map_err(err)?;
        }
        tx.pragma_update(None, "application_id", APPLICATION_ID).map_err(err)?;
        tx.pragma_update(None, "user_version", FILE_FORMAT).map_err(err)?;
    }
    for s in set {
        let from = versions.get(s.name).copied().unwrap_or(0);
        for (i, script) in s.migrations.iter().enumerate().skip(from as usize) {
            let version = i as u32 + 1;
            let to_migrate = |source| StoreError::Migrate { path: path.to_path_buf(), store: s.name, version, source };
            tx.execute_batch(script).map_err(to_migrate)?;
            tx.execute(
                "INSERT INTO rampart_schema (name, version) VALUES (?1, ?2)
                 ON CONFLICT (name) DO UPDATE SET version = excluded.version",
                rusqlite::params![s.name, version],
            )
            .map_err(to_migrate)?;
        }
        if from < s.latest() {
            tracing::debug!(path = %path.display(), store = s.name, from, to = s.latest(), "migrated store");
        }
        versions.insert(s.name.to_string(), s.latest());
    }
    tx.commit().map_err(err)?;
    Ok(current(set, &versions))
}

fn current(set: &[&Schema], versions: &BTreeMap<String, u32>) -> Versions {
    set.iter().map(|s| (s.name, versions.get(s.name).copied().unwrap_or(0))).collect()
}

/// Refuses SQLite files that belong to something else, and rampart files of a file
/// format newer than this build's; says what the file is.
fn check_owner(conn: &Connection, path: &Path) -> Result<FileState, StoreError> {
    let err = |e| classify(path, e);
    let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).map_err(err)?;
    let version = user_version(conn, path)?;
    let not_rampart = |why| Err(StoreError::NotRampart { path: path.to_path_buf(), why });
    let objects: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0)).map_err(err)?;
    if app_id == APPLICATION_ID {
        return match version {
            FILE_FORMAT => {
                let has_table: Option<i64> = conn
                    .query_row("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'rampart_schema'", [], |r| r.get(0))
                    .optional()
                    .map_err(err)?;
                match has_table {
                    Some(_) => Ok(FileState::PerStore),
                    None => not_rampart("its table of store versions is missing"),
                }
            }
            1..=LEGACY_LATEST => Ok(FileState::Legacy(version)),
            0 if objects == 0 => Ok(FileState::Fresh),
            0 => not_rampart("it has tables but no schema version"),
            _ => Err(StoreError::TooNew { path: path.to_path_buf(), store: None, found: version, known: FILE_FORMAT }),
        };
    }
    if app_id != 0 {
        return not_rampart("it belongs to another application");
    }
    if version != 0 || objects != 0 {
        return not_rampart("it holds tables of another application");
    }
    Ok(FileState::Fresh)
}

fn user_version(conn: &Connection, path: &Path) -> Result<u32, StoreError> {
    let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| classify(path, e))?;
    // user_version is a signed 32-bit header field; a negative value is not ours.
    u32::try_from(v).map_err(|_| StoreError::NotRampart { path: path.to_path_buf(), why: "it has a negative schema version" })
}

/// `$<env>` if set and not empty, otherwise `<data dir>/rampart/<file>`, or `<file>` in the
/// current directory when the platform has no data directory.
pub(crate) fn default_path(env: &str, file: &str) -> PathBuf {
    if let Some(p) = std::env::var_os(env).filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    match dirs::data_dir() {
        Some(dir) => dir.join("rampart").join(file),
        None => PathBuf::from(file),
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

/// Opens the database at `path` as `mode` says (`:memory:` when `path` is `None`) and
/// migrates the stores of `set`. Returns the connection, its path and the stores'
/// versions, in the order of `set`.
pub(crate) fn open(path: Option<&Path>, mode: Mode, set: &[&Schema]) -> Result<(Connection, PathBuf, Versions), StoreError> {
    let Some(path) = path else {
        let path = PathBuf::from(":memory:");
        let mut conn = Connection::open_in_memory().map_err(|source| StoreError::Open { path: path.clone(), source })?;
        let versions = prepare(&mut conn, &path, set)?;
        return Ok((conn, path, versions));
    };
    if mode != Mode::Create && !exists(path)? {
        return Err(StoreError::Missing { path: path.to_path_buf() });
    }
    if mode == Mode::ReadOnly {
        let (conn, behind) = open_read_only(path, set)?;
        let Some((store, found, known)) = behind else {
            let versions = set.iter().map(|s| (s.name, s.latest())).collect();
            return Ok((conn, path.to_path_buf(), versions));
        };
        // A store of an older version: readable only once migrated, which needs write access.
        drop(conn);
        return match open(Some(path), Mode::Existing, set) {
            Err(StoreError::ReadOnly { .. } | StoreError::Open { .. }) => {
                Err(StoreError::OldReadOnly { path: path.to_path_buf(), store, found, known })
            }
            other => other,
        };
    }
    let flags = match mode {
        Mode::Create => {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|source| StoreError::CreateDir { path: parent.to_path_buf(), source })?;
            }
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX
        }
        _ => OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    };
    let mut conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
    let versions = prepare(&mut conn, path, set)?;
    Ok((conn, path.to_path_buf(), versions))
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

/// Opens `path` read-only and checks it is ours and holds the first store of `set` (else
/// [`StoreError::Empty`]: nothing of that kind was recorded there), none newer than this
/// build knows. Returns the connection and the first store of `set` that is older than
/// this build's (name, found, known), if any: it needs a migration before it can be read.
///
/// A WAL database is read through its `-shm` index, which SQLite creates beside the file
/// when it is missing: in a directory the user may not write, that fails with
/// SQLITE_CANTOPEN or SQLITE_READONLY_CANTINIT (<https://sqlite.org/wal.html#readonly>).
/// Then the file is opened again as `immutable` (<https://sqlite.org/uri.html#uriimmutable>):
/// SQLite reads it without any lock or index, which is right for a file this user cannot
/// change (a writer with more rights changing it meanwhile could make a read fail, never
/// write anything wrong).
#[allow(clippy::type_complexity)]
fn open_read_only(path: &Path, set: &[&Schema]) -> Result<(Connection, Option<(&'static str, u32, u32)>), StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    let try_open = |uri: &str| -> Result<(Connection, Option<(&'static str, u32, u32)>), StoreError> {
        let conn = Connection::open_with_flags(uri, flags).map_err(|e| classify(path, e))?;
        conn.busy_timeout(std::time::Duration::from_secs(10)).map_err(|e| classify(path, e))?;
        // Reading a table is what needs the WAL index: `check_owner` does, so a missing
        // index fails here rather than at the first query.
        let state = check_owner(&conn, path)?;
        let versions = state.versions(&conn, path)?;
        // An empty file (or an empty SQLite database, or one holding only other stores):
        // nothing of this kind was ever recorded in it.
        if set.first().is_some_and(|s| !versions.contains_key(s.name)) {
            return Err(StoreError::Empty { path: path.to_path_buf() });
        }
        too_new(set, &versions, path)?;
        let behind = set.iter().find_map(|s| {
            let found = versions.get(s.name).copied().unwrap_or(0);
            (found < s.latest()).then_some((s.name, found, s.latest()))
        });
        Ok((conn, behind))
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
