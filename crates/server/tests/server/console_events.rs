//! Events: the API (targets, rules, custom actions, triggering on findings and on insight
//! results with Security Hub's limits, dead letters and their retry) and the console in
//! real headless Chromium: a webhook target, a rule and a custom action made on /events,
//! 20 findings selected in the findings list and sent, the loopback receiver getting the
//! signed event once; 21 refused, nothing delivered.

use crate::browser::{browser, click, no_sideways_scroll, type_into, wait_for};
use crate::common::{bearer, enc, root, TestServer, PASSWORD};
use rampart_server::Role;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One request a receiver got: its headers (names lower-cased) and body.
#[derive(Debug, Clone)]
pub(crate) struct Received {
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == &name.to_ascii_lowercase()).map(|(_, v)| v.as_str())
    }
}

/// A loopback HTTP receiver on a thread: answers 200 to every request and keeps it.
pub(crate) fn receiver() -> (String, Arc<Mutex<Vec<Received>>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let got: Arc<Mutex<Vec<Received>>> = Arc::default();
    let keep = Arc::clone(&got);
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            let mut buf = Vec::new();
            let mut chunk = [0u8; 8192];
            let (head_end, length) = loop {
                let n = conn.read(&mut chunk).unwrap_or(0);
                if n == 0 {
                    break (None, 0);
                }
                buf.extend_from_slice(&chunk[..n]);
                if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&buf[..i]).to_string();
                    let len = head
                        .lines()
                        .find_map(|l| {
                            l.split_once(':')
                                .filter(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                                .map(|(_, v)| v.trim().parse().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    break (Some(i + 4), len);
                }
            };
            let Some(start) = head_end else { continue };
            while buf.len() < start + length {
                let n = conn.read(&mut chunk).unwrap_or(0);
                if n == 0 {
                    break;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            let head = String::from_utf8_lossy(&buf[..start]).to_string();
            let headers = head
                .lines()
                .skip(1)
                .filter_map(|l| l.split_once(':'))
                .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
                .collect();
            let body = String::from_utf8_lossy(&buf[start..(start + length).min(buf.len())]).to_string();
            keep.lock().unwrap().push(Received { headers, body });
            let _ = conn.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        }
    });
    (url, got)
}

fn send(s: &TestServer, method: &str, path: &str, auth: &str, body: &Value) -> crate::http::Response {
    s.client.request(method, path, &[("Authorization", auth), ("Content-Type", "application/json")], body.to_string().as_bytes())
}

fn error_of(r: &crate::http::Response) -> String {
    let e = r.json()["error"].as_str().unwrap_or_default().to_string();
    assert!(!e.is_empty() && !e.contains('\n'), "one line: {}", r.body);
    e
}

/// The ids of the first `n` active findings.
fn finding_ids(s: &TestServer, auth: &str, n: usize) -> Vec<String> {
    let page = s.client.get(&format!("/api/v1/findings?limit={n}"), &[("Authorization", auth)]).json();
    page["findings"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap().to_string()).collect()
}

/// A sender that always fails, to make dead letters.
struct Down;

impl rampart_app::events::Sender for Down {
    fn send(&self, _: &rampart_hub::EventTarget, _: &Value, _: &str) -> Result<(), String> {
        Err("connection refused (test)".into())
    }
}

#[test]
fn targets_rules_actions_and_dead_letters_through_the_api() {
    let s = TestServer::start();
    let admin = bearer(&s.token(Role::Admin));
    let analyst = bearer(&s.token(Role::Analyst));
    let viewer = bearer(&s.token(Role::Viewer));

    // Targets: the secret is never answered.
    let r = send(
        &s,
        "POST",
        "/api/v1/events/targets",
        &admin,
        &json!({ "name": "soar", "kind": "webhook", "url": "http://127.0.0.1:9/hook", "secret": "s3cret" }),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let t = r.json();
    assert_eq!((t["name"].as_str(), t["kind"].as_str(), t["signed"].as_bool()), (Some("soar"), Some("webhook"), Some(true)));
    // The URL's path and query are often the webhook's credential: only scheme, host and port.
    assert_eq!(t["config"], json!({ "url": "http://127.0.0.1:9/…" }));
    assert!(!r.body.contains("s3cret") && !r.body.contains("/hook"));
    for (body, want) in [
        (json!({ "name": "x", "kind": "webhook", "url": "ftp://h/" }), "starts with http:// or https://"),
        (json!({ "name": "x", "kind": "pigeon", "url": "http://h/" }), "unknown target kind `pigeon`"),
        (json!({ "name": "soar", "kind": "webhook", "url": "http://h/" }), "exists"),
        (json!({ "name": "", "kind": "slack", "url": "http://h/" }), "1 to 128 characters"),
    ] {
        let r = send(&s, "POST", "/api/v1/events/targets", &admin, &body);
        assert_eq!(r.status, 400, "{body}: {}", r.body);
        assert!(error_of(&r).contains(want), "{body}: {}", r.body);
    }
    // SNS and email targets: their settings checked by the application layer.
    let r = send(
        &s,
        "POST",
        "/api/v1/events/targets",
        &admin,
        &json!({ "name": "sns", "kind": "sns", "topic_arn": "arn:aws:sns:us-east-1:123456789012:security", "region": "us-east-1" }),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["config"]["topic_arn"], "arn:aws:sns:us-east-1:123456789012:security");
    let r = send(
        &s,
        "POST",
        "/api/v1/events/targets",
        &admin,
        &json!({ "name": "sns2", "kind": "sns", "topic_arn": "not-an-arn", "region": "us-east-1" }),
    );
    assert_eq!(r.status, 400, "{}", r.body);
    error_of(&r);
    let mail = json!({ "name": "mail", "kind": "email", "host": "smtp.example.com", "port": 587, "from": "rampart@example.com",
        "to": ["soc@example.com"], "username": "rampart", "password_env": "RAMPART_SMTP_PASSWORD" });
    let r = send(&s, "POST", "/api/v1/events/targets", &admin, &mail);
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["config"]["to"], json!(["soc@example.com"]));
    assert_eq!(r.json()["config"]["password_env"], "RAMPART_SMTP_PASSWORD", "the variable's name, not a password");
    let mut bad = mail.clone();
    bad["name"] = json!("mail2");
    bad["to"] = json!(["not an address"]);
    let r = send(&s, "POST", "/api/v1/events/targets", &admin, &bad);
    assert!(r.status == 400 && error_of(&r).contains("is not an email address"), "{}", r.body);
    for name in ["sns", "mail"] {
        assert_eq!(s.client.request("DELETE", &format!("/api/v1/events/targets/{name}"), &[("Authorization", &admin)], b"").status, 204);
    }
    let list = s.client.get("/api/v1/events/targets", &[("Authorization", &viewer)]);
    assert_eq!(list.json().as_array().unwrap().len(), 1);
    assert!(!list.body.contains("s3cret"), "{}", list.body);

    // Rules: the pattern is checked.
    let pattern = json!({ "detail-type": ["Security Hub Findings - Custom Action", "Security Hub Insight Results"] });
    let r = send(&s, "POST", "/api/v1/events/rules", &admin, &json!({ "name": "to-soar", "target": "soar", "pattern": pattern }));
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["target"], "soar");
    for (body, want) in [
        (json!({ "name": "x", "target": "soar", "pattern": { "detail-type": "not a list" } }), "detail-type"),
        (json!({ "name": "x", "target": "nowhere", "pattern": pattern }), "no event target `nowhere`"),
    ] {
        let r = send(&s, "POST", "/api/v1/events/rules", &admin, &body);
        assert_eq!(r.status, 400, "{body}: {}", r.body);
        assert!(error_of(&r).contains(want), "{body}: {}", r.body);
    }
    assert_eq!(s.client.get("/api/v1/events/rules", &[("Authorization", &viewer)]).json()[0]["name"], "to-soar");

    // Custom actions: Security Hub's name limit; a unique id.
    let r = send(&s, "POST", "/api/v1/events/actions", &admin, &json!({ "name": "Send to SOAR", "description": "Opens a case" }));
    assert_eq!(r.status, 201, "{}", r.body);
    let action = r.json()["id"].as_str().unwrap().to_string();
    assert_eq!(action, "custom-action/1");
    let r = send(&s, "POST", "/api/v1/events/actions", &admin, &json!({ "name": "a name of 21 letters!" }));
    assert_eq!(r.status, 400);
    assert!(error_of(&r).contains("1 to 20 characters"), "{}", r.body);
    assert_eq!(s.client.get("/api/v1/events/actions", &[("Authorization", &viewer)]).json()[0]["id"], action.as_str());

    // Triggering: 20 findings go, 21 are refused with Security Hub's limit.
    let ids = finding_ids(&s, &viewer, 21);
    let trigger = format!("/api/v1/events/actions/{}/trigger", enc(&action));
    let r = send(&s, "POST", &trigger, &analyst, &json!({ "findings": ids[..20] }));
    assert_eq!(r.status, 200, "{}", r.body);
    let a = r.json();
    assert_eq!(a["count"], 20);
    assert_eq!(a["action"], action.as_str());
    assert_eq!(a["detail_type"], "Security Hub Findings - Custom Action");
    let r = send(&s, "POST", &trigger, &analyst, &json!({ "findings": ids }));
    assert_eq!(r.status, 400);
    assert!(error_of(&r).contains("at most 20 findings (Security Hub's limit), not 21"), "{}", r.body);
    let r = send(&s, "POST", &trigger, &analyst, &json!({ "findings": [] }));
    assert!(r.status == 400 && error_of(&r).contains("at least one finding"), "{}", r.body);
    let r = send(&s, "POST", &trigger, &analyst, &json!({ "findings": ["rampart/no/such"] }));
    assert_eq!(r.status, 404, "{}", r.body);
    let r = send(&s, "POST", "/api/v1/events/actions/nope/trigger", &analyst, &json!({ "findings": ids[..1] }));
    assert_eq!(r.status, 404, "{}", r.body);
    assert!(error_of(&r).contains("no custom action `nope`"));

    // On an insight's results: up to 100, each a current group value.
    let insight = s.client.get(&format!("/api/v1/insights/{}", enc("managed/1")), &[("Authorization", &viewer)]).json();
    let values: Vec<String> =
        insight["results"].as_array().unwrap().iter().take(3).map(|r| r["value"].as_str().unwrap().to_string()).collect();
    assert!(!values.is_empty(), "{insight}");
    let on_insight = format!("/api/v1/events/actions/{}/trigger-insight", enc(&action));
    let r = send(&s, "POST", &on_insight, &analyst, &json!({ "insight": "managed/1", "values": values }));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["detail_type"], "Security Hub Insight Results");
    assert_eq!(r.json()["count"], values.len());
    let many: Vec<String> = (0..101).map(|i| format!("arn:aws:s3:::bucket-{i}")).collect();
    let r = send(&s, "POST", &on_insight, &analyst, &json!({ "insight": "managed/1", "values": many }));
    assert_eq!(r.status, 400);
    assert!(error_of(&r).contains("at most 100 insight results (Security Hub's limit), not 101"), "{}", r.body);
    let r = send(&s, "POST", &on_insight, &analyst, &json!({ "insight": "managed/1", "values": ["not-a-result"] }));
    assert!(r.status == 400 && error_of(&r).contains("is not a current result of insight managed/1"), "{}", r.body);
    let r = send(&s, "POST", &on_insight, &analyst, &json!({ "insight": "custom/99", "values": ["x"] }));
    assert_eq!(r.status, 404, "{}", r.body);

    // Both events are in the outbox for `soar`; the receiver is down: after every attempt
    // they are dead letters, listed, and a retry makes them pending again.
    let db = s.db.clone();
    {
        let mut store = crate::common::open_store(&db);
        let mut now = rampart_app::now();
        for _ in 0..rampart_app::events::MAX_ATTEMPTS {
            rampart_app::events::deliver_due(&mut store, &Down, now, 100).unwrap();
            now += time::Duration::days(1);
        }
    }
    let dead = s.client.get("/api/v1/events/dead-letters", &[("Authorization", &viewer)]).json();
    let dead = dead.as_array().unwrap().clone();
    assert_eq!(dead.len(), 2, "{dead:?}");
    assert!(
        dead.iter().all(|d| d["target"] == "soar"
            && d["attempts"] == rampart_app::events::MAX_ATTEMPTS
            && d["last_error"] == "connection refused (test)"),
        "{dead:?}"
    );
    let event = dead[0]["event_id"].as_str().unwrap();
    let r = send(&s, "POST", "/api/v1/events/dead-letters/retry", &admin, &json!({ "event_id": event, "target": "soar" }));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["retried"], 1);
    assert_eq!(s.client.get("/api/v1/events/dead-letters", &[("Authorization", &viewer)]).json().as_array().unwrap().len(), 1);
    let r = send(&s, "POST", "/api/v1/events/dead-letters/retry", &admin, &json!({ "event_id": event }));
    assert!(r.status == 400 && error_of(&r).contains("no dead letter of event"), "{}", r.body);
    let due = crate::common::open_store(&db).due_deliveries(rampart_app::now(), 10).unwrap();
    assert_eq!(due.len(), 1, "the retried delivery is due now");
    assert_eq!(due[0].attempts, 0);

    // Deleting: the action, the rule, the target (with its deliveries).
    let del = |path: &str| s.client.request("DELETE", path, &[("Authorization", &admin)], b"").status;
    assert_eq!(del(&format!("/api/v1/events/actions/{}", enc(&action))), 204);
    assert_eq!(del(&format!("/api/v1/events/actions/{}", enc(&action))), 404);
    assert_eq!(del("/api/v1/events/rules/to-soar"), 204);
    assert_eq!(del("/api/v1/events/rules/to-soar"), 404);
    assert_eq!(del("/api/v1/events/targets/soar"), 204);
    assert_eq!(del("/api/v1/events/targets/soar"), 404);
    assert_eq!(s.client.get("/api/v1/events/dead-letters", &[("Authorization", &viewer)]).json(), json!([]));
    // A new action never reuses a deleted one's id.
    let r = send(&s, "POST", "/api/v1/events/actions", &admin, &json!({ "name": "Again" }));
    assert_eq!(r.json()["id"], "custom-action/2");
}

fn sign_in(b: &crate::browser::webdriver::Session, base: &str, name: &str) {
    b.post("url", json!({ "url": format!("{base}/login") }));
    wait_for(b, "return !!document.getElementById('name');");
    type_into(b, "#name", name);
    type_into(b, "#password", PASSWORD);
    click(b, "#signin");
    wait_for(b, "return location.pathname === '/findings';");
}

/// The requests the receiver got, after waiting up to `wait` for `n` of them.
fn wait_received(got: &Arc<Mutex<Vec<Received>>>, n: usize, wait: Duration) -> Vec<Received> {
    let deadline = Instant::now() + wait;
    while got.lock().unwrap().len() < n && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    got.lock().unwrap().clone()
}

#[test]
fn a_custom_action_on_20_findings_reaches_a_signed_webhook_once_and_21_are_refused_in_chromium() {
    // The server's delivery worker passes every second.
    std::env::set_var("RAMPART_DELIVERY_EVERY", "1");
    let s = TestServer::start();
    let (url, got) = receiver();
    let base = format!("http://{}", s.client.addr);
    let profile = tempfile::tempdir().unwrap();
    let (_driver, b) = browser(profile.path());
    sign_in(&b, &base, "admin");

    // A webhook target, a rule routing custom actions to it and a custom action.
    b.post("url", json!({ "url": format!("{base}/events") }));
    wait_for(&b, "return !!document.getElementById('target-form');");
    type_into(&b, "#target-name", "soar-hook");
    type_into(&b, "#target-url", &url);
    type_into(&b, "#target-secret", "webhook-secret-1");
    click(&b, "#target-add");
    wait_for(&b, "return !!document.getElementById('flash') && document.querySelectorAll('tr.target').length === 1;");
    assert!(b.run("return document.getElementById('flash').textContent;").as_str().unwrap().contains("soar-hook"));
    type_into(&b, "#erule-name", "custom-actions-to-soar");
    click(&b, "#erule-add");
    wait_for(&b, "return document.querySelectorAll('tr.erule').length === 1;");
    type_into(&b, "#action-name", "Send to SOAR");
    type_into(&b, "#action-description", "Opens a case in the SOAR");
    click(&b, "#action-add");
    wait_for(&b, "return document.querySelectorAll('tr.action').length === 1;");
    let action_id = b.run("return document.querySelector('tr.action').getAttribute('data-id');").as_str().unwrap().to_string();
    assert_eq!(action_id, "custom-action/1");
    assert!(!b.run("return document.body.innerHTML;").as_str().unwrap().contains("webhook-secret-1"), "the secret is never shown");
    no_sideways_scroll(&b, "events");
    std::fs::write(root().join("docs/img/console-events.png"), b.screenshot()).unwrap();

    // Select 20 findings in the list and send them.
    b.post("url", json!({ "url": format!("{base}/findings") }));
    wait_for(
        &b,
        "return !!document.getElementById('custom-action') && document.querySelectorAll('tr.f input[name=finding]').length >= 21;",
    );
    let boxes: Vec<String> = (1..=20).map(|i| format!("tr.f:nth-child({i}) input[name=finding]")).collect();
    for css in &boxes {
        click(&b, css);
    }
    let selected = b.run(
        "return Array.prototype.map.call(document.querySelectorAll('tr.f input[name=finding]:checked'), function (e) { return e.value; });",
    );
    let selected: Vec<String> = selected.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    assert_eq!(selected.len(), 20);
    click(&b, "#action-select option[value='custom-action/1']");
    click(&b, "#action-send");
    wait_for(&b, "return !!document.getElementById('flash');");
    let flash = b.run("return document.getElementById('flash').textContent;");
    assert!(flash.as_str().unwrap().starts_with("Sent 20 finding(s) to custom action “Send to SOAR”"), "{flash}");
    assert_eq!(b.run("return location.pathname;"), json!("/findings"));
    no_sideways_scroll(&b, "findings with the action bar");
    std::fs::write(root().join("docs/img/console-custom-action.png"), b.screenshot()).unwrap();

    // The receiver gets the event once, signed, with the action id and the 20 findings.
    let requests = wait_received(&got, 1, Duration::from_secs(15));
    assert_eq!(requests.len(), 1, "{requests:?}");
    let req = &requests[0];
    let sig = req.header(rampart_events::SIGNATURE_HEADER).expect("a signature header");
    assert_eq!(sig, format!("sha256={}", rampart_events::hmac_sha256_hex(b"webhook-secret-1", req.body.as_bytes())));
    let event: Value = serde_json::from_str(&req.body).unwrap();
    assert_eq!(req.header("idempotency-key"), event["id"].as_str());
    assert_eq!(event["detail-type"], "Security Hub Findings - Custom Action");
    assert_eq!(event["resources"], json!([action_id]));
    assert_eq!(event["detail"]["actionName"], "Send to SOAR");
    assert_eq!(event["detail"]["triggeredBy"], "admin");
    let mut sent: Vec<String> =
        event["detail"]["findings"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap().to_string()).collect();
    let mut want = selected.clone();
    sent.sort();
    want.sort();
    assert_eq!(sent, want);

    // 21 selected: refused with Security Hub's limit; nothing more is delivered.
    wait_for(&b, "return document.querySelectorAll('tr.f input[name=finding]:checked').length === 0;");
    for i in 1..=21 {
        click(&b, &format!("tr.f:nth-child({i}) input[name=finding]"));
    }
    // The page still shows the first send's message until the answer loads: wait for a new one.
    b.run("var f = document.getElementById('flash'); if (f) { f.remove(); } return null;");
    click(&b, "#action-send");
    wait_for(&b, "return !!document.getElementById('flash');");
    let flash = b.run("return document.getElementById('flash').textContent;");
    assert!(flash.as_str().unwrap().contains("at most 20 findings (Security Hub's limit), not 21"), "{flash}");
    assert_eq!(b.run("return document.getElementById('flash').className;"), json!("error"));
    let later = wait_received(&got, 2, Duration::from_secs(4));
    assert_eq!(later.len(), 1, "nothing more is delivered: {later:?}");
    let token = bearer(&s.token(Role::Viewer));
    assert_eq!(s.client.get("/api/v1/events/dead-letters", &[("Authorization", &token)]).json(), json!([]));
}

#[test]
fn console_forms_manage_events_send_insight_results_and_retry_dead_letters() {
    let s = TestServer::start();
    let admin = s.login("admin", PASSWORD).unwrap();
    let (url, _got) = receiver();
    let post = |path: &str, fields: &[(&str, &str)]| {
        let mut all = vec![("csrf", admin.csrf.as_str())];
        all.extend_from_slice(fields);
        admin.post_form(path, &all)
    };
    // Each form returns to the page with its outcome shown once.
    let r = post("/events/targets", &[("name", "hook"), ("kind", "webhook"), ("url", &url), ("secret", "")]);
    assert_eq!((r.status, r.header("location")), (303, Some("/events#targets")), "{}", r.body);
    let page = admin.get("/events");
    assert!(page.body.contains("Target “hook” (webhook) added."), "{}", page.body);
    assert!(!admin.get("/events").body.contains("Target “hook” (webhook) added."), "shown once");
    let r = post("/events/targets", &[("name", "bad"), ("kind", "webhook"), ("url", "ftp://x")]);
    assert_eq!(r.status, 303);
    assert!(admin.get("/events").body.contains("starts with http:// or https://"));
    let pattern = r#"{"detail-type": ["Security Hub Insight Results"]}"#;
    assert_eq!(post("/events/rules", &[("name", "insights"), ("target", "hook"), ("pattern", "{not json")]).status, 303);
    assert!(admin.get("/events").body.contains("the pattern is not JSON"));
    post("/events/rules", &[("name", "insights"), ("target", "hook"), ("pattern", pattern)]);
    post("/events/actions", &[("name", "Quarantine"), ("description", "Isolate the resources")]);
    let page = admin.get("/events");
    assert!(page.body.contains("custom-action/1") && page.body.contains("Isolate the resources"), "{}", page.body);

    // The insight page's form: chosen results go to the action; back to the insight.
    let insight = format!("/insights/{}", enc("managed/1"));
    let page = admin.get(&insight);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("id=\"insight-action\""), "the insight page shows the form: {}", page.body);
    let auth = bearer(&s.token(Role::Viewer));
    let results = s.client.get(&format!("/api/v1/insights/{}", enc("managed/1")), &[("Authorization", &auth)]).json();
    let values: Vec<String> =
        results["results"].as_array().unwrap().iter().take(2).map(|r| r["value"].as_str().unwrap().to_string()).collect();
    let mut fields = vec![("insight", "managed/1"), ("action", "custom-action/1")];
    for v in &values {
        fields.push(("value", v.as_str()));
    }
    let r = post("/events/insight-action", &fields);
    assert_eq!((r.status, r.header("location")), (303, Some(insight.as_str())), "{}", r.body);
    let page = admin.get(&insight);
    assert!(page.body.contains(&format!("Sent {} insight result(s) to custom action custom-action/1", values.len())), "{}", page.body);
    let many: Vec<String> = (0..101).map(|i| format!("r-{i}")).collect();
    let mut fields = vec![("insight", "managed/1"), ("action", "custom-action/1")];
    for v in &many {
        fields.push(("value", v.as_str()));
    }
    post("/events/insight-action", &fields);
    assert!(admin.get(&insight).body.contains("at most 100 insight results (Security Hub's limit), not 101"));

    // The event in the outbox; made a dead letter; retried from the page.
    let db = s.db.clone();
    {
        let mut store = crate::common::open_store(&db);
        let due = store.due_deliveries(rampart_app::now(), 10).unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].body["detail-type"], "Security Hub Insight Results");
        assert_eq!(due[0].body["detail"]["insightArn"], "managed/1");
        assert_eq!(due[0].body["detail"]["insightResults"].as_array().unwrap().len(), values.len());
        let mut now = rampart_app::now();
        for _ in 0..rampart_app::events::MAX_ATTEMPTS {
            rampart_app::events::deliver_due(&mut store, &Down, now, 10).unwrap();
            now += time::Duration::days(1);
        }
    }
    let page = admin.get("/events");
    assert!(page.body.contains("connection refused (test)"), "{}", page.body);
    let event = crate::common::hidden(&page.body[page.body.find("dead-list").unwrap()..], "event_id").unwrap();
    let r = post("/events/dead-letters/retry", &[("event_id", &event), ("target", "hook")]);
    assert_eq!(r.header("location"), Some("/events#dead-letters"));
    let page = admin.get("/events");
    assert!(page.body.contains("1 delivery(ies) will be tried again") && page.body.contains("id=\"no-dead\""), "{}", page.body);

    // Disable, delete.
    post("/events/rules/insights/status", &[("status", "DISABLED")]);
    assert!(admin.get("/events").body.contains("Rule “insights” disabled."));
    post(&format!("/events/actions/{}/delete", enc("custom-action/1")), &[]);
    post("/events/rules/insights/delete", &[]);
    post("/events/targets/hook/delete", &[]);
    let page = admin.get("/events");
    assert!(page.body.contains("Target “hook” deleted") && !page.body.contains("tr class=\"target\""), "{}", page.body);
}
