//! The scheduler of `rampart serve`: a thread that, at start and then every tick
//! (`RAMPART_SCHEDULE_TICK` seconds, default 15), asks `rampart_app::schedule` which scopes
//! are due, claims them in the store and runs each on a thread of its own through a
//! [`Runner`] (the real one scans AWS with the server's AWS settings, [`SchedulerArgs`]).
//! The decisions (interval, jitter, overlap, catch-up) are the app's; this file only turns
//! passes into threads and logs what happened. And retention: the runs, per-run results
//! and events past their days are deleted at start and then daily, with the audit log.

use clap::Args;
use rampart_app::schedule::{AwsRunner, AwsSettings, Retention, Runner, Scheduler, SystemClock};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// The flags of `rampart serve` for scheduled scans and retention.
#[derive(Args, Debug, Clone, Default)]
pub struct SchedulerArgs {
    /// Scheduled scans read AWS with this named profile (of the shared config files);
    /// the default credential chain otherwise.
    #[arg(long = "aws-profile", value_name = "NAME")]
    pub aws_profile: Option<String>,
    /// Scheduled scans call this AWS-compatible endpoint (an emulator) for every service.
    #[arg(long = "endpoint-url", value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// The regions an account's scheduled scan reads (comma-separated); every region
    /// enabled for the account if not given.
    #[arg(long, value_delimiter = ',', value_name = "REGIONS")]
    pub regions: Option<Vec<String>>,
    /// Start no scheduled scan (schedules can still be edited; another server on the same
    /// database may run them).
    #[arg(long)]
    pub no_schedules: bool,
    /// Keep runs this many days (the latest run, and each run a finding was last seen in,
    /// are kept whatever their age); 0 keeps everything.
    #[arg(long, default_value_t = 365, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(0..=36500))]
    pub runs_days: u32,
    /// Keep what each run said of each finding this many days (each finding's latest
    /// result is kept); 0 keeps everything.
    #[arg(long, default_value_t = 90, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(0..=36500))]
    pub results_days: u32,
    /// Keep delivered events and dead letters this many days (events still to deliver are
    /// kept); 0 keeps everything.
    #[arg(long, default_value_t = 30, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(0..=36500))]
    pub events_days: u32,
}

impl SchedulerArgs {
    /// The flags' defaults (what clap gives when none is passed): for tests and embedding.
    pub fn defaults() -> SchedulerArgs {
        let r = Retention::default();
        SchedulerArgs { runs_days: r.runs_days, results_days: r.results_days, events_days: r.events_days, ..Default::default() }
    }

    fn aws(&self) -> AwsSettings {
        AwsSettings { profile: self.aws_profile.clone(), endpoint_url: self.endpoint_url.clone(), regions: self.regions.clone() }
    }

    /// The retention these flags and `--audit-days` say.
    pub fn retention(&self, audit_days: u32) -> Retention {
        Retention { runs_days: self.runs_days, results_days: self.results_days, events_days: self.events_days, audit_days }
    }
}

/// How often the scheduler looks for due runs: `RAMPART_SCHEDULE_TICK` seconds (default 15).
fn tick() -> Duration {
    std::env::var("RAMPART_SCHEDULE_TICK")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|s| *s > 0)
        .map_or(Duration::from_secs(15), Duration::from_secs)
}

/// Starts the scheduler with the real runner (unless `--no-schedules`).
pub fn spawn(db: PathBuf, args: &SchedulerArgs) {
    if args.no_schedules {
        tracing::info!("scheduled scans off (--no-schedules)");
        return;
    }
    let runner = Arc::new(AwsRunner { db: db.clone(), aws: args.aws() });
    spawn_with(db, runner);
}

/// Starts the scheduler with this runner: a thread of its own that lives as long as the
/// process; a pass that fails is logged and tried again at the next tick.
pub fn spawn_with(db: PathBuf, runner: Arc<dyn Runner>) {
    let every = tick();
    let scheduler = Arc::new(Scheduler::new(db, Scheduler::process_owner(), Arc::new(SystemClock), runner));
    let started = std::thread::Builder::new().name("rampart-schedule".into()).spawn(move || loop {
        match scheduler.pass() {
            Ok(claimed) => {
                for c in claimed {
                    tracing::info!(schedule = c.id, scope = %c.scope, why = ?c.why, "scheduled run started");
                    let s = Arc::clone(&scheduler);
                    // A live collection blocks on a runtime of its own here, with the AWS SDK's large
                    // futures on this thread's stack: as much stack as the CLI's main thread has, and more.
                    let run = std::thread::Builder::new().name(format!("rampart-run-{}", c.id)).stack_size(32 << 20).spawn(move || match s.execute(&c) {
                        Ok(f) => match &f.result {
                            Ok(run) => tracing::info!(schedule = f.id, scope = %f.scope, run = %run, recorded = f.recorded, "scheduled run finished"),
                            Err(e) => tracing::warn!(schedule = f.id, scope = %f.scope, error = %e, recorded = f.recorded, "scheduled run failed"),
                        },
                        Err(e) => tracing::warn!(schedule = c.id, error = %e, "scheduled run: cannot record its end"),
                    });
                    if let Err(e) = run {
                        tracing::error!(error = %e, "cannot start a thread for a scheduled run");
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "schedule pass failed"),
        }
        std::thread::sleep(every);
    });
    if let Err(e) = started {
        tracing::error!(error = %e, "cannot start the scheduler");
    }
}

/// Retention: deletes what is past `retention` now, then once a day, on a thread of its own
/// (with its own connection to the database).
pub fn prune_daily(db: PathBuf, retention: Retention) {
    let _ = std::thread::Builder::new().name("rampart-retention".into()).spawn(move || loop {
        match rampart_hub::Store::open_existing(&db).and_then(|mut s| rampart_app::schedule::prune(&mut s, &retention, rampart_app::now()))
        {
            Ok(p) if p == Default::default() => {}
            Ok(p) => tracing::info!(
                runs = p.runs,
                results = p.results,
                events = p.events,
                audit = p.audit,
                "retention: deleted what is past its days"
            ),
            Err(e) => tracing::warn!(error = %e, "retention: cannot prune"),
        }
        std::thread::sleep(Duration::from_secs(24 * 3600));
    });
}
