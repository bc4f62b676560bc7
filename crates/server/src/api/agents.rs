//! Agents: telemetry upload (agent token) and agent status.

use crate::routes::Table;
use utoipa::OpenApi;

/// This area's part of the OpenAPI document (merged into [`super::ApiDoc`]'s).
#[derive(OpenApi)]
#[openapi()]
pub(crate) struct Doc;

pub(crate) fn routes() -> Table {
    vec![]
}
