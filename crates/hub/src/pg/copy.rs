//! `rampart db copy`: every store of a SQLite file that runs on PostgreSQL, into an empty
//! PostgreSQL database, in one transaction. The stores are those of `crate::schema::STORE`
//! with PostgreSQL migrations, in their migration order (a store may reference the tables
//! of those before it); a store without them (still SQLite's alone) is not copied, and the
//! answer names it ([`CopyStats::not_copied`]).
//!
//! Nothing here names a table: a store's tables are those its PostgreSQL migrations create
//! (and do not drop), in the order they create them, parents before the tables that
//! reference them; a table's columns are the SQLite table's, each copied into the
//! PostgreSQL column of that name as PostgreSQL's type (both schemas are this build's
//! latest). A SQLite column PostgreSQL's table lacks stops the copy rather than leave its
//! data behind. Rows are streamed from SQLite into PostgreSQL's binary `COPY`.
//!
//! Identity columns are moved on past the copied ids, so rows written after the copy get
//! fresh ids. A table that the copy of an earlier one already filled (a PostgreSQL trigger
//! keeping derived rows) is not copied again. A target that holds any row of the tables to
//! copy is refused: a copy never mixes two histories (drop and create the database again
//! to copy anew).

use super::{bind, PgStore};
use crate::{Store, StoreError};
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};
use rusqlite::types::Value;

/// What a copy wrote: the rows of each table, and the stores it left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CopyStats {
    /// Each table copied and its rows, in the order copied.
    pub tables: Vec<(&'static str, u64)>,
    /// The stores copied, in migration order.
    pub stores: Vec<&'static str>,
    /// The stores of the SQLite file not copied: they do not run on PostgreSQL yet.
    pub not_copied: Vec<&'static str>,
}

impl CopyStats {
    /// The rows copied of `table`.
    pub fn rows(&self, table: &str) -> u64 {
        self.tables.iter().find(|(t, _)| *t == table).map_or(0, |(_, n)| *n)
    }
}

/// The tables `migrations` leave, in the order they create them: each `CREATE TABLE`
/// (not a temporary one), less those a later `DROP TABLE` removes, renamed by `ALTER
/// TABLE ... RENAME TO ...`.
pub(crate) fn tables_of(migrations: &[&'static str]) -> Vec<&'static str> {
    let mut tables: Vec<&'static str> = Vec::new();
    for script in migrations {
        let words = words(script);
        let upper: Vec<String> = words.iter().map(|w| w.to_ascii_uppercase()).collect();
        let at = |i: usize| upper.get(i).map_or("", String::as_str);
        let mut i = 0;
        while i < words.len() {
            match (at(i), at(i + 1)) {
                ("CREATE", "TABLE") | ("DROP", "TABLE") | ("ALTER", "TABLE") => {
                    let verb = at(i).to_string();
                    let mut j = i + 2;
                    if at(j) == "IF" {
                        j += if at(j + 1) == "NOT" { 3 } else { 2 };
                    }
                    let Some(name) = words.get(j).map(|w| unquote(w)) else { break };
                    match verb.as_str() {
                        "CREATE" if !tables.contains(&name) => tables.push(name),
                        "DROP" => tables.retain(|t| *t != name),
                        "ALTER" if at(j + 1) == "RENAME" && at(j + 2) == "TO" => {
                            if let (Some(t), Some(new)) = (tables.iter_mut().find(|t| **t == name), words.get(j + 3)) {
                                *t = unquote(new);
                            }
                        }
                        _ => {}
                    }
                    i = j + 1;
                }
                _ => i += 1,
            }
        }
    }
    tables
}

/// The words of a script, without `--` comments: runs of characters other than white
/// space, parentheses, commas and semicolons.
fn words(script: &'static str) -> Vec<&'static str> {
    let mut out = Vec::new();
    for line in script.lines() {
        let code = line.split("--").next().unwrap_or("");
        out.extend(code.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ',' | ';')).filter(|w| !w.is_empty()));
    }
    out
}

fn unquote(word: &'static str) -> &'static str {
    word.trim_matches('"')
}

impl PgStore {
    /// Copies every store of `from` (a SQLite store) that runs on PostgreSQL into this
    /// database, which must hold none of their rows; see the module documentation.
    pub fn copy_from(&mut self, from: &Store) -> Result<CopyStats, StoreError> {
        let err = self.err();
        let target = self.target.clone();
        let sqlite = crate::error::sql(from.path());
        let source = from.lite()?;
        let held: Vec<&str> = from.schema_versions().iter().map(|(name, _)| *name).collect();
        let mut stats = CopyStats::default();
        let mut tables: Vec<&'static str> = Vec::new();
        for store in crate::schema::STORE {
            if !held.contains(&store.name) {
                continue;
            }
            if store.postgres.is_empty() {
                stats.not_copied.push(store.name);
                continue;
            }
            stats.stores.push(store.name);
            tables.extend(tables_of(store.postgres));
        }

        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction().map_err(&err)?;
        let count = |tx: &mut postgres::Transaction<'_>, table: &str| -> Result<i64, StoreError> {
            Ok(tx.query_one(format!("SELECT count(*) FROM \"{table}\"").as_str(), &[]).map_err(&err)?.get(0))
        };
        for table in &tables {
            let held: bool = tx.query_one(format!("SELECT EXISTS (SELECT 1 FROM \"{table}\")").as_str(), &[]).map_err(&err)?.get(0);
            if held {
                let runs = if tables.contains(&"runs") { count(&mut tx, "runs")? } else { 0 };
                return Err(StoreError::TargetNotEmpty { target, table: table.to_string(), runs: runs as u64 });
            }
        }
        for table in &tables {
            let filled = count(&mut tx, table)?;
            if filled > 0 {
                // Written by a trigger of a table copied before: derived rows, already right.
                tracing::debug!(table, rows = filled, "filled by the copy of another table");
                stats.tables.push((table, filled as u64));
                continue;
            }
            let lite_columns: Vec<String> = {
                let mut stmt = source.prepare("SELECT name FROM pragma_table_info(?1)").map_err(&sqlite)?;
                let names = stmt.query_map([table], |r| r.get::<_, String>(0)).map_err(&sqlite)?;
                names.collect::<Result<_, _>>().map_err(&sqlite)?
            };
            if lite_columns.is_empty() {
                // A table of PostgreSQL's alone: nothing in SQLite to copy.
                stats.tables.push((table, 0));
                continue;
            }
            let columns = tx
                .query(
                    "SELECT a.attname::text, a.atttypid FROM pg_attribute a
                     WHERE a.attrelid = CAST(CAST($1 AS text) AS regclass) AND a.attnum > 0 AND NOT a.attisdropped
                       AND a.attgenerated = '' ORDER BY a.attnum",
                    &[table],
                )
                .map_err(&err)?;
            let pg_columns: Vec<(String, Type)> =
                columns.iter().map(|r| (r.get::<_, String>(0), Type::from_oid(r.get::<_, u32>(1)).unwrap_or(Type::TEXT))).collect();
            if let Some(missing) = lite_columns.iter().find(|c| !pg_columns.iter().any(|(p, _)| p == *c)) {
                return Err(StoreError::NotOnPostgres(format!(
                    "copying column `{missing}` of table `{table}` (PostgreSQL's table has none)"
                )));
            }
            let copied: Vec<&(String, Type)> = pg_columns.iter().filter(|(p, _)| lite_columns.contains(p)).collect();
            let types: Vec<Type> = copied.iter().map(|(_, t)| t.clone()).collect();
            let list = copied.iter().map(|(n, _)| format!("\"{n}\"")).collect::<Vec<_>>().join(", ");
            let sink = tx.copy_in(format!("COPY \"{table}\" ({list}) FROM STDIN BINARY").as_str()).map_err(&err)?;
            let mut w = BinaryCopyInWriter::new(sink, &types);
            let mut stmt = source.prepare(&format!("SELECT {list} FROM \"{table}\"")).map_err(&sqlite)?;
            let mut rows = stmt.query([]).map_err(&sqlite)?;
            let mut n = 0u64;
            while let Some(row) = rows.next().map_err(&sqlite)? {
                let mut boxed: Vec<Box<dyn ToSql + Sync>> = Vec::with_capacity(types.len());
                for (i, ty) in types.iter().enumerate() {
                    let v: Value = row.get(i).map_err(&sqlite)?;
                    boxed.push(bind(&v, ty)?);
                }
                let refs: Vec<&(dyn ToSql + Sync)> = boxed.iter().map(|b| &**b as &(dyn ToSql + Sync)).collect();
                w.write(&refs).map_err(&err)?;
                n += 1;
            }
            w.finish().map_err(&err)?;
            stats.tables.push((table, n));
        }
        // Identity columns continue after the copied ids.
        for table in &tables {
            let identities = tx
                .query(
                    "SELECT a.attname::text FROM pg_attribute a
                     WHERE a.attrelid = CAST(CAST($1 AS text) AS regclass) AND a.attidentity <> '' AND NOT a.attisdropped",
                    &[table],
                )
                .map_err(&err)?;
            for column in identities.iter().map(|r| r.get::<_, String>(0)) {
                tx.execute(
                    format!(
                        "SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), coalesce((SELECT max(\"{column}\") FROM \"{table}\"), 0) + 1, false)"
                    )
                    .as_str(),
                    &[],
                )
                .map_err(&err)?;
            }
        }
        tx.commit().map_err(&err)?;
        tracing::info!(target = %self.target, ?stats, "copied the stores to PostgreSQL");
        Ok(stats)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_s_tables_are_those_its_migrations_leave_in_creation_order() {
        let migrations: &[&'static str] = &[
            "CREATE TABLE a (id bigint PRIMARY KEY); CREATE TABLE IF NOT EXISTS \"b\"(a bigint REFERENCES a (id));
             -- CREATE TABLE not_this (x text);
             CREATE INDEX b_a ON b (a);",
            "CREATE TEMPORARY TABLE scratch (x text); ALTER TABLE b ADD COLUMN c text; CREATE TABLE c (x text)",
            "DROP TABLE IF EXISTS c; ALTER TABLE a RENAME TO a2; create table d (x text);",
        ];
        assert_eq!(tables_of(migrations), ["a2", "b", "d"]);
    }

    #[test]
    fn every_store_that_runs_on_postgresql_has_tables() {
        for store in crate::schema::STORE.iter().filter(|s| !s.postgres.is_empty()) {
            let tables = tables_of(store.postgres);
            assert!(!tables.is_empty(), "{}", store.name);
            assert!(!tables.contains(&"rampart_schema"), "{}", store.name);
        }
        let findings = tables_of(crate::schema::FINDINGS.postgres);
        assert_eq!(
            findings,
            ["runs", "findings", "run_results", "gaps", "workflow_history", "resource_tags", "finding_history", "imported_findings"]
        );
    }
}
