//! Automation rules as both front ends manage them: from Security Hub's
//! `CreateAutomationRule` JSON (a file for the CLI, a request body for the API), listed,
//! replaced, deleted, and tried without changing anything.

use anyhow::{Context, Result};
use rampart_hub::{AutomationRule, RuleSpec, Store};
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
