//! Insights as both front ends show them: Security Hub's managed insights and saved custom
//! ones (a filter and a group-by attribute), each a count per group value, drillable to
//! the findings of one group.

use anyhow::{Context, Result};
use rampart_hub::{FindingFilters, FindingRecord, Insight, InsightResult, Store};
use rampart_model::RunInfo;
use std::path::Path;

/// An insight and its counts, largest group first.
pub fn results(store: &Store, id: &str) -> Result<(Insight, Vec<InsightResult>)> {
    let insight = store.insight(id)?;
    let results = store.insight_results(&insight, crate::now())?;
    Ok((insight, results))
}

/// The findings of one group of an insight, every page of them up to `limit`, with how
/// many there are in all.
pub fn drill_down(store: &Store, id: &str, value: &str, limit: usize) -> Result<(u64, Vec<FindingRecord>)> {
    let insight = store.insight(id)?;
    let mut query = insight.drill_down(value)?;
    let now = crate::now();
    let total = store.insight_results(&insight, now)?.into_iter().find(|r| r.value == value).map_or(0, |r| r.count);
    let mut out = Vec::new();
    loop {
        let page = store.get_findings(&query, now)?;
        out.extend(page.findings);
        match page.next_token {
            Some(token) if out.len() < limit => query.next_token = Some(token),
            _ => break,
        }
    }
    out.truncate(limit);
    Ok((total, out))
}

/// Filters in Security Hub's `AwsSecurityFindingFilters` JSON, from a file.
pub fn filters_from_file(path: &Path) -> Result<FindingFilters> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read `{}`: check the path", path.display()))?;
    FindingFilters::from_json_str(&text).with_context(|| format!("`{}`", path.display()))
}

/// The count of the findings `filters` select per value of `group_by` (a Security Hub
/// `GroupByAttribute`, [`rampart_hub::GROUP_BY`]), largest group first, at most
/// [`rampart_hub::MAX_INSIGHT_RESULTS`] groups: an unsaved insight, counted by the store
/// (no finding is loaded).
pub fn group_counts(store: &Store, filters: &FindingFilters, group_by: &str) -> Result<Vec<InsightResult>> {
    let insight = Insight {
        id: String::new(),
        name: format!("grouped by {group_by}"),
        filters: filters.clone(),
        group_by: group_by.to_string(),
        managed: false,
    };
    Ok(store.insight_results(&insight, crate::now())?)
}

/// One standard's security score in one run.
#[derive(Debug, Clone, PartialEq)]
pub struct StandardScore {
    /// `cis-aws-3.0`, `fsbp` or `trusted-advisor`.
    pub standard: &'static str,
    pub title: &'static str,
    pub score: rampart_compliance::Score,
}

/// Every standard's score over the results `run` recorded (the estate scores `rampart
/// compliance --run` reports), in the catalog's order. Reads each distinct kind of result
/// once ([`Store::run_result_kinds`]), not every result: a control's status depends on
/// which statuses its unsuppressed results have, not on how many, so a million results
/// score as their few kinds do.
pub fn run_scores(store: &Store, run: &str) -> Result<Vec<StandardScore>> {
    let kinds = store.run_result_kinds(run)?;
    let at = time::OffsetDateTime::UNIX_EPOCH;
    let findings: Vec<rampart_model::Finding> = kinds
        .into_iter()
        .enumerate()
        .map(|(i, k)| rampart_model::Finding {
            id: format!("kind-{i}"),
            check_id: "".into(),
            title: "".into(),
            description: "".into(),
            severity: rampart_model::Severity::Informational,
            status: k.status,
            reason: String::new(),
            detail: String::new(),
            service: "".into(),
            resource: rampart_model::Resource {
                id: format!("kind-{i}"),
                kind: rampart_model::ResourceType::Other,
                account: String::new(),
                region: String::new(),
                partition: String::new(),
                name: String::new(),
            },
            remediation_console: "".into(),
            remediation_cli: "".into(),
            remediation_url: "".into(),
            related_requirements: k.related_requirements.into(),
            first_observed: at,
            last_observed: at,
            workflow_status: k.workflow_status,
            record_state: rampart_model::RecordState::Active,
            vulnerability: None,
        })
        .collect();
    let coverage =
        rampart_compliance::Coverage::from_requirements(rampart_checks::REGISTRY.iter().flat_map(|c| c.meta.related_requirements()));
    Ok(rampart_compliance::STANDARDS
        .iter()
        .map(|s| {
            let r = rampart_compliance::evaluate_with_coverage(s, &findings, &coverage);
            StandardScore { standard: r.standard, title: r.title, score: r.scores.estate }
        })
        .collect())
}

/// The scores of the `limit` latest runs, oldest first (a history to draw), each computed
/// by `score` — [`run_scores`], or a cache in front of it (a run's results never change).
pub fn score_history(
    store: &Store,
    limit: usize,
    mut score: impl FnMut(&Store, &RunInfo) -> Result<Vec<StandardScore>>,
) -> Result<Vec<(RunInfo, Vec<StandardScore>)>> {
    let mut runs = store.runs()?;
    runs.truncate(limit);
    runs.reverse();
    runs.into_iter().map(|r| score(store, &r).map(|s| (r, s))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rampart_hub::StringComparison;
    use rampart_model::Status;

    #[test]
    fn scores_per_run_make_a_history_oldest_first_and_group_counts_add_up() {
        let mut store = Store::open_in_memory().unwrap();
        let inv = crate::inputs::demo().unwrap();
        let mut first = crate::scan::check_inventory(&inv, "demo", None, crate::now());
        first.run.id = "run-1".into();
        first.record(&mut store).unwrap();
        // A person suppresses one failure (scores leave it out); the second run fixed
        // every failure of one check: its scores differ.
        let suppressed = first.findings.iter().rev().find(|f| f.status == Status::Failed).unwrap().id.clone();
        store.set_workflow(&suppressed, rampart_model::WorkflowStatus::Suppressed, "accepted risk").unwrap();
        let mut second = crate::scan::check_inventory(&inv, "demo", None, crate::now() + time::Duration::minutes(5));
        second.run.id = "run-2".into();
        for f in second.findings.iter_mut().filter(|f| f.status == Status::Failed) {
            f.status = Status::Passed;
        }
        second.record(&mut store).unwrap();

        let history = score_history(&store, 10, |s, r| run_scores(s, &r.id)).unwrap();
        let ids: Vec<&str> = history.iter().map(|(r, _)| r.id.as_str()).collect();
        assert_eq!(ids, ["run-1", "run-2"]);
        assert!(store.run_result_kinds("run-2").unwrap().iter().any(|k| k.workflow_status == rampart_model::WorkflowStatus::Suppressed));
        for (run, scores) in &history {
            let (_, reports) = crate::browse::compliance(&store, Some(&run.id), &[]).unwrap().unwrap();
            assert_eq!(scores.len(), reports.len());
            for (s, r) in scores.iter().zip(&reports) {
                assert_eq!((s.standard, s.score), (r.standard, r.scores.estate));
            }
        }
        let fsbp = |i: usize| history[i].1.iter().find(|s| s.standard == "fsbp").unwrap().score;
        assert!(fsbp(0).failed > 0 && fsbp(1).failed == 0, "{:?} {:?}", fsbp(0), fsbp(1));
        assert_eq!(score_history(&store, 1, |s, r| run_scores(s, &r.id)).unwrap().len(), 1, "the limit keeps the latest");

        // Counts per severity of the active findings add up to their number.
        let active = FindingFilters::default().with_string("RecordState", StringComparison::Equals, "ACTIVE").unwrap();
        let groups = group_counts(&store, &active, "SeverityLabel").unwrap();
        assert!(groups.len() > 1);
        assert_eq!(groups.iter().map(|g| g.count).sum::<u64>(), store.count_matching(&active, crate::now()).unwrap());
        assert!(group_counts(&store, &active, "Colour").unwrap_err().to_string().contains("cannot group by `Colour`"));
    }
}
