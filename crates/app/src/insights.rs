//! Insights as both front ends show them: Security Hub's managed insights and saved custom
//! ones (a filter and a group-by attribute), each a count per group value, drillable to
//! the findings of one group.

use anyhow::{Context, Result};
use rampart_hub::{FindingFilters, FindingRecord, Insight, InsightResult, Store};
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
