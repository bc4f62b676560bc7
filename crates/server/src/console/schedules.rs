//! Scan schedules (`/schedules`): per scope, the interval, last run (when, how long, its
//! error; a trail's last poll: files read, records skipped, errors, findings changed), next
//! run and whether one is running now. Admins add (an organisation with its member role, a
//! trail's bucket to watch), edit, pause and delete schedules; analysts ask for a run now.
//! The API is `api/schedules.rs`, which this page shares its view with.

use super::{layout, PageError};
use crate::api::schedules::{new_scope, schedule_id, ApiSchedule};
use crate::error::ApiError;
use crate::guard::Caller;
use crate::routes::{r, Table, ADMIN, ANALYST, VIEWER};
use crate::state::Shared;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form};
use maud::{html, Markup};
use rampart_app::schedule::{self, Schedule, ScheduleSettings};
use serde::Deserialize;

pub(crate) fn routes() -> Table {
    vec![
        (r("GET", "/schedules", VIEWER), get(page)),
        (r("POST", "/schedules", ADMIN), post(create)),
        (r("POST", "/schedules/{id}", ADMIN), post(update)),
        (r("POST", "/schedules/{id}/delete", ADMIN), post(delete)),
        (r("POST", "/schedules/{id}/run", ANALYST), post(run_now)),
    ]
}

#[derive(Deserialize, Default)]
pub struct PageParams {
    /// The schedule whose edit form is shown.
    edit: Option<String>,
}

/// The add and edit forms' fields.
#[derive(Deserialize, Default, Clone)]
pub struct ScheduleForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    account: String,
    #[serde(default)]
    region: String,
    /// A trail's bucket and key prefix.
    #[serde(default)]
    bucket: String,
    #[serde(default)]
    prefix: String,
    /// The organisation's member role and its external id.
    #[serde(default)]
    member_role: String,
    #[serde(default)]
    external_id: String,
    /// Hours between runs (decimals allowed).
    #[serde(default)]
    hours: String,
    /// A checkbox: present when ticked.
    paused: Option<String>,
}

impl ScheduleForm {
    fn interval_secs(&self) -> Result<Option<i64>, String> {
        let h = self.hours.trim();
        if h.is_empty() {
            return Ok(None);
        }
        match h.parse::<f64>() {
            Ok(v) if v.is_finite() && v > 0.0 => Ok(Some((v * 3600.0).round() as i64)),
            _ => Err(format!("`{h}` is not a number of hours: give one like 12 or 0.5")),
        }
    }
}

fn hours(secs: i64) -> String {
    let h = secs as f64 / 3600.0;
    if (h - h.round()).abs() < 1e-9 {
        format!("{}", h.round() as i64)
    } else {
        format!("{:.2}", h).trim_end_matches('0').to_string()
    }
}

/// An interval as a person says it: `12 h`, `5 min`, `90 s`.
fn every(secs: i64) -> String {
    if secs % 3600 == 0 || secs >= 6 * 3600 {
        format!("{} h", hours(secs))
    } else if secs % 60 == 0 {
        format!("{} min", secs / 60)
    } else {
        format!("{secs} s")
    }
}

fn duration(secs: i64) -> String {
    match secs {
        s if s < 60 => format!("{s} s"),
        s if s < 3600 => format!("{} min {} s", s / 60, s % 60),
        s => format!("{} h {} min", s / 3600, (s % 3600) / 60),
    }
}

/// `2026-12-07T18:00:59Z` as `2026-12-07 18:00 UTC` (to the minute).
fn when(t: &str) -> String {
    let t = t.replacen('T', " ", 1);
    format!("{} UTC", t.get(..16).unwrap_or(&t))
}

/// When the next run is: after the one running, now (asked), a time, or never (paused).
fn next_cell(v: &ApiSchedule) -> Markup {
    match (&v.next_run, &v.running) {
        (_, Some(_)) => html! { "after this run" },
        (Some(t), None) if v.run_requested => html! { "now (asked " (when(t)) ")" },
        (Some(t), None) => html! { (when(t)) },
        (None, None) => html! { em { "paused" } },
    }
}

fn is_admin(caller: &Caller) -> bool {
    caller.user.role >= crate::accounts::Role::Admin
}

fn is_analyst(caller: &Caller) -> bool {
    caller.user.role >= crate::accounts::Role::Analyst
}

fn csrf(caller: &Caller) -> Markup {
    html! { input type="hidden" name="csrf" value=(caller.csrf.as_deref().unwrap_or("")); }
}

fn add_form(caller: &Caller, form: &ScheduleForm) -> Markup {
    let kind = if form.kind.is_empty() { "account" } else { form.kind.as_str() };
    html! {
        form.rule #add-schedule method="post" action="/schedules" aria-labelledby="add-heading" {
            (csrf(caller))
            h2 #add-heading { "Add a schedule" }
            fieldset {
                legend { "Scope" }
                label { "Kind "
                    select name="kind" #kind {
                        @for (v, text) in [
                            ("account", "Account (every region)"),
                            ("region", "One region of an account"),
                            ("org", "Organisation"),
                            ("trail", "CloudTrail trail (change-triggered)"),
                        ] {
                            option value=(v) selected[kind == v] { (text) }
                        }
                    }
                }
                label { "Account " input #account type="text" name="account" value=(form.account) size="14" inputmode="numeric" placeholder="111122223333"; }
                label { "Region " input #region type="text" name="region" value=(form.region) size="14" placeholder="eu-west-1"; }
            }
            fieldset {
                legend { "Organisation: the role to assume in each member account" }
                label { "Member role " input #member-role type="text" name="member_role" value=(form.member_role) size="18" placeholder="RampartAudit"; }
                label { "External id " input #external-id type="text" name="external_id" value=(form.external_id) size="18"; }
            }
            fieldset {
                legend { "Trail: the bucket its log files are delivered to" }
                label { "Bucket " input #bucket type="text" name="bucket" value=(form.bucket) size="18" placeholder="my-trail-logs"; }
                label { "Prefix " input #prefix type="text" name="prefix" value=(form.prefix) size="14" placeholder="(none)"; }
            }
            fieldset {
                legend { "When" }
                label { "Every " input #hours type="number" name="hours" value=(form.hours) min="0.0833" max="720" step="any" size="6" placeholder="12"; " hours" }
                label { input type="checkbox" name="paused" value="on" checked[form.paused.is_some()]; " Paused (runs only when asked)" }
            }
            p.hint { "A new schedule runs at once, then every interval (12 hours if left blank, a trail every 5 minutes; up to 15 minutes early, the same for a scope at every start, to spread the scans). A trail's poll reads the log files delivered since the last one and re-checks only what their write events changed." }
            div.buttons { button type="submit" { "Add schedule" } }
        }
    }
}

fn edit_form(caller: &Caller, s: &Schedule, form: Option<&ScheduleForm>) -> Markup {
    let h = form.map(|f| f.hours.clone()).unwrap_or_else(|| hours(s.interval_secs));
    let paused = form.map_or(s.paused, |f| f.paused.is_some());
    html! {
        form.rule #edit-schedule method="post" action={ "/schedules/" (s.id) } aria-labelledby="edit-heading" {
            (csrf(caller))
            h2 #edit-heading { "Edit the schedule of the " (s.scope) }
            fieldset {
                legend { "When" }
                label { "Every " input #edit-hours type="number" name="hours" value=(h) min="0.0833" max="720" step="any" size="6" required; " hours" }
                label { input type="checkbox" name="paused" value="on" checked[paused]; " Paused" }
            }
            div.buttons {
                button type="submit" { "Save" }
                a href="/schedules" { "Cancel" }
            }
        }
    }
}

async fn render(
    state: &Shared,
    caller: &Caller,
    edit: Option<i64>,
    add: &ScheduleForm,
    edited: Option<&ScheduleForm>,
    error: Option<&str>,
) -> Result<Markup, PageError> {
    let all = state.store(|s| s.schedules()).await?;
    let now = rampart_app::now();
    let editing = edit.and_then(|id| all.iter().find(|s| s.id == id));
    let body = html! {
        h1 { "Schedules" }
        p.count { "Scans of each scope on a schedule, and polls of CloudTrail trails (change-triggered checks), run by the server: never two at once for one scope, and a run missed while the server was down runs once when it is back." }
        @if let Some(e) = error { p.error #form-error role="alert" { (e) } }
        @if let (Some(s), true) = (editing, is_admin(caller)) { (edit_form(caller, s, edited)) }
        @if all.is_empty() {
            p #empty { "No schedule yet." @if is_admin(caller) { " Add one below." } }
        } @else {
            table.schedules #schedules {
                thead { tr {
                    th scope="col" { "Scope" } th scope="col" { "Every" } th scope="col" { "Last run" } th scope="col" { "Took" }
                    th scope="col" { "Next run" } th scope="col" { "State" } th scope="col" { "Actions" }
                } }
                tbody {
                    @for s in &all {
                        @let v = ApiSchedule::of(s, now);
                        tr id={ "schedule-" (s.id) } {
                            th scope="row" {
                                (s.scope)
                                @if let Some(role) = &s.settings.member_role { br; small { "through role " code { (role) } } }
                            }
                            td { (every(s.interval_secs)) }
                            td {
                                @if let Some(t) = &v.last_started { (when(t)) } @else { em { "never" } }
                                @if let Some(run) = &v.last_run_id { br; a href={ "/runs#" (run) } { code { (run) } } }
                                @if let Some(p) = &v.last_poll {
                                    br; span.poll { (p.summary) }
                                }
                                @if let Some(e) = &v.last_error { br; span.error.last-error { "Failed: " (e) } }
                            }
                            td { @if let Some(d) = v.last_duration_seconds { (duration(d)) } }
                            td { (next_cell(&v)) }
                            td {
                                @if let Some(run) = &v.running { strong.running { "Running" } " since " (when(&run.since)) }
                                @else if s.paused { "Paused" }
                                @else if v.run_requested { "Run asked" }
                                @else { "Waiting" }
                            }
                            td.actions {
                                @if is_analyst(caller) {
                                    form.inline method="post" action={ "/schedules/" (s.id) "/run" } {
                                        (csrf(caller))
                                        button type="submit" aria-label={ "Run now: " (s.scope) } disabled[v.running.is_some()] { "Run now" }
                                    }
                                }
                                @if is_admin(caller) {
                                    " " a href={ "/schedules?edit=" (s.id) "#edit-schedule" } aria-label={ "Edit: " (s.scope) } { "Edit" } " "
                                    form.inline method="post" action={ "/schedules/" (s.id) } {
                                        (csrf(caller))
                                        input type="hidden" name="hours" value=(hours(s.interval_secs));
                                        @if !s.paused { input type="hidden" name="paused" value="on"; }
                                        button.secondary type="submit" aria-label={ (if s.paused { "Resume: " } else { "Pause: " }) (s.scope) } {
                                            @if s.paused { "Resume" } @else { "Pause" }
                                        }
                                    }
                                    " "
                                    form.inline method="post" action={ "/schedules/" (s.id) "/delete" } {
                                        (csrf(caller))
                                        button.danger type="submit" aria-label={ "Delete: " (s.scope) } { "Delete" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if is_admin(caller) { (add_form(caller, add)) }
    };
    Ok(layout("Schedules", caller, "schedules", body))
}

pub async fn page(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Query(p): Query<PageParams>,
) -> Result<Markup, PageError> {
    let edit = p.edit.as_deref().and_then(|e| e.trim().parse::<i64>().ok());
    render(&state, &caller, edit, &ScheduleForm::default(), None, None).await
}

fn bad_form(page: Markup) -> Response {
    (StatusCode::BAD_REQUEST, page).into_response()
}

pub async fn create(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<ScheduleForm>,
) -> Result<Response, PageError> {
    let opt = |s: &str| Some(s.to_string()).filter(|s| !s.trim().is_empty());
    let parsed = new_scope(
        &form.kind,
        opt(&form.account).as_deref(),
        opt(&form.region).as_deref(),
        opt(&form.bucket).as_deref(),
        opt(&form.prefix).as_deref(),
    )
    .and_then(|scope| Ok((scope, form.interval_secs()?)));
    let settings = ScheduleSettings { member_role: opt(&form.member_role), external_id: opt(&form.external_id) };
    let (scope, interval) = match parsed {
        Ok(p) => p,
        Err(e) => return Ok(bad_form(render(&state, &caller, None, &form, None, Some(&e)).await?)),
    };
    let paused = form.paused.is_some();
    let now = rampart_app::now();
    tracing::info!(user = %caller.user.name, scope = %scope, "schedule added");
    match state.store(move |s| Ok(schedule::create_with(s, &scope, interval, paused, &settings, now))).await? {
        Ok(s) => Ok(Redirect::to(&format!("/schedules#schedule-{}", s.id)).into_response()),
        Err(e) => Ok(bad_form(render(&state, &caller, None, &form, None, Some(&ApiError::from(e).message)).await?)),
    }
}

pub async fn update(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    Form(form): Form<ScheduleForm>,
) -> Result<Response, PageError> {
    let id = schedule_id(&id)?;
    let interval = match form.interval_secs() {
        Ok(Some(i)) => i,
        Ok(None) => {
            return Ok(bad_form(
                render(&state, &caller, Some(id), &Default::default(), Some(&form), Some("give the hours between runs")).await?,
            ))
        }
        Err(e) => return Ok(bad_form(render(&state, &caller, Some(id), &Default::default(), Some(&form), Some(&e)).await?)),
    };
    let paused = form.paused.is_some();
    let now = rampart_app::now();
    match state.store(move |s| Ok(schedule::update(s, id, interval, paused, now))).await? {
        Ok(Some(_)) => Ok(Redirect::to(&format!("/schedules#schedule-{id}")).into_response()),
        Ok(None) => Err(ApiError::not_found(format!("no schedule {id} (deleted?)")).into()),
        Err(e) => {
            Ok(bad_form(render(&state, &caller, Some(id), &Default::default(), Some(&form), Some(&ApiError::from(e).message)).await?))
        }
    }
}

pub async fn delete(State(state): State<Shared>, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = schedule_id(&id)?;
    if !state.store(move |s| s.delete_schedule(id)).await? {
        return Err(ApiError::not_found(format!("no schedule {id} (deleted already?)")).into());
    }
    Ok(Redirect::to("/schedules").into_response())
}

pub async fn run_now(State(state): State<Shared>, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = schedule_id(&id)?;
    let now = rampart_app::now();
    if !state.store(move |s| s.request_schedule_run(id, now)).await? {
        return Err(ApiError::not_found(format!("no schedule {id} (deleted?)")).into());
    }
    Ok(Redirect::to(&format!("/schedules#schedule-{id}")).into_response())
}
