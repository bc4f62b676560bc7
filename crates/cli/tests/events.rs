//! `rampart events`: a custom action triggered on 20 findings reaches a loopback HTTP
//! receiver once, signed; 21 are refused; a receiver that is down leaves the delivery to
//! be retried, not lost.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::mpsc;

fn rampart(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart")).args(args).current_dir(dir).env("RAMPART_DB", dir.join("r.db")).env("HOOK_SECRET", "s3cret").output().unwrap()
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// A loopback HTTP receiver: each request's headers (lower-cased names) and body.
fn receiver() -> (String, mpsc::Receiver<(Vec<(String, String)>, Vec<u8>)>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            let mut reader = BufReader::new(conn.try_clone().unwrap());
            let mut headers = Vec::new();
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            loop {
                line.clear();
                reader.read_line(&mut line).unwrap();
                let l = line.trim_end();
                if l.is_empty() {
                    break;
                }
                let (k, v) = l.split_once(':').unwrap();
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
            let len: usize = headers.iter().find(|(k, _)| k == "content-length").map_or(0, |(_, v)| v.parse().unwrap());
            let mut body = vec![0; len];
            reader.read_exact(&mut body).unwrap();
            conn.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").unwrap();
            let _ = tx.send((headers, body));
        }
    });
    (url, rx)
}

#[test]
fn a_custom_action_on_twenty_findings_reaches_the_receiver_once_signed_and_twenty_one_are_refused() {
    let d = tempfile::tempdir().unwrap();
    let d = d.path();
    let report = d.join("demo.json");
    ok(rampart(d, &["demo", "--format", "json", "-o", report.to_str().unwrap()]));
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let failed: Vec<String> =
        doc["findings"].as_array().unwrap().iter().filter(|f| f["status"] == "FAILED").map(|f| f["id"].as_str().unwrap().to_string()).collect();
    assert!(failed.len() >= 21);

    let (url, got) = receiver();
    ok(rampart(d, &["events", "add-target", "soc", "--url", &url, "--secret-env", "HOOK_SECRET"]));
    ok(rampart(d, &["events", "add-rule", "to-soc", "--target", "soc", "--pattern", r#"{"detail-type": ["Security Hub Findings - Custom Action"]}"#]));
    ok(rampart(d, &["events", "add-action", "Send to SOC", "--description", "open a ticket"]));
    let listed = ok(rampart(d, &["events", "list"]));
    assert!(listed.contains("soc") && listed.contains("signed") && listed.contains("custom-action/1"), "{listed}");

    let mut args: Vec<&str> = vec!["events", "trigger", "Send to SOC"];
    args.extend(failed[..21].iter().map(String::as_str));
    let refused = rampart(d, &args);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("at most 20 findings"), "{}", String::from_utf8_lossy(&refused.stderr));
    args.pop();
    ok(rampart(d, &args));

    let out = rampart(d, &["events", "deliver"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (headers, body) = got.recv_timeout(std::time::Duration::from_secs(10)).unwrap();
    let header = |k: &str| headers.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let event: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(event["detail-type"], "Security Hub Findings - Custom Action");
    assert_eq!(event["detail"]["findings"].as_array().unwrap().len(), 20);
    assert_eq!(header("idempotency-key"), event["id"].as_str().unwrap());
    assert_eq!(header("x-rampart-signature"), format!("sha256={}", rampart_events::hmac_sha256_hex(b"s3cret", &body)));
    // Delivered once: a second pass sends nothing.
    ok(rampart(d, &["events", "deliver"]));
    assert!(got.recv_timeout(std::time::Duration::from_millis(500)).is_err());
}

#[test]
fn a_receiver_that_is_down_leaves_the_delivery_to_be_retried() {
    let d = tempfile::tempdir().unwrap();
    let d = d.path();
    let report = d.join("demo.json");
    ok(rampart(d, &["demo", "--format", "json", "-o", report.to_str().unwrap()]));
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let id = doc["findings"].as_array().unwrap().iter().find(|f| f["status"] == "FAILED").unwrap()["id"].as_str().unwrap().to_string();
    // A port nothing listens on.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    ok(rampart(d, &["events", "add-target", "down", "--url", &format!("http://{closed}/x")]));
    ok(rampart(d, &["events", "add-rule", "all", "--target", "down", "--pattern", r#"{"source": ["rampart.hub"]}"#]));
    ok(rampart(d, &["events", "add-action", "Escalate"]));
    ok(rampart(d, &["events", "trigger", "Escalate", &id]));
    let out = rampart(d, &["events", "deliver"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("0 delivered, 1 to retry later, 0 dead"), "{}", String::from_utf8_lossy(&out.stderr));
    // Not due again right away, and not dead.
    let again = rampart(d, &["events", "deliver"]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("0 delivered, 0 to retry later, 0 dead"), "{}", String::from_utf8_lossy(&again.stderr));
    let dead = rampart(d, &["events", "dead-letters"]);
    assert!(String::from_utf8_lossy(&dead.stderr).contains("0 dead letter(s)"));
}

#[test]
fn a_scan_sends_an_imported_event_for_each_finding_a_rule_selects() {
    let d = tempfile::tempdir().unwrap();
    let d = d.path();
    ok(rampart(d, &["demo", "--format", "json", "-o", "first.json"]));
    let (url, got) = receiver();
    ok(rampart(d, &["events", "add-target", "soc", "--url", &url]));
    // Critical failures only.
    ok(rampart(
        d,
        &["events", "add-rule", "critical", "--target", "soc", "--pattern",
          r#"{"detail-type": ["Security Hub Findings - Imported"], "detail": {"findings": {"status": ["FAILED"], "severity": ["CRITICAL"]}}}"#],
    ));
    ok(rampart(d, &["demo", "--format", "json", "-o", "second.json"]));
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(d.join("second.json")).unwrap()).unwrap();
    let critical = doc["findings"].as_array().unwrap().iter().filter(|f| f["status"] == "FAILED" && f["severity"] == "CRITICAL").count();
    assert!(critical > 0, "the demo has critical failures");
    ok(rampart(d, &["events", "deliver"]));
    let mut n = 0;
    while let Ok((_, body)) = got.recv_timeout(std::time::Duration::from_secs(2)) {
        let e: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(e["detail"]["findings"][0]["severity"], "CRITICAL");
        n += 1;
    }
    assert_eq!(n, critical);
}

/// `rampart serve` killed with SIGKILL after a custom action was triggered and before its
/// delivery: the restarted server delivers the event, once.
#[test]
fn a_server_killed_before_delivering_delivers_once_after_restart() {
    use std::process::Stdio;
    let d = tempfile::tempdir().unwrap();
    let d = d.path();
    let report = d.join("demo.json");
    ok(rampart(d, &["demo", "--format", "json", "-o", report.to_str().unwrap()]));
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let id = doc["findings"].as_array().unwrap().iter().find(|f| f["status"] == "FAILED").unwrap()["id"].as_str().unwrap().to_string();
    let mut add = Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(["users", "add", "admin", "--role", "admin"])
        .current_dir(d)
        .env("RAMPART_DB", d.join("r.db"))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    add.stdin.take().unwrap().write_all(b"a long enough password\n").unwrap();
    assert!(add.wait().unwrap().success());
    let (url, got) = receiver();
    ok(rampart(d, &["events", "add-target", "soc", "--url", &url]));
    ok(rampart(d, &["events", "add-rule", "actions", "--target", "soc", "--pattern", r#"{"detail-type": ["Security Hub Findings - Custom Action"]}"#]));
    ok(rampart(d, &["events", "add-action", "Escalate"]));

    let serve = |every: &str| {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(env!("CARGO_BIN_EXE_rampart"))
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .current_dir(d)
            .env("RAMPART_DB", d.join("r.db"))
            .env("RAMPART_DELIVERY_EVERY", every)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Up when /healthz answers.
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        child
    };
    // The server's first pass finds nothing due; the action is triggered while it runs and
    // its next pass is an hour away: it is killed before delivering.
    let mut first = serve("3600");
    std::thread::sleep(std::time::Duration::from_millis(500));
    ok(rampart(d, &["events", "trigger", "Escalate", &id]));
    first.kill().unwrap();
    first.wait().unwrap();
    assert!(got.recv_timeout(std::time::Duration::from_millis(500)).is_err(), "not delivered before the kill");

    let mut second = serve("1");
    let (headers, body) = got.recv_timeout(std::time::Duration::from_secs(15)).expect("delivered after the restart");
    let event: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(event["detail"]["actionName"], "Escalate");
    assert!(headers.iter().any(|(k, v)| k == "idempotency-key" && v == event["id"].as_str().unwrap()));
    assert!(got.recv_timeout(std::time::Duration::from_millis(2500)).is_err(), "delivered once");
    second.kill().unwrap();
    second.wait().unwrap();
}

/// Inspector's notifications: `rampart assess run` emits a state-change event for every
/// state the run reaches (and a FINDING_REPORTED per failed finding, and a COMPLETED
/// summary), through the outbox; a rule on source `rampart.inspector` and the state-change
/// detail-type routes exactly the state changes, in order, to a receiver; a run that fails
/// ends with FAILED and `error: true`.
#[test]
fn an_assessment_run_sends_its_state_changes_in_order_to_a_rule_on_rampart_inspector() {
    let d = tempfile::tempdir().unwrap();
    let d = d.path();
    let telemetry = d.join("host.json");
    ok(rampart(d, &["agent", "--once", "-o", telemetry.to_str().unwrap()]));
    ok(rampart(d, &["assess", "target", "all"]));
    ok(rampart(d, &["assess", "template", "cis", "--target", "all", "--rules", "cis", "--duration", "600"]));
    ok(rampart(d, &["assess", "target", "none", "--host", "no-such-host-*"]));
    ok(rampart(d, &["assess", "template", "empty", "--target", "none", "--rules", "cis", "--duration", "600"]));

    let (url, got) = receiver();
    ok(rampart(d, &["events", "add-target", "runs", "--url", &url]));
    ok(rampart(
        d,
        &["events", "add-rule", "run states", "--target", "runs", "--pattern", r#"{"source": ["rampart.inspector"], "detail-type": ["Inspector Assessment Run State Change"]}"#],
    ));
    let (all_url, all) = receiver();
    ok(rampart(d, &["events", "add-target", "everything", "--url", &all_url]));
    ok(rampart(d, &["events", "add-rule", "all inspector", "--target", "everything", "--pattern", r#"{"source": ["rampart.inspector"]}"#]));

    ok(rampart(d, &["assess", "run", "cis", "--telemetry", telemetry.to_str().unwrap()]));
    let failed = rampart(d, &["assess", "run", "empty", "--telemetry", telemetry.to_str().unwrap()]);
    assert!(!failed.status.success());
    let out = rampart(d, &["events", "deliver"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let recv = |rx: &mpsc::Receiver<(Vec<(String, String)>, Vec<u8>)>| -> Vec<serde_json::Value> {
        let mut v = Vec::new();
        while let Ok((_, body)) = rx.recv_timeout(std::time::Duration::from_secs(2)) {
            v.push(serde_json::from_slice(&body).unwrap());
        }
        v
    };
    let states = recv(&got);
    let seen: Vec<(i64, String, String, bool)> = states
        .iter()
        .map(|e| {
            assert_eq!(e["source"], "rampart.inspector");
            assert_eq!(e["detail"]["event"], "ASSESSMENT_RUN_STATE_CHANGED");
            let d = &e["detail"];
            (d["assessmentRunId"].as_i64().unwrap(), d["state"].as_str().unwrap().to_string(), d["previousState"].as_str().unwrap_or("-").to_string(), d["error"] == true)
        })
        .collect();
    let expect: Vec<(i64, String, String, bool)> = [
        (1, "CREATED", "-", false),
        (1, "COLLECTING_DATA", "CREATED", false),
        (1, "EVALUATING_RULES", "COLLECTING_DATA", false),
        (1, "COMPLETED", "EVALUATING_RULES", false),
        (2, "CREATED", "-", false),
        (2, "COLLECTING_DATA", "CREATED", false),
        (2, "FAILED", "COLLECTING_DATA", true),
    ]
    .into_iter()
    .map(|(r, s, p, e)| (r, s.to_string(), p.to_string(), e))
    .collect();
    assert_eq!(seen, expect);
    assert!(states.last().unwrap()["detail"]["message"].as_str().unwrap().contains("no telemetry document"), "{}", states.last().unwrap());

    // Every Inspector event of run 1, in order: STARTED, the state changes, a
    // FINDING_REPORTED per failed finding while EVALUATING_RULES, then COMPLETED.
    let everything = recv(&all);
    let run1: Vec<String> = everything.iter().filter(|e| e["detail"]["assessmentRunId"] == 1).map(|e| e["detail"]["event"].as_str().unwrap().to_string()).collect();
    let reported = run1.iter().filter(|e| *e == "FINDING_REPORTED").count();
    let mut expect = vec!["ASSESSMENT_RUN_STARTED", "ASSESSMENT_RUN_STATE_CHANGED", "ASSESSMENT_RUN_STATE_CHANGED", "ASSESSMENT_RUN_STATE_CHANGED"];
    expect.extend(std::iter::repeat_n("FINDING_REPORTED", reported));
    expect.extend(["ASSESSMENT_RUN_STATE_CHANGED", "ASSESSMENT_RUN_COMPLETED"]);
    assert_eq!(run1, expect);
    for e in everything.iter().filter(|e| e["detail"]["event"] == "FINDING_REPORTED") {
        assert_eq!(e["detail-type"], "Inspector Finding Reported");
        assert_eq!(e["detail"]["finding"]["status"], "FAILED");
        assert_eq!(e["detail"]["state"], "EVALUATING_RULES");
    }
}

/// SNS and email targets from the CLI: bad settings are one-line errors saying what to
/// give (exit 2), good ones are listed; the SMTP password is named, never taken.
#[test]
fn sns_and_email_targets_are_checked_and_listed() {
    let d = tempfile::tempdir().unwrap();
    let d = d.path();
    let err = |args: &[&str], says: &str| {
        let out = rampart(d, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let e = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(e.contains(says), "{args:?}: {e}");
        assert_eq!(e.trim().lines().count(), 1, "{e}");
    };
    err(&["events", "add-sns", "t", "--topic-arn", "security", "--region", "eu-west-1"], "is not an SNS topic ARN");
    err(&["events", "add-sns", "t", "--topic-arn", "arn:aws:sns:us-east-1:123456789012:sec", "--region", "eu-west-1"], "give the topic's own region");
    err(&["events", "add-email", "m", "--smtp-host", "smtp.example.com", "--from", "nobody", "--to", "soc@example.com"], "is not an email address");
    err(
        &["events", "add-email", "m", "--smtp-host", "smtp.example.com", "--from", "r@example.com", "--to", "soc@example.com", "--smtp-user", "u", "--smtp-password-env", "not a var"],
        "not an environment variable name",
    );
    err(
        &["events", "add-email", "m", "--smtp-host", "smtp.example.com", "--from", "r@example.com", "--to", "soc@example.com", "--smtp-user", "u", "--smtp-password-env", "AWS_SECRET_ACCESS_KEY"],
        "must start with RAMPART_SMTP_",
    );
    ok(rampart(d, &["events", "add-sns", "alerts", "--topic-arn", "arn:aws:sns:eu-west-1:123456789012:sec", "--region", "eu-west-1", "--profile", "security"]));
    ok(rampart(
        d,
        &["events", "add-email", "oncall", "--smtp-host", "smtp.example.com", "--from", "r@example.com", "--to", "soc@example.com", "--to", "b@example.com", "--smtp-user", "u", "--smtp-password-env", "RAMPART_SMTP_PW"],
    ));
    let listed = ok(rampart(d, &["events", "list"]));
    assert!(listed.contains("alerts") && listed.contains("sns") && listed.contains("arn:aws:sns:eu-west-1:123456789012:sec"), "{listed}");
    assert!(listed.contains("oncall") && listed.contains("email") && listed.contains("soc@example.com, b@example.com"), "{listed}");
}

#[test]
fn targets_rules_and_actions_are_removed_and_dead_letters_retried_from_the_cli() {
    let d = tempfile::tempdir().unwrap();
    let d = d.path();
    let report = d.join("demo.json");
    ok(rampart(d, &["demo", "--format", "json", "-o", report.to_str().unwrap()]));
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let id = doc["findings"].as_array().unwrap().iter().find(|f| f["status"] == "FAILED").unwrap()["id"].as_str().unwrap().to_string();
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    ok(rampart(d, &["events", "add-target", "down", "--url", &format!("http://{closed}/x")]));
    ok(rampart(d, &["events", "add-rule", "all", "--target", "down", "--pattern", r#"{"source": ["rampart.hub"]}"#]));
    ok(rampart(d, &["events", "add-action", "Escalate"]));

    // A disabled rule is listed as such and routes nothing.
    ok(rampart(d, &["events", "disable-rule", "all"]));
    assert!(ok(rampart(d, &["events", "list"])).contains("(disabled)"));
    ok(rampart(d, &["events", "trigger", "Escalate", &id]));
    let out = rampart(d, &["events", "deliver"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("0 delivered, 0 to retry later, 0 dead"), "{}", String::from_utf8_lossy(&out.stderr));
    ok(rampart(d, &["events", "enable-rule", "all"]));
    assert!(!ok(rampart(d, &["events", "list"])).contains("(disabled)"));

    // A delivery that failed every attempt becomes a dead letter; `retry` queues it again.
    ok(rampart(d, &["events", "trigger", "Escalate", &id]));
    let db = d.join("r.db");
    let mut store = rampart_hub::Store::open(&db).unwrap();
    let due = store.due_deliveries(rampart_app::now(), 10).unwrap();
    assert_eq!(due.len(), 1);
    let event = due[0].event_id.clone();
    store.delivery_failed(&event, due[0].target.id, "connection refused", None).unwrap();
    drop(store);
    let dead = rampart(d, &["events", "dead-letters"]);
    assert!(String::from_utf8_lossy(&dead.stdout).contains(&event));
    assert!(String::from_utf8_lossy(&dead.stderr).contains("rampart events retry EVENT_ID"));
    let wrong = rampart(d, &["events", "retry", "no-such-event"]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("no dead letter of event `no-such-event`"), "{}", String::from_utf8_lossy(&wrong.stderr));
    ok(rampart(d, &["events", "retry", &event, "--target", "down"]));
    assert!(String::from_utf8_lossy(&rampart(d, &["events", "dead-letters"]).stderr).contains("0 dead letter(s)"));
    let out = rampart(d, &["events", "deliver"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("0 delivered, 1 to retry later"), "{}", String::from_utf8_lossy(&out.stderr));

    // Deleting: the action, the rule, the target; each unknown name is an error.
    ok(rampart(d, &["events", "delete-action", "Escalate"]));
    ok(rampart(d, &["events", "delete-rule", "all"]));
    ok(rampart(d, &["events", "delete-target", "down"]));
    let listed = ok(rampart(d, &["events", "list"]));
    assert!(!listed.contains("Escalate") && !listed.contains("down"), "{listed}");
    for args in [["events", "delete-rule", "all"], ["events", "delete-target", "down"], ["events", "delete-action", "Escalate"]] {
        assert_eq!(rampart(d, &args).status.code(), Some(2), "{args:?}");
    }
    // Each change is in the audit log.
    let store = rampart_hub::Store::open_read_only(&db).unwrap();
    let log = format!("{:?}", store.audit_entries(&rampart_hub::AuditFilter { limit: 100, ..Default::default() }).unwrap());
    for command in ["events disable-rule", "events enable-rule", "events retry", "events delete-action", "events delete-rule", "events delete-target"] {
        assert!(log.contains(command), "{command} not in the audit log");
    }
}
