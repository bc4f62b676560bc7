//! Reachability: "can SOURCE reach TARGET on PORT/PROTOCOL?" over the inventory the latest
//! scan kept, answered as `rampart reach` answers (`api::reach::answer`): the path step
//! by step, or each rule that blocks it and the change that would open it. A question is a
//! GET form (it changes nothing, and its address can be shared).

use super::{layout, PageError};
use crate::api::reach::{answer, ReachRequest, NO_INVENTORY};
use crate::guard::Caller;
use crate::routes::{r, Table, VIEWER};
use crate::state::Shared;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::Extension;
use maud::{html, Markup};
use rampart_hub::ResourceFilter;
use serde::Deserialize;
use serde_json::Value;

pub(crate) fn routes() -> Table {
    vec![(r("GET", "/reach", VIEWER), get(page))]
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
        p.small { "Answered over the inventory of run " code { (run_id) } ", as " code { "rampart reach" } " answers." }
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
