//! Investigations and finding groups in the console (issue 13, item 5): the finding groups
//! (`/investigate/groups`), one group with its graph — findings and the entities they name,
//! drawn by the vendored Cytoscape.js (`static/graph.js`) and listed as tables — and its
//! timeline (`/investigate/groups/{group}`), and the investigation of an IAM user or role
//! over a scope window (`/investigate/principals/{entity}`): every indicator of compromise
//! with its status and evidence.
//!
//! The values are `rampart_app::investigate::{groups, group, run}`'s, the same the CLI
//! prints as JSON (`rampart investigate group|run --format json`); this page lays them out.
//! The console runs them with the default settings (no GeoIP database or flagged list of
//! its own): locations stored by an ingest given `--geoip-city`/`--geoip-asn` are used.

use super::dashboard::json_script;
use super::investigate::{entity_url, entity_url_in, kind_label, parse_scope, ScopeParams};
use super::{finding_url, layout, severity_badge, url_encode, PageError};
use crate::error::ApiError;
use crate::guard::Caller;
use crate::routes::{r, Table, VIEWER};
use crate::state::Shared;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Extension;
use maud::{html, Markup};
use rampart_app::investigate::{FindingGroup, IndicatorStatus, Investigation, Settings};
use rampart_graph::investigation::Evidence;
use serde_json::json;

/// Cytoscape.js's minified build, unchanged from its npm package (see `static/vendor/README.md`).
pub(crate) const CYTOSCAPE_JS: &[u8] = include_bytes!("../../static/vendor/cytoscape.min.js");
/// Draws the group graphs.
pub(crate) const GRAPH_JS: &str = include_str!("../../static/graph.js");

pub(crate) fn routes() -> Table {
    vec![
        (r("GET", "/investigate/groups", VIEWER), get(groups)),
        (r("GET", "/investigate/groups/{group}", VIEWER), get(group)),
        (r("GET", "/investigate/principals/{entity}", VIEWER), get(investigation)),
        (r("GET", "/static/graph.js", VIEWER), get(graph_js)),
        (r("GET", "/static/vendor/cytoscape.min.js", VIEWER), get(cytoscape_js)),
    ]
}

async fn graph_js() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "max-age=300")], GRAPH_JS)
}

async fn cytoscape_js() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "max-age=86400")], CYTOSCAPE_JS)
}

pub(crate) fn group_url(id: &str) -> String {
    format!("/investigate/groups/{}", url_encode(id))
}

/// The investigation of an IAM user or role (its default scope).
pub(crate) fn investigation_url(principal: &str) -> String {
    format!("/investigate/principals/{}", url_encode(principal))
}

/// The investigation of `principal` over `[from, to)` (Unix seconds).
pub(crate) fn investigation_url_in(principal: &str, from: i64, to: i64) -> String {
    format!(
        "{}?from={}&to={}",
        investigation_url(principal),
        url_encode(&rampart_graph::text_time(from)),
        url_encode(&rampart_graph::text_time(to))
    )
}

/// Whether an entity can be investigated: an IAM user's or role's ARN.
pub(crate) fn investigable(kind: rampart_graph::EntityKind) -> bool {
    matches!(kind, rampart_graph::EntityKind::IamUser | rampart_graph::EntityKind::IamRole)
}

/// `/investigate/groups`: every finding group, most severe first.
async fn groups(State(state): State<Shared>, Extension(caller): Extension<Caller>) -> Result<Markup, PageError> {
    let list = state.store(|s| Ok(rampart_app::investigate::groups(s, &Settings::default()))).await?;
    let list = list.map_err(|e| ApiError::internal(format!("{e:#}")))?;
    let body = html! {
        p.crumbs { a href="/investigate" { "Investigate" } " › finding groups" }
        h1 { "Finding groups" }
        p.small {
            "Findings that name a common entity — a principal, an access key, an address, an instance, a bucket — within "
            (list.window_hours) " hours of each other, gathered into one group so an incident reads as one story. "
            (list.findings_read) " open failed findings read"
            @if list.truncated { " (the most severe " (rampart_app::investigate::MAX_FINDINGS) "; the others were left out)" }
            "."
        }
        @if list.groups.is_empty() {
            p #no-group { "No finding group: no two open findings share an entity within the window." }
        } @else {
            table.groups-list #groups {
                thead { tr { th scope="col" { "Severity" } th scope="col" { "Group" } th.num scope="col" { "Findings" } th scope="col" { "Shared entities" } th scope="col" { "Tactics" } th scope="col" { "First · last observed" } } }
                tbody {
                    @for g in &list.groups {
                        tr.group data-id=(g.id) {
                            td { (severity_badge(g.severity.label())) }
                            td { a href=(group_url(&g.id)) { (g.title) } br; code.small { (g.id) } }
                            td.num { (g.findings) }
                            td { @for e in &g.shared_entities { a href=(entity_url(e)) { code { (e) } } br; } }
                            td.small { (g.tactics.join(", ")) }
                            td.when { (g.first_observed) br; (g.last_observed) }
                        }
                    }
                }
            }
        }
    };
    Ok(layout("Finding groups", &caller, "investigate", body))
}

/// A group's graph as `graph.js` reads it: a node per finding (coloured by severity) and
/// per entity, an edge where a finding names an entity.
fn graph_spec(g: &FindingGroup) -> serde_json::Value {
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    for f in &g.findings {
        let node = format!("f:{}", f.id);
        nodes.push(json!({ "id": node, "label": f.title, "kind": "finding", "severity": f.severity.label(), "link": finding_url(&f.id) }));
        for e in &f.entities {
            edges.push(json!({ "source": node, "target": format!("e:{e}") }));
        }
    }
    for e in &g.entities {
        nodes.push(json!({ "id": format!("e:{}", e.id), "label": e.id, "kind": "entity", "link": entity_url(&e.id) }));
    }
    json!({ "nodes": nodes, "edges": edges })
}

/// `/investigate/groups/{group}`: the group's graph, findings, entities and timeline.
async fn group(State(state): State<Shared>, Extension(caller): Extension<Caller>, Path(id): Path<String>) -> Result<Markup, PageError> {
    let wanted = id.clone();
    let got = state.store(move |s| Ok(rampart_app::investigate::group(s, &wanted, &Settings::default()))).await?;
    let g = got.map_err(|e| ApiError::not_found(format!("{e:#}")))?;
    let shared = g.entities.iter().filter(|e| e.findings.len() > 1).count();
    let body = html! {
        p.crumbs { a href="/investigate" { "Investigate" } " › " a href="/investigate/groups" { "finding groups" } " › " code { (g.id) } }
        h1 { (severity_badge(g.severity.label())) " " span #group-title { (g.title) } }
        dl.facts {
            dt { "Findings" } dd #group-findings { (g.findings.len()) }
            dt { "Entities" } dd { (g.entities.len()) " (" (shared) " shared by two findings or more)" }
            dt { "First · last observed" } dd { (g.first_observed) " · " (g.last_observed) }
            @if !g.tactics.is_empty() { dt { "ATT&CK tactics" } dd { (g.tactics.join(", ")) } }
        }
        h2 #graph { "Graph" }
        p.small { "Findings (rectangles, by severity) and the entities they name (circles). Click one to open it; drag to move, scroll to zoom. The same links are in the tables below." }
        // Cytoscape.js adds its container rule as a <style> element unless an element with
        // this id exists: the CSP forbids inline styles, and console.css has the rule.
        span #__________cytoscape_stylesheet hidden {}
        div.graph #group-graph data-source="group-graph-data" aria-hidden="true" {}
        (json_script("group-graph-data", &graph_spec(&g)))
        h2 #timeline { "Timeline" }
        table.timeline #timeline-table {
            thead { tr { th scope="col" { "When (UTC)" } th scope="col" { "" } th scope="col" { "Severity" } th scope="col" { "Finding" } } }
            tbody {
                @for t in &g.timeline {
                    tr {
                        td.when { (t.at) }
                        td.small { @if t.what == "first_observed" { "first observed" } @else { "last observed" } }
                        td { (severity_badge(t.severity.label())) }
                        td { a href=(finding_url(&t.finding)) { (t.title) } }
                    }
                }
            }
        }
        h2 #group-findings-list { "Findings" }
        div.scroll { table.findings #findings-table {
            thead { tr { th scope="col" { "Severity" } th scope="col" { "Finding" } th scope="col" { "Resource" } th scope="col" { "Technique" } th scope="col" { "First · last observed" } } }
            tbody {
                @for f in &g.findings {
                    tr.f {
                        td { (severity_badge(f.severity.label())) }
                        td.title { a href=(finding_url(&f.id)) { (f.title) } }
                        td { a href=(entity_url(&f.resource)) { code { (f.resource) } } br; span.small { (kind_label(f.resource_kind)) } }
                        td.small { (f.ttps.join(", ")) }
                        td.when { (f.first_observed) br; (f.last_observed) }
                    }
                }
            }
        } }
        h2 #group-entities { "Entities" }
        div.scroll { table.entities #entities-table {
            thead { tr { th scope="col" { "Entity" } th scope="col" { "Kind" } th.num scope="col" { "Findings naming it" } th scope="col" { "" } } }
            tbody {
                @for e in &g.entities {
                    tr.e {
                        td { a href=(entity_url(&e.id)) { code { (e.id) } } }
                        td { (kind_label(e.kind)) }
                        td.num { (e.findings.len()) }
                        td { @if investigable(e.kind) { a href=(investigation_url(&e.id)) { "Investigate" } } }
                    }
                }
            }
        } }
        p.small { "The same group as JSON: " code { "rampart investigate group '" (g.id) "' --format json" } }
        script src="/static/vendor/cytoscape.min.js" {}
        script src="/static/graph.js" {}
    };
    Ok(layout(&g.title, &caller, "investigate", body))
}

fn status_badge(s: IndicatorStatus) -> Markup {
    let (class, text) = match s {
        IndicatorStatus::Observed => ("observed", "observed"),
        IndicatorStatus::NotObserved => ("not-observed", "not observed"),
        IndicatorStatus::NotAvailable => ("not-available", "not available"),
    };
    html! { span class={ "ioc ioc-" (class) } { (text) } }
}

/// Where an address is, in words.
fn place(g: &rampart_graph::geo::Geo) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(c) = &g.city {
        parts.push(c.clone());
    }
    if let Some(c) = g.country_name.as_ref().or(g.country.as_ref()) {
        parts.push(c.clone());
    }
    if let Some(a) = g.asn {
        parts.push(format!("AS{a}{}", g.as_org.as_ref().map(|o| format!(" {o}")).unwrap_or_default()));
    }
    parts.join(", ")
}

fn evidence(e: &Evidence, scope: (i64, i64)) -> Markup {
    let ip = |a: &str| html! { a href=(entity_url_in(a, scope.0, scope.1)) { code { (a) } } };
    html! {
        @match e {
            Evidence::None => {},
            Evidence::Findings { findings } => {
                table.evidence { thead { tr { th { "Severity" } th { "Finding" } th { "Technique" } th { "First · last observed" } } } tbody {
                    @for f in findings { tr {
                        td { (severity_badge(f.severity.label())) }
                        td { a href=(finding_url(&f.id)) { (f.title) } }
                        td.small { (f.ttps.join(", ")) }
                        td.when { (f.first_observed) br; (f.last_observed) }
                    } }
                } }
            },
            Evidence::Trips { trips } => {
                table.evidence { thead { tr { th { "From" } th { "To" } th.num { "Distance (km)" } th.num { "Hours" } th.num { "Speed (km/h)" } } } tbody {
                    @for t in trips { tr {
                        td { (ip(&t.from.ip)) " " span.small { (place(&t.from.geo)) } br; span.small { (t.from.at) } }
                        td { (ip(&t.to.ip)) " " span.small { (place(&t.to.geo)) } br; span.small { (t.to.at) } }
                        td.num { (format!("{:.0}", t.distance_km)) }
                        td.num { (format!("{:.2}", t.hours)) }
                        td.num { @if let Some(v) = t.speed_kmh { (format!("{v:.0}")) } @else { "same second" } }
                    } }
                } }
            },
            Evidence::Addresses { addresses } => {
                table.evidence { thead { tr { th { "Address" } th { "List" } th.num { "Calls" } th { "First · last seen" } } } tbody {
                    @for a in addresses { tr {
                        td { (ip(&a.ip)) } td { (a.list) " " code.small { (a.entry) } } td.num { (a.calls) } td.when { (a.first_seen) br; (a.last_seen) }
                    } }
                } }
            },
            Evidence::NewValues { values } => {
                table.evidence { thead { tr { th { "Value" } th.num { "Calls" } th { "Addresses" } th { "First · last seen" } } } tbody {
                    @for v in values { tr {
                        td { code { (v.value) } @if !v.name.is_empty() { " " span.small { (v.name) } } }
                        td.num { (v.calls) }
                        td { @for a in &v.ips { (ip(a)) " " } }
                        td.when { (v.first_seen) br; (v.last_seen) }
                    } }
                } }
            },
            Evidence::Groups { groups } => {
                table.evidence { thead { tr { th { "Severity" } th { "Group" } th.num { "Findings" } th { "First · last observed" } } } tbody {
                    @for g in groups { tr {
                        td { (severity_badge(g.severity.label())) } td { a href=(group_url(&g.id)) { (g.title) } } td.num { (g.findings) }
                        td.when { (g.first_observed) br; (g.last_observed) }
                    } }
                } }
            },
        }
    }
}

/// `/investigate/principals/{entity}`: the investigation of an IAM user or role.
async fn investigation(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    Query(q): Query<ScopeParams>,
) -> Result<Markup, PageError> {
    let scope = parse_scope(&q)?;
    let wanted = id.clone();
    let got = state
        .store(move |s| {
            let Some(seen) = s.graph_entity(wanted.trim())? else { return Ok(None) };
            let (from, to) = scope.window(&seen);
            Ok(Some(rampart_app::investigate::run(s, &wanted, from, to, scope.baseline_days, &Settings::default())))
        })
        .await?;
    let inv = match got {
        None => {
            return Err(ApiError::not_found(format!(
                "no entity `{}` in the investigation graph: search for it on /investigate, or ingest its CloudTrail logs first",
                rampart_app::shown(&id)
            ))
            .into())
        }
        Some(r) => r.map_err(|e| ApiError::bad_request(format!("{e:#}")))?,
    };
    let body = report_body(&inv, scope.span, scope.baseline_days);
    Ok(layout(&format!("Investigation of {}", inv.principal), &caller, "investigate", body))
}

fn report_body(inv: &Investigation, span: Option<i64>, baseline_days: i64) -> Markup {
    let unix = |t: &str| time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).map(|t| t.unix_timestamp()).unwrap_or(0);
    let (from, to) = (unix(&inv.scope_from), unix(&inv.scope_to));
    let here = investigation_url(&inv.principal);
    html! {
        p.crumbs { a href="/investigate" { "Investigate" } " › investigation of " (kind_label(inv.kind)) }
        h1 { "Investigation " (severity_badge(inv.severity.label())) }
        p { code #principal { (inv.principal) } }
        dl.facts {
            dt { "Kind" } dd { (kind_label(inv.kind)) " · " a #principal-profile href=(entity_url_in(&inv.principal, from, to)) { "its profile over this scope" } }
            dt { "Scope" } dd #scope { (inv.scope_from) " – " (inv.scope_to) }
            dt { "Baseline" } dd { (inv.baseline_from) " – " (inv.scope_from) @if !inv.baseline_has_data { " " span.small { "(no activity in the baseline: nothing is called new)" } } }
            dt { "Read" } dd { (inv.api_calls) " API calls from " (inv.ips.len()) " addresses, " (inv.sessions.len()) " role sessions, " (inv.access_keys.len()) " access keys" }
            dt { "Locations" } dd { @if inv.geoip.is_empty() { span.small { "no GeoIP database: give one to the ingest (" code { "--geoip-city" } ", " code { "--geoip-asn" } ")" } } @else { (inv.geoip.join(", ")) } }
        }
        (super::investigate::scope_form("inv-scope", &here, from, to, span, baseline_days))
        h2 #indicators { "Indicators of compromise" }
        table.indicators #indicators-table {
            thead { tr { th scope="col" { "Indicator" } th scope="col" { "Status" } th scope="col" { "Severity" } th scope="col" { "What was seen" } } }
            tbody {
                @for i in &inv.indicators {
                    tr.indicator data-kind=(i.kind.name()) data-status=(match i.status { IndicatorStatus::Observed => "observed", IndicatorStatus::NotObserved => "not_observed", IndicatorStatus::NotAvailable => "not_available" }) {
                        td { a href={ "#ioc-" (i.kind.name()) } { (i.title) } }
                        td { (status_badge(i.status)) }
                        td { @if let Some(s) = i.severity { (severity_badge(s.label())) } }
                        td { (i.summary) }
                    }
                }
            }
        }
        @for i in inv.indicators.iter().filter(|i| i.status == IndicatorStatus::Observed) {
            h3 id={ "ioc-" (i.kind.name()) } { (i.title) " " (status_badge(i.status)) }
            p.small { (i.summary) @if i.count > 0 { " (" (i.count) " in all)" } }
            div.scroll { (evidence(&i.evidence, (from, to))) }
        }
        @if !inv.sessions.is_empty() || !inv.access_keys.is_empty() {
            h2 { "Sessions and keys read" }
            ul.plain {
                @for s in &inv.sessions { li { a href=(entity_url_in(s, from, to)) { code { (s) } } " " span.small { "role session" } } }
                @for k in &inv.access_keys { li { a href=(entity_url_in(k, from, to)) { code { (k) } } " " span.small { "access key" } } }
            }
        }
        p.small { "The same investigation as JSON: " code { "rampart investigate run '" (inv.principal) "' --from " (inv.scope_from) " --to " (inv.scope_to) " --baseline-days " (baseline_days) " --format json" } }
    }
}
