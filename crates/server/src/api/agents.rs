//! Agents over the API:
//!
//! - `POST /api/v1/agents/telemetry` (an agent token only): the upload, gzip JSON
//!   (`Content-Encoding: gzip`), bounded compressed and decompressed (413), read by the host
//!   crate's reader (400 with its message), bound to the token's host (403 from another
//!   host), kept 30 days; then the assessment templates that target the host and whose
//!   interval has passed run in the background (`rampart_app::agent`), taking the write
//!   connection only for each short write. 202 with what was stored. The audit log keeps
//!   the first upload (the one that binds the host) and every refusal, not each routine
//!   upload after it (the agent's status counts those).
//! - `GET /api/v1/agents` (viewers): each agent's host, version, last seen, health and
//!   whether it is silent (no upload for two of its intervals).
//! - `POST /api/v1/agents` (admins): issue an agent a token, shown once;
//!   `POST /api/v1/agents/{id}/revoke` (admins).

use crate::error::ApiError;
use crate::guard::{AgentCaller, AuditTargets, AuditUser, Caller, Routine};
use crate::routes::{r, Table, ADMIN, AGENT, VIEWER};
use crate::state::Shared;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json};
use rampart_app::agent::LIMITS;
use rampart_app::agent::{self, AgentMeta, Refusal};
use rampart_model::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

/// This area's part of the OpenAPI document (merged into [`super::ApiDoc`]'s).
#[derive(OpenApi)]
#[openapi(paths(upload, list, issue, revoke), components(schemas(ApiAgent, AgentList, UploadAccepted, IssueRequest, IssuedToken)))]
pub(crate) struct Doc;

pub(crate) fn routes() -> Table {
    vec![
        (r("POST", "/api/v1/agents/telemetry", AGENT), post(upload)),
        (r("GET", "/api/v1/agents", VIEWER), get(list)),
        (r("POST", "/api/v1/agents", ADMIN), post(issue)),
        (r("POST", "/api/v1/agents/{id}/revoke", ADMIN), post(revoke)),
    ]
}

/// An agent and how it reports.
#[derive(Serialize, ToSchema)]
pub struct ApiAgent {
    pub name: String,
    /// The host its token is bound to (an EC2 instance id or a hostname), from its first upload.
    pub host: Option<String>,
    pub hostname: Option<String>,
    /// The agent's version, as it said.
    pub version: Option<String>,
    /// How often it says it reports, in seconds.
    pub interval_seconds: Option<u64>,
    /// Its last upload (RFC 3339).
    pub last_seen: Option<String>,
    /// What its last document could not read; empty when all was read.
    pub health: Vec<String>,
    /// No upload for two of its intervals (since it was issued, if it never uploaded).
    pub silent: bool,
    pub revoked: bool,
    pub uploads: u64,
    pub created_at: String,
    pub created_by: String,
}

impl ApiAgent {
    pub(crate) fn of(a: rampart_hub::Agent, now: time::OffsetDateTime) -> ApiAgent {
        ApiAgent {
            silent: agent::is_silent(&a, now),
            name: a.name,
            host: a.host_id,
            hostname: a.hostname,
            version: a.version,
            interval_seconds: a.interval_seconds,
            last_seen: a.last_seen.map(rfc3339),
            health: a.health,
            revoked: a.revoked_at.is_some(),
            uploads: a.uploads,
            created_at: rfc3339(a.created_at),
            created_by: a.created_by,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AgentList {
    pub agents: Vec<ApiAgent>,
}

/// An upload stored.
#[derive(Serialize, ToSchema)]
pub struct UploadAccepted {
    pub agent: String,
    /// The host the document is of (and the token is bound to).
    pub host: String,
    pub hostname: String,
    pub telemetry_id: i64,
    pub collected_at: String,
    /// The assessment templates that target the host and are due: they run now, in the background.
    pub assessments: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct IssueRequest {
    /// The agent's name, usually its host's (letters, digits, `.`, `-`, `_`).
    pub name: String,
}

/// A new agent's token: shown this once, kept only as its digest.
#[derive(Serialize, ToSchema)]
pub struct IssuedToken {
    pub name: String,
    pub token: String,
}

/// Upload this host's telemetry document (agents).
#[utoipa::path(post, path = "/api/v1/agents/telemetry", tag = "agents",
    request_body(content = String, description = "The telemetry document (`rampart agent --once -o FILE` writes one) as JSON, gzip-compressed with `Content-Encoding: gzip`", content_type = "application/json"),
    params(("x-rampart-agent-interval" = Option<u64>, Header, description = "How often the agent reports, in seconds (default 3600)")),
    responses(
        (status = 202, description = "Stored", body = UploadAccepted),
        (status = 400, description = "Malformed: not gzip, not a telemetry document, no host"),
        (status = 401, description = "No agent token, or an unknown or revoked one"),
        (status = 403, description = "The token is bound to another host, or a user's credentials were given"),
        (status = 413, description = "Larger than 8 MiB compressed or 64 MiB decompressed"),
        (status = 503, description = "Too many uploads are being decoded at once: retry after the `Retry-After` seconds (the agent keeps the document spooled)"),
    ))]
pub(crate) async fn upload(
    State(state): State<Shared>,
    Extension(caller): Extension<AgentCaller>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let who = AuditUser { name: format!("agent:{}", caller.name), role: "agent".into() };
    // At most MAX_DECODING uploads are read and decoded at once (each may hold 8 MiB as sent
    // and 64 MiB of JSON): past that, 503 with Retry-After (the agent keeps it spooled and
    // retries with backoff).
    let mut res = match Decoding::acquire() {
        None => {
            let mut r = ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "too many uploads are being decoded: retry later".to_string())
                .into_response();
            r.headers_mut().insert(header::RETRY_AFTER, axum::http::HeaderValue::from_static("30"));
            r
        }
        Some(_slot) => match receive(&state, &caller.name, &headers, body).await {
            Ok(r) => r,
            Err(e) => e.into_response(),
        },
    };
    res.extensions_mut().insert(who);
    res
}

/// How many uploads may be read and decoded at once.
const MAX_DECODING: usize = 4;

static DECODING: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A slot of [`MAX_DECODING`], given back when dropped.
struct Decoding;

impl Decoding {
    fn acquire() -> Option<Decoding> {
        use std::sync::atomic::Ordering;
        DECODING.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < MAX_DECODING).then_some(n + 1)).ok().map(|_| Decoding)
    }
}

impl Drop for Decoding {
    fn drop(&mut self) {
        DECODING.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
    }
}

#[cfg(test)]
mod decoding_tests {
    #[test]
    fn at_most_max_decoding_uploads_are_decoded_at_once() {
        let slots: Vec<_> = (0..super::MAX_DECODING).map(|_| super::Decoding::acquire().expect("a free slot")).collect();
        assert!(super::Decoding::acquire().is_none(), "full: the upload is answered 503");
        drop(slots);
        assert!(super::Decoding::acquire().is_some(), "slots are given back");
    }
}

fn too_large(limit: usize, what: &str) -> ApiError {
    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, format!("the upload is larger than {limit} bytes {what}"))
}

async fn receive(state: &Shared, name: &str, headers: &HeaderMap, body: Body) -> Result<Response, ApiError> {
    let header = |h: &str| headers.get(h).and_then(|v| v.to_str().ok()).map(str::to_string);
    if let Some(n) = header(header::CONTENT_LENGTH.as_str()).and_then(|n| n.trim().parse::<u64>().ok()) {
        // Far too large: not worth reading (a body just over the limit is read and dropped).
        if n > 2 * LIMITS.compressed as u64 {
            return Err(too_large(LIMITS.compressed, "as sent"));
        }
    }
    let bytes = read_body(body, LIMITS.compressed).await?;
    let encoding = header(header::CONTENT_ENCODING.as_str());
    let meta = AgentMeta::from_headers(header(header::USER_AGENT.as_str()).as_deref(), header("x-rampart-agent-interval").as_deref());
    let doc = tokio::task::spawn_blocking(move || agent::decode(&bytes, encoding.as_deref()))
        .await
        .map_err(|e| ApiError::internal(format!("decoding task failed: {e}")))?
        .map_err(refusal)?;
    let now = rampart_app::now();
    let name_owned = name.to_string();
    let (stored, doc) = state
        .store(move |s| {
            let stored = agent::store_upload(s, &name_owned, &doc, &meta, now);
            let due = match &stored {
                Ok(Ok(_)) => agent::due_templates(s, &doc, now).unwrap_or_default(),
                _ => Vec::new(),
            };
            Ok((stored.map(|r| r.map(|r| (r, due))), doc))
        })
        .await?;
    let (received, due) = stored.map_err(|e| ApiError::internal(format!("{e:#}")))?.map_err(refusal)?;
    if !due.is_empty() {
        let state = state.clone();
        // On a blocking thread of its own, taking the write connection only for each short
        // write (`StoreAccess for AppState`): reading the documents, opening the
        // vulnerability database and evaluating hold nothing, so other writers never wait
        // behind an assessment.
        tokio::task::spawn_blocking(move || {
            let notify = rampart_app::Collected::default();
            let vulndb = || {
                let path = rampart_hub::VulnStore::default_path();
                rampart_hub::VulnStore::open_read_only(rampart_app::db::vulndb_file(&path)?).map_err(anyhow::Error::from)
            };
            match agent::run_due_assessments(state.as_ref(), &doc, now, &vulndb, &notify) {
                Ok(runs) => {
                    for w in notify.warnings() {
                        tracing::warn!(warning = %w, "agent assessment");
                    }
                    tracing::info!(runs = runs.len(), "assessments of an agent's upload");
                }
                Err(e) => tracing::warn!(error = %format!("{e:#}"), "assessments of an agent's upload"),
            }
        });
    }
    let body = UploadAccepted {
        agent: received.agent,
        host: received.host.clone(),
        hostname: received.hostname,
        telemetry_id: received.telemetry_id,
        collected_at: received.collected_at,
        assessments: due,
    };
    let mut res = (StatusCode::ACCEPTED, Json(body)).into_response();
    res.extensions_mut().insert(AuditTargets(vec![received.host]));
    if !received.first {
        // The audit log keeps the upload that bound the agent to its host and every refusal;
        // the routine ones after it are the agent's status (uploads, last seen).
        res.extensions_mut().insert(Routine);
    }
    Ok(res)
}

/// The body, at most `limit` bytes; a larger one is read on (up to twice the limit, and
/// thrown away) so that the client, still sending, reads the 413 rather than a reset.
async fn read_body(mut body: Body, limit: usize) -> Result<Vec<u8>, ApiError> {
    use http_body_util::BodyExt;
    let mut out = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| ApiError::bad_request(format!("the upload broke off: {e}")))?;
        if let Ok(data) = frame.into_data() {
            seen = seen.saturating_add(data.len());
            if seen <= limit {
                out.extend_from_slice(&data);
            } else if seen > limit.saturating_mul(2) {
                break;
            }
        }
    }
    if seen > limit {
        return Err(too_large(limit, "as sent"));
    }
    Ok(out)
}

fn refusal(r: Refusal) -> ApiError {
    let status = match &r {
        Refusal::Upload(e) if e.too_large() => StatusCode::PAYLOAD_TOO_LARGE,
        Refusal::Upload(_) => StatusCode::BAD_REQUEST,
        Refusal::OtherHost { .. } | Refusal::HostTaken { .. } => StatusCode::FORBIDDEN,
        Refusal::Revoked => StatusCode::UNAUTHORIZED,
    };
    ApiError::new(status, r.to_string())
}

/// The agents: host, version, last seen, health, silent or not.
#[utoipa::path(get, path = "/api/v1/agents", tag = "agents",
    responses((status = 200, body = AgentList)))]
pub(crate) async fn list(State(state): State<Shared>) -> Result<Json<AgentList>, ApiError> {
    let agents = state.store(|s| s.agents()).await?;
    let now = rampart_app::now();
    Ok(Json(AgentList { agents: agents.into_iter().map(|a| ApiAgent::of(a, now)).collect() }))
}

/// Issues a token for a new agent (admins); the token is in this answer only.
#[utoipa::path(post, path = "/api/v1/agents", tag = "agents", request_body = IssueRequest,
    responses((status = 201, body = IssuedToken), (status = 400, description = "Bad name"), (status = 409, description = "The name is taken")))]
pub(crate) async fn issue(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Json(req): Json<IssueRequest>,
) -> Result<Response, ApiError> {
    let (name, token) = issue_token(&state, &caller, &req.name).await?;
    let mut res = (StatusCode::CREATED, Json(IssuedToken { name: name.clone(), token })).into_response();
    res.extensions_mut().insert(AuditTargets(vec![name]));
    Ok(res)
}

/// Shared with the console's form: the agent's name and its new token.
pub(crate) async fn issue_token(state: &Shared, caller: &Caller, name: &str) -> Result<(String, String), ApiError> {
    let name = agent::check_name(name).map_err(|e| ApiError::bad_request(e.to_string()))?.to_string();
    let by = caller.user.name.clone();
    let n = name.clone();
    let token = state.store(move |s| Ok(agent::issue(s, &n, &by, rampart_app::now()))).await?;
    match token {
        Ok(t) => Ok((name, t)),
        Err(e @ agent::IssueError::Exists(_)) => Err(ApiError::new(StatusCode::CONFLICT, e.to_string())),
        Err(e @ agent::IssueError::BadName(_)) => Err(ApiError::bad_request(e.to_string())),
        Err(agent::IssueError::Failed(e)) => Err(ApiError::internal(format!("{e:#}"))),
    }
}

/// Revokes an agent's token (admins): it can upload no more; its documents are kept.
#[utoipa::path(post, path = "/api/v1/agents/{id}/revoke", tag = "agents",
    params(("id" = String, Path, description = "The agent's name")),
    responses((status = 204), (status = 404, description = "No such agent, or revoked already")))]
pub(crate) async fn revoke(State(state): State<Shared>, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    revoke_agent(&state, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(crate) async fn revoke_agent(state: &Shared, name: &str) -> Result<(), ApiError> {
    let n = name.to_string();
    state.store(move |s| Ok(agent::revoke(s, &n, rampart_app::now()))).await?.map_err(|e| ApiError::not_found(e.to_string()))
}
