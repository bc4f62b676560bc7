//! The audit log page (`/audit`, admins): who changed what, when and from where, newest
//! first, with the API's filters (user, route, last N days) and paging.

use super::{layout, url_encode, PageError};
use crate::api::audit::{page, AuditParams};
use crate::guard::Caller;
use crate::routes::{r, Table, ADMIN};
use crate::state::Shared;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::Extension;
use maud::{html, Markup};
use rampart_model::rfc3339;

pub(crate) fn routes() -> Table {
    vec![(r("GET", "/audit", ADMIN), get(audit_page))]
}

/// The query string of this page with other values for `cursor`.
fn link(p: &AuditParams, cursor: Option<&str>) -> String {
    let mut q = Vec::new();
    for (k, v) in [("user", &p.user), ("route", &p.route), ("since", &p.since), ("until", &p.until)] {
        if let Some(v) = v.as_deref().filter(|v| !v.trim().is_empty()) {
            q.push(format!("{k}={}", url_encode(v)));
        }
    }
    if let Some(d) = p.days {
        q.push(format!("days={d}"));
    }
    if let Some(l) = p.limit {
        q.push(format!("limit={l}"));
    }
    if let Some(c) = cursor {
        q.push(format!("cursor={}", url_encode(c)));
    }
    if q.is_empty() {
        "/audit".into()
    } else {
        format!("/audit?{}", q.join("&"))
    }
}

fn outcome(status: u16) -> Markup {
    let class = match status {
        200..=399 => "ok",
        401 | 403 | 429 => "refused",
        _ => "failed",
    };
    html! { span class={ "outcome outcome-" (class) } { (status) } }
}

pub async fn audit_page(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<AuditParams>,
) -> Result<Markup, PageError> {
    let (rows, next) = page(&state, &p).await?;
    let text = |v: &Option<String>| v.as_deref().unwrap_or("").to_string();
    let body = html! {
        h1 { "Audit log" }
        p.count { "Every state-changing request (signing in and out included) and state-changing CLI command: who, what, when and from where. Never a password, token or body." }
        form.filters method="get" action="/audit" {
            label { "User " input type="text" name="user" value=(text(&p.user)) size="16"; }
            label { "Route starts with " input type="text" name="route" value=(text(&p.route)) size="22" placeholder="/api/v1/automation"; }
            label { "Last days " input type="number" name="days" min="0" value=[p.days] size="5"; }
            button type="submit" { "Filter" }
            a href="/audit" { "Clear" }
        }
        @if rows.is_empty() {
            p #empty { "No entry matches." }
        } @else {
            table.audit {
                thead { tr { th { "When (UTC)" } th { "User" } th { "Role" } th { "Action" } th { "Targets" } th { "Outcome" } th { "From" } th { "User agent" } } }
                tbody {
                    @for e in &rows {
                        tr {
                            td.when { (rfc3339(e.at)) }
                            td { @if e.user.is_empty() { em { "anonymous" } } @else { (e.user) } }
                            td { (e.role) }
                            td { code { (e.method) " " (e.route) } }
                            td.targets { @for t in &e.targets { code { (t) } " " } }
                            td { (outcome(e.status)) @if e.repeats > 1 { " ×" (e.repeats) } }
                            td { (e.client) }
                            td.agent { (e.user_agent) }
                        }
                    }
                }
            }
        }
        nav.pages aria-label="Pages" {
            @if p.cursor.as_deref().is_some_and(|c| !c.is_empty()) { a href=(link(&p, None)) { "Newest" } }
            @if let Some(n) = &next { a #older href=(link(&p, Some(n))) rel="next" { "Older" } }
        }
    };
    Ok(layout("Audit log", &caller, "audit", body))
}
