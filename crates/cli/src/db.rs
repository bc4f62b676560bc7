//! `rampart db`: the store's schema and its move to PostgreSQL. Flags and printing only;
//! the work is `rampart_app::db`'s.

use anyhow::Result;
use clap::{Args, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct DbArgs {
    #[command(subcommand)]
    pub action: DbAction,
}

#[derive(Subcommand, Debug)]
pub enum DbAction {
    /// Create or upgrade the database's schema to this build's: every store of a SQLite
    /// file or of a PostgreSQL database.
    Migrate {
        /// A SQLite file, or postgres://USER:PASSWORD@HOST:PORT/DATABASE (a Unix socket's
        /// directory as HOST, its slashes written %2F). Default: $RAMPART_DB or the user's
        /// data directory.
        #[arg(long, value_name = "PATH|URL")]
        db: Option<PathBuf>,
    },
    /// Copy every store of a SQLite file that runs on PostgreSQL (the findings store with
    /// its history, tags and imported findings, the job queue, the audit log, ...) into an
    /// empty PostgreSQL database, in one transaction, and name the stores kept on SQLite
    /// alone (not copied). The SQLite file is only read. A database that already holds rows
    /// of those stores is refused: drop and create it again to copy anew.
    Copy {
        /// The SQLite file (default: $RAMPART_DB or the user's data directory).
        #[arg(long, value_name = "PATH")]
        from: Option<PathBuf>,
        /// postgres://USER:PASSWORD@HOST:PORT/DATABASE
        #[arg(long, value_name = "URL")]
        to: String,
    },
}

pub fn main(args: DbArgs) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match args.action {
        DbAction::Migrate { db } => {
            let spec = db.unwrap_or_else(rampart_hub::Store::default_path);
            let m = rampart_app::db::migrate(&spec).map_err(|e| crate::hints::store(e, "--db"))?;
            for (store, version) in &m.stores {
                writeln!(out, "{store:<12} schema {version}")?;
            }
            out.flush()?;
            eprintln!("{} is at this build's schema", m.target);
            if !m.sqlite_only.is_empty() {
                eprintln!(
                    "note: this build keeps {} on SQLite alone: commands that need them answer so on PostgreSQL (see docs/postgres.md)",
                    m.sqlite_only.join(", ")
                );
            }
        }
        DbAction::Copy { from, to } => {
            let from = from.unwrap_or_else(rampart_hub::Store::default_path);
            let stats = rampart_app::db::copy(&from, &to).map_err(|e| crate::hints::store(e, "--from"))?;
            for (table, rows) in &stats.tables {
                writeln!(out, "{table:<22} {rows}")?;
            }
            out.flush()?;
            eprintln!("copied {} of {} to {}", stats.stores.join(", "), from.display(), rampart_hub::postgres_target(&to));
            if !stats.not_copied.is_empty() {
                eprintln!("not copied (kept on SQLite alone by this build): {}", stats.not_copied.join(", "));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The findings store for a command that only reads it, on SQLite or PostgreSQL.
pub fn read(spec: &std::path::Path) -> Result<rampart_hub::Backend> {
    rampart_app::db::open(spec, rampart_hub::PgMode::ReadOnly).map_err(|e| crate::hints::store(e, "--db"))
}

/// Records a scan in `--db`, SQLite or PostgreSQL (which records the findings only, and says so).
pub fn record(scan: &mut rampart_app::Scan, spec: &std::path::Path) -> Result<Vec<rampart_hub::RuleApplied>> {
    let mut db = rampart_app::db::open(spec, rampart_hub::PgMode::Create).map_err(|e| crate::hints::store(e, "--db"))?;
    rampart_app::db::record(scan, &mut db, &crate::progress::Stderr::new()).map_err(|e| crate::hints::store(e, "--db"))
}
