//! One way to run SQL on either backend, for the stores written once for both.
//!
//! A [`Store`](crate::Store) holds a [`Db`]: a SQLite connection or a PostgreSQL
//! [`PgStore`]. A store's queries are written once against [`Sql`], with `?` placeholders,
//! values as [`Value`]s (as SQLite binds them) and the SQL both servers speak; where they
//! differ, the text comes from [`Dialect`] ([`Sql::dialect`]). On PostgreSQL the
//! placeholders are numbered and each value is bound as the type the server infers for it
//! (`pg::bind`); each row comes back as [`Value`]s, read with [`Row`]'s accessors.
//!
//! Portable SQL, by habit (both backends' conformance tests keep it honest):
//! - `INSERT ... ON CONFLICT (cols) DO NOTHING | DO UPDATE SET c = excluded.c`, never
//!   `INSERT OR IGNORE/REPLACE`;
//! - a new row's id from `INSERT ... RETURNING id` ([`Sql::insert_id`]), never
//!   `last_insert_rowid()`;
//! - `coalesce`, never `ifnull`; `CAST(sum(x) AS BIGINT)` (PostgreSQL sums integers to
//!   `numeric`, which [`Row`] does not read); booleans as integers 0/1 (the PostgreSQL
//!   schemas keep SQLite's `INTEGER` columns, as `bigint`);
//! - JSON, case-insensitive comparison, substring search: [`Dialect`]'s helpers.
//!
//! A transaction is [`Db::tx`] (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: `BEGIN`): the
//! closure gets a [`Sql`] to run its statements on; an error rolls everything back.

use crate::dialect::Dialect;
use crate::error::sql as sqlite_err;
use crate::pg::PgStore;
use crate::StoreError;
use rusqlite::types::Value;
use rusqlite::{Connection, TransactionBehavior};
use std::cell::RefCell;
use std::path::Path;

/// The connection of a [`crate::Store`].
pub(crate) enum Db {
    Sqlite(Connection),
    Postgres(PgStore),
}

/// One row of a result: its columns as [`Value`]s.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row(pub(crate) Vec<Value>);

/// Runs statements on one backend (a connection or a transaction).
pub(crate) trait Sql {
    /// The SQL the backend speaks.
    fn dialect(&self) -> Dialect;
    /// The database, for messages (a file's path; a URL without its password).
    fn place(&self) -> &Path;
    /// Runs a statement; the number of rows it changed.
    fn execute(&self, sql: &str, params: &[Value]) -> Result<u64, StoreError>;
    /// Runs a query; every row.
    fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError>;

    /// The first row, if any.
    fn query_opt(&self, sql: &str, params: &[Value]) -> Result<Option<Row>, StoreError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// The first row; [`StoreError::Corrupt`] if there is none.
    fn query_one(&self, sql: &str, params: &[Value]) -> Result<Row, StoreError> {
        self.query_opt(sql, params)?.ok_or_else(|| StoreError::Corrupt {
            path: self.place().to_path_buf(),
            what: "missing row",
            value: first_words(sql),
        })
    }

    /// An `INSERT ... RETURNING id`: the new row's id.
    fn insert_id(&self, sql: &str, params: &[Value]) -> Result<i64, StoreError> {
        let row = self.query_one(sql, params)?;
        row.int(0)
    }
}

fn first_words(sql: &str) -> String {
    sql.split_whitespace().take(6).collect::<Vec<_>>().join(" ")
}

/// `[Value]` from values that convert ([`IntoValue`]): `vals![name, 3_i64, None::<String>]`.
macro_rules! vals {
    ($($v:expr),* $(,)?) => {
        vec![$($crate::sql::IntoValue::into_value($v)),*]
    };
}
pub(crate) use vals;

/// The values of rusqlite parameters (a row bound once for a rusqlite statement, such as
/// `run_writer::with_finding_row`'s), to run on [`Sql`].
pub(crate) fn values_of(params: &[&dyn rusqlite::ToSql]) -> Result<Vec<Value>, StoreError> {
    use rusqlite::types::ToSqlOutput;
    params
        .iter()
        .map(|p| match p.to_sql() {
            Ok(ToSqlOutput::Borrowed(v)) => Ok(Value::from(v)),
            Ok(ToSqlOutput::Owned(v)) => Ok(v),
            Ok(_) => Err(StoreError::InvalidUpdate("a parameter that is not a plain value".into())),
            Err(e) => Err(StoreError::InvalidUpdate(format!("a parameter that cannot be bound: {e}"))),
        })
        .collect()
}

/// `sql` written with numbered placeholders `?1`, `?2`, ... each used once and in order
/// (`store::INSERT_FINDING`), with plain `?` placeholders instead, as [`Sql`] takes them.
pub(crate) fn unnumbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    let mut quote: Option<char> = None;
    let mut next = 1u32;
    while let Some(c) = chars.next() {
        out.push(c);
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '?') => {
                let mut digits = String::new();
                while let Some(d) = chars.next_if(char::is_ascii_digit) {
                    digits.push(d);
                }
                assert!(
                    digits.is_empty() || digits.parse() == Ok(next),
                    "placeholder ?{digits} out of order (expected ?{next}) in: {sql}"
                );
                next += 1;
            }
            _ => {}
        }
    }
    out
}

/// A value as a statement binds it.
pub(crate) trait IntoValue {
    fn into_value(self) -> Value;
}

impl IntoValue for Value {
    fn into_value(self) -> Value {
        self
    }
}
impl IntoValue for &str {
    fn into_value(self) -> Value {
        Value::Text(self.to_string())
    }
}
impl IntoValue for String {
    fn into_value(self) -> Value {
        Value::Text(self)
    }
}
impl IntoValue for &String {
    fn into_value(self) -> Value {
        Value::Text(self.clone())
    }
}
impl IntoValue for bool {
    fn into_value(self) -> Value {
        Value::Integer(self.into())
    }
}
impl IntoValue for f64 {
    fn into_value(self) -> Value {
        Value::Real(self)
    }
}
impl IntoValue for Vec<u8> {
    fn into_value(self) -> Value {
        Value::Blob(self)
    }
}
impl IntoValue for &[u8] {
    fn into_value(self) -> Value {
        Value::Blob(self.to_vec())
    }
}
macro_rules! int_values {
    ($($t:ty),*) => {$(
        impl IntoValue for $t {
            fn into_value(self) -> Value {
                Value::Integer(self as i64)
            }
        }
    )*};
}
int_values!(i64, i32, u32, u16, u8, usize, u64);
impl<T: IntoValue> IntoValue for Option<T> {
    fn into_value(self) -> Value {
        self.map_or(Value::Null, IntoValue::into_value)
    }
}

impl Row {
    fn bad(&self, i: usize, what: &'static str) -> StoreError {
        StoreError::Corrupt {
            path: std::path::PathBuf::from("(a row)"),
            what,
            value: format!("column {i}: {:?}", self.0.get(i)),
        }
    }

    /// The raw value of column `i` (`Null` past the end).
    pub(crate) fn value(&self, i: usize) -> &Value {
        self.0.get(i).unwrap_or(&Value::Null)
    }

    /// A text column; `None` for NULL.
    pub(crate) fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        match self.value(i) {
            Value::Null => Ok(None),
            Value::Text(t) => Ok(Some(t.clone())),
            Value::Integer(n) => Ok(Some(n.to_string())),
            _ => Err(self.bad(i, "text column")),
        }
    }

    /// A text column that is never NULL.
    pub(crate) fn text(&self, i: usize) -> Result<String, StoreError> {
        self.opt_text(i)?.ok_or_else(|| self.bad(i, "empty text column"))
    }

    /// An integer column; `None` for NULL.
    pub(crate) fn opt_int(&self, i: usize) -> Result<Option<i64>, StoreError> {
        match self.value(i) {
            Value::Null => Ok(None),
            Value::Integer(n) => Ok(Some(*n)),
            Value::Text(t) => t.parse().map(Some).map_err(|_| self.bad(i, "integer column")),
            _ => Err(self.bad(i, "integer column")),
        }
    }

    /// An integer column that is never NULL.
    pub(crate) fn int(&self, i: usize) -> Result<i64, StoreError> {
        self.opt_int(i)?.ok_or_else(|| self.bad(i, "empty integer column"))
    }

    /// A 0/1 column.
    pub(crate) fn flag(&self, i: usize) -> Result<bool, StoreError> {
        Ok(self.int(i)? != 0)
    }


    /// A blob column; `None` for NULL.
    pub(crate) fn opt_blob(&self, i: usize) -> Result<Option<Vec<u8>>, StoreError> {
        match self.value(i) {
            Value::Null => Ok(None),
            Value::Blob(b) => Ok(Some(b.clone())),
            Value::Text(t) => Ok(Some(t.clone().into_bytes())),
            _ => Err(self.bad(i, "blob column")),
        }
    }
}

impl crate::dialect::Cells for Row {
    fn text(&self, i: usize, _path: &Path) -> Result<Option<String>, StoreError> {
        self.opt_text(i)
    }
    fn int(&self, i: usize, _path: &Path) -> Result<Option<i64>, StoreError> {
        self.opt_int(i)
    }
}

impl Sql for Connection {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn place(&self) -> &Path {
        Path::new(self.path().unwrap_or(":memory:"))
    }

    fn execute(&self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        let mut stmt = self.prepare_cached(sql).map_err(sqlite_err(self.place()))?;
        stmt.execute(rusqlite::params_from_iter(params.iter())).map(|n| n as u64).map_err(sqlite_err(self.place()))
    }

    fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        let err = sqlite_err(self.place());
        let mut stmt = self.prepare_cached(sql).map_err(&err)?;
        let n = stmt.column_count();
        let mut rows = stmt.query(rusqlite::params_from_iter(params.iter())).map_err(&err)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(&err)? {
            let mut cells = Vec::with_capacity(n);
            for i in 0..n {
                cells.push(row.get::<_, Value>(i).map_err(&err)?);
            }
            out.push(Row(cells));
        }
        Ok(out)
    }

}

/// A PostgreSQL transaction as [`Sql`].
pub(crate) struct PgTx<'a> {
    tx: RefCell<postgres::Transaction<'a>>,
    stmts: &'a crate::pg::Statements,
    target: &'a str,
    path: &'a Path,
}

impl Sql for PgStore {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn place(&self) -> &Path {
        self.place()
    }

    fn execute(&self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        let mut client = self.client.borrow_mut();
        crate::pg::execute_on(&mut *client, &self.stmts, self.target(), sql, params)
    }

    fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        let mut client = self.client.borrow_mut();
        crate::pg::query_on(&mut *client, &self.stmts, self.target(), sql, params)
    }

}

impl Sql for PgTx<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn place(&self) -> &Path {
        self.path
    }

    fn execute(&self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        crate::pg::execute_on(&mut *self.tx.borrow_mut(), self.stmts, self.target, sql, params)
    }

    fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        crate::pg::query_on(&mut *self.tx.borrow_mut(), self.stmts, self.target, sql, params)
    }

}

impl Db {
    /// The connection as [`Sql`].
    pub(crate) fn sql(&self) -> &dyn Sql {
        match self {
            Db::Sqlite(c) => c,
            Db::Postgres(p) => p,
        }
    }

    /// Runs `f` in one transaction (SQLite: `BEGIN IMMEDIATE`, so a writer waits for the
    /// lock up front): committed when `f` returns `Ok`, rolled back otherwise.
    pub(crate) fn tx<T>(&mut self, f: impl FnOnce(&dyn Sql) -> Result<T, StoreError>) -> Result<T, StoreError> {
        match self {
            Db::Sqlite(conn) => {
                let path = conn.place().to_path_buf();
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sqlite_err(&path))?;
                let out = f(&*tx)?;
                tx.commit().map_err(sqlite_err(&path))?;
                Ok(out)
            }
            Db::Postgres(pg) => {
                let target = pg.target().to_string();
                let path = pg.place().to_path_buf();
                let mut client = pg.client.borrow_mut();
                let err = |source| StoreError::Postgres { target: target.clone(), source };
                let tx = client.transaction().map_err(err)?;
                let wrapped = PgTx { tx: RefCell::new(tx), stmts: &pg.stmts, target: &target, path: &path };
                let out = f(&wrapped)?;
                wrapped.tx.into_inner().commit().map_err(|source| StoreError::Postgres { target: target.clone(), source })?;
                Ok(out)
            }
        }
    }
}

/// The SQLite connection of `db`, to write what is written for SQLite alone; on
/// PostgreSQL [`StoreError::NotOnPostgres`]. (A function of the field, so that callers
/// can borrow the store's other fields beside it.)
pub(crate) fn lite_mut(db: &mut Db) -> Result<&mut Connection, StoreError> {
    match db {
        Db::Sqlite(c) => Ok(c),
        Db::Postgres(_) => Err(StoreError::NotOnPostgres("this part of the store".into())),
    }
}

impl StoreError {
    /// Whether the connection to the database was lost or could not be made (a PostgreSQL
    /// server restarted, a backend terminated, the network cut): the caller may connect
    /// again and retry. A refused statement is not this.
    pub fn is_connection_lost(&self) -> bool {
        use postgres::error::SqlState;
        match self {
            StoreError::PgConnect { .. } => true,
            StoreError::Postgres { source, .. } => {
                source.is_closed()
                    || matches!(
                        source.code(),
                        Some(c) if *c == SqlState::ADMIN_SHUTDOWN
                            || *c == SqlState::CRASH_SHUTDOWN
                            || *c == SqlState::CANNOT_CONNECT_NOW
                            || *c == SqlState::CONNECTION_FAILURE
                            || *c == SqlState::CONNECTION_EXCEPTION
                    )
                    || (source.code().is_none() && std::error::Error::source(source).is_some_and(|e| e.is::<std::io::Error>()))
            }
            _ => false,
        }
    }

    /// Whether the store was busy: another writer held what this one needed for longer than
    /// it waits (SQLite's busy timeout; PostgreSQL's lock timeout, see
    /// [`crate::Store::set_lock_wait`]). Trying again later may succeed.
    pub fn is_busy(&self) -> bool {
        match self {
            StoreError::Busy { .. } => true,
            StoreError::Postgres { source, .. } => source.code() == Some(&postgres::error::SqlState::LOCK_NOT_AVAILABLE),
            _ => false,
        }
    }

    /// Whether the error is a unique or primary-key constraint refusing a row, on either backend.
    pub(crate) fn is_unique_violation(&self) -> bool {
        match self {
            StoreError::Sqlite { source, .. } => matches!(
                source.sqlite_error_code(),
                Some(rusqlite::ErrorCode::ConstraintViolation)
            ) && source.to_string().contains("UNIQUE"),
            StoreError::Postgres { source, .. } => source.code() == Some(&postgres::error::SqlState::UNIQUE_VIOLATION),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sqlite_connection_runs_portable_sql() {
        let mut db = Db::Sqlite(Connection::open_in_memory().unwrap());
        db.sql().execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, n INTEGER)", &[]).unwrap();
        let id = db.tx(|s| s.insert_id("INSERT INTO t (name, n) VALUES (?, ?) RETURNING id", &vals!["a", 3_i64])).unwrap();
        assert_eq!(id, 1);
        let dup = db.sql().execute("INSERT INTO t (name, n) VALUES (?, ?)", &vals!["a", 4_i64]).unwrap_err();
        assert!(dup.is_unique_violation(), "{dup:?}");
        let n = db.sql().execute("INSERT INTO t (name, n) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", &vals!["a", 5_i64]).unwrap();
        assert_eq!(n, 0);
        let row = db.sql().query_one("SELECT name, n, CAST(sum(n) AS BIGINT) FROM t", &[]).unwrap();
        assert_eq!((row.text(0).unwrap(), row.int(1).unwrap(), row.int(2).unwrap()), ("a".to_string(), 3, 3));
        let failed: Result<(), _> = db.tx(|s| {
            s.execute("INSERT INTO t (name) VALUES (?)", &vals!["b"])?;
            Err(StoreError::InvalidUpdate("no".into()))
        });
        assert!(failed.is_err());
        assert!(db.sql().query_opt("SELECT id FROM t WHERE name = ?", &vals!["b"]).unwrap().is_none(), "rolled back");
    }

    /// A statement prepared inside a transaction that rolled back is still the connection's:
    /// the cache keeps answering with it, on PostgreSQL.
    #[test]
    fn prepared_statements_outlive_a_rolled_back_transaction_on_postgres() {
        let url = std::env::var("RAMPART_TEST_POSTGRES").unwrap_or_else(|_| {
            panic!("RAMPART_TEST_POSTGRES is not set: run the tests with scripts/test, which installs PostgreSQL (apt-get install postgresql) and starts it")
        });
        let mut db = Db::Postgres(PgStore::bare(&url));
        db.sql().execute("CREATE TEMP TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name text NOT NULL UNIQUE)", &[]).unwrap();
        let insert = "INSERT INTO t (name) VALUES (?) RETURNING id";
        let failed: Result<i64, StoreError> = db.tx(|s| {
            s.insert_id(insert, &vals!["a"])?;
            s.query("SELECT id FROM t WHERE name = ?", &vals!["a"])?;
            Err(StoreError::InvalidUpdate("roll back".into()))
        });
        assert!(failed.is_err());
        // The same texts again, outside and inside a transaction, from the cache.
        assert!(db.sql().query("SELECT id FROM t WHERE name = ?", &vals!["a"]).unwrap().is_empty(), "rolled back");
        let id = db.tx(|s| s.insert_id(insert, &vals!["b"])).unwrap();
        assert_eq!(db.sql().query_one("SELECT name FROM t WHERE id = ?", &vals![id]).unwrap().text(0).unwrap(), "b");
        let dup = db.sql().execute("INSERT INTO t (name) VALUES (?)", &vals!["b"]).unwrap_err();
        assert!(dup.is_unique_violation(), "{dup:?}");
        // A statement that failed does not poison the cache.
        assert_eq!(db.sql().execute("INSERT INTO t (name) VALUES (?)", &vals!["c"]).unwrap(), 1);
    }
}
