//! Signing in and out of the console.
//!
//! The sign-in form is protected against cross-site submission by a double-submit token:
//! GET /login sets a random `rampart_login` cookie (SameSite=Strict) and puts the same value
//! in the form; POST /login accepts only when both agree. Failed attempts are counted per
//! user name and per client address ([`crate::state::Limiter`]) before any password is
//! hashed. A session is 256 random bits in an HttpOnly, SameSite=Strict cookie (Secure
//! under TLS), kept by the server only as a SHA-256 digest, for [`SESSION_HOURS`].
//!
//! Every answer to POST /login names the user it tried ([`AuditUser`]) for the audit log:
//! the name typed, never the password. `/password` changes the caller's own password; a
//! user signed in with the one-time password of first start can do nothing else.

use crate::guard::{cookie, AuditUser, Caller, SESSION_COOKIE};
use crate::secret;
use crate::state::Shared;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use maud::{html, Markup, DOCTYPE};
use serde::Deserialize;
use std::net::SocketAddr;

pub const SESSION_HOURS: i64 = 12;
const LOGIN_COOKIE: &str = "rampart_login";

#[derive(Deserialize, Default)]
pub struct Next {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
}

/// Only a path of this site: never `//host`, `https://host` or what a browser reads as
/// one (`/\host`, `/<TAB>/host`: browsers drop tabs and newlines and read `\` as `/`), so
/// `next` is `/` or `/` then a letter, digit or `?`/`#`, with no control character or `\`
/// anywhere (an open redirect otherwise).
fn local_path(next: &str) -> &str {
    let second_ok = match next.as_bytes().get(1) {
        None => true,
        Some(b) => b.is_ascii_alphanumeric() || matches!(b, b'?' | b'#'),
    };
    if next.starts_with('/') && second_ok && !next.chars().any(|c| c.is_control() || c == '\\') {
        next
    } else {
        "/findings"
    }
}

/// The longest user name a sign-in form may carry: longer ones are refused before the
/// limiter, the accounts or the log see them (a user name is at most 64 characters).
const MAX_NAME_CHARS: usize = 128;

fn cookie_attrs(state: &Shared) -> &'static str {
    if state.tls {
        "; Path=/; HttpOnly; SameSite=Strict; Secure"
    } else {
        "; Path=/; HttpOnly; SameSite=Strict"
    }
}

fn form(token: &str, next: &str, message: Option<&str>) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Sign in · Rampart" }
                link rel="stylesheet" href="/static/console.css";
            }
            body.login {
                main {
                    h1 { "Rampart" }
                    @if let Some(m) = message { p.error role="alert" { (m) } }
                    form method="post" action="/login" {
                        input type="hidden" name="csrf" value=(token);
                        input type="hidden" name="next" value=(next);
                        label for="name" { "User name" }
                        input #name type="text" name="name" autocomplete="username" required autofocus;
                        label for="password" { "Password" }
                        input #password type="password" name="password" autocomplete="current-password" required;
                        button #signin type="submit" { "Sign in" }
                    }
                }
            }
        }
    }
}

/// The page with a fresh double-submit token.
fn form_response(state: &Shared, status: StatusCode, next: &str, message: Option<&str>) -> Response {
    let token = match secret::random_hex() {
        Ok(t) => t,
        Err(e) => return crate::error::ApiError::internal(e.to_string()).into_response(),
    };
    let mut r = (status, form(&token, next, message)).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("{LOGIN_COOKIE}={token}{}", cookie_attrs(state))) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

pub async fn page(State(state): State<Shared>, Query(q): Query<Next>) -> Response {
    form_response(&state, StatusCode::OK, local_path(q.next.as_deref().unwrap_or("/findings")), None)
}

/// The longest tried name the audit log keeps (a password typed into the name field by
/// mistake is cut, not kept whole).
const AUDIT_NAME: usize = 64;

pub async fn submit(
    State(state): State<Shared>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let tried: String = f.name.chars().take(AUDIT_NAME).collect();
    let (mut r, role) = sign_in(state, peer, headers, f).await;
    r.extensions_mut().insert(AuditUser { name: tried, role: role.map(|r| r.to_string()).unwrap_or_default() });
    r
}

/// The answer to a sign-in, and the role of the user it signed in.
async fn sign_in(
    state: Shared,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    f: LoginForm,
) -> (Response, Option<crate::accounts::Role>) {
    let next = local_path(&f.next).to_string();
    let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    if expected.is_empty() || !secret::same(&f.csrf, &expected) {
        return (
            form_response(&state, StatusCode::FORBIDDEN, &next, Some("The form expired or came from another site: sign in again.")),
            None,
        );
    }
    let ip = peer.map(|Extension(ConnectInfo(a))| a.ip().to_string()).unwrap_or_default();
    if f.name.chars().count() > MAX_NAME_CHARS || f.name.chars().any(char::is_control) {
        // No such user can exist: a failure of this address only, and nothing of the name kept.
        state.limiter.failed(&[format!("ip:{ip}")]);
        tracing::warn!(%ip, "sign-in refused: the user name is too long or holds control characters");
        return (form_response(&state, StatusCode::UNAUTHORIZED, &next, Some("Wrong user name or password.")), None);
    }
    let user_key = format!("user:{}", f.name);
    let keys = [format!("ip:{ip}"), user_key.clone()];
    if let Some(wait) = state.limiter.blocked(&keys) {
        tracing::warn!(user = %f.name, %ip, "sign-in refused: too many failures");
        let minutes = wait.as_secs().div_ceil(60).max(1);
        let mut r = form_response(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            &next,
            Some(&format!("Too many failed sign-ins: try again in {minutes} minute(s).")),
        );
        r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait.as_secs().max(1)));
        return (r, None);
    }
    let name = f.name.clone();
    let record = match state.accounts(move |a| a.user(&name)).await {
        Ok(r) => r,
        Err(e) => return (e.into_response(), None),
    };
    let password = f.password;
    let user = match tokio::task::spawn_blocking(move || match record {
        Some(r) if secret::verify_password(&password, &r.password_hash) => Some(r.user),
        Some(_) => None,
        None => {
            // As slow as a wrong password, so the answer's time does not tell which names exist.
            let _ = secret::verify_password(&password, dummy_hash());
            None
        }
    })
    .await
    {
        Ok(u) => u,
        Err(e) => return (crate::error::ApiError::internal(e.to_string()).into_response(), None),
    };
    let Some(user) = user else {
        state.limiter.failed(&keys);
        tracing::warn!(user = %f.name, %ip, "sign-in failed");
        return (form_response(&state, StatusCode::UNAUTHORIZED, &next, Some("Wrong user name or password.")), None);
    };
    state.limiter.succeeded(&user_key);
    let session = match secret::random_hex() {
        Ok(s) => s,
        Err(e) => return (crate::error::ApiError::internal(e.to_string()).into_response(), None),
    };
    let hash = secret::digest(&session);
    let expires = time::OffsetDateTime::now_utc().unix_timestamp() + SESSION_HOURS * 3600;
    let who = user.name.clone();
    if let Err(e) = state.accounts(move |a| a.add_session(&hash, &who, expires)).await {
        return (e.into_response(), None);
    }
    tracing::info!(user = %user.name, %ip, "signed in");
    // A one-time password: the only way on is choosing one's own.
    let to = if user.must_change_password { "/password" } else { next.as_str() };
    let mut r = Redirect::to(to).into_response();
    let attrs = cookie_attrs(&state);
    for c in [format!("{SESSION_COOKIE}={session}{attrs}; Max-Age={}", SESSION_HOURS * 3600), format!("{LOGIN_COOKIE}={attrs}; Max-Age=0")]
    {
        if let Ok(v) = HeaderValue::from_str(&c) {
            r.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    (r, Some(user.role))
}

/// An argon2id hash, with the parameters of real ones, of a random password nobody knows.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| secret::random_hex().and_then(|p| secret::hash_password(&p)).unwrap_or_default())
}

pub async fn logout(State(state): State<Shared>, Extension(caller): Extension<Caller>, headers: HeaderMap) -> Response {
    if let Some(session) = cookie(&headers, SESSION_COOKIE) {
        let hash = secret::digest(&session);
        if let Err(e) = state.accounts(move |a| a.delete_session(&hash)).await {
            return e.into_response();
        }
    }
    tracing::info!(user = %caller.user.name, "signed out");
    let mut r = Redirect::to("/login").into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("{SESSION_COOKIE}={}; Max-Age=0", cookie_attrs(&state))) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    again: String,
}

fn password_form(caller: &Caller, message: Option<&str>) -> Markup {
    let body = html! {
        h1 { "Change your password" }
        @if caller.user.must_change_password {
            p.notice role="status" { "You signed in with a one-time password. Choose your own to go on: the one-time password stops working." }
        }
        @if let Some(m) = message { p.error role="alert" { (m) } }
        form.password method="post" action="/password" {
            input type="hidden" name="csrf" value=(caller.csrf.as_deref().unwrap_or(""));
            label for="current" { "Current password" }
            input #current type="password" name="current" autocomplete="current-password" required autofocus;
            label for="new" { "New password (at least " (crate::users::MIN_PASSWORD) " characters)" }
            input #new type="password" name="new" autocomplete="new-password" required minlength=(crate::users::MIN_PASSWORD);
            label for="again" { "New password again" }
            input #again type="password" name="again" autocomplete="new-password" required;
            button #change type="submit" { "Change password" }
        }
    };
    crate::console::layout("Change password", caller, "", body)
}

pub async fn password_page(Extension(caller): Extension<Caller>) -> Markup {
    password_form(&caller, None)
}

/// Changes the caller's own password: the current one is checked (failures count towards
/// the sign-in limit), the new one must be long enough, typed twice and different. The
/// caller's other sessions end; this one stays.
pub async fn change_password(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    Form(f): Form<PasswordForm>,
) -> Response {
    let again = |status: StatusCode, m: &str| (status, password_form(&caller, Some(m))).into_response();
    let key = [format!("user:{}", caller.user.name)];
    if let Some(wait) = state.limiter.blocked(&key) {
        let minutes = wait.as_secs().div_ceil(60).max(1);
        return again(StatusCode::TOO_MANY_REQUESTS, &format!("Too many wrong passwords: try again in {minutes} minute(s)."));
    }
    if f.new != f.again {
        return again(StatusCode::BAD_REQUEST, "The two new passwords differ: type the same one twice.");
    }
    if let Err(e) = crate::users::check_password(&f.new) {
        return again(StatusCode::BAD_REQUEST, &format!("{e}"));
    }
    if f.new == f.current {
        return again(StatusCode::BAD_REQUEST, "The new password is the current one: choose another.");
    }
    let name = caller.user.name.clone();
    let record = match state.accounts(move |a| a.user(&name)).await {
        Ok(Some(r)) => r,
        Ok(None) => return again(StatusCode::NOT_FOUND, "Your user no longer exists."),
        Err(e) => return e.into_response(),
    };
    let (current, new) = (f.current, f.new);
    let hashed = tokio::task::spawn_blocking(move || {
        if !secret::verify_password(&current, &record.password_hash) {
            return Ok(None);
        }
        secret::hash_password(&new).map(Some)
    })
    .await;
    let hash = match hashed {
        Ok(Ok(Some(h))) => h,
        Ok(Ok(None)) => {
            state.limiter.failed(&key);
            return again(StatusCode::UNAUTHORIZED, "The current password is wrong.");
        }
        Ok(Err(e)) => return crate::error::ApiError::internal(format!("{e:#}")).into_response(),
        Err(e) => return crate::error::ApiError::internal(e.to_string()).into_response(),
    };
    let keep = cookie(&headers, SESSION_COOKIE).map(|s| secret::digest(&s));
    let name = caller.user.name.clone();
    match state.accounts(move |a| a.set_password(&name, &hash, false, keep.as_deref())).await {
        Ok(true) => {}
        Ok(false) => return again(StatusCode::NOT_FOUND, "Your user no longer exists."),
        Err(e) => return e.into_response(),
    }
    tracing::info!(user = %caller.user.name, "password changed");
    Redirect::to("/findings").into_response()
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_paths_of_this_site_are_followed_after_sign_in() {
        for ok in ["/", "/findings", "/findings?status=FAILED", "/insights/custom%2F1", "/?x=1", "/#top"] {
            assert_eq!(local_path(ok), ok);
        }
        // What a browser would read as another host, or not a path at all.
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/%09/evil.example\t",
            "/\n/evil.example",
            "/ /evil.example",
            "/findings\\..\\x",
            "https://evil.example/",
            "evil.example",
            "",
            "/.//evil.example",
        ] {
            assert_eq!(local_path(bad), "/findings", "{bad:?}");
        }
    }
}
