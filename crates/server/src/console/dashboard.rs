//! The summary dashboard (`/`): each standard's security score and its history over the
//! recorded runs, the active failed findings by severity, account and region, the top
//! failing security controls and resources, the latest runs. Every count links to the
//! findings list that shows exactly those findings (the same list parameters build the
//! count's filters and the link).
//!
//! Charts are drawn in the browser by the vendored Chart.js (`static/vendor/`, served from
//! the binary) through `static/console.js`; their numbers travel as JSON in a
//! `<script type="application/json">` element and are always shown as a table too.

use super::{group_link, layout, severity_badge, url_encode, PageError};
use crate::api::{self, FindingParams};
use crate::guard::Caller;
use crate::routes::{r, Table, VIEWER};
use crate::state::Shared;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Extension;
use maud::{html, Markup, PreEscaped};
use rampart_app::insights::StandardScore;
use rampart_hub::InsightResult;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

/// Chart.js's UMD build, unchanged from its npm package (see `static/vendor/README.md`).
pub(crate) const CHART_JS: &[u8] = include_bytes!("../../static/vendor/chart.umd.min.js");
/// The console's one script: draws the charts.
pub(crate) const CONSOLE_JS: &str = include_str!("../../static/console.js");

pub(crate) fn routes() -> Table {
    vec![
        (r("GET", "/", VIEWER), get(dashboard)),
        (r("GET", "/static/console.js", VIEWER), get(console_js)),
        (r("GET", "/static/vendor/chart.umd.min.js", VIEWER), get(chart_js)),
    ]
}

async fn console_js() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "max-age=300")], CONSOLE_JS)
}

async fn chart_js() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "max-age=86400")], CHART_JS)
}

/// JSON in a `<script type="application/json">` element: `<`, `>` and `&` are written as
/// JSON escapes, so no value (a finding's title, an account name) can end the element.
pub(crate) fn json_script(id: &str, value: &Value) -> Markup {
    let text = value.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026");
    html! { script type="application/json" id=(id) { (PreEscaped(text)) } }
}

/// A chart: a canvas that `console.js` draws from the JSON `spec` (see its header), sized
/// for `rows` bars. The numbers must also be on the page as a table: the canvas is hidden
/// from screen readers.
pub(crate) fn chart(id: &str, title: &str, spec: Value, rows: usize) -> Markup {
    let horizontal = spec["horizontal"] == json!(true);
    let size = match (horizontal, rows) {
        (false, _) => "h-m",
        (true, 0..=4) => "h-s",
        (true, 5..=10) => "h-m",
        (true, 11..=20) => "h-l",
        _ => "h-xl",
    };
    let data = format!("{id}-data");
    html! {
        div class={ "chart-wrap " (size) } {
            canvas.chart id=(id) data-source=(data) aria-hidden="true" title=(title) {}
        }
        (json_script(&data, &spec))
    }
}

/// The scripts that draw the page's charts (once per page, at its end).
pub(crate) fn chart_scripts() -> Markup {
    html! {
        script src="/static/vendor/chart.umd.min.js" {}
        script src="/static/console.js" {}
    }
}

/// The colour of a severity label's bar (the badges' colours).
fn severity_colour(label: &str) -> &'static str {
    match label {
        "CRITICAL" => "#7f1d1d",
        "HIGH" => "#b91c1c",
        "MEDIUM" => "#c2410c",
        "LOW" => "#a16207",
        _ => "#475569",
    }
}

/// A bar chart of (label, count), each bar linking to `links[i]` (empty: no link);
/// horizontal unless the labels are severities.
pub(crate) fn bar_spec<'a>(bars: impl Iterator<Item = (&'a str, u64)>, links: &[String], series: &str, severities: bool) -> Value {
    let (labels, data): (Vec<&str>, Vec<u64>) = bars.unzip();
    let mut dataset = json!({ "label": series, "data": data });
    if severities {
        dataset["colors"] = json!(labels.iter().map(|l| severity_colour(l)).collect::<Vec<_>>());
    }
    json!({ "type": "bar", "labels": labels, "datasets": [dataset], "links": links, "horizontal": !severities })
}

/// Each run's scores, kept for the process's life: a run's results never change once
/// recorded, and scoring a large run reads every result. Keyed by (store, run).
fn cached_scores(store: &rampart_hub::Store, run: &rampart_model::RunInfo) -> anyhow::Result<Vec<StandardScore>> {
    static CACHE: OnceLock<Mutex<HashMap<(PathBuf, String), Vec<StandardScore>>>> = OnceLock::new();
    let key = (store.path().to_path_buf(), run.id.clone());
    let cache = CACHE.get_or_init(Default::default);
    if let Some(hit) = cache.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
        return Ok(hit.clone());
    }
    let scores = rampart_app::insights::run_scores(store, &run.id)?;
    let mut map = cache.lock().unwrap_or_else(|p| p.into_inner());
    if map.len() > 10_000 {
        map.clear();
    }
    map.insert(key, scores.clone());
    Ok(scores)
}

/// How many runs the score history shows.
const HISTORY_RUNS: usize = 30;
/// How many controls and resources the top lists show.
const TOP: usize = 10;

struct Summary {
    history: Vec<(rampart_model::RunInfo, Vec<StandardScore>)>,
    failed: u64,
    severity: Vec<InsightResult>,
    account: Vec<InsightResult>,
    region: Vec<InsightResult>,
    controls: Vec<InsightResult>,
    resources: Vec<InsightResult>,
}

/// The list parameters of the dashboard's counts: active, failed findings.
fn failed_params() -> FindingParams {
    FindingParams { status: Some("FAILED".into()), ..FindingParams::default() }
}

async fn summary(state: &Shared) -> Result<Summary, PageError> {
    let filters = failed_params().query()?.filters;
    let got = state
        .store(move |s| {
            let group = |by: &str| rampart_app::insights::group_counts(s, &filters, by);
            let now = time::OffsetDateTime::now_utc();
            let failed = s.count_matching(&filters, now)?;
            Ok((|| -> anyhow::Result<Summary> {
                let mut controls = group("ComplianceSecurityControlId")?;
                controls.truncate(TOP);
                let mut resources = group("ResourceId")?;
                resources.truncate(TOP);
                Ok(Summary {
                    history: rampart_app::insights::score_history(s, HISTORY_RUNS, cached_scores)?,
                    failed,
                    severity: group("SeverityLabel")?,
                    account: group("AwsAccountId")?,
                    region: group("ResourceRegion")?,
                    controls,
                    resources,
                })
            })())
        })
        .await?;
    got.map_err(|e| PageError::from(crate::error::ApiError::internal(format!("{e:#}"))))
}

fn score_text(s: &rampart_compliance::Score) -> String {
    match s.percent {
        Some(p) => format!("{}%", p.round()),
        None => "—".to_string(),
    }
}

/// A standard's name in a table heading (the full title is the `abbr`'s).
fn short_name(id: &str) -> &str {
    match id {
        "cis-aws-3.0" => "CIS 3.0",
        "fsbp" => "FSBP",
        "trusted-advisor" => "Trusted Advisor",
        other => other,
    }
}

/// A run's start as a short label: `2026-12-07 15:34`.
fn when(t: rampart_model::Timestamp) -> String {
    let s = rampart_model::rfc3339(t);
    s.get(..16).map(|d| d.replace('T', " ")).unwrap_or(s)
}

/// One count section: a chart and the same numbers as a table, each linking to its findings.
fn counts(id: &str, title: &str, what: &str, param: &str, groups: &[InsightResult]) -> Markup {
    let p = failed_params();
    let links: Vec<String> =
        groups.iter().map(|g| if g.value.is_empty() { String::new() } else { group_link(&p, param, &g.value) }).collect();
    let severities = param == "severity_label";
    html! {
        section.card #(id) {
            h2 { (title) }
            @if groups.is_empty() { p.small { "No active failed finding." } }
            @else {
                (chart(&format!("{id}-chart"), title, bar_spec(groups.iter().map(|g| (g.value.as_str(), g.count)), &links, "Failed findings", severities), groups.len()))
                table.counts {
                    thead { tr { th scope="col" { (what) } th scope="col" class="num" { "Failed" } } }
                    tbody {
                        @for (g, link) in groups.iter().zip(&links) {
                            tr data-value=(g.value) {
                                td { @if link.is_empty() { "(empty)" } @else {
                                    a href=(link) { @if severities { (severity_badge(&g.value)) } @else { (g.value) } }
                                } }
                                td.num { @if link.is_empty() { (g.count) } @else { a.n href=(link) { (g.count) } } }
                            }
                        }
                    }
                }
            }
        }
    }
}

async fn dashboard(State(state): State<Shared>, Extension(caller): Extension<Caller>) -> Result<Markup, PageError> {
    let sum = summary(&state).await?;
    let runs = api::run_list(&state).await?;
    let latest = sum.history.last();
    let p = failed_params();
    let history_spec = json!({
        "type": "line",
        "labels": sum.history.iter().map(|(r, _)| when(r.started_at)).collect::<Vec<_>>(),
        "datasets": rampart_compliance::STANDARDS.iter().map(|st| json!({
            "label": st.title,
            "data": sum.history.iter().map(|(_, scores)| {
                scores.iter().find(|s| s.standard == st.id).and_then(|s| s.score.percent).map(|p| (p * 10.0).round() / 10.0)
            }).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "max": 100,
    });
    let fsbp = &rampart_compliance::FSBP;
    let control_title = |id: &str| fsbp.controls.iter().find(|c| c.id == id).map(|c| c.title).unwrap_or("");
    let body = html! {
        h1 { "Dashboard" }
        @match latest {
            None => p { "No run recorded yet: run " code { "rampart scan aws" } " or " code { "rampart demo" } ", then reload." },
            Some((run, _)) => p.small { "Scores of the latest run " code { (run.id) } " (" (when(run.started_at)) " UTC); counts of the active failed findings now: "
                a #failed-total href=(super::list_link(&p, None)) { (sum.failed) } "." },
        }
        // What was not read is never shown as clean: say so above every count.
        @if let Some((run, _)) = latest {
            @if !run.incomplete.is_empty() {
                div.notice #incomplete role="status" {
                    strong { "The latest run is incomplete: " }
                    (run.incomplete.len()) " part(s) of the estate were not read, so the counts and scores below may miss findings there."
                    ul.plain { @for what in run.incomplete.iter().take(5) { li { (what) } } }
                    @if run.incomplete.len() > 5 { p.small { "and " (run.incomplete.len() - 5) " more: see " a href="/runs" { "Runs" } "." } }
                }
            }
        }
        section.card.wide #scores {
            h2 { "Security score per standard" }
            div.standards {
                @for st in rampart_compliance::STANDARDS {
                    @let score = latest.and_then(|(_, s)| s.iter().find(|x| x.standard == st.id)).map(|s| s.score).unwrap_or_default();
                    @let at = format!("/compliance/{}", url_encode(st.id));
                    div.standard data-standard=(st.id) {
                        h3 { a href=(at) { (st.title) } }
                        p.score { a href=(at) { (score_text(&score)) } }
                        meter min="0" max="100" value=(score.percent.unwrap_or(0.0)) aria-label={ (st.title) " score" } {}
                        p.small {
                            a href={ (at) "?status=PASSED" } { (score.passed) } " passed · "
                            a href={ (at) "?status=FAILED" } { (score.failed) } " failed · "
                            a href={ (at) "?status=WARNING" } { (score.warning) } " warning · "
                            a href={ (at) "?status=NOT_AVAILABLE" } { (score.not_available) } " not available controls"
                        }
                    }
                }
            }
            h3 #history-title { "Score history (latest " (sum.history.len()) " runs)" }
            @if sum.history.len() > 1 {
                (chart("history-chart", "Security score per run", history_spec, sum.history.len()))
            } @else if !sum.history.is_empty() {
                p.small { "One run recorded: the history draws from the second." }
            }
            @if !sum.history.is_empty() {
                div.scroll {
                    table.history #history {
                        thead { tr { th scope="col" { "Run" } @for st in rampart_compliance::STANDARDS { th scope="col" class="num" { abbr title=(st.title) { (short_name(st.id)) } } } } }
                        tbody {
                            @for (run, scores) in sum.history.iter().rev() {
                                tr data-run=(run.id) {
                                    td.when { (when(run.started_at)) br; code.small { (run.id) } }
                                    @for st in rampart_compliance::STANDARDS {
                                        td.num data-standard=(st.id) { (scores.iter().find(|s| s.standard == st.id).map(|s| score_text(&s.score)).unwrap_or_else(|| "—".into())) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        div.cards {
            (counts("by-severity", "Failed findings by severity", "Severity", "severity_label", &sum.severity))
            (counts("by-account", "Failed findings by account", "Account", "account", &sum.account))
            (counts("by-region", "Failed findings by region", "Region", "region", &sum.region))
            section.card #top-controls {
                h2 { "Top failing security controls" }
                @if sum.controls.is_empty() { p.small { "No active failed finding of a security control." } }
                @else {
                    table.counts {
                        thead { tr { th scope="col" { "Control" } th scope="col" class="num" { "Failed" } } }
                        tbody {
                            @for g in &sum.controls {
                                @let link = group_link(&p, "control", &g.value);
                                tr data-value=(g.value) {
                                    td { a href=(link) { code { (g.value) } } " " span.small { (control_title(&g.value)) } }
                                    td.num { a.n href=(link) { (g.count) } }
                                }
                            }
                        }
                    }
                }
            }
            section.card #top-resources {
                h2 { "Top resources by failed findings" }
                @if sum.resources.is_empty() { p.small { "No active failed finding." } }
                @else {
                    table.counts {
                        thead { tr { th scope="col" { "Resource" } th scope="col" class="num" { "Failed" } } }
                        tbody {
                            @for g in &sum.resources {
                                @let link = group_link(&p, "resource", &g.value);
                                tr data-value=(g.value) {
                                    td.res { a href=(link) { code { (g.value) } } }
                                    td.num { a.n href=(link) { (g.count) } }
                                }
                            }
                        }
                    }
                }
            }
            section.card #latest-runs {
                h2 { "Latest runs" }
                @if runs.is_empty() { p.small { "No run recorded yet." } }
                @else {
                    table.counts {
                        thead { tr { th scope="col" { "Run" } th scope="col" { "Source" } th scope="col" class="num" { "Failed results" } } }
                        tbody {
                            @for run in runs.iter().take(5) {
                                tr {
                                    td { a href="/runs" { (run.started_at.get(..16).unwrap_or(&run.started_at).replace('T', " ")) } br; code.small { (run.id) } }
                                    td { (run.source) }
                                    td.num { (run.results.get("FAILED").copied().unwrap_or(0)) }
                                }
                            }
                        }
                    }
                }
            }
        }
        (chart_scripts())
    };
    Ok(layout("Dashboard", &caller, "dashboard", body))
}
