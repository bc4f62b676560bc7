//! Inspector's assessments: targets, templates, runs (state, times, finding counts) and
//! each run's host findings. Read-only: targets, templates and runs are made with
//! `rampart assess`.

use super::{finding_url, layout, severity_badge, status_badge, PageError};
use crate::api::{self, ApiAssessmentRun};
use crate::error::ApiError;
use crate::guard::Caller;
use crate::routes::{r, Table, VIEWER};
use crate::state::Shared;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::Extension;
use maud::{html, Markup};
use rampart_model::Status;
use serde::Deserialize;
use std::collections::BTreeMap;

pub(crate) fn routes() -> Table {
    vec![(r("GET", "/assessments", VIEWER), get(page))]
}

/// The findings runs' result counts per status, by findings run id.
async fn counts(state: &Shared) -> Result<BTreeMap<String, BTreeMap<String, usize>>, ApiError> {
    let runs = api::run_list(state).await?;
    Ok(runs.into_iter().map(|r| (r.id, r.results)).collect())
}

fn counts_cell(counts: Option<&BTreeMap<String, usize>>) -> Markup {
    html! {
        @match counts {
            None => "—",
            Some(c) if c.is_empty() => "none",
            Some(c) => { @for s in super::STATUSES { @if let Some(n) = c.get(s) { (status_badge(s)) " " (n) " " } } },
        }
    }
}

fn when(t: &Option<String>) -> &str {
    t.as_deref().unwrap_or("—")
}

fn run_row(r: &ApiAssessmentRun, counts: &BTreeMap<String, BTreeMap<String, usize>>) -> Markup {
    html! {
        tr.run data-state=(r.state) {
            td { a href={ "/assessments?run=" (r.id) "#run" } { (r.id) } }
            td { (r.template) }
            td.state { (r.state) @if let Some(f) = &r.failure { br; span.small.error { (f) } } }
            td.small { (r.created_at) }
            td.small { @if r.failed_at.is_some() { "failed " (when(&r.failed_at)) } @else { (when(&r.completed_at)) } }
            td { (r.hosts.len()) }
            td.counts { (counts_cell(r.findings_run_id.as_ref().and_then(|id| counts.get(id)))) }
        }
    }
}

/// `?run=N`: that run's host findings below the lists.
#[derive(Deserialize, Default)]
pub struct Selected {
    run: Option<String>,
}

pub async fn page(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<Selected>,
) -> Result<Markup, PageError> {
    let selected = match q.run.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(id) => Some(run_section(&state, id).await?),
    };
    let targets = api::assessment_targets(State(state.clone())).await?.0;
    let templates = api::assessment_templates(State(state.clone())).await?.0;
    let runs = api::assessment_runs(State(state.clone())).await?.0;
    let counts = counts(&state).await?;
    let body = html! {
        h1 { "Assessments" }
        p.small { "Inspector-style host assessments: a target selects hosts, a template names rule packages, a run evaluates them. Create them with " code { "rampart assess" } "." }
        h2 #targets { "Targets" }
        @if targets.is_empty() { p { "No target yet: " code { "rampart assess target NAME --host GLOB" } "." } }
        @else {
            table.targets {
                thead { tr { th { "Name" } th { "Selects" } th { "Created" } } }
                tbody {
                    @for t in &targets {
                        tr {
                            td { (t.name) }
                            td {
                                @if t.tags.is_empty() && t.hosts.is_empty() { "every host" }
                                @for (k, v) in &t.tags { code { (k) "=" (v) } " " }
                                @if !t.hosts.is_empty() { "hosts " @for h in &t.hosts { code { (h) } " " } }
                            }
                            td.small { (t.created_at) }
                        }
                    }
                }
            }
        }
        h2 #templates { "Templates" }
        @if templates.is_empty() { p { "No template yet: " code { "rampart assess template NAME --target TARGET --rules cve,cis" } "." } }
        @else {
            table.templates {
                thead { tr { th { "Name" } th { "Target" } th { "Rule packages" } th { "Duration" } th { "Created" } } }
                tbody {
                    @for t in &templates {
                        tr { td { (t.name) } td { (t.target) } td { (t.rule_packages.join(", ")) } td { (t.duration_seconds) " s" } td.small { (t.created_at) } }
                    }
                }
            }
        }
        h2 #runs { "Runs" }
        @if runs.is_empty() { p { "No run yet: " code { "rampart assess run TEMPLATE --telemetry FILE" } "." } }
        @else {
            table.runs {
                thead { tr { th { "Run" } th { "Template" } th { "State" } th { "Created" } th { "Finished" } th { "Hosts" } th { "Findings" } } }
                tbody { @for r in &runs { (run_row(r, &counts)) } }
            }
        }
        @if let Some(section) = selected { (section) }
    };
    Ok(layout("Assessments", &caller, "assessments", body))
}

/// One run: its states' times, hosts, and host findings.
async fn run_section(state: &Shared, id: &str) -> Result<Markup, PageError> {
    let n: i64 =
        id.parse().map_err(|_| ApiError::not_found(format!("no assessment run `{}`: runs are numbered", rampart_app::shown(id))))?;
    let run = match state.store(move |s| Ok(s.assessment_run(n))).await? {
        Ok(run) => run,
        Err(rampart_hub::StoreError::UnknownAssessmentRun(_)) => {
            return Err(ApiError::not_found(format!("no assessment run {n}: see the list of runs")).into())
        }
        Err(e) => return Err(ApiError::from(e).into()),
    };
    let findings_run = run.findings_run_id.clone();
    let findings = match findings_run.clone() {
        None => Vec::new(),
        Some(fr) => state.store(move |s| s.run_results(&fr)).await?,
    };
    let mut by_status: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &findings {
        *by_status.entry(f.status.as_str()).or_default() += 1;
    }
    Ok(html! {
        section #run {
        h2 { "Run " (run.id) " " span.small { (run.template) } }
        dl.facts {
            dt { "State" } dd #state { (run.state.as_str()) @if let Some(f) = &run.failure { " — " span.error { (f) } } }
            dt { "Created" } dd { (rampart_model::rfc3339(run.created_at)) }
            dt { "Collecting · evaluating" } dd { (run.collecting_at.map(rampart_model::rfc3339).unwrap_or("—".into())) " · " (run.evaluating_at.map(rampart_model::rfc3339).unwrap_or("—".into())) }
            dt { "Completed" } dd { (run.completed_at.map(rampart_model::rfc3339).unwrap_or("—".into())) }
            dt { "Hosts" } dd { @if run.hosts.is_empty() { "none" } @for h in &run.hosts { code { (h) } " " } }
            dt { "Findings run" } dd { @if let Some(fr) = &findings_run { code { (fr) } } @else { "—" } }
            dt { "Findings" } dd #counts { @if findings.is_empty() { "none" } @for (s, n) in &by_status { (status_badge(s)) " " (n) " " } }
        }
        h3 { "Host findings" }
        @if findings.is_empty() { p { "This run recorded no finding." } }
        @else {
            table.findings.host-findings {
                thead { tr { th { "Severity" } th { "Status" } th { "Finding" } th { "Host" } } }
                tbody {
                    @for f in findings.iter().filter(|f| f.status != Status::Passed).chain(findings.iter().filter(|f| f.status == Status::Passed)) {
                        tr.f data-id=(f.id) data-status=(f.status.as_str()) {
                            td.sev { (severity_badge(f.severity.label())) }
                            td.status { (status_badge(f.status.as_str())) }
                            td.title {
                                a href=(finding_url(&f.id)) { (f.title) }
                                br;
                                span.small { code { (f.check_id) } @if !f.reason.is_empty() { " — " (f.reason) } }
                            }
                            td.res { code { (f.resource.name) } }
                        }
                    }
                }
            }
        }
        }
    })
}
