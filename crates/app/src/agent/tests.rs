use super::*;
use crate::Collected;
use rampart_model::Observed;
use std::cell::{Cell, RefCell};

fn doc(host: &str, at: Timestamp) -> Telemetry {
    let mut t = Telemetry::from_json(r#"{"schema_version":2,"collected_at":"2026-12-07T10:00:00Z","root":"/","host":{}}"#).unwrap();
    t.host.hostname = Observed::Known(host.to_string());
    t.collected_at = at;
    t
}

fn t0() -> Timestamp {
    time::macros::datetime!(2026-12-07 10:00 UTC)
}

/// A clock that only moves when slept.
struct TestClock(Cell<Timestamp>);

impl Clock for TestClock {
    fn now(&self) -> Timestamp {
        self.0.get()
    }
    fn sleep(&self, d: Duration) {
        self.0.set(self.0.get() + d);
    }
}

/// A server that is down until `up_at`, keeping what it receives.
struct FakeServer<'a> {
    clock: &'a TestClock,
    up_at: Timestamp,
    got: RefCell<Vec<Timestamp>>,
    refuse: Cell<Option<SendError>>,
}

impl Uploader for FakeServer<'_> {
    fn send(&self, body: &[u8]) -> Result<(), SendError> {
        if let Some(e) = self.refuse.take() {
            return Err(e);
        }
        if self.clock.now() < self.up_at {
            return Err(SendError::Retry("connection refused".into()));
        }
        let t = rampart_host::upload::decode(body, Some("gzip"), &LIMITS).unwrap();
        self.got.borrow_mut().push(t.collected_at);
        Ok(())
    }
}

#[test]
fn intervals_read_as_written() {
    assert_eq!(parse_interval("1h"), Ok(Duration::from_secs(3600)));
    assert_eq!(parse_interval("30m"), Ok(Duration::from_secs(1800)));
    assert_eq!(parse_interval("90"), Ok(Duration::from_secs(90)));
    assert!(parse_interval("1x").unwrap_err().contains("unknown unit"));
    assert!(parse_interval("5s").unwrap_err().contains("too short"));
    assert!(parse_interval("h").is_err());
}

#[test]
fn backoff_doubles_up_to_its_cap_with_a_bounded_spread() {
    let mut b = Backoff::new(Duration::from_secs(30), Duration::from_secs(600), 0.0);
    let delays: Vec<u64> = (0..7).map(|_| b.next_delay().as_secs()).collect();
    assert_eq!(delays, [30, 60, 120, 240, 480, 600, 600]);
    b.reset();
    assert_eq!(b.next_delay().as_secs(), 30);
    let mut spread = Backoff::new(Duration::from_secs(40), Duration::from_secs(600), 0.999);
    let d = spread.next_delay().as_secs();
    assert!((40..=50).contains(&d), "{d}");
    for _ in 0..40 {
        assert!(spread.next_delay() <= Duration::from_secs(600));
    }
}

#[test]
fn the_spool_keeps_order_and_drops_the_oldest_past_its_bounds() {
    let dir = tempfile::tempdir().unwrap();
    let spool = spool::Spool::open(&dir.path().join("s"), 3, 1 << 20).unwrap();
    for i in 0..3 {
        assert!(spool.push(format!("body {i}").as_bytes(), t0() + time::Duration::seconds(i)).unwrap().is_empty());
    }
    let dropped = spool.push(b"body 3", t0() + time::Duration::seconds(3)).unwrap();
    assert_eq!(dropped.len(), 1);
    let bodies: Vec<String> = spool.list().unwrap().iter().map(|p| std::fs::read_to_string(p).unwrap()).collect();
    assert_eq!(bodies, ["body 1", "body 2", "body 3"]);
    // By size: 10 bytes at most keeps only the newest (never the body just written).
    let small = spool::Spool::open(&dir.path().join("t"), 100, 10).unwrap();
    small.push(b"0123456789", t0()).unwrap();
    assert_eq!(small.push(b"abcdefghij", t0() + time::Duration::seconds(1)).unwrap().len(), 1);
    assert_eq!(small.list().unwrap().len(), 1);
    // A temporary file of a crashed write is not a spooled body.
    std::fs::write(dir.path().join("t").join(".x.json.gz.tmp"), b"half").unwrap();
    assert_eq!(small.list().unwrap().len(), 1);
}

#[test]
fn while_the_server_is_down_documents_are_spooled_then_delivered_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock(Cell::new(t0()));
    // Down for the first 2.5 hours.
    let server =
        FakeServer { clock: &clock, up_at: t0() + time::Duration::minutes(150), got: RefCell::new(Vec::new()), refuse: Cell::new(None) };
    let notify = Collected::default();
    let collect = |now: Timestamp| doc("web-1", now);
    let agent =
        Agent { spool: spool::Spool::open(dir.path(), 100, 1 << 30).unwrap(), uploader: &server, collect: &collect, notify: &notify };
    let mut backoff = Backoff::new(Duration::from_secs(60), Duration::from_secs(600), 0.0);
    let end = t0() + time::Duration::minutes(200);
    run_loop(&agent, Duration::from_secs(3600), &mut backoff, &clock, &|| clock.now() >= end).unwrap();
    let warnings = notify.warnings();
    assert!(warnings.iter().any(|w| w.contains("connection refused; retrying in 60 s")), "{warnings:?}");
    assert!(warnings.iter().any(|w| w.contains("retrying in 120 s")), "backoff doubled: {warnings:?}");
    // Collected at 0, 60, 120 and 180 minutes; the first three delivered together once the
    // server was up (at the retry at 150 minutes: retries every 10 minutes at most), oldest
    // first; the last at once.
    let want: Vec<Timestamp> = [0, 60, 120, 180].iter().map(|m| t0() + time::Duration::minutes(*m)).collect();
    assert_eq!(*server.got.borrow(), want);
    assert!(agent.spool.list().unwrap().is_empty());
    let infos: Vec<String> = notify.take().into_iter().filter(|(l, _)| *l == crate::Level::Info).map(|(_, t)| t).collect();
    assert_eq!(infos, ["delivered 3 document(s)", "delivered 1 document(s)"]);
}

#[test]
fn a_rejected_document_is_dropped_and_a_refused_token_keeps_the_spool() {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock(Cell::new(t0()));
    let server = FakeServer { clock: &clock, up_at: t0(), got: RefCell::new(Vec::new()), refuse: Cell::new(None) };
    let notify = Collected::default();
    let collect = |now: Timestamp| doc("web-1", now);
    let agent =
        Agent { spool: spool::Spool::open(dir.path(), 100, 1 << 30).unwrap(), uploader: &server, collect: &collect, notify: &notify };
    agent.collect_and_spool(t0()).unwrap();
    server.refuse.set(Some(SendError::Unauthorized("HTTP 401".into())));
    let d = agent.deliver().unwrap();
    assert_eq!((d.delivered, d.stopped), (0, Some(SendError::Unauthorized("HTTP 401".into()))));
    assert_eq!(agent.spool.list().unwrap().len(), 1, "kept for when the token is fixed");
    server.refuse.set(Some(SendError::Rejected("HTTP 413".into())));
    let d = agent.deliver().unwrap();
    assert_eq!((d.delivered, d.rejected, d.stopped), (0, 1, None));
    assert!(agent.spool.list().unwrap().is_empty());
    assert!(notify.warnings().iter().any(|w| w.contains("HTTP 413; dropped")));
}

#[test]
fn tokens_are_issued_once_kept_as_digests_and_revoked() {
    let mut s = Store::open_in_memory().unwrap();
    let token = issue(&mut s, "web-1", "admin", t0()).unwrap();
    assert!(is_agent_token(&token) && token.len() == TOKEN_PREFIX.len() + 64);
    assert_eq!(s.agent_by_token(&digest(&token)).unwrap().unwrap().name, "web-1");
    let taken = issue(&mut s, "web-1", "admin", t0()).unwrap_err();
    assert!(matches!(&taken, IssueError::Exists(n) if n == "web-1"), "{taken:?}");
    assert!(taken.to_string().contains("exists"), "{taken}");
    assert!(matches!(issue(&mut s, "web 1; drop", "admin", t0()), Err(IssueError::BadName(_))));
    revoke(&mut s, "web-1", t0()).unwrap();
    assert!(s.agent_by_token(&digest(&token)).unwrap().is_none());
    assert!(revoke(&mut s, "nobody", t0()).unwrap_err().to_string().contains("no agent `nobody`"));
}

#[test]
fn uploads_bind_the_token_to_a_host_and_silence_is_two_intervals() {
    let mut s = Store::open_in_memory().unwrap();
    issue(&mut s, "web-1", "admin", t0()).unwrap();
    let meta = AgentMeta::from_headers(Some("rampart-agent/1.2.3"), Some("600"));
    assert_eq!((meta.version.as_str(), meta.interval_seconds), ("1.2.3", Some(600)));
    let r = store_upload(&mut s, "web-1", &doc("web-1", t0()), &meta, t0()).unwrap().unwrap();
    assert_eq!(r.host, "web-1");
    let other = store_upload(&mut s, "web-1", &doc("db-1", t0()), &meta, t0()).unwrap().unwrap_err();
    assert!(matches!(other, Refusal::OtherHost { .. }), "{other}");
    assert_eq!(s.telemetry_count(None).unwrap(), 1);
    let a = s.agent("web-1").unwrap().unwrap();
    assert!(!is_silent(&a, t0() + time::Duration::seconds(1200)));
    assert!(is_silent(&a, t0() + time::Duration::seconds(1201)));
    // Documents older than the retention are pruned at the next upload.
    let later = t0() + time::Duration::days(RETENTION_DAYS) + time::Duration::seconds(1);
    store_upload(&mut s, "web-1", &doc("web-1", later), &meta, later).unwrap().unwrap();
    assert_eq!(s.telemetry_count(None).unwrap(), 1);
}

#[test]
fn a_second_token_cannot_take_over_a_bound_host() {
    let mut s = Store::open_in_memory().unwrap();
    issue(&mut s, "web-1", "admin", t0()).unwrap();
    issue(&mut s, "intruder", "admin", t0()).unwrap();
    let meta = AgentMeta::default();
    store_upload(&mut s, "web-1", &doc("web-1", t0()), &meta, t0()).unwrap().unwrap();
    let refused = store_upload(&mut s, "intruder", &doc("web-1", t0()), &meta, t0()).unwrap().unwrap_err();
    assert!(matches!(refused, Refusal::HostTaken { .. }), "{refused}");
    assert!(refused.to_string().contains("bound to agent `web-1`"), "{refused}");
    assert_eq!(s.telemetry_count(Some("intruder")).unwrap(), 0);
}

#[test]
fn the_agents_own_interval_is_capped_at_a_day() {
    let meta = AgentMeta::from_headers(None, Some("31536000"));
    assert_eq!(meta.interval_seconds, Some(MAX_INTERVAL.as_secs()));
    let mut s = Store::open_in_memory().unwrap();
    issue(&mut s, "web-1", "admin", t0()).unwrap();
    store_upload(&mut s, "web-1", &doc("web-1", t0()), &meta, t0()).unwrap().unwrap();
    let a = s.agent("web-1").unwrap().unwrap();
    assert!(is_silent(&a, t0() + time::Duration::days(2) + time::Duration::seconds(1)), "silent after two days whatever it said");
    assert!(parse_interval("2d").unwrap_err().contains("at most 1d"));
    assert_eq!(parse_interval("1d").unwrap(), MAX_INTERVAL);
}

#[test]
fn a_template_targeting_the_host_runs_once_per_window() {
    let mut s = Store::open_in_memory().unwrap();
    issue(&mut s, "web-1", "admin", t0()).unwrap();
    let sel = rampart_hub::TargetSelector { tags: Default::default(), hosts: vec!["web-*".into()] };
    s.create_target("web", &sel, t0()).unwrap();
    s.create_template("web-cis", "web", &["cis".to_string()], 3600, t0()).unwrap();
    let other = rampart_hub::TargetSelector { tags: Default::default(), hosts: vec!["db-*".into()] };
    s.create_target("db", &other, t0()).unwrap();
    s.create_template("db-cis", "db", &["cis".to_string()], 3600, t0()).unwrap();
    let now = crate::now();
    let t = doc("web-1", now);
    store_upload(&mut s, "web-1", &t, &AgentMeta::default(), now).unwrap().unwrap();
    assert_eq!(due_templates(&s, &t, now).unwrap(), ["web-cis"]);
    let notify = Collected::default();
    let no_db = || -> Result<VulnStore> { bail!("no vulnerability database") };
    let done = run_due_assessments(&crate::assess::Direct::new(&mut s), &t, now, &no_db, &notify).unwrap();
    assert_eq!(done.len(), 1, "{:?}", notify.take());
    assert_eq!(done[0].run.hosts, ["web-1"]);
    assert!(due_templates(&s, &t, crate::now()).unwrap().is_empty(), "not again within its window");
}

#[test]
fn two_instances_sharing_a_hostname_are_both_assessed() {
    let mut s = Store::open_in_memory().unwrap();
    issue(&mut s, "a", "admin", t0()).unwrap();
    issue(&mut s, "b", "admin", t0()).unwrap();
    let sel = rampart_hub::TargetSelector { tags: Default::default(), hosts: vec!["web-*".into()] };
    s.create_target("web", &sel, t0()).unwrap();
    s.create_template("web-cis", "web", &["cis".to_string()], 3600, t0()).unwrap();
    let now = crate::now();
    let mut first = doc("web-1", now);
    first.host.ec2_instance_id = Observed::Known(Some("i-0aaa".into()));
    let mut second = doc("web-1", now);
    second.host.ec2_instance_id = Observed::Known(Some("i-0bbb".into()));
    store_upload(&mut s, "a", &first, &AgentMeta::default(), now).unwrap().unwrap();
    store_upload(&mut s, "b", &second, &AgentMeta::default(), now).unwrap().unwrap();
    let notify = Collected::default();
    let no_db = || -> Result<VulnStore> { bail!("no vulnerability database") };
    let done = run_due_assessments(&crate::assess::Direct::new(&mut s), &second, now, &no_db, &notify).unwrap();
    assert_eq!(done.len(), 1, "{:?}", notify.take());
    assert_eq!(done[0].run.hosts, ["web-1", "web-1"], "one host id, one host: not one hostname");
}

#[cfg(unix)]
#[test]
fn the_spool_never_changes_an_existing_directorys_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o7777;
    let created = dir.path().join("new");
    spool::Spool::open(&created, 10, 1 << 20).unwrap();
    assert_eq!(mode(&created), 0o700, "a directory it creates is private");
    let shared = dir.path().join("tmp");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).unwrap();
    let e = spool::Spool::open(&shared, 10, 1 << 20).err().unwrap().to_string();
    assert!(e.contains("can be written by other users") && e.contains("1777"), "{e}");
    assert_eq!(mode(&shared), 0o1777, "the sticky bit is kept");
    let own = dir.path().join("own");
    std::fs::create_dir(&own).unwrap();
    std::fs::set_permissions(&own, std::fs::Permissions::from_mode(0o755)).unwrap();
    spool::Spool::open(&own, 10, 1 << 20).unwrap();
    assert_eq!(mode(&own), 0o755, "an existing directory is used as it is");
}

#[test]
fn the_token_goes_over_https_or_to_loopback_only() {
    assert_eq!(
        upload::upload_url("https://rampart.example:8443/").unwrap().to_string(),
        "https://rampart.example:8443/api/v1/agents/telemetry"
    );
    for ok in ["http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080", "http://127.8.9.10"] {
        assert!(upload::upload_url(ok).is_ok(), "{ok}");
    }
    for refused in ["http://10.0.0.1:8080", "http://rampart.example", "http://127.0.0.1.nip.io"] {
        let e = upload::upload_url(refused).unwrap_err().to_string();
        assert!(e.contains("refusing to send the agent token over plain http"), "{refused}: {e}");
    }
    assert!(upload::upload_url("ftp://x").unwrap_err().to_string().contains("not an https:// URL"));
    assert!(upload::Https::new("https://x", "two words", None, DEFAULT_INTERVAL).is_err());
}

/// The server's shape: one write connection behind a lock and a read-only connection beside
/// it, recording whether the write connection is held.
struct Locked {
    writer: std::sync::Mutex<Store>,
    reader: Store,
    held: Cell<bool>,
}

impl crate::assess::StoreAccess for Locked {
    fn write(&self, f: &mut dyn FnMut(&mut Store) -> Result<()>) -> Result<()> {
        let mut s = self.writer.lock().unwrap();
        self.held.set(true);
        let r = f(&mut s);
        self.held.set(false);
        r
    }
    fn read(&self, f: &mut dyn FnMut(&Store) -> Result<()>) -> Result<()> {
        f(&self.reader)
    }
}

/// An upload's assessment takes the write connection only for its short steps: while the
/// vulnerability database is opened and the hosts are evaluated, another writer gets it.
#[test]
fn an_assessment_does_not_hold_the_write_connection_while_it_evaluates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rampart.db");
    let now = crate::now();
    let t = doc("web-1", now);
    {
        let mut s = Store::open(&path).unwrap();
        issue(&mut s, "web-1", "admin", t0()).unwrap();
        let sel = rampart_hub::TargetSelector { tags: Default::default(), hosts: vec!["web-*".into()] };
        s.create_target("web", &sel, t0()).unwrap();
        s.create_template("web-all", "web", &["cis".to_string(), "cve".to_string()], 3600, t0()).unwrap();
        store_upload(&mut s, "web-1", &t, &AgentMeta::default(), now).unwrap().unwrap();
        // A read-only connection needs a recorded run in the file.
        let inv = crate::inputs::demo().unwrap();
        crate::scan::check_inventory(&inv, "demo", None, now).record(&mut s).unwrap();
    }
    let access = Locked {
        writer: std::sync::Mutex::new(Store::open(&path).unwrap()),
        reader: Store::open_read_only(&path).unwrap(),
        held: Cell::new(false),
    };
    let free_while_evaluating = Cell::new(None);
    let vulndb = || -> Result<VulnStore> {
        // Another writer, meanwhile: it gets the connection at once.
        let other = access.writer.try_lock();
        free_while_evaluating.set(Some(other.is_ok() && !access.held.get()));
        bail!("no vulnerability database here")
    };
    let notify = Collected::default();
    let done = run_due_assessments(&access, &t, now, &vulndb, &notify).unwrap();
    assert_eq!(free_while_evaluating.get(), Some(true), "the write connection was held while evaluating");
    // The failure is still stored, through a short write.
    assert!(done.is_empty());
    let runs = access.writer.lock().unwrap().assessment_runs().unwrap();
    assert_eq!(runs.iter().map(|r| r.state).collect::<Vec<_>>(), [rampart_hub::AssessmentState::Failed], "{:?}", notify.take());
}

/// Runs `before` on the store at the first write, as another upload's assessment that
/// started between this one's look at what is due and its start.
struct Racing<'a> {
    store: RefCell<&'a mut Store>,
    before: RefCell<Option<Box<dyn FnOnce(&mut Store) + 'a>>>,
}

impl crate::assess::StoreAccess for Racing<'_> {
    fn write(&self, f: &mut dyn FnMut(&mut Store) -> Result<()>) -> Result<()> {
        let mut store = self.store.borrow_mut();
        if let Some(before) = self.before.borrow_mut().take() {
            before(&mut store);
        }
        f(&mut store)
    }
}

/// Two uploads that both found a template due start one run of it: the second sees the
/// first's run in the write that would start its own.
#[test]
fn a_template_due_for_two_uploads_at_once_runs_once() {
    let mut s = Store::open_in_memory().unwrap();
    issue(&mut s, "web-1", "admin", t0()).unwrap();
    let sel = rampart_hub::TargetSelector { tags: Default::default(), hosts: vec!["web-*".into()] };
    s.create_target("web", &sel, t0()).unwrap();
    s.create_template("web-cis", "web", &["cis".to_string()], 3600, t0()).unwrap();
    let now = crate::now();
    let t = doc("web-1", now);
    store_upload(&mut s, "web-1", &t, &AgentMeta::default(), now).unwrap().unwrap();
    let no_db = || -> Result<VulnStore> { bail!("no vulnerability database") };
    let notify = Collected::default();
    let other = t.clone();
    let racing = Racing {
        store: RefCell::new(&mut s),
        before: RefCell::new(Some(Box::new(move |store: &mut Store| {
            let quiet = Collected::default();
            let first = run_due_assessments(&crate::assess::Direct::new(store), &other, now, &no_db, &quiet).unwrap();
            assert_eq!(first.len(), 1);
        }))),
    };
    let second = run_due_assessments(&racing, &t, now, &no_db, &notify).unwrap();
    assert!(second.is_empty(), "{:?}", notify.take());
    drop(racing);
    assert_eq!(s.assessment_runs().unwrap().len(), 1, "one run of the template in its window");
}
