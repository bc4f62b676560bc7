//! The JSON API, version 1 (`/api/v1/...`). Its shapes are the types below, from which the
//! OpenAPI document ([`ApiDoc`]) is generated: what this file serializes is a compatibility
//! promise, as the model's serialized names are.

pub(crate) mod agents;
pub(crate) mod audit;
pub(crate) mod automation;
pub(crate) mod events;
pub(crate) mod import;
pub(crate) mod reach;
pub(crate) mod schedules;

use crate::error::ApiError;
use crate::guard::Caller;
use crate::state::Shared;
use axum::extract::{Path, Query, State};
use axum::{Extension, Json};
use rampart_model::{rfc3339, Finding, Severity, Status, WorkflowStatus};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(
    info(title = "Rampart API", description = "Findings, runs, checks, compliance and assessments of a Rampart store. Every route needs a signed-in caller: `Authorization: Bearer TOKEN` (`rampart users token NAME`) or the console's session cookie with its CSRF token."),
    paths(me, findings, finding, set_workflow, query_findings, batch_update, insights, insight, runs, checks, standards, standard, assessment_targets, assessment_templates, assessment_runs, users, openapi),
    components(schemas(ApiError_, Me, ApiInsight, InsightResults, ApiInsightResult, FindingPage, QueryPage, BatchUpdateAnswer, ProcessedFinding, UnprocessedFinding, ApiFieldChange, ApiFinding, ApiResource, ApiRemediation, FindingDetail, ApiRunResult, ApiWorkflowChange, WorkflowRequest, ApiRun, ApiCheck, StandardSummary, ApiScore, StandardDetail, ApiControl, ApiTarget, ApiTemplate, ApiAssessmentRun, ApiUser)),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// The OpenAPI document, as served and as checked in at `docs/openapi.json`.
pub fn openapi_json() -> String {
    let mut doc = ApiDoc::openapi();
    for part in [automation::Doc::openapi(), events::Doc::openapi(), import::Doc::openapi(), reach::Doc::openapi(), audit::Doc::openapi(), schedules::Doc::openapi(), agents::Doc::openapi()] {
        doc.merge(part);
    }
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    doc.to_pretty_json().unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// An error answer.
#[derive(Serialize, ToSchema)]
#[schema(as = Error)]
#[allow(non_camel_case_types)]
pub struct ApiError_ {
    /// What went wrong and what to do.
    pub error: String,
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub name: String,
    /// `admin`, `analyst` or `viewer`.
    pub role: String,
}

/// The caller.
#[utoipa::path(get, path = "/api/v1/me", responses((status = 200, body = Me)))]
pub async fn me(Extension(caller): Extension<Caller>) -> Json<Me> {
    Json(Me { name: caller.user.name, role: caller.user.role.to_string() })
}

#[derive(Serialize, ToSchema)]
pub struct ApiResource {
    pub id: String,
    /// The ASFF resource type, e.g. `AwsS3Bucket`.
    #[serde(rename = "type")]
    pub kind: String,
    pub account: String,
    pub region: String,
    pub partition: String,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct ApiRemediation {
    pub console: String,
    pub cli: String,
    pub url: String,
}

/// A finding's current state.
#[derive(Serialize, ToSchema)]
pub struct ApiFinding {
    /// Stable across runs: `rampart/<check>/<hash>`.
    pub id: String,
    pub check_id: String,
    pub title: String,
    pub description: String,
    /// INFORMATIONAL, LOW, MEDIUM, HIGH or CRITICAL.
    pub severity: String,
    /// PASSED, FAILED, WARNING or NOT_AVAILABLE.
    pub status: String,
    pub reason: String,
    pub detail: String,
    pub service: String,
    pub resource: ApiResource,
    pub remediation: ApiRemediation,
    pub related_requirements: Vec<String>,
    /// RFC 3339.
    pub first_observed: String,
    pub last_observed: String,
    /// NEW, NOTIFIED, SUPPRESSED or RESOLVED.
    pub workflow_status: String,
    /// ACTIVE, or ARCHIVED when the resource is gone.
    pub record_state: String,
    /// The vulnerability of a host, image or function CVE finding (the model's JSON).
    #[schema(value_type = Option<Object>)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vulnerability: Option<serde_json::Value>,
}

impl From<&Finding> for ApiFinding {
    fn from(f: &Finding) -> ApiFinding {
        ApiFinding {
            id: f.id.clone(),
            check_id: f.check_id.to_string(),
            title: f.title.to_string(),
            description: f.description.to_string(),
            severity: f.severity.label().to_string(),
            status: f.status.as_str().to_string(),
            reason: f.reason.clone(),
            detail: f.detail.clone(),
            service: f.service.to_string(),
            resource: ApiResource {
                id: f.resource.id.clone(),
                kind: f.resource.kind.asff().to_string(),
                account: f.resource.account.clone(),
                region: f.resource.region.clone(),
                partition: f.resource.partition.clone(),
                name: f.resource.name.clone(),
            },
            remediation: ApiRemediation {
                console: f.remediation_console.to_string(),
                cli: f.remediation_cli.to_string(),
                url: f.remediation_url.to_string(),
            },
            related_requirements: f.related_requirements.to_vec(),
            first_observed: rfc3339(f.first_observed),
            last_observed: rfc3339(f.last_observed),
            workflow_status: f.workflow_status.as_str().to_string(),
            record_state: f.record_state.as_str().to_string(),
            vulnerability: f.vulnerability.as_ref().and_then(|v| serde_json::to_value(v).ok()),
        }
    }
}

/// Which findings to list, in which order, from where.
#[derive(Deserialize, IntoParams, Default, Clone)]
#[into_params(parameter_in = Query)]
pub struct FindingParams {
    /// PASSED, FAILED, WARNING or NOT_AVAILABLE.
    pub status: Option<String>,
    /// This severity or more severe: critical, high, medium, low or informational.
    pub severity: Option<String>,
    /// Only this check's findings.
    pub check: Option<String>,
    /// Only this account's findings.
    pub account: Option<String>,
    /// Only findings of exactly this severity (CRITICAL, HIGH, MEDIUM, LOW or INFORMATIONAL).
    pub severity_label: Option<String>,
    /// Only findings in this workflow status: NEW, NOTIFIED, SUPPRESSED or RESOLVED.
    pub workflow: Option<String>,
    /// Only findings of resources in this region.
    pub region: Option<String>,
    /// Only findings of resources of this type (ASFF's, e.g. `AwsS3Bucket`).
    pub resource_type: Option<String>,
    /// Only this resource's findings (its ARN or id).
    pub resource: Option<String>,
    /// Only findings of this security control (`ComplianceSecurityControlId`, e.g. `S3.8`).
    pub control: Option<String>,
    /// Only the findings of one group of this insight (`managed/<n>` or `custom/<n>`): its
    /// filters AND its group-by attribute equals `group`.
    pub insight: Option<String>,
    /// The group value of `insight`.
    pub group: Option<String>,
    /// Include archived findings (resources that are gone).
    #[serde(default)]
    pub archived: bool,
    /// severity (default), last-seen, title, resource, account or workflow.
    pub sort: Option<String>,
    /// desc (default) or asc.
    pub order: Option<String>,
    /// At most this many (1–100, default 100).
    pub limit: Option<usize>,
    /// Where the previous page ended (its `next_cursor`); pages stay stable while scans write.
    pub cursor: Option<String>,
}

/// Sort choices: (parameter value, label, the query's field).
pub const SORTS: [(&str, &str, &str); 6] = [
    ("severity", "severity", "SeverityLabel"),
    ("last-seen", "last seen", "LastObservedAt"),
    ("title", "title", "Title"),
    ("resource", "resource", "ResourceId"),
    ("account", "account", "AwsAccountId"),
    ("workflow", "workflow", "WorkflowStatus"),
];

pub fn nonempty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl FindingParams {
    /// The insight and group value to drill down to, if any (both or neither).
    pub fn drill_down(&self) -> Result<Option<(String, String)>, ApiError> {
        match (nonempty(&self.insight), self.group.as_deref()) {
            (Some(i), Some(g)) => Ok(Some((i.to_string(), g.to_string()))),
            (None, None) => Ok(None),
            (Some(_), None) => Err(ApiError::bad_request("`insight` needs `group`: the group value whose findings to list")),
            (None, Some(_)) => Err(ApiError::bad_request("`group` needs `insight`: the insight whose group it is")),
        }
    }

    /// The hub's query (Security Hub's filter semantics, keyset pages), or what is wrong
    /// with the parameters.
    pub fn query(&self) -> Result<rampart_hub::FindingQuery, ApiError> {
        use serde_json::json;
        let eq = |v: &str| json!({ "Value": v, "Comparison": "EQUALS" });
        let mut filters = serde_json::Map::new();
        if let Some(s) = nonempty(&self.status) {
            let st = Status::parse(&s.to_ascii_uppercase())
                .ok_or_else(|| ApiError::bad_request(format!("unknown status `{s}`: use PASSED, FAILED, WARNING or NOT_AVAILABLE")))?;
            filters.insert("ComplianceStatus".into(), json!([eq(st.as_str())]));
        }
        if let Some(s) = nonempty(&self.severity) {
            let min: Severity = s.parse().map_err(|e: rampart_model::ParseSeverityError| ApiError::bad_request(e.to_string()))?;
            let labels: Vec<_> = Severity::ALL.iter().filter(|l| **l >= min).map(|l| eq(l.label())).collect();
            filters.insert("SeverityLabel".into(), json!(labels));
        }
        if let Some(c) = nonempty(&self.check) {
            filters.insert("GeneratorId".into(), json!([eq(c)]));
        }
        if let Some(a) = nonempty(&self.account) {
            filters.insert("AwsAccountId".into(), json!([eq(a)]));
        }
        if let Some(s) = nonempty(&self.severity_label) {
            let label: Severity = s.parse().map_err(|e: rampart_model::ParseSeverityError| ApiError::bad_request(e.to_string()))?;
            if let Some(min) = nonempty(&self.severity) {
                let min: Severity = min.parse().map_err(|e: rampart_model::ParseSeverityError| ApiError::bad_request(e.to_string()))?;
                if label < min {
                    return Err(ApiError::bad_request(format!(
                        "severity_label {} is below severity {} (at least): drop one of them",
                        label.label(),
                        min.label()
                    )));
                }
            }
            filters.insert("SeverityLabel".into(), json!([eq(label.label())]));
        }
        if let Some(w) = nonempty(&self.workflow) {
            let w = w.to_ascii_uppercase();
            if WorkflowStatus::parse(&w).is_none() {
                return Err(ApiError::bad_request(format!("unknown workflow status `{w}`: use NEW, NOTIFIED, SUPPRESSED or RESOLVED")));
            }
            filters.insert("WorkflowStatus".into(), json!([eq(&w)]));
        }
        for (value, field) in [
            (&self.region, "ResourceRegion"),
            (&self.resource_type, "ResourceType"),
            (&self.resource, "ResourceId"),
            (&self.control, "ComplianceSecurityControlId"),
        ] {
            if let Some(v) = nonempty(value) {
                filters.insert(field.into(), json!([eq(v)]));
            }
        }
        if !self.archived {
            filters.insert("RecordState".into(), json!([eq("ACTIVE")]));
        }
        let field = match nonempty(&self.sort) {
            None => "SeverityLabel",
            Some(s) => SORTS.iter().find(|(v, _, _)| *v == s).map(|(_, _, f)| *f).ok_or_else(|| {
                ApiError::bad_request(format!("unknown sort `{s}`: use severity, last-seen, title, resource, account or workflow"))
            })?,
        };
        let order = match nonempty(&self.order) {
            None | Some("desc") => "desc",
            Some("asc") => "asc",
            Some(o) => return Err(ApiError::bad_request(format!("unknown order `{o}`: use asc or desc"))),
        };
        let limit = self.limit.unwrap_or(rampart_hub::MAX_RESULTS);
        if !(1..=rampart_hub::MAX_RESULTS).contains(&limit) {
            return Err(ApiError::bad_request(format!("`limit` is from 1 to {}", rampart_hub::MAX_RESULTS)));
        }
        let mut request = json!({ "Filters": filters, "SortCriteria": [{ "Field": field, "SortOrder": order }], "MaxResults": limit });
        if let Some(t) = nonempty(&self.cursor) {
            request["NextToken"] = json!(t);
        }
        rampart_hub::FindingQuery::from_json(&request).map_err(|e| ApiError::bad_request(e.to_string()))
    }
}

/// One page of findings.
#[derive(Serialize, ToSchema)]
pub struct FindingPage {
    pub findings: Vec<ApiFinding>,
    /// How many findings the filter selects in all.
    pub total: u64,
    /// Pass as `cursor` for the next page; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// One page of the findings `params` select, how many they select in all, and the cursor
/// of the next page.
pub async fn finding_page(state: &Shared, params: &FindingParams) -> Result<(Vec<Finding>, u64, Option<String>), ApiError> {
    let mut query = params.query()?;
    let drill = params.drill_down()?;
    let (page, total) = state
        .store(move |s| {
            let now = time::OffsetDateTime::now_utc();
            if let Some((id, value)) = &drill {
                // An insight's group: its filters AND the group's, beside the list's own.
                let group = s.insight(id)?.drill_down(value)?;
                query.also.push(group.filters);
                query.also.extend(group.also);
            }
            Ok((s.get_findings(&query, now)?, s.count_query(&query, now)?))
        })
        .await?;
    Ok((page.findings.into_iter().map(|r| r.finding).collect(), total, page.next_token))
}

/// The findings' current state, filtered and sorted (most severe first by default).
#[utoipa::path(get, path = "/api/v1/findings", params(FindingParams), responses((status = 200, body = FindingPage), (status = 400, body = ApiError_)))]
pub async fn findings(State(state): State<Shared>, Query(params): Query<FindingParams>) -> Result<Json<FindingPage>, ApiError> {
    let (page, total, next_cursor) = finding_page(&state, &params).await?;
    Ok(Json(FindingPage { findings: page.iter().map(ApiFinding::from).collect(), total, next_cursor }))
}

/// What one run said about a finding.
#[derive(Serialize, ToSchema)]
pub struct ApiRunResult {
    pub run_id: String,
    pub observed_at: String,
    pub status: String,
    pub severity: String,
    pub reason: String,
    pub workflow_status: String,
}

/// One change of a finding's workflow status.
#[derive(Serialize, ToSchema)]
pub struct ApiWorkflowChange {
    pub changed_at: String,
    pub from: String,
    pub to: String,
    pub note: String,
    /// The run whose results changed it; absent for a person's change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_id: Option<String>,
    /// Who changed it by hand.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed_by: Option<String>,
}

/// A finding with what each run said about it and its workflow history.
#[derive(Serialize, ToSchema)]
pub struct FindingDetail {
    pub finding: ApiFinding,
    /// Oldest first.
    pub results: Vec<ApiRunResult>,
    /// Oldest first.
    pub history: Vec<ApiWorkflowChange>,
    /// Every change of a field by a person or a run (workflow, severity, note, user-defined
    /// fields, verification state, confidence, criticality), oldest first.
    pub changes: Vec<ApiFieldChange>,
    /// For a finding imported from another tool: its product (`product_arn`,
    /// `product_name`, `company_name`), its own `id`, `format`, every resource
    /// (`resources`, ASFF `Resources`) and the finding as the tool sent it (`document`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub imported: Option<serde_json::Value>,
}

/// One change of one field of a finding.
#[derive(Serialize, ToSchema)]
pub struct ApiFieldChange {
    pub changed_at: String,
    /// Who made it; absent for a run's automatic change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed_by: Option<String>,
    pub reason: String,
    /// The ASFF name: `WorkflowStatus`, `SeverityLabel`, `NoteText`, `UserDefinedFields.<key>`, ...
    pub field: String,
    pub from: Option<String>,
    pub to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_id: Option<String>,
}

pub async fn finding_detail(state: &Shared, id: String) -> Result<FindingDetail, ApiError> {
    state
        .store(move |s| {
            let f = s.finding(&id)?;
            let results = s.finding_results(&id)?;
            let history = s.workflow_history(&id)?;
            let changes = s.finding_history(&id)?;
            let imported = s.imported_source(&id)?.and_then(|src| serde_json::to_value(src).ok());
            Ok(FindingDetail {
                imported,
                finding: ApiFinding::from(&f),
                results: results
                    .into_iter()
                    .map(|r| ApiRunResult {
                        run_id: r.run_id,
                        observed_at: rfc3339(r.observed_at),
                        status: r.status.as_str().to_string(),
                        severity: r.severity.label().to_string(),
                        reason: r.reason,
                        workflow_status: r.workflow_status.as_str().to_string(),
                    })
                    .collect(),
                history: history
                    .into_iter()
                    .map(|h| ApiWorkflowChange {
                        changed_at: rfc3339(h.changed_at),
                        from: h.from.as_str().to_string(),
                        to: h.to.as_str().to_string(),
                        note: h.note,
                        run_id: h.run_id,
                        changed_by: h.changed_by,
                    })
                    .collect(),
                changes: changes
                    .into_iter()
                    .map(|c| ApiFieldChange {
                        changed_at: rfc3339(c.changed_at),
                        changed_by: c.changed_by,
                        reason: c.reason,
                        field: c.field,
                        from: c.from,
                        to: c.to,
                        run_id: c.run_id,
                    })
                    .collect(),
            })
        })
        .await
}

/// One finding with its run results and workflow history. The id contains `/`: encode it
/// as `%2F`.
#[utoipa::path(get, path = "/api/v1/findings/{id}", params(("id" = String, Path, description = "The finding id, URL-encoded")), responses((status = 200, body = FindingDetail), (status = 404, body = ApiError_)))]
pub async fn finding(State(state): State<Shared>, Path(id): Path<String>) -> Result<Json<FindingDetail>, ApiError> {
    Ok(Json(finding_detail(&state, id).await?))
}

/// A workflow change.
#[derive(Deserialize, ToSchema)]
pub struct WorkflowRequest {
    /// NEW, NOTIFIED, SUPPRESSED or RESOLVED.
    pub status: String,
    /// Why (kept in the finding's history).
    #[serde(default)]
    pub note: String,
}

pub async fn change_workflow(state: &Shared, caller: &Caller, id: String, status: &str, note: String) -> Result<(), ApiError> {
    let status = WorkflowStatus::parse(&status.trim().to_ascii_uppercase())
        .ok_or_else(|| ApiError::bad_request(format!("unknown workflow status `{status}`: use NEW, NOTIFIED, SUPPRESSED or RESOLVED")))?;
    if note.len() > 4096 {
        return Err(ApiError::bad_request("the note is longer than 4096 bytes"));
    }
    let who = caller.user.name.clone();
    tracing::info!(finding = %id, to = status.as_str(), user = %who, "workflow change");
    state.store(move |s| s.set_workflow_by(&id, status, &note, Some(&who))).await
}

/// Sets a finding's workflow status; the change is kept in its history with who and why.
/// Needs the analyst role.
#[utoipa::path(post, path = "/api/v1/findings/{id}/workflow", params(("id" = String, Path, description = "The finding id, URL-encoded")), request_body = WorkflowRequest,
    responses((status = 200, body = FindingDetail), (status = 400, body = ApiError_), (status = 403, body = ApiError_), (status = 404, body = ApiError_)))]
pub async fn set_workflow(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    Json(req): Json<WorkflowRequest>,
) -> Result<Json<FindingDetail>, ApiError> {
    change_workflow(&state, &caller, id.clone(), &req.status, req.note).await?;
    Ok(Json(finding_detail(&state, id).await?))
}

/// One page of a findings query.
#[derive(Serialize, ToSchema)]
pub struct QueryPage {
    /// The findings as the hub holds them: the finding and what people set on it
    /// (severity override, confidence, criticality, verification state, user-defined
    /// fields, note, resource tags).
    #[schema(value_type = Vec<Object>)]
    pub findings: Vec<serde_json::Value>,
    /// Pass as `NextToken` for the next page; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Findings by Security Hub's `GetFindings` request: `{"Filters": {...}, "SortCriteria":
/// [{"Field": "SeverityLabel", "SortOrder": "desc"}], "MaxResults": 100, "NextToken": "..."}`
/// with `AwsSecurityFindingFilters` semantics (OR within a field, AND across fields); the
/// next page stays stable while scans write.
#[utoipa::path(post, path = "/api/v1/findings/query", request_body(content = Object, description = "GetFindings request"),
    responses((status = 200, body = QueryPage), (status = 400, body = ApiError_)))]
pub async fn query_findings(State(state): State<Shared>, Json(request): Json<serde_json::Value>) -> Result<Json<QueryPage>, ApiError> {
    let query = rampart_hub::FindingQuery::from_json(&request).map_err(|e| ApiError::bad_request(e.to_string()))?;
    let page = state.store(move |s| s.get_findings(&query, time::OffsetDateTime::now_utc())).await?;
    let findings =
        page.findings.iter().map(|r| serde_json::to_value(r).map_err(|e| ApiError::internal(e.to_string()))).collect::<Result<_, _>>()?;
    Ok(Json(QueryPage { findings, next_token: page.next_token }))
}

/// A finding an update changed.
#[derive(Serialize, ToSchema)]
pub struct ProcessedFinding {
    #[serde(rename = "Id")]
    pub id: String,
}

/// A finding an update did not change, and why.
#[derive(Serialize, ToSchema)]
pub struct UnprocessedFinding {
    #[serde(rename = "FindingIdentifier")]
    pub finding: ProcessedFinding,
    /// `FindingNotFound` or `DuplicatedFindingIdentifier`.
    #[serde(rename = "ErrorCode")]
    pub error_code: String,
    #[serde(rename = "ErrorMessage")]
    pub error_message: String,
}

/// The answer of a batch update, in AWS's shape.
#[derive(Serialize, ToSchema)]
pub struct BatchUpdateAnswer {
    #[serde(rename = "ProcessedFindings")]
    pub processed: Vec<ProcessedFinding>,
    #[serde(rename = "UnprocessedFindings")]
    pub unprocessed: Vec<UnprocessedFinding>,
}

/// Updates up to 100 findings with Security Hub's `BatchUpdateFindings` request:
/// `FindingIdentifiers` (`[{"Id": "..."}]` or plain ids), `Workflow.Status`,
/// `Severity.Label`, `Note.Text`, `UserDefinedFields`, `VerificationState`, `Confidence`,
/// `Criticality`. Every change is kept in the finding's history with the caller's name
/// (a note's `UpdatedBy` is always the caller) and the note as the reason. Needs the
/// analyst role.
#[utoipa::path(post, path = "/api/v1/findings/batch-update", request_body(content = Object, description = "BatchUpdateFindings request"),
    responses((status = 200, body = BatchUpdateAnswer), (status = 400, body = ApiError_), (status = 403, body = ApiError_)))]
pub async fn batch_update(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Json(mut request): Json<serde_json::Value>,
) -> Result<(Extension<crate::guard::AuditTargets>, Json<BatchUpdateAnswer>), ApiError> {
    let who = caller.user.name.clone();
    if let Some(note) = request.get_mut("Note").and_then(|n| n.as_object_mut()) {
        note.insert("UpdatedBy".to_string(), serde_json::Value::String(who.clone()));
    }
    let ids: Vec<String> = match request.get("FindingIdentifiers") {
        Some(serde_json::Value::Array(list)) => list
            .iter()
            .map(|v| match v {
                serde_json::Value::String(id) => Some(id.clone()),
                other => other.get("Id").and_then(|i| i.as_str()).map(str::to_string),
            })
            .collect::<Option<_>>()
            .ok_or_else(|| ApiError::bad_request("`FindingIdentifiers` holds finding ids or objects with an `Id`"))?,
        _ => return Err(ApiError::bad_request("`FindingIdentifiers` is missing: list 1 to 100 finding ids")),
    };
    let update = rampart_hub::FindingUpdate::from_json(&request)?;
    let reason = request.pointer("/Note/Text").and_then(|t| t.as_str()).unwrap_or("").to_string();
    let author = rampart_hub::ChangeAuthor { who: who.clone(), reason };
    tracing::info!(user = %who, findings = ids.len(), "batch update");
    // The findings named are the audit log's targets (the guard records them).
    let targets = crate::guard::AuditTargets(ids.clone());
    let result = state.store(move |s| s.batch_update_findings(&ids, &update, &author, time::OffsetDateTime::now_utc())).await?;
    let answer = Json(BatchUpdateAnswer {
        processed: result.processed.into_iter().map(|id| ProcessedFinding { id }).collect(),
        unprocessed: result
            .unprocessed
            .into_iter()
            .map(|u| UnprocessedFinding {
                finding: ProcessedFinding { id: u.id },
                error_code: u.error_code,
                error_message: u.error_message,
            })
            .collect(),
    });
    Ok((Extension(targets), answer))
}

/// An insight: a filter and a group-by attribute (Security Hub's managed ones, or saved).
#[derive(Serialize, ToSchema)]
pub struct ApiInsight {
    /// `managed/<n>` or `custom/<n>` (encode the `/` as `%2F` in a path).
    pub id: String,
    pub name: String,
    /// A Security Hub `GroupByAttribute`, e.g. `ResourceId`.
    pub group_by: String,
    /// Managed insights are data of this build: they cannot be changed.
    pub managed: bool,
    /// `AwsSecurityFindingFilters` JSON.
    #[schema(value_type = Object)]
    pub filters: serde_json::Value,
}

impl From<&rampart_hub::Insight> for ApiInsight {
    fn from(i: &rampart_hub::Insight) -> ApiInsight {
        ApiInsight {
            id: i.id.clone(),
            name: i.name.clone(),
            group_by: i.group_by.clone(),
            managed: i.managed,
            filters: i.filters.to_json(),
        }
    }
}

/// The count of one group.
#[derive(Serialize, ToSchema)]
pub struct ApiInsightResult {
    pub value: String,
    pub count: u64,
}

/// An insight and its counts, the largest group first (at most 100 groups).
#[derive(Serialize, ToSchema)]
pub struct InsightResults {
    pub insight: ApiInsight,
    pub results: Vec<ApiInsightResult>,
}

/// The insights: Security Hub's managed ones that rampart's findings answer, and saved ones.
#[utoipa::path(get, path = "/api/v1/insights", responses((status = 200, body = [ApiInsight])))]
pub async fn insights(State(state): State<Shared>) -> Result<Json<Vec<ApiInsight>>, ApiError> {
    let all = state.store(|s| s.insights()).await?;
    Ok(Json(all.iter().map(ApiInsight::from).collect()))
}

/// One insight's counts per group value.
#[utoipa::path(get, path = "/api/v1/insights/{id}", params(("id" = String, Path, description = "The insight id, URL-encoded")),
    responses((status = 200, body = InsightResults), (status = 404, body = ApiError_)))]
pub async fn insight(State(state): State<Shared>, Path(id): Path<String>) -> Result<Json<InsightResults>, ApiError> {
    let got = state.store(move |s| Ok(rampart_app::insights::results(s, &id))).await?;
    let (insight, results) = got.map_err(|e| match e.downcast_ref::<rampart_hub::StoreError>() {
        Some(rampart_hub::StoreError::UnknownInsight(_)) => ApiError::not_found(format!("{e:#}")),
        _ => ApiError::internal(format!("{e:#}")),
    })?;
    Ok(Json(InsightResults {
        insight: ApiInsight::from(&insight),
        results: results.into_iter().map(|r| ApiInsightResult { value: r.value, count: r.count }).collect(),
    }))
}

/// A recorded run.
#[derive(Serialize, ToSchema)]
pub struct ApiRun {
    pub id: String,
    pub started_at: String,
    pub finished_at: String,
    /// `aws`, `snapshot:<path>`, `demo`, ...
    pub source: String,
    pub accounts: Vec<String>,
    pub regions: Vec<String>,
    pub tool_version: String,
    /// How many checks it evaluated.
    pub checks: usize,
    /// Results per status (FAILED, WARNING, NOT_AVAILABLE, PASSED).
    pub results: BTreeMap<String, usize>,
    /// What the run could not read (empty: it read everything it meant to). Its findings
    /// and scores say nothing about these parts.
    pub incomplete: Vec<String>,
}

pub async fn run_list(state: &Shared) -> Result<Vec<ApiRun>, ApiError> {
    let runs = state.store(|s| s.run_summaries()).await?;
    Ok(runs
        .into_iter()
        .map(|r| ApiRun {
            id: r.run.id,
            started_at: rfc3339(r.run.started_at),
            finished_at: rfc3339(r.run.finished_at),
            source: r.run.source,
            accounts: r.run.accounts,
            regions: r.run.regions,
            tool_version: r.run.tool_version,
            checks: r.run.checks.len(),
            results: r.counts.into_iter().map(|(s, n)| (s.as_str().to_string(), n)).collect(),
            incomplete: r.run.incomplete,
        })
        .collect())
}

/// The recorded runs, newest first.
#[utoipa::path(get, path = "/api/v1/runs", responses((status = 200, body = [ApiRun])))]
pub async fn runs(State(state): State<Shared>) -> Result<Json<Vec<ApiRun>>, ApiError> {
    Ok(Json(run_list(&state).await?))
}

/// A check of this build.
#[derive(Serialize, ToSchema)]
pub struct ApiCheck {
    pub id: String,
    pub title: String,
    pub severity: String,
    pub service: String,
    /// The standards' requirements it evaluates, e.g. `CIS AWS Foundations Benchmark v3.0.0/2.1.1`.
    pub standards: Vec<String>,
}

/// The checks this server's build runs.
#[utoipa::path(get, path = "/api/v1/checks", responses((status = 200, body = [ApiCheck])))]
pub async fn checks() -> Json<Vec<ApiCheck>> {
    Json(
        rampart_checks::REGISTRY
            .iter()
            .map(|c| ApiCheck {
                id: c.meta.id.to_string(),
                title: c.meta.title.to_string(),
                severity: c.meta.severity.label().to_string(),
                service: c.meta.service.to_string(),
                standards: c.meta.related_requirements(),
            })
            .collect(),
    )
}

/// A security score: `percent` = passed ÷ controls with data.
#[derive(Serialize, ToSchema)]
pub struct ApiScore {
    /// Absent when no control has data.
    pub percent: Option<f64>,
    pub passed: usize,
    pub failed: usize,
    pub warning: usize,
    pub not_available: usize,
    pub no_data: usize,
    pub manual: usize,
}

impl From<&rampart_compliance::Score> for ApiScore {
    fn from(s: &rampart_compliance::Score) -> ApiScore {
        ApiScore {
            percent: s.percent,
            passed: s.passed,
            failed: s.failed,
            warning: s.warning,
            not_available: s.not_available,
            no_data: s.no_data,
            manual: s.manual,
        }
    }
}

/// A standard and its score in the latest run.
#[derive(Serialize, ToSchema)]
pub struct StandardSummary {
    /// `cis-aws-3.0`, `fsbp` or `trusted-advisor`.
    pub id: String,
    pub title: String,
    /// The run evaluated; absent when nothing was recorded yet (then every control is NO_DATA).
    pub run_id: Option<String>,
    pub score: ApiScore,
    pub controls: usize,
}

/// A control's status in a run.
#[derive(Serialize, ToSchema)]
pub struct ApiControl {
    pub id: String,
    pub title: String,
    pub severity: String,
    /// PASSED, FAILED, WARNING, NOT_AVAILABLE, NO_DATA or MANUAL.
    pub status: String,
    pub reason: String,
    pub failed: usize,
    pub passed: usize,
    /// The failing findings' ids.
    pub failing_findings: Vec<String>,
}

/// A standard's controls and scores.
#[derive(Serialize, ToSchema)]
pub struct StandardDetail {
    pub summary: StandardSummary,
    pub controls: Vec<ApiControl>,
    /// Scores per account.
    pub accounts: BTreeMap<String, ApiScore>,
    /// Scores per region.
    pub regions: BTreeMap<String, ApiScore>,
}

/// Every standard evaluated over the latest run's results (over nothing before any run:
/// every control NO_DATA).
pub async fn compliance_reports(state: &Shared) -> Result<(Option<String>, Vec<rampart_compliance::Report>), ApiError> {
    let latest =
        state.store(|s| Ok(rampart_app::browse::compliance(s, None, &[]))).await?.map_err(|e| ApiError::internal(format!("{e:#}")))?;
    Ok(match latest {
        Some((run, reports)) => (Some(run), reports),
        None => (None, rampart_compliance::STANDARDS.iter().map(|s| rampart_compliance::evaluate(s, &[])).collect()),
    })
}

fn summary(run: &Option<String>, r: &rampart_compliance::Report) -> StandardSummary {
    StandardSummary {
        id: r.standard.to_string(),
        title: r.title.to_string(),
        run_id: run.clone(),
        score: ApiScore::from(&r.scores.estate),
        controls: r.controls.len(),
    }
}

/// The standards with their security score in the latest run.
#[utoipa::path(get, path = "/api/v1/standards", responses((status = 200, body = [StandardSummary])))]
pub async fn standards(State(state): State<Shared>) -> Result<Json<Vec<StandardSummary>>, ApiError> {
    let (run, reports) = compliance_reports(&state).await?;
    Ok(Json(reports.iter().map(|r| summary(&run, r)).collect()))
}

/// One standard: every control's status in the latest run, scores per account and region.
#[utoipa::path(get, path = "/api/v1/standards/{id}", params(("id" = String, Path, description = "cis-aws-3.0, fsbp or trusted-advisor")), responses((status = 200, body = StandardDetail), (status = 404, body = ApiError_)))]
pub async fn standard(State(state): State<Shared>, Path(id): Path<String>) -> Result<Json<StandardDetail>, ApiError> {
    let (run, reports) = compliance_reports(&state).await?;
    let r = reports
        .iter()
        .find(|r| r.standard == id)
        .ok_or_else(|| ApiError::not_found(format!("unknown standard `{id}`: use cis-aws-3.0, fsbp or trusted-advisor")))?;
    Ok(Json(StandardDetail {
        summary: summary(&run, r),
        controls: r
            .controls
            .iter()
            .map(|c| ApiControl {
                id: c.id.to_string(),
                title: c.title.to_string(),
                severity: c.severity.label().to_string(),
                status: c.status.as_str().to_string(),
                reason: c.reason.clone(),
                failed: c.findings.failed,
                passed: c.findings.passed,
                failing_findings: c.failing_resources.iter().map(|f| f.finding_id.clone()).collect(),
            })
            .collect(),
        accounts: r.scores.accounts.iter().map(|(k, v)| (k.clone(), ApiScore::from(v))).collect(),
        regions: r.scores.regions.iter().map(|(k, v)| (k.clone(), ApiScore::from(v))).collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct ApiTarget {
    pub name: String,
    /// Tags a host must carry (all of them).
    pub tags: BTreeMap<String, String>,
    /// Hostname globs (any may match); empty = every host.
    pub hosts: Vec<String>,
    pub created_at: String,
}

/// Inspector-style assessment targets.
#[utoipa::path(get, path = "/api/v1/assessment/targets", responses((status = 200, body = [ApiTarget])))]
pub async fn assessment_targets(State(state): State<Shared>) -> Result<Json<Vec<ApiTarget>>, ApiError> {
    let t = state.store(|s| s.targets()).await?;
    Ok(Json(
        t.into_iter()
            .map(|t| ApiTarget { name: t.name, tags: t.selector.tags, hosts: t.selector.hosts, created_at: rfc3339(t.created_at) })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct ApiTemplate {
    pub name: String,
    pub target: String,
    pub rule_packages: Vec<String>,
    pub duration_seconds: u64,
    pub created_at: String,
}

/// Assessment templates: a target, rule packages and a duration.
#[utoipa::path(get, path = "/api/v1/assessment/templates", responses((status = 200, body = [ApiTemplate])))]
pub async fn assessment_templates(State(state): State<Shared>) -> Result<Json<Vec<ApiTemplate>>, ApiError> {
    let t = state.store(|s| s.templates()).await?;
    Ok(Json(
        t.into_iter()
            .map(|t| ApiTemplate {
                name: t.name,
                target: t.target,
                rule_packages: t.rule_packages,
                duration_seconds: t.duration_seconds,
                created_at: rfc3339(t.created_at),
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct ApiAssessmentRun {
    pub id: i64,
    pub template: String,
    /// CREATED, COLLECTING_DATA, EVALUATING_RULES, COMPLETED or FAILED.
    pub state: String,
    pub created_at: String,
    pub completed_at: Option<String>,
    pub failed_at: Option<String>,
    pub failure: Option<String>,
    /// The findings run it recorded.
    pub findings_run_id: Option<String>,
    pub hosts: Vec<String>,
}

/// Assessment runs, newest first.
#[utoipa::path(get, path = "/api/v1/assessment/runs", responses((status = 200, body = [ApiAssessmentRun])))]
pub async fn assessment_runs(State(state): State<Shared>) -> Result<Json<Vec<ApiAssessmentRun>>, ApiError> {
    let runs = state.store(|s| s.assessment_runs()).await?;
    Ok(Json(
        runs.into_iter()
            .map(|r| ApiAssessmentRun {
                id: r.id,
                template: r.template,
                state: r.state.as_str().to_string(),
                created_at: rfc3339(r.created_at),
                completed_at: r.completed_at.map(rfc3339),
                failed_at: r.failed_at.map(rfc3339),
                failure: r.failure,
                findings_run_id: r.findings_run_id,
                hosts: r.hosts,
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct ApiUser {
    pub name: String,
    pub role: String,
    /// How many API tokens the user has.
    pub tokens: usize,
}

/// The users (admin only).
#[utoipa::path(get, path = "/api/v1/users", responses((status = 200, body = [ApiUser]), (status = 403, body = ApiError_)))]
pub async fn users(State(state): State<Shared>) -> Result<Json<Vec<ApiUser>>, ApiError> {
    let users = state.accounts(|a| a.users()).await?;
    Ok(Json(users.into_iter().map(|u| ApiUser { name: u.user.name, role: u.user.role.to_string(), tokens: u.tokens }).collect()))
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json")))]
pub async fn openapi() -> ([(axum::http::HeaderName, &'static str); 1], String) {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], openapi_json())
}
