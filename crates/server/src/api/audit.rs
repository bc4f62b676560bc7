//! The audit log over the API: `GET /api/v1/audit` (admins only), newest first, filtered by
//! user, route and time, paged by a cursor. The rows are written by the guard
//! (`guard.rs`) for every state-changing request and by the CLI for its state-changing
//! commands; they never hold a password, token, CSRF value or body.

use crate::error::ApiError;
use crate::routes::{r, Table, ADMIN};
use crate::state::Shared;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::Json;
use rampart_hub::{AuditEntry, AuditFilter};
use rampart_model::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

/// This area's part of the OpenAPI document (merged into [`super::ApiDoc`]'s).
#[derive(OpenApi)]
#[openapi(paths(audit), components(schemas(AuditPage, ApiAuditEntry)))]
pub(crate) struct Doc;

pub(crate) fn routes() -> Table {
    vec![(r("GET", "/api/v1/audit", ADMIN), get(audit))]
}

/// Which entries: every filter given must hold.
#[derive(Deserialize, IntoParams, Default, Debug, Clone)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Exactly this user (`cli:NAME` for the CLI; a failed sign-in is under the name tried).
    pub user: Option<String>,
    /// Routes starting with this text, e.g. `/api/v1/automation` or `/login`.
    pub route: Option<String>,
    /// At or after this time (RFC 3339).
    pub since: Option<String>,
    /// Before this time (RFC 3339).
    pub until: Option<String>,
    /// The last N days (instead of `since`).
    #[serde(default, deserialize_with = "empty_as_none")]
    pub days: Option<u32>,
    /// 1 to 500 entries per page; 100 if not given.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub limit: Option<usize>,
    /// `next_cursor` of the page before.
    pub cursor: Option<String>,
}

/// A number parameter that an HTML form sends empty when left blank: empty means absent.
fn empty_as_none<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    let v: Option<String> = Option::deserialize(d)?;
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => t.parse().map(Some).map_err(|e| serde::de::Error::custom(format!("`{t}`: {e}"))),
    }
}

/// One audited action.
#[derive(Serialize, ToSchema)]
pub struct ApiAuditEntry {
    pub id: i64,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Who: the user, the name tried in a failed sign-in, `cli:NAME` for the CLI, empty when anonymous.
    pub user: String,
    /// Their role, empty when unknown.
    pub role: String,
    /// The HTTP method, or `CLI`.
    pub method: String,
    /// The route's pattern (`/api/v1/findings/{id}/workflow`) or the CLI command.
    pub route: String,
    /// The ids acted on, where known.
    pub targets: Vec<String>,
    /// The outcome: the HTTP status (a CLI command: 200 done, 400 refused).
    pub status: u16,
    /// From where: the client's address (the TCP peer), or `cli`.
    pub client: String,
    pub user_agent: String,
    /// How many requests this entry stands for: anonymous refusals (401 without credentials)
    /// from one address within a minute are one entry, counted here.
    pub repeats: u32,
}

impl From<AuditEntry> for ApiAuditEntry {
    fn from(e: AuditEntry) -> ApiAuditEntry {
        ApiAuditEntry {
            id: e.id,
            at: rfc3339(e.at),
            user: e.user,
            role: e.role,
            method: e.method,
            route: e.route,
            targets: e.targets,
            status: e.status,
            client: e.client,
            user_agent: e.user_agent,
            repeats: e.repeats,
        }
    }
}

/// A page of the audit log, newest first.
#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    pub entries: Vec<ApiAuditEntry>,
    /// Pass as `cursor` for the older entries; absent on the last page.
    pub next_cursor: Option<String>,
}

fn time_param(name: &str, v: &str) -> Result<rampart_model::Timestamp, ApiError> {
    time::OffsetDateTime::parse(v.trim(), &time::format_description::well_known::Rfc3339)
        .map_err(|_| ApiError::bad_request(format!("`{name}` is not an RFC 3339 time (e.g. 2026-12-07T00:00:00Z): `{v}`")))
}

/// The store's filter for these parameters (shared with the console's page).
pub(crate) fn filter(p: &AuditParams) -> Result<AuditFilter, ApiError> {
    let limit = p.limit.unwrap_or(100);
    if !(1..=rampart_hub::MAX_AUDIT_PAGE).contains(&limit) {
        return Err(ApiError::bad_request(format!("`limit` is 1 to {}: got {limit}", rampart_hub::MAX_AUDIT_PAGE)));
    }
    let nonempty = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
    let mut since = nonempty(&p.since).map(|v| time_param("since", &v)).transpose()?;
    if let Some(days) = p.days {
        if p.since.as_deref().is_some_and(|s| !s.trim().is_empty()) {
            return Err(ApiError::bad_request("give `since` or `days`, not both"));
        }
        since = Some(time::OffsetDateTime::now_utc() - time::Duration::days(i64::from(days.min(100_000))));
    }
    let until = nonempty(&p.until).map(|v| time_param("until", &v)).transpose()?;
    let before_id = nonempty(&p.cursor)
        .map(|c| {
            c.parse::<i64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| ApiError::bad_request("`cursor` is not one this server gave: start again without it"))
        })
        .transpose()?;
    Ok(AuditFilter { user: nonempty(&p.user), route: nonempty(&p.route), since, until, before_id, limit })
}

/// A page of entries and the cursor of the next one.
pub(crate) async fn page(state: &Shared, p: &AuditParams) -> Result<(Vec<AuditEntry>, Option<String>), ApiError> {
    let filter = filter(p)?;
    let limit = filter.limit;
    // One more than asked tells whether there is a next page.
    let probe = AuditFilter { limit: limit + 1, ..filter };
    let mut rows = state.store(move |s| s.audit_entries(&probe)).await?;
    let next = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|e| e.id.to_string())
    } else {
        None
    };
    Ok((rows, next))
}

/// The audit log: who changed what, when and from where (admins only).
#[utoipa::path(get, path = "/api/v1/audit", params(AuditParams),
    responses((status = 200, body = AuditPage), (status = 400, body = super::ApiError_), (status = 403, body = super::ApiError_)))]
pub async fn audit(State(state): State<Shared>, Query(p): Query<AuditParams>) -> Result<Json<AuditPage>, ApiError> {
    let (rows, next_cursor) = page(&state, &p).await?;
    Ok(Json(AuditPage { entries: rows.into_iter().map(ApiAuditEntry::from).collect(), next_cursor }))
}
