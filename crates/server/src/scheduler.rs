//! The scheduler of `rampart serve`: a thread that, at start and then every tick
//! (`RAMPART_SCHEDULE_TICK` seconds, default 15, or sooner when a run is due before),
//! asks `rampart_app::schedule` which scopes are due, claims them in the store and runs
//! each on a thread of its own through a [`Runner`] (the real one scans AWS with the
//! server's AWS settings, [`SchedulerArgs`], or polls a trail's bucket: change-triggered
//! checks, `--watch-trail`).
//! The decisions (interval, jitter, overlap, catch-up) are the app's; this file only turns
//! passes into threads and logs what happened. And retention: the runs, per-run results
//! and events past their days are deleted at start and then daily, with the audit log.

use clap::Args;
use rampart_app::schedule::{AwsRunner, AwsSettings, Retention, Runner, ScheduleScope, Scheduler, SystemClock};
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
    /// Change-triggered checks: poll this CloudTrail trail's bucket (`s3://BUCKET` or
    /// `s3://BUCKET/PREFIX`, the prefix being the part of the keys before `AWSLogs/`) for
    /// new log files and re-check what their write events changed. Repeat for several
    /// trails; each is a schedule (shown on /schedules) made at start if missing.
    #[arg(long = "watch-trail", value_name = "S3_URL", value_parser = parse_trail)]
    pub watch_trail: Vec<ScheduleScope>,
    /// How often each --watch-trail bucket is polled: `5m` (the default), `90s`, `1h`;
    /// at least 1 minute.
    #[arg(long = "watch-interval", value_name = "DURATION", default_value = "5m", value_parser = parse_interval)]
    pub watch_interval: u64,
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

/// `--watch-trail`: `s3://BUCKET[/PREFIX]`.
fn parse_trail(s: &str) -> Result<ScheduleScope, String> {
    rampart_app::schedule::parse_trail_url(s)
}

/// `--watch-interval`: `90s`, `5m`, `1h` (1 minute to 1 day), in seconds.
fn parse_interval(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (n, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let n: u64 = n.parse().map_err(|_| format!("`{s}` is not a duration: use 90s, 5m or 1h"))?;
    let secs = match unit {
        "s" => n,
        "m" => n.saturating_mul(60),
        "h" => n.saturating_mul(3600),
        _ => return Err(format!("`{s}` is not a duration: use 90s, 5m or 1h")),
    };
    if !(60..=86_400).contains(&secs) {
        return Err(format!("`{s}`: a trail is polled between every minute (1m) and once a day (24h)"));
    }
    Ok(secs)
}

impl SchedulerArgs {
    /// The flags' defaults (what clap gives when none is passed): for tests and embedding.
    pub fn defaults() -> SchedulerArgs {
        let r = Retention::default();
        SchedulerArgs {
            runs_days: r.runs_days,
            results_days: r.results_days,
            events_days: r.events_days,
            watch_interval: rampart_app::schedule::DEFAULT_TRAIL_INTERVAL_SECS as u64,
            ..Default::default()
        }
    }

    /// Makes sure each `--watch-trail` has its schedule, polled every `--watch-interval`.
    pub fn ensure_trails(&self, db: &std::path::Path) -> anyhow::Result<()> {
        if self.watch_trail.is_empty() {
            return Ok(());
        }
        let mut store = rampart_app::db::open(db, rampart_hub::PgMode::Create)?;
        for scope in &self.watch_trail {
            let s = rampart_app::schedule::ensure(&mut store, scope, self.watch_interval as i64, rampart_app::now())
                .map_err(|e| anyhow::anyhow!("--watch-trail {scope}: {e}"))?;
            tracing::info!(schedule = s.id, scope = %s.scope, every_secs = s.interval_secs, "watching the trail");
        }
        Ok(())
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

/// How long to sleep after a pass: the tick, or less when a run is due before it (a trail
/// polled every minute starts on time, not up to a tick late); at least a second.
fn sleep_for(scheduler: &Scheduler, every: Duration) -> Duration {
    let Ok(Some(next)) = scheduler.next_due() else { return every };
    let until = (next - rampart_app::now()).whole_milliseconds().max(1000) as u64;
    every.min(Duration::from_millis(until))
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
                            Ok(run) if f.poll.is_some() => tracing::info!(schedule = f.id, scope = %f.scope, poll = %run, recorded = f.recorded, "trail polled"),
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
        std::thread::sleep(sleep_for(&scheduler, every));
    });
    if let Err(e) = started {
        tracing::error!(error = %e, "cannot start the scheduler");
    }
}

/// Retention: deletes what is past `retention` now, then once a day, on a thread of its own
/// (with its own connection to the database).
pub fn prune_daily(db: PathBuf, retention: Retention) {
    let _ = std::thread::Builder::new().name("rampart-retention".into()).spawn(move || loop {
        match rampart_app::db::open(&db, rampart_hub::PgMode::Existing)
            .and_then(|mut s| rampart_app::schedule::prune(&mut s, &retention, rampart_app::now()))
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
