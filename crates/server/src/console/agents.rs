//! Agents that report in (`/agents`): each agent's host, version, last seen and health;
//! an agent silent for two of its intervals is flagged. Admins issue a token (shown once,
//! with the command that installs it) and revoke one, through forms carrying the CSRF token.

use super::{layout, status_badge, url_encode, PageError};
use crate::api::agents::{issue_token, revoke_agent, ApiAgent};
use crate::guard::{AuditTargets, Caller};
use crate::routes::{r, Table, ADMIN, VIEWER};
use crate::state::Shared;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form};
use maud::{html, Markup};
use serde::Deserialize;

pub(crate) fn routes() -> Table {
    vec![
        (r("GET", "/agents", VIEWER), get(agents_page)),
        (r("POST", "/agents", ADMIN), post(issue)),
        (r("POST", "/agents/{id}/revoke", ADMIN), post(revoke)),
    ]
}

fn csrf(caller: &Caller) -> &str {
    caller.csrf.as_deref().unwrap_or("")
}

fn state_of(a: &ApiAgent) -> Markup {
    if a.revoked {
        status_badge("REVOKED")
    } else if a.silent {
        html! { span class="st st-failed" title="No upload for two of its intervals" { "SILENT" } }
    } else if a.last_seen.is_none() {
        html! { span class="st st-not_available" { "WAITING" } }
    } else {
        html! { span class="st st-passed" { "REPORTING" } }
    }
}

fn interval(seconds: Option<u64>) -> String {
    match seconds {
        None => "—".into(),
        Some(s) if s % 3600 == 0 => format!("{} h", s / 3600),
        Some(s) if s % 60 == 0 => format!("{} min", s / 60),
        Some(s) => format!("{s} s"),
    }
}

async fn page(state: &Shared, caller: &Caller, issued: Option<(&str, &str)>) -> Result<Markup, PageError> {
    let agents = state.store(|s| s.agents()).await?;
    let now = rampart_app::now();
    let agents: Vec<ApiAgent> = agents.into_iter().map(|a| ApiAgent::of(a, now)).collect();
    let silent = agents.iter().filter(|a| a.silent).count();
    let admin = caller.user.role >= crate::accounts::Role::Admin;
    let body = html! {
        h1 { "Agents" }
        p.count {
            (agents.len()) " agent(s); "
            @if silent > 0 { strong #silent-count { (silent) " silent" } " (no upload for two of their intervals)" } @else { "none silent" }
            ". Each uploads its host's telemetry with " code { "rampart agent --server URL --token-file FILE" } "; the documents are kept 30 days and assessed by the templates that target the host."
        }
        @if let Some((name, token)) = issued {
            section #issued.card.wide {
                h2 { "Token for " (name) }
                p { "Shown this once (the server keeps only its digest). On the host, as root:" }
                pre { code {
                    "install -m 600 /dev/stdin /etc/rampart/agent.token <<< '" (token) "'\n"
                    "systemctl enable --now rampart-agent"
                } }
                p.small { "See docs/agents.md for the unit and its settings (--server, --ca-cert)." }
            }
        }
        @if agents.is_empty() {
            p #empty { "No agent yet." @if admin { " Issue a token below." } }
        } @else {
            div.scroll {
                table.agents {
                    thead { tr {
                        th { "Agent" } th { "State" } th { "Host" } th { "Version" } th { "Last seen (UTC)" } th { "Interval" } th { "Health" } th.num { "Uploads" }
                        @if admin { th { span.sr { "Actions" } } }
                    } }
                    tbody {
                        @for a in &agents {
                            tr id={ "agent-" (a.name) } {
                                td { (a.name) }
                                td { (state_of(a)) }
                                td { @match (&a.hostname, &a.host) {
                                    (Some(h), Some(id)) if h != id => { (h) br; code.small { (id) } }
                                    (_, Some(id)) => { code { (id) } }
                                    _ => { em { "not bound yet" } }
                                } }
                                td { (a.version.as_deref().filter(|v| !v.is_empty()).unwrap_or("—")) }
                                td.when { (a.last_seen.as_deref().unwrap_or("never")) }
                                td { (interval(a.interval_seconds)) }
                                td {
                                    @if a.last_seen.is_none() { "—" }
                                    @else if a.health.is_empty() { span class="st st-passed" { "OK" } }
                                    @else {
                                        details {
                                            summary { span class="st st-warning" { "PARTIAL" } " " (a.health.len()) " not read" }
                                            ul.plain { @for h in &a.health { li.small { (h) } } }
                                        }
                                    }
                                }
                                td.num { (a.uploads) }
                                @if admin {
                                    td.wf { @if !a.revoked {
                                        form method="post" action={ "/agents/" (url_encode(&a.name)) "/revoke" } {
                                            input type="hidden" name="csrf" value=(csrf(caller));
                                            button type="submit" aria-label={ "Revoke " (a.name) } { "Revoke" }
                                        }
                                    } }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if admin {
            h2 { "Issue an agent token" }
            form.filters #issue method="post" action="/agents" {
                input type="hidden" name="csrf" value=(csrf(caller));
                label { "Agent name " input type="text" name="name" required pattern="[A-Za-z0-9._\\-]{1,128}" placeholder="web-1" size="24"; }
                button type="submit" { "Issue token" }
            }
            p.small { "The token only uploads telemetry (it reads nothing) and is bound to the host of its first upload." }
        }
    };
    Ok(layout("Agents", caller, "agents", body))
}

pub async fn agents_page(State(state): State<Shared>, Extension(caller): Extension<Caller>) -> Result<Markup, PageError> {
    page(&state, &caller, None).await
}

#[derive(Deserialize)]
pub struct IssueForm {
    pub name: String,
}

pub async fn issue(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Form(f): Form<IssueForm>,
) -> Result<Response, PageError> {
    let (name, token) = issue_token(&state, &caller, &f.name).await?;
    let mut res = page(&state, &caller, Some((&name, &token))).await?.into_response();
    // The token is in this page only: never cached.
    res.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    res.extensions_mut().insert(AuditTargets(vec![name]));
    Ok(res)
}

pub async fn revoke(State(state): State<Shared>, Path(id): Path<String>) -> Result<Redirect, PageError> {
    revoke_agent(&state, &id).await?;
    Ok(Redirect::to("/agents"))
}
