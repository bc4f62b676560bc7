//! The SQL that differs between SQLite and PostgreSQL, for the statements both backends
//! share (the findings query of `query.rs`, the simple filter of `store.rs`).
//!
//! Statements are written once with `?` placeholders and SQLite's functions; where the two
//! differ, the text comes from here. The PostgreSQL backend (`pg/`) numbers the
//! placeholders (`$1`, `$2`, ...) and binds each value as the type the server infers.
//! Text columns of the PostgreSQL schema use the `C` collation, so text compares and
//! sorts by code point there as it does in SQLite (`BINARY`).

/// Which SQL a statement is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Dialect {
    #[default]
    Sqlite,
    Postgres,
}

impl Dialect {
    /// Whether `expr` contains the next bound value.
    pub(crate) fn contains(self, expr: &str) -> String {
        match self {
            Dialect::Sqlite => format!("instr({expr}, ?) > 0"),
            Dialect::Postgres => format!("strpos({expr}, ?) > 0"),
        }
    }

    /// A `FROM` item over the elements of the JSON array `json`, as alias `j` with
    /// column `value` (text).
    pub(crate) fn json_elements(self, json: &str) -> String {
        match self {
            Dialect::Sqlite => format!("json_each({json}) j"),
            Dialect::Postgres => format!("json_array_elements_text(CAST({json} AS json)) AS j(value)"),
        }
    }

    /// A `FROM` item over the members of the JSON object `json`, as alias `j` with columns
    /// `key` and `value` (text).
    pub(crate) fn json_members(self, json: &str) -> String {
        match self {
            Dialect::Sqlite => format!("json_each({json}) j"),
            Dialect::Postgres => format!("json_each_text(CAST({json} AS json)) j"),
        }
    }

    /// Member `key` of the JSON object `json`, as text (NULL when absent).
    pub(crate) fn json_member(self, json: &str, key: &str) -> String {
        match self {
            Dialect::Sqlite => format!("json_extract({json}, '$.{key}')"),
            Dialect::Postgres => format!("(CAST({json} AS json) ->> '{key}')"),
        }
    }

    /// A `FROM` item over the elements of the JSON array bound next, as alias `j` whose
    /// `value` is each element as JSON (for `j.value ->> 0`), and the expression of the
    /// element's position from 0.
    pub(crate) fn json_positions(self) -> (&'static str, &'static str) {
        match self {
            Dialect::Sqlite => ("json_each(?) j", "j.key"),
            Dialect::Postgres => ("json_array_elements(CAST(CAST(? AS text) AS json)) WITH ORDINALITY AS j(value, ord)", "(j.ord - 1)"),
        }
    }

    /// Whether `expr` is one of the strings of the next bound value, a JSON array.
    pub(crate) fn in_json_list(self, expr: &str) -> String {
        match self {
            Dialect::Sqlite => format!("{expr} IN (SELECT value FROM json_each(?))"),
            Dialect::Postgres => format!("{expr} IN (SELECT json_array_elements_text(CAST(CAST(? AS text) AS json)))"),
        }
    }

    /// Whether `expr` equals the next bound value, ignoring case.
    pub(crate) fn eq_nocase(self, expr: &str) -> String {
        match self {
            Dialect::Sqlite => format!("{expr} = ? COLLATE NOCASE"),
            Dialect::Postgres => format!("lower({expr}) = lower(?)"),
        }
    }

    /// The placeholder of a bound floating-point number.
    pub(crate) fn real_param(self) -> &'static str {
        match self {
            Dialect::Sqlite => "?",
            Dialect::Postgres => "CAST(? AS double precision)",
        }
    }

    /// The smaller of two expressions (SQLite's two-argument `min`, PostgreSQL's `LEAST`).
    pub(crate) fn least(self, a: &str, b: &str) -> String {
        match self {
            Dialect::Sqlite => format!("min({a}, {b})"),
            Dialect::Postgres => format!("LEAST({a}, {b})"),
        }
    }

    /// The larger of two expressions.
    pub(crate) fn greatest(self, a: &str, b: &str) -> String {
        match self {
            Dialect::Sqlite => format!("max({a}, {b})"),
            Dialect::Postgres => format!("GREATEST({a}, {b})"),
        }
    }

    /// A statement that holds, until the transaction ends, a lock named by the next bound
    /// value (text), so that writers of one named thing take turns; `None` where the
    /// transaction itself already excludes other writers (SQLite's `BEGIN IMMEDIATE`).
    pub(crate) fn named_lock(self) -> Option<&'static str> {
        match self {
            Dialect::Sqlite => None,
            Dialect::Postgres => Some("SELECT pg_advisory_xact_lock(hashtext(CAST(? AS text)))"),
        }
    }

    /// `expr` (text) compared and sorted by code point, as SQLite's `BINARY` does: on
    /// PostgreSQL, text not read from a column of the schema (a JSON element, say) has the
    /// database's collation, which may order otherwise.
    pub(crate) fn code_point_order(self, expr: &str) -> String {
        match self {
            Dialect::Sqlite => expr.to_string(),
            Dialect::Postgres => format!("(({expr}) COLLATE \"C\")"),
        }
    }

    /// What ends a `SELECT` whose rows one transaction takes for itself: on PostgreSQL
    /// they are locked and a concurrent taker skips them (`FOR UPDATE SKIP LOCKED`); on
    /// SQLite nothing (a write transaction holds the whole database).
    pub(crate) fn skip_locked(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }

    /// A statement that makes the transaction `table`'s only writer until it ends
    /// (PostgreSQL: `LOCK TABLE ... IN SHARE ROW EXCLUSIVE MODE`, readers unhindered); none
    /// on SQLite, whose write transactions are one at a time already (`BEGIN IMMEDIATE`).
    pub(crate) fn lock_for_writes(self, table: &str) -> Option<String> {
        match self {
            Dialect::Sqlite => None,
            Dialect::Postgres => Some(format!("LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")),
        }
    }

    /// What ends a `SELECT` whose rows of `alias` the transaction is about to change from
    /// what it read: on PostgreSQL they are locked until it ends (`FOR UPDATE OF`), so a
    /// concurrent change waits instead of being overwritten; nothing on SQLite, whose write
    /// transaction holds the whole database.
    pub(crate) fn for_update_of(self, alias: &str) -> String {
        match self {
            Dialect::Sqlite => String::new(),
            Dialect::Postgres => format!(" FOR UPDATE OF {alias}"),
        }
    }

    /// The literal true and false.
    pub(crate) fn truth(self, value: bool) -> &'static str {
        match (self, value) {
            (Dialect::Sqlite, true) => "1",
            (Dialect::Sqlite, false) => "0",
            (Dialect::Postgres, true) => "TRUE",
            (Dialect::Postgres, false) => "FALSE",
        }
    }
}

/// One row of a result, from either backend: what the row readers shared by both
/// (`store::finding_from_row`, `query::record_from_row`) need. `path` names the database
/// in errors (for PostgreSQL, its URL without the password).
pub(crate) trait Cells {
    /// A text column; `None` for NULL.
    fn text(&self, i: usize, path: &std::path::Path) -> Result<Option<String>, crate::StoreError>;
    /// An integer column; `None` for NULL.
    fn int(&self, i: usize, path: &std::path::Path) -> Result<Option<i64>, crate::StoreError>;
    /// A text column that is never NULL.
    fn string(&self, i: usize, path: &std::path::Path) -> Result<String, crate::StoreError> {
        self.text(i, path)?.ok_or_else(|| crate::StoreError::Corrupt {
            path: path.to_path_buf(),
            what: "empty column",
            value: i.to_string(),
        })
    }
}

impl Cells for rusqlite::Row<'_> {
    fn text(&self, i: usize, path: &std::path::Path) -> Result<Option<String>, crate::StoreError> {
        self.get(i).map_err(crate::error::sql(path))
    }
    fn int(&self, i: usize, path: &std::path::Path) -> Result<Option<i64>, crate::StoreError> {
        self.get(i).map_err(crate::error::sql(path))
    }
}
