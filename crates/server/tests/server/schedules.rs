//! Schedules: the API by role (viewers read, analysts run now, admins add, edit and
//! delete), a scheduled scan of moto by the real runner seen through the API and the
//! console, two servers on one database running a scope once, and the page in Chromium.
//! (The timing properties — 12-hour default, jitter, no overlap, catch-up — are proved
//! under a test clock in `rampart_app::schedule`'s tests.)

#[path = "../../../../testdata/moto/harness.rs"]
mod harness;

use crate::common::{bearer, demo_db, root, TestServer, PASSWORD};
use crate::http::Client;
use rampart_app::schedule::{AwsRunner, AwsSettings, Runner, ScheduleScope};
use rampart_server::{Options, Role};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn call(s: &TestServer, token: &str, method: &str, path: &str, body: Value) -> (u16, Value) {
    let auth = bearer(token);
    let r = s.client.request(method, path, &[("Authorization", &auth), ("Content-Type", "application/json")], body.to_string().as_bytes());
    let v = if r.body.is_empty() { Value::Null } else { serde_json::from_str(&r.body).unwrap_or(Value::String(r.body.clone())) };
    (r.status, v)
}

/// A server over a fresh demo database whose scheduler runs with `runner`, passing every
/// second.
fn scheduled_server(runner: impl FnOnce(&std::path::Path) -> Arc<dyn Runner>) -> TestServer {
    std::env::set_var("RAMPART_SCHEDULE_TICK", "1"); // this test's own process (nextest)
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rampart.db");
    let planted = demo_db(&db);
    let accounts = rampart_server::open_accounts(&db).unwrap();
    for role in Role::ALL {
        rampart_server::add_user(accounts.as_ref(), role.as_str(), role, PASSWORD).unwrap();
    }
    let opts = Options { listen: "127.0.0.1:0".parse().unwrap(), db: db.clone(), tls: None };
    let running = rampart_server::start_scheduled(&opts, Arc::clone(&accounts), runner(&db)).unwrap();
    let client = Client { addr: running.addr, tls: None };
    TestServer { client, dir, planted, accounts, running: Some(running), db, pg: None }
}

/// Polls the schedules until `done` holds for schedule `id`; returns it.
fn wait_schedule(s: &TestServer, token: &str, id: i64, secs: u64, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let (status, all) = call(s, token, "GET", "/api/v1/schedules", Value::Null);
        assert_eq!(status, 200, "{all}");
        let one = all.as_array().unwrap().iter().find(|v| v["id"] == id).cloned().expect("the schedule is listed");
        if done(&one) {
            return one;
        }
        assert!(Instant::now() < deadline, "schedule {id} did not get there within {secs} s: {one}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn schedules_through_the_api_by_role() {
    let s = TestServer::start();
    let (admin, analyst, viewer) = (s.token(Role::Admin), s.token(Role::Analyst), s.token(Role::Viewer));
    let (status, created) = call(&s, &admin, "POST", "/api/v1/schedules", json!({"kind": "account", "account": "111122223333"}));
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["interval_seconds"], 43_200, "the default is 12 hours");
    assert_eq!(created["scope"]["label"], "account 111122223333");
    assert_eq!(created["paused"], false);
    assert!(created["last_started"].is_null() && created["running"].is_null());
    assert!(created["next_run"].is_string(), "a new schedule is due at once: {created}");
    let id = created["id"].as_i64().unwrap();

    // One per scope; bad scopes and intervals say what to do.
    for (body, says) in [
        (json!({"kind": "account", "account": "111122223333"}), "has a schedule already"),
        (json!({"kind": "account", "account": "1234"}), "12 digits"),
        (json!({"kind": "region", "account": "111122223333", "region": "Mars"}), "like `eu-west-1`"),
        (json!({"kind": "region", "account": "111122223333", "region": "eu-west-1", "interval_seconds": 10}), "between 300"),
        (json!({"kind": "account", "acount": "111122223333"}), "unknown field"),
    ] {
        let (status, e) = call(&s, &admin, "POST", "/api/v1/schedules", body.clone());
        assert_eq!(status, 400, "{body}: {e}");
        assert!(e["error"].as_str().unwrap().contains(says), "{body}: {e}");
    }

    // Viewers read; they and analysts may not add; analysts may run now, viewers not.
    let (status, list) = call(&s, &viewer, "GET", "/api/v1/schedules", Value::Null);
    assert_eq!((status, list.as_array().unwrap().len()), (200, 1), "{list}");
    assert_eq!(call(&s, &analyst, "POST", "/api/v1/schedules", json!({"kind": "org"})).0, 403);
    assert_eq!(call(&s, &viewer, "POST", &format!("/api/v1/schedules/{id}/run"), Value::Null).0, 403);
    let (status, asked) = call(&s, &analyst, "POST", &format!("/api/v1/schedules/{id}/run"), Value::Null);
    assert_eq!((status, &asked["run_requested"]), (202, &json!(true)), "{asked}");

    // Admins edit and delete.
    assert_eq!(call(&s, &analyst, "PUT", &format!("/api/v1/schedules/{id}"), json!({"interval_seconds": 3600, "paused": true})).0, 403);
    let (status, edited) = call(&s, &admin, "PUT", &format!("/api/v1/schedules/{id}"), json!({"interval_seconds": 3600, "paused": true}));
    assert_eq!(status, 200, "{edited}");
    assert_eq!((&edited["interval_seconds"], &edited["paused"]), (&json!(3600), &json!(true)));
    assert_eq!(call(&s, &admin, "PUT", "/api/v1/schedules/999", json!({"interval_seconds": 3600, "paused": true})).0, 404);
    assert_eq!(call(&s, &admin, "PUT", "/api/v1/schedules/abc", json!({"interval_seconds": 3600, "paused": true})).0, 404);
    assert_eq!(call(&s, &admin, "DELETE", &format!("/api/v1/schedules/{id}"), Value::Null).0, 204);
    assert_eq!(call(&s, &admin, "DELETE", &format!("/api/v1/schedules/{id}"), Value::Null).0, 404);
    assert_eq!(call(&s, &analyst, "POST", &format!("/api/v1/schedules/{id}/run"), Value::Null).0, 404);
}

/// The moto test account's id.
const MOTO_ACCOUNT: &str = "123456789012";

#[test]
fn a_scheduled_scan_of_moto_is_recorded_and_shown_and_a_wrong_account_is_an_error() {
    for (k, v) in [
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_CONFIG_FILE", "/dev/null"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ] {
        std::env::set_var(k, v); // this test's own process (nextest)
    }
    std::env::remove_var("AWS_PROFILE");
    let moto = harness::moto();
    let url = moto.url.clone();
    let s = scheduled_server(|db| {
        let runner: Arc<dyn Runner> = Arc::new(AwsRunner {
            db: db.to_path_buf(),
            aws: AwsSettings { profile: None, endpoint_url: Some(url), regions: Some(vec!["us-east-1".into()]) },
        });
        runner
    });
    let admin = s.token(Role::Admin);
    let (status, created) =
        call(&s, &admin, "POST", "/api/v1/schedules", json!({"kind": "region", "account": MOTO_ACCOUNT, "region": "eu-west-1"}));
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_i64().unwrap();
    let done = wait_schedule(&s, &admin, id, 240, |v| v["last_finished"].is_string());
    assert!(done["last_error"].is_null(), "{done}");
    assert!(done["running"].is_null(), "{done}");
    assert!(done["last_duration_seconds"].as_i64().unwrap() >= 0);
    let next = time::OffsetDateTime::parse(done["next_run"].as_str().unwrap(), &time::format_description::well_known::Rfc3339).unwrap();
    let last = time::OffsetDateTime::parse(done["last_started"].as_str().unwrap(), &time::format_description::well_known::Rfc3339).unwrap();
    let gap = next - last;
    assert!(gap <= time::Duration::hours(12) && gap >= time::Duration::hours(12) - time::Duration::minutes(15), "{gap}");
    // The run it recorded: source aws, the account and the one region of the scope.
    let run_id = done["last_run_id"].as_str().unwrap().to_string();
    let (_, runs) = call(&s, &admin, "GET", "/api/v1/runs", Value::Null);
    let runs = runs.as_array().cloned().unwrap_or_else(|| runs["runs"].as_array().cloned().unwrap());
    let run = runs.iter().find(|r| r["id"] == run_id.as_str()).unwrap_or_else(|| panic!("{run_id} not in {runs:?}"));
    assert_eq!(run["source"], "aws", "{run}");
    assert_eq!(run["accounts"], json!([MOTO_ACCOUNT]), "{run}");
    assert_eq!(
        run["regions"].as_array().unwrap().iter().filter(|r| r.as_str() != Some("global")).collect::<Vec<_>>(),
        [&json!("eu-west-1")],
        "{run}"
    );
    // Not run again within its interval.
    std::thread::sleep(Duration::from_secs(3));
    let again = wait_schedule(&s, &admin, id, 5, |_| true);
    assert_eq!(again["last_run_id"], done["last_run_id"]);

    // Credentials of another account than the scope's: the run fails, recorded, nothing stored.
    let (_, other) = call(&s, &admin, "POST", "/api/v1/schedules", json!({"kind": "account", "account": "111122223333"}));
    let other_id = other["id"].as_i64().unwrap();
    let failed = wait_schedule(&s, &admin, other_id, 240, |v| v["last_finished"].is_string());
    let e = failed["last_error"].as_str().unwrap();
    assert!(e.contains("read account 123456789012, not 111122223333"), "{e}");
    assert!(failed["last_run_id"].is_null());

    // The organisation needs its member role; moto's account is in no organisation: the
    // run says it cannot list the accounts (the scan of a real organisation is
    // `schedules_an_org_schedule_scans_every_member_account_through_its_role`).
    let (status, e) = call(&s, &admin, "POST", "/api/v1/schedules", json!({"kind": "org"}));
    assert_eq!(status, 400, "{e}");
    assert!(e["error"].as_str().unwrap().contains("needs the member role"), "{e}");
    let (status, org) = call(&s, &admin, "POST", "/api/v1/schedules", json!({"kind": "org", "member_role": "RampartAudit"}));
    assert_eq!(status, 201, "{org}");
    assert_eq!(org["member_role"], "RampartAudit");
    let org = wait_schedule(&s, &admin, org["id"].as_i64().unwrap(), 120, |v| v["last_finished"].is_string());
    assert!(org["last_error"].as_str().unwrap().contains("cannot list the organisation's accounts"), "{org}");

    // The console shows them.
    let page = s.login("viewer", PASSWORD).unwrap().get("/schedules");
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&run_id), "the last run links to its run");
    assert!(page.body.contains("read account 123456789012, not 111122223333"));
    assert!(!page.body.contains("Add a schedule"), "viewers do not get the add form");
    assert!(!page.body.contains("Run now"), "nor run now");
}

/// A runner that counts its runs and takes a while.
struct Slow {
    runs: Mutex<Vec<ScheduleScope>>,
}

impl Runner for Slow {
    fn run(&self, scope: &ScheduleScope) -> Result<String, String> {
        self.runs.lock().unwrap().push(scope.clone());
        std::thread::sleep(Duration::from_secs(3));
        Ok("run-slow".into())
    }
}

#[test]
fn two_servers_on_one_database_run_a_scope_once() {
    let slow = Arc::new(Slow { runs: Mutex::new(Vec::new()) });
    let first = Arc::clone(&slow);
    let a = scheduled_server(move |_| first as Arc<dyn Runner>);
    // A second server process's scheduler on the same file, with the same runner (so the
    // runs of both are counted together).
    rampart_server::scheduler::spawn_with(a.db.clone(), slow.clone());
    let admin = a.token(Role::Admin);
    let (_, created) = call(&a, &admin, "POST", "/api/v1/schedules", json!({"kind": "account", "account": "111122223333"}));
    let id = created["id"].as_i64().unwrap();
    let running = wait_schedule(&a, &admin, id, 20, |v| v["running"].is_object());
    assert!(running["running"]["by"].is_string());
    // While it runs, asking again queues one run; it does not start beside this one.
    assert_eq!(call(&a, &admin, "POST", &format!("/api/v1/schedules/{id}/run"), Value::Null).0, 202);
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(slow.runs.lock().unwrap().len(), 1, "one run at a time");
    let done = wait_schedule(&a, &admin, id, 30, |v| {
        v["last_run_id"] == "run-slow" && !v["run_requested"].as_bool().unwrap() && v["running"].is_null()
    });
    assert!(done["last_error"].is_null());
    assert_eq!(slow.runs.lock().unwrap().len(), 2, "the run asked for ran after the first, once");
}

#[test]
fn the_schedules_page_in_chromium() {
    use crate::browser::{browser, click, no_sideways_scroll, type_into, wait_for};
    let s = TestServer::start();
    {
        let mut store = s.store();
        let t0 = rampart_app::now() - time::Duration::hours(3);
        let a = store.create_schedule(&ScheduleScope::Account { account: MOTO_ACCOUNT.into() }, 43_200, false, t0).unwrap();
        assert!(store.claim_schedule(a.id, "server-1", t0, t0 + time::Duration::minutes(4), None).unwrap());
        store.finish_schedule_run(a.id, "server-1", t0 + time::Duration::minutes(4), None, Some("run-demo")).unwrap();
        let b = store
            .create_schedule(&ScheduleScope::Region { account: "111122223333".into(), region: "eu-west-1".into() }, 6 * 3600, false, t0)
            .unwrap();
        assert!(store.claim_schedule(b.id, "server-1", t0, t0 + time::Duration::minutes(1), None).unwrap());
        store
            .finish_schedule_run(
                b.id,
                "server-1",
                t0 + time::Duration::seconds(40),
                Some("the server's AWS credentials read account 123456789012, not 111122223333"),
                None,
            )
            .unwrap();
        let c = store.create_schedule(&ScheduleScope::Org, 43_200, true, t0).unwrap();
        let settings = rampart_app::schedule::ScheduleSettings { member_role: Some("RampartAudit".into()), external_id: None };
        store.set_schedule_settings(c.id, &settings, t0).unwrap();
        let now = rampart_app::now();
        assert!(store.claim_schedule(c.id, "server-1", now, now + time::Duration::hours(1), None).unwrap());
        let d = store.create_schedule(&ScheduleScope::Trail { bucket: "trail-logs".into(), prefix: None }, 300, false, t0).unwrap();
        let polled = now - time::Duration::minutes(2);
        assert!(store.claim_schedule(d.id, "server-1", polled, polled + time::Duration::minutes(10), None).unwrap());
        let poll = rampart_app::schedule::PollStatus {
            files: 1,
            events: 4,
            changes: 1,
            summary: "1 file(s), 4 event(s): 1 change(s), 2 ignored, 1 unmapped, 1 malformed; 1 resource(s) re-read, 0 gone; findings: 0 new, 5 updated (0 resolved, 5 reopened), 0 archived".into(),
            ..Default::default()
        };
        store.finish_schedule_poll(d.id, "server-1", polled + time::Duration::seconds(1), None, None, Some(&poll)).unwrap();
    }
    let base = format!("http://{}", s.client.addr);
    let profile = tempfile::tempdir().unwrap();
    let (_driver, b) = browser(profile.path());
    b.post("url", json!({ "url": format!("{base}/schedules") }));
    wait_for(&b, "return !!document.getElementById('name');");
    type_into(&b, "#name", "admin");
    type_into(&b, "#password", PASSWORD);
    click(&b, "#signin");
    wait_for(&b, "return location.pathname === '/schedules' && !!document.getElementById('schedules');");
    no_sideways_scroll(&b, "schedules");
    let text = b.run("return document.getElementById('schedules').innerText;");
    let text = text.as_str().unwrap();
    assert!(text.contains("Running since") && text.contains("Resume") && text.contains("Failed: the server's AWS credentials"), "{text}");
    assert!(text.contains("trail s3://trail-logs") && text.contains("5 min") && text.contains("1 file(s), 4 event(s)"), "{text}");
    assert!(text.contains("through role RampartAudit"), "{text}");
    // Add one with the keyboard only: type, then Enter in the last field submits.
    click(&b, "#kind option[value=region]");
    type_into(&b, "#account", "444455556666");
    type_into(&b, "#region", "us-east-2");
    type_into(&b, "#hours", "6\u{E007}");
    wait_for(
        &b,
        "var t = document.getElementById('schedules'); return !!t && t.innerText.indexOf('account 444455556666, region us-east-2') >= 0;",
    );
    // A bad one says why, on the form.
    type_into(&b, "#account", "12");
    type_into(&b, "#hours", "\u{E007}");
    wait_for(&b, "var e = document.getElementById('form-error'); return !!e && e.textContent.indexOf('12 digits') >= 0;");
    b.post("url", json!({ "url": format!("{base}/schedules") }));
    wait_for(&b, "return !!document.getElementById('schedules');");
    no_sideways_scroll(&b, "schedules with five");
    let img = root().join("docs/img");
    std::fs::create_dir_all(&img).unwrap();
    std::fs::write(img.join("console-schedules.png"), b.screenshot()).unwrap();
}

// ---------------------------------------------------------------- change-triggered checks

/// The proxy that logs every request it forwards to moto (`testdata/moto/record_proxy.py`).
fn record_proxy(upstream: &harness::Server, log: &std::path::Path) -> harness::Server {
    let port = harness::free_port();
    let child = std::process::Command::new(harness::venv().join("bin/python"))
        .arg(harness::repo_root().join("testdata/moto/record_proxy.py"))
        .arg(port.to_string())
        .arg(&upstream.url)
        .arg(log)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .expect("start record_proxy.py (python in the moto venv: see scripts/test)");
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "record_proxy.py did not listen within 30 s");
        std::thread::sleep(Duration::from_millis(100));
    }
    harness::Server { child, url: format!("http://127.0.0.1:{port}") }
}

/// `testdata/moto/trail.py`: a change made through moto's API, and CloudTrail's record of
/// it written into the trail's bucket.
fn trail(moto: &harness::Server, args: &[&str]) -> Value {
    let out = std::process::Command::new(harness::venv().join("bin/python"))
        .arg(harness::repo_root().join("testdata/moto/trail.py"))
        .arg(&moto.url)
        .args(args)
        .output()
        .expect("run trail.py");
    assert!(out.status.success(), "trail.py {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    if text.trim().is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).expect("trail.py prints JSON")
    }
}

fn moto_env() {
    for (k, v) in [
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_CONFIG_FILE", "/dev/null"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ] {
        std::env::set_var(k, v); // this test's own process (nextest)
    }
    std::env::remove_var("AWS_PROFILE");
}

/// The findings of `check` on resources whose id ends with `suffix`, through the API:
/// (status, workflow, record state, reason) of each.
fn findings_of(s: &TestServer, token: &str, check: &str, suffix: &str) -> Vec<(String, String, String, String)> {
    let (status, page) = call(s, token, "GET", &format!("/api/v1/findings?check={check}&archived=true&limit=100"), Value::Null);
    assert_eq!(status, 200, "{page}");
    page["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["resource"]["id"].as_str().unwrap_or_default().ends_with(suffix))
        .map(|f| {
            let t = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (t("status"), t("workflow_status"), t("record_state"), t("reason"))
        })
        .collect()
}

/// Issue 12's change-triggered acceptance inside `rampart serve`: a trail schedule (what
/// `--watch-trail` makes) polls the trail's bucket in moto; CloudTrail's record of an
/// AuthorizeSecurityGroupIngress written into the bucket → after one poll of the server's
/// watcher the group's finding FAILS and the instance's reachability finding (a check of
/// another type that reads the group) fails too, seen through the API, with the poll's
/// counts on the schedule; the calls the poll made re-read only that group; closing the
/// port resolves both.
#[test]
fn schedules_a_trail_polled_by_the_server_reflects_a_security_group_change_in_one_poll() {
    moto_env();
    let moto = harness::moto();
    let ids = trail(&moto, &["setup"]);
    let (web, other) = (ids["web"].as_str().unwrap().to_string(), ids["other"].as_str().unwrap().to_string());
    let instance = trail(&moto, &["instance", &web])["instance"].as_str().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("calls.jsonl");
    let proxy = record_proxy(&moto, &log);
    let url = proxy.url.clone();
    let s = scheduled_server(|db| {
        Arc::new(AwsRunner {
            db: db.to_path_buf(),
            aws: AwsSettings { profile: None, endpoint_url: Some(url), regions: Some(vec!["us-east-1".into()]) },
        }) as Arc<dyn Runner>
    });
    let (admin, analyst, viewer) = (s.token(Role::Admin), s.token(Role::Analyst), s.token(Role::Viewer));

    // The inventory the changes apply to: a scheduled scan of the region.
    let (_, scan) =
        call(&s, &admin, "POST", "/api/v1/schedules", json!({"kind": "region", "account": MOTO_ACCOUNT, "region": "us-east-1"}));
    let scanned = wait_schedule(&s, &admin, scan["id"].as_i64().unwrap(), 240, |v| v["last_finished"].is_string());
    assert!(scanned["last_run_id"].is_string(), "{scanned}");
    let sg_check = "ec2_sg_unrestricted_access";
    let reach = "inspector_network_reachability";
    assert_eq!(findings_of(&s, &viewer, sg_check, &web)[0].0, "PASSED");
    assert_eq!(findings_of(&s, &viewer, sg_check, &other)[0].0, "FAILED");
    let inst_before = findings_of(&s, &viewer, reach, &instance);
    assert!(!inst_before.is_empty(), "the instance has a reachability finding");
    assert!(inst_before.iter().all(|f| f.0 != "FAILED" || !f.3.contains("SSH")), "{inst_before:?}");

    // The trail's schedule, as --watch-trail makes it: polled at once (nothing delivered).
    let (status, e) = call(&s, &admin, "POST", "/api/v1/schedules", json!({"kind": "trail", "bucket": "Trail_Logs"}));
    assert_eq!(status, 400, "{e}");
    assert!(e["error"].as_str().unwrap().contains("not an S3 bucket name"), "{e}");
    let (status, t) = call(&s, &admin, "POST", "/api/v1/schedules", json!({"kind": "trail", "bucket": "trail-logs"}));
    assert_eq!(status, 201, "{t}");
    assert_eq!((&t["interval_seconds"], &t["scope"]["label"]), (&json!(300), &json!("trail s3://trail-logs")), "5 minutes by default");
    let id = t["id"].as_i64().unwrap();
    let first = wait_schedule(&s, &viewer, id, 60, |v| v["last_poll"].is_object() && v["running"].is_null());
    assert!(first["last_error"].is_null(), "{first}");
    assert_eq!(first["last_poll"]["files"], 0, "{first}");

    // Open port 22 to the world on `web` and deliver the record; one poll of the server.
    let opened = trail(&moto, &["open", &web]);
    std::fs::write(&log, "").unwrap();
    let (status, _) = call(&s, &analyst, "POST", &format!("/api/v1/schedules/{id}/run"), Value::Null);
    assert_eq!(status, 202);
    let last = first["last_finished"].clone();
    let polled = wait_schedule(&s, &viewer, id, 60, |v| v["last_finished"] != last && v["running"].is_null());
    let p = &polled["last_poll"];
    assert!(polled["last_error"].is_null(), "{polled}");
    assert_eq!(
        (&p["files"], &p["events"], &p["changes"], &p["ignored"], &p["unmapped"], &p["malformed"], &p["errors"], &p["refreshed"]),
        (&json!(1), &json!(4), &json!(1), &json!(2), &json!(1), &json!(1), &json!(0), &json!(1)),
        "{p}"
    );
    assert!(p["findings_updated"].as_u64().unwrap() >= 1 && p["findings_reopened"].as_u64().unwrap() >= 1, "{p}");
    assert!(p["checks"].as_u64().unwrap() > 4, "the group's checks and the checks of other types that read it: {p}");
    let sg = findings_of(&s, &viewer, sg_check, &web);
    assert_eq!((sg[0].0.as_str(), sg[0].1.as_str()), ("FAILED", "NEW"), "{sg:?}");
    assert_eq!(findings_of(&s, &viewer, sg_check, &other)[0].0, "FAILED", "untouched");
    let inst = findings_of(&s, &viewer, reach, &instance);
    assert!(inst.iter().any(|f| f.0 == "FAILED" && f.3.contains("SSH (tcp/22)")), "the instance's finding moved with its group: {inst:?}");
    // Only `web` was read again: one DescribeSecurityGroups of it, S3 only on the trail's
    // bucket, nothing else of the estate.
    let calls: Vec<Value> = std::fs::read_to_string(&log).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let mut ec2 = 0;
    for c in &calls {
        match c["service"].as_str().unwrap() {
            "sts" => assert_eq!(c["params"]["Action"], "GetCallerIdentity", "{c}"),
            "s3" => assert!(c["path"].as_str().unwrap().starts_with("/trail-logs"), "{c}"),
            "ec2" => {
                ec2 += 1;
                assert_eq!((&c["params"]["Action"], &c["params"]["GroupId.1"]), (&json!("DescribeSecurityGroups"), &json!(web)), "{c}");
            }
            other => panic!("a call to {other}, which the change did not touch: {c}"),
        }
    }
    assert_eq!(ec2, 1, "{calls:#?}");
    let _ = opened;

    // Closed again: both resolve at the next poll.
    trail(&moto, &["close", &web]);
    let last = polled["last_finished"].clone();
    call(&s, &analyst, "POST", &format!("/api/v1/schedules/{id}/run"), Value::Null);
    let closed = wait_schedule(&s, &viewer, id, 60, |v| v["last_finished"] != last && v["running"].is_null());
    assert!(closed["last_poll"]["findings_resolved"].as_u64().unwrap() >= 1, "{closed}");
    let sg = findings_of(&s, &viewer, sg_check, &web);
    assert_eq!((sg[0].0.as_str(), sg[0].1.as_str()), ("PASSED", "RESOLVED"), "{sg:?}");
    let inst = findings_of(&s, &viewer, reach, &instance);
    assert!(inst.iter().all(|f| f.0 != "FAILED" || f.2 == "ARCHIVED" || f.1 == "RESOLVED"), "{inst:?}");
    assert!(!inst.iter().any(|f| f.0 == "FAILED" && f.2 == "ACTIVE" && f.3.contains("SSH (tcp/22)")), "{inst:?}");

    // The console shows the poll.
    let page = s.login("viewer", PASSWORD).unwrap().get("/schedules");
    assert!(page.body.contains("trail s3://trail-logs") && page.body.contains("1 file(s), 4 event(s)"), "{}", page.body);
}

// ---------------------------------------------------------------- the organisation

/// An organisation schedule scans every ACTIVE account of moto's organisation
/// (`plant_org.py`: the management account, 3 members, 1 closed) through the member role in
/// its settings: one run holding every account, a member whose role is refused (the deny
/// proxy) named on the schedule while the others are scanned, the findings of each
/// account seen through the API.
#[test]
fn schedules_an_org_schedule_scans_every_member_account_through_its_role() {
    const ROLE: &str = "RampartAudit";
    moto_env();
    let moto = harness::moto();
    let out = std::process::Command::new(harness::venv().join("bin/python"))
        .arg(harness::repo_root().join("testdata/moto/plant_org.py"))
        .args([moto.url.as_str(), ROLE, "us-east-1"])
        .output()
        .expect("run plant_org.py");
    assert!(out.status.success(), "plant_org.py failed: {}", String::from_utf8_lossy(&out.stderr));
    let org: Value = serde_json::from_slice(&out.stdout).unwrap();
    let management = org["management"].as_str().unwrap().to_string();
    let members: Vec<String> = org["members"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    let closed = org["closed"].as_str().unwrap().to_string();
    let refused = members[1].clone();
    let proxy = harness::deny_proxy(&moto, &[&format!("sts:AssumeRole?RoleArn=arn:aws:iam::{refused}:role/{ROLE}")]);
    let url = proxy.url.clone();
    let s = scheduled_server(|db| {
        Arc::new(AwsRunner {
            db: db.to_path_buf(),
            aws: AwsSettings { profile: None, endpoint_url: Some(url), regions: Some(vec!["us-east-1".into()]) },
        }) as Arc<dyn Runner>
    });
    let (admin, viewer) = (s.token(Role::Admin), s.token(Role::Viewer));
    let (status, e) = call(&s, &admin, "POST", "/api/v1/schedules", json!({"kind": "org", "member_role": "bad role"}));
    assert_eq!(status, 400, "{e}");
    assert!(e["error"].as_str().unwrap().contains("not an IAM role name"), "{e}");
    let (status, created) = call(&s, &admin, "POST", "/api/v1/schedules", json!({"kind": "org", "member_role": ROLE}));
    assert_eq!(status, 201, "{created}");
    let done = wait_schedule(&s, &viewer, created["id"].as_i64().unwrap(), 300, |v| v["last_finished"].is_string());
    let run_id = done["last_run_id"].as_str().unwrap_or_else(|| panic!("a run is recorded: {done}")).to_string();
    let e = done["last_error"].as_str().unwrap();
    assert!(e.starts_with("1 account(s) not scanned") && e.contains(&refused) && e.contains("sts:AssumeRole"), "{e}");

    let (_, runs) = call(&s, &viewer, "GET", "/api/v1/runs", Value::Null);
    let runs = runs.as_array().cloned().unwrap_or_else(|| runs["runs"].as_array().cloned().unwrap());
    let run = runs.iter().find(|r| r["id"] == run_id.as_str()).unwrap();
    let mut accounts: Vec<String> = run["accounts"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    accounts.sort();
    let mut want: Vec<String> = std::iter::once(management.clone()).chain(members.iter().cloned()).collect();
    want.sort();
    assert_eq!(accounts, want, "every active account, the closed one ({closed}) not: {run}");
    // Each scanned account's planted SSH-open group fails; the refused account's checks
    // are not available, never passed.
    for account in [&management, &members[0], &members[2]] {
        let (_, page) = call(
            &s,
            &viewer,
            "GET",
            &format!("/api/v1/findings?check=ec2_sg_unrestricted_access&account={account}&status=FAILED"),
            Value::Null,
        );
        assert!(page["total"].as_u64().unwrap() >= 1, "{account}: {page}");
    }
    let (_, page) = call(&s, &viewer, "GET", &format!("/api/v1/findings?account={refused}&status=PASSED"), Value::Null);
    assert_eq!(page["total"], 0, "nothing of the refused account passes: {page}");
}
