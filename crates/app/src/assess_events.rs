//! Inspector's notifications as events (source [`SOURCE`]): what Amazon Inspector Classic
//! sends to a subscribed SNS topic — `ASSESSMENT_RUN_STARTED`,
//! `ASSESSMENT_RUN_STATE_CHANGED`, `ASSESSMENT_RUN_COMPLETED`, `FINDING_REPORTED` (its
//! `EventSubscription` values) — each as an EventBridge envelope through the same outbox as
//! every other event, so rules and targets route them:
//!
//! | Inspector event | detail-type | when |
//! | --- | --- | --- |
//! | `ASSESSMENT_RUN_STARTED` | [`DETAIL_TYPE_STARTED`] | the run is CREATED |
//! | `ASSESSMENT_RUN_STATE_CHANGED` | [`DETAIL_TYPE_STATE_CHANGE`] | every state it reaches (CREATED, COLLECTING_DATA, EVALUATING_RULES, COMPLETED, FAILED; `error` true on FAILED) |
//! | `FINDING_REPORTED` | [`DETAIL_TYPE_FINDING`] | each FAILED finding the run recorded |
//! | `ASSESSMENT_RUN_COMPLETED` | [`DETAIL_TYPE_COMPLETED`] | the run is COMPLETED, with its counts |
//!
//! Every event's detail has `event` (the Inspector name), `assessmentRunId`, `template`,
//! `state` and `time` (the state's time). Nothing is built when no enabled rule exists.

use anyhow::Result;
use rampart_events::Event;
use rampart_hub::{AssessmentRun, AssessmentState, Store};
use rampart_model::{Finding, Status, Timestamp};
use serde_json::{json, Value};

/// The source of Inspector's events.
pub const SOURCE: &str = "rampart.inspector";
pub const DETAIL_TYPE_STARTED: &str = "Inspector Assessment Run Started";
pub const DETAIL_TYPE_STATE_CHANGE: &str = "Inspector Assessment Run State Change";
pub const DETAIL_TYPE_COMPLETED: &str = "Inspector Assessment Run Completed";
pub const DETAIL_TYPE_FINDING: &str = "Inspector Finding Reported";

fn any_rule(store: &Store) -> Result<bool> {
    Ok(store.event_rules()?.iter().any(|r| r.enabled))
}

/// When `run` reached its current state.
fn state_time(run: &AssessmentRun) -> Timestamp {
    match run.state {
        AssessmentState::Created => Some(run.created_at),
        AssessmentState::CollectingData => run.collecting_at,
        AssessmentState::EvaluatingRules => run.evaluating_at,
        AssessmentState::Completed => run.completed_at,
        AssessmentState::Failed => run.failed_at,
    }
    .unwrap_or_else(crate::now)
}

fn event(run: &AssessmentRun, detail_type: &str, name: &str, time: Timestamp, extra: Value) -> Event {
    let mut detail = json!({
        "event": name,
        "assessmentRunId": run.id,
        "template": run.template,
        "state": run.state.as_str(),
        "time": rampart_model::rfc3339(time),
    });
    if let (Some(d), Value::Object(x)) = (detail.as_object_mut(), extra) {
        d.extend(x);
    }
    Event {
        version: "0".into(),
        id: crate::events::event_id(),
        detail_type: detail_type.into(),
        source: SOURCE.into(),
        account: String::new(),
        time,
        region: String::new(),
        resources: vec![format!("assessment-run/{}", run.id), format!("assessment-template/{}", run.template)],
        detail,
    }
}

/// Publishes the events of `run` having just reached its state from `previous` (`None`
/// for a run just created): the state change, and ASSESSMENT_RUN_STARTED on CREATED or
/// ASSESSMENT_RUN_COMPLETED on COMPLETED. Returns how many were routed to a target.
pub fn state_changed(store: &mut Store, run: &AssessmentRun, previous: Option<AssessmentState>) -> Result<usize> {
    if !any_rule(store)? {
        return Ok(0);
    }
    let t = state_time(run);
    let failed = run.state == AssessmentState::Failed;
    let mut change = json!({ "previousState": previous.map(AssessmentState::as_str), "error": failed });
    if let Some(why) = &run.failure {
        change["message"] = json!(why);
    }
    let mut events = Vec::new();
    if run.state == AssessmentState::Created {
        events.push(event(run, DETAIL_TYPE_STARTED, "ASSESSMENT_RUN_STARTED", t, json!({})));
    }
    events.push(event(run, DETAIL_TYPE_STATE_CHANGE, "ASSESSMENT_RUN_STATE_CHANGED", t, change));
    if run.state == AssessmentState::Completed {
        let completed = json!({ "hosts": run.hosts, "findingsRunId": run.findings_run_id });
        events.push(event(run, DETAIL_TYPE_COMPLETED, "ASSESSMENT_RUN_COMPLETED", t, completed));
    }
    let mut routed = 0;
    for e in &events {
        if crate::events::publish(store, e)? > 0 {
            routed += 1;
        }
    }
    Ok(routed)
}

/// Publishes FINDING_REPORTED for each FAILED finding of `run` (before its COMPLETED
/// events, as Inspector reports findings while it evaluates). Returns how many were routed.
pub fn findings_reported(store: &mut Store, run: &AssessmentRun, findings: &[Finding]) -> Result<usize> {
    if !any_rule(store)? {
        return Ok(0);
    }
    let mut routed = 0;
    for f in findings.iter().filter(|f| f.status == Status::Failed) {
        let mut e = event(run, DETAIL_TYPE_FINDING, "FINDING_REPORTED", crate::now(), json!({ "finding": f }));
        e.account.clone_from(&f.resource.account);
        e.region.clone_from(&f.resource.region);
        e.resources.push(f.id.clone());
        if crate::events::publish(store, &e)? > 0 {
            routed += 1;
        }
    }
    Ok(routed)
}
