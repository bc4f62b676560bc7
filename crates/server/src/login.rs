//! Signing in and out of the console.
//!
//! The sign-in form is protected against cross-site submission by a double-submit token:
//! GET /login sets a random `rampart_login` cookie (SameSite=Strict) and puts the same value
//! in the form; POST /login accepts only when both agree. Failed attempts are counted per
//! user name and per client address ([`crate::state::Limiter`]) before any password is
//! hashed. A session is 256 random bits in an HttpOnly, SameSite=Strict cookie (Secure
//! under TLS), kept by the server only as a SHA-256 digest, for [`SESSION_HOURS`].

use crate::guard::{cookie, Caller, SESSION_COOKIE};
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

/// Only a path of this site: never `//host` or `https://host` (an open redirect).
fn local_path(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") {
        next
    } else {
        "/findings"
    }
}

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

pub async fn submit(
    State(state): State<Shared>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let next = local_path(&f.next).to_string();
    let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    if expected.is_empty() || !secret::same(&f.csrf, &expected) {
        return form_response(&state, StatusCode::FORBIDDEN, &next, Some("The form expired or came from another site: sign in again."));
    }
    let ip = peer.map(|Extension(ConnectInfo(a))| a.ip().to_string()).unwrap_or_default();
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
        return r;
    }
    let name = f.name.clone();
    let record = match state.accounts(move |a| a.user(&name)).await {
        Ok(r) => r,
        Err(e) => return e.into_response(),
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
        Err(e) => return crate::error::ApiError::internal(e.to_string()).into_response(),
    };
    let Some(user) = user else {
        state.limiter.failed(&keys);
        tracing::warn!(user = %f.name, %ip, "sign-in failed");
        return form_response(&state, StatusCode::UNAUTHORIZED, &next, Some("Wrong user name or password."));
    };
    state.limiter.succeeded(&user_key);
    let session = match secret::random_hex() {
        Ok(s) => s,
        Err(e) => return crate::error::ApiError::internal(e.to_string()).into_response(),
    };
    let hash = secret::digest(&session);
    let expires = time::OffsetDateTime::now_utc().unix_timestamp() + SESSION_HOURS * 3600;
    let who = user.name.clone();
    if let Err(e) = state.accounts(move |a| a.add_session(&hash, &who, expires)).await {
        return e.into_response();
    }
    tracing::info!(user = %user.name, %ip, "signed in");
    let mut r = Redirect::to(&next).into_response();
    let attrs = cookie_attrs(&state);
    for c in [format!("{SESSION_COOKIE}={session}{attrs}; Max-Age={}", SESSION_HOURS * 3600), format!("{LOGIN_COOKIE}={attrs}; Max-Age=0")]
    {
        if let Ok(v) = HeaderValue::from_str(&c) {
            r.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    r
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
