//! Schedules: a scan per scope (the organisation, an account, an account's region) every
//! interval (default 12 hours, Security Hub's "periodic check no later than 12h after the
//! last execution"), never two overlapping runs of one scope, and a run missed while the
//! server was down run once when it is back (not once per missed interval). A trail scope
//! (a CloudTrail trail's bucket) is polled the same way, every 5 minutes by default: each
//! run is one poll of change-triggered checks (`crate::changes::poll`). And retention:
//! how long runs, per-run results, events and the audit log are kept.
//!
//! The decisions are pure functions of the schedules and a time ([`next_run`], [`due`],
//! [`jitter`]); a [`Clock`] gives the time, so tests drive it ([`TestClock`]). A
//! [`Scheduler`] is one server's loop body: each [`Scheduler::pass`] renews the leases of
//! the runs it has in flight, asks [`due`] what to start and claims each in the store (the
//! claim is what stops a second server on the same database); [`Scheduler::execute`] runs a
//! claimed scope through a [`Runner`] and records its outcome. [`AwsRunner`] is the real
//! runner: a live collection with the server's AWS settings, checked and recorded like
//! `rampart scan aws`.
//!
//! Jitter spreads schedules of one interval over time without breaking the promise: a run
//! is due `interval - jitter` after the last one started, so never later than the interval,
//! and the jitter of a scope is a hash of its key, the same at every start of the server.

use crate::Collected;
use anyhow::{anyhow, Context, Result};
pub use rampart_hub::{PollStatus, Schedule, ScheduleScope, ScheduleSettings};
use rampart_hub::{PgMode, Store, StoreError};
use rampart_model::Timestamp;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use time::Duration;

/// The interval of a schedule created without one: 12 hours.
pub const DEFAULT_INTERVAL_SECS: i64 = 12 * 3600;
/// The shortest interval: 5 minutes (a scan of an account takes about that).
pub const MIN_INTERVAL_SECS: i64 = 5 * 60;
/// The longest interval: 30 days.
pub const MAX_INTERVAL_SECS: i64 = 30 * 24 * 3600;
/// The interval of a trail schedule created without one: 5 minutes (CloudTrail delivers a
/// log file about every 5 minutes per account and region).
pub const DEFAULT_TRAIL_INTERVAL_SECS: i64 = 5 * 60;
/// The shortest interval of a trail schedule: 1 minute.
pub const MIN_TRAIL_INTERVAL_SECS: i64 = 60;
/// The largest jitter: 15 minutes (and at most a tenth of the interval).
pub const MAX_JITTER_SECS: i64 = 15 * 60;
/// How long a claim holds without renewal; a running server renews it on every pass.
pub const LEASE: Duration = Duration::minutes(10);

/// Where the time comes from.
pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

/// The system's clock ([`crate::now`]).
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        crate::now()
    }
}

/// A clock that moves only when told: for tests.
pub struct TestClock(Mutex<Timestamp>);

impl TestClock {
    pub fn new(t: Timestamp) -> TestClock {
        TestClock(Mutex::new(t))
    }

    pub fn set(&self, t: Timestamp) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = t;
    }

    pub fn advance(&self, d: Duration) {
        let mut t = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *t += d;
    }
}

impl Clock for TestClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The scope's jitter for this interval: a stable hash (FNV-1a) of its key, at most a tenth
/// of the interval and [`MAX_JITTER_SECS`], whole seconds. The same scope gets the same
/// jitter at every start, so a restart does not reshuffle the runs.
pub fn jitter(scope: &ScheduleScope, interval_secs: i64) -> Duration {
    let bound = (interval_secs / 10).min(MAX_JITTER_SECS);
    if bound <= 0 {
        return Duration::ZERO;
    }
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in scope.key().bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    // `bound` is positive and at most MAX_JITTER_SECS: the cast and the remainder fit.
    Duration::seconds((h % (bound as u64 + 1)) as i64)
}

/// When the schedule's next run is due; `None` when it is paused (and no one asked for a
/// run now). A run someone asked for is due when they asked; a schedule that never ran is
/// due from its creation; otherwise the interval less the jitter after the last run
/// started — a time in the past when runs were missed, so the run catches up at once.
pub fn next_run(s: &Schedule) -> Option<Timestamp> {
    if let Some(asked) = s.run_requested_at {
        return Some(asked);
    }
    if s.paused {
        return None;
    }
    match s.last_started_at {
        None => Some(s.created_at),
        Some(last) => Some(last + Duration::seconds(s.interval_secs) - jitter(&s.scope, s.interval_secs)),
    }
}

/// Why a run starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Why {
    /// The schedule never ran.
    First,
    /// Its interval passed.
    Interval,
    /// Its interval passed long ago (the server was down): `missed` runs are made up by
    /// this one.
    CatchUp { missed: i64 },
    /// Someone asked for it.
    RunNow,
}

/// A run to start: the schedule, and the last finished start it was decided on (the claim
/// succeeds only if that is still so).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Start {
    pub id: i64,
    pub scope: ScheduleScope,
    pub seen_last_started: Option<Timestamp>,
    pub why: Why,
}

/// The runs due at `now`, oldest due first: each schedule whose next run is due, unless it
/// is running (a live claim in the store, or in `running`, this server's own runs). At most
/// one run per schedule, however many intervals passed.
pub fn due(schedules: &[Schedule], now: Timestamp, running: &BTreeSet<i64>) -> Vec<Start> {
    let mut out: Vec<(Timestamp, Start)> = schedules
        .iter()
        .filter(|s| s.running_at(now).is_none() && !running.contains(&s.id))
        .filter_map(|s| {
            let next = next_run(s).filter(|t| *t <= now)?;
            let why = if s.run_requested_at.is_some() {
                Why::RunNow
            } else if s.last_started_at.is_none() {
                Why::First
            } else {
                let late = (now - next).whole_seconds();
                match late / s.interval_secs.max(1) {
                    0 => Why::Interval,
                    missed => Why::CatchUp { missed },
                }
            };
            Some((next, Start { id: s.id, scope: s.scope.clone(), seen_last_started: s.last_started_at, why }))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.id.cmp(&b.1.id)));
    out.into_iter().map(|(_, s)| s).collect()
}

/// A schedule's interval, checked: between [`MIN_INTERVAL_SECS`] and [`MAX_INTERVAL_SECS`].
pub fn check_interval(secs: i64) -> Result<i64, String> {
    if !(MIN_INTERVAL_SECS..=MAX_INTERVAL_SECS).contains(&secs) {
        return Err(format!(
            "interval {secs} s is out of range: give between {MIN_INTERVAL_SECS} (5 minutes) and {MAX_INTERVAL_SECS} (30 days) seconds"
        ));
    }
    Ok(secs)
}

/// The interval of a new schedule of `scope` given none: 12 hours, 5 minutes for a trail.
pub fn default_interval(scope: &ScheduleScope) -> i64 {
    if scope.is_trail() {
        DEFAULT_TRAIL_INTERVAL_SECS
    } else {
        DEFAULT_INTERVAL_SECS
    }
}

/// [`check_interval`] for a scope: a trail is polled every minute at the most often.
pub fn check_interval_for(scope: &ScheduleScope, secs: i64) -> Result<i64, String> {
    if !scope.is_trail() {
        return check_interval(secs);
    }
    if !(MIN_TRAIL_INTERVAL_SECS..=MAX_INTERVAL_SECS).contains(&secs) {
        return Err(format!(
            "interval {secs} s is out of range for a trail: give between {MIN_TRAIL_INTERVAL_SECS} (1 minute) and {MAX_INTERVAL_SECS} (30 days) seconds"
        ));
    }
    Ok(secs)
}

/// A trail scope: the bucket the trail delivers to (an S3 bucket name) and its key prefix
/// (the part before `AWSLogs/`; slashes around it are dropped, empty is none).
pub fn parse_trail(bucket: &str, prefix: Option<&str>) -> Result<ScheduleScope, String> {
    let bucket = bucket.trim();
    let ok = (3..=63).contains(&bucket.len())
        && bucket.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'.' || c == b'-')
        && bucket.starts_with(|c: char| c.is_ascii_alphanumeric())
        && bucket.ends_with(|c: char| c.is_ascii_alphanumeric());
    if bucket.is_empty() {
        return Err("a trail scope needs the bucket its trail delivers to".to_string());
    }
    if !ok {
        return Err(format!(
            "`{}` is not an S3 bucket name (3 to 63 lowercase letters, digits, dots and hyphens): give the trail's bucket",
            crate::shown(bucket)
        ));
    }
    let prefix = prefix.map(|p| p.trim().trim_matches('/')).filter(|p| !p.is_empty());
    if let Some(p) = prefix {
        if p.contains("AWSLogs") || p.chars().any(char::is_control) {
            return Err(format!("`{}` is not a trail's key prefix: give the part of the keys before `AWSLogs/`", crate::shown(p)));
        }
    }
    Ok(ScheduleScope::Trail { bucket: bucket.to_string(), prefix: prefix.map(str::to_string) })
}

/// A trail scope from `s3://BUCKET[/PREFIX]` (as `rampart serve --watch-trail` takes it).
pub fn parse_trail_url(url: &str) -> Result<ScheduleScope, String> {
    let rest = url
        .trim()
        .strip_prefix("s3://")
        .ok_or_else(|| format!("`{}` is not a trail's location: give s3://BUCKET or s3://BUCKET/PREFIX", crate::shown(url)))?;
    let (bucket, prefix) = rest.split_once('/').map_or((rest, None), |(b, p)| (b, Some(p)));
    parse_trail(bucket, prefix)
}

/// A scope's settings, checked: a member role (with an optional external id) belongs to
/// the organisation scope only, which needs one (the role each member account is read
/// through; the management account's own is read with the server's credentials).
pub fn check_settings(scope: &ScheduleScope, settings: &ScheduleSettings) -> Result<ScheduleSettings, String> {
    let clean = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
    let settings = ScheduleSettings { member_role: clean(&settings.member_role), external_id: clean(&settings.external_id) };
    match (scope, &settings.member_role) {
        (ScheduleScope::Org, None) => {
            Err("the organisation scope needs the member role to assume in each account (see `rampart iam-policy member-trust`)"
                .to_string())
        }
        (ScheduleScope::Org, Some(name)) => {
            let role = rampart_collect_aws::org::MemberRole { name: name.clone(), external_id: settings.external_id.clone() };
            crate::org::check_member_role(&role).map_err(|r| r.to_string())?;
            Ok(settings)
        }
        (_, None) if settings.external_id.is_some() => Err("an external id goes with a member role".to_string()),
        (_, None) => Ok(settings),
        (other, Some(_)) => {
            Err(format!("the {other} is read with the server's credentials: a member role is for the organisation scope only"))
        }
    }
}

/// A scope from its parts as a person gives them: `org`; `account` with a 12-digit
/// account id; `region` with an account id and a region name (`eu-west-1`).
pub fn parse_scope(kind: &str, account: Option<&str>, region: Option<&str>) -> Result<ScheduleScope, String> {
    let account = account.map(str::trim).filter(|a| !a.is_empty());
    let region = region.map(str::trim).filter(|r| !r.is_empty());
    let check_account = |a: Option<&str>| -> Result<String, String> {
        match a {
            Some(a) if a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()) => Ok(a.to_string()),
            Some(a) => Err(format!("`{a}` is not an AWS account id: give its 12 digits")),
            None => Err(format!("a scope of kind `{kind}` needs an account id (12 digits)")),
        }
    };
    match kind.trim() {
        "org" | "organisation" | "organization" => match (account, region) {
            (None, None) => Ok(ScheduleScope::Org),
            _ => Err("the organisation scope takes no account or region: it scans every account".to_string()),
        },
        "account" => match region {
            None => Ok(ScheduleScope::Account { account: check_account(account)? }),
            Some(_) => Err("an account scope takes no region: use kind `region` for one region".to_string()),
        },
        "region" => {
            let account = check_account(account)?;
            match region {
                Some(r) if is_region_name(r) => Ok(ScheduleScope::Region { account, region: r.to_string() }),
                Some(r) => Err(format!("`{r}` is not a region name: give one like `eu-west-1`")),
                None => Err("a region scope needs a region (like `eu-west-1`)".to_string()),
            }
        }
        "trail" => Err("a trail scope needs its bucket: give `bucket` (and `prefix` if the trail has one)".to_string()),
        other => Err(format!("unknown scope kind `{other}`: give `org`, `account`, `region` or `trail`")),
    }
}

/// `eu-west-1`, `us-gov-west-1`, `ap-southeast-3`: lowercase words joined by `-`, the last
/// a number.
fn is_region_name(r: &str) -> bool {
    let parts: Vec<&str> = r.split('-').collect();
    parts.len() >= 3
        && parts.last().is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        && parts[..parts.len() - 1].iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
}

/// Adds a schedule: the scope checked, the interval checked (default 12 hours; 5 minutes
/// for a trail). The organisation scope needs settings with a member role: see
/// [`create_with`].
pub fn create(
    store: &mut Store,
    scope: &ScheduleScope,
    interval_secs: Option<i64>,
    paused: bool,
    now: Timestamp,
) -> Result<Schedule, StoreError> {
    let interval =
        check_interval_for(scope, interval_secs.unwrap_or_else(|| default_interval(scope))).map_err(StoreError::InvalidUpdate)?;
    store.create_schedule(scope, interval, paused, now)
}

/// [`create`] with the scope's settings, checked ([`check_settings`]).
pub fn create_with(
    store: &mut Store,
    scope: &ScheduleScope,
    interval_secs: Option<i64>,
    paused: bool,
    settings: &ScheduleSettings,
    now: Timestamp,
) -> Result<Schedule, StoreError> {
    let settings = check_settings(scope, settings).map_err(StoreError::InvalidUpdate)?;
    let interval =
        check_interval_for(scope, interval_secs.unwrap_or_else(|| default_interval(scope))).map_err(StoreError::InvalidUpdate)?;
    let created = store.create_schedule(scope, interval, paused, now)?;
    if settings == ScheduleSettings::default() {
        return Ok(created);
    }
    store
        .set_schedule_settings(created.id, &settings, now)?
        .ok_or_else(|| StoreError::InvalidUpdate(format!("schedule {} vanished", created.id)))
}

/// Makes sure `scope` has a schedule (as `rampart serve --watch-trail` asks at start): adds
/// one with `interval_secs` if there is none, else sets the one there to that interval
/// (unpaused) when it differs. Returns it.
pub fn ensure(store: &mut Store, scope: &ScheduleScope, interval_secs: i64, now: Timestamp) -> Result<Schedule, StoreError> {
    let interval = check_interval_for(scope, interval_secs).map_err(StoreError::InvalidUpdate)?;
    match store.schedules()?.into_iter().find(|s| &s.scope == scope) {
        None => store.create_schedule(scope, interval, false, now),
        Some(s) if s.interval_secs == interval && !s.paused => Ok(s),
        Some(s) => store
            .update_schedule(s.id, interval, false, now)?
            .ok_or_else(|| StoreError::InvalidUpdate(format!("schedule {} vanished", s.id))),
    }
}

/// Changes a schedule's interval and pause; `None` when there is no such schedule.
pub fn update(store: &mut Store, id: i64, interval_secs: i64, paused: bool, now: Timestamp) -> Result<Option<Schedule>, StoreError> {
    let Some(current) = store.schedule(id)? else { return Ok(None) };
    let interval = check_interval_for(&current.scope, interval_secs).map_err(StoreError::InvalidUpdate)?;
    store.update_schedule(id, interval, paused, now)
}

/// Changes a schedule's settings (checked for its scope); `None` when there is no such
/// schedule.
pub fn update_settings(store: &mut Store, id: i64, settings: &ScheduleSettings, now: Timestamp) -> Result<Option<Schedule>, StoreError> {
    let Some(current) = store.schedule(id)? else { return Ok(None) };
    let settings = check_settings(&current.scope, settings).map_err(StoreError::InvalidUpdate)?;
    store.set_schedule_settings(id, &settings, now)
}

/// What a run did: the findings run it recorded, why it failed (or was incomplete), and
/// what a trail's poll did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ran {
    pub run_id: Option<String>,
    pub error: Option<String>,
    pub poll: Option<PollStatus>,
}

/// What runs a scope: returns the id of the findings run it recorded, or why it failed (in
/// words, kept as the schedule's last error). [`Runner::run_schedule`] is what the
/// scheduler calls: with the schedule's settings, and room for a trail's poll.
pub trait Runner: Send + Sync {
    fn run(&self, scope: &ScheduleScope) -> Result<String, String>;

    fn run_schedule(&self, scope: &ScheduleScope, _settings: &ScheduleSettings) -> Ran {
        match self.run(scope) {
            Ok(id) => Ran { run_id: Some(id), ..Ran::default() },
            Err(e) => Ran { error: Some(e), ..Ran::default() },
        }
    }
}

/// A run this server claimed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub id: i64,
    pub scope: ScheduleScope,
    pub settings: ScheduleSettings,
    pub why: Why,
    pub started: Timestamp,
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finished {
    pub id: i64,
    pub scope: ScheduleScope,
    /// The run recorded (a trail's poll: its summary), or why it failed.
    pub result: Result<String, String>,
    /// What a trail's poll did.
    pub poll: Option<PollStatus>,
    /// Whether the outcome was recorded (not when the schedule was deleted meanwhile or
    /// the claim was lost).
    pub recorded: bool,
}

/// One server's scheduling (over the store `db`, a SQLite file's path or a `postgres://`
/// URL): its name in claims, its clock, its runner, and the runs it has
/// in flight.
pub struct Scheduler {
    db: PathBuf,
    owner: String,
    clock: Arc<dyn Clock>,
    runner: Arc<dyn Runner>,
    in_flight: Mutex<BTreeSet<i64>>,
}

impl Scheduler {
    /// `owner` names this server in claims: unique per process (host, process id, start).
    pub fn new(db: PathBuf, owner: String, clock: Arc<dyn Clock>, runner: Arc<dyn Runner>) -> Scheduler {
        Scheduler { db, owner, clock, runner, in_flight: Mutex::new(BTreeSet::new()) }
    }

    /// A name for this process's claims: host name, process id and start time.
    pub fn process_owner() -> String {
        let host = std::env::var("HOSTNAME").ok().filter(|h| !h.is_empty()).unwrap_or_else(|| "host".to_string());
        format!("{host}:{}:{}", std::process::id(), crate::now().unix_timestamp_nanos())
    }

    pub fn owner(&self) -> &str {
        &self.owner
    }

    fn in_flight(&self) -> std::sync::MutexGuard<'_, BTreeSet<i64>> {
        self.in_flight.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// One pass: renews the leases of this server's runs in flight, then claims every run
    /// that is due. The caller executes each claimed run ([`Scheduler::execute`]), on a
    /// thread of its own if it likes.
    pub fn pass(&self) -> Result<Vec<Claimed>, StoreError> {
        let mut store = crate::db::open(&self.db, PgMode::Existing)?;
        let now = self.clock.now();
        let running: BTreeSet<i64> = self.in_flight().clone();
        if !running.is_empty() {
            store.renew_schedule_claims(&running.iter().copied().collect::<Vec<_>>(), &self.owner, now + LEASE)?;
        }
        let schedules = store.schedules()?;
        let mut claimed = Vec::new();
        for start in due(&schedules, now, &running) {
            if store.claim_schedule(start.id, &self.owner, now, now + LEASE, start.seen_last_started)? {
                self.in_flight().insert(start.id);
                let settings = schedules.iter().find(|s| s.id == start.id).map(|s| s.settings.clone()).unwrap_or_default();
                claimed.push(Claimed { id: start.id, scope: start.scope, settings, why: start.why, started: now });
            }
        }
        Ok(claimed)
    }

    /// When the next run of a schedule not running is due (a run asked for, or the
    /// earliest next run), so that the caller can sleep until then rather than a whole
    /// tick: `None` when nothing is scheduled.
    pub fn next_due(&self) -> Result<Option<Timestamp>, StoreError> {
        let store = crate::db::open(&self.db, PgMode::Existing)?;
        let now = self.clock.now();
        let running = self.in_flight().clone();
        Ok(store.schedules()?.iter().filter(|s| s.running_at(now).is_none() && !running.contains(&s.id)).filter_map(next_run).min())
    }

    /// Runs a claimed scope and records how it ended (a runner that panics is a failed
    /// run, recorded as such).
    pub fn execute(&self, c: &Claimed) -> Result<Finished, StoreError> {
        let runner = Arc::clone(&self.runner);
        let (scope, settings) = (c.scope.clone(), c.settings.clone());
        let ran =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || runner.run_schedule(&scope, &settings))).unwrap_or_else(|_| {
                Ran { error: Some("the run stopped on an internal error (a panic): see the server's log".to_string()), ..Ran::default() }
            });
        let finished = self.clock.now();
        let recorded = crate::db::open(&self.db, PgMode::Existing).and_then(|mut store| {
            store.finish_schedule_poll(c.id, &self.owner, finished, ran.error.as_deref(), ran.run_id.as_deref(), ran.poll.as_ref())
        });
        self.in_flight().remove(&c.id);
        let result = match (&ran.error, &ran.run_id, &ran.poll) {
            (Some(e), _, _) => Err(e.clone()),
            (None, Some(run), _) => Ok(run.clone()),
            (None, None, Some(p)) => Ok(p.summary.clone()),
            (None, None, None) => Ok(String::new()),
        };
        Ok(Finished { id: c.id, scope: c.scope.clone(), result, poll: ran.poll, recorded: recorded? })
    }
}

/// The AWS settings of scheduled scans: those of `rampart scan aws`.
#[derive(Debug, Clone, Default)]
pub struct AwsSettings {
    /// A named profile of the shared config files; the default credential chain otherwise.
    pub profile: Option<String>,
    /// An AWS-compatible endpoint (an emulator).
    pub endpoint_url: Option<String>,
    /// The regions of an account scope; every enabled region when `None`.
    pub regions: Option<Vec<String>>,
}

/// The real runner: a live collection of the scope with the server's AWS settings, checked
/// and recorded in the database as `rampart scan aws` records (source `aws`).
pub struct AwsRunner {
    pub db: PathBuf,
    pub aws: AwsSettings,
}

impl AwsRunner {
    fn options(&self, regions: Option<Vec<String>>) -> rampart_collect_aws::Options {
        rampart_collect_aws::Options {
            profile: self.aws.profile.clone(),
            regions,
            endpoint_url: self.aws.endpoint_url.clone(),
            ..Default::default()
        }
    }

    fn store(&self) -> Result<Store> {
        crate::db::open(&self.db, PgMode::Existing)
            .with_context(|| format!("cannot open the findings database `{}`", crate::db::shown(&self.db)))
    }

    /// The organisation: every ACTIVE account listed by Organizations, each member read
    /// through the schedule's member role, checked and recorded as one run, as `rampart
    /// scan aws --org` does. Accounts that could not be read are the run's incomplete
    /// list, and the schedule's error names them (the run is still recorded).
    fn scan_org(&self, settings: &ScheduleSettings) -> Ran {
        let Some(name) = settings.member_role.clone() else {
            return Ran {
                error: Some("the organisation scope has no member role: set one (see `rampart iam-policy member-trust`)".into()),
                ..Ran::default()
            };
        };
        let spec = crate::org::AccountsSpec {
            targets: crate::org::Targets::Organization,
            member_role: Some(rampart_collect_aws::org::MemberRole { name, external_id: settings.external_id.clone() }),
            parallel_accounts: crate::org::DEFAULT_PARALLEL_ACCOUNTS,
            collect: self.options(self.aws.regions.clone()),
        };
        let run = || -> Result<(String, Vec<String>)> {
            let started = crate::now();
            let notices = Collected::default();
            let collected = crate::org::collect_accounts(&spec, &notices)?;
            let failed: Vec<String> = collected
                .accounts
                .iter()
                .filter_map(|a| match &a.outcome {
                    crate::org::Outcome::NotAssumed(why) => Some(format!("account {}: {why}", a.id)),
                    _ => None,
                })
                .collect();
            let mut scan = crate::scan::check_inventory(&collected.inventory, "aws", None, started);
            crate::db::record(&mut scan, &mut self.store()?, &notices).context("cannot record the run")?;
            Ok((scan.run.id, failed))
        };
        match run() {
            Ok((id, failed)) if failed.is_empty() => Ran { run_id: Some(id), ..Ran::default() },
            Ok((id, failed)) => Ran {
                run_id: Some(id),
                error: Some(format!("{} account(s) not scanned (the others were): {}", failed.len(), failed.join("; "))),
                ..Ran::default()
            },
            Err(e) => Ran { error: Some(format!("{e:#}")), ..Ran::default() },
        }
    }

    /// One poll of a trail's bucket (change-triggered checks) with the server's credentials.
    fn poll_trail(&self, bucket: &str, prefix: Option<&str>) -> Ran {
        let watch =
            crate::changes::Watch { aws: self.options(None), bucket: bucket.to_string(), prefix: prefix.map(str::to_string), config: None };
        let notices = Collected::default();
        let polled = self.store().and_then(|mut store| crate::changes::poll(&mut store, &watch, &notices));
        match polled {
            Ok(report) => {
                let status = report.status();
                let problems: Vec<&String> = report.unreadable.iter().chain(&report.not_refreshed).collect();
                let error = (!problems.is_empty()).then(|| {
                    let first: Vec<&str> = problems.iter().take(3).map(|s| s.as_str()).collect();
                    format!("{} file(s) or resource(s) not read (tried again at the next poll): {}", problems.len(), first.join("; "))
                });
                Ran { run_id: None, error, poll: Some(status) }
            }
            Err(e) => Ran { error: Some(format!("{e:#}")), ..Ran::default() },
        }
    }

    fn scan(&self, scope: &ScheduleScope) -> Result<String> {
        let (account, regions) = match scope {
            ScheduleScope::Org => return Err(anyhow!("the organisation scope needs its member role: run it through a schedule")),
            ScheduleScope::Trail { .. } => return Err(anyhow!("a trail scope is polled, not scanned: run it through a schedule")),
            ScheduleScope::Account { account } => (account, self.aws.regions.clone()),
            ScheduleScope::Region { account, region } => (account, Some(vec![region.clone()])),
        };
        let opts = self.options(regions);
        let started = crate::now();
        let notices = Collected::default();
        let inv = crate::inputs::collect(&opts, &notices)?;
        let read: Vec<&str> = inv.accounts.iter().map(|a| a.id.as_str()).collect();
        if read != [account.as_str()] {
            return Err(anyhow!(
                "the server's AWS credentials read account {}, not {account}: run the server with credentials of that account (--aws-profile), or schedule the account they belong to",
                read.join(", ")
            ));
        }
        let mut scan = crate::scan::check_inventory(&inv, "aws", None, started);
        crate::db::record(&mut scan, &mut self.store()?, &notices).context("cannot record the run")?;
        Ok(scan.run.id)
    }
}

impl Runner for AwsRunner {
    fn run(&self, scope: &ScheduleScope) -> Result<String, String> {
        self.scan(scope).map_err(|e| format!("{e:#}"))
    }

    fn run_schedule(&self, scope: &ScheduleScope, settings: &ScheduleSettings) -> Ran {
        match scope {
            ScheduleScope::Org => self.scan_org(settings),
            ScheduleScope::Trail { bucket, prefix } => self.poll_trail(bucket, prefix.as_deref()),
            _ => match self.run(scope) {
                Ok(id) => Ran { run_id: Some(id), ..Ran::default() },
                Err(e) => Ran { error: Some(e), ..Ran::default() },
            },
        }
    }
}

/// How long each kind of record is kept, in days; 0 keeps everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Runs (with their gaps and inventory). The latest run, and every run that holds a
    /// finding's latest result, are kept whatever their age.
    pub runs_days: u32,
    /// What each run said of each finding; each finding's latest result is kept.
    pub results_days: u32,
    /// Events whose deliveries are done (delivered or dead letters); pending ones are kept.
    pub events_days: u32,
    /// The audit log.
    pub audit_days: u32,
}

impl Default for Retention {
    fn default() -> Self {
        Retention { runs_days: 365, results_days: 90, events_days: 30, audit_days: 365 }
    }
}

/// What a prune deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Pruned {
    pub runs: usize,
    pub results: usize,
    pub events: usize,
    pub audit: usize,
}

/// Deletes what is older than the retention says, as of `now`. Findings are never deleted,
/// nor their first- and last-seen times or workflow history; each finding keeps its latest
/// result and the run it was last seen in.
pub fn prune(store: &mut Store, r: &Retention, now: Timestamp) -> Result<Pruned, StoreError> {
    let before = |days: u32| (days > 0).then(|| now - Duration::days(i64::from(days)));
    let mut p = Pruned::default();
    if let Some(t) = before(r.results_days) {
        p.results = store.prune_results(t)?;
    }
    if let Some(t) = before(r.runs_days) {
        p.runs = store.prune_runs(t)?;
    }
    if let Some(t) = before(r.events_days) {
        p.events = store.prune_events(t)?;
    }
    if let Some(t) = before(r.audit_days) {
        p.audit = store.prune_audit(t)?;
    }
    Ok(p)
}

#[cfg(test)]
#[path = "schedule_tests.rs"]
mod tests;
