//! `rampart serve`'s first start, as a person runs it: on a database without users it
//! prints a one-time password for `admin` once, to standard error; the password signs in
//! only to the page that changes it; a second start prints nothing; `--no-initial-admin`
//! refuses to start instead.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Starts `rampart serve` on a free port; returns the child, the port and its standard
/// error's lines as they come.
fn serve(db: &Path, extra: &[&str]) -> (Child, u16, mpsc::Receiver<String>) {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--db", db.to_str().unwrap()])
        .args(extra)
        .env("RAMPART_DELIVERY_EVERY", "3600")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, port, rx)
}

/// Standard error until the server says it is serving (or 60 s pass).
fn until_serving(rx: &mpsc::Receiver<String>) -> Vec<String> {
    let mut lines = Vec::new();
    while let Ok(line) = rx.recv_timeout(Duration::from_secs(60)) {
        let done = line.contains("serving on");
        lines.push(line);
        if done {
            return lines;
        }
    }
    panic!("the server did not say it was serving: {lines:#?}");
}

fn http(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = String::new();
    let _ = s.read_to_string(&mut raw);
    let status = raw.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, raw)
}

fn enc(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() || b == b'-' { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// Signs in through the form; the status and the `Location` header.
fn sign_in(port: u16, name: &str, password: &str) -> (u16, Option<String>) {
    let (_, page) = http(port, "GET", "/login", &[], "");
    let cookie = page.lines().find_map(|l| l.strip_prefix("set-cookie: rampart_login=")).unwrap().split(';').next().unwrap().to_string();
    let at = page.find("name=\"csrf\"").unwrap();
    let csrf = page[at..].split("value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let body = format!("name={}&password={}&csrf={csrf}&next=%2Ffindings", enc(name), enc(password));
    let (status, raw) = http(
        port,
        "POST",
        "/login",
        &[("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", &format!("rampart_login={cookie}"))],
        &body,
    );
    let location = raw.lines().find_map(|l| l.strip_prefix("location: ")).map(|l| l.trim().to_string());
    (status, location)
}

fn stop(mut child: Child) {
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn the_first_start_prints_a_one_time_password_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let (child, port, rx) = serve(&db, &[]);
    let lines = until_serving(&rx);
    let text = lines.join("\n");
    let password = lines
        .iter()
        .map(|l| l.trim())
        .find(|l| l.len() == 23 && l.matches('-').count() == 3 && !l.contains(' '))
        .unwrap_or_else(|| panic!("no one-time password on standard error:\n{text}"))
        .to_string();
    assert!(text.contains("`admin`"), "{text}");
    assert_eq!(text.matches(&password).count(), 1, "printed once, and in no log line:\n{text}");
    // It signs in, only to the page that changes it.
    assert_eq!(sign_in(port, "admin", &password), (303, Some("/password".to_string())));
    stop(child);
    let rest: Vec<String> = rx.try_iter().collect();
    assert!(!rest.iter().any(|l| l.contains(&password)), "the request log never shows it: {rest:#?}");

    // A second start: users exist, nothing is created or printed.
    let (child, port, rx) = serve(&db, &[]);
    let text = until_serving(&rx).join("\n");
    assert!(!text.contains("one-time password"), "{text}");
    assert_eq!(sign_in(port, "admin", &password).1.as_deref(), Some("/password"), "still to be changed");
    stop(child);
}

#[test]
fn no_initial_admin_refuses_an_empty_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let (mut child, _, rx) = serve(&db, &["--no-initial-admin"]);
    let status = child.wait().unwrap();
    let text: Vec<String> = rx.iter().collect();
    let text = text.join("\n");
    assert_eq!(status.code(), Some(2), "{text}");
    assert!(text.contains("rampart users add NAME --role admin"), "{text}");
    assert!(!text.contains("one-time password"), "{text}");
}

/// The CLI's state-changing commands leave one audit row each, under `cli:<OS user>`, with
/// their outcome; reading commands leave none.
#[test]
fn state_changing_commands_are_audited() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_rampart")).args(args).env("RAMPART_DB", &db).env("USER", "olga").env_remove("SUDO_USER").output().unwrap()
    };
    assert!(run(&["events", "add-action", "Escalate"]).status.success());
    assert!(run(&["events", "list"]).status.success());
    assert!(!run(&["events", "add-rule", "r", "--target", "no-such-target", "--pattern", "{}"]).status.success());
    let store = rampart_hub::Store::open_read_only(&db).unwrap();
    let rows = store.audit_entries(&rampart_hub::AuditFilter { limit: 10, ..Default::default() }).unwrap();
    let got: Vec<(&str, &str, Vec<String>, u16, &str)> =
        rows.iter().map(|e| (e.user.as_str(), e.route.as_str(), e.targets.clone(), e.status, e.method.as_str())).collect();
    assert_eq!(
        got,
        [
            ("cli:olga", "events add-rule", vec!["r".to_string()], 400, "CLI"),
            ("cli:olga", "events add-action", vec!["Escalate".to_string()], 200, "CLI"),
        ]
    );
}

/// Retention: `rampart serve --audit-days N` deletes the audit rows older than N days when
/// it starts.
#[test]
fn serve_prunes_the_audit_log_past_its_retention() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let entry = |days_ago: i64, route: &str| rampart_hub::AuditEntry {
        id: 0,
        at: time::OffsetDateTime::now_utc() - time::Duration::days(days_ago),
        user: "ana".into(),
        role: "admin".into(),
        method: "POST".into(),
        route: route.into(),
        targets: vec![],
        status: 200,
        client: "127.0.0.1".into(),
        user_agent: String::new(),
        repeats: 1,
    };
    {
        let mut s = rampart_hub::Store::open(&db).unwrap();
        s.record_audit(&entry(400, "/old")).unwrap();
        s.record_audit(&entry(10, "/recent")).unwrap();
    }
    let routes = || -> Vec<String> {
        let s = rampart_hub::Store::open_read_only(&db).unwrap();
        let rows = s.audit_entries(&rampart_hub::AuditFilter { user: Some("ana".into()), limit: 10, ..Default::default() }).unwrap();
        rows.into_iter().map(|e| e.route).collect()
    };
    let (child, _, rx) = serve(&db, &["--audit-days", "30"]);
    until_serving(&rx);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while routes().len() > 1 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    stop(child);
    assert_eq!(routes(), ["/recent"]);
}
