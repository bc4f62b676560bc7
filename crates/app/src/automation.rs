//! Automation rules as both front ends manage them: from Security Hub's
//! `CreateAutomationRule` JSON (a file for the CLI, a request body for the API), listed,
//! replaced, deleted, and tried without changing anything; and what follows the recording
//! of a run on either backend ([`apply_and_publish`]).

use anyhow::{Context, Result};
use rampart_hub::{AutomationRule, RuleApplied, RuleSpec, Store, StoreError};
use rampart_model::{Finding, RunInfo};
use std::path::Path;

/// A rule read from a JSON document in `CreateAutomationRule`'s shape.
pub fn spec_from_file(path: &Path) -> Result<RuleSpec> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read `{}`: check the path", path.display()))?;
    let json: serde_json::Value = serde_json::from_str(&text).with_context(|| format!("`{}` is not JSON", path.display()))?;
    RuleSpec::from_json(&json).with_context(|| format!("`{}`", path.display()))
}

/// Adds a rule; it applies from the next scan or import on.
pub fn create(store: &mut Store, spec: &RuleSpec, by: &str) -> Result<AutomationRule> {
    Ok(store.create_automation_rule(spec, by, crate::now())?)
}

/// The current findings `spec` would change, with how many there are in all (at most
/// `limit` ids are returned).
pub fn dry_run(store: &Store, spec: &RuleSpec, limit: usize) -> Result<(usize, Vec<String>)> {
    let mut ids = store.automation_dry_run(spec, crate::now())?;
    let n = ids.len();
    ids.truncate(limit);
    Ok((n, ids))
}

/// What follows the recording of `run` (on SQLite or PostgreSQL): the automation rules
/// applied to its `findings` (those a rule changed read back: workflow status and
/// severity), then one event per finding, as it now stands, to the targets whose event
/// rules match it. A failure to route is the run's failure too: the outbox must not
/// silently miss a run.
pub fn apply_and_publish(store: &mut Store, run: &RunInfo, findings: &mut [Finding]) -> Result<Vec<RuleApplied>, StoreError> {
    let ids: Vec<String> = findings.iter().map(|f| f.id.clone()).collect();
    let applied = store.apply_automation_rules(&ids, run.finished_at)?;
    let touched: std::collections::BTreeSet<&str> = applied.iter().flat_map(|a| a.findings.iter().map(String::as_str)).collect();
    for f in findings.iter_mut().filter(|f| touched.contains(f.id.as_str())) {
        let r = store.finding_record(&f.id)?;
        f.workflow_status = r.finding.workflow_status;
        f.severity = r.finding.severity;
    }
    crate::events::publish_findings(store, run, findings).map_err(|e| match e.downcast::<StoreError>() {
        Ok(store_error) => store_error,
        Err(other) => StoreError::InvalidUpdate(format!("events of run {}: {other}", run.id)),
    })?;
    Ok(applied)
}
