//! The automation rules page (`/automation`): the rules in the order they apply, a form to
//! create or edit one (criteria in the findings filter language, the fields its
//! `FINDING_FIELDS_UPDATE` action sets), enabling, disabling and deleting, and a dry run
//! listing the current findings a rule would change. Admins change rules; everyone reads.

use super::{finding_url, layout, severity_badge, status_badge, url_encode, PageError, WORKFLOWS};
use crate::api::automation::{spec, store_error, stored_dry_run, DRY_RUN_LIST};
use crate::error::ApiError;
use crate::guard::Caller;
use crate::routes::{r, Table, ADMIN, ANALYST, VIEWER};
use crate::state::Shared;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form};
use maud::{html, Markup};
use rampart_hub::AutomationRule;
use serde::Deserialize;
use serde_json::{json, Map, Value};

pub(crate) fn routes() -> Table {
    vec![
        (r("GET", "/automation", VIEWER), get(page)),
        (r("POST", "/automation", ADMIN), post(create)),
        (r("POST", "/automation/dry-run", ANALYST), post(dry_run_form)),
        (r("GET", "/automation/{id}/edit", ADMIN), get(edit)),
        (r("POST", "/automation/{id}", ADMIN), post(update)),
        (r("POST", "/automation/{id}/status", ADMIN), post(set_status)),
        (r("POST", "/automation/{id}/delete", ADMIN), post(remove)),
        (r("GET", "/automation/{id}/dry-run", VIEWER), get(dry_run_stored)),
    ]
}

fn rule_url(id: &str) -> String {
    format!("/automation/{}", url_encode(id))
}

const SEVERITY_LABELS: [&str; 5] = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL"];
const VERIFICATION: [&str; 4] = ["UNKNOWN", "TRUE_POSITIVE", "FALSE_POSITIVE", "BENIGN_POSITIVE"];
const CRITERIA_EXAMPLE: &str = r#"{"SeverityLabel": [{"Value": "CRITICAL", "Comparison": "EQUALS"}], "ResourceType": [{"Value": "AwsS3Bucket", "Comparison": "EQUALS"}]}"#;

/// The rule form's fields, as posted (all text, checked when turned into a rule).
#[derive(Deserialize, Default, Clone)]
pub struct RuleForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    order: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    terminal: Option<String>,
    #[serde(default)]
    criteria: String,
    /// Quick criteria, each `EQUALS` one value, added to the JSON's (AND across fields).
    #[serde(default)]
    c_severity: String,
    #[serde(default)]
    c_status: String,
    #[serde(default)]
    c_check: String,
    #[serde(default)]
    c_resource_type: String,
    #[serde(default)]
    c_account: String,
    #[serde(default)]
    workflow: String,
    #[serde(default)]
    severity: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    fields: String,
    #[serde(default)]
    verification: String,
    #[serde(default)]
    confidence: String,
    #[serde(default)]
    criticality: String,
}

impl RuleForm {
    /// A stored rule as the form shows it.
    fn from_rule(rule: &AutomationRule) -> RuleForm {
        let a = &rule.action;
        let text = |p: &str| a.pointer(p).and_then(Value::as_str).unwrap_or_default().to_string();
        let number = |k: &str| a.get(k).and_then(Value::as_i64).map(|n| n.to_string()).unwrap_or_default();
        let fields = a
            .get("UserDefinedFields")
            .and_then(Value::as_object)
            .map(|m| m.iter().map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default())).collect::<Vec<_>>().join("\n"))
            .unwrap_or_default();
        RuleForm {
            name: rule.name.clone(),
            description: rule.description.clone(),
            order: rule.order.to_string(),
            status: if rule.enabled { "ENABLED" } else { "DISABLED" }.into(),
            terminal: rule.terminal.then(|| "true".into()),
            criteria: serde_json::to_string_pretty(&rule.criteria).unwrap_or_default(),
            workflow: text("/Workflow/Status"),
            severity: text("/Severity/Label"),
            note: text("/Note/Text"),
            fields,
            verification: text("/VerificationState"),
            confidence: number("Confidence"),
            criticality: number("Criticality"),
            ..Default::default()
        }
    }

    /// The `CreateAutomationRule` request the form describes, or what is wrong with it
    /// (one line). A note is written by `who`.
    fn request(&self, who: &str) -> Result<Value, String> {
        let order: u64 =
            self.order.trim().parse().map_err(|_| "Order must be a whole number from 1 to 1000 (lower applies first)".to_string())?;
        let mut criteria: Value = if self.criteria.trim().is_empty() {
            json!({})
        } else {
            serde_json::from_str(&self.criteria).map_err(|e| format!("the criteria are not JSON ({e}): e.g. {CRITERIA_EXAMPLE}"))?
        };
        let quick = [
            ("SeverityLabel", &self.c_severity),
            ("ComplianceStatus", &self.c_status),
            ("GeneratorId", &self.c_check),
            ("ResourceType", &self.c_resource_type),
            ("AwsAccountId", &self.c_account),
        ];
        for (field, v) in quick {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            let Some(m) = criteria.as_object_mut() else { break };
            if m.contains_key(field) {
                return Err(format!("`{field}` is both a quick criterion and in the JSON: give it once"));
            }
            m.insert(field.into(), json!([{ "Value": v, "Comparison": "EQUALS" }]));
        }
        if criteria.as_object().is_some_and(|m| m.is_empty()) {
            return Err(format!("give at least one criterion: a quick one, or the findings filter JSON, e.g. {CRITERIA_EXAMPLE}"));
        }
        let mut update = Map::new();
        if !self.workflow.is_empty() {
            update.insert("Workflow".into(), json!({ "Status": self.workflow }));
        }
        if !self.severity.is_empty() {
            update.insert("Severity".into(), json!({ "Label": self.severity }));
        }
        if !self.note.trim().is_empty() {
            update.insert("Note".into(), json!({ "Text": self.note.trim(), "UpdatedBy": who }));
        }
        let mut fields = Map::new();
        for line in self.fields.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let (k, v) = line
                .split_once('=')
                .ok_or_else(|| format!("user-defined field `{}`: write one key=value per line", rampart_app::shown(line)))?;
            fields.insert(k.trim().to_string(), Value::String(v.trim().to_string()));
        }
        if !fields.is_empty() {
            update.insert("UserDefinedFields".into(), Value::Object(fields));
        }
        if !self.verification.is_empty() {
            update.insert("VerificationState".into(), json!(self.verification));
        }
        for (key, v) in [("Confidence", &self.confidence), ("Criticality", &self.criticality)] {
            if !v.trim().is_empty() {
                let n: i64 = v.trim().parse().map_err(|_| format!("{key} must be a whole number from 0 to 100"))?;
                update.insert(key.into(), json!(n));
            }
        }
        Ok(json!({
            "RuleName": self.name.trim(),
            "Description": self.description.trim(),
            "RuleOrder": order,
            "RuleStatus": if self.status == "DISABLED" { "DISABLED" } else { "ENABLED" },
            "IsTerminal": self.terminal.is_some(),
            "Criteria": criteria,
            "Actions": [{ "Type": "FINDING_FIELDS_UPDATE", "FindingFieldsUpdate": update }],
        }))
    }

    fn spec(&self, who: &str) -> Result<rampart_hub::RuleSpec, String> {
        let request = self.request(who)?;
        spec(&request).map_err(|e| e.message)
    }
}

fn select(name: &str, id: &str, current: &str, none: &str, options: &[&str]) -> Markup {
    html! {
        select name=(name) id=(id) {
            option value="" { (none) }
            @for o in options { option value=(o) selected[*o == current] { (o) } }
        }
    }
}

/// The create or edit form; `action` is where it posts.
fn rule_form(caller: &Caller, action: &str, f: &RuleForm, submit: &str) -> Markup {
    html! {
        form.rule #rule-form method="post" action=(action) {
            input type="hidden" name="csrf" value=(caller.csrf.as_deref().unwrap_or(""));
            fieldset {
                legend { "Rule" }
                label { "Name " input #rule-name type="text" name="name" value=(f.name) required maxlength="256" size="30"; }
                label { "Order " input #rule-order type="number" name="order" value=(f.order) min="1" max="1000" required; }
                label { "Status " select #rule-status name="status" {
                    option value="ENABLED" selected[f.status != "DISABLED"] { "ENABLED" }
                    option value="DISABLED" selected[f.status == "DISABLED"] { "DISABLED" }
                } }
                label { input #rule-terminal type="checkbox" name="terminal" value="true" checked[f.terminal.is_some()]; " terminal (later rules skip the findings it matches)" }
                label.wide { "Description " input #rule-description type="text" name="description" value=(f.description) maxlength="1024"; }
            }
            fieldset {
                legend { "Criteria (every one must match)" }
                label { "Severity " (select("c_severity", "rule-c-severity", &f.c_severity, "any", &SEVERITY_LABELS)) }
                label { "Status " (select("c_status", "rule-c-status", &f.c_status, "any", &super::STATUSES)) }
                label { "Check " input #rule-c-check type="text" name="c_check" value=(f.c_check) size="24" placeholder="e.g. s3_bucket_public_access"; }
                label { "Resource type " input #rule-c-type type="text" name="c_resource_type" value=(f.c_resource_type) size="16" placeholder="e.g. AwsS3Bucket"; }
                label { "Account " input #rule-c-account type="text" name="c_account" value=(f.c_account) size="13"; }
                label.wide { span { "More criteria: a findings filter (Security Hub's " code { "AwsSecurityFindingFilters" } " JSON: OR within a field, AND across fields; prefix, contains, not-equals, number and date ranges, tags)" }
                    textarea #rule-criteria name="criteria" rows="5" placeholder=(CRITERIA_EXAMPLE) { (f.criteria) } }
            }
            fieldset {
                legend { "Action: update these fields (" code { "FINDING_FIELDS_UPDATE" } ")" }
                label { "Workflow " (select("workflow", "rule-workflow", &f.workflow, "unchanged", &WORKFLOWS)) }
                label { "Severity " (select("severity", "rule-severity", &f.severity, "unchanged", &SEVERITY_LABELS)) }
                label { "Verification " (select("verification", "rule-verification", &f.verification, "unchanged", &VERIFICATION)) }
                label { "Confidence " input #rule-confidence type="number" name="confidence" min="0" max="100" value=(f.confidence); }
                label { "Criticality " input #rule-criticality type="number" name="criticality" min="0" max="100" value=(f.criticality); }
                label.wide { "Note " input #rule-note type="text" name="note" value=(f.note) maxlength="512"; }
                label.wide { "User-defined fields (key=value, one a line) " textarea #rule-fields name="fields" rows="2" { (f.fields) } }
            }
            div.buttons {
                button #rule-save type="submit" { (submit) }
                button.secondary #rule-dry-run type="submit" formaction="/automation/dry-run" { "Dry run" }
            }
        }
    }
}

/// A short description of a rule's action.
fn action_text(a: &Value) -> String {
    let mut parts = Vec::new();
    if let Some(w) = a.pointer("/Workflow/Status").and_then(Value::as_str) {
        parts.push(format!("workflow → {w}"));
    }
    if let Some(s) = a.pointer("/Severity/Label").and_then(Value::as_str) {
        parts.push(format!("severity → {s}"));
    }
    if let Some(n) = a.pointer("/Note/Text").and_then(Value::as_str) {
        parts.push(format!("note “{n}”"));
    }
    if let Some(m) = a.get("UserDefinedFields").and_then(Value::as_object) {
        for (k, v) in m {
            parts.push(format!("{k} = {}", v.as_str().unwrap_or_default()));
        }
    }
    if let Some(v) = a.get("VerificationState").and_then(Value::as_str) {
        parts.push(format!("verification → {v}"));
    }
    for k in ["Confidence", "Criticality"] {
        if let Some(n) = a.get(k).and_then(Value::as_i64) {
            parts.push(format!("{} → {n}", k.to_ascii_lowercase()));
        }
    }
    parts.join(", ")
}

async fn list_page(state: &Shared, caller: &Caller, form: &RuleForm, error: Option<&str>) -> Result<Markup, PageError> {
    let rules = state.store(|s| s.automation_rules()).await?;
    let admin = caller.user.role >= crate::accounts::Role::Admin;
    let csrf = caller.csrf.as_deref().unwrap_or("");
    let body = html! {
        h1 { "Automation rules" }
        p.small { "Rules apply, lowest order first, to the findings each scan or import creates or updates; a terminal rule stops later rules for the findings it matched. Every change is kept in the finding's history as " code { "rule:<name>" } "." }
        @if rules.is_empty() { p #no-rules { "No automation rule yet." } }
        @else {
            table.rules #rules {
                thead { tr { th { "Order" } th { "Rule" } th { "Status" } th { "Criteria" } th { "Action" } th { span.sr { "Manage" } } } }
                tbody {
                    @for rule in &rules {
                        tr.rule data-id=(rule.id) data-name=(rule.name) {
                            td { (rule.order) }
                            td.rule-name { strong { (rule.name) } br; code.small { (rule.id) } @if rule.terminal { br; span.tag { "terminal" } } @if !rule.description.is_empty() { br; span.small { (rule.description) } } }
                            td.rule-status { (if rule.enabled { "ENABLED" } else { "DISABLED" }) }
                            td { code.small { (rule.criteria.to_string()) } }
                            td.rule-action { (action_text(&rule.action)) }
                            td.manage {
                                a href={ (rule_url(&rule.id)) "/dry-run" } { "Dry run" }
                                @if admin {
                                    " · " a href={ (rule_url(&rule.id)) "/edit" } { "Edit" }
                                    form.inline method="post" action={ (rule_url(&rule.id)) "/status" } {
                                        input type="hidden" name="csrf" value=(csrf);
                                        input type="hidden" name="status" value=(if rule.enabled { "DISABLED" } else { "ENABLED" });
                                        button.link-dark type="submit" { (if rule.enabled { "Disable" } else { "Enable" }) }
                                    }
                                    form.inline method="post" action={ (rule_url(&rule.id)) "/delete" } {
                                        input type="hidden" name="csrf" value=(csrf);
                                        button.link-dark.danger type="submit" aria-label={ "Delete " (rule.name) } { "Delete" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if admin {
            h2 #new { "New rule" }
            @if let Some(e) = error { p.error #form-error role="alert" { (e) } }
            (rule_form(caller, "/automation", form, "Create rule"))
        }
    };
    Ok(layout("Automation rules", caller, "automation", body))
}

pub async fn page(State(state): State<Shared>, Extension(caller): Extension<Caller>) -> Result<Markup, PageError> {
    let next = state.store(|s| Ok(s.automation_rules()?.iter().map(|r| r.order).max().unwrap_or(0))).await?;
    let form = RuleForm { order: (next + 1).min(1000).to_string(), status: "ENABLED".into(), ..Default::default() };
    list_page(&state, &caller, &form, None).await
}

fn bad_form(page: Markup) -> Response {
    (StatusCode::BAD_REQUEST, page).into_response()
}

pub async fn create(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<RuleForm>,
) -> Result<Response, PageError> {
    let who = caller.user.name.clone();
    let spec = match form.spec(&who) {
        Ok(s) => s,
        Err(e) => return Ok(bad_form(list_page(&state, &caller, &form, Some(&e)).await?)),
    };
    tracing::info!(user = %who, rule = %spec.name, "automation rule created");
    match state.store(move |s| Ok(rampart_app::automation::create(s, &spec, &who))).await? {
        Ok(_) => Ok(Redirect::to("/automation#rules").into_response()),
        Err(e) => Ok(bad_form(list_page(&state, &caller, &form, Some(&crate::api::automation::app_error(e).message)).await?)),
    }
}

async fn rule(state: &Shared, id: String) -> Result<AutomationRule, ApiError> {
    state.store(move |s| Ok(s.automation_rule(&id))).await?.map_err(store_error)
}

fn edit_page(caller: &Caller, rule: &AutomationRule, form: &RuleForm, error: Option<&str>) -> Markup {
    let body = html! {
        p.crumbs { a href="/automation" { "Automation rules" } " › " (rule.name) }
        h1 { "Edit " (rule.name) }
        @if let Some(e) = error { p.error #form-error role="alert" { (e) } }
        (rule_form(caller, &rule_url(&rule.id), form, "Save rule"))
    };
    layout("Edit automation rule", caller, "automation", body)
}

pub async fn edit(State(state): State<Shared>, Extension(caller): Extension<Caller>, Path(id): Path<String>) -> Result<Markup, PageError> {
    let rule = rule(&state, id).await?;
    Ok(edit_page(&caller, &rule, &RuleForm::from_rule(&rule), None))
}

pub async fn update(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    Form(form): Form<RuleForm>,
) -> Result<Response, PageError> {
    let old = rule(&state, id).await?;
    let spec = match form.spec(&caller.user.name) {
        Ok(s) => s,
        Err(e) => return Ok(bad_form(edit_page(&caller, &old, &form, Some(&e)))),
    };
    tracing::info!(user = %caller.user.name, rule = %old.id, "automation rule replaced");
    let id = old.id.clone();
    match state.store(move |s| Ok(s.replace_automation_rule(&id, &spec, rampart_app::now()))).await? {
        Ok(_) => Ok(Redirect::to("/automation#rules").into_response()),
        Err(e) => Ok(bad_form(edit_page(&caller, &old, &form, Some(&store_error(e).message)))),
    }
}

#[derive(Deserialize)]
pub struct StatusForm {
    status: String,
}

pub async fn set_status(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    Form(form): Form<StatusForm>,
) -> Result<Redirect, PageError> {
    let enabled = match form.status.as_str() {
        "ENABLED" => true,
        "DISABLED" => false,
        other => {
            return Err(
                ApiError::bad_request(format!("unknown rule status `{}`: use ENABLED or DISABLED", rampart_app::shown(other))).into()
            )
        }
    };
    tracing::info!(user = %caller.user.name, rule = %id, enabled, "automation rule status");
    state.store(move |s| Ok(s.set_automation_rule_enabled(&id, enabled, rampart_app::now()))).await?.map_err(store_error)?;
    Ok(Redirect::to("/automation#rules"))
}

pub async fn remove(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Redirect, PageError> {
    tracing::info!(user = %caller.user.name, rule = %id, "automation rule deleted");
    state.store(move |s| Ok(s.delete_automation_rule(&id))).await?.map_err(store_error)?;
    Ok(Redirect::to("/automation#rules"))
}

/// The dry-run page: the current findings the rule's criteria select.
async fn dry_run_page(
    state: &Shared,
    caller: &Caller,
    name: &str,
    count: usize,
    ids: Vec<String>,
    back: Markup,
) -> Result<Markup, PageError> {
    let findings = state
        .store(move |s| {
            let mut out = Vec::new();
            for id in &ids {
                if let Ok(f) = s.finding(id) {
                    out.push(f);
                }
            }
            Ok(out)
        })
        .await?;
    let body = html! {
        p.crumbs { a href="/automation" { "Automation rules" } " › dry run" }
        h1 { "Dry run of " (name) }
        p #dry-count { "Rule “" (name) "” would change " strong { (count) } " current finding(s). Nothing was changed." }
        @if count > findings.len() { p.small { "The first " (findings.len()) " are listed." } }
        (back)
        @if !findings.is_empty() {
            table.findings #dry-findings {
                thead { tr { th { "Severity" } th { "Status" } th { "Finding" } th { "Resource" } th { "Workflow" } } }
                tbody {
                    @for f in &findings {
                        tr.f data-id=(f.id) {
                            td.sev { (severity_badge(f.severity.label())) }
                            td.status { (status_badge(f.status.as_str())) }
                            td.title { a href=(finding_url(&f.id)) { (f.title) } }
                            td.res { code { (f.resource.id) } }
                            td.wf { (f.workflow_status.as_str()) }
                        }
                    }
                }
            }
        }
    };
    Ok(layout("Dry run", caller, "automation", body))
}

pub async fn dry_run_stored(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Markup, PageError> {
    let r = rule(&state, id).await?;
    let (count, ids) = stored_dry_run(&state, r.id.clone()).await?;
    dry_run_page(&state, &caller, &r.name, count, ids, html! { p { a href="/automation" { "← Back to the rules" } } }).await
}

/// A dry run of the form's rule, not saved: the page lists what it would change, with the
/// form again below to save or adjust it.
pub async fn dry_run_form(
    State(state): State<Shared>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<RuleForm>,
) -> Result<Response, PageError> {
    let spec = match form.spec(&caller.user.name) {
        Ok(s) => s,
        Err(e) => return Ok(bad_form(list_page(&state, &caller, &form, Some(&e)).await?)),
    };
    let name = spec.name.clone();
    let (count, ids) = state
        .store(move |s| Ok(rampart_app::automation::dry_run(s, &spec, DRY_RUN_LIST)))
        .await?
        .map_err(crate::api::automation::app_error)?;
    let admin = caller.user.role >= crate::accounts::Role::Admin;
    let again = html! {
        @if admin {
            h2 { "The rule (not saved)" }
            (rule_form(&caller, "/automation", &form, "Create rule"))
        }
    };
    Ok(dry_run_page(&state, &caller, &name, count, ids, again).await?.into_response())
}
