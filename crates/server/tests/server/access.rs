//! Who may call what: every route of the table, anonymous, as a viewer, as an admin.

use crate::common::{bearer, enc, Backend, TestServer};
use rampart_server::{routes, Access, Role, Route};

/// A concrete path for a route: parameters filled with real values.
pub(crate) fn concrete(route: &Route, finding: &str) -> String {
    let id = if route.path.starts_with("/api/v1/standards") {
        "fsbp".to_string()
    } else if route.path.starts_with("/api/v1/insights") || route.path.starts_with("/insights/") {
        enc("managed/1")
    } else if route.path.starts_with("/api/v1/automation/") || route.path.starts_with("/automation/") {
        // The rule `every_read_route_answers_a_signed_in_admin` creates.
        enc("rule/1")
    } else if route.path.starts_with("/api/v1/resources") || route.path.starts_with("/resources/") {
        // An instance of the demo's inventory.
        "i-e16f77274775bb409".to_string()
    } else {
        enc(finding)
    };
    route
        .path
        .replace("{id}", &id)
        .replace("{standard}", "fsbp")
        .replace("{control}", "EC2.19")
        // The principal `console_investigate::seed_graph` reads into the graph.
        .replace("{entity}", &crate::console_investigate::enc_all(crate::console_investigate::CHRISTOPHE))
        // Replaced by a real group's id where one is needed (`every_read_route_answers_a_signed_in_admin`).
        .replace("{group}", GROUP_PLACEHOLDER)
}

/// The finding group in [`concrete`] paths.
const GROUP_PLACEHOLDER: &str = "fg-group";

fn is_public(route: &Route) -> bool {
    route.access == Access::Public
}

#[test]
fn only_health_and_sign_in_are_public() {
    let public: Vec<String> = routes().iter().filter(|r| is_public(r)).map(|r| format!("{} {}", r.method, r.path)).collect();
    assert_eq!(public, ["GET /healthz", "GET /login", "POST /login", "GET /static/console.css"]);
}

#[test]
fn every_route_refuses_anonymous_callers() {
    every_route_refuses_anonymous_callers_on(Backend::Sqlite);
}

pub(crate) fn every_route_refuses_anonymous_callers_on(backend: Backend) {
    let s = TestServer::start_on(backend);
    let all = routes();
    assert!(all.len() >= 20, "{}", all.len());
    for route in &all {
        let path = concrete(route, &s.planted);
        for creds in [vec![], vec![("Authorization", "Bearer rampart_0000")], vec![("Cookie", "rampart_session=forged")]] {
            let r = s.client.request(route.method, &path, &creds, b"");
            let what = format!("{} {path} with {creds:?}", route.method);
            if is_public(route) {
                assert!(r.status < 500 && r.status != 401 && r.status != 403, "{what}: {} {}", r.status, r.body);
                continue;
            }
            let to_login = r.status == 303 && r.header("location").is_some_and(|l| l.starts_with("/login?next="));
            if route.method == "GET" && !route.path.starts_with("/api/") {
                assert!(to_login, "{what}: a page sends a stranger to sign in, got {} {:?}", r.status, r.header("location"));
            } else {
                assert_eq!(r.status, 401, "{what}: {}", r.body);
                assert!(!r.body.contains("rampart/"), "{what}: an anonymous answer shows no data: {}", r.body);
            }
        }
    }
}

#[test]
fn a_viewer_cannot_change_anything() {
    a_viewer_cannot_change_anything_on(Backend::Sqlite);
}

pub(crate) fn a_viewer_cannot_change_anything_on(backend: Backend) {
    let s = TestServer::start_on(backend);
    let token = s.token(Role::Viewer);
    let viewer = s.login("viewer", crate::common::PASSWORD).unwrap();
    let mut open_to_viewers = Vec::new();
    for route in routes().iter().filter(|r| r.changes_state() && !is_public(r)) {
        let path = concrete(route, &s.planted);
        if route.access == Access::Least(Role::Viewer) {
            open_to_viewers.push(format!("{} {}", route.method, route.path));
            continue;
        }
        let auth = bearer(&token);
        let r = s.client.request(
            route.method,
            &path,
            &[("Authorization", &auth), ("Content-Type", "application/json")],
            br#"{"status":"RESOLVED","note":"x"}"#,
        );
        assert_eq!(r.status, 403, "{} {path} with a viewer's token: {}", route.method, r.body);
        let r = viewer.post_form(&path, &[("csrf", &viewer.csrf), ("status", "RESOLVED"), ("note", "x")]);
        assert_eq!(r.status, 403, "{} {path} as a signed-in viewer: {}", route.method, r.body);
    }
    // Signing out, changing one's own password, and a findings query (POST like GetFindings,
    // changing nothing), are all a viewer may POST; a new one must be added here on purpose.
    assert_eq!(open_to_viewers, ["POST /logout", "POST /password", "POST /api/v1/findings/query", "POST /api/v1/reach"]);
    // Nothing changed.
    let d = s.client.get(&format!("/api/v1/findings/{}", enc(&s.planted)), &[("Authorization", &bearer(&token))]).json();
    assert_eq!(d["history"].as_array().map(|h| h.len()), Some(0), "{d}");
    // Admin-only reading.
    let r = s.client.get("/api/v1/users", &[("Authorization", &bearer(&token))]);
    assert_eq!(r.status, 403, "{}", r.body);
}

#[test]
fn every_read_route_answers_a_signed_in_admin() {
    every_read_route_answers_a_signed_in_admin_on(Backend::Sqlite);
}

pub(crate) fn every_read_route_answers_a_signed_in_admin_on(backend: Backend) {
    let s = TestServer::start_on(backend);
    crate::console_investigate::seed_graph(&s.db, true);
    let group = {
        let list = rampart_app::investigate::groups(&s.store(), &rampart_app::investigate::Settings::default()).unwrap();
        list.groups.first().expect("the seeded detections make a finding group").id.clone()
    };
    let token = s.token(Role::Admin);
    let admin = s.login("admin", crate::common::PASSWORD).unwrap();
    let rule = serde_json::json!({
        "RuleName": "access", "RuleOrder": 1, "Criteria": {},
        "Actions": [{ "Type": "FINDING_FIELDS_UPDATE", "FindingFieldsUpdate": { "Confidence": 50 } }]
    });
    let r = s.client.request("POST", "/api/v1/automation/rules", &[("Authorization", &bearer(&token)), ("Content-Type", "application/json")], rule.to_string().as_bytes());
    assert_eq!(r.status, 201, "{}", r.body);
    for route in routes().iter().filter(|r| r.method == "GET") {
        let path = concrete(route, &s.planted).replace(GROUP_PLACEHOLDER, &group);
        let r = if route.path.starts_with("/api/") { s.client.get(&path, &[("Authorization", &bearer(&token))]) } else { admin.get(&path) };
        let ok = r.status == 200 || (route.path == "/" && r.status == 303);
        assert!(ok, "GET {path}: {} {}", r.status, r.body.chars().take(300).collect::<String>());
        if route.path.starts_with("/api/") {
            let _ = r.json();
        }
    }
}

/// An agent token only uploads: every other route treats it as no credential (401, or the
/// sign-in page), and the upload route is the only one of the agent kind.
#[test]
fn an_agent_token_opens_no_other_route() {
    an_agent_token_opens_no_other_route_on(Backend::Sqlite);
}

pub(crate) fn an_agent_token_opens_no_other_route_on(backend: Backend) {
    let s = TestServer::start_on(backend);
    let token = {
        let mut store = s.store();
        rampart_app::agent::issue(&mut store, "web-1", "admin", rampart_app::now()).unwrap()
    };
    let auth = bearer(&token);
    let agent_routes: Vec<String> = routes().iter().filter(|r| r.access == Access::Agent).map(|r| format!("{} {}", r.method, r.path)).collect();
    assert_eq!(agent_routes, ["POST /api/v1/agents/telemetry"]);
    for route in routes().iter().filter(|r| !is_public(r) && r.access != Access::Agent) {
        let path = concrete(route, &s.planted);
        let r = s.client.request(route.method, &path, &[("Authorization", &auth), ("Content-Type", "application/json")], b"{}");
        let what = format!("{} {path} with an agent token", route.method);
        if route.method == "GET" && !route.path.starts_with("/api/") {
            assert_eq!(r.status, 303, "{what}: {}", r.body);
            assert!(r.header("location").is_some_and(|l| l.starts_with("/login?next=")), "{what}");
        } else {
            assert_eq!(r.status, 401, "{what}: {}", r.body);
        }
        assert!(!r.body.contains("rampart/"), "{what}: shows no data: {}", r.body);
    }
}
