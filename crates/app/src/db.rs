//! The store on SQLite or PostgreSQL: `rampart db migrate`, `rampart db copy`, and the one
//! way every front end opens the store from its `--db` ([`open`]: a SQLite file's path or
//! a `postgres://` URL). A part of the store this build keeps on SQLite alone answers
//! [`rampart_hub::StoreError::NotOnPostgres`] by name on PostgreSQL, never done on SQLite
//! instead. The vulnerability database is a SQLite file of its own ([`vulndb_file`]).
//!
//! A URL is shown only as [`shown`] (`rampart_hub::postgres_target`) gives it: without its
//! password.

use crate::{Notify, Scan};
use rampart_hub::{Backend, CopyStats, PgMode, PgStore, RuleApplied, Store, StoreError};
use std::path::Path;

/// What `rampart db migrate` did: where, and each store's schema version now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migrated {
    /// A file's path, or the URL without its password.
    pub target: String,
    pub stores: Vec<(&'static str, u32)>,
    /// Whether this is PostgreSQL.
    pub postgres: bool,
    /// On PostgreSQL, the stores this build keeps on SQLite alone (none once every store
    /// runs there); empty on SQLite.
    pub sqlite_only: Vec<&'static str>,
}

/// Whether `spec` (a `--db` value) names a PostgreSQL database.
pub fn is_postgres(spec: &Path) -> bool {
    spec.to_str().is_some_and(rampart_hub::is_postgres_url)
}

/// `spec` as it may be shown (in a message or a log): a file's path, or a URL without its
/// password.
pub fn shown(spec: &Path) -> String {
    match spec.to_str() {
        Some(s) if rampart_hub::is_postgres_url(s) => rampart_hub::postgres_target(s),
        _ => spec.display().to_string(),
    }
}

/// Opens `spec`: a `postgres://` URL or a SQLite file's path. Every front end opens the
/// store through this (or [`rampart_hub::Store::connect`]), never by path alone.
pub fn open(spec: &Path, mode: PgMode) -> Result<Backend, StoreError> {
    match spec.to_str() {
        Some(s) if rampart_hub::is_postgres_url(s) => Store::connect(s, mode),
        _ => match mode {
            PgMode::Create => Store::open(spec),
            PgMode::Existing => Store::open_existing(spec),
            PgMode::ReadOnly => Store::open_read_only(spec),
        },
    }
}

/// The vulnerability database stays a SQLite file of its own (advisories are downloaded
/// data, not the findings' history, and each server keeps its copy): a `postgres://` URL
/// given for it is refused, in words that say so (never opened as a file named after it).
pub fn vulndb_file(spec: &Path) -> anyhow::Result<&Path> {
    if is_postgres(spec) {
        anyhow::bail!(
            "`{}`: the vulnerability database is a SQLite file of its own, never kept in PostgreSQL — give it a file's path (default: $RAMPART_VULNDB or the user's data directory)",
            shown(spec)
        );
    }
    Ok(spec)
}

/// Creates or upgrades every store of a SQLite file, or the findings store of a PostgreSQL
/// database, to this build's schema.
pub fn migrate(spec: &Path) -> Result<Migrated, StoreError> {
    let s = open(spec, PgMode::Create)?;
    let stores = s.schema_versions().to_vec();
    let sqlite_only = match s.is_postgres() {
        true => Store::open_in_memory()?
            .schema_versions()
            .iter()
            .map(|(name, _)| *name)
            .filter(|n| !stores.iter().any(|(s, _)| s == n))
            .collect(),
        false => Vec::new(),
    };
    Ok(Migrated { target: s.describe(), stores, postgres: s.is_postgres(), sqlite_only })
}

/// Copies every store of the SQLite file `from` that runs on PostgreSQL into the
/// PostgreSQL database `to` (migrated first), which must hold none of their rows; the
/// stores kept on SQLite alone are named in [`CopyStats::not_copied`]. `from` is only read.
pub fn copy(from: &Path, to: &str) -> Result<CopyStats, StoreError> {
    if !rampart_hub::is_postgres_url(to) {
        return Err(StoreError::PgUrl(rampart_hub::postgres_target(to)));
    }
    let source = Store::open_read_only(from)?;
    let mut target = PgStore::connect(to, PgMode::Create)?;
    target.copy_from(&source)
}

/// What recording a run on PostgreSQL left out, in words, after `what` (a part of the
/// store this build keeps on SQLite alone) answered that it does not run there.
pub fn not_recorded_on_postgres(what: &str) -> String {
    format!(
        "{what} is not supported on PostgreSQL yet: the run, its findings, gaps and tags were recorded, what comes after them (inventory, automation rules, events) was not"
    )
}

/// Records `scan` in `db` (SQLite or PostgreSQL): everything [`Scan::record`] does. On
/// PostgreSQL, a part of the store this build keeps on SQLite alone ends the recording
/// there with a warning (the run and its findings, recorded first, stay).
pub fn record(scan: &mut Scan, db: &mut Backend, notify: &dyn Notify) -> Result<Vec<RuleApplied>, StoreError> {
    match scan.record(db) {
        Err(StoreError::NotOnPostgres(what)) if db.is_postgres() => {
            notify.warn(&format!("{}: {}", db.describe(), not_recorded_on_postgres(&what)));
            Ok(Vec::new())
        }
        recorded => recorded,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_postgres_and_a_path_is_not() {
        assert!(is_postgres(Path::new("postgres://u@h/db")));
        assert!(is_postgres(Path::new("postgresql://u@h/db")));
        assert!(!is_postgres(Path::new("/var/lib/rampart/rampart.db")));
        assert!(!is_postgres(Path::new("postgres.db")));
    }

    #[test]
    fn a_url_is_shown_without_its_password() {
        assert_eq!(shown(Path::new("postgres://u:s3cret@h:5432/db")), "postgres://u@h:5432/db");
        assert_eq!(shown(Path::new("/var/lib/rampart/rampart.db")), "/var/lib/rampart/rampart.db");
    }

    #[test]
    fn the_vulnerability_database_is_never_a_url() {
        let e = vulndb_file(Path::new("postgres://u:s3cret@h/db")).unwrap_err().to_string();
        assert!(e.contains("SQLite file of its own") && e.contains("postgres://u@h:5432/db") && !e.contains("s3cret"), "{e}");
        assert!(vulndb_file(Path::new("/var/lib/rampart/vulndb.db")).is_ok());
    }

    #[test]
    fn copy_refuses_a_target_that_is_not_a_url_without_showing_it_whole() {
        let dir = tempfile::tempdir().unwrap();
        let e = copy(&dir.path().join("a.db"), "mysql://root:pw@h/db").unwrap_err();
        assert!(matches!(e, StoreError::PgUrl(_)), "{e}");
        assert!(!e.to_string().contains("pw"), "{e}");
    }

    #[test]
    fn migrating_a_sqlite_file_names_every_store() {
        let dir = tempfile::tempdir().unwrap();
        let m = migrate(&dir.path().join("new.db")).unwrap();
        assert!(!m.postgres);
        assert!(m.stores.iter().any(|(s, v)| *s == "findings" && *v > 0));
        assert!(m.stores.len() > 1);
    }
}
