//! `rampart demo` keeps the demo's inventory, so `rampart serve` answers reachability
//! questions over it — the same answers `rampart reach` gives over the demo snapshot.

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rampart(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run rampart");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "stdout: {}\nstderr: {}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A POST with a JSON body; the status and the body.
fn post(port: u16, path: &str, token: &str, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let req = format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    let status = raw.split(' ').nth(1).unwrap().parse().unwrap();
    let body = raw.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    // Chunked or not, the JSON object is the part from the first `{` to the last `}`.
    let body = match (body.find('{'), body.rfind('}')) {
        (Some(a), Some(b)) => body[a..=b].to_string(),
        _ => body,
    };
    (status, body)
}

struct Serve(std::process::Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(db: &Path) -> (Serve, u16) {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--db", db.to_str().unwrap()])
        .env("RAMPART_DELIVERY_EVERY", "3600")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let serve = Serve(child);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let line = rx.recv_timeout(deadline.saturating_duration_since(Instant::now())).expect("the server says it is serving");
        if line.contains("serving on") {
            return (serve, port);
        }
    }
}

#[test]
fn serve_answers_reach_questions_as_the_cli_does_after_demo() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rampart.db");
    let db_arg = db.to_str().unwrap();
    ok(rampart(&["demo", "--db", db_arg], ""));
    ok(rampart(&["users", "add", "reader", "--role", "viewer", "--db", db_arg], "correct horse battery staple\n"));
    let token = ok(rampart(&["users", "token", "reader", "--db", db_arg], "")).trim().to_string();
    let token = token.lines().last().unwrap().trim().to_string();
    let (_serve, port) = serve(&db);
    let snapshot = repo_root().join("testdata/demo/estate.json");
    // (from, to, port, the CLI's exit code: 0 reachable, 1 blocked)
    for (from, to, dport, code) in [
        ("internet", "i-e16f77274775bb409", "443", 0),
        ("internet", "i-e16f77274775bb409", "22", 1),
        ("internet", "i-d204f862b8cc95206", "3306", 1),
        ("10.20.1.5", "i-e16f77274775bb409", "443", 0),
    ] {
        let cli = rampart(
            &["reach", "--snapshot", snapshot.to_str().unwrap(), "--from", from, "--to", to, "--port", dport, "--format", "json"],
            "",
        );
        assert_eq!(cli.status.code(), Some(code), "{from} → {to}:{dport}: {}", String::from_utf8_lossy(&cli.stderr));
        let cli: Value = serde_json::from_slice(&cli.stdout).unwrap();
        let (status, body) = post(port, "/api/v1/reach", &token, &format!(r#"{{"from":"{from}","to":"{to}","port":{dport}}}"#));
        assert_eq!(status, 200, "{body}");
        let api: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(api["answers"][0]["answer"], cli, "{from} → {to}:{dport}: the API and `rampart reach` differ");
        assert_eq!(api["overall"], if code == 0 { "reachable" } else { "blocked" });
    }
    // A refusal is a 400 in one line.
    let (status, body) = post(port, "/api/v1/reach", &token, r#"{"from":"internet","to":"internet","port":443}"#);
    assert_eq!(status, 400, "{body}");
}
