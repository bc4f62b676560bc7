//! Insights in the console: Security Hub's managed insights and custom ones (a filter and a
//! group-by attribute) with their largest groups (`/insights`), one insight's count per
//! group as a bar chart and a table whose rows open exactly that group's findings
//! (`/insights/{id}`: the findings list with `insight` and `group`, which adds the
//! insight's filters AND group-by = value to the list's query), and the form that saves a
//! custom insight or deletes one.
//!
//! Who may create and delete: analysts and admins. Security Hub lets whoever holds
//! `securityhub:CreateInsight` do it; here that is the role that may change findings.

use super::dashboard::{bar_spec, chart, chart_scripts};
use super::{layout, severity_badge, status_badge, url_encode, PageError, SEVERITIES, STATUSES, WORKFLOWS};
use crate::api::FindingParams;
use crate::error::ApiError;
use crate::guard::Caller;
use crate::routes::{r, Table, ANALYST, VIEWER};
use crate::state::Shared;
use axum::extract::{Path, Query, State};
use axum::response::Redirect;
use axum::routing::{get, post};
use axum::{Extension, Form};
use maud::{html, Markup};
use rampart_hub::{FindingFilters, Insight, InsightResult};
use serde::Deserialize;

pub(crate) fn routes() -> Table {
    vec![
        (r("GET", "/insights", VIEWER), get(list)),
        (r("POST", "/insights", ANALYST), post(create)),
        (r("GET", "/insights/{id}", VIEWER), get(show)),
        (r("POST", "/insights/{id}/delete", ANALYST), post(delete)),
    ]
}

fn nonempty_str(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|s| !s.is_empty())
}

fn insight_url(id: &str) -> String {
    format!("/insights/{}", url_encode(id))
}

/// The findings of one group of an insight: the findings list, drilled down.
pub(crate) fn group_url(id: &str, value: &str) -> String {
    format!("/findings?insight={}&group={}", url_encode(id), url_encode(value))
}

/// A group value as shown: severities and statuses as badges.
fn value_cell(group_by: &str, value: &str) -> Markup {
    html! {
        @match group_by {
            "SeverityLabel" => (severity_badge(value)),
            "ComplianceStatus" => (status_badge(value)),
            _ => @if value.is_empty() { "(empty)" } @else { code { (value) } },
        }
    }
}

/// How many groups `/insights` shows per insight.
const TOP_GROUPS: usize = 3;

/// `/insights`; the list parameters given (the findings list's "Save as an insight" link)
/// fill the form.
async fn list(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Query(prefill): Query<FindingParams>,
    Query(by): Query<GroupBy>,
) -> Result<Markup, PageError> {
    let all = state
        .store(|s| {
            let now = time::OffsetDateTime::now_utc();
            let mut out = Vec::new();
            for i in s.insights()? {
                let results = s.insight_results(&i, now)?;
                out.push((i, results));
            }
            Ok(out)
        })
        .await?;
    let may_create = caller.user.role >= crate::accounts::Role::Analyst;
    let (managed, custom): (Vec<_>, Vec<_>) = all.iter().partition(|(i, _)| i.managed);
    let body = html! {
        h1 { "Insights" }
        p.small { "Each insight counts the findings its filters select per value of one attribute, the largest group first. Open one for every group and its findings." }
        @if may_create { p { a href="#new-insight" { "Create a custom insight" } } }
        h2 { "Custom insights" }
        @if custom.is_empty() { p.small #no-custom { "None saved yet." } }
        @else { (insight_table("custom", &custom)) }
        h2 { "Managed insights" }
        (insight_table("managed", &managed))
        @if may_create { (new_form(&caller, &prefill, by.group_by.as_deref().unwrap_or("ResourceId"))) }
    };
    Ok(layout("Insights", &caller, "insights", body))
}

fn insight_table(id: &str, rows: &[&(Insight, Vec<InsightResult>)]) -> Markup {
    html! {
        table.insights id=(id) {
            thead { tr { th scope="col" { "Insight" } th scope="col" { "Grouped by" } th scope="col" { "Largest groups" } } }
            tbody {
                @for (i, results) in rows {
                    tr.insight data-id=(i.id) {
                        td { a href=(insight_url(&i.id)) { (i.name) } }
                        td { code { (i.group_by) } }
                        td {
                            @if results.is_empty() { span.small { "no finding" } }
                            @for g in results.iter().take(TOP_GROUPS) {
                                div { (value_cell(&i.group_by, &g.value)) " " a.n href=(group_url(&i.id, &g.value)) { (g.count) } }
                            }
                            @if results.len() >= rampart_hub::MAX_INSIGHT_RESULTS { span.small { "and at least " (results.len() - TOP_GROUPS) " more groups" } }
                            @else if results.len() > TOP_GROUPS { span.small { "and " (results.len() - TOP_GROUPS) " more groups" } }
                        }
                    }
                }
            }
        }
    }
}

/// The attribute the form preselects.
#[derive(Deserialize)]
pub(crate) struct GroupBy {
    group_by: Option<String>,
}

fn new_form(caller: &Caller, p: &FindingParams, group_by: &str) -> Markup {
    let is = |v: &Option<String>, want: &str| v.as_deref().is_some_and(|v| v.eq_ignore_ascii_case(want));
    let text = |v: &Option<String>| v.as_deref().unwrap_or("").to_string();
    // What the form cannot say as a field goes into the JSON filters.
    let mut more = serde_json::Map::new();
    for (v, field) in [(&p.severity_label, "SeverityLabel"), (&p.resource, "ResourceId"), (&p.control, "ComplianceSecurityControlId")] {
        if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            let v = if field == "SeverityLabel" { v.to_ascii_uppercase() } else { v.to_string() };
            more.insert(field.into(), serde_json::json!([{ "Value": v, "Comparison": "EQUALS" }]));
        }
    }
    let more = if more.is_empty() { String::new() } else { serde_json::Value::Object(more).to_string() };
    html! {
        h2 #new-insight { "Create a custom insight" }
        form.insight #insight-form method="post" action="/insights" {
            input type="hidden" name="csrf" value=(caller.csrf.as_deref().unwrap_or(""));
            label for="in-name" { "Name" }
            input #in-name type="text" name="name" required maxlength="128";
            label for="in-group" { "Group by" }
            select #in-group name="group_by" {
                @for g in rampart_hub::GROUP_BY { option value=(g) selected[*g == group_by] { (g) } }
            }
            label for="in-status" { "Status" }
            select #in-status name="status" { option value="" { "any" } @for s in STATUSES { option value=(s) selected[is(&p.status, s)] { (s) } } }
            label for="in-severity" { "Severity at least" }
            select #in-severity name="severity" { option value="" { "any" } @for s in SEVERITIES { option value=(s) selected[is(&p.severity, s)] { (s) } } }
            label for="in-workflow" { "Workflow" }
            select #in-workflow name="workflow" { option value="" { "any" } @for w in WORKFLOWS { option value=(w) selected[is(&p.workflow, w)] { (w) } } }
            label for="in-check" { "Check" }
            input #in-check type="text" name="check" value=(text(&p.check));
            label for="in-account" { "Account" }
            input #in-account type="text" name="account" value=(text(&p.account));
            label for="in-region" { "Region" }
            input #in-region type="text" name="region" value=(text(&p.region));
            label for="in-type" { "Resource type" }
            input #in-type type="text" name="resource_type" placeholder="AwsS3Bucket" value=(text(&p.resource_type));
            label for="in-archived" { "Archived too" }
            input #in-archived type="checkbox" name="archived" value="true" checked[p.archived];
            label for="in-filters" { "More filters (JSON)" }
            textarea #in-filters name="filters" rows="4" placeholder=r#"{"ResourceTags": [{"Key": "env", "Value": "prod", "Comparison": "EQUALS"}]}"# { (more) }
            p.small.hint { "Security Hub's AwsSecurityFindingFilters; a field given here replaces the same field above." }
            button #in-save type="submit" { "Create insight" }
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct NewInsight {
    name: String,
    group_by: String,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    workflow: Option<String>,
    #[serde(default)]
    check: Option<String>,
    #[serde(default)]
    account: Option<String>,
    #[serde(default)]
    region: Option<String>,
    #[serde(default)]
    resource_type: Option<String>,
    #[serde(default)]
    archived: Option<String>,
    #[serde(default)]
    filters: Option<String>,
}

impl NewInsight {
    /// The insight's filters: the fields as the findings list reads them, then the JSON
    /// filters' fields over them.
    fn filters(&self) -> Result<FindingFilters, ApiError> {
        let params = FindingParams {
            status: self.status.clone(),
            severity: self.severity.clone(),
            workflow: self.workflow.clone(),
            check: self.check.clone(),
            account: self.account.clone(),
            region: self.region.clone(),
            resource_type: self.resource_type.clone(),
            archived: self.archived.as_deref() == Some("true"),
            ..FindingParams::default()
        };
        let mut json = params.query()?.filters.to_json();
        if let Some(text) = nonempty_str(self.filters.as_deref()) {
            let more: serde_json::Value =
                serde_json::from_str(text).map_err(|e| ApiError::bad_request(format!("the JSON filters do not parse ({e}): write an object such as {{\"ResourceType\": [{{\"Value\": \"AwsS3Bucket\", \"Comparison\": \"EQUALS\"}}]}}")))?;
            let Some(more) = more.as_object() else {
                return Err(ApiError::bad_request("the JSON filters are an object of fields, e.g. {\"ResourceType\": [...]}"));
            };
            for (k, v) in more {
                json[k.as_str()] = v.clone();
            }
        }
        FindingFilters::from_json(&json).map_err(|e| ApiError::bad_request(e.to_string()))
    }
}

async fn create(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<NewInsight>,
) -> Result<Redirect, PageError> {
    let filters = form.filters()?;
    let by = caller.user.name.clone();
    let insight =
        state.store(move |s| s.create_insight(form.name.trim(), &filters, &form.group_by, &by, time::OffsetDateTime::now_utc())).await?;
    Ok(Redirect::to(&insight_url(&insight.id)))
}

async fn delete(State(state): State<Shared>, Path(id): Path<String>) -> Result<Redirect, PageError> {
    state.store(move |s| s.delete_insight(&id)).await?;
    Ok(Redirect::to("/insights"))
}

async fn show(State(state): State<Shared>, Extension(caller): Extension<Caller>, Path(id): Path<String>) -> Result<Markup, PageError> {
    let got = state.store(move |s| Ok(rampart_app::insights::results(s, &id))).await?;
    let (insight, results) = got.map_err(|e| match e.downcast::<rampart_hub::StoreError>() {
        Ok(e) => ApiError::from(e),
        Err(e) => ApiError::internal(format!("{e:#}")),
    })?;
    let may_delete = !insight.managed && caller.user.role >= crate::accounts::Role::Analyst;
    let links: Vec<String> = results.iter().map(|g| group_url(&insight.id, &g.value)).collect();
    let total: u64 = results.iter().map(|g| g.count).sum();
    let filters = serde_json::to_string_pretty(&insight.filters.to_json()).unwrap_or_default();
    // Analysts send chosen groups (resource ids, …) to a custom action (the events area's form).
    let pairs: Vec<(String, u64)> = results.iter().map(|g| (g.value.clone(), g.count)).collect();
    let action_form = super::events::insight_action_form(&state, &caller, &insight.id, &pairs).await;
    let body = html! {
        p.crumbs { a href="/insights" { "Insights" } " › " (insight.name) }
        h1 #insight-name { (insight.name) }
        p.small {
            @if insight.managed { "Managed insight (Security Hub's " code { (insight.id) } "). " } @else { "Custom insight " code { (insight.id) } ". " }
            "Grouped by " code #group-by { (insight.group_by) } "."
        }
        @if results.is_empty() { p #no-groups { "No finding matches this insight." } }
        @else {
            p.count #count { (results.len()) " groups, " (total) " findings"
                @if results.len() >= rampart_hub::MAX_INSIGHT_RESULTS { " (the " (rampart_hub::MAX_INSIGHT_RESULTS) " largest groups)" } }
            (chart("insight-chart", &insight.name, bar_spec(results.iter().map(|g| (g.value.as_str(), g.count)), &links, "Findings", insight.group_by == "SeverityLabel"), results.len()))
            table.groups #groups {
                caption.sr { "Findings per " (insight.group_by) }
                thead { tr { th scope="col" { (insight.group_by) } th scope="col" class="num" { "Findings" } } }
                tbody {
                    @for (g, link) in results.iter().zip(&links) {
                        tr.g data-value=(g.value) {
                            td { a href=(link) { (value_cell(&insight.group_by, &g.value)) } }
                            td.num { a.n href=(link) { (g.count) } }
                        }
                    }
                }
            }
        }
        (action_form)
        details #filters {
            summary { "Filters" }
            pre { code { (filters) } }
        }
        @if may_delete {
            form.inline #delete-insight method="post" action={ (insight_url(&insight.id)) "/delete" } {
                input type="hidden" name="csrf" value=(caller.csrf.as_deref().unwrap_or(""));
                button.danger type="submit" { "Delete this insight" }
            }
        }
        (chart_scripts())
    };
    Ok(layout(&insight.name, &caller, "insights", body))
}
