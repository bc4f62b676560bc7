//! Scan schedules over the API: one per scope (the organisation, an account, an account's
//! region), every `interval_seconds` (default 12 hours). Viewers read them with their last
//! run, next run and whether one is running; analysts ask for a run now; admins add, edit
//! (interval, pause) and delete them. The scheduler that runs them is `scheduler.rs`, its
//! decisions `rampart_app::schedule`'s.

use crate::error::ApiError;
use crate::guard::Caller;
use crate::routes::{r, Table, ADMIN, ANALYST, VIEWER};
use crate::state::Shared;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post, put};
use axum::{Extension, Json};
use rampart_app::schedule::{self, Schedule, ScheduleScope};
use rampart_model::{rfc3339, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

/// This area's part of the OpenAPI document (merged into [`super::ApiDoc`]'s).
#[derive(OpenApi)]
#[openapi(
    paths(list_schedules, create_schedule, update_schedule, delete_schedule, run_schedule),
    components(schemas(ApiSchedule, ApiScope, ApiScheduleRun, NewSchedule, ScheduleUpdate))
)]
pub(crate) struct Doc;

pub(crate) fn routes() -> Table {
    vec![
        (r("GET", "/api/v1/schedules", VIEWER), get(list_schedules)),
        (r("POST", "/api/v1/schedules", ADMIN), post(create_schedule)),
        (r("PUT", "/api/v1/schedules/{id}", ADMIN), put(update_schedule)),
        (r("DELETE", "/api/v1/schedules/{id}", ADMIN), delete(delete_schedule)),
        (r("POST", "/api/v1/schedules/{id}/run", ANALYST), post(run_schedule)),
    ]
}

/// What a schedule scans.
#[derive(Serialize, ToSchema)]
pub struct ApiScope {
    /// `org`, `account` or `region`.
    pub kind: String,
    /// The account (12 digits) of an `account` or `region` scope.
    pub account: Option<String>,
    /// The region of a `region` scope.
    pub region: Option<String>,
    /// In words: `organisation`, `account 111122223333`, `account 111122223333, region eu-west-1`.
    pub label: String,
}

impl From<&ScheduleScope> for ApiScope {
    fn from(s: &ScheduleScope) -> ApiScope {
        let (kind, account, region) = match s {
            ScheduleScope::Org => ("org", None, None),
            ScheduleScope::Account { account } => ("account", Some(account.clone()), None),
            ScheduleScope::Region { account, region } => ("region", Some(account.clone()), Some(region.clone())),
        };
        ApiScope { kind: kind.into(), account, region, label: s.to_string() }
    }
}

/// The run in progress.
#[derive(Serialize, ToSchema)]
pub struct ApiScheduleRun {
    /// The server running it.
    pub by: String,
    /// When it started (RFC 3339).
    pub since: String,
}

/// A schedule with its last and next run.
#[derive(Serialize, ToSchema)]
pub struct ApiSchedule {
    pub id: i64,
    pub scope: ApiScope,
    /// Seconds between two runs' starts (a run starts up to 15 minutes early: jitter).
    pub interval_seconds: i64,
    pub paused: bool,
    /// When the next run is due (RFC 3339); absent when paused. In the past: due now.
    pub next_run: Option<String>,
    /// Someone asked for a run now, not started yet.
    pub run_requested: bool,
    /// Start and end of the last run that finished (RFC 3339).
    pub last_started: Option<String>,
    pub last_finished: Option<String>,
    /// How long it took, in seconds.
    pub last_duration_seconds: Option<i64>,
    /// Why the last run failed; absent when it succeeded or none ran.
    pub last_error: Option<String>,
    /// The run it recorded (see `/api/v1/runs`).
    pub last_run_id: Option<String>,
    /// The run in progress, if any.
    pub running: Option<ApiScheduleRun>,
}

impl ApiSchedule {
    pub(crate) fn of(s: &Schedule, now: Timestamp) -> ApiSchedule {
        let duration = s.last_started_at.zip(s.last_finished_at).map(|(a, b)| (b - a).whole_seconds());
        ApiSchedule {
            id: s.id,
            scope: ApiScope::from(&s.scope),
            interval_seconds: s.interval_secs,
            paused: s.paused,
            next_run: schedule::next_run(s).map(rfc3339),
            run_requested: s.run_requested_at.is_some(),
            last_started: s.last_started_at.map(rfc3339),
            last_finished: s.last_finished_at.map(rfc3339),
            last_duration_seconds: duration,
            last_error: s.last_error.clone(),
            last_run_id: s.last_run_id.clone(),
            running: s.running_at(now).map(|c| ApiScheduleRun { by: c.by.clone(), since: rfc3339(c.at) }),
        }
    }
}

/// A schedule to add.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSchedule {
    /// `org`, `account` or `region`.
    pub kind: String,
    /// The account (12 digits) of an `account` or `region` scope.
    pub account: Option<String>,
    /// The region of a `region` scope (`eu-west-1`).
    pub region: Option<String>,
    /// 300 to 2592000 seconds; 43200 (12 hours) if not given.
    pub interval_seconds: Option<i64>,
    /// Added paused (runs only when asked); false if not given.
    #[serde(default)]
    pub paused: bool,
}

/// A schedule's new settings.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleUpdate {
    /// 300 to 2592000 seconds.
    pub interval_seconds: i64,
    pub paused: bool,
}

fn body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| ApiError::bad_request(format!("the request body is not a schedule: {e}")))
}

pub(crate) fn schedule_id(id: &str) -> Result<i64, ApiError> {
    id.trim()
        .parse::<i64>()
        .map_err(|_| ApiError::not_found(format!("no schedule `{id}`: schedule ids are numbers (see GET /api/v1/schedules)")))
}

fn missing(id: i64) -> ApiError {
    ApiError::not_found(format!("no schedule {id} (deleted?): see GET /api/v1/schedules"))
}

/// Every schedule, by scope.
#[utoipa::path(get, path = "/api/v1/schedules", responses((status = 200, body = [ApiSchedule])))]
pub async fn list_schedules(State(state): State<Shared>) -> Result<Json<Vec<ApiSchedule>>, ApiError> {
    let all = state.store(|s| s.schedules()).await?;
    let now = rampart_app::now();
    Ok(Json(all.iter().map(|s| ApiSchedule::of(s, now)).collect()))
}

/// Adds the one schedule of a scope (a second for the same scope is refused); it runs
/// at once, then every interval. Needs the admin role.
#[utoipa::path(post, path = "/api/v1/schedules", request_body = NewSchedule,
    responses((status = 201, body = ApiSchedule), (status = 400, body = super::ApiError_), (status = 403, body = super::ApiError_)))]
pub async fn create_schedule(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    bytes: Bytes,
) -> Result<(StatusCode, Json<ApiSchedule>), ApiError> {
    let n: NewSchedule = body(&bytes)?;
    let scope = schedule::parse_scope(&n.kind, n.account.as_deref(), n.region.as_deref()).map_err(ApiError::bad_request)?;
    let now = rampart_app::now();
    tracing::info!(user = %caller.user.name, scope = %scope, "schedule added");
    let s = state.store(move |s| schedule::create(s, &scope, n.interval_seconds, n.paused, now)).await?;
    Ok((StatusCode::CREATED, Json(ApiSchedule::of(&s, now))))
}

/// Changes a schedule's interval and pause. Needs the admin role.
#[utoipa::path(put, path = "/api/v1/schedules/{id}", params(("id" = i64, Path, description = "the schedule's id")), request_body = ScheduleUpdate,
    responses((status = 200, body = ApiSchedule), (status = 400, body = super::ApiError_), (status = 404, body = super::ApiError_)))]
pub async fn update_schedule(State(state): State<Shared>, Path(id): Path<String>, bytes: Bytes) -> Result<Json<ApiSchedule>, ApiError> {
    let id = schedule_id(&id)?;
    let u: ScheduleUpdate = body(&bytes)?;
    let now = rampart_app::now();
    let s = state.store(move |s| schedule::update(s, id, u.interval_seconds, u.paused, now)).await?.ok_or_else(|| missing(id))?;
    Ok(Json(ApiSchedule::of(&s, now)))
}

/// Deletes a schedule (a run in progress finishes, unrecorded). Needs the admin role.
#[utoipa::path(delete, path = "/api/v1/schedules/{id}", params(("id" = i64, Path, description = "the schedule's id")),
    responses((status = 204), (status = 404, body = super::ApiError_)))]
pub async fn delete_schedule(State(state): State<Shared>, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    let id = schedule_id(&id)?;
    if !state.store(move |s| s.delete_schedule(id)).await? {
        return Err(missing(id));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Asks for a run now (paused or not): it starts within the scheduler's next pass, or
/// when the run in progress ends. Needs the analyst role.
#[utoipa::path(post, path = "/api/v1/schedules/{id}/run", params(("id" = i64, Path, description = "the schedule's id")),
    responses((status = 202, body = ApiSchedule), (status = 404, body = super::ApiError_)))]
pub async fn run_schedule(State(state): State<Shared>, Path(id): Path<String>) -> Result<(StatusCode, Json<ApiSchedule>), ApiError> {
    let id = schedule_id(&id)?;
    let now = rampart_app::now();
    let s =
        state.store(move |s| if s.request_schedule_run(id, now)? { s.schedule(id) } else { Ok(None) }).await?.ok_or_else(|| missing(id))?;
    Ok((StatusCode::ACCEPTED, Json(ApiSchedule::of(&s, now))))
}
