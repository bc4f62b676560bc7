//! The process around the routes: health, TLS, graceful stop.

use crate::common::TestServer;
use crate::http::parse;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::Duration;
use tokio_rustls::rustls;

#[test]
fn health_answers_without_credentials() {
    let s = TestServer::start();
    let r = s.client.get("/healthz", &[]);
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["status"], "ok");
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
}

#[test]
fn https_with_a_generated_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let cert = dir.path().join("cert.pem");
    let key = dir.path().join("key.pem");
    std::fs::write(&cert, ck.cert.pem()).unwrap();
    std::fs::write(&key, ck.signing_key.serialize_pem()).unwrap();
    let mut roots = rustls::RootCertStore::empty();
    roots.add(ck.cert.der().clone()).unwrap();
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let s = TestServer::start_with(Some((cert, key, Arc::new(config))));
    let r = s.client.get("/healthz", &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    // Under TLS the session cookie is Secure.
    let b = s.login("viewer", crate::common::PASSWORD).unwrap();
    let c = b.set_cookie.iter().find(|c| c.starts_with("rampart_session=")).unwrap();
    assert!(c.contains("; Secure"), "{c}");
    assert_eq!(b.get("/api/v1/me").json()["name"], "viewer");
    // Plain HTTP to the TLS port gets no HTTP answer.
    let mut plain = TcpStream::connect(s.client.addr).unwrap();
    plain.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    plain.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    let _ = plain.read_to_end(&mut raw);
    assert!(!String::from_utf8_lossy(&raw).contains("\"ok\""), "served in clear text");
}

#[test]
fn a_bad_certificate_is_a_one_line_error() {
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("cert.pem");
    std::fs::write(&cert, "not a certificate").unwrap();
    let e = rampart_server::tls_acceptor(&cert, &cert).err().unwrap();
    assert!(format!("{e:#}").contains("holds no certificate"), "{e:#}");
    let e = rampart_server::tls_acceptor(&dir.path().join("missing.pem"), &cert).err().unwrap();
    assert!(format!("{e:#}").contains("cannot read certificate"), "{e:#}");
}

#[test]
fn a_stop_lets_the_request_in_flight_finish() {
    let mut s = TestServer::start();
    let body = b"name=admin&password=x&csrf=y&next=%2F";
    let mut conn = TcpStream::connect(s.client.addr).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        conn,
        "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    conn.write_all(&body[..10]).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    // Stop while the request's body is still coming.
    let running = s.running.take().unwrap();
    let addr = running.addr;
    let stopper = std::thread::spawn(move || running.stop());
    std::thread::sleep(Duration::from_millis(300));
    assert!(!stopper.is_finished(), "the stop waits for the request in flight");
    conn.write_all(&body[10..]).unwrap();
    let mut raw = Vec::new();
    conn.read_to_end(&mut raw).unwrap();
    let r = parse(&raw);
    assert_eq!(r.status, 403, "the request was answered (the form token is missing): {}", r.body);
    stopper.join().unwrap();
    assert!(TcpStream::connect(addr).is_err(), "no new connection after the stop");
}

#[test]
fn serve_without_a_user_and_no_initial_admin_says_how_to_create_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("empty.db");
    let accounts = rampart_server::open_accounts(&db).unwrap();
    let args = rampart_server::ServeArgs {
        listen: "127.0.0.1:0".parse().unwrap(),
        db: Some(db.clone()),
        tls_cert: None,
        tls_key: None,
        log_format: rampart_server::LogFormat::Text,
        no_initial_admin: true,
        audit_days: 365,
        schedules: rampart_server::SchedulerArgs::defaults(),
    };
    let why = rampart_server::startup_refusal(accounts.as_ref(), &args).unwrap().expect("refused");
    assert!(why.contains(&format!("rampart users add NAME --role admin --db {}", db.display())), "{why}");
    let default = rampart_server::ServeArgs { no_initial_admin: false, ..args.clone() };
    assert!(rampart_server::startup_refusal(accounts.as_ref(), &default).unwrap().is_none(), "by default the first start creates an admin");
    rampart_server::add_user(accounts.as_ref(), "root", rampart_server::Role::Admin, crate::common::PASSWORD).unwrap();
    assert!(rampart_server::startup_refusal(accounts.as_ref(), &args).unwrap().is_none());
    assert!(rampart_server::first_start(accounts.as_ref(), &default).unwrap().is_none(), "users exist: nothing created");
}

/// Reads what the server answers on `s` until it closes or `wait` passes.
fn answer_within(s: &mut TcpStream, wait: Duration) -> String {
    s.set_read_timeout(Some(wait)).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&got).into_owned()
}

// These two set the server's limits through its environment before starting it: nextest
// runs each test in a process of its own.

#[test]
fn a_request_body_that_does_not_arrive_in_time_is_answered_408_and_the_connection_closed() {
    std::env::set_var("RAMPART_BODY_TIMEOUT", "1");
    let s = TestServer::start();
    let mut c = TcpStream::connect(s.client.addr).unwrap();
    // Headers promise 100 bytes; 10 come, then nothing.
    write!(
        c,
        "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nname=admin"
    )
    .unwrap();
    let started = std::time::Instant::now();
    let got = answer_within(&mut c, Duration::from_secs(10));
    assert!(got.starts_with("HTTP/1.1 408"), "{got}");
    assert!(got.to_ascii_lowercase().contains("connection: close"), "{got}");
    assert!(got.contains("did not arrive within 1 s"), "{got}");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    // A body that arrives in time is read as usual.
    assert_eq!(s.client.get("/healthz", &[]).status, 200);
}

#[test]
fn connections_over_the_limit_are_answered_503_and_closed_until_one_ends() {
    std::env::set_var("RAMPART_MAX_CONNECTIONS", "2");
    let s = TestServer::start();
    let idle: Vec<TcpStream> = (0..2).map(|_| TcpStream::connect(s.client.addr).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(200));
    let mut third = TcpStream::connect(s.client.addr).unwrap();
    let got = answer_within(&mut third, Duration::from_secs(5));
    assert!(got.starts_with("HTTP/1.1 503"), "{got}");
    assert!(got.to_ascii_lowercase().contains("retry-after: 1"), "{got}");
    // One idle client leaves: a new connection is served again.
    drop(idle);
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let mut c = TcpStream::connect(s.client.addr).unwrap();
        write!(c, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
        let got = answer_within(&mut c, Duration::from_secs(5));
        if got.starts_with("HTTP/1.1 200") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "still refused: {got}");
        std::thread::sleep(Duration::from_millis(100));
    }
}
