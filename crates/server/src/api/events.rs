//! Events over the API: targets (webhook, Slack-compatible webhook, SNS, email), rules that
//! route events to a target by an EventBridge pattern, Security Hub's custom actions and
//! triggering them (on up to 20 findings, or up to 100 results of an insight), and the
//! dead letters with their retry. Admins manage targets, rules, actions and dead letters;
//! analysts trigger custom actions; anyone signed in reads.

use super::automation::{app_error, store_error};
use crate::error::ApiError;
use crate::guard::Caller;
use crate::routes::{r, Table, ADMIN, ANALYST, VIEWER};
use crate::state::Shared;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Extension, Json};
use rampart_hub::{CustomAction, Delivery, EventRule, EventTarget};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{OpenApi, ToSchema};

/// This area's part of the OpenAPI document (merged into [`super::ApiDoc`]'s).
#[derive(OpenApi)]
#[openapi(
    paths(
        list_targets,
        create_target,
        delete_target,
        list_rules,
        create_rule,
        delete_rule,
        list_actions,
        create_action,
        delete_action,
        trigger_action,
        trigger_action_on_insight,
        list_dead_letters,
        retry_dead_letters
    ),
    components(schemas(
        ApiEventTarget,
        CreateTarget,
        ApiEventRule,
        CreateEventRule,
        ApiCustomAction,
        CreateCustomAction,
        TriggerRequest,
        InsightTriggerRequest,
        TriggerAnswer,
        ApiDeadLetter,
        RetryRequest,
        RetryAnswer
    ))
)]
pub(crate) struct Doc;

pub(crate) fn routes() -> Table {
    vec![
        (r("GET", "/api/v1/events/targets", VIEWER), get(list_targets)),
        (r("POST", "/api/v1/events/targets", ADMIN), post(create_target)),
        (r("DELETE", "/api/v1/events/targets/{id}", ADMIN), delete(delete_target)),
        (r("GET", "/api/v1/events/rules", VIEWER), get(list_rules)),
        (r("POST", "/api/v1/events/rules", ADMIN), post(create_rule)),
        (r("DELETE", "/api/v1/events/rules/{id}", ADMIN), delete(delete_rule)),
        (r("GET", "/api/v1/events/actions", VIEWER), get(list_actions)),
        (r("POST", "/api/v1/events/actions", ADMIN), post(create_action)),
        (r("DELETE", "/api/v1/events/actions/{id}", ADMIN), delete(delete_action)),
        (r("POST", "/api/v1/events/actions/{id}/trigger", ANALYST), post(trigger_action)),
        (r("POST", "/api/v1/events/actions/{id}/trigger-insight", ANALYST), post(trigger_action_on_insight)),
        (r("GET", "/api/v1/events/dead-letters", VIEWER), get(list_dead_letters)),
        (r("POST", "/api/v1/events/dead-letters/retry", ADMIN), post(retry_dead_letters)),
    ]
}

/// Whether a target setting is a credential (never answered). An email target's
/// `password_env` only names the variable holding the password and is shown.
fn is_secret(key: &str) -> bool {
    matches!(key.to_ascii_lowercase().as_str(), "secret" | "password" | "token" | "access_key_id" | "secret_access_key" | "session_token")
}

/// A target; its credentials (a webhook's signing secret, passwords) are never shown.
#[derive(Serialize, ToSchema)]
pub struct ApiEventTarget {
    pub name: String,
    /// webhook, slack, sns or email.
    pub kind: String,
    pub enabled: bool,
    /// The kind's settings without credentials (a URL only as scheme, host and port).
    #[schema(value_type = Object)]
    pub config: Value,
    /// Whether a webhook's bodies are signed (HMAC-SHA256 in `X-Rampart-Signature`).
    pub signed: bool,
}

impl From<&EventTarget> for ApiEventTarget {
    fn from(t: &EventTarget) -> ApiEventTarget {
        let mut config = t.config.clone();
        if let Value::Object(m) = &mut config {
            m.retain(|k, _| !is_secret(k));
            // A webhook's path or query is often its credential (Slack's incoming webhooks).
            if let Some(Value::String(u)) = m.get_mut("url") {
                *u = rampart_app::notify::redact_url(u);
            }
        }
        ApiEventTarget {
            name: t.name.clone(),
            kind: t.kind.clone(),
            enabled: t.enabled,
            config,
            signed: t.config.get("secret").and_then(Value::as_str).is_some_and(|s| !s.is_empty()),
        }
    }
}

/// A new target: the members of its kind.
#[derive(Deserialize, ToSchema, Default)]
pub struct CreateTarget {
    /// 1 to 128 characters, unique.
    pub name: String,
    /// webhook (the event's JSON, signed when a secret is given), slack (a Slack-compatible
    /// incoming webhook), sns (an Amazon SNS topic: the only write Rampart makes) or email
    /// (through SMTP).
    pub kind: String,
    /// webhook, slack: http:// or https://.
    #[serde(default)]
    pub url: Option<String>,
    /// webhook: signs each body with HMAC-SHA256 (never answered).
    #[serde(default)]
    pub secret: Option<String>,
    /// sns: the topic's ARN.
    #[serde(default)]
    pub topic_arn: Option<String>,
    /// sns: the topic's Region.
    #[serde(default)]
    pub region: Option<String>,
    /// sns: a named profile of the AWS config files (default: the standard credential chain).
    #[serde(default)]
    pub profile: Option<String>,
    /// sns: an SNS-compatible endpoint (an emulator).
    #[serde(default)]
    pub endpoint_url: Option<String>,
    /// email: the SMTP server.
    #[serde(default)]
    pub host: Option<String>,
    /// email: the SMTP port (default 587).
    #[serde(default)]
    pub port: Option<u16>,
    /// email: starttls (default), tls or none.
    #[serde(default)]
    pub tls: Option<String>,
    /// email: the sender address.
    #[serde(default)]
    pub from: Option<String>,
    /// email: 1 to 50 recipients.
    #[serde(default)]
    pub to: Vec<String>,
    /// email: sign in with this user name...
    #[serde(default)]
    pub username: Option<String>,
    /// email: ...and the password in this environment variable of the server (never stored).
    #[serde(default)]
    pub password_env: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiEventRule {
    pub name: String,
    /// The target's name.
    pub target: String,
    /// An EventBridge event pattern.
    #[schema(value_type = Object)]
    pub pattern: Value,
    pub enabled: bool,
}

impl From<&EventRule> for ApiEventRule {
    fn from(r: &EventRule) -> ApiEventRule {
        ApiEventRule { name: r.name.clone(), target: r.target.clone(), pattern: r.pattern.clone(), enabled: r.enabled }
    }
}

/// A new rule: the events its pattern matches go to the target.
#[derive(Deserialize, ToSchema)]
pub struct CreateEventRule {
    pub name: String,
    pub target: String,
    /// An EventBridge pattern (exact values, `prefix`, `anything-but`, `numeric`, `exists`),
    /// e.g. `{"detail-type": ["Security Hub Findings - Custom Action"]}`.
    #[schema(value_type = Object)]
    pub pattern: Value,
}

/// A custom action.
#[derive(Serialize, ToSchema)]
pub struct ApiCustomAction {
    /// `custom-action/<n>`: unique, never reused; the events it makes carry it in `resources`.
    pub id: String,
    pub name: String,
    pub description: String,
}

impl From<&CustomAction> for ApiCustomAction {
    fn from(a: &CustomAction) -> ApiCustomAction {
        ApiCustomAction { id: a.id.clone(), name: a.name.clone(), description: a.description.clone() }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct CreateCustomAction {
    /// 1 to 20 characters (Security Hub's limit), unique.
    pub name: String,
    /// At most 510 characters.
    #[serde(default)]
    pub description: String,
}

/// The findings to send a custom action.
#[derive(Deserialize, ToSchema)]
pub struct TriggerRequest {
    /// 1 to 20 finding ids (Security Hub's limit).
    pub findings: Vec<String>,
}

/// The results of an insight to send a custom action.
#[derive(Deserialize, ToSchema)]
pub struct InsightTriggerRequest {
    /// The insight's id (`managed/<n>` or `custom/<n>`).
    pub insight: String,
    /// 1 to 100 of its current group values (e.g. resource identifiers).
    pub values: Vec<String>,
}

/// The event a custom action made (queued in the outbox for the targets whose rules match).
#[derive(Serialize, ToSchema)]
pub struct TriggerAnswer {
    /// The event's id, also its deliveries' idempotency key.
    pub event_id: String,
    /// `Security Hub Findings - Custom Action` or `Security Hub Insight Results`.
    pub detail_type: String,
    /// The action's id.
    pub action: String,
    /// How many findings (or insight results) it carries.
    pub count: usize,
}

/// A delivery that will not be tried again.
#[derive(Serialize, ToSchema)]
pub struct ApiDeadLetter {
    pub event_id: String,
    pub target: String,
    pub detail_type: String,
    pub attempts: u32,
    pub last_error: Option<String>,
    /// The event's time (RFC 3339).
    pub time: String,
}

impl From<&Delivery> for ApiDeadLetter {
    fn from(d: &Delivery) -> ApiDeadLetter {
        ApiDeadLetter {
            event_id: d.event_id.clone(),
            target: d.target.name.clone(),
            detail_type: d.body["detail-type"].as_str().unwrap_or_default().to_string(),
            attempts: d.attempts,
            last_error: d.last_error.clone(),
            time: d.body["time"].as_str().unwrap_or_default().to_string(),
        }
    }
}

/// Which dead letters to send again.
#[derive(Deserialize, ToSchema)]
pub struct RetryRequest {
    pub event_id: String,
    /// Only the delivery to this target (default: every dead delivery of the event).
    #[serde(default)]
    pub target: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RetryAnswer {
    /// How many deliveries are pending again (sent by the next delivery pass).
    pub retried: usize,
}

/// The event targets.
#[utoipa::path(get, path = "/api/v1/events/targets", responses((status = 200, body = [ApiEventTarget])))]
pub async fn list_targets(State(state): State<Shared>) -> Result<Json<Vec<ApiEventTarget>>, ApiError> {
    let t = state.store(|s| s.event_targets()).await?;
    Ok(Json(t.iter().map(ApiEventTarget::from).collect()))
}

/// Adds a target. Needs the admin role.
pub(crate) async fn add_target(state: &Shared, caller: &Caller, req: CreateTarget) -> Result<EventTarget, ApiError> {
    tracing::info!(user = %caller.user.name, target = %req.name, kind = %req.kind, "event target created");
    state
        .store(move |s| {
            Ok(match req.kind.as_str() {
                "webhook" | "slack" => {
                    let url = req.url.as_deref().unwrap_or("").trim();
                    let secret = req.secret.as_deref().filter(|s| !s.is_empty());
                    rampart_app::events::create_webhook(s, req.name.trim(), &req.kind, url, secret).map_err(app_error)
                }
                "sns" => {
                    let opt = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
                    let (topic, region) = (opt(&req.topic_arn).unwrap_or_default(), opt(&req.region).unwrap_or_default());
                    let (profile, endpoint) = (opt(&req.profile), opt(&req.endpoint_url));
                    rampart_app::notify::create_sns_target(s, req.name.trim(), &topic, &region, profile.as_deref(), endpoint.as_deref())
                        .map_err(app_error)
                }
                "email" => {
                    let opt = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
                    let settings = rampart_app::notify::EmailSettings {
                        host: opt(&req.host).unwrap_or_default(),
                        port: req.port.unwrap_or(587),
                        tls: opt(&req.tls).unwrap_or_else(|| "starttls".into()),
                        from: opt(&req.from).unwrap_or_default(),
                        to: req.to.iter().map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect(),
                        username: opt(&req.username),
                        password_env: opt(&req.password_env),
                    };
                    rampart_app::notify::create_email_target(s, req.name.trim(), &settings).map_err(app_error)
                }
                other => Err(ApiError::bad_request(format!("unknown target kind `{}`: use webhook or slack", rampart_app::shown(other)))),
            })
        })
        .await?
}

/// Adds a target: a webhook (HTTP POST of the event's JSON with an `Idempotency-Key`, and
/// an HMAC-SHA256 signature when a secret is given), a Slack-compatible incoming webhook,
/// an Amazon SNS topic or email through SMTP. Needs the admin role.
#[utoipa::path(post, path = "/api/v1/events/targets", request_body = CreateTarget,
    responses((status = 201, body = ApiEventTarget), (status = 400, body = super::ApiError_), (status = 403, body = super::ApiError_)))]
pub async fn create_target(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Json(req): Json<CreateTarget>,
) -> Result<(StatusCode, Json<ApiEventTarget>), ApiError> {
    let t = add_target(&state, &caller, req).await?;
    Ok((StatusCode::CREATED, Json(ApiEventTarget::from(&t))))
}

/// Deletes a target with its rules and pending deliveries and dead letters. Needs the
/// admin role.
#[utoipa::path(delete, path = "/api/v1/events/targets/{id}", params(("id" = String, Path, description = "The target's name")),
    responses((status = 204, description = "Deleted"), (status = 404, body = super::ApiError_)))]
pub async fn delete_target(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(name): Path<String>,
) -> Result<StatusCode, ApiError> {
    tracing::info!(user = %caller.user.name, target = %name, "event target deleted");
    state
        .store(move |s| {
            if !s.event_targets()?.iter().any(|t| t.name == name) {
                return Ok(Err(ApiError::not_found(format!("no event target `{}`", rampart_app::shown(&name)))));
            }
            s.delete_event_target(&name)?;
            Ok(Ok(()))
        })
        .await??;
    Ok(StatusCode::NO_CONTENT)
}

/// The event rules.
#[utoipa::path(get, path = "/api/v1/events/rules", responses((status = 200, body = [ApiEventRule])))]
pub async fn list_rules(State(state): State<Shared>) -> Result<Json<Vec<ApiEventRule>>, ApiError> {
    let rules = state.store(|s| s.event_rules()).await?;
    Ok(Json(rules.iter().map(ApiEventRule::from).collect()))
}

pub(crate) async fn add_rule(state: &Shared, caller: &Caller, req: CreateEventRule) -> Result<EventRule, ApiError> {
    tracing::info!(user = %caller.user.name, rule = %req.name, target = %req.target, "event rule created");
    state.store(move |s| Ok(rampart_app::events::create_rule(s, req.name.trim(), &req.pattern, &req.target).map_err(app_error))).await?
}

/// Adds a rule sending the events its pattern matches to a target (the pattern is
/// checked). Needs the admin role.
#[utoipa::path(post, path = "/api/v1/events/rules", request_body = CreateEventRule,
    responses((status = 201, body = ApiEventRule), (status = 400, body = super::ApiError_), (status = 403, body = super::ApiError_)))]
pub async fn create_rule(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Json(req): Json<CreateEventRule>,
) -> Result<(StatusCode, Json<ApiEventRule>), ApiError> {
    let rule = add_rule(&state, &caller, req).await?;
    Ok((StatusCode::CREATED, Json(ApiEventRule::from(&rule))))
}

/// Deletes an event rule (events already queued still go out). Needs the admin role.
#[utoipa::path(delete, path = "/api/v1/events/rules/{id}", params(("id" = String, Path, description = "The rule's name")),
    responses((status = 204, description = "Deleted"), (status = 404, body = super::ApiError_)))]
pub async fn delete_rule(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(name): Path<String>,
) -> Result<StatusCode, ApiError> {
    tracing::info!(user = %caller.user.name, rule = %name, "event rule deleted");
    state
        .store(move |s| {
            if !s.event_rules()?.iter().any(|r| r.name == name) {
                return Ok(Err(ApiError::not_found(format!("no event rule `{}`", rampart_app::shown(&name)))));
            }
            s.delete_event_rule(&name)?;
            Ok(Ok(()))
        })
        .await??;
    Ok(StatusCode::NO_CONTENT)
}

/// The custom actions.
#[utoipa::path(get, path = "/api/v1/events/actions", responses((status = 200, body = [ApiCustomAction])))]
pub async fn list_actions(State(state): State<Shared>) -> Result<Json<Vec<ApiCustomAction>>, ApiError> {
    let a = state.store(|s| s.custom_actions()).await?;
    Ok(Json(a.iter().map(ApiCustomAction::from).collect()))
}

pub(crate) async fn add_action(state: &Shared, caller: &Caller, req: CreateCustomAction) -> Result<CustomAction, ApiError> {
    tracing::info!(user = %caller.user.name, action = %req.name, "custom action created");
    state
        .store(move |s| Ok(s.create_custom_action(req.name.trim(), req.description.trim(), rampart_app::now())))
        .await?
        .map_err(store_error)
}

/// Adds a custom action (Security Hub's limits: a name of 1 to 20 characters, at most 50
/// actions). Needs the admin role.
#[utoipa::path(post, path = "/api/v1/events/actions", request_body = CreateCustomAction,
    responses((status = 201, body = ApiCustomAction), (status = 400, body = super::ApiError_), (status = 403, body = super::ApiError_)))]
pub async fn create_action(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Json(req): Json<CreateCustomAction>,
) -> Result<(StatusCode, Json<ApiCustomAction>), ApiError> {
    let a = add_action(&state, &caller, req).await?;
    Ok((StatusCode::CREATED, Json(ApiCustomAction::from(&a))))
}

/// Deletes a custom action by id (`custom-action/<n>`, URL-encoded) or name. Needs the
/// admin role.
#[utoipa::path(delete, path = "/api/v1/events/actions/{id}", params(("id" = String, Path, description = "custom-action/<n> (URL-encoded) or the name")),
    responses((status = 204, description = "Deleted"), (status = 404, body = super::ApiError_)))]
pub async fn delete_action(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    tracing::info!(user = %caller.user.name, action = %id, "custom action deleted");
    state
        .store(move |s| {
            if s.custom_action(&id).is_err() {
                return Ok(Err(ApiError::not_found(format!("no custom action `{}`", rampart_app::shown(&id)))));
            }
            s.delete_custom_action(&id)?;
            Ok(Ok(()))
        })
        .await??;
    Ok(StatusCode::NO_CONTENT)
}

/// Whether an application error is about an unknown custom action (404 rather than 400).
fn unknown_action(e: anyhow::Error) -> ApiError {
    let text = format!("{e:#}");
    if text.contains("no custom action `") {
        ApiError::not_found(text)
    } else {
        app_error(e)
    }
}

/// Triggers a custom action on findings. Shared with the console's action bar.
pub(crate) async fn trigger(state: &Shared, caller: &Caller, action: String, findings: Vec<String>) -> Result<TriggerAnswer, ApiError> {
    let who = caller.user.name.clone();
    tracing::info!(user = %who, action = %action, findings = findings.len(), "custom action triggered");
    let n = findings.len();
    let event =
        state.store(move |s| Ok(rampart_app::events::trigger_custom_action(s, &action, &findings, &who).map_err(unknown_action))).await??;
    Ok(TriggerAnswer {
        event_id: event.id,
        detail_type: event.detail_type,
        action: event.resources.first().cloned().unwrap_or_default(),
        count: n,
    })
}

/// Triggers a custom action on up to 100 results of an insight. Shared with the console.
pub(crate) async fn trigger_insight(
    state: &Shared,
    caller: &Caller,
    action: String,
    insight: String,
    values: Vec<String>,
) -> Result<TriggerAnswer, ApiError> {
    let who = caller.user.name.clone();
    tracing::info!(user = %who, action = %action, insight = %insight, results = values.len(), "custom action triggered on an insight");
    let n = values.len();
    let event = state
        .store(move |s| {
            Ok(rampart_app::events::trigger_custom_action_on_insight(s, &action, &insight, &values, &who).map_err(unknown_action))
        })
        .await??;
    Ok(TriggerAnswer {
        event_id: event.id,
        detail_type: event.detail_type,
        action: event.resources.first().cloned().unwrap_or_default(),
        count: n,
    })
}

/// Triggers a custom action on 1 to 20 findings (Security Hub's limit; 21 or more is
/// refused): one `Security Hub Findings - Custom Action` event carrying the action id (in
/// `resources`) and the findings (in `detail.findings`), queued for the targets whose
/// rules match it. Needs the analyst role.
#[utoipa::path(post, path = "/api/v1/events/actions/{id}/trigger", params(("id" = String, Path, description = "custom-action/<n> (URL-encoded) or the name")),
    request_body = TriggerRequest,
    responses((status = 200, body = TriggerAnswer), (status = 400, body = super::ApiError_), (status = 404, body = super::ApiError_)))]
pub async fn trigger_action(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    Json(req): Json<TriggerRequest>,
) -> Result<Json<TriggerAnswer>, ApiError> {
    Ok(Json(trigger(&state, &caller, id, req.findings).await?))
}

/// Triggers a custom action on 1 to 100 results of an insight (Security Hub's limit; more
/// is refused): one `Security Hub Insight Results` event carrying the action id, the
/// insight, its group-by attribute (`resultType`) and each chosen value with its count
/// (`insightResults`). Needs the analyst role.
#[utoipa::path(post, path = "/api/v1/events/actions/{id}/trigger-insight", params(("id" = String, Path, description = "custom-action/<n> (URL-encoded) or the name")),
    request_body = InsightTriggerRequest,
    responses((status = 200, body = TriggerAnswer), (status = 400, body = super::ApiError_), (status = 404, body = super::ApiError_)))]
pub async fn trigger_action_on_insight(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    Json(req): Json<InsightTriggerRequest>,
) -> Result<Json<TriggerAnswer>, ApiError> {
    Ok(Json(trigger_insight(&state, &caller, id, req.insight, req.values).await?))
}

/// The deliveries that failed every attempt (newest schedule last).
#[utoipa::path(get, path = "/api/v1/events/dead-letters", responses((status = 200, body = [ApiDeadLetter])))]
pub async fn list_dead_letters(State(state): State<Shared>) -> Result<Json<Vec<ApiDeadLetter>>, ApiError> {
    let dead = state.store(|s| s.dead_letters()).await?;
    Ok(Json(dead.iter().map(ApiDeadLetter::from).collect()))
}

pub(crate) async fn retry(state: &Shared, caller: &Caller, req: RetryRequest) -> Result<usize, ApiError> {
    tracing::info!(user = %caller.user.name, event = %req.event_id, "dead letters retried");
    state.store(move |s| Ok(s.retry_dead_letters(&req.event_id, req.target.as_deref(), rampart_app::now()))).await?.map_err(store_error)
}

/// Sends dead letters again: pending with a fresh count of attempts, due now (the next
/// delivery pass sends them). Needs the admin role.
#[utoipa::path(post, path = "/api/v1/events/dead-letters/retry", request_body = RetryRequest,
    responses((status = 200, body = RetryAnswer), (status = 400, body = super::ApiError_), (status = 403, body = super::ApiError_)))]
pub async fn retry_dead_letters(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Json(req): Json<RetryRequest>,
) -> Result<Json<RetryAnswer>, ApiError> {
    Ok(Json(RetryAnswer { retried: retry(&state, &caller, req).await? }))
}
