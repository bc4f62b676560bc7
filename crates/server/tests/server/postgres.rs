//! `rampart serve --db postgres://...`: the same tests as on SQLite, over a server whose
//! store is a database of its own on the test PostgreSQL server (`RAMPART_TEST_POSTGRES`,
//! started by `scripts/test`; without it each test fails saying how to get one), filled
//! with the demo by the app's own recording (`rampart_app::db::record`, what `rampart demo
//! --db URL` does). The writer is one connection; pages and API reads go to read-only
//! PostgreSQL sessions.

use crate::common::{bearer, enc, Backend, TestServer, PASSWORD, PG_PASSWORD};
use rampart_server::Role;

// Who may call what: every route of the table.

#[test]
fn every_route_refuses_anonymous_callers() {
    crate::access::every_route_refuses_anonymous_callers_on(Backend::Postgres);
}

#[test]
fn a_viewer_cannot_change_anything() {
    crate::access::a_viewer_cannot_change_anything_on(Backend::Postgres);
}

#[test]
fn every_read_route_answers_a_signed_in_admin() {
    crate::access::every_read_route_answers_a_signed_in_admin_on(Backend::Postgres);
}

#[test]
fn an_agent_token_opens_no_other_route() {
    crate::access::an_agent_token_opens_no_other_route_on(Backend::Postgres);
}

// Signing in.

#[test]
fn a_session_cookie_is_http_only_and_same_site_strict() {
    crate::login::a_session_cookie_is_http_only_and_same_site_strict_on(Backend::Postgres);
}

#[test]
fn wrong_passwords_and_unknown_users_are_refused_alike() {
    crate::login::wrong_passwords_and_unknown_users_are_refused_alike_on(Backend::Postgres);
}

#[test]
fn the_sign_in_form_needs_its_own_token() {
    crate::login::the_sign_in_form_needs_its_own_token_on(Backend::Postgres);
}

// Findings: pages, filters, workflow with its history, CSRF.

#[test]
fn findings_filter_and_page() {
    crate::console::findings_filter_and_page_on(Backend::Postgres);
}

#[test]
fn findings_page_through_without_loss() {
    crate::api::findings_page_through_without_loss_on(Backend::Postgres);
}

#[test]
fn the_workflow_form_needs_the_sessions_csrf_token() {
    crate::console::the_workflow_form_needs_the_sessions_csrf_token_on(Backend::Postgres);
}

#[test]
fn a_workflow_change_through_the_api_is_in_the_history() {
    crate::api::a_workflow_change_through_the_api_is_in_the_history_on(Backend::Postgres);
}

#[test]
fn a_session_caller_needs_the_csrf_header_for_api_changes() {
    crate::api::a_session_caller_needs_the_csrf_header_for_api_changes_on(Backend::Postgres);
}

/// In real headless Chromium: sign in, filter, open a finding, resolve it with a note, see
/// it in the history; saves `docs/img/console-postgres.png`.
#[test]
fn sign_in_filter_open_and_resolve_a_finding_in_chromium() {
    crate::browser::sign_in_filter_open_and_resolve_a_finding_in_chromium_on(Backend::Postgres);
}

/// What is specific to PostgreSQL: the store really is the database (a change made through
/// the server is read back over another connection, and the reverse), and a read is
/// answered by a read-only session while the writer serves the change.
#[test]
fn the_server_reads_and_writes_the_postgres_database() {
    let s = TestServer::start_on(Backend::Postgres);
    assert!(s.db.to_str().unwrap().contains(PG_PASSWORD), "the test URL carries a password, to check that it never shows");
    let store = s.store();
    assert!(store.is_postgres());
    assert!(!store.describe().contains(PG_PASSWORD), "{}", store.describe());
    // Through the API, read back by another connection.
    let auth = bearer(&s.token(Role::Analyst));
    let path = format!("/api/v1/findings/{}/workflow", enc(&s.planted));
    let r = s.client.request(
        "POST",
        &path,
        &[("Authorization", &auth), ("Content-Type", "application/json")],
        br#"{"status":"NOTIFIED","note":"on pg"}"#,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let record = store.finding_record(&s.planted).unwrap();
    assert_eq!(record.finding.workflow_status, rampart_model::WorkflowStatus::Notified);
    // Through the store, read back by the server's readers (many reads: every reader).
    let viewer = s.login("viewer", PASSWORD).unwrap();
    s.store().set_workflow_by(&s.planted, rampart_model::WorkflowStatus::Resolved, "by the cli", Some("cli")).unwrap();
    for _ in 0..8 {
        let page = viewer.get(&format!("/findings/{}", enc(&s.planted)));
        assert_eq!(page.status, 200);
        assert!(page.body.contains("NOTIFIED → RESOLVED") && page.body.contains("by the cli"), "{}", page.body);
    }
    // Nothing shows the URL's password: not an error page, not the health check.
    let health = s.client.get("/healthz", &[]);
    assert!(!health.body.contains(PG_PASSWORD));
}

/// A PostgreSQL server that ends the sessions (a restart, a failover) costs the requests
/// that found their connection gone, not the server: the writer, the readers and the
/// accounts connect again, and reads and writes work again.
#[test]
fn the_server_connects_again_after_its_sessions_end() {
    let s = TestServer::start_on(Backend::Postgres);
    let auth = bearer(&s.token(Role::Analyst));
    let viewer = s.login("viewer", PASSWORD).unwrap();
    // Every reader opened, so every one has a session to lose.
    for _ in 0..8 {
        assert_eq!(viewer.get("/findings").status, 200);
    }
    let ended = s.terminate_sessions();
    assert!(ended >= 3, "the writer, the accounts and the readers had sessions: {ended}");
    let answers: Vec<u16> = (0..12).map(|_| s.client.get("/api/v1/findings?limit=5", &[("Authorization", &auth)]).status).collect();
    assert!(answers.iter().all(|a| *a == 200 || *a == 503), "a lost connection is answered 503 (try again): {answers:?}");
    assert!(answers.contains(&503), "some request found its session gone: {answers:?}");
    assert!(answers[answers.len() - 4..].iter().all(|a| *a == 200), "reads work again: {answers:?}");
    let pages: Vec<u16> = (0..8).map(|_| viewer.get("/findings").status).collect();
    assert!(pages[pages.len() - 2..].iter().all(|a| *a == 200), "the console works again: {pages:?}");
    // A write: the first may find the writer's session gone; the next is done.
    let path = format!("/api/v1/findings/{}/workflow", enc(&s.planted));
    let post = || {
        s.client
            .request(
                "POST",
                &path,
                &[("Authorization", &auth), ("Content-Type", "application/json")],
                br#"{"status":"NOTIFIED","note":"after"}"#,
            )
            .status
    };
    let first = post();
    assert!(first == 200 || first == 503, "{first}");
    assert_eq!(post(), 200);
    assert_eq!(s.store().finding_record(&s.planted).unwrap().finding.workflow_status, rampart_model::WorkflowStatus::Notified);
}
