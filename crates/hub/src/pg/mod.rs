//! The findings store on PostgreSQL ([`PgStore`]): runs, findings with their lifecycle,
//! per-run results, gaps, workflow history, the findings query and people's workflow
//! changes, with the same semantics as the SQLite [`crate::Store`] (the conformance suite,
//! `tests/conformance.rs`, runs the same tests against both).
//!
//! What runs here today is the findings store alone; the other stores (assessments,
//! accounts, insights, automation, events, inventory, audit) are SQLite's only, and a
//! front end asking for them on PostgreSQL gets [`StoreError::NotOnPostgres`].
//!
//! Conventions follow the SQLite schema's (`schema/mod.rs`): timestamps as RFC 3339 text,
//! enums as their names, lists as JSON text; text columns use the `C` collation so that
//! they compare and sort as SQLite's do. Statements shared with SQLite (`query.rs`) are
//! written with `?` placeholders in [`Dialect::Postgres`]; [`numbered`] turns them into
//! `$1, $2, ...` and [`bind`] binds each value as the type the server infers for it.
//!
//! The connection is plain (no TLS): reach the server over a Unix socket or loopback. A
//! URL's password never leaves this module: errors and logs name the [`target`], the URL
//! without it.

mod copy;
mod jobs;
mod read;
mod record;
mod schema;

pub use copy::CopyStats;
pub(crate) use schema::{JOBS_MIGRATIONS as JOBS_PG, MIGRATIONS as FINDINGS_PG};
pub use record::PgRunWriter;

use crate::dialect::{Cells, Dialect};
use crate::StoreError;
use postgres::types::{ToSql, Type};
use postgres::{Client, Config, NoTls};
use rusqlite::types::Value;
use std::cell::RefCell;
use std::path::{Path, PathBuf};

pub(crate) const DIALECT: Dialect = Dialect::Postgres;

/// How a [`PgStore`] is opened, as [`crate::Store`]'s openers say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PgMode {
    /// Record: migrate the findings store to this build's schema (creating it).
    Create,
    /// Change what is recorded: the store must exist at this build's schema.
    Existing,
    /// Only read: the store must exist at this build's schema; the session is read-only.
    ReadOnly,
}

/// The findings store in a PostgreSQL database.
pub struct PgStore {
    pub(crate) client: RefCell<Client>,
    /// The statements `client` prepared for `sql::Sql`.
    pub(crate) stmts: Statements,
    /// The URL without its password, for messages.
    target: String,
    /// `target` as a path, for the shared row readers' errors.
    path: PathBuf,
    version: u32,
}

/// How long a statement waits for a row lock by default (SQLite: the busy timeout).
pub(crate) const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Whether `spec` names a PostgreSQL database rather than a SQLite file.
pub fn is_postgres_url(spec: &str) -> bool {
    spec.starts_with("postgres://") || spec.starts_with("postgresql://")
}

/// `url` as it may be shown: scheme, user, host(s), port(s) and database, never the password.
pub fn target(url: &str) -> String {
    match url.parse::<Config>() {
        Ok(c) => describe(&c),
        Err(_) => "(an unreadable PostgreSQL URL)".to_string(),
    }
}

fn describe(c: &Config) -> String {
    use postgres::config::Host;
    let hosts: Vec<String> = c
        .get_hosts()
        .iter()
        .map(|h| match h {
            Host::Tcp(name) => name.clone(),
            Host::Unix(path) => path.display().to_string().replace('/', "%2F"),
        })
        .collect();
    let ports: Vec<String> = c.get_ports().iter().map(u16::to_string).collect();
    let mut out = String::from("postgres://");
    if let Some(user) = c.get_user() {
        out.push_str(user);
        out.push('@');
    }
    out.push_str(&hosts.join(","));
    if !ports.is_empty() {
        out.push(':');
        out.push_str(&ports.join(","));
    }
    out.push('/');
    out.push_str(c.get_dbname().unwrap_or(""));
    out
}

impl PgStore {
    /// Connects to the database of `url` (`postgres://USER:PASSWORD@HOST:PORT/DB`; a
    /// Unix socket's directory as the host, `%2F` for each slash) and opens the findings
    /// store as `mode` says.
    pub fn connect(url: &str, mode: PgMode) -> Result<PgStore, StoreError> {
        if !is_postgres_url(url) {
            return Err(StoreError::PgUrl(target(url)));
        }
        let config: Config = url.parse().map_err(|_| StoreError::PgUrl(target(url)))?;
        let target = describe(&config);
        let mut client = config.connect(NoTls).map_err(|source| StoreError::PgConnect { target: target.clone(), source })?;
        let version = schema::open(&mut client, &target, mode)?;
        // A change that waits for rows another transaction holds (a run being recorded holds
        // its findings until it commits) gives up after this long with `StoreError::is_busy`,
        // as a SQLite writer does after its busy timeout, instead of hanging a request.
        client
            .batch_execute(&format!("SET lock_timeout = {}", LOCK_WAIT.as_millis()))
            .map_err(|source| StoreError::Postgres { target: target.clone(), source })?;
        if mode == PgMode::ReadOnly {
            client
                .batch_execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
                .map_err(|source| StoreError::Postgres { target: target.clone(), source })?;
        }
        tracing::debug!(target = %target, version, "opened PostgreSQL findings store");
        Ok(PgStore { client: RefCell::new(client), stmts: Statements::default(), path: PathBuf::from(&target), target, version })
    }

    /// A connection to `url` with no store opened (tests of the SQL layer, on temporary tables).
    #[cfg(test)]
    pub(crate) fn bare(url: &str) -> PgStore {
        let config: Config = url.parse().expect("a postgres:// URL");
        let target = describe(&config);
        let client = config.connect(NoTls).expect("the test PostgreSQL runs (scripts/test starts it)");
        PgStore { client: RefCell::new(client), stmts: Statements::default(), path: PathBuf::from(&target), target, version: 0 }
    }

    /// Each store of the database and its version, in migration order.
    pub(crate) fn store_versions(&self) -> Result<crate::schema::Versions, StoreError> {
        schema::versions(&mut self.client.borrow_mut(), &self.target)
    }

    /// Sets how long a statement waits for rows another transaction holds.
    pub(crate) fn set_lock_wait(&self, wait: std::time::Duration) -> Result<(), StoreError> {
        self.client
            .borrow_mut()
            .batch_execute(&format!("SET lock_timeout = {}", wait.as_millis().max(1)))
            .map_err(|source| StoreError::Postgres { target: self.target.clone(), source })
    }

    /// The URL without its password.
    pub fn target(&self) -> &str {
        &self.target
    }

    /// The findings store's schema version (this build's latest).
    pub fn schema_version(&self) -> u32 {
        self.version
    }

    fn err(&self) -> impl Fn(postgres::Error) -> StoreError + '_ {
        move |source| StoreError::Postgres { target: self.target.clone(), source }
    }

    fn path(&self) -> &Path {
        &self.path
    }

    /// The URL without its password, as a path (for the row readers' errors).
    pub(crate) fn place(&self) -> &Path {
        &self.path
    }

    /// Runs a statement written with `?` placeholders and values as the SQLite code binds
    /// them; the rows it returns.
    pub(crate) fn query_values(&self, text: &str, values: &[Value]) -> Result<Vec<postgres::Row>, StoreError> {
        let err = self.err();
        let mut client = self.client.borrow_mut();
        let stmt = client.prepare(&numbered(text)).map_err(&err)?;
        let boxed = stmt.params().iter().zip(values).map(|(ty, v)| bind(v, ty)).collect::<Result<Vec<_>, _>>()?;
        let refs: Vec<&(dyn ToSql + Sync)> = boxed.iter().map(|b| &**b as &(dyn ToSql + Sync)).collect();
        client.query(&stmt, &refs).map_err(&err)
    }
}

/// The statements a connection has prepared, by their text: a statement run again is bound
/// and executed without being parsed and planned again (one round trip, not two). A
/// connection's prepared statements live as long as it does, whatever its transactions do;
/// the cache is emptied when it holds [`MAX_STATEMENTS`] (queries built from filters have
/// many texts).
#[derive(Default)]
pub(crate) struct Statements(RefCell<std::collections::HashMap<String, postgres::Statement>>);

/// The most statements one connection keeps prepared.
const MAX_STATEMENTS: usize = 512;

impl Statements {
    fn prepare(&self, client: &mut impl postgres::GenericClient, text: &str) -> Result<postgres::Statement, postgres::Error> {
        if let Some(stmt) = self.0.borrow().get(text) {
            return Ok(stmt.clone());
        }
        let stmt = client.prepare(&numbered(text))?;
        let mut cache = self.0.borrow_mut();
        if cache.len() >= MAX_STATEMENTS {
            cache.clear();
        }
        cache.insert(text.to_string(), stmt.clone());
        Ok(stmt)
    }
}

/// Runs a statement written with `?` placeholders on `client` (a connection or a
/// transaction); the number of rows it changed.
pub(crate) fn execute_on(
    client: &mut impl postgres::GenericClient,
    stmts: &Statements,
    target: &str,
    text: &str,
    values: &[Value],
) -> Result<u64, StoreError> {
    let err = |source| StoreError::Postgres { target: target.to_string(), source };
    let stmt = stmts.prepare(client, text).map_err(err)?;
    let boxed = stmt.params().iter().zip(values).map(|(ty, v)| bind(v, ty)).collect::<Result<Vec<_>, _>>()?;
    let refs: Vec<&(dyn ToSql + Sync)> = boxed.iter().map(|b| &**b as &(dyn ToSql + Sync)).collect();
    client.execute(&stmt, &refs).map_err(err)
}

/// Runs a query written with `?` placeholders on `client`; each row as SQLite's values.
pub(crate) fn query_on(
    client: &mut impl postgres::GenericClient,
    stmts: &Statements,
    target: &str,
    text: &str,
    values: &[Value],
) -> Result<Vec<crate::sql::Row>, StoreError> {
    let err = |source| StoreError::Postgres { target: target.to_string(), source };
    let stmt = stmts.prepare(client, text).map_err(err)?;
    let boxed = stmt.params().iter().zip(values).map(|(ty, v)| bind(v, ty)).collect::<Result<Vec<_>, _>>()?;
    let refs: Vec<&(dyn ToSql + Sync)> = boxed.iter().map(|b| &**b as &(dyn ToSql + Sync)).collect();
    let rows = client.query(&stmt, &refs).map_err(err)?;
    rows.iter()
        .map(|row| (0..row.len()).map(|i| value_of(row, i, target)).collect::<Result<Vec<_>, _>>().map(crate::sql::Row))
        .collect()
}

/// `text` with its `?` placeholders (outside quotes) numbered `$1`, `$2`, ...
pub(crate) fn numbered(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut n = 0;
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '?') => {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

/// A value bound as `ty`, the type the server inferred for its placeholder.
fn bind(value: &Value, ty: &Type) -> Result<Box<dyn ToSql + Sync>, StoreError> {
    let mismatch = || StoreError::InvalidUpdate(format!("a value of the wrong kind for a {ty} parameter"));
    Ok(match value {
        Value::Null => match *ty {
            Type::INT2 => Box::new(None::<i16>),
            Type::INT4 => Box::new(None::<i32>),
            Type::INT8 => Box::new(None::<i64>),
            Type::FLOAT8 => Box::new(None::<f64>),
            Type::BOOL => Box::new(None::<bool>),
            Type::BYTEA => Box::new(None::<Vec<u8>>),
            _ => Box::new(None::<String>),
        },
        Value::Integer(i) => match *ty {
            Type::INT2 => Box::new(i16::try_from(*i).map_err(|_| mismatch())?),
            Type::INT4 => Box::new(i32::try_from(*i).map_err(|_| mismatch())?),
            Type::INT8 => Box::new(*i),
            Type::FLOAT8 => Box::new(*i as f64),
            Type::BOOL => Box::new(*i != 0),
            _ => Box::new(i.to_string()),
        },
        Value::Real(r) => match *ty {
            Type::FLOAT8 => Box::new(*r),
            Type::FLOAT4 => Box::new(*r as f32),
            Type::TEXT | Type::VARCHAR | Type::UNKNOWN => Box::new(r.to_string()),
            _ => return Err(mismatch()),
        },
        Value::Text(t) => match *ty {
            Type::INT4 => Box::new(t.parse::<i32>().map_err(|_| mismatch())?),
            Type::INT8 => Box::new(t.parse::<i64>().map_err(|_| mismatch())?),
            _ => Box::new(t.clone()),
        },
        Value::Blob(b) => Box::new(b.clone()),
    })
}

/// A column as SQLite's code reads it (the sort key of a findings page).
pub(crate) fn value_of(row: &postgres::Row, i: usize, target: &str) -> Result<Value, StoreError> {
    let err = |source| StoreError::Postgres { target: target.to_string(), source };
    let ty = row.columns()[i].type_().clone();
    Ok(match ty {
        Type::INT2 => row.try_get::<_, Option<i16>>(i).map_err(err)?.map_or(Value::Null, |v| Value::Integer(v.into())),
        Type::INT4 => row.try_get::<_, Option<i32>>(i).map_err(err)?.map_or(Value::Null, |v| Value::Integer(v.into())),
        Type::INT8 => row.try_get::<_, Option<i64>>(i).map_err(err)?.map_or(Value::Null, Value::Integer),
        Type::FLOAT8 => row.try_get::<_, Option<f64>>(i).map_err(err)?.map_or(Value::Null, Value::Real),
        Type::FLOAT4 => row.try_get::<_, Option<f32>>(i).map_err(err)?.map_or(Value::Null, |v| Value::Real(v.into())),
        Type::BOOL => row.try_get::<_, Option<bool>>(i).map_err(err)?.map_or(Value::Null, |v| Value::Integer(v.into())),
        Type::BYTEA => row.try_get::<_, Option<Vec<u8>>>(i).map_err(err)?.map_or(Value::Null, Value::Blob),
        _ => row.try_get::<_, Option<String>>(i).map_err(err)?.map_or(Value::Null, Value::Text),
    })
}

impl Cells for postgres::Row {
    fn text(&self, i: usize, path: &Path) -> Result<Option<String>, StoreError> {
        self.try_get(i).map_err(|source| StoreError::Postgres { target: path.display().to_string(), source })
    }
    fn int(&self, i: usize, path: &Path) -> Result<Option<i64>, StoreError> {
        match value_of(self, i, &path.display().to_string())? {
            Value::Null => Ok(None),
            Value::Integer(v) => Ok(Some(v)),
            other => Err(StoreError::Corrupt { path: path.to_path_buf(), what: "number", value: format!("{other:?}") }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_outside_quotes() {
        assert_eq!(numbered("a = ? AND b = '?' AND \"c?\" = ?"), "a = $1 AND b = '?' AND \"c?\" = $2");
    }

    #[test]
    fn the_password_is_never_shown() {
        let t = target("postgres://alice:s3cret@db.example:5433/rampart");
        assert_eq!(t, "postgres://alice@db.example:5433/rampart");
        assert!(!target("postgresql://bob:pw%21@%2Fvar%2Frun%2Fpostgresql/x").contains("pw"));
        assert!(!target("postgres://u:hunter2@[::1").contains("hunter2"));
    }
}
