//! What the store holds, in the shapes both front ends show: a finding with its results
//! and history, the check ids a filter may name, the compliance of a recorded run.

use anyhow::{bail, Result};
use rampart_hub::{ImportedSource, RunResult, Store, WorkflowChange};
use rampart_model::Finding;

/// Every check id this build can produce: the AWS checks, the host assessment's rules and
/// the secrets scan.
pub fn known_check_ids() -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = rampart_checks::REGISTRY.iter().map(|c| c.meta.id).collect();
    ids.push(crate::host::CVE.id);
    ids.extend(rampart_host_rules::REGISTRY.iter().map(|r| r.meta.id));
    ids.push(rampart_secrets::CHECK_ID);
    ids.extend(rampart_detect::catalogue().iter().map(|r| r.id));
    ids.push(rampart_exposure::CHECK.id);
    ids
}

/// A check id checked before it filters: a misspelt id would match nothing, which reads as
/// "no such problem". The error names the nearest known id.
pub fn known_check(id: &str) -> Result<String> {
    let ids = known_check_ids();
    if ids.contains(&id) {
        return Ok(id.to_string());
    }
    let shown = crate::shown(id);
    match rampart_checks::suggest_among(id, ids.iter().copied()) {
        Some(near) => bail!("unknown check `{shown}`: did you mean `{near}`? (`rampart checks` lists them)"),
        None => bail!("unknown check `{shown}`: `rampart checks` lists the check ids"),
    }
}

/// One finding in full: what it is about, what each run said, and every change of its
/// workflow (by whom — a person or a run —, when and why).
#[derive(Debug, Clone)]
pub struct FindingDetail {
    pub finding: Finding,
    pub results: Vec<RunResult>,
    pub history: Vec<WorkflowChange>,
    /// For a finding imported from another tool: its product, every resource and the
    /// finding as the tool sent it.
    pub imported: Option<ImportedSource>,
}

pub fn finding(store: &Store, id: &str) -> Result<FindingDetail> {
    Ok(FindingDetail {
        finding: store.finding(id)?,
        results: store.finding_results(id)?,
        history: store.workflow_history(id)?,
        imported: store.imported_source(id)?,
    })
}

impl FindingDetail {
    /// The JSON document of `rampart findings ID --format json` and of the API.
    pub fn to_json(&self) -> serde_json::Value {
        let t = rampart_model::rfc3339;
        let results: Vec<_> = self
            .results
            .iter()
            .map(|r| {
                serde_json::json!({
                    "run_id": r.run_id, "observed_at": t(r.observed_at),
                    "status": r.status.as_str(), "severity": r.severity.label(), "reason": r.reason,
                    "workflow_status": r.workflow_status.as_str(),
                })
            })
            .collect();
        let history: Vec<_> = self
            .history
            .iter()
            .map(|c| {
                serde_json::json!({
                    "changed_at": t(c.changed_at), "from": c.from.as_str(), "to": c.to.as_str(),
                    "note": c.note, "run_id": c.run_id, "changed_by": c.changed_by,
                })
            })
            .collect();
        let mut doc = serde_json::json!({ "finding": self.finding, "results": results, "workflow_history": history });
        if let Some(source) = &self.imported {
            doc["imported"] = serde_json::to_value(source).unwrap_or_default();
        }
        doc
    }
}

/// The compliance of a recorded run (the latest when `run` is `None`) with `standards`
/// (every standard when empty). `Ok(None)`: nothing recorded yet.
pub fn compliance(store: &Store, run: Option<&str>, standards: &[&rampart_compliance::Standard]) -> Result<Option<(String, Vec<rampart_compliance::Report>)>> {
    let run = match run {
        Some(id) => id.to_string(),
        None => match store.runs()?.first() {
            Some(r) => r.id.clone(),
            None => return Ok(None),
        },
    };
    let findings = store.run_results(&run)?;
    let coverage = rampart_compliance::Coverage::from_requirements(rampart_checks::REGISTRY.iter().flat_map(|c| c.meta.related_requirements()));
    let all: Vec<&rampart_compliance::Standard> = if standards.is_empty() { rampart_compliance::STANDARDS.to_vec() } else { standards.to_vec() };
    let reports = all.into_iter().map(|s| rampart_compliance::evaluate_with_coverage(s, &findings, &coverage)).collect();
    Ok(Some((run, reports)))
}
