//! Control status and security scores, as Security Hub computes them.
//!
//! * Control status — https://docs.aws.amazon.com/securityhub/latest/userguide/controls-overall-status.html:
//!   "When determining control status, Security Hub ignores findings that have a RecordState
//!   of ARCHIVED and findings that have a Workflow.Status of SUPPRESSED"; then **Failed** if
//!   any finding FAILED, **Unknown** if any is WARNING or NOT_AVAILABLE (none failed),
//!   **Passed** if all PASSED, **No data** if there is no finding left. Rampart names Unknown
//!   `WARNING` and No data `NO_DATA`, and splits one case out of Unknown: a control whose
//!   results are *all* NOT_AVAILABLE is `NOT_AVAILABLE` — nothing about it could be read, and
//!   a reader must see that apart from a real warning. It is scored as Unknown is.
//! * No resources — Security Hub's page adds "If you don't have resources corresponding to a
//!   control, Security Hub produces a PASSED finding at the account level". Rampart emits no
//!   such finding: a control a check covers but no resource is in scope of is `NO_DATA`
//!   ("no resources in scope") at every scope — estate, account and region alike — and so
//!   is left out of every score. An account then never scores higher than its regions
//!   justify: a control PASSED for an account is PASSED in one of its regions.
//! * Manual controls — `MANUAL`, never scored, and they list no failing resources: a
//!   check's result that names a manual control (CIS 1.6 "hardware MFA for root" is
//!   manual in CIS v3.0.0 but automated as FSBP IAM.6) decides that automated control,
//!   not the manual one.
//! * Security score — https://docs.aws.amazon.com/securityhub/latest/userguide/standards-security-score.html:
//!   "Security scores represent the proportion of Passed controls to enabled controls";
//!   the standard's page counts the controls that "are enabled, and have evaluation data",
//!   i.e. `PASSED ÷ (PASSED + FAILED + WARNING + NOT_AVAILABLE)`; NO_DATA and MANUAL
//!   controls are left out, and so are suppressed findings (through the status above).

use crate::{normalize_requirement, Control, ControlKind, Standard};
use rampart_model::{Finding, RecordState, Severity, Status, WorkflowStatus};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

/// The overall status of one control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ControlStatus {
    Failed,
    /// Security Hub's "Unknown": some result is WARNING or NOT_AVAILABLE, none FAILED.
    Warning,
    Passed,
    /// Every active result is NOT_AVAILABLE: the data it needs could not be read. Security
    /// Hub's "Unknown", told apart from WARNING; scored as not passed.
    NotAvailable,
    /// Security Hub's "No data": no result to decide on (no resources in scope, no check
    /// yet, or all suppressed). Not scored.
    NoData,
    /// A control assessed by hand. Not scored.
    Manual,
}

impl ControlStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ControlStatus::Passed => "PASSED",
            ControlStatus::Failed => "FAILED",
            ControlStatus::Warning => "WARNING",
            ControlStatus::NotAvailable => "NOT_AVAILABLE",
            ControlStatus::NoData => "NO_DATA",
            ControlStatus::Manual => "MANUAL",
        }
    }
}

impl fmt::Display for ControlStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which requirements Rampart's checks evaluate, from the check metadata
/// (`CheckMeta::related_requirements()` of every registered check). With it a control without
/// findings can be told apart: no check yet, or no resources.
#[derive(Debug, Clone, Default)]
pub struct Coverage {
    requirements: BTreeSet<String>,
}

impl Coverage {
    pub fn new() -> Coverage {
        Coverage::default()
    }

    /// Builds a coverage from requirement strings such as
    /// `AWS Foundational Security Best Practices/S3.2`.
    pub fn from_requirements<I, S>(requirements: I) -> Coverage
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut c = Coverage::new();
        for r in requirements {
            c.add(r.as_ref());
        }
        c
    }

    pub fn add(&mut self, requirement: &str) {
        self.requirements.insert(normalize_requirement(requirement));
    }

    /// Whether some check evaluates `control` of `standard`.
    pub fn covers(&self, standard: &Standard, control: &Control) -> bool {
        self.requirements
            .contains(&normalize_requirement(&standard.requirement(control)))
    }

    /// How many of the standard's automated controls some check evaluates.
    pub fn covered_controls(&self, standard: &Standard) -> usize {
        standard
            .controls
            .iter()
            .filter(|c| c.kind == ControlKind::Automated && self.covers(standard, c))
            .count()
    }

    /// Requirements that name `standard` but no control of its catalog: a typo in a check's
    /// metadata, or a control Security Hub does not list in that standard.
    pub fn unmatched(&self, standard: &Standard) -> Vec<String> {
        let prefix = normalize_requirement(&standard.requirement_prefix());
        self.requirements
            .iter()
            .filter(|r| r.starts_with(&prefix))
            .filter(|r| standard.control(&r[prefix.len()..]).is_none())
            .cloned()
            .collect()
    }
}

/// Counts of a control's findings by status; `suppressed` findings are counted only there.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub passed: usize,
    pub failed: usize,
    pub warning: usize,
    pub not_available: usize,
    pub suppressed: usize,
}

impl Tally {
    fn add(&mut self, f: &Finding) {
        if f.workflow_status == WorkflowStatus::Suppressed {
            self.suppressed += 1;
            return;
        }
        match f.status {
            Status::Passed => self.passed += 1,
            Status::Failed => self.failed += 1,
            Status::Warning => self.warning += 1,
            Status::NotAvailable => self.not_available += 1,
        }
    }

    fn active(&self) -> usize {
        self.passed + self.failed + self.warning + self.not_available
    }
}

/// A resource behind a failed control.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct FailingResource {
    pub account: String,
    pub region: String,
    pub resource_id: String,
    pub resource_name: String,
    pub check_id: String,
    /// Distinguishes several results on one resource (e.g. `tcp/22`); may be empty.
    pub detail: String,
    pub finding_id: String,
    pub severity: Severity,
}

/// One control's verdict across the estate.
#[derive(Debug, Clone, Serialize)]
pub struct ControlResult {
    pub id: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    pub kind: ControlKind,
    pub status: ControlStatus,
    pub reason: String,
    pub findings: Tally,
    /// Unsuppressed FAILED findings, ordered by account, region and resource.
    pub failing_resources: Vec<FailingResource>,
}

/// A security score over one scope.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Score {
    pub passed: usize,
    pub failed: usize,
    pub warning: usize,
    /// Controls whose results are all NOT_AVAILABLE (nothing could be read).
    pub not_available: usize,
    /// Controls without results: not scored.
    pub no_data: usize,
    pub manual: usize,
    /// `100 × passed ÷ (passed + failed + warning + not_available)`; `None` when no control
    /// has data.
    pub percent: Option<f64>,
}

impl Score {
    fn count(&mut self, s: ControlStatus) {
        match s {
            ControlStatus::Passed => self.passed += 1,
            ControlStatus::Failed => self.failed += 1,
            ControlStatus::Warning => self.warning += 1,
            ControlStatus::NotAvailable => self.not_available += 1,
            ControlStatus::NoData => self.no_data += 1,
            ControlStatus::Manual => self.manual += 1,
        }
    }

    fn finish(mut self) -> Score {
        let with_data = self.passed + self.failed + self.warning + self.not_available;
        self.percent = (with_data > 0).then(|| 100.0 * self.passed as f64 / with_data as f64);
        self
    }

    /// The score as Security Hub shows it: a whole percentage, or `-` without data.
    pub fn display(&self) -> String {
        match self.percent {
            Some(p) => format!("{}%", p.round()),
            None => "-".to_string(),
        }
    }
}

/// Scores of one standard by scope.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Scores {
    pub estate: Score,
    pub accounts: BTreeMap<String, Score>,
    pub regions: BTreeMap<String, Score>,
}

/// The verdict of one standard over one set of findings.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub standard: &'static str,
    pub title: &'static str,
    /// Controls in the catalog's order.
    pub controls: Vec<ControlResult>,
    pub scores: Scores,
    /// How many automated controls a Rampart check evaluates; `None` without a [`Coverage`].
    pub covered_controls: Option<usize>,
    pub automated_controls: usize,
}

/// Evaluates `standard` over `findings` without knowing which controls Rampart's checks
/// cover: a control without findings is NO_DATA.
pub fn evaluate(standard: &Standard, findings: &[Finding]) -> Report {
    run(standard, findings, None)
}

/// Evaluates `standard` over `findings`; `coverage` tells a control no check evaluates yet
/// ("not yet evaluated by rampart") from one with no resources in scope; both are NO_DATA.
pub fn evaluate_with_coverage(
    standard: &Standard,
    findings: &[Finding],
    coverage: &Coverage,
) -> Report {
    run(standard, findings, Some(coverage))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ScopeKind {
    EstateOrAccount,
    Region,
}

fn run(standard: &Standard, findings: &[Finding], coverage: Option<&Coverage>) -> Report {
    let index: HashMap<String, usize> = standard
        .controls
        .iter()
        .enumerate()
        .map(|(i, c)| (normalize_requirement(&standard.requirement(c)), i))
        .collect();
    // For every control, the indexes of its (active, i.e. not archived) findings.
    let mut by_control: Vec<Vec<usize>> = vec![Vec::new(); standard.controls.len()];
    for (fi, f) in findings.iter().enumerate() {
        if f.record_state == RecordState::Archived {
            continue;
        }
        let mut hit: Vec<usize> = f
            .related_requirements
            .iter()
            .filter_map(|r| index.get(&normalize_requirement(r)).copied())
            .collect();
        hit.sort_unstable();
        hit.dedup();
        for ci in hit {
            by_control[ci].push(fi);
        }
    }
    let covered: Vec<Option<bool>> = standard
        .controls
        .iter()
        .map(|c| coverage.map(|cov| cov.covers(standard, c)))
        .collect();

    let accounts: BTreeSet<&str> = findings
        .iter()
        .map(|f| f.resource.account.as_str())
        .collect();
    let regions: BTreeSet<&str> = findings
        .iter()
        .map(|f| f.resource.region.as_str())
        .collect();

    let mut controls = Vec::with_capacity(standard.controls.len());
    let mut scores = Scores::default();
    let mut acct: BTreeMap<&str, Score> = accounts.iter().map(|a| (*a, Score::default())).collect();
    let mut reg: BTreeMap<&str, Score> = regions.iter().map(|r| (*r, Score::default())).collect();

    for (ci, control) in standard.controls.iter().enumerate() {
        // A manual control is decided by hand: results that name it count for the
        // automated controls they also name, never as its failing resources.
        let mine: &[usize] = if control.kind == ControlKind::Manual {
            &[]
        } else {
            &by_control[ci]
        };
        let mut tally = Tally::default();
        for &fi in mine {
            tally.add(&findings[fi]);
        }
        let (status, reason) = decide(control, &tally, covered[ci], ScopeKind::EstateOrAccount);
        scores.estate.count(status);

        for (a, score) in acct.iter_mut() {
            let t = tally_where(findings, mine, |f| f.resource.account == *a);
            score.count(decide(control, &t, covered[ci], ScopeKind::EstateOrAccount).0);
        }
        for (r, score) in reg.iter_mut() {
            let t = tally_where(findings, mine, |f| f.resource.region == *r);
            score.count(decide(control, &t, covered[ci], ScopeKind::Region).0);
        }

        let mut failing: Vec<FailingResource> = mine
            .iter()
            .map(|&fi| &findings[fi])
            .filter(|f| {
                f.status == Status::Failed && f.workflow_status != WorkflowStatus::Suppressed
            })
            .map(|f| FailingResource {
                account: f.resource.account.clone(),
                region: f.resource.region.clone(),
                resource_id: f.resource.id.clone(),
                resource_name: f.resource.name.clone(),
                check_id: f.check_id.to_string(),
                detail: f.detail.clone(),
                finding_id: f.id.clone(),
                severity: f.severity,
            })
            .collect();
        failing.sort();
        failing.dedup();

        controls.push(ControlResult {
            id: control.id,
            title: control.title,
            severity: control.severity,
            kind: control.kind,
            status,
            reason,
            findings: tally,
            failing_resources: failing,
        });
    }

    scores.estate = scores.estate.finish();
    scores.accounts = acct
        .into_iter()
        .map(|(a, s)| (a.to_string(), s.finish()))
        .collect();
    scores.regions = reg
        .into_iter()
        .map(|(r, s)| (r.to_string(), s.finish()))
        .collect();
    let automated_controls = standard
        .controls
        .iter()
        .filter(|c| c.kind == ControlKind::Automated)
        .count();
    Report {
        standard: standard.id,
        title: standard.title,
        controls,
        scores,
        covered_controls: coverage.map(|c| c.covered_controls(standard)),
        automated_controls,
    }
}

fn tally_where(findings: &[Finding], mine: &[usize], keep: impl Fn(&Finding) -> bool) -> Tally {
    let mut t = Tally::default();
    for &fi in mine {
        if keep(&findings[fi]) {
            t.add(&findings[fi]);
        }
    }
    t
}

/// Security Hub's control status rules, plus Rampart's words for why there is no data.
fn decide(
    control: &Control,
    t: &Tally,
    covered: Option<bool>,
    scope: ScopeKind,
) -> (ControlStatus, String) {
    if control.kind == ControlKind::Manual {
        return (
            ControlStatus::Manual,
            "manual control: assess it by hand; not scored".to_string(),
        );
    }
    let active = t.active();
    if t.failed > 0 {
        return (
            ControlStatus::Failed,
            format!("{} of {} results failed", t.failed, active),
        );
    }
    if t.not_available > 0 && t.not_available == active {
        return (
            ControlStatus::NotAvailable,
            format!(
                "all {active} results are NOT_AVAILABLE: the data could not be read; scored as not passed"
            ),
        );
    }
    if t.warning + t.not_available > 0 {
        return (
            ControlStatus::Warning,
            format!(
                "{} of {} results could not be decided (WARNING or NOT_AVAILABLE); none failed",
                t.warning + t.not_available,
                active
            ),
        );
    }
    if t.passed > 0 {
        return (
            ControlStatus::Passed,
            format!("all {} results passed", t.passed),
        );
    }
    if t.suppressed > 0 {
        return (
            ControlStatus::NoData,
            format!("all {} findings are suppressed", t.suppressed),
        );
    }
    let reason = match (covered, scope) {
        (Some(false), _) => "not yet evaluated by rampart",
        (Some(true), ScopeKind::EstateOrAccount) => "no resources in scope",
        (Some(true), ScopeKind::Region) => "no resources in this region",
        (None, _) => "no findings: not evaluated by rampart, or no resources in scope",
    };
    (ControlStatus::NoData, reason.to_string())
}

impl Report {
    /// The report as pretty-printed JSON.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self)
    }

    /// The result of one control.
    pub fn control(&self, id: &str) -> Option<&ControlResult> {
        let id = normalize_requirement(id);
        self.controls
            .iter()
            .find(|c| normalize_requirement(c.id) == id)
    }
}

#[cfg(test)]
mod tests;
