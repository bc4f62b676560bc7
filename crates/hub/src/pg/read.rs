//! Reading the findings store on PostgreSQL, and people's workflow changes: the same
//! results as the SQLite methods of the same names (`store.rs`, `query.rs`, `triage.rs`).

use super::{value_of, PgStore, DIALECT};
use crate::codec;
use crate::dialect::Cells;
use crate::query::{self, FindingQuery, FindingRecord, FindingsPage, KEY_COLUMN, MAX_RESULTS};
use crate::store::{filter_clauses, finding_from_row, order_by, FindingFilter, WorkflowChange, CURRENT_COLUMNS, RUN_COLUMNS};
use crate::triage::{plan, BatchUpdateResult, ChangeAuthor, Current, FindingUpdate, Planned, UnprocessedFinding, MAX_UPDATE_FINDINGS};
use crate::{QueryError, StoreError};
use rampart_model::{Finding, Gap, RunInfo, Timestamp, WorkflowStatus};
use rusqlite::types::Value;
use std::collections::{BTreeMap, BTreeSet};

impl PgStore {
    /// Every recorded run, newest first.
    pub fn runs(&self) -> Result<Vec<RunInfo>, StoreError> {
        let bad = crate::store::corrupt(self.path());
        let rows = self.query_values(
            "SELECT id, started_at, finished_at, source, accounts, regions, tool_version, checks, incomplete
             FROM runs ORDER BY started_at DESC, id DESC",
            &[],
        )?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let text = |i: usize| row.string(i, self.path());
            out.push(RunInfo {
                id: text(0)?,
                started_at: codec::time_from_text(&text(1)?).map_err(&bad)?,
                finished_at: codec::time_from_text(&text(2)?).map_err(&bad)?,
                source: text(3)?,
                accounts: codec::strings_from_json("account list", &text(4)?).map_err(&bad)?,
                regions: codec::strings_from_json("region list", &text(5)?).map_err(&bad)?,
                tool_version: text(6)?,
                checks: codec::strings_from_json("check list", &text(7)?).map_err(&bad)?,
                incomplete: codec::strings_from_json("list of what was not read", &text(8)?).map_err(&bad)?,
            });
        }
        Ok(out)
    }

    fn require_run(&self, run_id: &str) -> Result<(), StoreError> {
        let rows = self.query_values("SELECT 1 FROM runs WHERE id = ?", &[Value::Text(run_id.into())])?;
        if rows.is_empty() {
            Err(StoreError::UnknownRun(run_id.to_string()))
        } else {
            Ok(())
        }
    }

    fn require_finding(&self, id: &str) -> Result<(), StoreError> {
        let rows = self.query_values("SELECT 1 FROM findings WHERE id = ?", &[Value::Text(id.into())])?;
        if rows.is_empty() {
            Err(StoreError::UnknownFinding(id.to_string()))
        } else {
            Ok(())
        }
    }

    fn findings_of(&self, text: &str, values: &[Value]) -> Result<Vec<Finding>, StoreError> {
        self.query_values(text, values)?.iter().map(|r| finding_from_row(r, self.path())).collect()
    }

    /// The findings of one run as that run saw them. Most severe first.
    pub fn run_results(&self, run_id: &str) -> Result<Vec<Finding>, StoreError> {
        self.require_run(run_id)?;
        let text = format!(
            "SELECT {RUN_COLUMNS} FROM run_results r JOIN findings f ON f.id = r.finding_id WHERE r.run_id = ? {}",
            order_by("r.severity")
        );
        self.findings_of(&text, &[Value::Text(run_id.into())])
    }

    /// The gaps of one run, in the order they were recorded.
    pub fn gaps(&self, run_id: &str) -> Result<Vec<Gap>, StoreError> {
        self.require_run(run_id)?;
        let bad = crate::store::corrupt(self.path());
        let rows = self.query_values(
            "SELECT action, kind, account, region, resource, message FROM gaps WHERE run_id = ? ORDER BY seq",
            &[Value::Text(run_id.into())],
        )?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let text = |i: usize| row.string(i, self.path());
            out.push(Gap {
                action: text(0)?,
                kind: codec::gap_kind_from_text(&text(1)?).map_err(&bad)?,
                account: text(2)?,
                region: text(3)?,
                resource: row.text(4, self.path())?,
                message: text(5)?,
            });
        }
        Ok(out)
    }

    /// The current state of the findings `filter` selects, most severe first.
    pub fn findings(&self, filter: &FindingFilter) -> Result<Vec<Finding>, StoreError> {
        let (where_clause, mut values) = filter_clauses(filter, DIALECT);
        let mut text = format!("SELECT {CURRENT_COLUMNS} FROM findings f{where_clause} ");
        text.push_str(&order_by("coalesce(f.severity_label, f.severity)"));
        if let Some(limit) = filter.limit {
            text.push_str(" LIMIT ?");
            values.push(Value::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
        }
        self.findings_of(&text, &values)
    }

    /// How many findings `filter` selects, its `limit` aside.
    pub fn count_findings(&self, filter: &FindingFilter) -> Result<usize, StoreError> {
        let (where_clause, values) = filter_clauses(filter, DIALECT);
        let rows = self.query_values(&format!("SELECT count(*) FROM findings f{where_clause}"), &values)?;
        Ok(rows.first().and_then(|r| r.int(0, self.path()).ok().flatten()).unwrap_or(0) as usize)
    }

    /// One page of the findings `query` selects (`GetFindings`), as [`crate::Store::get_findings`].
    pub fn get_findings(&self, query: &FindingQuery, now: Timestamp) -> Result<FindingsPage, StoreError> {
        if !(1..=MAX_RESULTS).contains(&query.max_results) {
            return Err(QueryError::MaxResults(query.max_results as i64).into());
        }
        let fingerprint = query.fingerprint();
        let (text, values) = query::page_statement_in(query, &fingerprint, false, now, DIALECT)?;
        let rows = self.query_values(&text, &values)?;
        let mut items: Vec<(FindingRecord, Value)> = Vec::with_capacity(rows.len());
        for row in &rows {
            items.push((query::record_from_row(row, self.path())?, value_of(row, KEY_COLUMN, &self.target)?));
        }
        let more = items.len() > query.max_results;
        items.truncate(query.max_results);
        let next_token = match items.last() {
            Some((last, key)) if more => Some(query::encode_token(&fingerprint, key, &last.finding.id)),
            _ => None,
        };
        let mut findings: Vec<FindingRecord> = items.into_iter().map(|(r, _)| r).collect();
        self.attach_tags(&mut findings)?;
        Ok(FindingsPage { findings, next_token })
    }

    /// How many findings `query` selects (the total of every page).
    pub fn count_query(&self, query: &FindingQuery, now: Timestamp) -> Result<u64, StoreError> {
        let (text, values) = query::count_statement_in(query, now, DIALECT);
        let rows = self.query_values(&text, &values)?;
        Ok(rows.first().map(|r| r.int(0, self.path())).transpose()?.flatten().unwrap_or(0) as u64)
    }

    /// How many findings `filters` select.
    pub fn count_matching(&self, filters: &crate::FindingFilters, now: Timestamp) -> Result<u64, StoreError> {
        self.count_query(&FindingQuery::new(filters.clone()), now)
    }

    /// One finding with what people set on it.
    pub fn finding_record(&self, id: &str) -> Result<FindingRecord, StoreError> {
        let text = format!("SELECT {CURRENT_COLUMNS}, {} FROM findings f WHERE f.id = ?", query::RECORD_COLUMNS);
        let rows = self.query_values(&text, &[Value::Text(id.into())])?;
        let Some(row) = rows.first() else {
            return Err(StoreError::UnknownFinding(id.to_string()));
        };
        let mut records = vec![query::record_from_row(row, self.path())?];
        self.attach_tags(&mut records)?;
        Ok(records.remove(0))
    }

    fn attach_tags(&self, records: &mut [FindingRecord]) -> Result<(), StoreError> {
        if records.is_empty() {
            return Ok(());
        }
        let ids: Vec<String> = records.iter().map(|r| r.finding.resource.id.clone()).collect();
        let rows = self.query_values(
            &format!("SELECT resource_id, key, value FROM resource_tags WHERE {}", DIALECT.in_json_list("resource_id")),
            &[Value::Text(codec::strings_to_json(&ids))],
        )?;
        let mut by_resource: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        for row in rows {
            by_resource.entry(row.string(0, self.path())?).or_default().insert(row.string(1, self.path())?, row.string(2, self.path())?);
        }
        for rec in records {
            if let Some(tags) = by_resource.get(&rec.finding.resource.id) {
                rec.resource_tags = tags.clone();
            }
        }
        Ok(())
    }

    /// Sets a finding's workflow status by hand, recording the change with `note` and who.
    pub fn set_workflow_by(
        &mut self,
        finding_id: &str,
        status: WorkflowStatus,
        note: &str,
        changed_by: Option<&str>,
    ) -> Result<(), StoreError> {
        let err = self.err();
        let now = codec::time_to_text(Timestamp::now_utc());
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction().map_err(&err)?;
        let from = tx.query_opt("SELECT workflow_status FROM findings WHERE id = $1 FOR UPDATE", &[&finding_id]).map_err(&err)?;
        let Some(from) = from.map(|r| r.get::<_, String>(0)) else {
            return Err(StoreError::UnknownFinding(finding_id.to_string()));
        };
        tx.execute("UPDATE findings SET workflow_status = $2, updated_at = $3 WHERE id = $1", &[&finding_id, &status.as_str(), &now])
            .map_err(&err)?;
        tx.execute(
            "INSERT INTO workflow_history (finding_id, changed_at, from_status, to_status, note, run_id, changed_by)
             VALUES ($1, $2, $3, $4, $5, NULL, $6)",
            &[&finding_id, &now, &from, &status.as_str(), &note, &changed_by],
        )
        .map_err(&err)?;
        tx.commit().map_err(&err)
    }

    /// Every workflow change of a finding, oldest first.
    pub fn workflow_history(&self, finding_id: &str) -> Result<Vec<WorkflowChange>, StoreError> {
        self.require_finding(finding_id)?;
        let bad = crate::store::corrupt(self.path());
        let rows = self.query_values(
            "SELECT changed_at, from_status, to_status, note, run_id, changed_by FROM workflow_history WHERE finding_id = ? ORDER BY id",
            &[Value::Text(finding_id.into())],
        )?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let text = |i: usize| row.string(i, self.path());
            out.push(WorkflowChange {
                finding_id: finding_id.to_string(),
                changed_at: codec::time_from_text(&text(0)?).map_err(&bad)?,
                from: codec::workflow_from_text(&text(1)?).map_err(&bad)?,
                to: codec::workflow_from_text(&text(2)?).map_err(&bad)?,
                note: text(3)?,
                run_id: row.text(4, self.path())?,
                changed_by: row.text(5, self.path())?,
            });
        }
        Ok(out)
    }

    /// [`crate::Store::batch_update_findings`] on PostgreSQL: people's changes to 1 to 100
    /// findings in one transaction, every change kept in the history.
    pub fn batch_update_findings(
        &mut self,
        ids: &[String],
        update: &FindingUpdate,
        author: &ChangeAuthor,
        now: Timestamp,
    ) -> Result<BatchUpdateResult, StoreError> {
        update.validate()?;
        if ids.is_empty() || ids.len() > MAX_UPDATE_FINDINGS {
            return Err(StoreError::InvalidUpdate(format!("name 1 to {MAX_UPDATE_FINDINGS} findings, not {}", ids.len())));
        }
        let err = self.err();
        let now_text = codec::time_to_text(codec::truncate(now));
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for id in ids {
            *seen.entry(id.as_str()).or_default() += 1;
        }
        let mut out = BatchUpdateResult::default();
        let path = self.path.clone();
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction().map_err(&err)?;
        let mut done: BTreeSet<&str> = BTreeSet::new();
        for id in ids {
            if seen[id.as_str()] > 1 {
                out.unprocessed.push(UnprocessedFinding {
                    id: id.clone(),
                    error_code: "DuplicatedFindingIdentifier".into(),
                    error_message: "Finding Identifier is duplicated".into(),
                });
                continue;
            }
            let row = tx
                .query_opt(
                    "SELECT workflow_status, severity_label, note_text, note_updated_by, user_defined_fields, verification_state,
                            confidence, criticality
                     FROM findings WHERE id = $1 FOR UPDATE",
                    &[&id],
                )
                .map_err(&err)?;
            let Some(row) = row else {
                out.unprocessed.push(UnprocessedFinding {
                    id: id.clone(),
                    error_code: "FindingNotFound".into(),
                    error_message: "Finding Not Found".into(),
                });
                continue;
            };
            let current = Current {
                wf: row.get(0),
                sev: row.get(1),
                note_text: row.get(2),
                note_by: row.get(3),
                udf: row.get(4),
                verification: row.get(5),
                confidence: row.get::<_, Option<i32>>(6).map(i64::from),
                criticality: row.get::<_, Option<i32>>(7).map(i64::from),
            };
            let planned = match plan(&current, update, &path)? {
                Ok(p) => p,
                Err(message) => {
                    out.unprocessed.push(UnprocessedFinding { id: id.clone(), error_code: "InvalidInput".into(), error_message: message });
                    continue;
                }
            };
            let Planned { new_wf, new_sev, new_text, new_by, note_changed, fields, new_verification, numbers, changes } = planned;
            if !changes.is_empty() {
                let numbers: [Option<i32>; 2] = numbers.map(|n| n.map(|v| v as i32));
                tx.execute(
                    "UPDATE findings SET workflow_status = $2, severity_label = $3, note_text = $4, note_updated_by = $5,
                         note_updated_at = CASE WHEN $6 THEN $10 ELSE note_updated_at END,
                         user_defined_fields = $7, verification_state = $8, confidence = $9, criticality = $11, updated_at = $10
                     WHERE id = $1",
                    &[
                        id,
                        &new_wf,
                        &new_sev,
                        &new_text,
                        &new_by,
                        &note_changed,
                        &fields,
                        &new_verification,
                        &numbers[0],
                        &now_text,
                        &numbers[1],
                    ],
                )
                .map_err(&err)?;
                for (field, from, to) in &changes {
                    tx.execute(
                        "INSERT INTO finding_history (finding_id, changed_at, changed_by, reason, field, from_value, to_value)
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                        &[id, &now_text, &author.who, &author.reason, field, from, to],
                    )
                    .map_err(&err)?;
                }
                if new_wf != current.wf {
                    tx.execute(
                        "INSERT INTO workflow_history (finding_id, changed_at, from_status, to_status, note, run_id, changed_by)
                         VALUES ($1, $2, $3, $4, $5, NULL, $6)",
                        &[id, &now_text, &current.wf, &new_wf, &author.reason, &author.who],
                    )
                    .map_err(&err)?;
                }
            }
            if done.insert(id) {
                out.processed.push(id.clone());
            }
        }
        tx.commit().map_err(&err)?;
        Ok(out)
    }
}

impl PgStore {
    /// Every run, newest first, with how many results of each status it recorded.
    pub fn run_summaries(&self) -> Result<Vec<crate::RunSummary>, StoreError> {
        let bad = crate::store::corrupt(self.path());
        let mut counts: std::collections::HashMap<String, Vec<(rampart_model::Status, usize)>> = Default::default();
        for row in self.query_values("SELECT run_id, status, count(*) FROM run_results GROUP BY run_id, status", &[])? {
            let status = codec::status_from_text(&row.string(1, self.path())?).map_err(&bad)?;
            let n = row.int(2, self.path())?.unwrap_or(0);
            counts.entry(row.string(0, self.path())?).or_default().push((status, usize::try_from(n).unwrap_or(0)));
        }
        Ok(self
            .runs()?
            .into_iter()
            .map(|run| {
                let mut c = counts.remove(&run.id).unwrap_or_default();
                c.sort_by_key(|(s, _)| crate::browse::status_rank(*s));
                crate::RunSummary { run, counts: c }
            })
            .collect())
    }

    /// The product name of each imported finding among `ids` (rampart's own are absent).
    pub fn product_names(&self, ids: &[String]) -> Result<std::collections::HashMap<String, String>, StoreError> {
        let text =
            format!("SELECT id, coalesce(product_name, '') FROM findings WHERE {} AND product_arn IS NOT NULL", DIALECT.in_json_list("id"));
        self.query_values(&text, &[Value::Text(codec::strings_to_json(ids))])?
            .into_iter()
            .map(|r| Ok((r.string(0, self.path())?, r.string(1, self.path())?)))
            .collect()
    }

    /// Replaces the tags of each resource given (what `ResourceTags` filters match).
    pub fn set_resource_tags<'a>(
        &mut self,
        tags: impl IntoIterator<Item = (&'a str, &'a BTreeMap<String, String>)>,
    ) -> Result<(), StoreError> {
        let err = self.err();
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction().map_err(&err)?;
        write_resource_tags(&mut tx, &self.target, tags)?;
        tx.commit().map_err(&err)
    }
}

/// [`PgStore::set_resource_tags`] inside the caller's transaction.
pub(crate) fn write_resource_tags<'a>(
    tx: &mut impl postgres::GenericClient,
    target: &str,
    tags: impl IntoIterator<Item = (&'a str, &'a BTreeMap<String, String>)>,
) -> Result<(), StoreError> {
    let err = |source| StoreError::Postgres { target: target.to_string(), source };
    for (resource, map) in tags {
        tx.execute("DELETE FROM resource_tags WHERE resource_id = $1", &[&resource]).map_err(err)?;
        for (k, v) in map {
            tx.execute("INSERT INTO resource_tags (resource_id, key, value) VALUES ($1, $2, $3)", &[&resource, k, v]).map_err(err)?;
        }
    }
    Ok(())
}
