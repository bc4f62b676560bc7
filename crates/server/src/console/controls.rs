//! One control of a standard: its requirement as AWS (or CIS) words it, its status in the
//! latest run, the checks that evaluate it, and every resource that fails it, in pages.

use super::{finding_url, layout, severity_badge, status_badge, url_encode, PageError};
use crate::api;
use crate::error::ApiError;
use crate::guard::Caller;
use crate::routes::{r, Table, VIEWER};
use crate::state::Shared;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::Extension;
use maud::{html, Markup};
use serde::Deserialize;

/// Failing resources per page.
const PAGE: usize = 25;

pub(crate) fn routes() -> Table {
    vec![(r("GET", "/compliance/{standard}/{control}", VIEWER), get(page))]
}

#[derive(Deserialize, Default)]
pub struct PageParam {
    page: Option<String>,
}

pub async fn page(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path((standard, control)): Path<(String, String)>,
    Query(q): Query<PageParam>,
) -> Result<Markup, PageError> {
    let (run, reports) = api::compliance_reports(&state).await?;
    let r = reports.iter().find(|r| r.standard == standard).ok_or_else(|| {
        ApiError::not_found(format!("unknown standard `{}`: use cis-aws-3.0, fsbp or trusted-advisor", rampart_app::shown(&standard)))
    })?;
    let c = r.controls.iter().find(|c| c.id == control).ok_or_else(|| {
        ApiError::not_found(format!("{} has no control `{}`: see the standard's list of controls", r.title, rampart_app::shown(&control)))
    })?;
    let total = c.failing_resources.len();
    let pages = total.div_ceil(PAGE).max(1);
    let page: usize = match q.page.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        None => 1,
        Some(p) => p.parse().ok().filter(|n| (1..=pages).contains(n)).ok_or_else(|| {
            ApiError::bad_request(format!("page `{}` does not exist: this control has {pages} page(s)", rampart_app::shown(p)))
        })?,
    };
    let shown = &c.failing_resources[((page - 1) * PAGE).min(total)..(page * PAGE).min(total)];
    // The checks of this build that evaluate the control.
    let model = rampart_compliance::STANDARDS.iter().find(|s| s.id == r.standard).map(|s| s.model);
    let checks: Vec<_> = rampart_checks::REGISTRY
        .iter()
        .filter(|k| k.meta.standards.iter().any(|s| Some(s.standard) == model && s.control == c.id))
        .collect();
    let here = format!("/compliance/{}/{}", url_encode(r.standard), url_encode(c.id));
    let body = html! {
        p.crumbs { a href="/compliance" { "Compliance" } " › " a href={ "/compliance/" (url_encode(r.standard)) } { (r.title) } " › " (c.id) }
        h1 { code { (c.id) } " " span #requirement { (c.title) } }
        dl.facts {
            dt { "Requirement" } dd { (c.title) " (" (r.title) ", " (format!("{:?}", c.kind).to_lowercase()) ")" }
            dt { "Severity" } dd { (severity_badge(c.severity.label())) }
            dt { "Status" } dd #status { (status_badge(c.status.as_str())) @if !c.reason.is_empty() { " " (c.reason) } }
            dt { "Results" } dd { (c.findings.failed) " failed · " (c.findings.passed) " passed" }
            dt { "Run" } dd { @if let Some(run) = &run { code { (run) } } @else { "none recorded yet" } }
            dt { "Evaluated by" } dd {
                @if checks.is_empty() { "no check of this build" }
                @else { ul.plain { @for k in &checks { li { a href={ "/findings?check=" (url_encode(k.meta.id)) } { code { (k.meta.id) } } " " (k.meta.title) } } } }
            }
        }
        h2 #failing { "Failing resources " span.count #failing-count { (total) } }
        @if total == 0 { p { "No resource fails this control in the latest run." } }
        @else {
            p.small { "Showing " ((page - 1) * PAGE + 1) "–" ((page - 1) * PAGE + shown.len()) " of " (total) "." }
            table.failing {
                thead { tr { th { "Severity" } th { "Resource" } th { "Account" br; "region" } th { "Check" } } }
                tbody {
                    @for f in shown {
                        tr.fr data-finding=(f.finding_id) {
                            td { (severity_badge(f.severity.label())) }
                            td.res { a href=(finding_url(&f.finding_id)) { code { (f.resource_id) } } @if !f.resource_name.is_empty() { br; span.small { (f.resource_name) } } @if !f.detail.is_empty() { " " span.small { (f.detail) } } }
                            td.acct { (f.account) br; span.small { (f.region) } }
                            td { code { (f.check_id) } }
                        }
                    }
                }
            }
            nav.pages {
                @if page > 1 { a #prev href={ (here) "?page=" (page - 1) } { "← Previous" } }
                " page " (page) " of " (pages) " "
                @if page < pages { a #next href={ (here) "?page=" (page + 1) } { "Next →" } }
            }
        }
    };
    Ok(layout(&format!("{} {}", r.title, c.id), &caller, "compliance", body))
}
