//! The aggregates the terminal and HTML summaries show, computed once from a report.

use crate::text::check_title;
use crate::Report;
use rampart_model::{GapKind, ResourceType, Severity, Status};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// How many rows the "top" lists keep.
pub const TOP: usize = 10;

pub const STATUSES: [Status; 4] = [Status::Passed, Status::Failed, Status::Warning, Status::NotAvailable];

pub struct Stats<'a> {
    pub total: usize,
    /// Counts in the order of [`STATUSES`].
    pub by_status: [usize; 4],
    /// FAILED and WARNING results, in the order of [`Severity::ALL`] (critical first);
    /// vulnerabilities no source rates are counted in `problems_unknown` instead.
    pub problems_by_severity: [(Severity, usize); 5],
    /// FAILED and WARNING vulnerabilities whose severity is unknown.
    pub problems_unknown: usize,
    pub problems: usize,
    /// One row per check and severity: each count is of findings of that severity, so
    /// that 281 CVE findings of which 3 are critical read as 3 critical, not 281.
    pub top_checks: Vec<CheckRow<'a>>,
    /// How many distinct checks have problems (the list shows [`TOP`]).
    pub failing_checks: usize,
    pub top_resources: Vec<ResourceRow<'a>>,
    pub failing_resources: usize,
    pub gaps: Vec<GapGroup<'a>>,
    pub duration: Duration,
}

pub struct CheckRow<'a> {
    pub check_id: &'a str,
    pub title: &'a str,
    pub count: usize,
    /// The severity of these problems (informational when `unknown`).
    pub severity: Severity,
    /// Vulnerabilities no source rates.
    pub unknown: bool,
}

/// One row per resource and severity, as [`CheckRow`].
pub struct ResourceRow<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub kind: ResourceType,
    pub account: &'a str,
    pub region: &'a str,
    pub count: usize,
    pub severity: Severity,
    /// Vulnerabilities no source rates.
    pub unknown: bool,
}

/// A row's name for its severity: `unknown` or the level.
pub fn severity_name(severity: Severity, unknown: bool) -> &'static str {
    if unknown {
        "unknown"
    } else {
        severity.as_str()
    }
}

/// Sort rank: unknown just above informational (a vulnerability, but unrated).
fn rank(severity: Severity, unknown: bool) -> u8 {
    severity.ocsf_id() * 2 + u8::from(unknown)
}

/// Gaps with the same IAM action and kind, merged.
pub struct GapGroup<'a> {
    pub action: &'a str,
    pub kind: GapKind,
    /// Distinct resources named by the gaps (0 when the call was not about one).
    pub resources: usize,
    pub regions: usize,
    pub accounts: usize,
    /// The first gap's message, as an example.
    pub message: &'a str,
}

impl<'a> Stats<'a> {
    pub fn new(report: &Report<'a>) -> Stats<'a> {
        let mut by_status = [0; 4];
        let mut problems_by_severity = Severity::ALL.map(|s| (s, 0));
        let mut problems_unknown = 0;
        let mut checks: BTreeMap<(&str, u8), CheckRow> = BTreeMap::new();
        let mut resources: BTreeMap<(&str, &str, &str, u8), ResourceRow> = BTreeMap::new();

        for f in report.findings {
            by_status[status_index(f.status)] += 1;
            if !f.is_problem() {
                continue;
            }
            let unknown = f.severity_unknown();
            if unknown {
                problems_unknown += 1;
            } else if let Some(slot) = problems_by_severity.iter_mut().find(|(s, _)| *s == f.severity) {
                slot.1 += 1;
            }
            let rank = rank(f.severity, unknown);
            checks
                .entry((&f.check_id, rank))
                .or_insert(CheckRow {
                    check_id: &f.check_id,
                    title: check_title(&f.title, &f.detail),
                    count: 0,
                    severity: f.severity,
                    unknown,
                })
                .count += 1;

            let r = &f.resource;
            resources
                .entry((&r.account, &r.region, &r.id, rank))
                .or_insert(ResourceRow {
                    id: &r.id,
                    name: &r.name,
                    kind: r.kind,
                    account: &r.account,
                    region: &r.region,
                    count: 0,
                    severity: f.severity,
                    unknown,
                })
                .count += 1;
        }

        let failing_checks = checks.keys().map(|(id, _)| id).collect::<BTreeSet<_>>().len();
        let mut top_checks: Vec<CheckRow> = checks.into_values().collect();
        // Most severe first, then most frequent; the map's id order breaks ties.
        top_checks.sort_by(|a, b| rank(b.severity, b.unknown).cmp(&rank(a.severity, a.unknown)).then(b.count.cmp(&a.count)));
        top_checks.truncate(TOP);

        let failing_resources = resources.keys().map(|(a, r, id, _)| (a, r, id)).collect::<BTreeSet<_>>().len();
        let mut top_resources: Vec<ResourceRow> = resources.into_values().collect();
        top_resources.sort_by(|a, b| rank(b.severity, b.unknown).cmp(&rank(a.severity, a.unknown)).then(b.count.cmp(&a.count)));
        top_resources.truncate(TOP);

        let problems = problems_by_severity.iter().map(|(_, n)| n).sum::<usize>() + problems_unknown;
        let duration = (report.run.finished_at - report.run.started_at).try_into().unwrap_or(Duration::ZERO);

        Stats {
            total: report.findings.len(),
            by_status,
            problems_by_severity,
            problems_unknown,
            problems,
            top_checks,
            failing_checks,
            top_resources,
            failing_resources,
            gaps: group_gaps(report),
            duration,
        }
    }

    pub fn count(&self, status: Status) -> usize {
        self.by_status[status_index(status)]
    }
}

fn status_index(s: Status) -> usize {
    match s {
        Status::Passed => 0,
        Status::Failed => 1,
        Status::Warning => 2,
        Status::NotAvailable => 3,
    }
}

fn group_gaps<'a>(report: &Report<'a>) -> Vec<GapGroup<'a>> {
    struct Acc<'a> {
        resources: BTreeSet<&'a str>,
        regions: BTreeSet<(&'a str, &'a str)>,
        accounts: BTreeSet<&'a str>,
        message: &'a str,
    }
    // Keyed by (action, kind label) so the order is stable and readable.
    let mut groups: BTreeMap<(&str, &str), (GapKind, Acc)> = BTreeMap::new();
    for g in report.gaps {
        let (_, acc) = groups.entry((&g.action, g.kind.as_str())).or_insert_with(|| {
            (g.kind, Acc { resources: BTreeSet::new(), regions: BTreeSet::new(), accounts: BTreeSet::new(), message: &g.message })
        });
        if let Some(r) = &g.resource {
            acc.resources.insert(r);
        }
        acc.regions.insert((&g.account, &g.region));
        acc.accounts.insert(&g.account);
    }
    groups
        .into_iter()
        .map(|((action, _), (kind, acc))| GapGroup {
            action,
            kind,
            resources: acc.resources.len(),
            regions: acc.regions.iter().map(|(_, r)| *r).collect::<BTreeSet<_>>().len(),
            accounts: acc.accounts.len(),
            message: acc.message,
        })
        .collect()
}

/// `1h 02m 03s`, `2m 05s`, `42s`.
pub fn human_duration(d: Duration) -> String {
    let s = d.as_secs();
    match (s / 3600, (s % 3600) / 60, s % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, s) => format!("{m}m {s:02}s"),
        (h, m, s) => format!("{h}h {m:02}m {s:02}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;

    #[test]
    fn counts_and_tops() {
        let (run, findings, gaps) = fixtures::small();
        let report = Report { run: &run, findings: &findings, gaps: &gaps, compliance: &[] };
        let s = Stats::new(&report);
        assert_eq!(s.total, findings.len());
        assert_eq!(s.by_status.iter().sum::<usize>(), s.total);
        assert_eq!(s.count(Status::NotAvailable), 1);
        assert_eq!(s.problems, s.count(Status::Failed) + s.count(Status::Warning));
        // Sorted most severe first.
        assert!(s.top_checks.windows(2).all(|w| w[0].severity >= w[1].severity));
        assert!(s.top_checks.iter().all(|c| !c.title.ends_with(')')));
    }

    #[test]
    fn gaps_are_merged_by_action_and_kind() {
        let (run, findings, mut gaps) = fixtures::small();
        let mut g = gaps[0].clone();
        g.resource = Some("arn:aws:s3:::other".into());
        g.region = "eu-west-1".into();
        gaps.push(g.clone());
        gaps.push(g); // an exact duplicate counts once
        let report = Report { run: &run, findings: &findings, gaps: &gaps, compliance: &[] };
        let s = Stats::new(&report);
        let merged = s.gaps.iter().find(|x| x.action == gaps[0].action).unwrap();
        assert_eq!(merged.resources, 1);
        assert_eq!(merged.regions, 2);
        assert_eq!(merged.accounts, 1);
    }

    #[test]
    fn durations() {
        assert_eq!(human_duration(Duration::from_secs(42)), "42s");
        assert_eq!(human_duration(Duration::from_secs(125)), "2m 05s");
        assert_eq!(human_duration(Duration::from_secs(3723)), "1h 02m 03s");
    }

    /// 281 CVE findings of which 3 are critical are counted as 3 critical, the rest by
    /// their own severity, and the unrated ones as unknown.
    #[test]
    fn counts_by_each_findings_real_severity() {
        let (run, mut findings) = fixtures::vulnerabilities();
        let template = findings.clone();
        for i in 0..277 {
            let mut f = template[2].clone(); // unknown severity
            f.id = format!("unknown-{i}");
            findings.push(f);
        }
        for i in 0..3 {
            let mut f = template[0].clone();
            f.id = format!("critical-{i}");
            f.severity = Severity::Critical;
            f.vulnerability.as_mut().unwrap().severity = Some(Severity::Critical);
            findings.push(f);
        }
        let report = Report { run: &run, findings: &findings, gaps: &[], compliance: &[] };
        let s = Stats::new(&report);
        let cve: Vec<(&str, usize)> =
            s.top_checks.iter().filter(|c| c.check_id == "host_cve").map(|c| (severity_name(c.severity, c.unknown), c.count)).collect();
        assert_eq!(cve, [("critical", 3), ("high", 2), ("unknown", 278)]);
        assert_eq!(s.failing_checks, 2, "host_cve and kms_key_rotation");
        assert_eq!(s.problems_unknown, 278);
        assert_eq!(s.problems, 284);
        let by: Vec<usize> = s.problems_by_severity.iter().map(|(_, n)| *n).collect();
        assert_eq!(by, [3, 2, 1, 0, 0], "critical, high, medium (kms), low, informational");
        assert_eq!(s.failing_resources, 1);
        assert_eq!(s.top_resources[0].count, 3, "the host's critical findings only");
    }
}
