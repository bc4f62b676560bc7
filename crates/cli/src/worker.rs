//! `rampart worker` and `rampart jobs`: flags → `rampart_app::jobs` → a line per outcome.

use crate::progress::Stderr;
use anyhow::{bail, Result};
use clap::{Args, Subcommand};
use rampart_app::jobs::{self, SnapshotCollector, WorkOptions};
use rampart_app::jobs_aws::AwsCollector;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

#[derive(Args, Debug)]
pub struct WorkerArgs {
    /// Replay this snapshot instead of reading AWS (each part as the snapshot holds it): for
    /// tests and offline runs of the queue.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["profile", "endpoint_url"])]
    pub snapshot: Option<PathBuf>,
    /// How this worker reaches AWS (without --snapshot): its own credentials read its own
    /// account; every other account through the member role its jobs name.
    #[command(flatten)]
    pub aws: crate::cli::AwsAccessArgs,
    /// Stop when the queue holds nothing to do (default: wait for more work).
    #[arg(long)]
    pub exit_when_idle: bool,
    /// Seconds a claimed job stays this worker's without renewal (renewed every third).
    #[arg(long, default_value_t = 30, value_name = "SECONDS", value_parser = clap::value_parser!(u32).range(3..=3600))]
    pub lease: u32,
    /// The queue's database: a SQLite file, or postgres://USER:PASSWORD@HOST:PORT/DATABASE
    /// for workers on several machines (default: $RAMPART_DB or the user's data directory).
    #[arg(long, value_name = "PATH|URL")]
    pub db: Option<PathBuf>,
    /// Milliseconds to wait in each job (tests that kill a worker in the middle of one).
    #[arg(long, default_value_t = 0, hide = true)]
    pub pause_ms: u64,
}

#[derive(Subcommand, Debug)]
pub enum JobsAction {
    /// Queue a scan as jobs (a job per account's global services, per account × region, and
    /// the evaluation) for `rampart worker` processes; prints the batch id (the run's id).
    #[command(group(clap::ArgGroup::new("estate").args(["snapshot", "org", "accounts"]).required(true)))]
    Scan {
        /// Scan the estate of this snapshot through the queue (workers replay it).
        #[arg(long, value_name = "FILE", conflicts_with_all = ["many_accounts", "profile", "endpoint_url", "regions", "probe_origins"])]
        snapshot: Option<PathBuf>,
        /// Without --snapshot: the AWS accounts to scan (--accounts or --org, with
        /// --member-role), and how to reach them; a job per account's global services and per
        /// account × region (--regions, else those enabled for each account).
        #[command(flatten)]
        aws: crate::cli::AwsArgs,
        /// The queue's database: a SQLite file or a postgres:// URL (default: $RAMPART_DB or
        /// the user's data directory).
        #[arg(long, value_name = "PATH|URL")]
        db: Option<PathBuf>,
    },
    /// How far a batch is: jobs pending, running, done and dead (with their errors).
    Status {
        /// The batch id `rampart jobs scan` printed.
        batch: String,
        /// The queue's database: a SQLite file or a postgres:// URL (default: $RAMPART_DB or
        /// the user's data directory).
        #[arg(long, value_name = "PATH|URL")]
        db: Option<PathBuf>,
    },
}

fn db_path(db: &Option<PathBuf>) -> PathBuf {
    db.clone().or_else(|| std::env::var_os("RAMPART_DB").map(PathBuf::from)).unwrap_or_else(rampart_hub::Store::default_path)
}

pub fn worker(args: WorkerArgs) -> Result<ExitCode> {
    let db = db_path(&args.db);
    // The queue must exist (a worker never creates a store): SQLite file or PostgreSQL.
    rampart_app::db::open(&db, rampart_hub::PgMode::Existing).map_err(|e| crate::hints::store(e, "--db"))?;
    let collector: Box<dyn jobs::Collector> = match &args.snapshot {
        Some(path) => Box::new(SnapshotCollector(rampart_app::inputs::read_snapshot(path)?)),
        None => {
            let aws = AwsCollector::new(&args.aws.options(None, false, false))?;
            // Connect now: wrong credentials or endpoint stop this worker, not every job it claims.
            aws.identity().map_err(crate::run::collect_hint)?;
            Box::new(aws)
        }
    };
    let name = format!("{}-{}", hostname(), std::process::id());
    let opts = WorkOptions { exit_when_idle: args.exit_when_idle, lease: time::Duration::seconds(args.lease.into()), pause: std::time::Duration::from_millis(args.pause_ms), ..WorkOptions::named(name.clone()) };
    let notify = Stderr::new();
    let stop = AtomicBool::new(false);
    let stats = jobs::work(&db, collector.as_ref(), &opts, &stop, &notify)?;
    eprintln!("worker {name}: {} job(s) done, {} failed attempt(s), {} lost to another worker", stats.done, stats.failed, stats.lost);
    Ok(ExitCode::SUCCESS)
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname").map(|h| h.trim().to_string()).ok().filter(|h| !h.is_empty()).unwrap_or_else(|| "worker".into())
}

pub fn jobs(action: JobsAction) -> Result<ExitCode> {
    match action {
        JobsAction::Scan { snapshot, aws, db } => {
            let plan = match snapshot {
                Some(snapshot) => {
                    let inv = rampart_app::inputs::read_snapshot(&snapshot)?;
                    jobs::snapshot_plan(&inv, &format!("snapshot:{}", snapshot.display()))
                }
                None => crate::org::plan(&aws)?,
            };
            let mut store = rampart_app::db::open(&db_path(&db), rampart_hub::PgMode::Create).map_err(|e| crate::hints::store(e, "--db"))?;
            let batch = jobs::enqueue(&mut store, &plan)?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "{batch}")?;
            out.flush()?;
            eprintln!("{} collection job(s) and the evaluation queued; start `rampart worker` processes on this database", plan.parts.len());
        }
        JobsAction::Status { batch, db } => {
            let store = crate::db::read(&db_path(&db))?;
            let p = store.batch_progress(&batch)?;
            if p.total() == 0 {
                bail!("no batch `{}` in this database: `rampart jobs scan` prints the id", crate::hints::shown(&batch));
            }
            let mut out = std::io::stdout().lock();
            writeln!(out, "{batch}: {} pending, {} running, {} done, {} dead; {} claim(s)", p.pending, p.running, p.done, p.dead, p.claims)?;
            for r in store.running_jobs(&batch)? {
                writeln!(out, "  running {} on {} (attempt {}, lease until {})", r.key, r.worker, r.attempts, rampart_model::rfc3339(r.lease_until))?;
            }
            for d in store.dead_jobs(&batch)? {
                writeln!(out, "  dead {} after {} attempt(s): {}", d.key, d.attempts, d.error)?;
            }
            out.flush()?;
            if !p.finished() {
                return Ok(ExitCode::from(1));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
