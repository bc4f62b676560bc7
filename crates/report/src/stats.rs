//! The aggregates the terminal and HTML summaries show, computed once from a report.

use crate::text::check_title;
use crate::Report;
use rampart_model::{GapKind, ResourceType, Severity, Status};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// How many rows the "top" lists keep.
pub const TOP: usize = 10;

pub const STATUSES: [Status; 4] = [
    Status::Passed,
    Status::Failed,
    Status::Warning,
    Status::NotAvailable,
];

pub struct Stats<'a> {
    pub total: usize,
    /// Counts in the order of [`STATUSES`].
    pub by_status: [usize; 4],
    /// FAILED and WARNING results, in the order of [`Severity::ALL`] (critical first).
    pub problems_by_severity: [(Severity, usize); 5],
    pub problems: usize,
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
    /// The most severe problem of this check.
    pub severity: Severity,
}

pub struct ResourceRow<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub kind: ResourceType,
    pub account: &'a str,
    pub region: &'a str,
    pub count: usize,
    pub severity: Severity,
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
        let mut checks: BTreeMap<&str, CheckRow> = BTreeMap::new();
        let mut resources: BTreeMap<(&str, &str, &str), ResourceRow> = BTreeMap::new();

        for f in report.findings {
            by_status[status_index(f.status)] += 1;
            if !f.is_problem() {
                continue;
            }
            if let Some(slot) = problems_by_severity
                .iter_mut()
                .find(|(s, _)| *s == f.severity)
            {
                slot.1 += 1;
            }
            let check = checks.entry(&f.check_id).or_insert(CheckRow {
                check_id: &f.check_id,
                title: check_title(&f.title, &f.detail),
                count: 0,
                severity: f.severity,
            });
            check.count += 1;
            check.severity = check.severity.max(f.severity);

            let r = &f.resource;
            let res = resources
                .entry((&r.account, &r.region, &r.id))
                .or_insert(ResourceRow {
                    id: &r.id,
                    name: &r.name,
                    kind: r.kind,
                    account: &r.account,
                    region: &r.region,
                    count: 0,
                    severity: f.severity,
                });
            res.count += 1;
            res.severity = res.severity.max(f.severity);
        }

        let failing_checks = checks.len();
        let mut top_checks: Vec<CheckRow> = checks.into_values().collect();
        // Most severe first, then most frequent; the map's id order breaks ties.
        top_checks.sort_by(|a, b| b.severity.cmp(&a.severity).then(b.count.cmp(&a.count)));
        top_checks.truncate(TOP);

        let failing_resources = resources.len();
        let mut top_resources: Vec<ResourceRow> = resources.into_values().collect();
        top_resources.sort_by(|a, b| b.severity.cmp(&a.severity).then(b.count.cmp(&a.count)));
        top_resources.truncate(TOP);

        let problems = problems_by_severity.iter().map(|(_, n)| n).sum();
        let duration = (report.run.finished_at - report.run.started_at)
            .try_into()
            .unwrap_or(Duration::ZERO);

        Stats {
            total: report.findings.len(),
            by_status,
            problems_by_severity,
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
        let (_, acc) = groups
            .entry((&g.action, g.kind.as_str()))
            .or_insert_with(|| {
                (
                    g.kind,
                    Acc {
                        resources: BTreeSet::new(),
                        regions: BTreeSet::new(),
                        accounts: BTreeSet::new(),
                        message: &g.message,
                    },
                )
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
            regions: acc
                .regions
                .iter()
                .map(|(_, r)| *r)
                .collect::<BTreeSet<_>>()
                .len(),
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
        let report = Report {
            run: &run,
            findings: &findings,
            gaps: &gaps, compliance: &[],
        };
        let s = Stats::new(&report);
        assert_eq!(s.total, findings.len());
        assert_eq!(s.by_status.iter().sum::<usize>(), s.total);
        assert_eq!(s.count(Status::NotAvailable), 1);
        assert_eq!(
            s.problems,
            s.count(Status::Failed) + s.count(Status::Warning)
        );
        // Sorted most severe first.
        assert!(s
            .top_checks
            .windows(2)
            .all(|w| w[0].severity >= w[1].severity));
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
        let report = Report {
            run: &run,
            findings: &findings,
            gaps: &gaps, compliance: &[],
        };
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
}
