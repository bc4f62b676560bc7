//! The deliverer of `rampart serve` and `rampart events deliver` (`rampart_server::delivery`),
//! one sender for every kind of target, through the outbox of a real SQLite file:
//! - SNS on moto: an event reaches an SQS queue subscribed to the topic; a missing topic is
//!   retried, then a dead letter whose error names AWS's error code;
//! - email through a loopback SMTP sink written here: subject, recipients, text, the event
//!   id in the Message-ID, the password from the named environment variable; the sink down
//!   → retries with backoff, then a dead letter;
//! - a Slack-compatible incoming-webhook body (`text` and `blocks`) at a loopback receiver.

#[path = "../../../../testdata/moto/harness.rs"]
mod harness;

use rampart_app::events::{backoff, create_rule, deliver_due, publish, DeliveryPass, MAX_ATTEMPTS};
use rampart_app::notify::{create_email_target, create_sns_target, EmailSettings};
use rampart_events::Event;
use rampart_hub::Store;
use rampart_server::delivery::HttpSender;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

fn event(id: &str, title: &str) -> Event {
    Event {
        version: "0".into(),
        id: id.into(),
        detail_type: rampart_events::DETAIL_TYPE_IMPORTED.into(),
        source: rampart_events::SOURCE.into(),
        account: "123456789012".into(),
        time: rampart_app::now(),
        region: "eu-west-1".into(),
        resources: vec!["arn:aws:s3:::logs".into()],
        detail: json!({"findings": [{"title": title, "severity": "HIGH", "status": "FAILED", "resource": {"id": "arn:aws:s3:::logs"}}]}),
    }
}

fn store_at(dir: &Path) -> Store {
    Store::open(&dir.join("r.db")).unwrap()
}

/// Everything routed to `target`.
fn route_all(store: &mut Store, target: &str) {
    create_rule(store, &format!("all to {target}"), &json!({"source": [rampart_events::SOURCE]}), target).unwrap();
}

/// Passes until the delivery is dead, each at the time its retry is due; the passes'
/// results.
fn until_dead(store: &mut Store, sender: &HttpSender) -> Vec<DeliveryPass> {
    let mut now = rampart_app::now();
    let mut passes = Vec::new();
    for attempt in 1..=MAX_ATTEMPTS {
        let p = deliver_due(store, sender, now, 10).unwrap();
        passes.push(p.clone());
        // Not due again before its backoff.
        assert_eq!(deliver_due(store, sender, now + backoff(attempt) - time::Duration::seconds(1), 10).unwrap(), DeliveryPass::default());
        now += backoff(attempt);
    }
    passes
}

fn expect_retries_then_dead(passes: &[DeliveryPass]) {
    let retried = DeliveryPass { delivered: 0, retried: 1, dead: 0 };
    let dead = DeliveryPass { delivered: 0, retried: 0, dead: 1 };
    let n = passes.len();
    assert!(passes[..n - 1].iter().all(|p| *p == retried), "{passes:?}");
    assert_eq!(passes[n - 1], dead, "{passes:?}");
}

// ---------------------------------------------------------------- SNS on moto

fn aws_test_env() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        for (k, v) in [
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
            ("AWS_CONFIG_FILE", "/dev/null"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ] {
            std::env::set_var(k, v);
        }
    });
}

/// Runs a boto3 snippet against moto (the venv of the moto harness); its stdout.
fn boto(moto: &harness::Server, script: &str) -> String {
    let mut cmd = Command::new(harness::venv().join("bin/python"));
    harness::aws_env(&mut cmd);
    let out = cmd
        .env("MOTO_URL", &moto.url)
        .arg("-c")
        .arg(format!("import boto3, json, os, sys\nsns = boto3.client('sns', region_name='eu-west-1', endpoint_url=os.environ['MOTO_URL'])\nsqs = boto3.client('sqs', region_name='eu-west-1', endpoint_url=os.environ['MOTO_URL'])\n{script}"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn an_sns_target_gets_the_event_through_the_outbox_and_a_missing_topic_becomes_a_dead_letter_naming_the_aws_error() {
    aws_test_env();
    let moto = harness::moto();
    let made = boto(
        &moto,
        "t = sns.create_topic(Name='security-events')['TopicArn']\n\
         q = sqs.create_queue(QueueName='soc')['QueueUrl']\n\
         arn = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=['QueueArn'])['Attributes']['QueueArn']\n\
         sns.subscribe(TopicArn=t, Protocol='sqs', Endpoint=arn, Attributes={'RawMessageDelivery': 'true'})\n\
         print(t); print(q)",
    );
    let (topic, queue) = made.trim().split_once('\n').unwrap();

    let dir = tempfile::tempdir().unwrap();
    let mut store = store_at(dir.path());
    create_sns_target(&mut store, "topic", topic, "eu-west-1", None, Some(&moto.url)).unwrap();
    route_all(&mut store, "topic");
    let e = event("ev-sns-1", "S3 bucket logs is public");
    assert_eq!(publish(&mut store, &e).unwrap(), 1);
    drop(store);
    // The pass `rampart events deliver` and the server's worker make.
    let pass = rampart_server::delivery::pass(&dir.path().join("r.db")).unwrap();
    assert_eq!(pass, DeliveryPass { delivered: 1, retried: 0, dead: 0 });

    let got = boto(
        &moto,
        &format!(
            "m = sqs.receive_message(QueueUrl='{queue}', MaxNumberOfMessages=10, WaitTimeSeconds=1).get('Messages', [])\n\
             print(json.dumps([x['Body'] for x in m]))"
        ),
    );
    let bodies: Vec<String> = serde_json::from_str(got.trim()).unwrap();
    assert_eq!(bodies.len(), 1, "{bodies:?}");
    let body: Value = serde_json::from_str(&bodies[0]).unwrap();
    assert_eq!(body, e.to_json(), "the message is the event's JSON");

    // A topic that does not exist: retried with backoff, then a dead letter naming the code.
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_at(dir.path());
    create_sns_target(&mut store, "gone", "arn:aws:sns:eu-west-1:123456789012:gone", "eu-west-1", None, Some(&moto.url)).unwrap();
    route_all(&mut store, "gone");
    publish(&mut store, &event("ev-sns-2", "x")).unwrap();
    let sender = HttpSender::new().unwrap();
    let passes = until_dead(&mut store, &sender);
    expect_retries_then_dead(&passes);
    let dead = store.dead_letters().unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].target.name, "gone");
    assert_eq!(dead[0].attempts, MAX_ATTEMPTS);
    let why = dead[0].last_error.as_deref().unwrap();
    assert!(why.starts_with("NotFound (HTTP 404)"), "{why}");
}

// ---------------------------------------------------------------- email

/// One message a sink took: the envelope and the data.
#[derive(Debug)]
struct Mail {
    auth: Option<String>,
    from: String,
    to: Vec<String>,
    data: String,
}

/// How one SMTP session part ended.
enum Ended {
    Closed,
    StartTls,
}

fn say<S: Write>(w: &mut S, line: &str) {
    let _ = w.write_all(format!("{line}\r\n").as_bytes());
    let _ = w.flush();
}

/// Speaks SMTP on `r` until QUIT, the end of the stream, or STARTTLS (when `offer_tls`).
fn session<S: Read + Write>(r: &mut BufReader<S>, mail: &mut Mail, offer_tls: bool) -> Ended {
    let mut line = String::new();
    loop {
        line.clear();
        if r.read_line(&mut line).unwrap_or(0) == 0 {
            return Ended::Closed;
        }
        let cmd = line.trim_end().to_string();
        let upper = cmd.to_ascii_uppercase();
        if upper.starts_with("EHLO") {
            say(r.get_mut(), "250-sink.test");
            if offer_tls {
                say(r.get_mut(), "250-STARTTLS");
            }
            say(r.get_mut(), "250-AUTH PLAIN");
            say(r.get_mut(), "250 8BITMIME");
        } else if upper == "STARTTLS" && offer_tls {
            say(r.get_mut(), "220 2.0.0 ready to start TLS");
            return Ended::StartTls;
        } else if upper.starts_with("AUTH PLAIN") {
            mail.auth = cmd.split_whitespace().nth(2).map(str::to_string);
            say(r.get_mut(), "235 2.7.0 ok");
        } else if upper.starts_with("MAIL FROM:") {
            mail.from = cmd[10..].trim().trim_matches(|c| c == '<' || c == '>').split('>').next().unwrap().to_string();
            say(r.get_mut(), "250 ok");
        } else if upper.starts_with("RCPT TO:") {
            mail.to.push(cmd[8..].trim().trim_matches(|c| c == '<' || c == '>').to_string());
            say(r.get_mut(), "250 ok");
        } else if upper == "DATA" {
            say(r.get_mut(), "354 go on");
            let mut data = String::new();
            loop {
                line.clear();
                if r.read_line(&mut line).unwrap_or(0) == 0 || line == ".\r\n" {
                    break;
                }
                data.push_str(&line);
            }
            mail.data = data;
            say(r.get_mut(), "250 queued");
        } else if upper == "QUIT" {
            say(r.get_mut(), "221 bye");
            return Ended::Closed;
        } else {
            say(r.get_mut(), "250 ok");
        }
    }
}

/// A loopback SMTP sink (AUTH PLAIN accepted; STARTTLS offered with `tls`): each message it
/// takes, and whether it came over TLS.
fn smtp_sink_with(tls: Option<std::sync::Arc<tokio_rustls::rustls::ServerConfig>>) -> (u16, mpsc::Receiver<(Mail, bool)>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            conn.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            let _ = conn.write_all(b"220 sink.test ESMTP\r\n");
            let mut mail = Mail { auth: None, from: String::new(), to: Vec::new(), data: String::new() };
            let mut r = BufReader::new(conn);
            let mut secure = false;
            if let Ended::StartTls = session(&mut r, &mut mail, tls.is_some()) {
                let conn = r.into_inner();
                let server = tokio_rustls::rustls::ServerConnection::new(tls.clone().unwrap()).unwrap();
                let mut r = BufReader::new(tokio_rustls::rustls::StreamOwned::new(server, conn));
                secure = true;
                session(&mut r, &mut mail, false);
            }
            if !mail.data.is_empty() {
                let _ = tx.send((mail, secure));
            }
        }
    });
    (port, rx)
}

/// A plain loopback SMTP sink.
fn smtp_sink() -> (u16, mpsc::Receiver<Mail>) {
    let (port, rx) = smtp_sink_with(None);
    let (tx, plain) = mpsc::channel();
    std::thread::spawn(move || {
        while let Ok((m, _)) = rx.recv() {
            if tx.send(m).is_err() {
                break;
            }
        }
    });
    (port, plain)
}

fn email(port: u16) -> EmailSettings {
    EmailSettings {
        host: "127.0.0.1".into(),
        port,
        tls: "none".into(),
        from: "rampart@example.com".into(),
        to: vec!["soc@example.com".into(), "oncall@example.com".into()],
        username: None,
        password_env: None,
    }
}

#[test]
fn an_email_target_sends_the_event_to_an_smtp_sink_with_the_password_from_the_environment() {
    let (port, got) = smtp_sink();
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_at(dir.path());
    std::env::set_var("RAMPART_SMTP_TEST_PASSWORD", "pa55word");
    let settings =
        EmailSettings { username: Some("rampart".into()), password_env: Some("RAMPART_SMTP_TEST_PASSWORD".into()), ..email(port) };
    create_email_target(&mut store, "mail", &settings).unwrap();
    route_all(&mut store, "mail");
    publish(&mut store, &event("ev-mail-1", "S3 bucket logs is public")).unwrap();
    drop(store);
    // The password is not in the store: only the variable's name is.
    let raw = std::fs::read(dir.path().join("r.db")).unwrap();
    assert!(!raw.windows(8).any(|w| w == b"pa55word"));
    assert!(raw.windows(26).any(|w| w == b"RAMPART_SMTP_TEST_PASSWORD"));

    let pass = rampart_server::delivery::pass(&dir.path().join("r.db")).unwrap();
    assert_eq!(pass, DeliveryPass { delivered: 1, retried: 0, dead: 0 });
    let m = got.recv_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(m.from, "rampart@example.com");
    assert_eq!(m.to, ["soc@example.com", "oncall@example.com"]);
    // AUTH PLAIN: base64 of "\0rampart\0pa55word".
    assert_eq!(m.auth.as_deref(), Some("AHJhbXBhcnQAcGE1NXdvcmQ="));
    // Unfolded (a long header continues on lines that start with a space).
    let data = m.data.replace("\r\n", "\n").replace("\n ", " ");
    assert!(data.contains("Subject: [Rampart] Security Hub Findings - Imported: S3 bucket logs is public\n"), "{data}");
    assert!(data.contains("Message-ID: <ev-mail-1.t1@rampart.events>"), "{data}");
    assert!(data.contains("HIGH FAILED S3 bucket logs is public arn:aws:s3:::logs"), "{data}");
    assert!(data.contains("\"id\": \"ev-mail-1\""), "{data}");
}

#[test]
fn an_smtp_sink_that_is_down_gets_retries_with_backoff_then_a_dead_letter() {
    let port = harness::free_port(); // nothing listens there
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_at(dir.path());
    create_email_target(&mut store, "mail", &email(port)).unwrap();
    route_all(&mut store, "mail");
    publish(&mut store, &event("ev-mail-2", "x")).unwrap();
    let passes = until_dead(&mut store, &HttpSender::new().unwrap());
    expect_retries_then_dead(&passes);
    let dead = store.dead_letters().unwrap();
    assert_eq!(dead.len(), 1);
    let why = dead[0].last_error.as_deref().unwrap();
    assert!(why.starts_with(&format!("SMTP 127.0.0.1:{port}: ")), "{why}");

    // A password variable that is not set is a delivery error saying so (retried).
    let (port, _got) = smtp_sink();
    let settings = EmailSettings { username: Some("u".into()), password_env: Some("RAMPART_SMTP_TEST_UNSET".into()), ..email(port) };
    create_email_target(&mut store, "mail2", &settings).unwrap();
    create_rule(&mut store, "to mail2", &json!({"id": ["ev-mail-3"]}), "mail2").unwrap();
    publish(&mut store, &event("ev-mail-3", "x")).unwrap();
    let p = deliver_due(&mut store, &HttpSender::new().unwrap(), rampart_app::now(), 10).unwrap();
    assert_eq!(p.retried, 2, "to mail (down) and to mail2");
    let later = store.due_deliveries(rampart_app::now() + time::Duration::hours(1), 10).unwrap();
    let d = later.iter().find(|d| d.target.name == "mail2").unwrap();
    assert_eq!(
        d.last_error.as_deref(),
        Some("the SMTP password's environment variable RAMPART_SMTP_TEST_UNSET is not set in the delivering process")
    );
}

// ---------------------------------------------------------------- Slack

#[test]
fn a_slack_target_gets_a_text_and_blocks_body() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/services/T/B/X", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let (conn, _) = listener.accept().unwrap();
        let mut r = BufReader::new(conn.try_clone().unwrap());
        let mut len = 0usize;
        let mut line = String::new();
        loop {
            line.clear();
            r.read_line(&mut line).unwrap();
            if line.trim_end().is_empty() {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                len = v.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; len];
        r.read_exact(&mut body).unwrap();
        (&conn).write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok").unwrap();
        tx.send(body).unwrap();
    });
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_at(dir.path());
    rampart_app::events::create_webhook(&mut store, "chat", "slack", &url, None).unwrap();
    route_all(&mut store, "chat");
    publish(&mut store, &event("ev-slack-1", "Security group <sg-1> open to 0.0.0.0/0 & more")).unwrap();
    drop(store);
    let pass = rampart_server::delivery::pass(&dir.path().join("r.db")).unwrap();
    assert_eq!(pass.delivered, 1);
    let body: Value = serde_json::from_slice(&rx.recv_timeout(Duration::from_secs(10)).unwrap()).unwrap();
    assert_eq!(body["text"], "Rampart: Security Hub Findings - Imported: Security group &lt;sg-1&gt; open to 0.0.0.0/0 &amp; more");
    let blocks = body["blocks"].as_array().unwrap();
    assert_eq!(blocks[0]["type"], "header");
    assert_eq!(blocks[0]["text"]["type"], "plain_text");
    assert!(blocks[1]["elements"][0]["text"].as_str().unwrap().contains("event ev-slack-1"), "{body}");
    assert!(blocks[2]["text"]["text"].as_str().unwrap().starts_with("• HIGH FAILED Security group &lt;sg-1&gt;"), "{body}");
}

/// STARTTLS (the default): the message goes only after the upgrade, checked against the
/// trusted roots (`SSL_CERT_FILE` names the test's CA here, as it can for a private relay);
/// a server that offers no STARTTLS gets nothing in clear, the delivery is retried.
#[test]
fn starttls_is_required_and_the_message_goes_encrypted() {
    let dir = tempfile::tempdir().unwrap();
    let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, ck.cert.pem()).unwrap();
    std::env::set_var("SSL_CERT_FILE", &ca); // this test's own process (nextest)
    let key = tokio_rustls::rustls::pki_types::PrivateKeyDer::try_from(ck.signing_key.serialize_der()).unwrap();
    let config = tokio_rustls::rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(
        tokio_rustls::rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![ck.cert.der().clone()], key)
    .unwrap();
    let (port, got) = smtp_sink_with(Some(std::sync::Arc::new(config)));
    let mut store = store_at(dir.path());
    let starttls = EmailSettings { host: "localhost".into(), tls: "starttls".into(), ..email(port) };
    create_email_target(&mut store, "mail", &starttls).unwrap();
    route_all(&mut store, "mail");
    publish(&mut store, &event("ev-tls-1", "over TLS")).unwrap();
    let p = deliver_due(&mut store, &HttpSender::new().unwrap(), rampart_app::now(), 10).unwrap();
    assert_eq!(
        p,
        DeliveryPass { delivered: 1, retried: 0, dead: 0 },
        "{:?}",
        store.due_deliveries(rampart_app::now() + time::Duration::hours(1), 10)
    );
    let (m, secure) = got.recv_timeout(Duration::from_secs(10)).unwrap();
    assert!(secure, "the message went before STARTTLS");
    assert!(m.data.contains("Subject: [Rampart]"), "{}", m.data);

    // A server without STARTTLS: refused before anything is sent.
    let (plain_port, plain) = smtp_sink();
    let dir2 = tempfile::tempdir().unwrap();
    let mut store = store_at(dir2.path());
    create_email_target(&mut store, "mail", &EmailSettings { host: "localhost".into(), tls: "starttls".into(), ..email(plain_port) })
        .unwrap();
    route_all(&mut store, "mail");
    publish(&mut store, &event("ev-tls-2", "x")).unwrap();
    let p = deliver_due(&mut store, &HttpSender::new().unwrap(), rampart_app::now(), 10).unwrap();
    assert_eq!(p.retried, 1);
    assert!(plain.recv_timeout(Duration::from_secs(1)).is_err(), "nothing sent in clear");
}
