//! The store on either backend: a [`Store`] holds a SQLite connection or a PostgreSQL
//! [`PgStore`] (`sql::Db`). [`Store::connect`] opens a `postgres://` URL or a SQLite
//! file's path. The findings store and the job queue run on both (on PostgreSQL through
//! `pg/`'s own statements; the conformance suite, `tests/conformance.rs`, runs the same
//! tests on both). Stores written once against `sql::Sql` run on both as they are; what
//! is still written for SQLite alone says so by name on PostgreSQL
//! ([`StoreError::NotOnPostgres`], see [`Store::sqlite`]).
//!
//! [`Backend`] is the name front ends used when only the findings store ran on
//! PostgreSQL; it is [`Store`].

use crate::pg::{is_postgres_url, PgMode, PgStore};
use crate::sql::Db;
use crate::store::Store;
use crate::StoreError;
use std::path::{Path, PathBuf};

/// The store on SQLite or PostgreSQL: [`Store`].
pub type Backend = Store;

impl Store {
    /// Opens `spec`, a `postgres://` URL or a SQLite file's path, as `mode` says (see
    /// [`Store::open`], [`Store::open_existing`], [`Store::open_read_only`]).
    pub fn connect(spec: &str, mode: PgMode) -> Result<Store, StoreError> {
        if is_postgres_url(spec) {
            let pg = PgStore::connect(spec, mode)?;
            let versions = pg.store_versions()?;
            return Ok(Store::from_parts(Db::Postgres(pg), PathBuf::new(), versions));
        }
        let path = Path::new(spec);
        match mode {
            PgMode::Create => Store::open(path),
            PgMode::Existing => Store::open_existing(path),
            PgMode::ReadOnly => Store::open_read_only(path),
        }
    }

    /// How long a change waits for what another writer holds before it fails with
    /// [`StoreError::is_busy`] (default 10 s): SQLite's busy timeout, PostgreSQL's lock
    /// timeout. A run being recorded waits as long as it takes.
    pub fn set_lock_wait(&self, wait: std::time::Duration) -> Result<(), StoreError> {
        match &self.db {
            Db::Sqlite(c) => c.busy_timeout(wait).map_err(crate::error::sql(self.path())),
            Db::Postgres(p) => p.set_lock_wait(wait),
        }
    }

    /// Where the store lives: a file's path, or the URL without its password.
    pub fn describe(&self) -> String {
        match &self.db {
            Db::Sqlite(_) => self.path().display().to_string(),
            Db::Postgres(p) => p.target().to_string(),
        }
    }

    /// Whether this is PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        matches!(self.db, Db::Postgres(_))
    }

    /// The PostgreSQL store, if this is one.
    pub fn postgres(&self) -> Option<&PgStore> {
        match &self.db {
            Db::Postgres(p) => Some(p),
            Db::Sqlite(_) => None,
        }
    }

    /// [`Store::postgres`], to change it.
    pub fn postgres_mut(&mut self) -> Option<&mut PgStore> {
        match &mut self.db {
            Db::Postgres(p) => Some(p),
            Db::Sqlite(_) => None,
        }
    }

    /// This store, for what is still written for SQLite alone; on PostgreSQL
    /// [`StoreError::NotOnPostgres`] naming `what`.
    pub fn sqlite(&self, what: &str) -> Result<&Store, StoreError> {
        match &self.db {
            Db::Sqlite(_) => Ok(self),
            Db::Postgres(_) => Err(StoreError::NotOnPostgres(what.to_string())),
        }
    }

    /// [`Store::sqlite`], to change what only it holds.
    pub fn sqlite_mut(&mut self, what: &str) -> Result<&mut Store, StoreError> {
        match &self.db {
            Db::Sqlite(_) => Ok(self),
            Db::Postgres(_) => Err(StoreError::NotOnPostgres(what.to_string())),
        }
    }
}
