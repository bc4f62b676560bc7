//! Scan schedules over the API: one per scope (the organisation, an account, an account's
//! region), every `interval_seconds` (default 12 hours); and trail scopes (a CloudTrail
//! trail's bucket, polled every 5 minutes by default: change-triggered checks), with what
//! their last poll did. Viewers read them with their last run, next run and whether one is
//! running; analysts ask for a run now; admins add, edit (interval, pause, an
//! organisation's member role) and delete them. The scheduler that runs them is
//! `scheduler.rs`, its decisions `rampart_app::schedule`'s.

use crate::error::ApiError;
use crate::guard::Caller;
use crate::routes::{r, Table, ADMIN, ANALYST, VIEWER};
use crate::state::Shared;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post, put};
use axum::{Extension, Json};
use rampart_app::schedule::{self, PollStatus, Schedule, ScheduleScope, ScheduleSettings};
use rampart_model::{rfc3339, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

/// This area's part of the OpenAPI document (merged into [`super::ApiDoc`]'s).
#[derive(OpenApi)]
#[openapi(
    paths(list_schedules, create_schedule, update_schedule, delete_schedule, run_schedule),
    components(schemas(ApiSchedule, ApiScope, ApiScheduleRun, ApiPoll, NewSchedule, ScheduleUpdate))
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
    /// `org`, `account`, `region` or `trail`.
    pub kind: String,
    /// The account (12 digits) of an `account` or `region` scope.
    pub account: Option<String>,
    /// The region of a `region` scope.
    pub region: Option<String>,
    /// The bucket a `trail` scope's trail delivers to.
    pub bucket: Option<String>,
    /// The trail's key prefix (before `AWSLogs/`), if it has one.
    pub prefix: Option<String>,
    /// In words: `organisation`, `account 111122223333`, `account 111122223333, region
    /// eu-west-1`, `trail s3://trail-logs/org`.
    pub label: String,
}

impl From<&ScheduleScope> for ApiScope {
    fn from(s: &ScheduleScope) -> ApiScope {
        let mut v = ApiScope { kind: String::new(), account: None, region: None, bucket: None, prefix: None, label: s.to_string() };
        match s {
            ScheduleScope::Org => v.kind = "org".into(),
            ScheduleScope::Account { account } => (v.kind, v.account) = ("account".into(), Some(account.clone())),
            ScheduleScope::Region { account, region } => {
                (v.kind, v.account, v.region) = ("region".into(), Some(account.clone()), Some(region.clone()))
            }
            ScheduleScope::Trail { bucket, prefix } => {
                (v.kind, v.bucket, v.prefix) = ("trail".into(), Some(bucket.clone()), prefix.clone())
            }
        }
        v
    }
}

/// What a trail schedule's last poll did (change-triggered checks).
#[derive(Serialize, ToSchema)]
pub struct ApiPoll {
    /// Log files read (or tried).
    pub files: u64,
    pub events: u64,
    /// Events that changed a resource Rampart reads again.
    pub changes: u64,
    /// Reads, failed calls and data events: nothing changed.
    pub ignored: u64,
    /// Writes not mapped to a resource (the next scan covers them).
    pub unmapped: u64,
    /// Records skipped because they could not be read as events.
    pub malformed: u64,
    /// Files that could not be read and changed resources that could not be read again
    /// (tried again at the next poll).
    pub errors: u64,
    /// The first of those errors, in words.
    pub error_messages: Vec<String>,
    /// Resources read again, and those found deleted.
    pub refreshed: u64,
    pub deleted: u64,
    /// Checks re-run.
    pub checks: u64,
    /// Findings changed: created, updated (of which resolved and reopened), archived.
    pub findings_created: u64,
    pub findings_updated: u64,
    pub findings_resolved: u64,
    pub findings_reopened: u64,
    pub findings_archived: u64,
    /// The poll in one line.
    pub summary: String,
}

impl From<&PollStatus> for ApiPoll {
    fn from(p: &PollStatus) -> ApiPoll {
        ApiPoll {
            files: p.files,
            events: p.events,
            changes: p.changes,
            ignored: p.ignored,
            unmapped: p.unmapped,
            malformed: p.malformed,
            errors: p.errors,
            error_messages: p.error_messages.clone(),
            refreshed: p.refreshed,
            deleted: p.deleted,
            checks: p.checks,
            findings_created: p.created,
            findings_updated: p.updated,
            findings_resolved: p.resolved,
            findings_reopened: p.reopened,
            findings_archived: p.archived,
            summary: p.summary.clone(),
        }
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
    /// The role an `org` scope assumes in each member account, and its external id.
    pub member_role: Option<String>,
    pub external_id: Option<String>,
    /// A `trail` scope's last poll (the last one that finished; `last_error` says when a
    /// later poll failed as a whole).
    pub last_poll: Option<ApiPoll>,
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
            member_role: s.settings.member_role.clone(),
            external_id: s.settings.external_id.clone(),
            last_poll: s.last_poll.as_ref().map(ApiPoll::from),
        }
    }
}

/// A schedule to add.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSchedule {
    /// `org`, `account`, `region` or `trail`.
    pub kind: String,
    /// The account (12 digits) of an `account` or `region` scope.
    pub account: Option<String>,
    /// The region of a `region` scope (`eu-west-1`).
    pub region: Option<String>,
    /// The bucket of a `trail` scope (the bucket its CloudTrail trail delivers to).
    pub bucket: Option<String>,
    /// A `trail` scope's key prefix (the part of the keys before `AWSLogs/`), if any.
    pub prefix: Option<String>,
    /// The role an `org` scope assumes in each member account (needed for `org`).
    pub member_role: Option<String>,
    /// The external id the member role's trust policy asks for, if any.
    pub external_id: Option<String>,
    /// 300 to 2592000 seconds; 43200 (12 hours) if not given. A trail: 60 to 2592000,
    /// 300 (5 minutes) if not given.
    pub interval_seconds: Option<i64>,
    /// Added paused (runs only when asked); false if not given.
    #[serde(default)]
    pub paused: bool,
}

/// A schedule's new settings.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleUpdate {
    /// 300 to 2592000 seconds (a trail: from 60).
    pub interval_seconds: i64,
    pub paused: bool,
    /// An `org` scope's member role, changed when given.
    pub member_role: Option<String>,
    /// Its external id, changed (with the role) when the role is given; absent: none.
    pub external_id: Option<String>,
}

fn body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| ApiError::bad_request(format!("the request body is not a schedule: {e}")))
}

/// The scope a new schedule's fields describe: a trail's bucket and prefix, or an
/// organisation, account or region (a bucket or prefix on those is refused).
pub(crate) fn new_scope(
    kind: &str,
    account: Option<&str>,
    region: Option<&str>,
    bucket: Option<&str>,
    prefix: Option<&str>,
) -> Result<ScheduleScope, String> {
    fn given(v: Option<&str>) -> Option<&str> {
        v.map(str::trim).filter(|v| !v.is_empty())
    }
    if kind.trim() == "trail" {
        if given(account).is_some() || given(region).is_some() {
            return Err("a trail scope takes its bucket (and prefix), not an account or region: the trail names them".to_string());
        }
        return schedule::parse_trail(given(bucket).unwrap_or(""), given(prefix));
    }
    if given(bucket).is_some() || given(prefix).is_some() {
        return Err(format!("a bucket and prefix are for the `trail` kind, not `{}`", kind.trim()));
    }
    schedule::parse_scope(kind, account, region)
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
/// at once, then every interval. An `org` scope needs `member_role`; a `trail` scope
/// needs `bucket`. Needs the admin role.
#[utoipa::path(post, path = "/api/v1/schedules", request_body = NewSchedule,
    responses((status = 201, body = ApiSchedule), (status = 400, body = super::ApiError_), (status = 403, body = super::ApiError_)))]
pub async fn create_schedule(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    bytes: Bytes,
) -> Result<(StatusCode, Json<ApiSchedule>), ApiError> {
    let n: NewSchedule = body(&bytes)?;
    let scope = new_scope(&n.kind, n.account.as_deref(), n.region.as_deref(), n.bucket.as_deref(), n.prefix.as_deref())
        .map_err(ApiError::bad_request)?;
    let settings = ScheduleSettings { member_role: n.member_role, external_id: n.external_id };
    let now = rampart_app::now();
    tracing::info!(user = %caller.user.name, scope = %scope, "schedule added");
    let s = state.store(move |s| schedule::create_with(s, &scope, n.interval_seconds, n.paused, &settings, now)).await?;
    Ok((StatusCode::CREATED, Json(ApiSchedule::of(&s, now))))
}

/// Changes a schedule's interval and pause. Needs the admin role.
#[utoipa::path(put, path = "/api/v1/schedules/{id}", params(("id" = i64, Path, description = "the schedule's id")), request_body = ScheduleUpdate,
    responses((status = 200, body = ApiSchedule), (status = 400, body = super::ApiError_), (status = 404, body = super::ApiError_)))]
pub async fn update_schedule(State(state): State<Shared>, Path(id): Path<String>, bytes: Bytes) -> Result<Json<ApiSchedule>, ApiError> {
    let id = schedule_id(&id)?;
    let u: ScheduleUpdate = body(&bytes)?;
    let now = rampart_app::now();
    let s = state
        .store(move |s| {
            if let Some(role) = u.member_role {
                let settings = ScheduleSettings { member_role: Some(role), external_id: u.external_id };
                if schedule::update_settings(s, id, &settings, now)?.is_none() {
                    return Ok(None);
                }
            }
            schedule::update(s, id, u.interval_seconds, u.paused, now)
        })
        .await?
        .ok_or_else(|| missing(id))?;
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
