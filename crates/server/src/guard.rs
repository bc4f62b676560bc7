//! Who is calling, and may they: the layer every route of the table passes through.
//!
//! A caller is a user signed in by an API token (`Authorization: Bearer rampart_...`) or by
//! a session cookie. A route names the least role it needs ([`Access`]); without a caller
//! an API route answers 401 and a page redirects to the sign-in page; a caller whose role
//! is too low gets 403. A request that is not GET or HEAD and comes with a session cookie
//! must carry the session's CSRF token (form field `csrf` or header `X-CSRF-Token`); a
//! token in a header cannot be sent by another site's page, so token callers need none.

use crate::accounts::{Role, User};
use crate::secret;
use crate::state::Shared;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "rampart_session";

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone: the health check, the sign-in page and its assets.
    Public,
    /// A signed-in user of at least this role.
    Least(Role),
}

/// The signed-in caller of a request (an extension set by [`guard`]).
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    /// The CSRF token to put in forms, for a caller signed in by a session cookie.
    pub csrf: Option<String>,
}

pub async fn guard(State((state, access)): State<(Shared, Access)>, mut req: Request, next: Next) -> Response {
    let least = match access {
        Access::Public => return next.run(req).await,
        Access::Least(role) => role,
    };
    let caller = match authenticate(&state, req.headers()).await {
        Ok(Some(c)) => c,
        Ok(None) => return unauthenticated(&req),
        Err(e) => return e.into_response(),
    };
    if caller.user.role < least {
        return refuse(
            &req,
            StatusCode::FORBIDDEN,
            &format!("`{}` is a {}: this needs the {least} role", caller.user.name, caller.user.role),
        );
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        if let Some(expected) = &caller.csrf {
            let (ok, rebuilt) = csrf_ok(req, expected).await;
            req = rebuilt;
            if !ok {
                return refuse(&req, StatusCode::FORBIDDEN, "missing or wrong CSRF token: reload the page and submit the form again");
            }
        }
    }
    req.extensions_mut().insert(caller);
    next.run(req).await
}

/// The caller the headers name, if any; a credential that is given but unknown or expired
/// counts as none.
pub async fn authenticate(state: &Shared, headers: &HeaderMap) -> Result<Option<Caller>, crate::error::ApiError> {
    if let Some(token) = bearer(headers) {
        let hash = secret::digest(token);
        let user = state.accounts(move |a| a.token_user(&hash)).await?;
        return Ok(user.map(|user| Caller { user, csrf: None }));
    }
    if let Some(session) = cookie(headers, SESSION_COOKIE) {
        let hash = secret::digest(&session);
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let user = state.accounts(move |a| a.session_user(&hash, now)).await?;
        return Ok(user.map(|user| Caller { user, csrf: Some(secret::csrf_for(&session)) }));
    }
    Ok(None)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim()).filter(|t| !t.is_empty())
}

/// The value of cookie `name`.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}

/// Pages (everything outside `/api/`) send a person to the sign-in page; the API answers.
fn is_api(req: &Request) -> bool {
    req.uri().path().starts_with("/api/")
}

fn unauthenticated(req: &Request) -> Response {
    if !is_api(req) && req.method() == Method::GET {
        let next = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
        let to = format!("/login?next={}", crate::console::url_encode(next));
        return Redirect::to(&to).into_response();
    }
    let mut r = refuse(
        req,
        StatusCode::UNAUTHORIZED,
        "sign in first: a session cookie from /login, or `Authorization: Bearer TOKEN` (`rampart users token NAME`)",
    );
    r.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
    r
}

fn refuse(req: &Request, status: StatusCode, message: &str) -> Response {
    if is_api(req) {
        crate::error::ApiError::new(status, message).into_response()
    } else {
        crate::console::error_page(status, message)
    }
}

/// Whether the request carries `expected` as its CSRF token, and the request rebuilt (its
/// form body was read to find the field).
async fn csrf_ok(req: Request, expected: &str) -> (bool, Request) {
    if let Some(v) = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()) {
        let ok = secret::same(v, expected);
        return (ok, req);
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return (false, req);
    }
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, 1 << 20).await {
        Ok(b) => b,
        Err(_) => return (false, Request::from_parts(parts, Body::empty())),
    };
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    let ok = fields.iter().any(|(k, v)| k == "csrf" && secret::same(v, expected));
    (ok, Request::from_parts(parts, Body::from(bytes)))
}
