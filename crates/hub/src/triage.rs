//! What people change on findings, after Security Hub's `BatchUpdateFindings`
//! (<https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchUpdateFindings.html>):
//! workflow status, a severity label that overrides the check's, a note, user-defined
//! fields, verification state, confidence and criticality, for up to 100 findings at once.
//!
//! The answer is AWS's: the ids processed, and per id not processed an error code and
//! message (`FindingNotFound`, `DuplicatedFindingIdentifier`). An update that is invalid
//! as a whole (a confidence of 150, no field to set, no id or more than 100) is refused
//! before anything changes. Every change of a field is kept in the finding's history with
//! who made it, when, why, and the value before and after (`Store::finding_history`); a
//! workflow change also goes to the workflow history it always had.
//!
//! User-defined fields are merged: a key given replaces its value, a key given with an
//! empty value is removed, keys not given are kept.

use crate::codec;
use crate::error::{sql, StoreError};
use crate::query::VerificationState;
use crate::sql::vals;
use crate::store::Store;
use rampart_model::{Severity, Timestamp, WorkflowStatus};
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The most findings one update may name (`FindingIdentifiers`, 1 to 100).
pub const MAX_UPDATE_FINDINGS: usize = 100;

/// The longest note text and author (`Note.Text`, `Note.UpdatedBy`: 512 characters).
pub const MAX_NOTE: usize = 512;

/// The most user-defined fields a finding holds (`UserDefinedFields`: 50).
pub const MAX_USER_DEFINED_FIELDS: usize = 50;

/// A note to set on findings (`NoteUpdate`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteUpdate {
    pub text: String,
    pub updated_by: String,
}

/// What to set on findings; `None` leaves a field as it is. At least one field is set.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FindingUpdate {
    pub workflow_status: Option<WorkflowStatus>,
    /// Overrides the check's severity label.
    pub severity_label: Option<Severity>,
    pub note: Option<NoteUpdate>,
    /// Merged into the finding's fields; an empty value removes the key.
    pub user_defined_fields: BTreeMap<String, String>,
    pub verification_state: Option<VerificationState>,
    /// 0 to 100.
    pub confidence: Option<i64>,
    /// 0 to 100.
    pub criticality: Option<i64>,
}

/// Who changes findings, and why: kept with every change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeAuthor {
    /// A user name, an API token's owner, or an automation rule (`rule:<name>`).
    pub who: String,
    /// Why (free text; may be empty).
    pub reason: String,
}

/// A finding an update did not change (`BatchUpdateFindingsUnprocessedFinding`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnprocessedFinding {
    pub id: String,
    /// `FindingNotFound` or `DuplicatedFindingIdentifier`.
    pub error_code: String,
    pub error_message: String,
}

/// The answer to an update (`BatchUpdateFindings`' response).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct BatchUpdateResult {
    /// The ids updated, in the order given.
    pub processed: Vec<String>,
    pub unprocessed: Vec<UnprocessedFinding>,
}

/// One change of one field of a finding.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FindingChange {
    #[serde(with = "time::serde::rfc3339")]
    pub changed_at: Timestamp,
    /// Who made it; `None` for a run's automatic workflow change (see `run_id`) and for
    /// changes recorded before rampart kept authors.
    pub changed_by: Option<String>,
    /// Why: the reason given, or what triggered an automatic change.
    pub reason: String,
    /// The ASFF name of what changed: `WorkflowStatus`, `SeverityLabel`, `NoteText`,
    /// `VerificationState`, `Confidence`, `Criticality`, `UserDefinedFields.<key>`.
    pub field: String,
    /// The value before (`None`: none was set).
    pub from: Option<String>,
    /// The value after (`None`: removed).
    pub to: Option<String>,
    /// The run whose results made an automatic workflow change.
    pub run_id: Option<String>,
}

impl FindingUpdate {
    /// Reads the update members of a `BatchUpdateFindings` request: `Workflow.Status`,
    /// `Severity.Label`, `Note.Text`/`Note.UpdatedBy`, `UserDefinedFields`,
    /// `VerificationState`, `Confidence`, `Criticality` (other members, such as
    /// `FindingIdentifiers`, are the caller's). An unknown member or value is an error
    /// naming it.
    pub fn from_json(request: &Value) -> Result<FindingUpdate, StoreError> {
        let bad = |m: String| StoreError::InvalidUpdate(m);
        let Value::Object(m) = request else {
            return Err(bad("the update must be an object".into()));
        };
        let mut u = FindingUpdate::default();
        let text = |v: &Value, what: &str| -> Result<String, StoreError> {
            v.as_str().map(str::to_string).ok_or_else(|| bad(format!("`{what}` must be a string")))
        };
        for (k, v) in m {
            match k.as_str() {
                "FindingIdentifiers" => {}
                "Workflow" => {
                    let s = text(v.get("Status").unwrap_or(&Value::Null), "Workflow.Status")?;
                    u.workflow_status = Some(WorkflowStatus::parse(&s).ok_or_else(|| {
                        bad(format!("unknown `Workflow.Status` `{}`: use NEW, NOTIFIED, RESOLVED or SUPPRESSED", short(&s)))
                    })?);
                }
                "Severity" => {
                    let s = text(v.get("Label").unwrap_or(&Value::Null), "Severity.Label")?;
                    u.severity_label = Some(s.parse().map_err(|_| {
                        bad(format!("unknown `Severity.Label` `{}`: use INFORMATIONAL, LOW, MEDIUM, HIGH or CRITICAL", short(&s)))
                    })?);
                }
                "Note" => {
                    u.note = Some(NoteUpdate {
                        text: text(v.get("Text").unwrap_or(&Value::Null), "Note.Text")?,
                        updated_by: text(v.get("UpdatedBy").unwrap_or(&Value::Null), "Note.UpdatedBy")?,
                    })
                }
                "UserDefinedFields" => {
                    let Value::Object(fields) = v else {
                        return Err(bad("`UserDefinedFields` must be an object of strings".into()));
                    };
                    for (key, value) in fields {
                        u.user_defined_fields.insert(key.clone(), text(value, &format!("UserDefinedFields.{}", short(key)))?);
                    }
                }
                "VerificationState" => {
                    let s = text(v, "VerificationState")?;
                    u.verification_state = Some(VerificationState::parse(&s).ok_or_else(|| {
                        bad(format!(
                            "unknown `VerificationState` `{}`: use UNKNOWN, TRUE_POSITIVE, FALSE_POSITIVE or BENIGN_POSITIVE",
                            short(&s)
                        ))
                    })?);
                }
                "Confidence" => {
                    u.confidence = Some(v.as_i64().ok_or_else(|| bad("`Confidence` must be a whole number from 0 to 100".into()))?)
                }
                "Criticality" => {
                    u.criticality = Some(v.as_i64().ok_or_else(|| bad("`Criticality` must be a whole number from 0 to 100".into()))?)
                }
                other => return Err(bad(format!("unknown member `{}` of a finding update", short(other)))),
            }
        }
        u.validate()?;
        Ok(u)
    }

    /// Checks ranges and lengths: what AWS refuses as `InvalidInputException`.
    pub fn validate(&self) -> Result<(), StoreError> {
        let bad = |m: String| Err(StoreError::InvalidUpdate(m));
        if self == &FindingUpdate::default() {
            return bad("nothing to update: set a workflow status, severity, note, user-defined field, verification state, confidence or criticality".into());
        }
        for (name, v) in [("Confidence", self.confidence), ("Criticality", self.criticality)] {
            if let Some(v) = v {
                if !(0..=100).contains(&v) {
                    return bad(format!("`{name}` {v} is out of range: use 0 to 100"));
                }
            }
        }
        if let Some(n) = &self.note {
            for (name, v) in [("Note.Text", &n.text), ("Note.UpdatedBy", &n.updated_by)] {
                let len = v.chars().count();
                if v.trim().is_empty() || len > MAX_NOTE {
                    return bad(format!("`{name}` must be 1 to {MAX_NOTE} characters, not {len}"));
                }
            }
        }
        for (k, v) in &self.user_defined_fields {
            if k.is_empty() || k.chars().count() > 128 || v.chars().count() > 1024 {
                return bad(format!("user-defined field `{}`: keys are 1 to 128 characters, values at most 1024", short(k)));
            }
        }
        Ok(())
    }
}

/// A finding's fields that people change, as stored.
pub(crate) struct Current {
    pub(crate) wf: String,
    pub(crate) sev: Option<String>,
    pub(crate) note_text: Option<String>,
    pub(crate) note_by: Option<String>,
    pub(crate) udf: String,
    pub(crate) verification: String,
    pub(crate) confidence: Option<i64>,
    pub(crate) criticality: Option<i64>,
}

/// What an update makes of a finding's fields, and each (field, before, after) that changes.
pub(crate) struct Planned {
    pub(crate) new_wf: String,
    pub(crate) new_sev: Option<String>,
    pub(crate) new_text: Option<String>,
    pub(crate) new_by: Option<String>,
    pub(crate) note_changed: bool,
    /// The user-defined fields as JSON.
    pub(crate) fields: String,
    pub(crate) new_verification: String,
    /// Confidence and criticality.
    pub(crate) numbers: [Option<i64>; 2],
    pub(crate) changes: Vec<(String, Option<String>, Option<String>)>,
}

/// The update of one finding, decided from what it holds (both backends write it); the
/// inner error is why the finding is left unprocessed (`InvalidInput`).
pub(crate) fn plan(current: &Current, update: &FindingUpdate, path: &std::path::Path) -> Result<Result<Planned, String>, StoreError> {
    let Current { wf, sev, note_text, note_by, udf, verification, confidence, criticality } = current;
    let (confidence, criticality) = (*confidence, *criticality);
    let bad = crate::store::corrupt(path);
    let mut fields: BTreeMap<String, String> = serde_json::from_str(udf).map_err(|_| bad(("user-defined fields", udf.clone())))?;
    // (field, before, after) of every value that changes.
    let mut changes: Vec<(String, Option<String>, Option<String>)> = Vec::new();
    let mut new_wf = wf.clone();
    if let Some(w) = update.workflow_status {
        if w.as_str() != wf {
            changes.push(("WorkflowStatus".into(), Some(wf.clone()), Some(w.as_str().into())));
            new_wf = w.as_str().to_string();
        }
    }
    let mut new_sev = sev.clone();
    if let Some(s) = update.severity_label {
        if sev.as_deref() != Some(s.label()) {
            changes.push(("SeverityLabel".into(), sev.clone(), Some(s.label().into())));
            new_sev = Some(s.label().to_string());
        }
    }
    let (mut new_text, mut new_by, mut note_changed) = (note_text.clone(), note_by.clone(), false);
    if let Some(n) = &update.note {
        if note_text.as_deref() != Some(n.text.as_str()) || note_by.as_deref() != Some(n.updated_by.as_str()) {
            changes.push(("NoteText".into(), note_text.clone(), Some(n.text.clone())));
            new_text = Some(n.text.clone());
            new_by = Some(n.updated_by.clone());
            note_changed = true;
        }
    }
    for (k, v) in &update.user_defined_fields {
        let before = fields.get(k).cloned();
        let after = (!v.is_empty()).then(|| v.clone());
        if before != after {
            changes.push((format!("UserDefinedFields.{k}"), before, after.clone()));
            match after {
                Some(v) => fields.insert(k.clone(), v),
                None => fields.remove(k),
            };
        }
    }
    if fields.len() > MAX_USER_DEFINED_FIELDS {
        return Ok(Err(format!("a finding holds at most {MAX_USER_DEFINED_FIELDS} user-defined fields")));
    }
    let mut new_verification = verification.clone();
    if let Some(v) = update.verification_state {
        if v.as_str() != verification {
            changes.push(("VerificationState".into(), Some(verification.clone()), Some(v.as_str().into())));
            new_verification = v.as_str().to_string();
        }
    }
    let mut numbers = [confidence, criticality];
    for (i, (name, new)) in [("Confidence", update.confidence), ("Criticality", update.criticality)].into_iter().enumerate() {
        if let Some(n) = new {
            if numbers[i] != Some(n) {
                changes.push((name.into(), numbers[i].map(|v| v.to_string()), Some(n.to_string())));
                numbers[i] = Some(n);
            }
        }
    }
    let fields = serde_json::to_string(&fields).unwrap_or_else(|_| "{}".into());
    Ok(Ok(Planned { new_wf, new_sev, new_text, new_by, note_changed, fields, new_verification, numbers, changes }))
}

fn short(s: &str) -> String {
    crate::filter::shorten(s)
}

impl Store {
    /// Applies `update` to the findings `ids` (1 to 100) in one transaction, recording
    /// every change with `author` at `now`. See the module documentation.
    pub fn batch_update_findings(
        &mut self,
        ids: &[String],
        update: &FindingUpdate,
        author: &ChangeAuthor,
        now: Timestamp,
    ) -> Result<BatchUpdateResult, StoreError> {
        if let crate::sql::Db::Postgres(pg) = &mut self.db {
            return pg.batch_update_findings(ids, update, author, now);
        }
        update.validate()?;
        if ids.is_empty() || ids.len() > MAX_UPDATE_FINDINGS {
            return Err(StoreError::InvalidUpdate(format!("name 1 to {MAX_UPDATE_FINDINGS} findings, not {}", ids.len())));
        }
        let err = sql(&self.path);
        let now_text = codec::time_to_text(codec::truncate(now));
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for id in ids {
            *seen.entry(id.as_str()).or_default() += 1;
        }
        let mut out = BatchUpdateResult::default();
        let tx = crate::sql::lite_mut(&mut self.db)?.transaction_with_behavior(TransactionBehavior::Immediate).map_err(&err)?;
        {
            let mut get = tx
                .prepare_cached(
                    "SELECT workflow_status, severity_label, note_text, note_updated_by, user_defined_fields, verification_state,
                            confidence, criticality
                     FROM findings WHERE id = ?1",
                )
                .map_err(&err)?;
            let mut change = tx
                .prepare_cached(
                    "INSERT INTO finding_history (finding_id, changed_at, changed_by, reason, field, from_value, to_value)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(&err)?;
            let mut workflow = tx
                .prepare_cached(
                    "INSERT INTO workflow_history (finding_id, changed_at, from_status, to_status, note, run_id, changed_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6)",
                )
                .map_err(&err)?;
            let mut set = tx
                .prepare_cached(
                    "UPDATE findings SET workflow_status = ?2, severity_label = ?3, note_text = ?4, note_updated_by = ?5,
                         note_updated_at = CASE WHEN ?6 THEN ?10 ELSE note_updated_at END,
                         user_defined_fields = ?7, verification_state = ?8, confidence = ?9, criticality = ?11, updated_at = ?10
                     WHERE id = ?1",
                )
                .map_err(&err)?;
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
                type Row = (String, Option<String>, Option<String>, Option<String>, String, String, Option<i64>, Option<i64>);
                let row: Option<Row> = get
                    .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)))
                    .optional()
                    .map_err(&err)?;
                let Some((wf, sev, note_text, note_by, udf, verification, confidence, criticality)) = row else {
                    out.unprocessed.push(UnprocessedFinding {
                        id: id.clone(),
                        error_code: "FindingNotFound".into(),
                        error_message: "Finding Not Found".into(),
                    });
                    continue;
                };
                let current = Current { wf, sev, note_text, note_by, udf, verification, confidence, criticality };
                let planned = match plan(&current, update, &self.path)? {
                    Ok(p) => p,
                    Err(message) => {
                        out.unprocessed.push(UnprocessedFinding { id: id.clone(), error_code: "InvalidInput".into(), error_message: message });
                        continue;
                    }
                };
                let Planned { new_wf, new_sev, new_text, new_by, note_changed, fields, new_verification, numbers, changes } = planned;
                let wf = current.wf;
                if !changes.is_empty() {
                    set.execute(params![
                        id,
                        new_wf,
                        new_sev,
                        new_text,
                        new_by,
                        note_changed,
                        fields,
                        new_verification,
                        numbers[0],
                        now_text,
                        numbers[1],
                    ])
                    .map_err(&err)?;
                    for (field, from, to) in &changes {
                        change.execute(params![id, now_text, author.who, author.reason, field, from, to]).map_err(&err)?;
                    }
                    if new_wf != wf {
                        workflow.execute(params![id, now_text, wf, new_wf, author.reason, author.who]).map_err(&err)?;
                    }
                }
                if done.insert(id) {
                    out.processed.push(id.clone());
                }
            }
        }
        tx.commit().map_err(&err)?;
        tracing::debug!(processed = out.processed.len(), unprocessed = out.unprocessed.len(), by = %author.who, "updated findings");
        Ok(out)
    }

    /// Every recorded change of a finding, oldest first: people's updates of every field
    /// and the workflow changes of runs (and of people before rampart kept every field).
    pub fn finding_history(&self, finding_id: &str) -> Result<Vec<FindingChange>, StoreError> {
        let bad = crate::store::corrupt(&self.path);
        let db = self.sql();
        if db.query_opt("SELECT 1 FROM findings WHERE id = ?", &vals![finding_id])?.is_none() {
            return Err(StoreError::UnknownFinding(finding_id.to_string()));
        }
        // A person's workflow change of a batch update is in both tables: its
        // `finding_history` row stands for it (the workflow row has the same time and author).
        let rows = db.query(
            "SELECT changed_at, changed_by, reason, field, from_value, to_value, CAST(NULL AS TEXT), 0, id
             FROM finding_history WHERE finding_id = ?
             UNION ALL
             SELECT w.changed_at, w.changed_by, w.note, 'WorkflowStatus', w.from_status, w.to_status, w.run_id, 1, w.id
             FROM workflow_history w WHERE w.finding_id = ? AND NOT EXISTS (
                 SELECT 1 FROM finding_history h WHERE h.finding_id = w.finding_id AND h.field = 'WorkflowStatus'
                   AND h.changed_at = w.changed_at AND h.to_value = w.to_status AND h.changed_by IS NOT DISTINCT FROM w.changed_by)
             ORDER BY 1, 8 DESC, 9",
            &vals![finding_id, finding_id],
        )?;
        rows.iter()
            .map(|row| {
                Ok(FindingChange {
                    changed_at: codec::time_from_text(&row.text(0)?).map_err(&bad)?,
                    changed_by: row.opt_text(1)?,
                    reason: row.text(2)?,
                    field: row.text(3)?,
                    from: row.opt_text(4)?,
                    to: row.opt_text(5)?,
                    run_id: row.opt_text(6)?,
                })
            })
            .collect()
    }
}
