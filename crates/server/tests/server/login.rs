//! Signing in: cookies, the form's CSRF token, the rate limit, sign-out, and credentials
//! never kept in clear.

use crate::common::{bearer, hidden, Backend, TestServer, PASSWORD};
use crate::http::form;
use rampart_server::Role;

#[test]
fn a_session_cookie_is_http_only_and_same_site_strict() {
    a_session_cookie_is_http_only_and_same_site_strict_on(Backend::Sqlite);
}

pub(crate) fn a_session_cookie_is_http_only_and_same_site_strict_on(backend: Backend) {
    let s = TestServer::start_on(backend);
    let b = s.login("analyst", PASSWORD).unwrap();
    let c = b.set_cookie.iter().find(|c| c.starts_with("rampart_session=")).unwrap();
    assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.contains("Path=/"), "{c}");
    assert!(!c.contains("Secure"), "plain HTTP: a Secure cookie would never come back: {c}");
    let me = b.get("/api/v1/me").json();
    assert_eq!(me["name"], "analyst");
    assert_eq!(me["role"], "analyst");
}

#[test]
fn wrong_passwords_and_unknown_users_are_refused_alike() {
    wrong_passwords_and_unknown_users_are_refused_alike_on(Backend::Sqlite);
}

pub(crate) fn wrong_passwords_and_unknown_users_are_refused_alike_on(backend: Backend) {
    let s = TestServer::start_on(backend);
    let a = s.login("analyst", "wrong password here").unwrap_err();
    let b = s.login("nobody", "wrong password here").unwrap_err();
    assert_eq!(a.status, 401);
    assert_eq!(b.status, 401);
    assert!(a.body.contains("Wrong user name or password") && b.body.contains("Wrong user name or password"));
    assert!(a.cookie("rampart_session").is_none());
}

#[test]
fn the_sign_in_form_needs_its_own_token() {
    the_sign_in_form_needs_its_own_token_on(Backend::Sqlite);
}

pub(crate) fn the_sign_in_form_needs_its_own_token_on(backend: Backend) {
    let s = TestServer::start_on(backend);
    let page = s.client.get("/login", &[]);
    let cookie = page.cookie("rampart_login").unwrap();
    let csrf = hidden(&page.body, "csrf").unwrap();
    let post = |cookie: &str, token: &str| {
        s.client.request(
            "POST",
            "/login",
            &[("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", cookie)],
            &form(&[("name", "admin"), ("password", PASSWORD), ("csrf", token)]),
        )
    };
    // Another site's form has neither the cookie (SameSite) nor the token.
    assert_eq!(post("", &csrf).status, 403);
    assert_eq!(post(&format!("rampart_login={cookie}"), "forged").status, 403);
    assert_eq!(post(&format!("rampart_login={cookie}"), &csrf).status, 303);
}

#[test]
fn sign_in_is_rate_limited() {
    let s = TestServer::start();
    for _ in 0..5 {
        assert_eq!(s.login("admin", "not the password!").unwrap_err().status, 401);
    }
    // Now even the right password waits.
    let r = s.login("admin", PASSWORD).unwrap_err();
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.header("retry-after").and_then(|v| v.parse::<u64>().ok()).is_some_and(|s| s > 0 && s <= 900), "{:?}", r.headers);
    assert!(r.body.contains("Too many failed sign-ins"));
}

#[test]
fn signing_out_ends_the_session() {
    let s = TestServer::start();
    let b = s.login("viewer", PASSWORD).unwrap();
    assert_eq!(b.get("/api/v1/me").status, 200);
    let r = b.post_form("/logout", &[("csrf", &b.csrf)]);
    assert_eq!(r.status, 303);
    assert_eq!(b.get("/api/v1/me").status, 401, "the old cookie no longer works");
}

#[test]
fn tokens_act_with_their_users_role_until_the_user_is_deleted() {
    let s = TestServer::start();
    let token = s.token(Role::Analyst);
    let me = s.client.get("/api/v1/me", &[("Authorization", &bearer(&token))]).json();
    assert_eq!(me["role"], "analyst");
    assert!(s.accounts.delete_user("analyst").unwrap());
    assert_eq!(s.client.get("/api/v1/me", &[("Authorization", &bearer(&token))]).status, 401);
}

#[test]
fn passwords_tokens_and_sessions_are_not_stored_in_clear() {
    let s = TestServer::start();
    let token = s.token(Role::Admin);
    let b = s.login("admin", PASSWORD).unwrap();
    let session = b.cookie.trim_start_matches("rampart_session=").to_string();
    assert_eq!(s.client.get("/api/v1/me", &[("Authorization", &bearer(&token))]).status, 200);
    // Everything the database holds, as bytes (SQLite's files, or PostgreSQL's dump).
    let bytes = s.stored_bytes();
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("$argon2id$"), "the database holds argon2id password hashes");
    for secret in [PASSWORD, token.as_str(), session.as_str(), &token["rampart_".len()..]] {
        assert!(!text.contains(secret), "`{secret}` is stored in clear");
    }
}
