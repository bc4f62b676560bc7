//! A scan's result and what every scan does with it: the AWS checks of an inventory (with
//! the config applied), compliance with the standards the run's checks evaluate, recording
//! in the store, and the verdict for an exit code.

use anyhow::Result;
use rampart_config::Config;
use rampart_inventory::Inventory;
use rampart_model::{Finding, Gap, RunInfo, Severity, Status, Timestamp};
use std::path::Path;

/// One scan's outcome: the run, its findings, what could not be read, and the documents
/// that were read but malformed (their checks are NOT_AVAILABLE).
#[derive(Debug, Clone)]
pub struct Scan {
    pub run: RunInfo,
    pub findings: Vec<Finding>,
    pub gaps: Vec<Gap>,
    pub malformed: Vec<String>,
    /// Results of resources the config excludes, and results it suppresses (both kept,
    /// as SUPPRESSED); zero without a config.
    pub excluded: usize,
    pub suppressed: usize,
    /// The tags of the scanned resources by ARN, recorded with the run so that filters,
    /// insights and automation rules on `ResourceTags` see them.
    pub resource_tags: std::collections::HashMap<String, rampart_inventory::Tags>,
    /// The inventory the checks read, recorded with the run (the hub's `inventory` store)
    /// so the server can browse it and answer reachability questions; `None` for runs
    /// that read no AWS inventory.
    pub inventory: Option<std::sync::Arc<Inventory>>,
}

impl Scan {
    /// A scan without gaps, malformed documents or a config: host, image, function, secrets.
    pub fn of(run: RunInfo, findings: Vec<Finding>) -> Scan {
        Scan { run, findings, gaps: Vec::new(), malformed: Vec::new(), excluded: 0, suppressed: 0, resource_tags: Default::default(), inventory: None }
    }

    /// Records the run: findings keep their first-seen time and workflow across runs, and
    /// the automation rules apply to every finding the run created or updated (Security
    /// Hub applies them when the provider sends a finding). This scan's findings then show
    /// the store's view of them (workflow, first seen, a severity a rule set). The
    /// inventory the checks read is kept with the run (see [`crate::inventory`]). Returns
    /// what each rule matched.
    pub fn record(&mut self, store: &mut rampart_hub::Store) -> Result<Vec<rampart_hub::RuleApplied>, rampart_hub::StoreError> {
        store.record_run(&self.run, &mut self.findings, &self.gaps)?;
        store.set_resource_tags(self.resource_tags.iter().map(|(arn, tags)| (arn.as_str(), tags)))?;
        if let Some(inv) = &self.inventory {
            crate::inventory::record(store, &self.run.id, inv)?;
        }
        crate::automation::apply_and_publish(store, &self.run, &mut self.findings)
    }

    /// Compliance with every standard whose controls the run's checks evaluate; none for a
    /// run without AWS checks (a host or secrets scan).
    pub fn compliance(&self) -> Vec<rampart_compliance::Report> {
        compliance_of(&self.run, &self.findings)
    }

    /// Whether a result FAILED at or above `min` (`None`: nothing fails the scan).
    pub fn failing(&self, min: Option<Severity>) -> bool {
        self.findings.iter().any(|f| f.status == Status::Failed && min.is_some_and(|min| f.severity >= min))
    }
}

/// Compliance of `findings`, the results of `run`, with each standard its checks touch.
pub fn compliance_of(run: &RunInfo, findings: &[Finding]) -> Vec<rampart_compliance::Report> {
    if !run.checks.iter().any(|id| rampart_checks::check(id).is_some()) {
        return Vec::new();
    }
    let coverage = rampart_compliance::Coverage::from_requirements(
        rampart_checks::REGISTRY.iter().filter(|c| run.checks.iter().any(|id| id == c.meta.id)).flat_map(|c| c.meta.related_requirements()),
    );
    rampart_compliance::STANDARDS.iter().map(|s| rampart_compliance::evaluate_with_coverage(s, findings, &coverage)).collect()
}

/// The config file: exclusions, suppressions and thresholds. A misspelt check id or key is
/// an error with file:line:column and the nearest known one.
pub fn load_config(path: &Path) -> Result<Config> {
    Config::load(path, &rampart_checks::KNOWN).map_err(|e| anyhow::anyhow!("{e}"))
}

/// The AWS checks of `inv`, read from `source` since `started`: the config's thresholds
/// decide verdicts, its exclusions and suppressions mark results SUPPRESSED (never
/// deleted).
pub fn check_inventory(inv: &Inventory, source: &str, config: Option<&Config>, started: Timestamp) -> Scan {
    let thresholds = config.map(|c| c.thresholds).unwrap_or_default();
    // AWS's IP ranges: the snapshot of `rampart ip-ranges update` if there is one, else the
    // bundled one; a snapshot that cannot be read is reported as bad input, not ignored.
    let (ranges, unreadable) = match crate::ip_ranges::load(&crate::ip_ranges::default_dir()) {
        Ok(r) => (r, None),
        Err(e) => (None, Some(format!("{e:#}"))),
    };
    let mut outcome = rampart_checks::run_with_ip_ranges(inv, inv.collected_at, &thresholds, &[], ranges.as_ref().or(rampart_checks::ip_ranges::bundled()));
    outcome.malformed.extend(unreadable);
    let mut findings: Vec<Finding> = rampart_checks::findings(outcome.results, started);
    // External access (Access Analyzer's findings), with the checks' findings: one pipeline.
    findings.extend(crate::iam_access::findings_of(inv, started));
    // Principals that can escalate to administrator (the escalation graph).
    findings.extend(crate::escalation::findings(std::slice::from_ref(inv), started));
    let (mut excluded, mut suppressed) = (0, 0);
    let tags = inv.tags_by_arn();
    if let Some(config) = config {
        let applied = config.apply(&mut findings, &|r| tags.get(&r.id).cloned(), started);
        excluded = applied.excluded().count();
        suppressed = applied.hits.len() - excluded;
    }
    let mut regions: Vec<String> = inv.regions().map(|(_, r)| r.name.clone()).collect();
    regions.sort();
    regions.dedup();
    let mut run = crate::run_info(
        source.to_string(),
        started,
        inv.accounts.iter().map(|a| a.id.clone()).collect(),
        regions,
        rampart_checks::REGISTRY.iter().map(|c| c.meta.id.to_string()).chain([rampart_iam::external::CHECK_ID.to_string(), rampart_iam::escalation::CHECK_ID.to_string()]).collect(),
    );
    let gaps: Vec<Gap> = inv.gaps().cloned().collect();
    // Every failed call makes the run an incomplete answer, said in the run itself; with
    // several accounts, each line names its account (an account not read at all among them).
    run.incomplete = if inv.accounts.len() > 1 { crate::org::incomplete_in_words(inv) } else { rampart_model::gaps_in_words(&gaps) };
    Scan {
        run,
        findings,
        gaps,
        malformed: outcome.malformed,
        excluded,
        suppressed,
        resource_tags: tags,
        inventory: Some(std::sync::Arc::new(inv.clone())),
    }
}
