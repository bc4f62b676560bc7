//! Findings from other tools over the API: Security Hub's `BatchImportFindings`.
//!
//! `POST /api/v1/findings/import` takes AWS's request body, `{"Findings": [...]}` (or a
//! plain list of findings), in ASFF — or OCSF finding events, told apart by their
//! `class_uid` or named with `?format=ocsf` — and answers as AWS does:
//! `{"FailedCount", "SuccessCount", "FailedFindings": [{"Id", "ErrorCode", "ErrorMessage"}]}`,
//! the good findings stored and the bad ones answered one by one. More than 100 findings
//! is refused whole (400), as AWS refuses the call. The body may hold 100 findings of
//! Security Hub's largest size (240 KB each) and the envelope: more is 413.
//!
//! Who may call it: the analyst role. Security Hub grants `BatchImportFindings` to the
//! integrations that send findings (a product's own account, or a custom integration in
//! the customer's account), not to people browsing; rampart maps an integration to an API
//! token of an analyst, the least role that may change findings. A viewer's token only
//! reads.

use crate::error::ApiError;
use crate::guard::Caller;
use crate::routes::{r, Table, ANALYST};
use crate::state::Shared;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::routing::post;
use axum::{Extension, Json};
use rampart_app::import::{batch_import_findings, Format, ImportAnswer, ImportError, MAX_FINDINGS_PER_CALL, MAX_FINDING_BYTES};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

/// This area's part of the OpenAPI document (merged into [`super::ApiDoc`]'s).
#[derive(OpenApi)]
#[openapi(paths(import_findings), components(schemas(ImportAnswerBody, ImportFailure)))]
pub(crate) struct Doc;

/// The largest request body: 100 findings of 240 KB and 64 KB for the envelope.
pub const MAX_BODY: usize = MAX_FINDINGS_PER_CALL * MAX_FINDING_BYTES + 64 * 1024;

pub(crate) fn routes() -> Table {
    vec![(r("POST", "/api/v1/findings/import", ANALYST), post(import_findings).layer(DefaultBodyLimit::max(MAX_BODY)))]
}

/// The format of the findings sent; without it, told from the first finding's keys
/// (`SchemaVersion`/`ProductArn`: ASFF; `class_uid`/`finding_info`: OCSF).
#[derive(Deserialize, IntoParams)]
pub struct ImportParams {
    /// `asff` or `ocsf`.
    pub format: Option<String>,
}

/// A finding not imported (`ImportFindingsError`).
#[derive(Serialize, ToSchema)]
pub struct ImportFailure {
    /// The finding's `Id` (`#<index>` when it has none).
    #[serde(rename = "Id")]
    pub id: String,
    /// `InvalidInput`, `FindingSizeExceeded` or `DuplicatedFindingIdentifier`.
    #[serde(rename = "ErrorCode")]
    pub error_code: String,
    #[serde(rename = "ErrorMessage")]
    pub error_message: String,
}

/// `BatchImportFindings`' response.
#[derive(Serialize, ToSchema)]
pub struct ImportAnswerBody {
    #[serde(rename = "FailedCount")]
    pub failed_count: usize,
    #[serde(rename = "SuccessCount")]
    pub success_count: usize,
    #[serde(rename = "FailedFindings")]
    pub failed_findings: Vec<ImportFailure>,
}

impl From<ImportAnswer> for ImportAnswerBody {
    fn from(a: ImportAnswer) -> ImportAnswerBody {
        ImportAnswerBody {
            failed_count: a.failed_count(),
            success_count: a.success_count,
            failed_findings: a
                .failed
                .into_iter()
                .map(|f| ImportFailure { id: f.id, error_code: f.code, error_message: f.message })
                .collect(),
        }
    }
}

/// AWS's words for a request over the limit (its validation message), then what to do.
fn too_many(n: usize) -> String {
    if n == 0 {
        return "1 validation error detected: Value at 'findings' failed to satisfy constraint: Member must have length greater than or equal to 1: send 1 to 100 findings".to_string();
    }
    format!(
        "1 validation error detected: Value at 'findings' failed to satisfy constraint: Member must have length less than or equal to {MAX_FINDINGS_PER_CALL} ({n} sent): send them in calls of {MAX_FINDINGS_PER_CALL}"
    )
}

/// Imports up to 100 findings from another tool (Security Hub's `BatchImportFindings`):
/// ASFF `{"Findings": [...]}`, or OCSF finding events. Each finding is identified by its
/// product ARN and `Id`: importing it again updates it (Security Hub's workflow rules and
/// the automation rules apply, and a "Findings - Imported" event goes to the matching
/// event rules). Needs the analyst role: integrations send findings with an analyst's
/// token.
#[utoipa::path(post, path = "/api/v1/findings/import", params(ImportParams),
    request_body(content = Object, description = "BatchImportFindings request: {\"Findings\": [ASFF findings]} or a list of OCSF finding events, 1 to 100"),
    responses((status = 200, body = ImportAnswerBody), (status = 400, body = super::ApiError_), (status = 403, body = super::ApiError_),
        (status = 413, description = "The body is larger than 100 findings of 240 KB")))]
pub async fn import_findings(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Query(params): Query<ImportParams>,
    body: Bytes,
) -> Result<Json<ImportAnswerBody>, ApiError> {
    let format = match params.format.as_deref().map(str::to_ascii_lowercase) {
        None => None,
        Some(f) => Some(
            Format::parse(&f)
                .ok_or_else(|| ApiError::bad_request(format!("unknown format `{}`: use asff or ocsf", rampart_app::shown(&f))))?,
        ),
    };
    let request: serde_json::Value = serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad_request(format!("the body is not JSON (line {}, column {}): send {{\"Findings\": [...]}}", e.line(), e.column()))
    })?;
    let who = caller.user.name.clone();
    let answer = state.store(move |s| Ok(batch_import_findings(s, request, format, rampart_app::now()))).await?.map_err(|e| match e {
        ImportError::TooMany(n) => ApiError::bad_request(too_many(n)),
        ImportError::Document(d) => ApiError::bad_request(d.to_string()),
        ImportError::Store(s) => ApiError::from(s),
        other => ApiError::internal(other.to_string()),
    })?;
    tracing::info!(user = %who, stored = answer.success_count, failed = answer.failed_count(), "findings imported");
    Ok(Json(answer.into()))
}
