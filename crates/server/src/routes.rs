//! The route table: every route the server answers, with who may use it. The router is
//! built from this table only, so a route cannot be added without naming its access, and
//! the tests walk the same table.

use crate::accounts::Role;
use crate::guard::{self, Access};
use crate::state::Shared;
use crate::{api, console, login};
use axum::routing::{get, post, MethodRouter};
use axum::Router;

/// One route: method, path (axum's syntax, `{id}` a parameter) and the access it needs.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
}

impl Route {
    /// Whether the route may change state (anything but GET).
    pub fn changes_state(&self) -> bool {
        self.method != "GET"
    }

    /// Whether a request to it is written to the audit log: every route that may change
    /// state, except the reads that are sent as POST because their question is a body
    /// (a findings query, like Security Hub's GetFindings; a reachability question). They
    /// still need the CSRF token like every POST.
    pub fn audited(&self) -> bool {
        self.changes_state() && !READS_SENT_AS_POST.contains(&self.path)
    }
}

/// The POST routes that only read.
pub const READS_SENT_AS_POST: [&str; 2] = ["/api/v1/findings/query", "/api/v1/reach"];

pub(crate) const PUBLIC: Access = Access::Public;
pub(crate) const VIEWER: Access = Access::Least(Role::Viewer);
pub(crate) const ANALYST: Access = Access::Least(Role::Analyst);
pub(crate) const ADMIN: Access = Access::Least(Role::Admin);
/// An agent token only (the telemetry upload).
pub(crate) const AGENT: Access = Access::Agent;

/// A part of the route table: each area's module lists its own routes (`routes()`).
pub(crate) type Table = Vec<(Route, MethodRouter<Shared>)>;

/// One route of a table.
pub(crate) fn r(method: &'static str, path: &'static str, access: Access) -> Route {
    Route { method, path, access }
}

fn table() -> Table {
    let mut table = core_table();
    for part in [
        console::dashboard::routes(),
        console::insights::routes(),
        console::automation::routes(),
        console::events::routes(),
        console::assessments::routes(),
        console::controls::routes(),
        console::reach::routes(),
        console::audit::routes(),
        console::schedules::routes(),
        console::agents::routes(),
        console::investigate::routes(),
        console::investigation::routes(),
        api::automation::routes(),
        api::events::routes(),
        api::import::routes(),
        api::reach::routes(),
        api::audit::routes(),
        api::schedules::routes(),
        api::agents::routes(),
    ] {
        table.extend(part);
    }
    table
}

fn core_table() -> Table {
    vec![
        // Unauthenticated: the health check, signing in and the page's style sheet.
        (r("GET", "/healthz", PUBLIC), get(health)),
        (r("GET", "/login", PUBLIC), get(login::page)),
        (r("POST", "/login", PUBLIC), post(login::submit)),
        (r("GET", "/static/console.css", PUBLIC), get(console::css)),
        // The console.
        (r("POST", "/logout", VIEWER), post(login::logout)),
        (r("GET", "/password", VIEWER), get(login::password_page)),
        (r("POST", "/password", VIEWER), post(login::change_password)),
        (r("GET", "/findings", VIEWER), get(console::findings)),
        (r("GET", "/findings/{id}", VIEWER), get(console::finding)),
        (r("POST", "/findings/{id}/workflow", ANALYST), post(console::set_workflow)),
        (r("GET", "/runs", VIEWER), get(console::runs)),
        (r("GET", "/compliance", VIEWER), get(console::compliance)),
        (r("GET", "/compliance/{standard}", VIEWER), get(console::standard)),
        // The API.
        (r("GET", "/api/v1/openapi.json", VIEWER), get(api::openapi)),
        (r("GET", "/api/v1/me", VIEWER), get(api::me)),
        (r("GET", "/api/v1/findings", VIEWER), get(api::findings)),
        (r("POST", "/api/v1/findings/query", VIEWER), post(api::query_findings)),
        (r("POST", "/api/v1/findings/batch-update", ANALYST), post(api::batch_update)),
        (r("GET", "/api/v1/findings/{id}", VIEWER), get(api::finding)),
        (r("POST", "/api/v1/findings/{id}/workflow", ANALYST), post(api::set_workflow)),
        (r("GET", "/api/v1/insights", VIEWER), get(api::insights)),
        (r("GET", "/api/v1/insights/{id}", VIEWER), get(api::insight)),
        (r("GET", "/api/v1/runs", VIEWER), get(api::runs)),
        (r("GET", "/api/v1/checks", VIEWER), get(api::checks)),
        (r("GET", "/api/v1/standards", VIEWER), get(api::standards)),
        (r("GET", "/api/v1/standards/{id}", VIEWER), get(api::standard)),
        (r("GET", "/api/v1/assessment/targets", VIEWER), get(api::assessment_targets)),
        (r("GET", "/api/v1/assessment/templates", VIEWER), get(api::assessment_templates)),
        (r("GET", "/api/v1/assessment/runs", VIEWER), get(api::assessment_runs)),
        (r("GET", "/api/v1/users", ADMIN), get(api::users)),
    ]
}

/// Every route the server answers.
pub fn routes() -> Vec<Route> {
    table().into_iter().map(|(r, _)| r).collect()
}

/// The application: every route of the table behind [`guard::guard`] (its access, and the
/// audit log of every state-changing request), security headers and a log line per request.
pub fn router(state: Shared) -> Router {
    let mut router = Router::new();
    for (route, handler) in table() {
        let guard = axum::middleware::from_fn_with_state((state.clone(), route), guard::guard);
        router = router.route(route.path, handler.layer(guard));
    }
    router.fallback(console::not_found).layer(axum::middleware::from_fn(crate::serve::headers_and_log)).with_state(state)
}

/// The health check: the store answers.
async fn health(
    axum::extract::State(state): axum::extract::State<Shared>,
) -> Result<axum::Json<serde_json::Value>, crate::error::ApiError> {
    let version = state.store(|s| Ok(s.schema_version())).await?;
    Ok(axum::Json(serde_json::json!({ "status": "ok", "schema": version })))
}
