//! `rampart investigate ingest | entity` as a user runs them: CloudTrail's layout with a
//! digest and a malformed record (plain JSON and text files; gzip is the app's tests'), an entity's profile as JSON, and flow logs ingested,
//! killed with SIGKILL mid-ingest, and resumed to the graph one uninterrupted ingest gives;
//! a trail's bucket in moto read through the SDK (`s3://`).

#[path = "../../../testdata/moto/harness.rs"]
mod harness;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn rampart(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart")).args(args).current_dir(dir).env_remove("RAMPART_DB").output().unwrap()
}

fn text(o: &Output) -> (String, String) {
    (String::from_utf8_lossy(&o.stdout).to_string(), String::from_utf8_lossy(&o.stderr).to_string())
}

#[test]
fn cloudtrail_ingest_reports_what_it_read_and_an_entity_profile_is_json() {
    let tmp = tempfile::tempdir().unwrap();
    let day = tmp.path().join("AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/30");
    let digest = tmp.path().join("AWSLogs/123456789012/CloudTrail-Digest/us-east-1/2026/11/30");
    std::fs::create_dir_all(&day).unwrap();
    std::fs::create_dir_all(&digest).unwrap();
    let record = |i: u32, error: bool| {
        let mut r = serde_json::json!({
            "eventID": format!("e-{i}"), "eventTime": format!("2026-11-30T08:{:02}:00Z", i % 60),
            "eventSource": "s3.amazonaws.com", "eventName": "GetBucketPolicy", "awsRegion": "us-east-1",
            "sourceIPAddress": "203.0.113.9", "userAgent": "aws-cli/2.15.0",
            "userIdentity": {"type": "AssumedRole", "arn": "arn:aws:sts::123456789012:assumed-role/Admin/bob", "accountId": "123456789012",
                "sessionContext": {"sessionIssuer": {"type": "Role", "arn": "arn:aws:iam::123456789012:role/Admin"}}},
            "requestParameters": {"bucketName": "payroll"}
        });
        if error {
            r["errorCode"] = "AccessDenied".into();
        }
        r
    };
    let mut records: Vec<serde_json::Value> = (0..10).map(|i| record(i, i < 3)).collect();
    records.insert(4, serde_json::json!({"eventName": "x"}));
    let log = day.join("123456789012_CloudTrail_us-east-1_20261130T0805Z_abc.json");
    std::fs::write(&log, serde_json::json!({ "Records": records }).to_string()).unwrap();
    std::fs::write(digest.join("123456789012_CloudTrail-Digest_us-east-1_t_us-east-1_20261130T0900Z.json.gz"), b"{}").unwrap();
    let db = tmp.path().join("r.db");
    let db = db.to_str().unwrap();

    let o = rampart(tmp.path(), &["investigate", "ingest", "cloudtrail", "AWSLogs", "--db", db]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    assert!(out.contains("1 file(s) read (11 record(s), 0 without data, 1 malformed), 0 already read, 1 skipped"), "{out}");
    assert!(
        err.contains(&format!("malformed: {}:record 4: no `eventSource`", log.display())) || err.contains("abc.json:record 4"),
        "{err}"
    );
    let again = rampart(tmp.path(), &["investigate", "ingest", "cloudtrail", "AWSLogs", "--db", db]);
    assert!(text(&again).0.contains("0 file(s) read (0 record(s), 0 without data, 0 malformed), 1 already read"), "{:?}", text(&again));

    let session = "arn:aws:sts::123456789012:assumed-role/Admin/bob";
    let o = rampart(tmp.path(), &["investigate", "entity", session, "--db", db, "--format", "json"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    let p: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(p["kind"], "role_session");
    assert_eq!(p["api_calls"][0]["action"], "GetBucketPolicy");
    assert_eq!((p["api_calls"][0]["success"].as_u64(), p["api_calls"][0]["failure"].as_u64()), (Some(7), Some(3)));
    assert_eq!(p["api_calls"][0]["errors"]["AccessDenied"], 3);
    assert_eq!(p["ips"][0]["value"], "203.0.113.9");
    assert_eq!(p["resources"][0]["value"], "arn:aws:s3:::payroll");
    assert!(p["related"].as_array().unwrap().iter().any(|r| r["entity"] == "arn:aws:iam::123456789012:role/Admin"));
    let table = rampart(tmp.path(), &["investigate", "entity", session, "--db", db]);
    assert!(text(&table).0.contains("s3:GetBucketPolicy  7 ok, 3 failed [AccessDenied 3]"), "{}", text(&table).0);
    let listed = rampart(tmp.path(), &["investigate", "entities", "--kind", "role_session", "--db", db]);
    assert!(text(&listed).0.starts_with(&format!("role_session       {session}  2026-11-30T08:00:00Z")), "{:?}", text(&listed));
    let none = rampart(tmp.path(), &["investigate", "entity", "arn:aws:iam::123456789012:user/nobody", "--db", db]);
    assert!(!none.status.success());
    assert!(text(&none).1.contains("no entity"), "{}", text(&none).1);
    let bad = rampart(tmp.path(), &["investigate", "entity", session, "--db", db, "--from", "yesterday"]);
    assert!(text(&bad).1.contains("--from `yesterday` is not a time"), "{}", text(&bad).1);
}

/// `files` flow log files of the default format, `lines` records each, under `dir`.
fn stratus() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/cloudtrail/stratus-red-team")
}

/// `rampart findings --db DB --format asff`, every finding.
fn asff(dir: &Path, db: &Path, name: &str) -> Vec<serde_json::Value> {
    let out = dir.join(name);
    let o =
        rampart(dir, &["findings", "--db", db.to_str().unwrap(), "--limit", "0", "--format", "asff", "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{:?}", text(&o));
    serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap()
}

fn ids(v: &[serde_json::Value]) -> Vec<String> {
    let mut ids: Vec<String> = v.iter().map(|f| f["Id"].as_str().unwrap().to_string()).collect();
    ids.sort();
    ids
}

/// Issue 13's contract: `investigate ingest cloudtrail PATH --db F` then `findings --db F
/// --format asff` writes the detections with `TTPs/<tactic>/<technique>` types and the
/// eventIDs behind them — the same findings `investigate detections --db` records. Ingesting
/// the same folder again reads nothing new, records nothing and archives nothing; a later
/// ingest of other records leaves the earlier detections active.
#[test]
fn cloudtrail_ingest_records_the_detections_as_asff_findings_and_a_reingest_archives_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("r.db");
    let folder = stratus();
    let ingest =
        |path: &Path| rampart(tmp.path(), &["investigate", "ingest", "cloudtrail", path.to_str().unwrap(), "--db", db.to_str().unwrap()]);
    let o = ingest(&folder);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    assert!(out.contains("35 file(s) read (310 record(s)"), "{out}");
    assert!(err.contains("detection(s) recorded as findings over 310 new record(s), run "), "{err}");

    let v = asff(tmp.path(), &db, "out.json");
    assert!(v.len() >= 23, "{}", v.len());
    assert!(err.contains(&format!("{} detection(s) recorded as findings", v.len())), "{err}");
    for f in &v {
        let types: Vec<&str> = f["Types"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
        assert!(!types.is_empty() && types.iter().all(|t| t.starts_with("TTPs/") && t.matches('/').count() == 2), "{types:?}");
        assert!(!f["ProductFields"]["rampart/CloudTrailEventIds"].as_str().unwrap_or_else(|| panic!("{f}")).is_empty());
        assert_eq!(f["RecordState"], "ACTIVE");
    }
    let stop = v
        .iter()
        .find(|f| f["ProductFields"]["rampart/CloudTrailEventIds"] == "10163ed2-2253-469d-a5ee-cbc6651f8934")
        .unwrap_or_else(|| panic!("no finding of the StopLogging record"));
    assert_eq!(stop["Types"], serde_json::json!(["TTPs/Defense Evasion/T1562.008"]));

    // The same findings (ids, types, eventIDs) as `investigate detections --db` records.
    let other = tmp.path().join("detections.db");
    let o =
        rampart(tmp.path(), &["investigate", "detections", folder.to_str().unwrap(), "--db", other.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{:?}", text(&o));
    let by_detections = asff(tmp.path(), &other, "detections.json");
    assert_eq!(ids(&by_detections), ids(&v));
    let fields = |v: &[serde_json::Value]| {
        let mut f: Vec<String> =
            v.iter().map(|f| format!("{} {} {}", f["Id"], f["Types"], f["ProductFields"]["rampart/CloudTrailEventIds"])).collect();
        f.sort();
        f
    };
    assert_eq!(fields(&by_detections), fields(&v));

    // Again: every file already read, nothing recorded, nothing archived.
    let o = ingest(&folder);
    let (out, err) = text(&o);
    assert!(
        o.status.success() && out.contains("0 file(s) read (0 record(s), 0 without data, 0 malformed), 35 already read"),
        "{out}\n{err}"
    );
    assert!(err.contains("0 detection(s) recorded: no new CloudTrail record was read"), "{err}");
    let again = asff(tmp.path(), &db, "again.json");
    assert_eq!(ids(&again), ids(&v));
    assert!(again.iter().all(|f| f["RecordState"] == "ACTIVE"), "a re-ingest archived a detection");

    // Other records later (a run is recorded, with nothing detected): the earlier
    // detections stay active.
    let later = tmp.path().join("later.json");
    let record = serde_json::json!([{
        "eventVersion": "1.08", "eventID": "later-1", "eventTime": "2026-12-01T08:00:00Z",
        "eventSource": "s3.amazonaws.com", "eventName": "GetBucketPolicy", "awsRegion": "us-east-1",
        "sourceIPAddress": "203.0.113.9", "userAgent": "aws-cli/2.15.0", "recipientAccountId": "143434273843",
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::143434273843:user/bob", "accountId": "143434273843", "userName": "bob"},
        "requestParameters": {"bucketName": "payroll"}
    }]);
    std::fs::write(&later, serde_json::to_vec(&record).unwrap()).unwrap();
    let o = ingest(&later);
    assert!(text(&o).1.contains("0 detection(s) recorded as findings over 1 new record(s), run "), "{:?}", text(&o));
    let after = asff(tmp.path(), &db, "after.json");
    assert_eq!(ids(&after), ids(&v));
    assert!(after.iter().all(|f| f["RecordState"] == "ACTIVE"), "a later ingest archived a detection");

    // --no-detections fills the graph only.
    let plain = tmp.path().join("plain.db");
    let o = rampart(
        tmp.path(),
        &["investigate", "ingest", "cloudtrail", folder.to_str().unwrap(), "--db", plain.to_str().unwrap(), "--no-detections"],
    );
    assert!(o.status.success() && !text(&o).1.contains("detection(s) recorded"), "{:?}", text(&o));
    let o = rampart(tmp.path(), &["findings", "--db", plain.to_str().unwrap(), "--format", "json"]);
    assert!(o.status.success(), "{:?}", text(&o));
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap(), serde_json::json!([]), "{:?}", text(&o));
}

/// `--config` gives the ingest's detections the config's suppressions, as it does
/// `investigate detections`; it is refused for flow logs.
#[test]
fn cloudtrail_ingest_applies_the_configs_suppressions_to_its_detections() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("r.db");
    let config = tmp.path().join("r.toml");
    std::fs::write(
        &config,
        "[[suppress]]\nchecks = [\"threat_logging_disabled\"]\naccount = \"143434273843\"\nreason = \"the trail is stopped by the red team\"\n",
    )
    .unwrap();
    let folder = stratus();
    let o = rampart(
        tmp.path(),
        &[
            "investigate",
            "ingest",
            "cloudtrail",
            folder.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
            "--config",
            config.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{:?}", text(&o));
    assert!(text(&o).1.contains("suppressed by the configuration)"), "{}", text(&o).1);
    let v = asff(tmp.path(), &db, "out.json");
    // The suppression is of one account: that account's detection is SUPPRESSED, the same
    // detection in other accounts is not.
    let (here, elsewhere): (Vec<&serde_json::Value>, Vec<&serde_json::Value>) =
        v.iter().filter(|f| f["GeneratorId"] == "rampart/threat_logging_disabled").partition(|f| f["AwsAccountId"] == "143434273843");
    assert!(!here.is_empty() && !elsewhere.is_empty());
    assert!(here.iter().all(|f| f["Workflow"]["Status"] == "SUPPRESSED"), "{here:?}");
    assert!(elsewhere.iter().all(|f| f["Workflow"]["Status"] == "NEW"), "{elsewhere:?}");

    let o = rampart(
        tmp.path(),
        &["investigate", "ingest", "flowlogs", folder.to_str().unwrap(), "--db", db.to_str().unwrap(), "--no-detections"],
    );
    assert!(!o.status.success() && text(&o).1.contains("--no-detections and --config are for CloudTrail"), "{:?}", text(&o));
}

fn flow_logs(dir: &Path, files: usize, lines: usize) {
    std::fs::create_dir_all(dir).unwrap();
    for f in 0..files {
        let mut text = String::from(
            "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n",
        );
        for i in 0..lines {
            let n = (f * 7 + i) % 11;
            let start = 1_796_000_000 + (f * 60 + i) as i64;
            let action = if i % 5 == 0 { "REJECT" } else { "ACCEPT" };
            let port = [22, 80, 443][i % 3];
            text.push_str(&format!(
                "2 123456789012 eni-{:017x} 198.51.100.{n} 10.0.0.{} {} {port} 6 {} {} {start} {} {action} OK\n",
                f % 5,
                f % 5,
                40000 + i,
                1 + i % 9,
                100 + i * 3,
                start + 30
            ));
        }
        std::fs::write(dir.join(format!("123456789012_vpcflowlogs_us-east-1_fl-1_2026113{}T0000Z_{f:04}.log", f % 10)), text).unwrap();
    }
}

fn dump(db: &Path) -> Vec<String> {
    let s = rampart_hub::Store::open_read_only(db).unwrap();
    s.graph_dump().unwrap().iter().map(|r| format!("{r:?}")).collect()
}

fn files_done(db: &Path) -> usize {
    rampart_hub::Store::open_read_only(db).ok().and_then(|s| s.graph_files(None).ok()).map_or(0, |f| f.len())
}

#[test]
fn flowlogs_ingest_killed_mid_way_resumes_to_the_same_graph() {
    const FILES: usize = 200;
    let tmp = tempfile::tempdir().unwrap();
    let logs = tmp.path().join("AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/30");
    flow_logs(&logs, FILES, 2000);
    let whole = tmp.path().join("whole.db");
    let o = rampart(tmp.path(), &["investigate", "ingest", "flowlogs", "AWSLogs", "--db", whole.to_str().unwrap()]);
    assert!(o.status.success(), "{:?}", text(&o));
    assert!(text(&o).0.starts_with(&format!("{FILES} file(s) read ({} record(s)", FILES * 2000)), "{}", text(&o).0);
    let expected = dump(&whole);
    assert!(!expected.is_empty());

    let killed = tmp.path().join("killed.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(["investigate", "ingest", "flowlogs", "AWSLogs", "--db", killed.to_str().unwrap()])
        .current_dir(tmp.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let at_kill = loop {
        let n = files_done(&killed);
        if n > 0 {
            break n;
        }
        assert!(child.try_wait().unwrap().is_none(), "the ingest ended before a first group was seen committed");
        assert!(started.elapsed() < Duration::from_secs(600), "no file committed in 600 s");
        std::thread::sleep(Duration::from_millis(20));
    };
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let after_kill = files_done(&killed);
    assert!(after_kill < FILES, "killed mid-ingest: {after_kill} of {FILES} files committed (first seen {at_kill})");
    assert_ne!(dump(&killed), expected);

    let o = rampart(tmp.path(), &["investigate", "ingest", "flowlogs", "AWSLogs", "--db", killed.to_str().unwrap()]);
    let (out, _) = text(&o);
    assert!(o.status.success());
    assert!(out.starts_with(&format!("{} file(s) read", FILES - after_kill)), "{out}");
    assert!(out.contains(&format!("{after_kill} already read")), "{out}");
    assert_eq!(dump(&killed), expected, "killed and resumed: the graph of one uninterrupted ingest");
}

fn trail(moto: &harness::Server, args: &[&str]) -> serde_json::Value {
    let out = Command::new(harness::venv().join("bin/python"))
        .arg(harness::repo_root().join("testdata/moto/trail.py"))
        .arg(&moto.url)
        .args(args)
        .output()
        .expect("run trail.py");
    assert!(out.status.success(), "trail.py {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null)
}

#[test]
fn a_trails_bucket_is_read_through_the_sdk_each_file_once() {
    let moto = harness::moto();
    let setup = trail(&moto, &["setup"]);
    let (account, web) = (setup["account"].as_str().unwrap().to_string(), setup["web"].as_str().unwrap().to_string());
    trail(&moto, &["open", &web]);
    trail(&moto, &["close", &web]);
    trail(&moto, &["junk"]);
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("r.db");
    let ingest = || {
        let mut c = Command::new(env!("CARGO_BIN_EXE_rampart"));
        harness::aws_env(&mut c);
        c.args(["investigate", "ingest", "cloudtrail", "s3://trail-logs", "--endpoint-url", &moto.url, "--db"])
            .arg(&db)
            .env_remove("RAMPART_DB")
            .output()
            .unwrap()
    };
    let o = ingest();
    let (out, err) = text(&o);
    // Two logs of 5 records (one malformed each) and two files that are not logs; the
    // digests (one, or two when both deliveries fell in one minute) skipped.
    assert!(out.contains("4 file(s) read (10 record(s), 0 without data, 2 malformed), 0 already read, "), "{out}\n{err}");
    assert!(out.ends_with("skipped, 2 with errors\n") && !out.contains(" 0 skipped"), "{out}");
    assert_eq!(o.status.code(), Some(2), "a file with an error: exit 2");
    assert!(err.contains("notgzip") && err.contains("notalog"), "{err}");
    assert!(err.contains("s3://trail-logs/AWSLogs/"), "malformed records name the object: {err}");
    // The 8 records read were run through the detections (recorded as findings).
    assert!(err.contains("detection(s) recorded as findings over 8 new record(s)"), "{err}");
    let again = ingest();
    assert!(text(&again).0.contains("0 file(s) read (0 record(s), 0 without data, 0 malformed), 4 already read, "), "{:?}", text(&again));
    assert!(again.status.success());
    assert!(text(&again).1.contains("0 detection(s) recorded: no new CloudTrail record was read"), "{}", text(&again).1);
    let files = rampart_hub::Store::open_read_only(&db).unwrap().graph_files(Some("cloudtrail")).unwrap();
    assert!(files.iter().all(|f| f.file.starts_with(&format!("AWSLogs/{account}/CloudTrail/us-east-1/"))), "{files:?}");

    let alice = format!("arn:aws:iam::{account}:user/alice");
    let o = rampart(tmp.path(), &["investigate", "entity", &alice, "--db", db.to_str().unwrap(), "--format", "json"]);
    let p: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {:?}", text(&o)));
    let calls: Vec<(String, u64, u64)> = p["api_calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                format!("{}:{}", c["service"].as_str().unwrap(), c["action"].as_str().unwrap()),
                c["success"].as_u64().unwrap(),
                c["failure"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(calls.contains(&("ec2:AuthorizeSecurityGroupIngress".to_string(), 1, 2)), "{calls:?}");
    assert!(calls.contains(&("iam:CreateUser".to_string(), 2, 0)), "{calls:?}");
    assert_eq!(p["ips"][0]["value"], "198.51.100.7");
}

#[test]
fn flow_logs_in_their_bucket_are_read_through_the_sdk() {
    let moto = harness::moto();
    let v5 = "version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status flow-direction traffic-path\n\
5 vpc-1 subnet-1 i-01234567890123456 eni-1 123456789012 IPv4 203.0.113.5 10.0.0.7 50000 22 203.0.113.5 10.0.0.7 6 700 7 1796000000 1796000060 REJECT 2 OK ingress -\n\
5 vpc-1 subnet-1 i-01234567890123456 eni-1 123456789012 IPv4 203.0.113.5 10.0.0.7 50001 443 203.0.113.5 10.0.0.7 6 9000 9 1796000000 1796000060 ACCEPT 2 OK ingress -\n";
    let v2 = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n\
2 123456789012 eni-2 10.0.0.8 198.51.100.9 40000 443 6 3 300 1796000100 1796000160 ACCEPT OK\n\
2 123456789012 eni-2 198.51.100.9 10.0.0.8 443 40000 6 2 200 1796000100 1796000160 ACCEPT OK\n";
    let script = r#"
import boto3, gzip, sys
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
s3.create_bucket(Bucket="flow-logs")
base = "AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/30/123456789012_vpcflowlogs_us-east-1_fl-1_20261130T0000Z_"
s3.put_object(Bucket="flow-logs", Key=base + "a.log.gz", Body=gzip.compress(sys.argv[2].encode()))
s3.put_object(Bucket="flow-logs", Key=base + "b.log", Body=sys.argv[3].encode())
s3.put_object(Bucket="flow-logs", Key="AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/30/README.txt", Body=b"not a log")
"#;
    let out = Command::new(harness::venv().join("bin/python")).arg("-c").arg(script).arg(&moto.url).arg(v5).arg(v2).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("r.db");
    let mut c = Command::new(env!("CARGO_BIN_EXE_rampart"));
    harness::aws_env(&mut c);
    let o = c
        .args([
            "investigate",
            "ingest",
            "flowlogs",
            "s3://flow-logs/AWSLogs",
            "--endpoint-url",
            &moto.url,
            "--retention-days",
            "3650",
            "--db",
        ])
        .arg(&db)
        .env_remove("RAMPART_DB")
        .output()
        .unwrap();
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    assert!(out.contains("2 file(s) read (4 record(s), 0 without data, 0 malformed), 0 already read, 1 skipped"), "{out}\n{err}");
    let db = db.to_str().unwrap();
    let o = rampart(tmp.path(), &["investigate", "entity", "i-01234567890123456", "--db", db, "--format", "json"]);
    let p: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {:?}", text(&o)));
    let flows: Vec<(u64, u64, u64)> = p["flows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["port"].as_u64().unwrap(), f["accepted_bytes"].as_u64().unwrap(), f["rejected_bytes"].as_u64().unwrap()))
        .collect();
    assert_eq!(flows, [(443, 9000, 0), (22, 0, 700)]);
    // Version 2: the interface's own address (in both records) gives the direction.
    let o = rampart(tmp.path(), &["investigate", "entity", "eni-2", "--db", db, "--format", "json"]);
    let p: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {:?}", text(&o)));
    let dirs: Vec<&str> = p["flows"].as_array().unwrap().iter().map(|f| f["direction"].as_str().unwrap()).collect();
    assert_eq!(dirs, ["out", "in"], "{}", p["flows"]);
    assert!(p["flows"].as_array().unwrap().iter().all(|f| f["peer"] == "198.51.100.9" && f["port"] == 443));
}
