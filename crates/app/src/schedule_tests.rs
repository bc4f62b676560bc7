//! Schedules under a test clock: the 12-hour default, jitter, no overlap (in one server and
//! across two on one database), catch-up after downtime, a dead server's lease; retention.

use super::*;
use time::macros::datetime;

const T0: Timestamp = datetime!(2026-12-01 00:00 UTC);

/// A runner that takes `takes` of the test clock's time and remembers when each run began.
struct Fake {
    clock: Arc<TestClock>,
    takes: Duration,
    starts: Mutex<Vec<(ScheduleScope, Timestamp)>>,
    fail: Option<String>,
}

impl Runner for Fake {
    fn run(&self, scope: &ScheduleScope) -> Result<String, String> {
        self.starts.lock().unwrap().push((scope.clone(), self.clock.now()));
        self.clock.advance(self.takes);
        match &self.fail {
            Some(e) => Err(e.clone()),
            None => Ok(format!("run-{}", self.clock.now().unix_timestamp())),
        }
    }
}

struct World {
    _dir: tempfile::TempDir,
    db: PathBuf,
    clock: Arc<TestClock>,
    fake: Arc<Fake>,
}

fn world(takes: Duration) -> World {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rampart.db");
    Store::open(&db).unwrap();
    let clock = Arc::new(TestClock::new(T0));
    let fake = Arc::new(Fake { clock: Arc::clone(&clock), takes, starts: Mutex::new(Vec::new()), fail: None });
    World { _dir: dir, db, clock, fake }
}

impl World {
    fn scheduler(&self, owner: &str) -> Scheduler {
        Scheduler::new(self.db.clone(), owner.to_string(), self.clock.clone(), self.fake.clone())
    }

    fn store(&self) -> Store {
        Store::open_existing(&self.db).unwrap()
    }

    fn starts(&self) -> Vec<Timestamp> {
        self.fake.starts.lock().unwrap().iter().map(|(_, t)| *t).collect()
    }
}

fn account(id: &str) -> ScheduleScope {
    ScheduleScope::Account { account: id.to_string() }
}

/// Passes every minute until `until`, executing what each claims at once.
fn run_until(w: &World, s: &Scheduler, until: Timestamp) {
    while w.clock.now() < until {
        for c in s.pass().unwrap() {
            assert!(s.execute(&c).unwrap().recorded);
        }
        w.clock.advance(Duration::minutes(1));
    }
}

#[test]
fn the_default_is_every_12_hours_never_later() {
    let w = world(Duration::minutes(20));
    let scope = account("111122223333");
    let created = create(&mut w.store(), &scope, None, false, T0).unwrap();
    assert_eq!(created.interval_secs, 12 * 3600);
    let s = w.scheduler("a");
    run_until(&w, &s, T0 + Duration::days(5));
    let starts = w.starts();
    assert_eq!(starts[0], T0, "a new schedule runs at once");
    let j = jitter(&scope, 12 * 3600);
    assert!(j > Duration::ZERO && j <= Duration::minutes(15), "{j}");
    for pair in starts.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(gap <= Duration::hours(12), "no later than 12 hours after the last start: {gap}");
        assert!(gap >= Duration::hours(12) - Duration::minutes(16), "not much earlier either: {gap}");
    }
    // 5 days at 12 hours less the jitter: 10 or 11 runs, not more.
    assert!((10..=11).contains(&starts.len()), "{starts:?}");
    let row = w.store().schedule(created.id).unwrap().unwrap();
    assert_eq!(row.last_started_at, starts.last().copied());
    assert_eq!(row.last_finished_at, starts.last().map(|t| *t + Duration::minutes(20)));
    assert!(row.last_run_id.is_some() && row.last_error.is_none());
    assert_eq!(next_run(&row), Some(row.last_started_at.unwrap() + Duration::hours(12) - j));
}

#[test]
fn jitter_is_bounded_and_the_same_at_every_start() {
    let scopes: Vec<ScheduleScope> = (0..20).map(|i| account(&format!("1111222233{i:02}"))).collect();
    let first: Vec<Duration> = scopes.iter().map(|s| jitter(s, 12 * 3600)).collect();
    assert_eq!(first, scopes.iter().map(|s| jitter(s, 12 * 3600)).collect::<Vec<_>>());
    assert!(first.iter().all(|j| *j >= Duration::ZERO && *j <= Duration::minutes(15)));
    let distinct: BTreeSet<i64> = first.iter().map(|j| j.whole_seconds()).collect();
    assert!(distinct.len() >= 15, "spread: {distinct:?}");
    // A tenth of a short interval at most.
    assert!(scopes.iter().all(|s| jitter(s, 600) <= Duration::minutes(1)));
}

#[test]
fn no_two_runs_of_a_scope_overlap_in_one_server_or_across_two() {
    let w = world(Duration::minutes(5));
    let id = create(&mut w.store(), &account("111122223333"), None, false, T0).unwrap().id;
    let a = w.scheduler("server-a");
    let b = w.scheduler("server-b");
    let claimed = a.pass().unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].why, Why::First);
    // The run takes 13 hours: a's passes renew its lease and start nothing; b, another
    // server on the same database, starts nothing either.
    for _ in 0..(13 * 60) {
        w.clock.advance(Duration::minutes(1));
        assert!(a.pass().unwrap().is_empty(), "a started a second run at {}", w.clock.now());
        assert!(b.pass().unwrap().is_empty(), "b started a run a holds at {}", w.clock.now());
    }
    assert!(w.store().schedule(id).unwrap().unwrap().running_at(w.clock.now()).is_some());
    let done = a.execute(&claimed[0]).unwrap();
    assert!(done.recorded);
    // Finished 13 hours after its start: overdue, so one run now, by whichever server asks
    // first, and only one.
    let next = b.pass().unwrap();
    assert_eq!(next.len(), 1);
    assert!(a.pass().unwrap().is_empty());
}

#[test]
fn a_run_missed_while_down_runs_once_at_start() {
    let w = world(Duration::minutes(10));
    let id = create(&mut w.store(), &account("111122223333"), None, false, T0).unwrap().id;
    let first = w.scheduler("before");
    run_until(&w, &first, T0 + Duration::hours(1));
    assert_eq!(w.starts().len(), 1);
    // Down for three days: six intervals missed.
    w.clock.advance(Duration::days(3));
    let restarted = w.scheduler("after");
    let claimed = restarted.pass().unwrap();
    assert_eq!(claimed.len(), 1, "one run, not one per missed interval");
    assert!(matches!(claimed[0].why, Why::CatchUp { missed } if missed >= 5), "{:?}", claimed[0].why);
    restarted.execute(&claimed[0]).unwrap();
    let caught_up = w.clock.now();
    run_until(&w, &restarted, caught_up + Duration::hours(11));
    assert_eq!(w.starts().len(), 2, "nothing more until the next interval");
    run_until(&w, &restarted, caught_up + Duration::hours(12));
    assert_eq!(w.starts().len(), 3);
    assert!(w.starts()[2] - w.starts()[1] <= Duration::hours(12));
    assert_eq!(w.store().schedule(id).unwrap().unwrap().last_started_at, Some(w.starts()[2]));
}

#[test]
fn a_server_that_died_mid_run_frees_the_scope_when_its_lease_ends() {
    let w = world(Duration::minutes(1));
    create(&mut w.store(), &account("111122223333"), None, false, T0).unwrap();
    let dead = w.scheduler("dead");
    assert_eq!(dead.pass().unwrap().len(), 1); // claimed, never executed, never renewed
    let other = w.scheduler("other");
    w.clock.advance(LEASE);
    assert!(other.pass().unwrap().is_empty(), "the lease still holds");
    w.clock.advance(Duration::minutes(1));
    let claimed = other.pass().unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].why, Why::First, "the dead run never finished");
    assert!(other.execute(&claimed[0]).unwrap().recorded);
}

#[test]
fn paused_schedules_wait_run_now_does_not_and_failures_are_recorded() {
    let mut w = world(Duration::minutes(1));
    Arc::get_mut(&mut w.fake).unwrap().fail = Some("AccessDenied: sts:GetCallerIdentity".into());
    let mut store = w.store();
    let paused = create(&mut store, &account("111122223333"), Some(3600), true, T0).unwrap();
    let s = w.scheduler("a");
    run_until(&w, &s, T0 + Duration::hours(3));
    assert!(w.starts().is_empty());
    assert_eq!(next_run(&store.schedule(paused.id).unwrap().unwrap()), None);
    assert!(store.request_schedule_run(paused.id, w.clock.now()).unwrap());
    let claimed = s.pass().unwrap();
    assert_eq!(claimed.iter().map(|c| c.why).collect::<Vec<_>>(), [Why::RunNow]);
    let done = s.execute(&claimed[0]).unwrap();
    assert_eq!(done.result, Err("AccessDenied: sts:GetCallerIdentity".to_string()));
    let row = store.schedule(paused.id).unwrap().unwrap();
    assert_eq!(row.last_error.as_deref(), Some("AccessDenied: sts:GetCallerIdentity"));
    assert_eq!((row.paused, row.run_requested_at, next_run(&row)), (true, None, None));
}

#[test]
fn due_starts_the_oldest_first_and_skips_running_ones() {
    let w = world(Duration::minutes(1));
    let mut store = w.store();
    let a = create(&mut store, &account("111111111111"), None, false, T0 + Duration::minutes(2)).unwrap();
    let b = create(&mut store, &account("222222222222"), None, false, T0).unwrap();
    let all = store.schedules().unwrap();
    let now = T0 + Duration::minutes(5);
    assert_eq!(due(&all, now, &BTreeSet::new()).iter().map(|s| s.id).collect::<Vec<_>>(), [b.id, a.id]);
    assert_eq!(due(&all, now, &BTreeSet::from([b.id])).iter().map(|s| s.id).collect::<Vec<_>>(), [a.id]);
    assert!(due(&all, T0 - Duration::minutes(1), &BTreeSet::new()).is_empty());
}

#[test]
fn scopes_and_intervals_are_checked_with_what_to_do() {
    assert_eq!(parse_scope("org", None, None), Ok(ScheduleScope::Org));
    assert_eq!(parse_scope("account", Some(" 111122223333 "), None), Ok(account("111122223333")));
    assert_eq!(
        parse_scope("region", Some("111122223333"), Some("us-gov-west-1")),
        Ok(ScheduleScope::Region { account: "111122223333".into(), region: "us-gov-west-1".into() })
    );
    for (kind, acc, region, says) in [
        ("account", Some("1234"), None, "12 digits"),
        ("account", None, None, "needs an account id"),
        ("region", Some("111122223333"), Some("EU-WEST-1"), "like `eu-west-1`"),
        ("region", Some("111122223333"), None, "needs a region"),
        ("org", Some("111122223333"), None, "takes no account"),
        ("fleet", None, None, "give `org`, `account`, `region` or `trail`"),
    ] {
        let e = parse_scope(kind, acc, region).unwrap_err();
        assert!(e.contains(says), "{kind} {acc:?} {region:?}: {e}");
    }
    assert!(check_interval(60).unwrap_err().contains("between 300"));
    assert!(check_interval(31 * 24 * 3600).is_err());
    assert_eq!(check_interval(3600), Ok(3600));
}

#[test]
fn trail_scopes_are_polled_every_5_minutes_by_default_and_at_most_every_minute() {
    let trail = parse_trail_url("s3://trail-logs/org/main/").unwrap();
    assert_eq!(trail, ScheduleScope::Trail { bucket: "trail-logs".into(), prefix: Some("org/main".into()) });
    assert_eq!(parse_trail_url("s3://trail-logs"), Ok(ScheduleScope::Trail { bucket: "trail-logs".into(), prefix: None }));
    assert_eq!(parse_trail("trail-logs", Some(" / ")), Ok(ScheduleScope::Trail { bucket: "trail-logs".into(), prefix: None }));
    for (url, says) in [
        ("trail-logs", "give s3://BUCKET"),
        ("s3://Trail_Logs", "not an S3 bucket name"),
        ("s3://", "needs the bucket"),
        ("s3://trail-logs/AWSLogs/111122223333", "before `AWSLogs/`"),
    ] {
        let e = parse_trail_url(url).unwrap_err();
        assert!(e.contains(says), "{url}: {e}");
    }
    assert!(parse_scope("trail", None, None).unwrap_err().contains("needs its bucket"));
    assert_eq!(default_interval(&trail), 300);
    assert_eq!(check_interval_for(&trail, 60), Ok(60));
    assert!(check_interval_for(&trail, 59).unwrap_err().contains("between 60"));
    assert!(check_interval_for(&ScheduleScope::Org, 60).unwrap_err().contains("between 300"));

    let w = world(Duration::seconds(5));
    let created = create(&mut w.store(), &trail, None, false, T0).unwrap();
    assert_eq!(created.interval_secs, 300);
    // `--watch-trail` at start: the same scope is kept (not added twice), its interval set.
    let again = ensure(&mut w.store(), &trail, 60, T0).unwrap();
    assert_eq!((again.id, again.interval_secs), (created.id, 60));
    assert_eq!(w.store().schedules().unwrap().len(), 1);
    // Polled about every minute (less its jitter, at most a tenth), never two at once.
    let s = w.scheduler("a");
    run_until(&w, &s, T0 + Duration::minutes(10));
    let starts = w.starts();
    assert!((9..=11).contains(&starts.len()), "{starts:?}");
    assert!(starts.windows(2).all(|p| p[1] - p[0] >= Duration::seconds(54)), "{starts:?}");
}

#[test]
fn the_org_scope_needs_a_member_role_in_its_settings() {
    let role = |name: &str, ext: Option<&str>| ScheduleSettings { member_role: Some(name.into()), external_id: ext.map(str::to_string) };
    assert!(check_settings(&ScheduleScope::Org, &ScheduleSettings::default()).unwrap_err().contains("needs the member role"));
    assert_eq!(check_settings(&ScheduleScope::Org, &role(" audit/Rampart ", Some("ext-1"))), Ok(role("audit/Rampart", Some("ext-1"))));
    assert!(check_settings(&ScheduleScope::Org, &role("bad role", None)).unwrap_err().contains("not an IAM role name"));
    assert!(check_settings(&ScheduleScope::Org, &role("R", Some("x"))).unwrap_err().contains("external id"));
    assert!(check_settings(&account("111122223333"), &role("R", None)).unwrap_err().contains("organisation scope only"));
    assert_eq!(check_settings(&account("111122223333"), &ScheduleSettings::default()), Ok(ScheduleSettings::default()));

    let w = world(Duration::minutes(1));
    let mut store = w.store();
    assert!(create_with(&mut store, &ScheduleScope::Org, None, false, &ScheduleSettings::default(), T0).is_err());
    assert!(store.schedules().unwrap().is_empty(), "nothing added");
    let org = create_with(&mut store, &ScheduleScope::Org, None, false, &role("Rampart", Some("ext-1")), T0).unwrap();
    assert_eq!(org.settings, role("Rampart", Some("ext-1")));
    let changed = update_settings(&mut store, org.id, &role("Other", None), T0).unwrap().unwrap();
    assert_eq!(changed.settings, role("Other", None));
    assert!(update_settings(&mut store, org.id, &ScheduleSettings::default(), T0).is_err());

    // The real runner: without a role the run says what to set; with one it reads AWS (here
    // nothing answers: the error is the collection's, recorded as the schedule's).
    let r = AwsRunner { db: w.db.clone(), aws: AwsSettings { endpoint_url: Some("http://127.0.0.1:9".into()), ..AwsSettings::default() } };
    let ran = r.run_schedule(&ScheduleScope::Org, &ScheduleSettings::default());
    assert!(ran.error.unwrap().contains("no member role"));
    let ran = r.run_schedule(&ScheduleScope::Org, &role("Rampart", None));
    assert!(ran.run_id.is_none() && ran.error.is_some(), "{ran:?}");
    assert!(!ran.error.unwrap().contains("not supported"));
}

/// A runner that polls: its poll's counts are kept with the schedule.
struct Poller;

impl Runner for Poller {
    fn run(&self, _: &ScheduleScope) -> Result<String, String> {
        Err("not used".into())
    }

    fn run_schedule(&self, scope: &ScheduleScope, _: &ScheduleSettings) -> Ran {
        assert!(scope.is_trail());
        Ran {
            run_id: None,
            error: Some("1 file(s) or resource(s) not read".into()),
            poll: Some(PollStatus { files: 2, malformed: 1, errors: 1, updated: 1, summary: "2 file(s)".into(), ..PollStatus::default() }),
        }
    }
}

#[test]
fn a_trail_poll_is_kept_with_its_schedule() {
    let w = world(Duration::minutes(1));
    let trail = parse_trail_url("s3://trail-logs").unwrap();
    let id = create(&mut w.store(), &trail, None, false, T0).unwrap().id;
    let s = Scheduler::new(w.db.clone(), "a".into(), w.clock.clone(), Arc::new(Poller));
    assert_eq!(s.next_due().unwrap(), Some(T0));
    let claimed = s.pass().unwrap();
    assert_eq!(s.next_due().unwrap(), None, "the one schedule is running");
    let done = s.execute(&claimed[0]).unwrap();
    assert!(done.recorded);
    assert_eq!(done.poll.as_ref().map(|p| p.files), Some(2));
    let row = w.store().schedule(id).unwrap().unwrap();
    assert_eq!(row.last_poll.as_ref().map(|p| (p.files, p.malformed, p.errors, p.updated)), Some((2, 1, 1, 1)));
    assert_eq!(row.last_error.as_deref(), Some("1 file(s) or resource(s) not read"));
    assert_eq!(row.last_run_id, None);
    assert!(s.next_due().unwrap().unwrap() > T0);
}

// ---------------------------------------------------------------- retention

/// Records the demo's findings as a run started at `at`, without those `skip` names.
fn record_at(store: &mut Store, id: &str, at: Timestamp, skip: &BTreeSet<String>) {
    let inv = crate::inputs::demo().unwrap();
    let mut scan = crate::scan::check_inventory(&inv, "demo", None, at);
    scan.run.id = id.to_string();
    scan.run.started_at = at;
    scan.run.finished_at = at + Duration::minutes(1);
    scan.findings.retain(|f| !skip.contains(&f.id));
    scan.inventory = None;
    store.record_run(&scan.run, &mut scan.findings, &scan.gaps).unwrap();
}

#[test]
fn retention_keeps_every_finding_its_history_and_the_run_it_was_last_seen_in() {
    let mut store = Store::open_in_memory().unwrap();
    let inv = crate::inputs::demo().unwrap();
    let all: Vec<String> = crate::scan::check_inventory(&inv, "demo", None, T0).findings.into_iter().map(|f| f.id).collect();
    // A few findings are seen only by the first run (their resource went away).
    let gone: BTreeSet<String> = all.iter().take(5).cloned().collect();
    record_at(&mut store, "run-1", T0, &BTreeSet::new());
    record_at(&mut store, "run-2", T0 + Duration::days(100), &gone);
    record_at(&mut store, "run-3", T0 + Duration::days(200), &gone);
    let history = |s: &Store| -> Vec<usize> { all.iter().map(|id| s.workflow_history(id).unwrap().len()).collect() };
    let before = history(&store);
    let findings_before = store.count_findings(&Default::default()).unwrap();

    let now = T0 + Duration::days(250);
    let r = Retention { runs_days: 30, results_days: 30, events_days: 30, audit_days: 30 };
    let p = prune(&mut store, &r, now).unwrap();
    assert_eq!(p.runs, 1, "{p:?}");
    let runs: Vec<String> = store.runs().unwrap().into_iter().map(|r| r.id).collect();
    assert_eq!(runs.len(), 2);
    assert!(runs.contains(&"run-1".to_string()) && runs.contains(&"run-3".to_string()), "{runs:?}");
    // Every finding stays, with its history and its latest result, in a run that exists.
    assert_eq!(store.count_findings(&Default::default()).unwrap(), findings_before);
    assert_eq!(history(&store), before);
    for id in &all {
        let results = store.finding_results(id).unwrap();
        let want = if gone.contains(id) { "run-1" } else { "run-3" };
        assert_eq!(results.iter().map(|r| r.run_id.as_str()).collect::<Vec<_>>(), [want], "{id}");
        let f = store.finding(id).unwrap();
        assert_eq!(f.first_observed, T0, "{id}: first seen kept");
        assert_eq!(results[0].observed_at, f.last_observed, "{id}: last seen is its kept result's");
    }
    // Again: nothing more to delete.
    assert_eq!(prune(&mut store, &r, now).unwrap(), Pruned::default());
    // 0 keeps everything.
    let keep = Retention { runs_days: 0, results_days: 0, events_days: 0, audit_days: 0 };
    assert_eq!(prune(&mut store, &keep, now + Duration::days(3650)).unwrap(), Pruned::default());
}

#[test]
fn retention_never_deletes_the_latest_run_nor_recent_ones() {
    let mut store = Store::open_in_memory().unwrap();
    record_at(&mut store, "run-1", T0, &BTreeSet::new());
    record_at(&mut store, "run-2", T0 + Duration::days(1), &BTreeSet::new());
    let r = Retention { runs_days: 1, results_days: 1, events_days: 1, audit_days: 1 };
    // Both past retention: run-2 is the latest, and it holds every finding's latest result.
    let p = prune(&mut store, &r, T0 + Duration::days(400)).unwrap();
    assert_eq!((p.runs, p.results > 0), (1, true), "{p:?}");
    assert_eq!(store.runs().unwrap().iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["run-2"]);
    // Within retention: nothing.
    let mut store = Store::open_in_memory().unwrap();
    record_at(&mut store, "run-1", T0, &BTreeSet::new());
    record_at(&mut store, "run-2", T0 + Duration::days(1), &BTreeSet::new());
    assert_eq!(prune(&mut store, &Retention::default(), T0 + Duration::days(2)).unwrap(), Pruned::default());
}
