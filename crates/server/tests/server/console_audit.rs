//! The audit log and the first start: every state-changing route leaves exactly one row
//! (who, route pattern, outcome, from where), sign-ins included and without the password;
//! only admins read it; the first start's one-time password must be changed before
//! anything else.

use crate::access::concrete;
use crate::common::{bearer, demo_db, hidden, Browser, TestServer, PASSWORD};
use crate::http::Client;
use rampart_server::{routes, Access, Options, Role};
use serde_json::Value;
use std::sync::Arc;

/// The newest audit rows (up to `limit`), read through the API as an admin.
fn newest(s: &TestServer, token: &str, query: &str) -> Vec<Value> {
    let r = s.client.get(&format!("/api/v1/audit?{query}"), &[("Authorization", &bearer(token))]);
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["entries"].as_array().unwrap().clone()
}

fn newest_id(s: &TestServer, token: &str) -> i64 {
    newest(s, token, "limit=1").first().map(|e| e["id"].as_i64().unwrap()).unwrap_or(0)
}

#[test]
fn every_state_changing_route_leaves_exactly_one_audit_row() {
    let s = TestServer::start();
    let token = s.token(Role::Admin);
    let mut walked = 0;
    for route in routes().iter().filter(|r| r.audited() && r.access != Access::Public) {
        let path = concrete(route, &s.planted);
        let before = newest_id(&s, &token);
        let r = s.client.request(
            route.method,
            &path,
            &[("Authorization", &bearer(&token)), ("Content-Type", "application/json"), ("User-Agent", "audit-test/1")],
            b"{}",
        );
        let rows = newest(&s, &token, "limit=3");
        let mine: Vec<&Value> = rows.iter().filter(|e| e["id"].as_i64().unwrap() > before).collect();
        let what = format!("{} {path} ({})", route.method, r.status);
        assert_eq!(mine.len(), 1, "{what}: one row, got {rows:?}");
        let e = mine[0];
        assert_eq!(e["route"], route.path, "{what}: the route's pattern, not the raw path");
        assert_eq!(e["method"], route.method, "{what}");
        assert_eq!(e["user"], "admin", "{what}");
        assert_eq!(e["role"], "admin", "{what}");
        assert_eq!(e["status"], r.status, "{what}: the outcome");
        assert_eq!(e["client"], "127.0.0.1", "{what}");
        assert_eq!(e["user_agent"], "audit-test/1", "{what}");
        let params = route.path.matches('{').count();
        assert!(e["targets"].as_array().unwrap().len() >= params, "{what}: the path's ids are targets: {e}");
        if route.path.contains("/findings/{id}") {
            assert_eq!(e["targets"][0], s.planted.as_str(), "{what}: decoded");
        }
        walked += 1;
    }
    assert!(walked >= 3, "{walked}");
    // Ids in a body are targets where the handler names them: a batch update's findings.
    let body = serde_json::json!({ "FindingIdentifiers": [{ "Id": s.planted }], "Workflow": { "Status": "NOTIFIED" } });
    let r = s.client.request(
        "POST",
        "/api/v1/findings/batch-update",
        &[("Authorization", &bearer(&token)), ("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let e = &newest(&s, &token, "limit=1")[0];
    assert_eq!((e["route"].as_str(), e["targets"].clone()), (Some("/api/v1/findings/batch-update"), serde_json::json!([s.planted])));
    // A refused caller is recorded too: anonymous, 401.
    let before = newest_id(&s, &token);
    let r = s.client.request("POST", "/api/v1/findings/batch-update", &[("Content-Type", "application/json")], b"{}");
    assert_eq!(r.status, 401);
    let rows = newest(&s, &token, "limit=2");
    assert_eq!(rows[0]["id"].as_i64().unwrap(), before + 1);
    assert_eq!((rows[0]["user"].as_str(), rows[0]["status"].as_u64()), (Some(""), Some(401)));
    // Reading changes nothing, so it is not audited.
    let before = newest_id(&s, &token);
    let _ = s.client.get("/api/v1/findings", &[("Authorization", &bearer(&token))]);
    assert_eq!(newest_id(&s, &token), before);
    // Nor are the reads sent as POST (a findings query, a reachability question).
    let r = s.client.request(
        "POST",
        "/api/v1/findings/query",
        &[("Authorization", &bearer(&token)), ("Content-Type", "application/json")],
        b"{\"Filters\": {}}",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(newest_id(&s, &token), before, "a query is not a change");
    assert!(rampart_server::routes().iter().filter(|r| r.changes_state() && !r.audited()).count() == 2);
}

#[test]
fn sign_ins_are_audited_without_the_password() {
    let s = TestServer::start();
    let token = s.token(Role::Admin);
    let wrong = "hunter2-not-the-password-7731";
    assert_eq!(s.post_login("analyst", wrong).status, 401);
    let ok = s.login("analyst", PASSWORD).unwrap();
    let r = ok.post_form("/logout", &[("csrf", &ok.csrf)]);
    assert_eq!(r.status, 303);
    let rows = newest(&s, &token, "route=/log&limit=10");
    let summary: Vec<(String, String, String, u64)> = rows
        .iter()
        .map(|e| {
            (
                e["route"].as_str().unwrap().into(),
                e["user"].as_str().unwrap().into(),
                e["role"].as_str().unwrap().into(),
                e["status"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("/logout".into(), "analyst".into(), "analyst".into(), 303),
            ("/login".into(), "analyst".into(), "analyst".into(), 303),
            ("/login".into(), "analyst".into(), "".into(), 401),
        ],
        "newest first: sign-out, sign-in, the failed attempt under the name tried"
    );
    // The filters: by user, and the API refuses a bad time.
    assert!(newest(&s, &token, "user=analyst&limit=50").iter().all(|e| e["user"] == "analyst"));
    let r = s.client.get("/api/v1/audit?since=yesterday", &[("Authorization", &bearer(&token))]);
    assert_eq!(r.status, 400, "{}", r.body);
    // Nowhere in the database: not the password, not the session, not its CSRF token.
    let bytes = s.stored_bytes();
    let text = String::from_utf8_lossy(&bytes);
    for secret in [wrong, PASSWORD, ok.csrf.as_str(), ok.cookie.trim_start_matches("rampart_session=")] {
        assert!(!text.contains(secret), "`{secret}` is stored in the database");
    }
}

#[test]
fn only_admins_read_the_audit_log() {
    let s = TestServer::start();
    for role in [Role::Viewer, Role::Analyst] {
        let token = s.token(role);
        let r = s.client.get("/api/v1/audit", &[("Authorization", &bearer(&token))]);
        assert_eq!(r.status, 403, "{role}: {}", r.body);
    }
    let viewer = s.login("viewer", PASSWORD).unwrap();
    assert_eq!(viewer.get("/audit").status, 403);
    assert!(!viewer.get("/findings").body.contains("href=\"/audit\""), "the navigation hides it");
    let admin = s.login("admin", PASSWORD).unwrap();
    let page = admin.get("/audit");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("POST /login"), "the admin's own sign-in is listed");
    // Paging: one row per page, the next page older.
    let p1 = admin.get("/audit?limit=1");
    let older =
        p1.body.split("id=\"older\" href=\"").nth(1).and_then(|r| r.split('"').next()).expect("a link to older rows").replace("&amp;", "&");
    let p2 = admin.get(&older);
    assert_eq!(p2.status, 200, "{}", p2.body);
    assert_ne!(p1.body, p2.body);
}

/// A server over a demo database that has no user yet, started as `rampart serve` would:
/// the first start's message, then the server.
fn first_started() -> (TestServer, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rampart.db");
    let planted = demo_db(&db);
    let accounts = rampart_server::open_accounts(&db).unwrap();
    let args = rampart_server::ServeArgs {
        listen: "127.0.0.1:0".parse().unwrap(),
        db: Some(db.clone()),
        tls_cert: None,
        tls_key: None,
        log_format: rampart_server::LogFormat::Text,
        no_initial_admin: false,
        audit_days: 365,
        schedules: rampart_server::SchedulerArgs::defaults(),
    };
    assert!(rampart_server::startup_refusal(accounts.as_ref(), &args).unwrap().is_none());
    let message = rampart_server::first_start(accounts.as_ref(), &args).unwrap().expect("the first start creates an admin");
    assert!(rampart_server::first_start(accounts.as_ref(), &args).unwrap().is_none(), "a second start prints nothing");
    let opts = Options { listen: "127.0.0.1:0".parse().unwrap(), db: db.clone(), tls: None };
    let running = rampart_server::start(&opts, Arc::clone(&accounts)).unwrap();
    let client = Client { addr: running.addr, tls: None };
    (TestServer { client, dir, planted, accounts, running: Some(running), db, pg: None }, message)
}

#[test]
fn the_first_start_s_one_time_password_must_be_changed_first() {
    let (s, message) = first_started();
    let password = message.lines().map(str::trim).find(|l| l.len() == 23 && l.matches('-').count() == 3).expect(&message).to_string();
    assert!(message.contains("`admin`") && message.contains("/login"), "{message}");
    // Kept only as a hash, and the user must change it.
    let record = s.accounts.user("admin").unwrap().unwrap();
    assert!(record.password_hash.starts_with("$argon2id$") && !record.password_hash.contains(&password));
    assert!(record.user.must_change_password);

    // The one-time password signs in, straight to the change page.
    let r = s.post_login("admin", &password);
    assert_eq!((r.status, r.header("location")), (303, Some("/password")), "{}", r.body);
    let b = Browser {
        client: s.client.clone(),
        cookie: format!("rampart_session={}", r.cookie("rampart_session").unwrap()),
        csrf: String::new(),
        set_cookie: vec![],
    };
    let page = b.get("/password");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("one-time password"), "{}", page.body);
    let b = Browser { csrf: hidden(&page.body, "csrf").unwrap(), ..b };
    // Nothing else until it is changed: pages go back to it, the API and forms are refused.
    for path in ["/findings", "/", "/audit"] {
        let r = b.get(path);
        assert_eq!((r.status, r.header("location")), (303, Some("/password")), "GET {path}");
    }
    assert_eq!(b.get("/api/v1/me").status, 403);
    let r = b.post_form(&format!("/findings/{}/workflow", crate::common::enc(&s.planted)), &[("csrf", &b.csrf), ("status", "RESOLVED")]);
    assert_eq!(r.status, 403, "{}", r.body);
    // A bad change is refused and says why.
    let r = b.post_form("/password", &[("csrf", &b.csrf), ("current", &password), ("new", "short"), ("again", "short")]);
    assert_eq!(r.status, 400);
    assert!(r.body.contains("shorter than"), "{}", r.body);
    let r = b.post_form("/password", &[("csrf", &b.csrf), ("current", "wrong one-time pw"), ("new", PASSWORD), ("again", PASSWORD)]);
    assert_eq!(r.status, 401, "{}", r.body);
    // The change, then the console opens.
    let r = b.post_form("/password", &[("csrf", &b.csrf), ("current", &password), ("new", PASSWORD), ("again", PASSWORD)]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(b.get("/findings").status, 200, "the same session goes on");
    // The one-time password no longer works; the new one does, without a detour.
    assert_eq!(s.post_login("admin", &password).status, 401);
    let r = s.post_login("admin", PASSWORD);
    assert_eq!((r.status, r.header("location")), (303, Some("/findings")));
    assert!(!s.accounts.user("admin").unwrap().unwrap().user.must_change_password);
    // The audit log has the creation (by the machine's user, not the password) and the change.
    let token = s.token(Role::Admin);
    let rows = newest(&s, &token, "limit=100");
    assert!(rows.iter().any(|e| e["route"] == "serve: initial admin" && e["user"].as_str().unwrap().starts_with("cli:")), "{rows:?}");
    assert!(rows.iter().any(|e| e["route"] == "/password" && e["status"] == 303 && e["user"] == "admin"), "{rows:?}");
    assert!(!serde_json::to_string(&rows).unwrap().contains(&password));
}

/// In Chromium at 900 px: the one-time password leads to the change page, the change opens
/// the console, and the audit log shows both, filtered by user, without sideways scrolling.
/// Saves `docs/img/console-password.png` and `docs/img/console-audit.png`.
#[test]
fn first_sign_in_and_the_audit_log_in_chromium() {
    use crate::browser::{browser, click, no_sideways_scroll, type_into, wait_for};
    let (s, message) = first_started();
    let password = message.lines().map(str::trim).find(|l| l.len() == 23 && l.matches('-').count() == 3).unwrap().to_string();
    let base = format!("http://{}", s.client.addr);
    let profile = tempfile::tempdir().unwrap();
    let (_driver, b) = browser(profile.path());
    let img = crate::common::root().join("docs/img");
    std::fs::create_dir_all(&img).unwrap();

    b.post("url", serde_json::json!({ "url": format!("{base}/audit") }));
    wait_for(&b, "return location.pathname === '/login' && !!document.getElementById('name');");
    type_into(&b, "#name", "admin");
    type_into(&b, "#password", &password);
    click(&b, "#signin");
    wait_for(&b, "return location.pathname === '/password' && !!document.getElementById('current');");
    no_sideways_scroll(&b, "password");
    std::fs::write(img.join("console-password.png"), b.screenshot()).unwrap();
    type_into(&b, "#current", &password);
    type_into(&b, "#new", PASSWORD);
    type_into(&b, "#again", PASSWORD);
    click(&b, "#change");
    wait_for(&b, "return location.pathname === '/findings';");

    b.post("url", serde_json::json!({ "url": format!("{base}/audit") }));
    wait_for(&b, "return location.pathname === '/audit' && document.querySelectorAll('table.audit tbody tr').length >= 2;");
    let text = b.run("return document.querySelector('table.audit').innerText;");
    let text = text.as_str().unwrap();
    assert!(text.contains("POST /password") && text.contains("POST /login") && text.contains("serve: initial admin"), "{text}");
    assert!(!text.contains(&password), "{text}");
    type_into(&b, "input[name=user]", "admin");
    click(&b, "form.filters button[type=submit]");
    wait_for(&b, "return location.search.indexOf('user=admin') >= 0 && document.readyState === 'complete' && (document.querySelectorAll('table.audit tbody tr').length > 0 || !!document.getElementById('empty'));");
    let users = b.run("return Array.prototype.map.call(document.querySelectorAll('table.audit tbody tr td:nth-child(2)'), function (e) { return e.textContent; });");
    assert!(users.as_array().unwrap().iter().all(|u| u == "admin") && !users.as_array().unwrap().is_empty(), "{users}");
    no_sideways_scroll(&b, "audit");
    std::fs::write(img.join("console-audit.png"), b.screenshot()).unwrap();
}
