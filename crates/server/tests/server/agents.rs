//! Agents that report in, end to end over loopback: tokens issued by an admin, uploads
//! checked (401, 403, 400, 413 with a message, nothing stored), the app's agent (its HTTPS
//! uploader and spool) pointed at a server that is down and then up, assessments run on
//! upload, and the `/agents` page in Chromium.

use crate::common::{bearer, demo_db, TestServer, PASSWORD};
use crate::http::Client;
use rampart_app::agent::{spool::Spool, upload::Https, Agent, SendError};
use rampart_host::Telemetry;
use rampart_model::Observed;
use rampart_server::{Options, Role};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

const UPLOAD: &str = "/api/v1/agents/telemetry";

fn doc(host: &str, at: time::OffsetDateTime) -> Telemetry {
    let mut t = Telemetry::from_json(r#"{"schema_version":2,"collected_at":"2026-12-07T10:00:00Z","root":"/","host":{}}"#).unwrap();
    t.host.hostname = Observed::Known(host.to_string());
    t.collected_at = at;
    t
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn issue(s: &TestServer, name: &str) -> String {
    let admin = s.token(Role::Admin);
    let r = s.client.request(
        "POST",
        "/api/v1/agents",
        &[("Authorization", &bearer(&admin)), ("Content-Type", "application/json")],
        format!(r#"{{"name":"{name}"}}"#).as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["token"].as_str().unwrap().to_string()
}

fn upload(client: &Client, token: &str, body: &[u8], encoding: Option<&str>) -> crate::http::Response {
    let auth = bearer(token);
    let mut headers = vec![("Authorization", auth.as_str()), ("Content-Type", "application/json"), ("User-Agent", "rampart-agent/9.9.9")];
    if let Some(e) = encoding {
        headers.push(("Content-Encoding", e));
    }
    client.request("POST", UPLOAD, &headers, body)
}

fn stored(s: &TestServer) -> u64 {
    s.store().telemetry_count(None).unwrap()
}

fn agents(s: &TestServer) -> serde_json::Value {
    let viewer = s.token(Role::Viewer);
    let r = s.client.get("/api/v1/agents", &[("Authorization", &bearer(&viewer))]);
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["agents"].clone()
}

#[test]
fn an_upload_is_stored_and_binds_the_token_to_its_host() {
    let s = TestServer::start();
    let token = issue(&s, "web-1");
    assert!(token.starts_with("rampart_agent_"), "{token}");
    let body = gzip(doc("web-1", rampart_app::now()).to_json().as_bytes());
    let r = upload(&s.client, &token, &body, Some("gzip"));
    assert_eq!(r.status, 202, "{}", r.body);
    assert_eq!((r.json()["agent"].as_str(), r.json()["host"].as_str()), (Some("web-1"), Some("web-1")));
    let a = &agents(&s)[0];
    assert_eq!(
        (a["name"].as_str(), a["host"].as_str(), a["version"].as_str(), a["uploads"].as_u64()),
        (Some("web-1"), Some("web-1"), Some("9.9.9"), Some(1))
    );
    assert_eq!((a["silent"].as_bool(), a["revoked"].as_bool()), (Some(false), Some(false)));
    // The same token from another host: refused, nothing stored.
    let other = gzip(doc("db-1", rampart_app::now()).to_json().as_bytes());
    let r = upload(&s.client, &token, &other, Some("gzip"));
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.json()["error"].as_str().unwrap().contains("bound to host `web-1`"), "{}", r.body);
    assert_eq!(stored(&s), 1);
    // A second token's first upload naming the bound host: refused, nothing stored, and
    // the second token stays unbound.
    let intruder = issue(&s, "intruder");
    let r = upload(&s.client, &intruder, &body, Some("gzip"));
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.json()["error"].as_str().unwrap().contains("bound to agent `web-1`"), "{}", r.body);
    assert_eq!(stored(&s), 1);
    // The audit log names the agent.
    let admin = s.token(Role::Admin);
    let log = s.client.get("/api/v1/audit?route=/api/v1/agents/telemetry", &[("Authorization", &bearer(&admin))]).json();
    let rows = log["entries"].as_array().unwrap();
    assert!(rows.iter().any(|e| e["user"] == "agent:web-1" && e["status"] == 202 && e["targets"][0] == "web-1"), "{log}");
    // Revoked: 401, nothing stored.
    let r = s.client.request("POST", "/api/v1/agents/web-1/revoke", &[("Authorization", &bearer(&admin))], b"");
    assert_eq!(r.status, 204, "{}", r.body);
    let r = upload(&s.client, &token, &body, Some("gzip"));
    assert_eq!(r.status, 401, "{}", r.body);
    assert_eq!(stored(&s), 1);
    assert!(agents(&s).as_array().unwrap().iter().any(|a| a["name"] == "web-1" && a["revoked"].as_bool() == Some(true)));
}

#[test]
fn a_bad_token_is_401_and_nothing_is_stored() {
    let s = TestServer::start();
    issue(&s, "web-1");
    let body = gzip(doc("web-1", rampart_app::now()).to_json().as_bytes());
    let forged = format!("rampart_agent_{}", "0".repeat(64));
    for token in [forged.as_str(), "rampart_agent_", "nonsense"] {
        let r = upload(&s.client, token, &body, Some("gzip"));
        assert_eq!(r.status, 401, "{token}: {}", r.body);
        assert!(r.json()["error"].as_str().unwrap().contains("agent token"), "{}", r.body);
    }
    let r = s.client.request("POST", UPLOAD, &[("Content-Encoding", "gzip")], &body);
    assert_eq!(r.status, 401, "{}", r.body);
    // A user's token, even an admin's, is not an agent's.
    let r = upload(&s.client, &s.token(Role::Admin), &body, Some("gzip"));
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(stored(&s), 0);
    assert_eq!(agents(&s)[0]["uploads"].as_u64(), Some(0));
}

fn audit_rows(s: &TestServer) -> Vec<serde_json::Value> {
    let admin = s.token(Role::Admin);
    let log = s.client.get(&format!("/api/v1/audit?route={UPLOAD}&limit=500"), &[("Authorization", &bearer(&admin))]);
    assert_eq!(log.status, 200, "{}", log.body);
    log.json()["entries"].as_array().unwrap().clone()
}

/// The audit log keeps an agent's first upload (the one that binds its host) and every
/// refusal, not a row per routine upload; a taken name is 409 by its kind, not its words.
#[test]
fn the_audit_log_keeps_the_binding_upload_and_refusals_not_every_upload() {
    let s = TestServer::start();
    let token = issue(&s, "web-1");
    for _ in 0..3 {
        let r = upload(&s.client, &token, &gzip(doc("web-1", rampart_app::now()).to_json().as_bytes()), Some("gzip"));
        assert_eq!(r.status, 202, "{}", r.body);
    }
    let r = upload(&s.client, &token, &gzip(doc("db-1", rampart_app::now()).to_json().as_bytes()), Some("gzip"));
    assert_eq!(r.status, 403, "{}", r.body);
    let r = upload(&s.client, &token, b"not gzip", Some("gzip"));
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(agents(&s)[0]["uploads"].as_u64(), Some(3), "the agent's status counts every upload");
    let rows = audit_rows(&s);
    let statuses: Vec<u64> = rows.iter().map(|e| e["status"].as_u64().unwrap()).collect();
    assert_eq!(statuses, [400, 403, 202], "newest first: {rows:?}");
    assert!(rows.iter().all(|e| e["user"] == "agent:web-1"), "{rows:?}");
    // The name is taken: 409, whatever the message says.
    let admin = s.token(Role::Admin);
    let r = s.client.request(
        "POST",
        "/api/v1/agents",
        &[("Authorization", &bearer(&admin)), ("Content-Type", "application/json")],
        br#"{"name":"web-1"}"#,
    );
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.json()["error"].as_str().unwrap().contains("agent `web-1` exists"), "{}", r.body);
}

/// Anonymous refusals (no credential, or an agent token the server does not know) are one
/// audit row per address and minute, the others counted in it: a client without
/// credentials cannot grow the table a row per request.
#[test]
fn anonymous_refusals_are_one_audit_row_per_address_and_minute() {
    let s = TestServer::start();
    let body = gzip(doc("web-1", rampart_app::now()).to_json().as_bytes());
    let forged = format!("rampart_agent_{}", "0".repeat(64));
    for i in 0..60 {
        let r = if i % 2 == 0 { upload(&s.client, &forged, &body, Some("gzip")) } else { s.client.request("POST", UPLOAD, &[], &body) };
        assert_eq!(r.status, 401, "{}", r.body);
    }
    let rows = audit_rows(&s);
    // Sixty requests within a minute, or two minutes if the clock turned meanwhile.
    assert!((1..=2).contains(&rows.len()), "{rows:?}");
    assert!(rows.iter().all(|e| e["user"] == "" && e["status"] == 401 && e["client"] == "127.0.0.1"), "{rows:?}");
    assert_eq!(rows.iter().map(|e| e["repeats"].as_u64().unwrap()).sum::<u64>(), 60, "{rows:?}");
}

/// Sends a request whose body may be refused before it is all read: write errors are
/// ignored, the answer is read as far as it came.
fn send_raw(addr: std::net::SocketAddr, token: &str, body: &[u8]) -> (u16, String) {
    let mut tcp = TcpStream::connect(addr).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let head = format!(
        "POST {UPLOAD} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nAuthorization: Bearer {token}\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let _ = tcp.write_all(head.as_bytes());
    let _ = tcp.write_all(body);
    let mut raw = Vec::new();
    let _ = tcp.read_to_end(&mut raw);
    let r = crate::http::parse(&raw);
    (r.status, r.body)
}

#[test]
fn malformed_or_oversized_uploads_are_400_or_413_with_a_message() {
    let s = TestServer::start();
    let token = issue(&s, "web-1");
    let limits = rampart_app::agent::LIMITS;
    let mut cases: Vec<(&str, Vec<u8>, Option<&str>, u16, &str)> = vec![
        ("not gzip", b"{\"schema_version\": 2}".to_vec(), Some("gzip"), 400, "not valid gzip"),
        ("not JSON", gzip(b"schema_version: 2"), Some("gzip"), 400, "telemetry is not valid JSON"),
        ("not a document", gzip(b"{\"a\": 1}"), Some("gzip"), 400, "telemetry is not valid JSON: missing field"),
        (
            "no host",
            gzip(br#"{"schema_version":2,"collected_at":"2026-12-07T10:00:00Z","root":"/","host":{}}"#),
            Some("gzip"),
            400,
            "names no host",
        ),
        (
            "newer schema",
            gzip(doc("web-1", rampart_app::now()).to_json().replace("\"schema_version\": 2", "\"schema_version\": 77").as_bytes()),
            Some("gzip"),
            400,
            "newer than this build reads",
        ),
        ("another encoding", gzip(b"{}"), Some("br"), 400, "unsupported Content-Encoding `br`"),
    ];
    // A gzip bomb: a few hundred KiB that inflate past the 64 MiB bound.
    let bomb = gzip(&vec![b' '; limits.json + 1]);
    assert!(bomb.len() < limits.compressed);
    cases.push(("gzip bomb", bomb, Some("gzip"), 413, "once decompressed"));
    for (what, body, encoding, status, message) in &cases {
        let r = upload(&s.client, &token, body, *encoding);
        assert_eq!(r.status, *status, "{what}: {}", r.body);
        let error = r.json()["error"].as_str().unwrap().to_string();
        assert!(error.contains(message), "{what}: {error}");
    }
    // Larger than the bound as sent: 413 with the bound, whether it comes just over
    // (read and thrown away) or far over (refused by its Content-Length).
    for size in [limits.compressed + 1, 3 * limits.compressed] {
        let (status, body) = send_raw(s.client.addr, &token, &vec![0x1f; size]);
        assert_eq!(status, 413, "{size} bytes: {body}");
        assert!(body.contains(&format!("larger than {} bytes as sent", limits.compressed)), "{body}");
    }
    assert_eq!(stored(&s), 0);
    assert_eq!(agents(&s)[0]["uploads"].as_u64(), Some(0));
}

/// A server on a port chosen before it starts (the agent is pointed at it while it is down).
fn start_on(addr: std::net::SocketAddr, dir: tempfile::TempDir, tls: Option<(std::path::PathBuf, std::path::PathBuf)>) -> TestServer {
    let db = dir.path().join("rampart.db");
    let accounts = rampart_server::open_accounts(&db).unwrap();
    if accounts.users().unwrap().is_empty() {
        for role in Role::ALL {
            rampart_server::add_user(accounts.as_ref(), role.as_str(), role, PASSWORD).unwrap();
        }
    }
    let running = rampart_server::start(&Options { listen: addr, db: db.clone(), tls }, Arc::clone(&accounts)).unwrap();
    TestServer {
        client: Client { addr: running.addr, tls: None },
        dir,
        planted: String::new(),
        accounts,
        running: Some(running),
        db,
        pg: None,
    }
}

fn free_port() -> std::net::SocketAddr {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap()
}

#[test]
fn while_the_server_is_down_the_agent_spools_and_delivers_in_order_when_it_is_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rampart.db");
    demo_db(&db);
    // An admin issued the token and made a template that targets web hosts.
    let token = {
        let mut store = rampart_hub::Store::open(&db).unwrap();
        let sel = rampart_hub::TargetSelector { tags: Default::default(), hosts: vec!["web-*".into()] };
        store.create_target("web", &sel, rampart_app::now()).unwrap();
        store.create_template("web-cis", "web", &["cis".to_string()], 3600, rampart_app::now()).unwrap();
        rampart_app::agent::issue(&mut store, "web-1", "admin", rampart_app::now()).unwrap()
    };
    let addr = free_port();
    let spool_dir = tempfile::tempdir().unwrap();
    let uploader = Https::new(&format!("http://{addr}"), &token, None, Duration::from_secs(600)).unwrap();
    let notify = rampart_app::Collected::default();
    let collect = |now| doc("web-1", now);
    let agent =
        Agent { spool: Spool::open(spool_dir.path(), 10, 1 << 30).unwrap(), uploader: &uploader, collect: &collect, notify: &notify };
    // Down: both collections stay spooled.
    let first = rampart_app::now() - time::Duration::minutes(20);
    let second = rampart_app::now() - time::Duration::minutes(10);
    for at in [first, second] {
        agent.collect_and_spool(at).unwrap();
        let d = agent.deliver().unwrap();
        assert_eq!(d.delivered, 0);
        assert!(matches!(d.stopped, Some(SendError::Retry(_))), "{:?}", d.stopped);
    }
    assert_eq!(agent.spool.list().unwrap().len(), 2);
    // Up: both delivered, oldest first, and the spool is empty.
    let s = start_on(addr, dir, None);
    let d = agent.deliver().unwrap();
    assert_eq!((d.delivered, d.stopped), (2, None));
    assert!(agent.spool.list().unwrap().is_empty());
    let store = s.store();
    let docs: Vec<Telemetry> = (1..=2).map(|id| Telemetry::from_json(&store.telemetry_document(id).unwrap().unwrap()).unwrap()).collect();
    assert_eq!(
        docs.iter().map(|d| rampart_model::rfc3339(d.collected_at)).collect::<Vec<_>>(),
        [rampart_model::rfc3339(first), rampart_model::rfc3339(second)]
    );
    let a = &agents(&s)[0];
    assert_eq!(
        (a["uploads"].as_u64(), a["interval_seconds"].as_u64(), a["version"].as_str()),
        (Some(2), Some(600), Some(env!("CARGO_PKG_VERSION")))
    );
    // The template that targets the host ran once on the first upload (its window is an hour).
    let viewer = s.token(Role::Viewer);
    let deadline = Instant::now() + Duration::from_secs(30);
    let runs = loop {
        let runs = s.client.get("/api/v1/assessment/runs", &[("Authorization", &bearer(&viewer))]).json();
        let done: Vec<serde_json::Value> =
            runs.as_array().cloned().unwrap_or_default().into_iter().filter(|r| r["template"] == "web-cis").collect();
        if done.iter().any(|r| r["state"] == "COMPLETED") || Instant::now() > deadline {
            break done;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert_eq!(runs[0]["state"], "COMPLETED", "{runs:?}");
    assert_eq!(runs[0]["hosts"], serde_json::json!(["web-1"]), "{runs:?}");
}

#[test]
fn over_https_the_agent_trusts_the_ca_it_is_given_and_never_sends_a_token_in_clear() {
    let dir = tempfile::tempdir().unwrap();
    demo_db(&dir.path().join("rampart.db"));
    let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert, ck.cert.pem()).unwrap();
    std::fs::write(&key, ck.signing_key.serialize_pem()).unwrap();
    let token = rampart_app::agent::issue(
        &mut rampart_hub::Store::open(&dir.path().join("rampart.db")).unwrap(),
        "web-1",
        "admin",
        rampart_app::now(),
    )
    .unwrap();
    let s = start_on("127.0.0.1:0".parse().unwrap(), dir, Some((cert.clone(), key)));
    let url = format!("https://localhost:{}", s.client.addr.port());
    let body = rampart_host::upload::encode(&doc("web-1", rampart_app::now()), &rampart_app::agent::LIMITS).unwrap();
    use rampart_app::agent::Uploader;
    Https::new(&url, &token, Some(&cert), Duration::from_secs(3600)).unwrap().send(&body).unwrap();
    // Without the CA, the self-signed certificate is not trusted: retried, never sent.
    let untrusted = Https::new(&url, &token, Some(Path::new(&ck_other_ca(s.dir.path()))), Duration::from_secs(3600)).unwrap().send(&body);
    assert!(matches!(&untrusted, Err(SendError::Retry(m)) if m.to_lowercase().contains("certificate")), "{untrusted:?}");
    assert_eq!(stored(&s), 1);
    // Plain http to another machine is refused before anything is sent.
    let e = Https::new("http://10.0.0.1:8080", &token, None, Duration::from_secs(3600)).err().unwrap();
    assert!(e.to_string().contains("refusing to send the agent token over plain http"), "{e}");
}

/// Another self-signed certificate, as a CA file that does not sign the server's.
fn ck_other_ca(dir: &Path) -> std::path::PathBuf {
    let other = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let p = dir.join("other-ca.pem");
    std::fs::write(&p, other.cert.pem()).unwrap();
    p
}

/// In Chromium at 900 px: an admin issues a token through the form (shown once), sees a
/// reporting agent and a silent one flagged, and revokes one. Saves
/// `docs/img/console-agents.png`.
#[test]
fn the_agents_page_in_chromium() {
    use crate::browser::{browser, click, no_sideways_scroll, type_into, wait_for};
    let s = TestServer::start();
    let token = issue(&s, "web-1");
    let mut t = doc("web-1", rampart_app::now());
    t.problems
        .push(rampart_host::Problem { section: "shadow".into(), message: "/etc/shadow: permission denied (run the agent as root)".into() });
    let r = upload(&s.client, &token, &gzip(t.to_json().as_bytes()), Some("gzip"));
    assert_eq!(r.status, 202, "{}", r.body);
    {
        // An agent issued three hours ago that never reported: silent (two hourly intervals).
        let mut store = s.store();
        let hash = rampart_app::agent::digest("rampart_agent_db");
        store.add_agent("db-1", &hash, "admin", rampart_app::now() - time::Duration::hours(3)).unwrap();
    }
    let base = format!("http://{}", s.client.addr);
    let profile = tempfile::tempdir().unwrap();
    let (_driver, b) = browser(profile.path());
    b.post("url", serde_json::json!({ "url": format!("{base}/login?next=/agents") }));
    wait_for(&b, "return !!document.getElementById('name');");
    type_into(&b, "#name", "admin");
    type_into(&b, "#password", PASSWORD);
    click(&b, "#signin");
    wait_for(&b, "return location.pathname === '/agents' && !!document.getElementById('issue');");
    let text = b.run("return document.body.innerText;");
    let text = text.as_str().unwrap();
    assert!(text.contains("1 silent"), "{text}");
    assert!(b.run("return document.querySelector('#agent-db-1').innerText.includes('SILENT');") == serde_json::json!(true));
    assert!(b.run("return document.querySelector('#agent-web-1').innerText.includes('REPORTING');") == serde_json::json!(true));
    assert!(b.run("return document.querySelector('#agent-web-1').innerText.includes('PARTIAL');") == serde_json::json!(true));
    // Issue a token through the form: shown once.
    type_into(&b, "#issue input[name=name]", "app-1");
    click(&b, "#issue button");
    wait_for(&b, "return !!document.getElementById('issued');");
    let issued = b.run("return document.querySelector('#issued code').innerText;");
    assert!(issued.as_str().unwrap().contains("rampart_agent_"), "{issued}");
    no_sideways_scroll(&b, "agents");
    let img = crate::common::root().join("docs/img");
    std::fs::create_dir_all(&img).unwrap();
    std::fs::write(img.join("console-agents.png"), b.screenshot()).unwrap();
    // Revoke db-1.
    click(&b, "#agent-db-1 form button");
    wait_for(&b, "return location.pathname === '/agents' && !document.getElementById('issued') && document.querySelector('#agent-db-1').innerText.includes('REVOKED');");
    let list = agents(&s);
    let names: Vec<&str> = list.as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["app-1", "db-1", "web-1"]);
}
