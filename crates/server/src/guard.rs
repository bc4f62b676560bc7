//! Who is calling, and may they: the layer every route of the table passes through.
//!
//! A caller is a user signed in by an API token (`Authorization: Bearer rampart_...`) or by
//! a session cookie. A route names the least role it needs ([`Access`]); without a caller
//! an API route answers 401 and a page redirects to the sign-in page; a caller whose role
//! is too low gets 403. A request that is not GET or HEAD and comes with a session cookie
//! must carry the session's CSRF token (form field `csrf` or header `X-CSRF-Token`); a
//! token in a header cannot be sent by another site's page, so token callers need none.
//!
//! An agent route ([`Access::Agent`]: the telemetry upload) takes only an agent token
//! (`Bearer rampart_agent_...`, kept as a digest in the agents store); an agent token is
//! no user's credential, so it opens no other route.
//!
//! A user signed in with a one-time password (the admin created at first start) may only
//! change it (`/password`) or sign out: other pages redirect there, other calls get 403.
//!
//! **The audit log is written here**, so no route can skip it: every request to a route
//! that is not GET or HEAD (nor one of the reads sent as POST, [`Route::audited`]) leaves one row (see `rampart_hub::AuditEntry`) — the caller (or,
//! for a sign-in, the name tried: the handler says it with [`AuditUser`]), the method,
//! the route's *pattern* (never the raw path, which may carry ids only), the path
//! parameters and what the handler adds with [`AuditTargets`], the answer's status, the
//! peer's address and the user agent. Refusals (401, 403, 429) are recorded too. Never a
//! password, token, CSRF value or body. The address is the TCP peer's: behind a reverse
//! proxy that is the proxy (`X-Forwarded-For` is not trusted, since any client can send it).
//!
//! Two kinds of request do not get a row each:
//! - an anonymous refusal (401 with no credential the server knows) is the one row anyone
//!   can make the server write: one row per client address and minute, the others counted
//!   in its `repeats` ([`AnonymousRefusals`]); past [`AnonymousRefusals::MAX_SOURCES`]
//!   addresses in a minute, the others share one row whose client is `*`;
//! - a routine success the handler marks [`Routine`]: an agent's upload after the one that
//!   bound it to its host (its status keeps the count and the last time; its first upload
//!   and every refusal are recorded).

use crate::accounts::{Role, User};
use crate::routes::Route;
use crate::secret;
use crate::state::Shared;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
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
    /// An agent, by its agent token (`Authorization: Bearer rampart_agent_...`, issued by
    /// an admin): only the telemetry upload. A user's credentials are refused there (403),
    /// and an agent token is no user's credential, so it opens no other route (401).
    Agent,
}

/// The agent that called (an extension set by [`guard`] on [`Access::Agent`] routes).
#[derive(Debug, Clone)]
pub struct AgentCaller {
    pub name: String,
}

/// The signed-in caller of a request (an extension set by [`guard`]).
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    /// The CSRF token to put in forms, for a caller signed in by a session cookie.
    pub csrf: Option<String>,
}

/// Who acted, when the handler knows better than the guard: a sign-in names the user it
/// tried (success or not). Set as a response extension.
#[derive(Debug, Clone)]
pub struct AuditUser {
    pub name: String,
    /// Empty when unknown (a failed sign-in).
    pub role: String,
}

/// Ids a handler acted on beyond the path's parameters (a created rule's id, the findings
/// of a batch). Set as a response extension.
#[derive(Debug, Clone, Default)]
pub struct AuditTargets(pub Vec<String>);

/// A routine success the audit log does not keep (set as a response extension by the
/// handler; see the module's documentation).
#[derive(Debug, Clone, Copy)]
pub struct Routine;

/// Anonymous refusals counted per client address and minute (see the module's
/// documentation): the audit table grows by at most `MAX_SOURCES + 1` such rows a minute
/// whatever the clients send.
#[derive(Default)]
pub struct AnonymousRefusals {
    minute: std::sync::Mutex<Minute>,
}

#[derive(Default)]
struct Minute {
    at: i64,
    rows: std::collections::HashMap<String, AnonymousRow>,
}

enum AnonymousRow {
    /// Being written; the repeats seen meanwhile.
    Writing(u32),
    Written(i64),
}

/// What to do with an anonymous refusal.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Admit {
    /// Write a row for `key` (the address, or `*`), then say [`AnonymousRefusals::written`].
    Write(String),
    /// Count it in row `id`.
    Repeat(i64),
    /// Counted in a row being written.
    Counted,
}

impl AnonymousRefusals {
    /// Addresses with a row of their own per minute.
    pub const MAX_SOURCES: usize = 20;

    fn lock(&self) -> std::sync::MutexGuard<'_, Minute> {
        self.minute.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// An anonymous refusal from `client` in `minute` (Unix seconds / 60).
    pub(crate) fn admit(&self, client: &str, minute: i64) -> Admit {
        let mut m = self.lock();
        if m.at != minute {
            m.at = minute;
            m.rows.clear();
        }
        let key = if m.rows.contains_key(client) || m.rows.len() < Self::MAX_SOURCES { client } else { "*" };
        match m.rows.get_mut(key) {
            None => {
                m.rows.insert(key.to_string(), AnonymousRow::Writing(0));
                Admit::Write(key.to_string())
            }
            Some(AnonymousRow::Writing(n)) => {
                *n = n.saturating_add(1);
                Admit::Counted
            }
            Some(AnonymousRow::Written(id)) => Admit::Repeat(*id),
        }
    }

    /// Row `id` of `key` was written in `minute` (`None`: it could not be); returns the
    /// repeats counted while it was, to add to it.
    pub(crate) fn written(&self, key: &str, minute: i64, id: Option<i64>) -> u32 {
        let mut m = self.lock();
        if m.at != minute {
            return 0;
        }
        let pending = match m.rows.get(key) {
            Some(AnonymousRow::Writing(n)) => *n,
            _ => 0,
        };
        match id {
            Some(id) => {
                m.rows.insert(key.to_string(), AnonymousRow::Written(id));
            }
            None => {
                m.rows.remove(key);
            }
        }
        pending
    }
}

/// The paths a user with a one-time password may still use.
const WHILE_PASSWORD_MUST_CHANGE: [&str; 2] = ["/password", "/logout"];

pub async fn guard(State((state, route)): State<(Shared, Route)>, req: Request, next: Next) -> Response {
    if req.method() == Method::GET || req.method() == Method::HEAD {
        // Only reads: the store calls go to the read-only connections.
        return crate::state::reading(check(&state, route, req, next)).await.0;
    }
    if !route.audited() {
        return check(&state, route, req, next).await.0;
    }
    let method = req.method().to_string();
    let mut targets = path_parameters(route.path, req.uri().path());
    let client = req.extensions().get::<ConnectInfo<std::net::SocketAddr>>().map(|ConnectInfo(a)| a.ip().to_string()).unwrap_or_default();
    let user_agent = req.headers().get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let (res, caller) = check(&state, route, req, next).await;
    if res.extensions().get::<Routine>().is_some() {
        return res;
    }
    let (user, role) = match (res.extensions().get::<AuditUser>(), caller) {
        (Some(u), _) => (u.name.clone(), u.role.clone()),
        (None, Some(u)) => (u.name, u.role.to_string()),
        (None, None) => (String::new(), String::new()),
    };
    if let Some(AuditTargets(more)) = res.extensions().get::<AuditTargets>() {
        targets.extend(more.iter().cloned());
    }
    let entry = rampart_hub::AuditEntry {
        id: 0,
        at: time::OffsetDateTime::now_utc(),
        user,
        role,
        method,
        route: route.path.to_string(),
        targets,
        status: res.status().as_u16(),
        client,
        user_agent,
        repeats: 1,
    };
    if entry.user.is_empty() && res.status() == StatusCode::UNAUTHORIZED {
        return anonymous_refusal(&state, route, entry, res).await;
    }
    if let Err(e) = state.store(move |s| s.record_audit(&entry)).await {
        // The change is done: answering 500 would mislead the caller. Say it loudly instead.
        tracing::error!(route = route.path, error = %e.message, "cannot write the audit log");
    }
    res
}

/// An anonymous 401: one row per address and minute ([`AnonymousRefusals`]).
async fn anonymous_refusal(state: &Shared, route: Route, mut entry: rampart_hub::AuditEntry, res: Response) -> Response {
    let minute = entry.at.unix_timestamp().div_euclid(60);
    let failed = |e: crate::error::ApiError| tracing::error!(route = route.path, error = %e.message, "cannot write the audit log");
    match state.anonymous.admit(&entry.client, minute) {
        Admit::Counted => {}
        Admit::Repeat(id) => {
            if let Err(e) = state.store(move |s| s.audit_repeated(id, 1)).await {
                failed(e);
            }
        }
        Admit::Write(key) => {
            entry.client.clone_from(&key);
            let written = state.store(move |s| s.record_audit(&entry)).await;
            let pending = state.anonymous.written(&key, minute, written.as_ref().ok().copied());
            match written {
                Ok(id) if pending > 0 => {
                    if let Err(e) = state.store(move |s| s.audit_repeated(id, pending)).await {
                        failed(e);
                    }
                }
                Ok(_) => {}
                Err(e) => failed(e),
            }
        }
    }
    res
}

/// Authenticates and authorises; returns the answer and the caller it found, if any.
async fn check(state: &Shared, route: Route, mut req: Request, next: Next) -> (Response, Option<User>) {
    let least = match route.access {
        Access::Public => return (next.run(req).await, None),
        Access::Agent => return check_agent(state, req, next).await,
        Access::Least(role) => role,
    };
    let caller = match authenticate(state, req.headers()).await {
        Ok(Some(c)) => c,
        Ok(None) => return (unauthenticated(&req), None),
        Err(e) => return (e.into_response(), None),
    };
    let user = caller.user.clone();
    if caller.user.role < least {
        let message = format!("`{}` is a {}: this needs the {least} role", caller.user.name, caller.user.role);
        return (refuse(&req, StatusCode::FORBIDDEN, &message), Some(user));
    }
    if caller.user.must_change_password && !WHILE_PASSWORD_MUST_CHANGE.contains(&route.path) {
        if !is_api(&req) && req.method() == Method::GET {
            return (Redirect::to("/password").into_response(), Some(user));
        }
        let message = "sign in to the console and change the one-time password first (/password)";
        return (refuse(&req, StatusCode::FORBIDDEN, message), Some(user));
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        if let Some(expected) = &caller.csrf {
            let (ok, rebuilt) = csrf_ok(req, expected).await;
            req = rebuilt;
            if !ok {
                return (
                    refuse(&req, StatusCode::FORBIDDEN, "missing or wrong CSRF token: reload the page and submit the form again"),
                    Some(user),
                );
            }
        }
    }
    req.extensions_mut().insert(caller);
    (next.run(req).await, Some(user))
}

/// An agent route: an agent token that is known and not revoked, else 401 (403 for a
/// signed-in user, whose credentials are not an agent's). No CSRF: a bearer token in a
/// header cannot be sent by another site's page.
async fn check_agent(state: &Shared, mut req: Request, next: Next) -> (Response, Option<User>) {
    if let Some(token) = bearer(req.headers()).filter(|t| rampart_app::agent::is_agent_token(t)) {
        let hash = rampart_app::agent::digest(token);
        match state.store(move |s| s.agent_by_token(&hash)).await {
            Ok(Some(agent)) => {
                req.extensions_mut().insert(AgentCaller { name: agent.name });
                return (next.run(req).await, None);
            }
            Ok(None) => {}
            Err(e) => return (e.into_response(), None),
        }
    } else {
        match authenticate(state, req.headers()).await {
            Ok(Some(caller)) => {
                let message = "this route takes an agent token (`rampart agents token --name HOST`), not a user's credentials";
                return (refuse(&req, StatusCode::FORBIDDEN, message), Some(caller.user));
            }
            Ok(None) => {}
            Err(e) => return (e.into_response(), None),
        }
    }
    let mut r = refuse(
        &req,
        StatusCode::UNAUTHORIZED,
        "the agent token is unknown or revoked: ask an admin for one (`rampart agents token --name HOST`)",
    );
    r.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
    (r, None)
}

/// The values of a route's `{parameters}` in a request's path, percent-decoded.
fn path_parameters(pattern: &str, path: &str) -> Vec<String> {
    pattern
        .split('/')
        .zip(path.split('/'))
        .filter(|(p, _)| p.starts_with('{') && p.ends_with('}'))
        .map(|(_, v)| percent_decode(v))
        .collect()
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
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

#[cfg(test)]
mod tests {
    use super::{Admit, AnonymousRefusals};

    #[test]
    fn anonymous_refusals_are_one_row_per_address_and_minute_and_bounded() {
        let a = AnonymousRefusals::default();
        assert_eq!(a.admit("10.0.0.1", 7), Admit::Write("10.0.0.1".into()));
        assert_eq!(a.admit("10.0.0.1", 7), Admit::Counted, "while its row is being written");
        assert_eq!(a.written("10.0.0.1", 7, Some(41)), 1, "the repeat counted meanwhile is added");
        assert_eq!(a.admit("10.0.0.1", 7), Admit::Repeat(41));
        // Many addresses: MAX_SOURCES rows of their own (one is 10.0.0.1), the rest share `*`.
        let mut rows = 1;
        for i in 0..500 {
            if let Admit::Write(key) = a.admit(&format!("192.0.2.{i}"), 7) {
                rows += 1;
                a.written(&key, 7, Some(100 + i));
            }
        }
        assert_eq!(rows, AnonymousRefusals::MAX_SOURCES + 1);
        assert_eq!(a.admit("198.51.100.1", 7), Admit::Repeat(100 + AnonymousRefusals::MAX_SOURCES as i64 - 1));
        // The next minute starts over; a row that could not be written is tried again.
        assert_eq!(a.admit("10.0.0.1", 8), Admit::Write("10.0.0.1".into()));
        assert_eq!(a.written("10.0.0.1", 8, None), 0);
        assert_eq!(a.admit("10.0.0.1", 8), Admit::Write("10.0.0.1".into()));
    }

    #[test]
    fn path_parameters_are_read_from_the_pattern() {
        assert_eq!(super::path_parameters("/findings/{id}/workflow", "/findings/rampart%2Fs3%2Fabc/workflow"), ["rampart/s3/abc"]);
        assert!(super::path_parameters("/logout", "/logout").is_empty());
        assert_eq!(super::percent_decode("a%2"), "a%2");
        assert_eq!(super::percent_decode("%zz%41"), "%zzA");
    }
}
