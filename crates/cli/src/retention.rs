//! `rampart prune`: retention applied now — deletes runs, per-run results, done events and
//! audit entries older than their days (what `rampart serve` does daily), keeping every
//! finding with its history, its latest result and the run it was last seen in.

use anyhow::Result;
use clap::Args;
use rampart_app::schedule::Retention;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug, Clone)]
pub struct PruneArgs {
    /// The findings database: a SQLite file or a postgres:// URL (default: $RAMPART_DB or
    /// the user's data directory).
    #[arg(long, value_name = "PATH|URL")]
    pub db: Option<PathBuf>,
    /// Keep runs this many days (the latest run, and each run a finding was last seen in,
    /// are kept whatever their age); 0 keeps everything.
    #[arg(long, default_value_t = Retention::default().runs_days, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(0..=36500))]
    pub runs_days: u32,
    /// Keep what each run said of each finding this many days (each finding's latest result
    /// is kept); 0 keeps everything.
    #[arg(long, default_value_t = Retention::default().results_days, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(0..=36500))]
    pub results_days: u32,
    /// Keep delivered events and dead letters this many days (events still to deliver are
    /// kept); 0 keeps everything.
    #[arg(long, default_value_t = Retention::default().events_days, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(0..=36500))]
    pub events_days: u32,
    /// Keep the audit log this many days; 0 keeps everything.
    #[arg(long, default_value_t = Retention::default().audit_days, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(0..=36500))]
    pub audit_days: u32,
}

pub fn main(args: PruneArgs) -> Result<ExitCode> {
    let db = args.db.clone().unwrap_or_else(rampart_hub::Store::default_path);
    let mut store = crate::hints::existing_store(&db)?;
    let retention = Retention {
        runs_days: args.runs_days,
        results_days: args.results_days,
        events_days: args.events_days,
        audit_days: args.audit_days,
    };
    let result = rampart_app::schedule::prune(&mut store, &retention, rampart_app::now());
    drop(store);
    let _ = rampart_server::record_cli_audit(&db, "prune", &[], result.is_ok());
    let p = result?;
    let mut out = crate::pipe::Watch(std::io::stdout().lock());
    let _ = writeln!(
        out,
        "deleted {} run(s), {} per-run result(s), {} event(s), {} audit entr{}; every finding, its history, its latest result and the run it was last seen in are kept",
        p.runs,
        p.results,
        p.events,
        p.audit,
        if p.audit == 1 { "y" } else { "ies" }
    );
    Ok(ExitCode::SUCCESS)
}
