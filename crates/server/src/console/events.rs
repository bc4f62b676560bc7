//! The events page (`/events`): targets, the rules routing events to them, custom actions
//! and the dead letters with a retry; the findings list's custom-action bar
//! ([`action_bar`]) and the insight page's ([`insight_action_form`]). Admins manage;
//! analysts trigger custom actions; everyone reads. A form's outcome is shown once on the
//! page it returns to (a message kept for the session until shown).

use super::{layout, url_encode, PageError};
use crate::api::automation::store_error;
use crate::api::events::{self as api, CreateCustomAction, CreateEventRule, CreateTarget, RetryRequest};
use crate::error::ApiError;
use crate::guard::Caller;
use crate::routes::{r, Table, ADMIN, ANALYST, VIEWER};
use crate::state::Shared;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Redirect;
use axum::routing::{get, post};
use axum::{Extension, Form};
use maud::{html, Markup};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Mutex;

pub(crate) fn routes() -> Table {
    vec![
        (r("GET", "/events", VIEWER), get(page)),
        (r("POST", "/events/targets", ADMIN), post(add_target)),
        (r("POST", "/events/targets/{id}/delete", ADMIN), post(delete_target)),
        (r("POST", "/events/rules", ADMIN), post(add_rule)),
        (r("POST", "/events/rules/{id}/status", ADMIN), post(rule_status)),
        (r("POST", "/events/rules/{id}/delete", ADMIN), post(delete_rule)),
        (r("POST", "/events/actions", ADMIN), post(add_action)),
        (r("POST", "/events/actions/{id}/delete", ADMIN), post(delete_action)),
        (r("POST", "/events/dead-letters/retry", ADMIN), post(retry)),
        (r("POST", "/findings/custom-action", ANALYST), post(trigger_findings)),
        (r("POST", "/events/insight-action", ANALYST), post(trigger_insight)),
    ]
}

/// A form's outcome, per session (keyed by its CSRF token), shown once.
static FLASH: Mutex<Option<HashMap<String, (bool, String)>>> = Mutex::new(None);

fn flash(caller: &Caller, ok: bool, message: String) {
    let Some(key) = caller.csrf.clone() else { return };
    let mut map = FLASH.lock().unwrap_or_else(|p| p.into_inner());
    let map = map.get_or_insert_with(HashMap::new);
    // Bounded: an outcome nobody came back to see is dropped.
    if map.len() > 10_000 {
        map.clear();
    }
    map.insert(key, (ok, message));
}

fn take_flash(caller: &Caller) -> Option<(bool, String)> {
    let key = caller.csrf.as_ref()?;
    FLASH.lock().unwrap_or_else(|p| p.into_inner()).as_mut()?.remove(key)
}

fn flash_markup(caller: &Caller) -> Markup {
    html! {
        @if let Some((ok, m)) = take_flash(caller) {
            @if ok { p.notice #flash role="status" { (m) } } @else { p.error #flash role="alert" { (m) } }
        }
    }
}

/// The page a form came from (its `Referer`, same origin by the server's referrer policy)
/// when it is under `prefix`; `fallback` otherwise.
fn back(headers: &HeaderMap, prefix: &str, fallback: &str) -> String {
    let path = headers
        .get(axum::http::header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|u| u.split_once("://").map(|(_, rest)| rest))
        .and_then(|rest| rest.find('/').map(|i| rest[i..].to_string()))
        .filter(|p| p.starts_with(prefix) && !p.starts_with("//"));
    path.unwrap_or_else(|| fallback.to_string())
}

/// The findings list's custom-action bar: a form `#custom-action` (the list's checkboxes
/// name it with `form="custom-action"`) choosing an action to send the selected findings to.
pub(crate) async fn action_bar(state: &Shared, caller: &Caller) -> Markup {
    let (actions, error) = match state.store(|s| s.custom_actions()).await {
        Ok(a) => (a, None),
        Err(e) => (Vec::new(), Some(e.message)),
    };
    html! {
        (flash_markup(caller))
        @if let Some(e) = &error {
            p.error #no-actions { "The custom actions could not be read: " (e) }
        } @else if actions.is_empty() {
            p.small #no-actions { "No custom action yet: an admin adds one on the " a href="/events#actions" { "Events" } " page, then selected findings can be sent to it." }
        } @else {
            form.actionbar #custom-action method="post" action="/findings/custom-action" {
                input type="hidden" name="csrf" value=(caller.csrf.as_deref().unwrap_or(""));
                label { "Send the selected findings (at most " (rampart_app::events::MAX_ACTION_FINDINGS) ") to custom action "
                    select #action-select name="action" {
                        @for a in &actions { option value=(a.id) { (a.name) } }
                    }
                }
                button #action-send type="submit" { "Send" }
            }
        }
    }
}

/// The insight page's custom-action form: each of the insight's results (group value and
/// count) with a checkbox, a custom action to choose and a Send button (at most 100
/// results, Security Hub's limit). Posts to `/events/insight-action`, which returns to the
/// insight's page; the outcome shows here once. Nothing for callers below analyst.
pub(crate) async fn insight_action_form(state: &Shared, caller: &Caller, insight_id: &str, results: &[(String, u64)]) -> Markup {
    if caller.user.role < crate::accounts::Role::Analyst {
        return html! {};
    }
    let actions = state.store(|s| s.custom_actions()).await.unwrap_or_default();
    html! {
        (flash_markup(caller))
        @if !actions.is_empty() && !results.is_empty() {
            form.actionbar #insight-action method="post" action="/events/insight-action" {
                input type="hidden" name="csrf" value=(caller.csrf.as_deref().unwrap_or(""));
                input type="hidden" name="insight" value=(insight_id);
                fieldset {
                    legend { "Send results (at most " (rampart_app::events::MAX_ACTION_RESOURCES) ") to a custom action" }
                    ul.plain.picks {
                        @for (value, count) in results {
                            li { label { input type="checkbox" name="value" value=(value); " " code { (value) } " (" (count) ")" } }
                        }
                    }
                    label { "Custom action " select #insight-action-select name="action" { @for a in &actions { option value=(a.id) { (a.name) } } } }
                    " " button #insight-action-send type="submit" { "Send" }
                }
            }
        }
    }
}

/// The selected findings of the action bar, sent to the chosen action; back to the list
/// with how many were sent, or why not.
pub async fn trigger_findings(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Redirect {
    let action = fields.iter().find(|(k, _)| k == "action").map(|(_, v)| v.clone()).unwrap_or_default();
    let findings: Vec<String> = fields.iter().filter(|(k, _)| k == "finding").map(|(_, v)| v.clone()).collect();
    match api::trigger(&state, &caller, action, findings).await {
        Ok(a) => {
            let name = state.store(move |s| Ok(s.custom_action(&a.action).map(|x| x.name).unwrap_or(a.action))).await.unwrap_or_default();
            flash(&caller, true, format!("Sent {} finding(s) to custom action “{name}” (event {}).", a.count, a.event_id))
        }
        Err(e) => flash(&caller, false, e.message),
    }
    Redirect::to(&back(&headers, "/findings", "/findings"))
}

/// Chosen results of an insight, sent to a custom action; back to the insight.
pub async fn trigger_insight(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Redirect {
    let get = |key: &str| fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default();
    let (action, insight) = (get("action"), get("insight"));
    let values: Vec<String> = fields.iter().filter(|(k, _)| k == "value").map(|(_, v)| v.clone()).collect();
    let fallback = format!("/insights/{}", url_encode(&insight));
    match api::trigger_insight(&state, &caller, action, insight, values).await {
        Ok(a) => flash(&caller, true, format!("Sent {} insight result(s) to custom action {} (event {}).", a.count, a.action, a.event_id)),
        Err(e) => flash(&caller, false, e.message),
    }
    Redirect::to(&back(&headers, "/insights", &fallback))
}

const CUSTOM_ACTION_PATTERN: &str = r#"{"detail-type": ["Security Hub Findings - Custom Action"]}"#;

pub async fn page(State(state): State<Shared>, Extension(caller): Extension<Caller>) -> Result<Markup, PageError> {
    let (targets, rules, actions, dead) =
        state.store(|s| Ok((s.event_targets()?, s.event_rules()?, s.custom_actions()?, s.dead_letters()?))).await?;
    let admin = caller.user.role >= crate::accounts::Role::Admin;
    let csrf = caller.csrf.as_deref().unwrap_or("");
    let body = html! {
        h1 { "Events" }
        p.small { "Findings imported or updated, custom actions and assessment runs make events (EventBridge's envelope). Rules route the events their pattern matches to targets; deliveries are retried with backoff and end in the dead letters below when every attempt failed." }
        (flash_markup(&caller))

        h2 #targets { "Targets" }
        @if targets.is_empty() { p { "No target yet." } }
        @else {
            table #target-list {
                thead { tr { th { "Name" } th { "Kind" } th { "Where" } th { "Signed" } @if admin { th { span.sr { "Manage" } } } } }
                tbody {
                    @for t in &targets {
                        @let shown = api::ApiEventTarget::from(t);
                        tr.target data-name=(t.name) {
                            td { (t.name) @if !t.enabled { " (disabled)" } }
                            td { (t.kind) }
                            td { code.small { (rampart_app::notify::target_where(t)) } }
                            td { (if shown.signed { "HMAC-SHA256" } else { "—" }) }
                            @if admin { td { form.inline method="post" action={ "/events/targets/" (url_encode(&t.name)) "/delete" } {
                                input type="hidden" name="csrf" value=(csrf);
                                button.link-dark.danger type="submit" aria-label={ "Delete target " (t.name) } { "Delete" }
                            } } }
                        }
                    }
                }
            }
        }
        @if admin {
            form.rule #target-form method="post" action="/events/targets" {
                input type="hidden" name="csrf" value=(csrf);
                fieldset {
                    legend { "New target" }
                    label { "Name " input #target-name type="text" name="name" required maxlength="128" size="16"; }
                    label { "Kind " select #target-kind name="kind" {
                        option value="webhook" { "webhook" }
                        option value="slack" { "slack (incoming webhook)" }
                        option value="sns" { "sns (Amazon SNS topic)" }
                        option value="email" { "email (SMTP)" }
                    } }
                }
                fieldset {
                    legend { "Webhook or Slack" }
                    label { "URL " input #target-url type="url" name="url" size="30" placeholder="https://…"; }
                    label { "Signing secret (webhook) " input #target-secret type="password" name="secret" size="14" autocomplete="new-password"; }
                }
                fieldset {
                    legend { "SNS (publishing is the only write Rampart makes)" }
                    label { "Topic ARN " input #target-topic type="text" name="topic_arn" size="34" placeholder="arn:aws:sns:us-east-1:123456789012:security"; }
                    label { "Region " input #target-region type="text" name="region" size="12"; }
                    label { "Profile " input #target-profile type="text" name="profile" size="10" placeholder="default chain"; }
                }
                fieldset {
                    legend { "Email" }
                    label { "SMTP host " input #target-host type="text" name="host" size="18"; }
                    label { "Port " input #target-port type="number" name="port" min="1" max="65535" value="587"; }
                    label { "TLS " select #target-tls name="tls" { @for t in rampart_app::notify::SMTP_TLS { option value=(t) { (t) } } } }
                    label { "From " input #target-from type="email" name="from" size="20"; }
                    label { "To (comma-separated) " input #target-to type="text" name="to" size="24"; }
                    label { "User " input #target-user type="text" name="username" size="10"; }
                    label { "Password variable " input #target-password-env type="text" name="password_env" size="18" placeholder="RAMPART_SMTP_PASSWORD"; }
                }
                div.buttons { button #target-add type="submit" { "Add target" } }
            }
        }

        h2 #rules { "Rules" }
        @if rules.is_empty() { p { "No rule yet: events go nowhere until a rule routes them." } }
        @else {
            table #rule-list {
                thead { tr { th { "Name" } th { "Target" } th { "Pattern" } th { "Status" } @if admin { th { span.sr { "Manage" } } } } }
                tbody {
                    @for rule in &rules {
                        tr.erule data-name=(rule.name) {
                            td { (rule.name) }
                            td { (rule.target) }
                            td { code.small { (rule.pattern.to_string()) } }
                            td.rule-status { (if rule.enabled { "ENABLED" } else { "DISABLED" }) }
                            @if admin { td.manage {
                                form.inline method="post" action={ "/events/rules/" (url_encode(&rule.name)) "/status" } {
                                    input type="hidden" name="csrf" value=(csrf);
                                    input type="hidden" name="status" value=(if rule.enabled { "DISABLED" } else { "ENABLED" });
                                    button.link-dark type="submit" { (if rule.enabled { "Disable" } else { "Enable" }) }
                                }
                                form.inline method="post" action={ "/events/rules/" (url_encode(&rule.name)) "/delete" } {
                                    input type="hidden" name="csrf" value=(csrf);
                                    button.link-dark.danger type="submit" aria-label={ "Delete rule " (rule.name) } { "Delete" }
                                }
                            } }
                        }
                    }
                }
            }
        }
        @if admin && !targets.is_empty() {
            form.filters #rule-form method="post" action="/events/rules" {
                input type="hidden" name="csrf" value=(csrf);
                label { "Name " input #erule-name type="text" name="name" required maxlength="128" size="16"; }
                label { "Target " select #erule-target name="target" { @for t in &targets { option value=(t.name) { (t.name) } } } }
                label.wide { "Event pattern (EventBridge: exact values, prefix, anything-but, numeric, exists) "
                    textarea #erule-pattern name="pattern" rows="2" { (CUSTOM_ACTION_PATTERN) } }
                button #erule-add type="submit" { "Add rule" }
            }
        }

        h2 #actions { "Custom actions" }
        p.small { "Analysts send up to " (rampart_app::events::MAX_ACTION_FINDINGS) " selected findings (from the findings list) or up to " (rampart_app::events::MAX_ACTION_RESOURCES) " results of an insight to a custom action; the event carries the action's id and the findings." }
        @if actions.is_empty() { p { "No custom action yet." } }
        @else {
            table #action-list {
                thead { tr { th { "Id" } th { "Name" } th { "Description" } @if admin { th { span.sr { "Manage" } } } } }
                tbody {
                    @for a in &actions {
                        tr.action data-id=(a.id) {
                            td { code { (a.id) } }
                            td { (a.name) }
                            td { (a.description) }
                            @if admin { td { form.inline method="post" action={ "/events/actions/" (url_encode(&a.id)) "/delete" } {
                                input type="hidden" name="csrf" value=(csrf);
                                button.link-dark.danger type="submit" aria-label={ "Delete custom action " (a.name) } { "Delete" }
                            } } }
                        }
                    }
                }
            }
        }
        @if admin {
            form.filters #action-form method="post" action="/events/actions" {
                input type="hidden" name="csrf" value=(csrf);
                label { "Name " input #action-name type="text" name="name" required maxlength="20" size="20"; }
                label.wide { "Description " input #action-description type="text" name="description" maxlength="510"; }
                button #action-add type="submit" { "Add custom action" }
            }
        }

        h2 #dead-letters { "Dead letters" }
        @if dead.is_empty() { p #no-dead { "None: every delivery succeeded or is still being tried." } }
        @else {
            table #dead-list {
                thead { tr { th { "Event" } th { "Target" } th { "Type" } th { "Attempts" } th { "Last error" } @if admin { th { span.sr { "Retry" } } } } }
                tbody {
                    @for d in &dead {
                        @let row = api::ApiDeadLetter::from(d);
                        tr.dead data-event=(row.event_id) {
                            td { code.small { (row.event_id) } br; span.small { (row.time) } }
                            td { (row.target) }
                            td { (row.detail_type) }
                            td { (row.attempts) }
                            td { (row.last_error.as_deref().unwrap_or("—")) }
                            @if admin { td { form.inline method="post" action="/events/dead-letters/retry" {
                                input type="hidden" name="csrf" value=(csrf);
                                input type="hidden" name="event_id" value=(row.event_id);
                                input type="hidden" name="target" value=(row.target);
                                button.link-dark type="submit" { "Retry" }
                            } } }
                        }
                    }
                }
            }
        }
    };
    Ok(layout("Events", &caller, "events", body))
}

fn outcome<T>(caller: &Caller, r: Result<T, ApiError>, ok: impl FnOnce(T) -> String, anchor: &str) -> Redirect {
    match r {
        Ok(v) => flash(caller, true, ok(v)),
        Err(e) => flash(caller, false, e.message),
    }
    Redirect::to(&format!("/events#{anchor}"))
}

#[derive(Deserialize)]
pub struct TargetForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    secret: String,
    #[serde(default)]
    topic_arn: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    profile: String,
    #[serde(default)]
    host: String,
    #[serde(default)]
    port: String,
    #[serde(default)]
    tls: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password_env: String,
}

pub async fn add_target(State(state): State<Shared>, Extension(caller): Extension<Caller>, Form(f): Form<TargetForm>) -> Redirect {
    let some = |v: String| Some(v).filter(|v| !v.trim().is_empty());
    let port = match f.port.trim() {
        "" => None,
        p => match p.parse::<u16>() {
            Ok(p) => Some(p),
            Err(_) => {
                flash(&caller, false, format!("`{}` is not a port: give 587 (STARTTLS), 465 (TLS) or 25", rampart_app::shown(p)));
                return Redirect::to("/events#targets");
            }
        },
    };
    let req = CreateTarget {
        name: f.name,
        kind: f.kind,
        url: some(f.url),
        secret: some(f.secret),
        topic_arn: some(f.topic_arn),
        region: some(f.region),
        profile: some(f.profile),
        endpoint_url: None,
        host: some(f.host),
        port,
        tls: some(f.tls),
        from: some(f.from),
        to: f.to.split(',').map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect(),
        username: some(f.username),
        password_env: some(f.password_env),
    };
    let r = api::add_target(&state, &caller, req).await;
    outcome(&caller, r, |t| format!("Target “{}” ({}) added.", t.name, t.kind), "targets")
}

pub async fn delete_target(State(state): State<Shared>, Extension(caller): Extension<Caller>, Path(name): Path<String>) -> Redirect {
    tracing::info!(user = %caller.user.name, target = %name, "event target deleted");
    let n = name.clone();
    let r = state.store(move |s| Ok(s.delete_event_target(&n))).await.and_then(|r| r.map_err(store_error));
    outcome(&caller, r, |_| format!("Target “{name}” deleted with its rules and deliveries."), "targets")
}

#[derive(Deserialize)]
pub struct RuleForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    pattern: String,
}

pub async fn add_rule(State(state): State<Shared>, Extension(caller): Extension<Caller>, Form(f): Form<RuleForm>) -> Redirect {
    let pattern: serde_json::Value = match serde_json::from_str(&f.pattern) {
        Ok(p) => p,
        Err(e) => {
            flash(&caller, false, format!("the pattern is not JSON ({e}): e.g. {CUSTOM_ACTION_PATTERN}"));
            return Redirect::to("/events#rules");
        }
    };
    let r = api::add_rule(&state, &caller, CreateEventRule { name: f.name, target: f.target, pattern }).await;
    outcome(&caller, r, |r| format!("Rule “{}” added: matching events go to “{}”.", r.name, r.target), "rules")
}

#[derive(Deserialize)]
pub struct StatusForm {
    status: String,
}

pub async fn rule_status(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(name): Path<String>,
    Form(f): Form<StatusForm>,
) -> Redirect {
    let enabled = f.status == "ENABLED";
    tracing::info!(user = %caller.user.name, rule = %name, enabled, "event rule status");
    let n = name.clone();
    let r = state.store(move |s| Ok(s.set_event_rule_enabled(&n, enabled))).await.and_then(|r| r.map_err(store_error));
    outcome(&caller, r, |_| format!("Rule “{name}” {}.", if enabled { "enabled" } else { "disabled" }), "rules")
}

pub async fn delete_rule(State(state): State<Shared>, Extension(caller): Extension<Caller>, Path(name): Path<String>) -> Redirect {
    tracing::info!(user = %caller.user.name, rule = %name, "event rule deleted");
    let n = name.clone();
    let r = state.store(move |s| Ok(s.delete_event_rule(&n))).await.and_then(|r| r.map_err(store_error));
    outcome(&caller, r, |_| format!("Rule “{name}” deleted."), "rules")
}

#[derive(Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
}

pub async fn add_action(State(state): State<Shared>, Extension(caller): Extension<Caller>, Form(f): Form<ActionForm>) -> Redirect {
    let r = api::add_action(&state, &caller, CreateCustomAction { name: f.name, description: f.description }).await;
    outcome(&caller, r, |a| format!("Custom action “{}” added as {}.", a.name, a.id), "actions")
}

pub async fn delete_action(State(state): State<Shared>, Extension(caller): Extension<Caller>, Path(id): Path<String>) -> Redirect {
    tracing::info!(user = %caller.user.name, action = %id, "custom action deleted");
    let i = id.clone();
    let r = state.store(move |s| Ok(s.delete_custom_action(&i))).await.and_then(|r| r.map_err(store_error));
    outcome(&caller, r, |_| format!("Custom action {id} deleted."), "actions")
}

#[derive(Deserialize)]
pub struct RetryForm {
    event_id: String,
    #[serde(default)]
    target: String,
}

pub async fn retry(State(state): State<Shared>, Extension(caller): Extension<Caller>, Form(f): Form<RetryForm>) -> Redirect {
    let req = RetryRequest { event_id: f.event_id, target: Some(f.target).filter(|t| !t.is_empty()) };
    let r = api::retry(&state, &caller, req).await;
    outcome(&caller, r, |n| format!("{n} delivery(ies) will be tried again at the next delivery pass."), "dead-letters")
}
