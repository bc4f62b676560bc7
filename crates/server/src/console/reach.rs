//! Reachability: "can SOURCE reach TARGET on PORT/PROTOCOL?" over the inventory the latest
//! scan kept, answered as `rampart reach` answers (`api::reach::answer`): the path step
//! by step, or each rule that blocks it and the change that would open it. A question is a
//! GET form (it changes nothing, and its address can be shared).

use super::{finding_url, layout, severity_badge, status_badge, url_encode, PageError};
use crate::api::nonempty;
use crate::api::reach::{answer, resource_detail, resource_page, ReachRequest, ResourceParams, NO_INVENTORY};
use crate::guard::Caller;
use crate::routes::{r, Table, VIEWER};
use crate::state::Shared;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::Extension;
use maud::{html, Markup};
use rampart_hub::ResourceFilter;
use serde::Deserialize;
use serde_json::Value;

pub(crate) fn routes() -> Table {
    vec![
        (r("GET", "/reach", VIEWER), get(page)),
        (r("GET", "/resources", VIEWER), get(resources)),
        (r("GET", "/resources/{id}", VIEWER), get(resource)),
    ]
}

/// The form's fields, all optional: without `to` the page shows the empty form.
#[derive(Deserialize, Default)]
pub struct Ask {
    from: Option<String>,
    to: Option<String>,
    port: Option<String>,
    protocol: Option<String>,
}

/// The inventory's instances and network interfaces, for the target list: (id, label).
async fn targets(state: &Shared) -> Result<Option<(String, Vec<(String, String)>, Vec<(String, String)>)>, PageError> {
    let got = state
        .store(|s| {
            let Some(info) = s.latest_inventory()? else { return Ok(None) };
            let list = |kind: &str| -> Result<Vec<(String, String)>, rampart_hub::StoreError> {
                let filter = ResourceFilter { kind: Some(kind.to_string()), ..Default::default() };
                let mut out = Vec::new();
                let mut after = None;
                // Every one: pages of the most the store gives, up to a bound a list can show.
                while out.len() < 5_000 {
                    let page = s.inventory_resources(&info.run_id, &filter, after.as_deref(), rampart_hub::MAX_RESOURCES_PAGE)?;
                    out.extend(page.resources.into_iter().map(|r| {
                        let r = r.resource;
                        let label = if r.name.is_empty() {
                            format!("{} ({})", r.id, r.region)
                        } else {
                            format!("{} — {} ({})", r.id, r.name, r.region)
                        };
                        (r.id, label)
                    }));
                    match page.next {
                        Some(n) => after = Some(n),
                        None => break,
                    }
                }
                out.sort_by(|a, b| a.1.cmp(&b.1));
                Ok(out)
            };
            Ok(Some((info.run_id.clone(), list("AwsEc2Instance")?, list("AwsEc2NetworkInterface")?)))
        })
        .await?;
    Ok(got)
}

fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or_default().to_string()
}

/// One source's answer: the path, the blocking rules, or what was not read.
fn verdict(from: &str, v: &Value) -> Markup {
    let target = text(v, "target");
    match v.get("verdict").and_then(Value::as_str) {
        Some("reachable") => html! {
            section.verdict.reachable data-verdict="reachable" {
                h2 { span.st.st-warning { "REACHABLE" } " " code { (target) } }
                p { "From " strong { (text(v, "sources_text")) } " (asked from " code { (from) } ") over " (text(v, "family").to_uppercase()) " to interface " code { (text(v, "network_interface_id")) } ", through:" }
                ol.steps {
                    @for s in v.get("steps").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default() {
                        li.step {
                            span.kind { (text(s, "componentType")) } " " code { (text(s, "componentId")) }
                            @let rules: Vec<&str> = s.get("rules").and_then(Value::as_array).map(|r| r.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
                            @if !rules.is_empty() { ": " span.rules { (rules.join("; ")) } }
                        }
                    }
                }
            }
        },
        Some("blocked") => html! {
            section.verdict.blocked data-verdict="blocked" {
                h2 { span.st.st-passed { "BLOCKED" } " " code { (target) } }
                p { "From " code { (from) } ". Every rule below stops the flow; changing all of them would open it." }
                table.blockers {
                    thead { tr { th { "Interface" } th { "Blocked by" } th { "Rule" } th { "Fix" } } }
                    tbody {
                        @for b in v.get("blockers").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default() {
                            tr.blocker {
                                td { code { (text(b, "network_interface_id")) } br; span.small { (text(b, "family").to_uppercase()) } }
                                td { (text(b, "component_type")) br; code { (text(b, "component_id")) } }
                                td.rule { (text(b, "rule")) }
                                td.fix { (text(b, "change")) }
                            }
                        }
                    }
                }
            }
        },
        _ => html! {
            section.verdict.unknown data-verdict="unknown" {
                h2 { span.st.st-not_available { "CANNOT TELL" } " " code { (target) } }
                p { "From " code { (from) } ": the inventory lacks what the answer depends on:" }
                ul { @for m in v.get("missing").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default() { li { (m.as_str().unwrap_or_default()) } } }
            }
        },
    }
}

pub async fn page(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<Ask>,
) -> Result<(StatusCode, Markup), PageError> {
    let Some((run_id, instances, interfaces)) = targets(&state).await? else {
        let body = html! { h1 { "Reachability" } p #no-inventory { (NO_INVENTORY) } };
        return Ok((StatusCode::OK, layout("Reachability", &caller, "reach", body)));
    };
    let from = q.from.as_deref().map(str::trim).filter(|s| !s.is_empty()).unwrap_or("internet").to_string();
    let to = q.to.as_deref().map(str::trim).unwrap_or_default().to_string();
    let port_text = q.port.as_deref().map(str::trim).filter(|s| !s.is_empty()).unwrap_or("22").to_string();
    let protocol = q.protocol.as_deref().map(str::trim).filter(|s| !s.is_empty()).unwrap_or("tcp").to_string();
    let mut status = StatusCode::OK;
    let mut error = None;
    let mut result = None;
    if !to.is_empty() {
        match port_text.parse::<u16>() {
            Err(_) => error = Some(format!("port `{}` is not a number from 0 to 65535", rampart_app::shown(&port_text))),
            Ok(port) => {
                let req = ReachRequest { from: from.clone(), to: to.clone(), to_address: None, protocol: protocol.clone(), port };
                match answer(&state, &req).await {
                    Ok(a) => result = Some(a),
                    Err(e) if e.status.is_client_error() => error = Some(e.message),
                    Err(e) => return Err(e.into()),
                }
            }
        }
        if error.is_some() {
            status = StatusCode::BAD_REQUEST;
        }
    }
    let known = instances.iter().chain(&interfaces).any(|(id, _)| *id == to);
    let body = html! {
        h1 { "Reachability" }
        p.small { "Answered over the inventory of run " code { (run_id) } ", as " code { "rampart reach" } " answers. " a href="/resources" { "Browse the inventory" } "." }
        form.filters.reach #reach-form method="get" action="/reach" {
            label { "Can " input #from type="text" name="from" value=(from) size="16" aria-describedby="from-help"; }
            label { "reach " select #to name="to" required {
                option value="" disabled selected[to.is_empty()] { "choose a target" }
                @if !to.is_empty() && !known { option value=(to) selected { (to) } }
                optgroup label="Instances" {
                    @for (id, label) in &instances { option value=(id) selected[*id == to] { (label) } }
                }
                @if !interfaces.is_empty() {
                    optgroup label="Network interfaces" {
                        @for (id, label) in &interfaces { option value=(id) selected[*id == to] { (label) } }
                    }
                }
            } }
            label { "on port " input #port type="number" name="port" min="0" max="65535" value=(port_text) size="6"; }
            label { "/ " select #protocol name="protocol" {
                @for p in ["tcp", "udp", "icmp", "icmpv6"] { option value=(p) selected[p == protocol] { (p) } }
            } " ?" }
            button #ask type="submit" { "Ask" }
            p.small #from-help { "Source: " code { "internet" } ", an IP address, or an instance, network interface or subnet id." }
        }
        @if let Some(e) = &error { p.error #reach-error role="alert" { (e) } }
        @if let Some(a) = &result {
            div #answer data-overall=(a.overall) {
                @for s in &a.answers { (verdict(&s.from, &s.answer)) }
            }
        }
    };
    Ok((status, layout("Reachability", &caller, "reach", body)))
}

/// The address of the resources list with these filters, from `cursor`.
fn resources_link(p: &ResourceParams, cursor: Option<&str>) -> String {
    let mut q: Vec<String> = Vec::new();
    for (k, v) in [("type", &p.kind), ("account", &p.account), ("region", &p.region)] {
        if let Some(v) = nonempty(v) {
            q.push(format!("{k}={}", url_encode(v)));
        }
    }
    if let Some(c) = cursor {
        q.push(format!("cursor={}", url_encode(c)));
    }
    if q.is_empty() {
        "/resources".to_string()
    } else {
        format!("/resources?{}", q.join("&"))
    }
}

/// Every resource of the latest inventory, filtered by type, account and region, in pages.
pub async fn resources(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<ResourceParams>,
) -> Result<Markup, PageError> {
    let p = ResourceParams { limit: Some(100), ..p };
    let Some((page, (types, accounts, regions))) = resource_page(&state, &p).await? else {
        let body = html! { h1 { "Resources" } p #no-inventory { (NO_INVENTORY) } };
        return Ok(layout("Resources", &caller, "reach", body));
    };
    let sel = |v: &Option<String>, want: &str| nonempty(v) == Some(want);
    let body = html! {
        h1 { "Resources" }
        p.small { "Every resource the scan of run " code { (page.run_id.as_deref().unwrap_or("")) } " read (collected " (page.collected_at.as_deref().unwrap_or("")) "), with its failed findings." }
        form.filters method="get" action="/resources" {
            label { "Type " select name="type" {
                option value="" { "any" }
                @for (t, n) in &types { option value=(t) selected[sel(&p.kind, t)] { (t) " (" (n) ")" } }
            } }
            label { "Account " select name="account" {
                option value="" { "any" }
                @for (a, n) in &accounts { option value=(a) selected[sel(&p.account, a)] { (a) " (" (n) ")" } }
            } }
            label { "Region " select name="region" {
                option value="" { "any" }
                @for (r, n) in &regions { option value=(r) selected[sel(&p.region, r)] { (r) " (" (n) ")" } }
            } }
            button #apply type="submit" { "Apply" }
        }
        p.count #count { (page.resources.len()) " shown of " (page.total) }
        table.resources {
            thead { tr { th { "Resource" } th { "Type" } th { "Account" br; "region" } th { "Failed" } } }
            tbody {
                @for r in &page.resources {
                    tr.r data-id=(r.id) {
                        td { a href={ "/resources/" (url_encode(&r.id)) } { code { (r.resource_id) } } @if !r.name.is_empty() && r.name != r.resource_id { br; span.small { (r.name) } } }
                        td.small { (r.kind) }
                        td { (r.account) br; span.small { (r.region) } }
                        td.failed { @if r.failed > 0 { (status_badge("FAILED")) " " (r.failed) } @else { "0" } }
                    }
                }
            }
        }
        nav.pages {
            @if nonempty(&p.cursor).is_some() { a #first href=(resources_link(&p, None)) { "← First page" } }
            @if let Some(t) = &page.next_cursor { a #next href=(resources_link(&p, Some(t))) { "Next →" } }
        }
    };
    Ok(layout("Resources", &caller, "reach", body))
}

/// One resource: its facts, its findings, and the snapshot's JSON of it.
pub async fn resource(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Markup, PageError> {
    let d = resource_detail(&state, id).await?;
    let r = &d.resource;
    let json = serde_json::to_string_pretty(&d.inventory).unwrap_or_default();
    let reachable = r.kind == "AwsEc2Instance" || r.kind == "AwsEc2NetworkInterface";
    let body = html! {
        p.crumbs { a href="/resources" { "Resources" } " › " code { (r.resource_id) } }
        h1 { code #resource-id { (r.resource_id) } @if !r.name.is_empty() && r.name != r.resource_id { " " span.small { (r.name) } } }
        dl.facts {
            dt { "Id" } dd { code { (r.id) } }
            dt { "Type" } dd { (r.kind) }
            dt { "Account · region" } dd { (r.account) " · " (r.region) }
            dt { "Inventory" } dd { "run " code { (d.run_id) } }
            dt { "Failed findings" } dd #failed { (r.failed) }
            @if reachable { dt { "Reachability" } dd { a href={ "/reach?to=" (url_encode(&r.resource_id)) "&port=22" } { "Can the internet reach it on port 22?" } } }
        }
        h2 { "Findings" }
        @if d.findings.is_empty() { p { "No active finding." } }
        @else {
            table.findings {
                thead { tr { th { "Severity" } th { "Status" } th { "Finding" } } }
                tbody {
                    @for f in &d.findings {
                        tr.f data-id=(f.id) {
                            td.sev { (severity_badge(&f.severity)) }
                            td.status { (status_badge(&f.status)) }
                            td.title { a href=(finding_url(&f.id)) { (f.title) } }
                        }
                    }
                }
            }
        }
        h2 { "As the inventory holds it" }
        pre.json { code { (json) } }
    };
    Ok(layout(&r.resource_id, &caller, "reach", body))
}
