//! The web console: server-rendered pages (maud escapes every interpolated value), one
//! style sheet; the only script is `static/console.js` with the vendored chart library
//! (see `dashboard.rs`), drawing charts whose numbers each page also shows as a table.
//! Forms that change state carry the session's CSRF token.

pub(crate) mod agents;
pub(crate) mod assessments;
pub(crate) mod audit;
pub(crate) mod automation;
pub(crate) mod controls;
pub(crate) mod dashboard;
pub(crate) mod events;
pub(crate) mod insights;
pub(crate) mod investigate;
pub(crate) mod investigation;
pub(crate) mod reach;
pub(crate) mod schedules;

use crate::api::{self, nonempty, FindingParams, SORTS};
use crate::error::ApiError;
use crate::guard::Caller;
use crate::state::Shared;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use maud::{html, Markup, DOCTYPE};
use serde::Deserialize;

const CSS: &str = include_str!("../console.css");

pub async fn css() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "max-age=300")], CSS)
}

/// Percent-encodes everything but unreserved characters (RFC 3986): for a finding id
/// (`rampart/check/hash`) as one path segment, and for query values.
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub(crate) fn finding_url(id: &str) -> String {
    format!("/findings/{}", url_encode(id))
}

/// A page with the header, navigation and the caller's sign-out button.
pub(crate) fn layout(title: &str, caller: &Caller, active: &str, body: Markup) -> Markup {
    let mut nav = vec![
        ("dashboard", "/", "Dashboard"),
        ("findings", "/findings", "Findings"),
        ("insights", "/insights", "Insights"),
        ("compliance", "/compliance", "Compliance"),
        ("runs", "/runs", "Runs"),
        ("schedules", "/schedules", "Schedules"),
        ("assessments", "/assessments", "Assessments"),
        ("agents", "/agents", "Agents"),
        ("reach", "/reach", "Reachability"),
        ("investigate", "/investigate", "Investigate"),
        ("automation", "/automation", "Automation"),
        ("events", "/events", "Events"),
    ];
    if caller.user.role >= crate::accounts::Role::Admin {
        nav.push(("audit", "/audit", "Audit log"));
    }
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Rampart" }
                link rel="stylesheet" href="/static/console.css";
            }
            body {
                header.top {
                    a.brand href="/findings" { "Rampart" }
                    nav {
                        @for (key, href, label) in nav {
                            a href=(href) aria-current=[(key == active).then_some("page")] { (label) }
                        }
                    }
                    div.who {
                        span { (caller.user.name) " · " (caller.user.role) }
                        form method="post" action="/logout" {
                            input type="hidden" name="csrf" value=(caller.csrf.as_deref().unwrap_or(""));
                            button.link type="submit" { "Sign out" }
                        }
                    }
                }
                main { (body) }
            }
        }
    }
}

/// An error as a page (the console) — the API answers JSON instead.
pub fn error_page(status: StatusCode, message: &str) -> Response {
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head { meta charset="utf-8"; title { "Error · Rampart" } link rel="stylesheet" href="/static/console.css"; }
            body { main.narrow { h1 { (status.as_u16()) " " (status.canonical_reason().unwrap_or("")) } p.error { (message) } p { a href="/findings" { "Back to the findings" } } } }
        }
    };
    (status, page).into_response()
}

/// A page handler's error: shown as a page.
pub struct PageError(ApiError);

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> PageError {
        PageError(e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        error_page(self.0.status, &self.0.message)
    }
}

pub async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError::not_found(format!("no such route: {}", uri.path())).into_response()
    } else {
        error_page(StatusCode::NOT_FOUND, "There is no such page.")
    }
}

pub(crate) fn severity_badge(label: &str) -> Markup {
    html! { span class={ "sev sev-" (label.to_ascii_lowercase()) } { (label) } }
}

pub(crate) fn status_badge(label: &str) -> Markup {
    html! { span class={ "st st-" (label.to_ascii_lowercase()) } { (label) } }
}

pub(crate) const STATUSES: [&str; 4] = ["FAILED", "WARNING", "NOT_AVAILABLE", "PASSED"];
pub(crate) const SEVERITIES: [&str; 5] = ["critical", "high", "medium", "low", "informational"];
pub(crate) const WORKFLOWS: [&str; 4] = ["NEW", "NOTIFIED", "SUPPRESSED", "RESOLVED"];

/// The findings list's group-by choices: (parameter value, label, Security Hub's
/// `GroupByAttribute`, the list parameter that selects one group).
pub(crate) const GROUPINGS: [(&str, &str, &str, &str); 9] = [
    ("severity", "severity", "SeverityLabel", "severity_label"),
    ("status", "status", "ComplianceStatus", "status"),
    ("workflow", "workflow", "WorkflowStatus", "workflow"),
    ("account", "account", "AwsAccountId", "account"),
    ("region", "region", "ResourceRegion", "region"),
    ("check", "check", "GeneratorId", "check"),
    ("resource-type", "resource type", "ResourceType", "resource_type"),
    ("resource", "resource", "ResourceId", "resource"),
    ("control", "security control", "ComplianceSecurityControlId", "control"),
];

/// The list parameters as (name, value) pairs, the empty ones left out (`group` is kept
/// even empty: it is an insight group's value).
fn list_params(p: &FindingParams) -> Vec<(&'static str, String)> {
    let mut q: Vec<(&'static str, String)> = Vec::new();
    for (k, v) in [
        ("status", &p.status),
        ("severity", &p.severity),
        ("severity_label", &p.severity_label),
        ("workflow", &p.workflow),
        ("check", &p.check),
        ("account", &p.account),
        ("region", &p.region),
        ("resource_type", &p.resource_type),
        ("resource", &p.resource),
        ("control", &p.control),
        ("insight", &p.insight),
        ("sort", &p.sort),
        ("order", &p.order),
    ] {
        if let Some(v) = nonempty(v) {
            q.push((k, v.to_string()));
        }
    }
    if let (Some(_), Some(g)) = (nonempty(&p.insight), &p.group) {
        q.push(("group", g.clone()));
    }
    if p.archived {
        q.push(("archived", "true".into()));
    }
    q
}

fn findings_address(q: &[(&str, String)]) -> String {
    let qs: Vec<String> = q.iter().map(|(k, v)| format!("{k}={}", url_encode(v))).collect();
    if qs.is_empty() {
        "/findings".to_string()
    } else {
        format!("/findings?{}", qs.join("&"))
    }
}

/// This list's address with `cursor` as the page.
fn list_link(p: &FindingParams, cursor: Option<&str>) -> String {
    let mut q = list_params(p);
    if let Some(t) = cursor {
        q.push(("cursor", t.to_string()));
    }
    findings_address(&q)
}

/// The list of `p`'s findings narrowed to `param` = `value` (a group's findings), first page.
pub(crate) fn group_link(p: &FindingParams, param: &str, value: &str) -> String {
    let mut q: Vec<(&str, String)> = list_params(p).into_iter().filter(|(k, _)| *k != param).collect();
    q.push((param, value.to_string()));
    // Stable order for the reader: the parameters as the form lists them.
    let order = |k: &str| list_params_order().iter().position(|o| *o == k).unwrap_or(usize::MAX);
    q.sort_by_key(|(k, _)| order(k));
    findings_address(&q)
}

fn list_params_order() -> [&'static str; 16] {
    [
        "status",
        "severity",
        "severity_label",
        "workflow",
        "check",
        "account",
        "region",
        "resource_type",
        "resource",
        "control",
        "insight",
        "group",
        "sort",
        "order",
        "archived",
        "cursor",
    ]
}

/// The findings list's own parameter besides the filters: how to group it.
#[derive(Deserialize, Default)]
pub struct GroupParam {
    group_by: Option<String>,
}

pub async fn findings(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<FindingParams>,
    Query(g): Query<GroupParam>,
) -> Result<Markup, PageError> {
    let grouping = match nonempty(&g.group_by) {
        None => None,
        Some(v) => Some(GROUPINGS.iter().find(|(k, ..)| *k == v).copied().ok_or_else(|| {
            let names: Vec<&str> = GROUPINGS.iter().map(|(k, ..)| *k).collect();
            ApiError::bad_request(format!("cannot group by `{}`: use one of {}", rampart_app::shown(v), names.join(", ")))
        })?),
    };
    let drill = p.drill_down()?;
    if grouping.is_some() && drill.is_some() {
        return Err(
            ApiError::bad_request("an insight's group cannot be grouped again: open the insight, or drop `insight` and `group`").into()
        );
    }
    let insight_name = match &drill {
        Some((id, _)) => {
            let id = id.clone();
            Some(state.store(move |s| Ok(s.insight(&id)?.name)).await?)
        }
        None => None,
    };
    // Grouped: the store's count per group (no finding is loaded), and the total.
    let groups = match grouping {
        Some((_, _, attribute, _)) => {
            let filters = p.query()?.filters;
            let got = state
                .store(move |s| {
                    let now = time::OffsetDateTime::now_utc();
                    Ok((rampart_app::insights::group_counts(s, &filters, attribute), s.count_matching(&filters, now)?))
                })
                .await?;
            Some((got.0.map_err(|e| ApiError::bad_request(format!("{e:#}")))?, got.1))
        }
        None => None,
    };
    let (rows, total, next) = match &groups {
        Some((_, total)) => (Vec::new(), *total, None),
        None => api::finding_page(&state, &p).await?,
    };
    // Analysts select findings (the checkboxes belong to the action bar's form) for a custom action.
    let may_act = caller.user.role >= crate::accounts::Role::Analyst;
    let action_bar = events::action_bar(&state, &caller).await;
    let sel = |v: &Option<String>, want: &str| v.as_deref().is_some_and(|v| v.eq_ignore_ascii_case(want));
    let sort = nonempty(&p.sort).unwrap_or("severity");
    let desc = nonempty(&p.order) != Some("asc");
    let text = |v: &Option<String>| v.as_deref().unwrap_or("").to_string();
    let body = html! {
        h1 { "Findings" }
        @if let (Some((id, value)), Some(name)) = (&drill, &insight_name) {
            p.crumbs #drill {
                a href="/insights" { "Insights" } " › "
                a href={ "/insights/" (url_encode(id)) } { (name) } " › "
                "group " code { (value) }
            }
        }
        form.filters method="get" action="/findings" {
            label { "Status " select name="status" {
                option value="" { "any" }
                @for s in STATUSES { option value=(s) selected[sel(&p.status, s)] { (s) } }
            } }
            label { "Severity at least " select name="severity" {
                option value="" { "any" }
                @for s in SEVERITIES { option value=(s) selected[sel(&p.severity, s)] { (s) } }
            } }
            label { "Workflow " select name="workflow" {
                option value="" { "any" }
                @for w in WORKFLOWS { option value=(w) selected[sel(&p.workflow, w)] { (w) } }
            } }
            label { "Check " input type="text" name="check" value=(text(&p.check)) size="22"; }
            label { "Account " input type="text" name="account" value=(text(&p.account)) size="13"; }
            label { "Region " input type="text" name="region" value=(text(&p.region)) size="12"; }
            label { "Resource type " input type="text" name="resource_type" value=(text(&p.resource_type)) size="16"; }
            // Set by a link (a group, a dashboard number): shown so it can be cleared.
            @if nonempty(&p.severity_label).is_some() {
                label { "Severity exactly " input type="text" name="severity_label" value=(text(&p.severity_label)) size="13"; }
            }
            @if nonempty(&p.resource).is_some() {
                label { "Resource " input type="text" name="resource" value=(text(&p.resource)) size="30"; }
            }
            @if nonempty(&p.control).is_some() {
                label { "Control " input type="text" name="control" value=(text(&p.control)) size="10"; }
            }
            @if let Some((id, value)) = &drill {
                input type="hidden" name="insight" value=(id);
                input type="hidden" name="group" value=(value);
            }
            label { input type="checkbox" name="archived" value="true" checked[p.archived]; " archived too" }
            @if drill.is_none() {
                label { "Group by " select #group-by name="group_by" {
                    option value="" { "nothing" }
                    @for (v, label, ..) in GROUPINGS { option value=(v) selected[grouping.is_some_and(|gr| gr.0 == v)] { (label) } }
                } }
            }
            label { "Sort by " select name="sort" {
                @for (v, label, _) in SORTS { option value=(v) selected[v == sort] { (label) } }
            } }
            label { select name="order" aria-label="Order" {
                option value="desc" selected[desc] { "descending" }
                option value="asc" selected[!desc] { "ascending" }
            } }
            button #apply type="submit" { "Apply" }
        }
        @if may_act && drill.is_none() {
            @let grouped = grouping.map(|(_, _, attribute, _)| format!("group_by={attribute}"));
            @let query = list_link(&p, None).trim_start_matches("/findings").to_string();
            @let query = match (query.is_empty(), grouped) { (_, None) => query, (true, Some(g)) => format!("?{g}"), (false, Some(g)) => format!("{query}&{g}") };
            p.small { a #save-insight href={ "/insights" (query) "#new-insight" } { "Save these filters as an insight" } }
        }
        @if let (Some((groups, _)), Some((_, label, _, param))) = (&groups, grouping) {
            p.count #count {
                @if total == 0 { "No finding matches." }
                @else { (total) " matching, in " (groups.len()) " groups by " (label)
                    @if groups.len() >= rampart_hub::MAX_INSIGHT_RESULTS { " (the " (rampart_hub::MAX_INSIGHT_RESULTS) " largest)" } }
            }
            @if !groups.is_empty() {
                // An empty value cannot be selected by a list parameter: shown, not linked.
                @let links: Vec<String> = groups.iter().map(|gr| if gr.value.is_empty() { String::new() } else { group_link(&p, param, &gr.value) }).collect();
                (dashboard::chart(
                    "groups-chart",
                    &format!("Findings per {label}"),
                    dashboard::bar_spec(groups.iter().map(|gr| (gr.value.as_str(), gr.count)), &links, "Findings", param == "severity_label"),
                    groups.len(),
                ))
                table.groups #groups {
                    caption.sr { "Findings per " (label) }
                    thead { tr { th scope="col" { (label) } th scope="col" class="num" { "Findings" } } }
                    tbody {
                        @for (gr, link) in groups.iter().zip(&links) {
                            tr.g data-value=(gr.value) {
                                @if link.is_empty() {
                                    td { "(empty)" }
                                    td.num { (gr.count) }
                                } @else {
                                    td { a href=(link) {
                                        @if param == "severity_label" { (severity_badge(&gr.value)) }
                                        @else if param == "status" { (status_badge(&gr.value)) }
                                        @else { (gr.value) }
                                    } }
                                    td.num { a href=(link) { (gr.count) } }
                                }
                            }
                        }
                    }
                }
                (dashboard::chart_scripts())
            }
        } @else {
            p.count #count {
                @if total == 0 { "No finding matches." }
                @else { (rows.len()) " shown of " (total) " matching" }
            }
            @if may_act { (action_bar) }
            table.findings {
                thead { tr { @if may_act { th { span.sr { "Select" } } } th { "Severity" } th { "Status" } th { "Finding" } th { "Resource" } th { "Account" br; "region" } th { "Workflow" } } }
                tbody {
                    @for f in &rows {
                        tr.f data-id=(f.id) {
                            @if may_act { td.pick { input type="checkbox" name="finding" value=(f.id) form="custom-action" aria-label={ "Select " (f.title) }; } }
                            td.sev { (severity_badge(f.severity.label())) }
                            td.status { (status_badge(f.status.as_str())) }
                            td.title { a href=(finding_url(&f.id)) { (f.title) } }
                            td.res { code { (f.resource.id) } }
                            td.acct { (f.resource.account) br; span.small { (f.resource.region) } }
                            td.wf { (f.workflow_status.as_str()) }
                        }
                    }
                }
            }
            nav.pages {
                @if nonempty(&p.cursor).is_some() { a #first href=(list_link(&p, None)) { "← First page" } }
                @if let Some(t) = &next { a #next href=(list_link(&p, Some(t))) { "Next →" } }
            }
        }
    };
    Ok(layout("Findings", &caller, "findings", body))
}

pub async fn finding(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Markup, PageError> {
    let d = api::finding_detail(&state, id).await?;
    let f = &d.finding;
    let may_change = caller.user.role >= crate::accounts::Role::Analyst;
    let investigate = investigate::finding_section(&state, f).await;
    let body = html! {
        p.crumbs { a href="/findings" { "Findings" } " › " code { (f.id) } }
        h1 { (severity_badge(&f.severity)) " " span #title { (f.title) } }
        dl.facts {
            dt { "Status" } dd { (status_badge(&f.status)) " " (f.reason) }
            dt { "Workflow" } dd #workflow { (f.workflow_status) }
            dt { "Record" } dd { (f.record_state) }
            dt { "Resource" } dd { code { (f.resource.id) } " (" (f.resource.kind) @if !f.resource.name.is_empty() { ", " (f.resource.name) } ")" }
            dt { "Account · region" } dd { (f.resource.account) " · " (f.resource.region) }
            dt { "Check" } dd { code { (f.check_id) } }
            dt { "First · last seen" } dd { (f.first_observed) " · " (f.last_observed) }
            @if !f.related_requirements.is_empty() {
                dt { "Standards" } dd { ul.plain { @for r in &f.related_requirements { li { (r) } } } }
            }
        }
        (investigate)
        h2 { "Description" }
        p { (f.description) }
        @if !f.remediation.console.is_empty() || !f.remediation.cli.is_empty() || !f.remediation.url.is_empty() {
            h2 { "Remediation" }
            @if !f.remediation.console.is_empty() { p { (f.remediation.console) } }
            @if !f.remediation.cli.is_empty() { pre { code { (f.remediation.cli) } } }
            // Only a web address becomes a link (never `javascript:` or another scheme).
            @if f.remediation.url.starts_with("https://") { p { a href=(f.remediation.url) rel="noreferrer noopener" { "Documentation" } } }
            @else if !f.remediation.url.is_empty() { p { code { (f.remediation.url) } } }
        }
        @if may_change {
            h2 { "Change the workflow status" }
            form.workflow #workflow-form method="post" action={ (finding_url(&f.id)) "/workflow" } {
                input type="hidden" name="csrf" value=(caller.csrf.as_deref().unwrap_or(""));
                label { "Status " select #wf-status name="status" {
                    @for w in WORKFLOWS { option value=(w) selected[w == f.workflow_status] { (w) } }
                } }
                label.note { "Note " textarea #wf-note name="note" rows="2" maxlength="4096" placeholder="Why (kept in the history)" {} }
                button #wf-save type="submit" { "Save" }
            }
        }
        h2 #history { "Workflow history" }
        @if d.history.is_empty() { p { "No change yet." } }
        @else {
            table.history {
                thead { tr { th { "When" } th { "Change" } th { "By" } th { "Note" } } }
                tbody {
                    @for h in &d.history {
                        tr {
                            td { (h.changed_at) }
                            td { (h.from) " → " (h.to) }
                            td { @if let Some(by) = &h.changed_by { (by) } @else if let Some(run) = &h.run_id { "run " code { (run) } } @else { "—" } }
                            td.note { (h.note) }
                        }
                    }
                }
            }
        }
        h2 { "What each run said" }
        table.results {
            thead { tr { th { "Run" } th { "Observed" } th { "Status" } th { "Severity" } th { "Reason" } } }
            tbody {
                @for r in &d.results {
                    tr { td { code { (r.run_id) } } td { (r.observed_at) } td { (status_badge(&r.status)) } td { (severity_badge(&r.severity)) } td { (r.reason) } }
                }
            }
        }
    };
    Ok(layout(&f.title, &caller, "findings", body))
}

#[derive(Deserialize)]
pub struct WorkflowForm {
    status: String,
    #[serde(default)]
    note: String,
}

pub async fn set_workflow(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    Form(form): Form<WorkflowForm>,
) -> Result<Redirect, PageError> {
    api::change_workflow(&state, &caller, id.clone(), &form.status, form.note).await?;
    Ok(Redirect::to(&format!("{}#history", finding_url(&id))))
}

pub async fn runs(State(state): State<Shared>, Extension(caller): Extension<Caller>) -> Result<Markup, PageError> {
    let runs = api::run_list(&state).await?;
    let body = html! {
        h1 { "Runs" }
        @if runs.is_empty() { p { "No run recorded yet: run " code { "rampart scan aws" } " or " code { "rampart demo" } "." } }
        @else {
            table.runs {
                thead { tr { th { "Run" } th { "Started" } th { "Finished" } th { "Source" } th { "Accounts" } th { "Regions" } th { "Results" } } }
                tbody {
                    @for r in &runs {
                        tr {
                            td { code { (r.id) } }
                            td { (r.started_at) }
                            td { (r.finished_at) }
                            td { (r.source) }
                            td { (r.accounts.join(", ")) }
                            td { (r.regions.len()) }
                            td {
                                @for (s, n) in &r.results { (status_badge(s)) " " (n) " " }
                                @if !r.incomplete.is_empty() {
                                    details.incomplete {
                                        summary { "incomplete: " (r.incomplete.len()) " part(s) not read" }
                                        ul.plain { @for what in &r.incomplete { li.small { (what) } } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(layout("Runs", &caller, "runs", body))
}

pub(crate) fn score_text(s: &api::ApiScore) -> String {
    match s.percent {
        Some(p) => format!("{}%", p.round()),
        None => "—".to_string(),
    }
}

pub async fn compliance(State(state): State<Shared>, Extension(caller): Extension<Caller>) -> Result<Markup, PageError> {
    let (run, reports) = api::compliance_reports(&state).await?;
    let body = html! {
        h1 { "Compliance" }
        p { @if let Some(run) = &run { "Latest run " code { (run) } "." } @else { "No run recorded yet: every control has no data." } }
        div.standards {
            @for r in &reports {
                @let score = api::ApiScore::from(&r.scores.estate);
                a.standard href={ "/compliance/" (url_encode(r.standard)) } {
                    h2 { (r.title) }
                    p.score { (score_text(&score)) }
                    meter min="0" max="100" value=(score.percent.unwrap_or(0.0)) {}
                    p.small { (score.passed) " passed · " (score.failed) " failed · " (score.warning) " warning · " (score.not_available) " not available · " (score.no_data) " no data" }
                }
            }
        }
    };
    Ok(layout("Compliance", &caller, "compliance", body))
}

#[derive(Deserialize, Default)]
pub struct ControlFilter {
    status: Option<String>,
}

pub async fn standard(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    Query(q): Query<ControlFilter>,
) -> Result<Markup, PageError> {
    let (_, reports) = api::compliance_reports(&state).await?;
    let r = reports
        .iter()
        .find(|r| r.standard == id)
        .ok_or_else(|| ApiError::not_found(format!("unknown standard `{id}`: use cis-aws-3.0, fsbp or trusted-advisor")))?;
    let score = api::ApiScore::from(&r.scores.estate);
    let want = q.status.as_deref().filter(|s| !s.is_empty());
    let body = html! {
        p.crumbs { a href="/compliance" { "Compliance" } " › " (r.title) }
        h1 { (r.title) " " span.score { (score_text(&score)) } }
        form.filters method="get" {
            label { "Control status " select name="status" {
                option value="" { "any" }
                @for s in ["FAILED", "WARNING", "NOT_AVAILABLE", "PASSED", "NO_DATA", "MANUAL"] { option value=(s) selected[want == Some(s)] { (s) } }
            } }
            button type="submit" { "Apply" }
        }
        table.controls {
            thead { tr { th { "Control" } th { "Title" } th { "Severity" } th { "Status" } th { "Failing resources" } } }
            tbody {
                @for c in r.controls.iter().filter(|c| want.map_or(true, |w| c.status.as_str() == w)) {
                    tr.c data-status=(c.status.as_str()) {
                        td { a href={ "/compliance/" (url_encode(r.standard)) "/" (url_encode(c.id)) } { code { (c.id) } } }
                        td { (c.title) @if !c.reason.is_empty() { br; span.small { (c.reason) } } }
                        td { (severity_badge(c.severity.label())) }
                        td { (status_badge(c.status.as_str())) }
                        td {
                            @for f in c.failing_resources.iter().take(5) { a href=(finding_url(&f.finding_id)) { code { (f.resource_id) } } " " }
                            @if c.failing_resources.len() > 5 { "and " (c.failing_resources.len() - 5) " more" }
                        }
                    }
                }
            }
        }
    };
    Ok(layout(r.title, &caller, "compliance", body))
}
