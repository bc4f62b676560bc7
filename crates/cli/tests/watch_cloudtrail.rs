//! `rampart watch cloudtrail` against moto, as issue 12 accepts change-triggered checks: a
//! security group's port opened through the API and CloudTrail's record of the call written
//! into the trail's bucket → the finding FAILS after one poll, and the calls the poll made
//! (recorded by a proxy in front of moto) re-read only that group; the port closed → the
//! finding PASSED and RESOLVED; the group deleted → its findings ARCHIVED. Records that change
//! nothing, that are not mapped, or that cannot be read are counted, never fatal; a file is
//! read once.

#[path = "../../../testdata/moto/harness.rs"]
mod harness;

use harness::*;
use rampart_hub::{Backend, FindingFilter, PgMode};
use rampart_model::{RecordState, Status, WorkflowStatus};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const CHECK: &str = "ec2_sg_unrestricted_access";

fn rampart() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rampart"));
    aws_env(&mut c);
    c
}

/// The proxy that logs every request it forwards to moto.
fn record_proxy(upstream: &Server, log: &Path) -> Server {
    let port = free_port();
    let child = Command::new(venv().join("bin/python"))
        .arg(repo_root().join("testdata/moto/record_proxy.py"))
        .arg(port.to_string())
        .arg(&upstream.url)
        .arg(log)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start record_proxy.py");
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "record_proxy.py did not listen within 30 s");
        std::thread::sleep(Duration::from_millis(100));
    }
    Server { child, url: format!("http://127.0.0.1:{port}") }
}

fn trail(moto: &Server, args: &[&str]) -> Value {
    let out = Command::new(venv().join("bin/python"))
        .arg(repo_root().join("testdata/moto/trail.py"))
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

fn poll(proxy: &Server, db: &Path) -> Output {
    rampart()
        .args(["watch", "cloudtrail", "--bucket", "trail-logs", "--once", "--endpoint-url", &proxy.url, "--db"])
        .arg(db)
        .output()
        .unwrap()
}

/// The requests logged since the last call, and the log emptied.
fn take_calls(log: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    std::fs::write(log, "").unwrap();
    text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// The store `db` (a SQLite file's path or a PostgreSQL URL), opened to read.
fn open(db: &Path) -> Backend {
    rampart_app::db::open(db, PgMode::ReadOnly).unwrap()
}

/// The finding of CHECK on group `id`: (status, workflow, record state).
fn finding(db: &Path, id: &str) -> (Status, WorkflowStatus, RecordState) {
    let store = open(db);
    let all = store.findings(&FindingFilter { check_id: Some(CHECK.into()), ..Default::default() }).unwrap();
    let f = all
        .iter()
        .find(|f| f.resource.id.ends_with(&format!("security-group/{id}")))
        .unwrap_or_else(|| panic!("no {CHECK} finding of {id}: {all:#?}"));
    (f.status, f.workflow_status, f.record_state)
}

fn history_notes(db: &Path, group: &str) -> Vec<String> {
    let store = open(db);
    let all = store.findings(&FindingFilter { check_id: Some(CHECK.into()), ..Default::default() }).unwrap();
    let f = all.iter().find(|f| f.resource.id.ends_with(&format!("security-group/{group}"))).unwrap();
    store.workflow_history(&f.id).unwrap().into_iter().map(|h| h.note).collect()
}

/// Asserts that the poll's calls re-read only `group` in EC2, and of S3 only the trail's
/// bucket: the rest of the estate was not collected again.
fn only_group_reread(calls: &[Value], group: &str) {
    assert!(!calls.is_empty());
    let mut ec2 = 0;
    for c in calls {
        let service = c["service"].as_str().unwrap();
        let params = &c["params"];
        match service {
            "sts" => assert_eq!(params["Action"], "GetCallerIdentity", "{c}"),
            "s3" => assert!(c["path"].as_str().unwrap().starts_with("/trail-logs"), "an S3 call not to the trail's bucket: {c}"),
            "ec2" => {
                ec2 += 1;
                assert_eq!(params["Action"], "DescribeSecurityGroups", "{c}");
                assert_eq!(params["GroupId.1"], group, "{c}");
                assert!(params.get("GroupId.2").is_none(), "{c}");
            }
            other => panic!("a call to {other}, which the change did not touch: {c}"),
        }
    }
    assert_eq!(ec2, 1, "{calls:#?}");
}

#[test]
fn a_security_group_change_is_reflected_within_one_poll_and_nothing_else_is_read_again() {
    let dir = tempfile::tempdir().unwrap();
    a_change_is_reflected_within_one_poll(dir.path(), &dir.path().join("r.db"));
}

/// The same with the store on PostgreSQL: the scan's inventory, the trail's files read and
/// the findings a change updates are kept there.
#[test]
fn the_same_on_postgresql() {
    let dir = tempfile::tempdir().unwrap();
    let pg = PgDatabase::new("watch");
    a_change_is_reflected_within_one_poll(dir.path(), Path::new(&pg.url));
}

#[path = "common/pg.rs"]
mod pg;
use pg::PgDatabase;

/// A group's port opened, closed, the group deleted, each seen by one poll, with the store
/// at `db` (a file's path or a PostgreSQL URL) and the other files in `dir`.
fn a_change_is_reflected_within_one_poll(dir: &Path, db: &Path) {
    let moto = moto();
    let ids = trail(&moto, &["setup"]);
    let (web, other) = (ids["web"].as_str().unwrap().to_string(), ids["other"].as_str().unwrap().to_string());
    let db: PathBuf = db.to_path_buf();
    let log = dir.join("calls.jsonl");
    let proxy = record_proxy(&moto, &log);

    // Without a scan there is no inventory to change: a clear error.
    let out = poll(&proxy, &db);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("scan first"), "{}", String::from_utf8_lossy(&out.stderr));

    let out = rampart()
        .args(["scan", "aws", "--regions", "us-east-1", "--endpoint-url", &moto.url, "--format", "json", "-o"])
        .arg(dir.join("scan.json"))
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    // Exit 1: the planted open group fails; 2: moto answers some reads with errors.
    assert!(out.status.code().is_some_and(|c| c <= 2), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(finding(&db, &web), (Status::Passed, WorkflowStatus::Resolved, RecordState::Active));
    assert_eq!(finding(&db, &other).0, Status::Failed);

    // Nothing delivered yet: a poll reads no file and changes nothing.
    take_calls(&log);
    let out = poll(&proxy, &db);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("0 file(s), 0 event(s)"), "{}", String::from_utf8_lossy(&out.stdout));

    // A key dated in 2099 is not a delivery: skipped with a warning, never read, and the
    // checkpoint stays at today (the files delivered next are still listed and read below).
    let future = trail(&moto, &["future"]);
    let out = poll(&proxy, &db);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("0 file(s), 0 event(s)"), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(stderr.contains("skipped 1 log file(s) dated after tomorrow") && stderr.contains(future["key"].as_str().unwrap()), "{stderr}");

    // Open port 22 to the world on `web`: FAILED after one poll, only `web` read again.
    let opened = trail(&moto, &["open", &web]);
    take_calls(&log);
    let out = poll(&proxy, &db);
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.starts_with("1 file(s), 4 event(s): 1 change(s), 2 ignored, 1 unmapped, 1 malformed; 1 resource(s) re-read, 0 gone"),
        "{stdout}"
    );
    assert!(stderr.contains("iam:CreateUser: 1 write(s) not mapped"), "{stderr}");
    assert!(stderr.contains("skipped record 4 of `AWSLogs/"), "{stderr}");
    only_group_reread(&take_calls(&log), &web);
    assert_eq!(finding(&db, &web), (Status::Failed, WorkflowStatus::New, RecordState::Active));
    assert_eq!(finding(&db, &other).0, Status::Failed, "the other group's finding is untouched");
    let notes = history_notes(&db, &web);
    assert_eq!(notes.last().unwrap(), &format!("change:{}: compliance PASSED -> FAILED", opened["event"].as_str().unwrap()), "{notes:?}");

    // The same file is not read twice.
    let out = poll(&proxy, &db);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("0 file(s), 0 event(s)"), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(take_calls(&log).iter().all(|c| c["service"] != "ec2"));

    // Close it: PASSED, and the workflow RESOLVED by the change.
    let closed = trail(&moto, &["close", &web]);
    let out = poll(&proxy, &db);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    only_group_reread(&take_calls(&log), &web);
    assert_eq!(finding(&db, &web), (Status::Passed, WorkflowStatus::Resolved, RecordState::Active));
    let notes = history_notes(&db, &web);
    assert_eq!(notes.last().unwrap(), &format!("change:{}: compliance FAILED -> PASSED", closed["event"].as_str().unwrap()));

    // Files that are not logs: counted as unreadable (exit 2), the others still read.
    trail(&moto, &["junk"]);
    // Delete the group: its findings are ARCHIVED.
    trail(&moto, &["delete", &web]);
    let out = poll(&proxy, &db);
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(stdout.starts_with("3 file(s), 4 event(s): 1 change(s)") && stdout.contains("0 resource(s) re-read, 1 gone"), "{stdout}");
    assert!(stderr.contains("is not a valid gzip stream") && stderr.contains("has no `Records` array"), "{stderr}");
    only_group_reread(&take_calls(&log), &web);
    let store = open(&db);
    let of_web: Vec<_> = store
        .findings(&FindingFilter::default())
        .unwrap()
        .into_iter()
        .filter(|f| f.resource.id.ends_with(&format!("security-group/{web}")))
        .collect();
    assert!(!of_web.is_empty());
    assert!(of_web.iter().all(|f| f.record_state == RecordState::Archived), "{of_web:#?}");
    assert_eq!(finding(&db, &other), (Status::Failed, WorkflowStatus::New, RecordState::Active));
}

/// The trail bucket's reads are a policy of their own, scoped to that bucket; the scanning
/// policy never grants reading objects.
#[test]
fn iam_policy_watch_scopes_the_trail_reads_to_the_bucket() {
    let out = rampart().args(["iam-policy", "watch", "--bucket", "trail-logs", "--partition", "aws-us-gov"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let p: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(p["Statement"][0]["Resource"], "arn:aws-us-gov:s3:::trail-logs");
    assert!(p["Statement"][0]["Action"].as_array().unwrap().contains(&Value::from("s3:ListBucket")), "{p}");
    assert_eq!(p["Statement"][1]["Resource"], "arn:aws-us-gov:s3:::trail-logs/*AWSLogs/*");
    assert_eq!(p["Statement"][1]["Action"], serde_json::json!(["s3:GetObject"]));
    let out = rampart().args(["iam-policy", "watch"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("arn:aws:s3:::BUCKET/*AWSLogs/*"));
    let out = rampart().args(["iam-policy", "watch", "--bucket", "Bad_Name"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not an S3 bucket name"), "{}", String::from_utf8_lossy(&out.stderr));
    let scanning = rampart().arg("iam-policy").output().unwrap();
    let text = String::from_utf8_lossy(&scanning.stdout);
    assert!(!text.contains("s3:GetObject\"") && !text.contains("s3:ListBucket\""), "{text}");
}

/// A --db given as a PostgreSQL URL is never echoed with its password.
#[test]
fn a_database_url_password_is_not_shown() {
    let out = rampart()
        .args(["watch", "cloudtrail", "--bucket", "trail-logs", "--once", "--db", "postgres://rampart:s3cr3t-pw@127.0.0.1:9/rampart"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("s3cr3t-pw"), "{stderr}");
    assert!(!stderr.is_empty());
}
