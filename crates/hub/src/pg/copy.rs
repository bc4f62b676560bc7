//! `rampart db copy`: the findings store of a SQLite file into an empty PostgreSQL
//! database, in one transaction (runs, findings with everything people set on them, per-run
//! results, gaps, workflow and field history, resource tags, imported findings' documents).
//! Rows are streamed from SQLite into PostgreSQL's binary `COPY`, column by column as
//! PostgreSQL's table names them, so both schemas' versions must match (both are this
//! build's latest). A target that already holds runs or findings is refused: a copy never
//! mixes two histories (drop and create the database again to copy anew).

use super::{bind, PgStore};
use crate::{Store, StoreError};
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};
use rusqlite::types::Value;

/// The findings store's tables, parents first.
const TABLES: &[&str] =
    &["runs", "findings", "run_results", "gaps", "workflow_history", "finding_history", "resource_tags", "imported_findings"];

/// The tables whose `id` is an identity column, to move on past the copied ids.
const IDENTITIES: &[&str] = &["workflow_history", "finding_history"];

/// How many rows of each table a copy wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CopyStats {
    pub tables: Vec<(&'static str, u64)>,
}

impl CopyStats {
    /// The rows copied of `table`.
    pub fn rows(&self, table: &str) -> u64 {
        self.tables.iter().find(|(t, _)| *t == table).map_or(0, |(_, n)| *n)
    }
}

impl PgStore {
    /// Copies the findings store of `from` into this (empty) database; see the module
    /// documentation.
    pub fn copy_from(&mut self, from: &Store) -> Result<CopyStats, StoreError> {
        let err = self.err();
        let target = self.target.clone();
        let sqlite = crate::error::sql(from.path());
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction().map_err(&err)?;
        let runs: i64 = tx.query_one("SELECT (SELECT count(*) FROM runs) + (SELECT count(*) FROM findings)", &[]).map_err(&err)?.get(0);
        if runs > 0 {
            let runs: i64 = tx.query_one("SELECT count(*) FROM runs", &[]).map_err(&err)?.get(0);
            return Err(StoreError::TargetNotEmpty { target, runs: runs as u64 });
        }
        let mut stats = CopyStats::default();
        for table in TABLES {
            let columns = tx
                .query(
                    "SELECT a.attname::text, a.atttypid FROM pg_attribute a
                     WHERE a.attrelid = CAST(CAST($1 AS text) AS regclass) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
                    &[table],
                )
                .map_err(&err)?;
            let names: Vec<String> = columns.iter().map(|r| r.get::<_, String>(0)).collect();
            let types: Vec<Type> = columns.iter().map(|r| Type::from_oid(r.get::<_, u32>(1)).unwrap_or(Type::TEXT)).collect();
            let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
            let list = quoted.join(", ");
            let sink = tx.copy_in(format!("COPY {table} ({list}) FROM STDIN BINARY").as_str()).map_err(&err)?;
            let mut w = BinaryCopyInWriter::new(sink, &types);
            let mut stmt = from.lite()?.prepare(&format!("SELECT {list} FROM {table}")).map_err(&sqlite)?;
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
        for table in IDENTITIES {
            tx.execute(
                format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce((SELECT max(id) FROM {table}), 0) + 1, false)")
                    .as_str(),
                &[],
            )
            .map_err(&err)?;
        }
        tx.commit().map_err(&err)?;
        tracing::info!(target = %self.target, ?stats, "copied the findings store to PostgreSQL");
        Ok(stats)
    }
}
