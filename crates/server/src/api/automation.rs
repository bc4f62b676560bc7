//! Automation rules over the API, in Security Hub's shapes: a rule is created and replaced
//! with `CreateAutomationRule`'s request (`RuleName`, `RuleOrder` 1–1000, `RuleStatus`,
//! `IsTerminal`, `Criteria` in the findings filter language, one `FINDING_FIELDS_UPDATE`
//! action) and read back with its `RuleArn` (`rule/<n>`). Admins manage rules; anyone
//! signed in reads them and their dry runs.

use crate::error::ApiError;
use crate::guard::Caller;
use crate::routes::{r, Table, ADMIN, ANALYST, VIEWER};
use crate::state::Shared;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post, put};
use axum::{Extension, Json};
use rampart_hub::{AutomationRule, RuleSpec, StoreError};
use rampart_model::rfc3339;
use serde::Serialize;
use serde_json::Value;
use utoipa::{OpenApi, ToSchema};

/// This area's part of the OpenAPI document (merged into [`super::ApiDoc`]'s).
#[derive(OpenApi)]
#[openapi(
    paths(list_rules, get_rule, create_rule, update_rule, delete_rule, dry_run, dry_run_rule),
    components(schemas(ApiAutomationRule, DryRunAnswer))
)]
pub(crate) struct Doc;

pub(crate) fn routes() -> Table {
    vec![
        (r("GET", "/api/v1/automation/rules", VIEWER), get(list_rules)),
        (r("POST", "/api/v1/automation/rules", ADMIN), post(create_rule)),
        (r("POST", "/api/v1/automation/rules/dry-run", ANALYST), post(dry_run)),
        (r("GET", "/api/v1/automation/rules/{id}", VIEWER), get(get_rule)),
        (r("PUT", "/api/v1/automation/rules/{id}", ADMIN), put(update_rule)),
        (r("DELETE", "/api/v1/automation/rules/{id}", ADMIN), delete(delete_rule)),
        (r("GET", "/api/v1/automation/rules/{id}/dry-run", VIEWER), get(dry_run_rule)),
    ]
}

/// An error of the store or of the application layer as an answer: an unknown rule,
/// insight, target or action is 404, a refused value 400 with its one-line reason.
pub(crate) fn app_error(e: anyhow::Error) -> ApiError {
    match e.downcast::<StoreError>() {
        Ok(e) => store_error(e),
        Err(e) => match e.downcast_ref::<std::io::Error>() {
            Some(_) => ApiError::internal(format!("{e:#}")),
            None => ApiError::bad_request(format!("{e:#}")),
        },
    }
}

/// [`ApiError::from`], with unknown rules and insights as 404 and a refusal in its own words.
pub(crate) fn store_error(e: StoreError) -> ApiError {
    match e {
        StoreError::UnknownRule(_) | StoreError::UnknownInsight(_) => ApiError::not_found(e.to_string()),
        // Refusals of rules, targets and actions say what is wrong without "finding update".
        StoreError::InvalidUpdate(m) => ApiError::bad_request(m),
        e => ApiError::from(e),
    }
}

/// An automation rule in Security Hub's `AutomationRulesConfig` shape.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct ApiAutomationRule {
    /// `rule/<n>`: unique, never reused (encode the `/` as `%2F` in a path).
    pub rule_arn: String,
    pub rule_name: String,
    pub description: String,
    /// 1 to 1000: lower applies first.
    pub rule_order: u32,
    /// ENABLED or DISABLED.
    pub rule_status: String,
    /// A terminal rule stops later rules from acting on the findings it matched.
    pub is_terminal: bool,
    /// `AutomationRulesFindingFilters` (the findings filter language).
    #[schema(value_type = Object)]
    pub criteria: Value,
    /// One `{"Type": "FINDING_FIELDS_UPDATE", "FindingFieldsUpdate": {...}}`.
    #[schema(value_type = Vec<Object>)]
    pub actions: Vec<Value>,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
}

impl From<&AutomationRule> for ApiAutomationRule {
    fn from(r: &AutomationRule) -> ApiAutomationRule {
        ApiAutomationRule {
            rule_arn: r.id.clone(),
            rule_name: r.name.clone(),
            description: r.description.clone(),
            rule_order: r.order,
            rule_status: if r.enabled { "ENABLED" } else { "DISABLED" }.to_string(),
            is_terminal: r.terminal,
            criteria: r.criteria.clone(),
            actions: vec![serde_json::json!({ "Type": "FINDING_FIELDS_UPDATE", "FindingFieldsUpdate": r.action })],
            created_by: r.created_by.clone(),
            created_at: rfc3339(r.created_at),
            updated_at: rfc3339(r.updated_at),
        }
    }
}

/// Which current findings a rule would change.
#[derive(Serialize, ToSchema)]
pub struct DryRunAnswer {
    /// How many current findings the criteria select.
    pub count: usize,
    /// Their ids (at most 100).
    pub findings: Vec<String>,
}

/// How many finding ids a dry run lists.
pub(crate) const DRY_RUN_LIST: usize = 100;

pub(crate) fn spec(body: &Value) -> Result<RuleSpec, ApiError> {
    RuleSpec::from_json(body).map_err(store_error)
}

/// The automation rules, in the order they apply.
#[utoipa::path(get, path = "/api/v1/automation/rules", responses((status = 200, body = [ApiAutomationRule])))]
pub async fn list_rules(State(state): State<Shared>) -> Result<Json<Vec<ApiAutomationRule>>, ApiError> {
    let rules = state.store(|s| s.automation_rules()).await?;
    Ok(Json(rules.iter().map(ApiAutomationRule::from).collect()))
}

/// One rule by its `RuleArn` (`rule/<n>`, URL-encoded) or name.
#[utoipa::path(get, path = "/api/v1/automation/rules/{id}", params(("id" = String, Path, description = "rule/<n> (URL-encoded) or the rule's name")),
    responses((status = 200, body = ApiAutomationRule), (status = 404, body = super::ApiError_)))]
pub async fn get_rule(State(state): State<Shared>, Path(id): Path<String>) -> Result<Json<ApiAutomationRule>, ApiError> {
    let rule = state.store(move |s| Ok(s.automation_rule(&id))).await?.map_err(store_error)?;
    Ok(Json(ApiAutomationRule::from(&rule)))
}

/// Creates a rule from Security Hub's `CreateAutomationRule` request; it applies to the
/// findings of the next scans and imports. Needs the admin role.
#[utoipa::path(post, path = "/api/v1/automation/rules", request_body(content = Object, description = "CreateAutomationRule request: RuleName, RuleOrder, RuleStatus, IsTerminal, Description, Criteria, Actions"),
    responses((status = 201, body = ApiAutomationRule), (status = 400, body = super::ApiError_), (status = 403, body = super::ApiError_)))]
pub async fn create_rule(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Json(body): Json<Value>,
) -> Result<(StatusCode, Json<ApiAutomationRule>), ApiError> {
    let spec = spec(&body)?;
    let who = caller.user.name.clone();
    tracing::info!(user = %who, rule = %spec.name, "automation rule created");
    let rule = state.store(move |s| Ok(rampart_app::automation::create(s, &spec, &who))).await?.map_err(app_error)?;
    Ok((StatusCode::CREATED, Json(ApiAutomationRule::from(&rule))))
}

/// Replaces a rule with a `CreateAutomationRule` request (its `RuleArn` and creation
/// stay). Needs the admin role.
#[utoipa::path(put, path = "/api/v1/automation/rules/{id}", params(("id" = String, Path, description = "rule/<n> (URL-encoded) or the rule's name")),
    request_body(content = Object, description = "CreateAutomationRule request"),
    responses((status = 200, body = ApiAutomationRule), (status = 400, body = super::ApiError_), (status = 404, body = super::ApiError_)))]
pub async fn update_rule(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Result<Json<ApiAutomationRule>, ApiError> {
    let spec = spec(&body)?;
    tracing::info!(user = %caller.user.name, rule = %id, "automation rule replaced");
    let rule = state.store(move |s| Ok(s.replace_automation_rule(&id, &spec, rampart_app::now()))).await?.map_err(store_error)?;
    Ok(Json(ApiAutomationRule::from(&rule)))
}

/// Deletes a rule; the changes it made stay in the findings' history. Needs the admin role.
#[utoipa::path(delete, path = "/api/v1/automation/rules/{id}", params(("id" = String, Path, description = "rule/<n> (URL-encoded) or the rule's name")),
    responses((status = 204, description = "Deleted"), (status = 404, body = super::ApiError_)))]
pub async fn delete_rule(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    tracing::info!(user = %caller.user.name, rule = %id, "automation rule deleted");
    state.store(move |s| Ok(s.delete_automation_rule(&id))).await?.map_err(store_error)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Which current findings a rule (a `CreateAutomationRule` request, not saved) would
/// change; nothing is changed.
#[utoipa::path(post, path = "/api/v1/automation/rules/dry-run", request_body(content = Object, description = "CreateAutomationRule request"),
    responses((status = 200, body = DryRunAnswer), (status = 400, body = super::ApiError_)))]
pub async fn dry_run(State(state): State<Shared>, Json(body): Json<Value>) -> Result<Json<DryRunAnswer>, ApiError> {
    let spec = spec(&body)?;
    let (count, findings) = state.store(move |s| Ok(rampart_app::automation::dry_run(s, &spec, DRY_RUN_LIST))).await?.map_err(app_error)?;
    Ok(Json(DryRunAnswer { count, findings }))
}

/// Which current findings a stored rule would change; nothing is changed.
#[utoipa::path(get, path = "/api/v1/automation/rules/{id}/dry-run", params(("id" = String, Path, description = "rule/<n> (URL-encoded) or the rule's name")),
    responses((status = 200, body = DryRunAnswer), (status = 404, body = super::ApiError_)))]
pub async fn dry_run_rule(State(state): State<Shared>, Path(id): Path<String>) -> Result<Json<DryRunAnswer>, ApiError> {
    let (count, findings) = stored_dry_run(&state, id).await?;
    Ok(Json(DryRunAnswer { count, findings }))
}

/// A stored rule's dry run: how many current findings it selects, and the first ids.
pub(crate) async fn stored_dry_run(state: &Shared, id: String) -> Result<(usize, Vec<String>), ApiError> {
    state
        .store(move |s| {
            let rule = match s.automation_rule(&id) {
                Ok(r) => r,
                Err(e) => return Ok(Err(store_error(e))),
            };
            let spec = RuleSpec::from_json(&serde_json::json!({
                "RuleName": rule.name,
                "RuleOrder": rule.order,
                "Criteria": rule.criteria,
                "Actions": [{ "Type": "FINDING_FIELDS_UPDATE", "FindingFieldsUpdate": rule.action }],
            }))?;
            Ok(rampart_app::automation::dry_run(s, &spec, DRY_RUN_LIST).map_err(app_error))
        })
        .await?
}
