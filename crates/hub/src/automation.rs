//! Automation rules, after Security Hub's
//! (<https://docs.aws.amazon.com/securityhub/latest/userguide/automation-rules.html>):
//! a rule has an order (1 to 1000; lower runs first), criteria in the findings filter
//! language ([`FindingFilters`]), one `FINDING_FIELDS_UPDATE` action (the update members
//! of `BatchUpdateFindings`: workflow status, severity label, note, user-defined fields,
//! verification state, confidence, criticality), and may be terminal: "If a rule is
//! terminal, Security Hub applies the rule action to a finding that matches the rule
//! criteria and doesn't evaluate other rules for the finding."
//!
//! Rules apply to the findings a run or an import creates or updates
//! ([`Store::apply_automation_rules`]), in order; each change is kept in the finding's
//! history with the rule as its author (`rule:<name>`). As in Security Hub, a rule acts
//! again each time the provider (a scan) updates a matching finding, so a rule's field
//! wins over a person's change of the same field at the next scan; a change that sets
//! what is already set is no change and is not recorded. [`Store::automation_dry_run`]
//! shows which current findings a rule would change without changing them.

use crate::codec;
use crate::error::StoreError;
use crate::filter::FindingFilters;
use crate::sql::{vals, Row};
use crate::store::Store;
use crate::triage::{ChangeAuthor, FindingUpdate, MAX_UPDATE_FINDINGS};
use rampart_model::Timestamp;
use rusqlite::types::Value as SqlValue;
use serde_json::Value;
use std::collections::BTreeSet;

/// Security Hub's quota: 100 rules per account and Region; rampart's store holds one set.
pub const MAX_RULES: usize = 100;

/// A rule as stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AutomationRule {
    /// `rule/<n>`: never reused.
    pub id: String,
    pub name: String,
    pub description: String,
    /// 1 to 1000; lower values apply first (ties: the older rule first).
    pub order: u32,
    pub enabled: bool,
    pub terminal: bool,
    /// `AutomationRulesFindingFilters`, as JSON.
    pub criteria: Value,
    /// The `FindingFieldsUpdate` members, as JSON.
    pub action: Value,
    pub created_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: Timestamp,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: Timestamp,
}

/// What a rule is made of, checked: [`RuleSpec::from_json`] reads Security Hub's
/// `CreateAutomationRule` request shape.
#[derive(Debug, Clone)]
pub struct RuleSpec {
    pub name: String,
    pub description: String,
    pub order: u32,
    pub enabled: bool,
    pub terminal: bool,
    pub criteria: FindingFilters,
    pub action: FindingUpdate,
    /// The action's JSON as given (what is stored and shown).
    pub action_json: Value,
}

impl RuleSpec {
    /// Reads `{RuleName, Description, RuleOrder, RuleStatus, IsTerminal, Criteria,
    /// Actions: [{Type: "FINDING_FIELDS_UPDATE", FindingFieldsUpdate: {...}}]}`. Every
    /// member is checked; an unknown one is an error naming it.
    pub fn from_json(v: &Value) -> Result<RuleSpec, StoreError> {
        let bad = |m: &str| StoreError::InvalidUpdate(m.to_string());
        let Value::Object(m) = v else { return Err(bad("an automation rule must be a JSON object")) };
        for k in m.keys() {
            if !["RuleName", "Description", "RuleOrder", "RuleStatus", "IsTerminal", "Criteria", "Actions"].contains(&k.as_str()) {
                return Err(StoreError::InvalidUpdate(format!("unknown member `{}` of an automation rule", crate::filter::shorten(k))));
            }
        }
        let name = m.get("RuleName").and_then(Value::as_str).map(str::trim).unwrap_or_default().to_string();
        if name.is_empty() || name.chars().count() > 256 {
            return Err(bad("`RuleName` must be 1 to 256 characters"));
        }
        let description = m.get("Description").and_then(Value::as_str).unwrap_or_default().to_string();
        if description.chars().count() > 1024 {
            return Err(bad("`Description` must be at most 1024 characters"));
        }
        let order = match m.get("RuleOrder") {
            Some(o) => {
                o.as_u64().filter(|o| (1..=1000).contains(o)).ok_or_else(|| bad("`RuleOrder` must be a whole number from 1 to 1000"))?
                    as u32
            }
            None => return Err(bad("`RuleOrder` is required: a whole number from 1 to 1000 (lower applies first)")),
        };
        let enabled = match m.get("RuleStatus").map(|s| s.as_str()) {
            None | Some(Some("ENABLED")) => true,
            Some(Some("DISABLED")) => false,
            _ => return Err(bad("`RuleStatus` must be ENABLED or DISABLED")),
        };
        let terminal = match m.get("IsTerminal") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(bad("`IsTerminal` must be true or false")),
        };
        let criteria = FindingFilters::from_json(m.get("Criteria").unwrap_or(&Value::Object(Default::default())))?;
        let actions =
            m.get("Actions").and_then(Value::as_array).ok_or_else(|| bad("`Actions` is required: one FINDING_FIELDS_UPDATE action"))?;
        let [action] = actions.as_slice() else { return Err(bad("`Actions` must hold exactly one action")) };
        if action.get("Type").and_then(Value::as_str) != Some("FINDING_FIELDS_UPDATE") {
            return Err(bad("the action's `Type` must be FINDING_FIELDS_UPDATE"));
        }
        if let Some(k) = action.as_object().and_then(|o| o.keys().find(|k| !["Type", "FindingFieldsUpdate"].contains(&k.as_str()))) {
            return Err(StoreError::InvalidUpdate(format!(
                "unknown member `{}` of an automation rule's action",
                crate::filter::shorten(k)
            )));
        }
        let action_json = action.get("FindingFieldsUpdate").cloned().ok_or_else(|| bad("the action needs `FindingFieldsUpdate`"))?;
        let update = FindingUpdate::from_json(&action_json)?;
        Ok(RuleSpec { name, description, order, enabled, terminal, criteria, action: update, action_json })
    }
}

/// What one rule changed when applied: the findings it matched (and so changed, or found
/// already as it sets them).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RuleApplied {
    pub rule: String,
    pub name: String,
    pub findings: Vec<String>,
}

const RULE_COLUMNS: &str = "id, name, description, rule_order, enabled, terminal, criteria, action, created_by, created_at, updated_at";

impl Store {
    /// Every rule, in the order they apply.
    pub fn automation_rules(&self) -> Result<Vec<AutomationRule>, StoreError> {
        let rows = self.sql().query(&format!("SELECT {RULE_COLUMNS} FROM automation_rules ORDER BY rule_order, id"), &[])?;
        rows.iter().map(|r| self.rule(r)).collect()
    }

    /// One rule by its id (`rule/<n>`) or name.
    pub fn automation_rule(&self, id_or_name: &str) -> Result<AutomationRule, StoreError> {
        let n = id_or_name.strip_prefix("rule/").and_then(|n| n.parse::<i64>().ok()).unwrap_or(-1);
        let row = self
            .sql()
            .query_opt(&format!("SELECT {RULE_COLUMNS} FROM automation_rules WHERE id = ? OR name = ?"), &vals![n, id_or_name])?;
        match row {
            Some(r) => self.rule(&r),
            None => Err(StoreError::UnknownRule(crate::filter::shorten(id_or_name))),
        }
    }

    fn rule(&self, r: &Row) -> Result<AutomationRule, StoreError> {
        let bad = crate::store::corrupt(&self.path);
        let (criteria, action, created_at, updated_at) = (r.text(6)?, r.text(7)?, r.text(9)?, r.text(10)?);
        Ok(AutomationRule {
            id: format!("rule/{}", r.int(0)?),
            name: r.text(1)?,
            description: r.text(2)?,
            order: u32::try_from(r.int(3)?).unwrap_or(1000),
            enabled: r.flag(4)?,
            terminal: r.flag(5)?,
            criteria: serde_json::from_str(&criteria).map_err(|_| bad(("automation rule criteria", criteria.clone())))?,
            action: serde_json::from_str(&action).map_err(|_| bad(("automation rule action", action.clone())))?,
            created_by: r.text(8)?,
            created_at: codec::time_from_text(&created_at).map_err(|_| bad(("automation rule time", created_at.clone())))?,
            updated_at: codec::time_from_text(&updated_at).map_err(|_| bad(("automation rule time", updated_at.clone())))?,
        })
    }

    /// Adds a rule. Names are unique; at most [`MAX_RULES`] rules.
    pub fn create_automation_rule(&mut self, spec: &RuleSpec, by: &str, now: Timestamp) -> Result<AutomationRule, StoreError> {
        let t = codec::time_to_text(codec::truncate(now));
        // Counted and added in one transaction: two writers cannot both add the 100th.
        let id = self.db.tx(|db| {
            let n = db.query_one("SELECT count(*) FROM automation_rules", &[])?.int(0)?;
            if n as usize >= MAX_RULES {
                return Err(StoreError::InvalidUpdate(format!("at most {MAX_RULES} automation rules: delete one first")));
            }
            // Asked first rather than left to the unique index: a refused insert would use up
            // an id on PostgreSQL (its identity does not roll back), not on SQLite.
            if db.query_opt("SELECT 1 FROM automation_rules WHERE name = ?", &vals![&spec.name])?.is_some() {
                return Err(name_taken_message(&spec.name));
            }
            db.insert_id(
                "INSERT INTO automation_rules (name, description, rule_order, enabled, terminal, criteria, action, created_by, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &vals![
                    &spec.name,
                    &spec.description,
                    spec.order,
                    spec.enabled,
                    spec.terminal,
                    spec.criteria.to_json().to_string(),
                    spec.action_json.to_string(),
                    by,
                    &t,
                    &t
                ],
            )
            .map_err(|e| name_taken(e, &spec.name))
        })?;
        self.automation_rule(&format!("rule/{id}"))
    }

    /// Replaces what a rule is made of (its id and creation stay).
    pub fn replace_automation_rule(&mut self, id_or_name: &str, spec: &RuleSpec, now: Timestamp) -> Result<AutomationRule, StoreError> {
        let old = self.automation_rule(id_or_name)?;
        let n: i64 = old.id.trim_start_matches("rule/").parse().unwrap_or(-1);
        if self.sql().query_opt("SELECT 1 FROM automation_rules WHERE name = ? AND id <> ?", &vals![&spec.name, n])?.is_some() {
            return Err(name_taken_message(&spec.name));
        }
        self.sql()
            .execute(
                "UPDATE automation_rules SET name = ?, description = ?, rule_order = ?, enabled = ?, terminal = ?, criteria = ?,
                     action = ?, updated_at = ? WHERE id = ?",
                &vals![
                    &spec.name,
                    &spec.description,
                    spec.order,
                    spec.enabled,
                    spec.terminal,
                    spec.criteria.to_json().to_string(),
                    spec.action_json.to_string(),
                    codec::time_to_text(codec::truncate(now)),
                    n
                ],
            )
            .map_err(|e| name_taken(e, &spec.name))?;
        self.automation_rule(&old.id)
    }

    /// Enables or disables a rule (`RuleStatus`).
    pub fn set_automation_rule_enabled(&mut self, id_or_name: &str, enabled: bool, now: Timestamp) -> Result<AutomationRule, StoreError> {
        let old = self.automation_rule(id_or_name)?;
        let n: i64 = old.id.trim_start_matches("rule/").parse().unwrap_or(-1);
        self.sql().execute(
            "UPDATE automation_rules SET enabled = ?, updated_at = ? WHERE id = ?",
            &vals![enabled, codec::time_to_text(codec::truncate(now)), n],
        )?;
        self.automation_rule(&old.id)
    }

    /// Deletes a rule. The changes it made stay in the findings' history.
    pub fn delete_automation_rule(&mut self, id_or_name: &str) -> Result<(), StoreError> {
        let old = self.automation_rule(id_or_name)?;
        let n: i64 = old.id.trim_start_matches("rule/").parse().unwrap_or(-1);
        self.sql().execute("DELETE FROM automation_rules WHERE id = ?", &vals![n])?;
        Ok(())
    }

    /// The ids among `candidates` (all findings when `None`) that `criteria` select, in
    /// id order (the findings query's conditions, in the backend's dialect).
    fn matching(
        &self,
        criteria: &FindingFilters,
        candidates: Option<&BTreeSet<String>>,
        now: Timestamp,
    ) -> Result<Vec<String>, StoreError> {
        let db = self.sql();
        let dialect = db.dialect();
        let (mut cond, mut values) = crate::query::conditions_in(criteria, now, dialect);
        if let Some(c) = candidates {
            // By key, not by reading every finding: an import of 100 into a million.
            let ids: Vec<String> = c.iter().cloned().collect();
            cond = format!("({cond}) AND {}", dialect.in_json_list("f.id"));
            values.push(SqlValue::Text(codec::strings_to_json(&ids)));
        }
        let rows = db.query(&format!("SELECT f.id FROM findings f WHERE {cond} ORDER BY f.id"), &values)?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let id = row.text(0)?;
            if candidates.map_or(true, |c| c.contains(&id)) {
                out.push(id);
            }
        }
        Ok(out)
    }

    /// Applies the enabled rules, in order, to the findings `ids` (those a run or an
    /// import just created or updated): each rule's update goes to the findings its
    /// criteria select that no earlier terminal rule matched. Every change is recorded
    /// with the rule as its author. Returns what each rule matched.
    pub fn apply_automation_rules(&mut self, ids: &[String], now: Timestamp) -> Result<Vec<RuleApplied>, StoreError> {
        let rules: Vec<AutomationRule> = self.automation_rules()?.into_iter().filter(|r| r.enabled).collect();
        if rules.is_empty() || ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut open: BTreeSet<String> = ids.iter().cloned().collect();
        let mut out = Vec::new();
        for rule in rules {
            let criteria = FindingFilters::from_json(&rule.criteria)?;
            let update = FindingUpdate::from_json(&rule.action)?;
            let matched = self.matching(&criteria, Some(&open), now)?;
            if matched.is_empty() {
                continue;
            }
            let author = ChangeAuthor {
                who: format!("rule:{}", rule.name),
                reason: format!("automation rule {} `{}` (order {})", rule.id, rule.name, rule.order),
            };
            for chunk in matched.chunks(MAX_UPDATE_FINDINGS) {
                self.batch_update_findings(chunk, &update, &author, now)?;
            }
            if rule.terminal {
                for id in &matched {
                    open.remove(id);
                }
            }
            out.push(RuleApplied { rule: rule.id.clone(), name: rule.name.clone(), findings: matched });
        }
        Ok(out)
    }

    /// The current findings a rule would match if the provider updated them all now —
    /// nothing is changed. Ignores other rules (terminal ones before it included).
    pub fn automation_dry_run(&self, spec: &RuleSpec, now: Timestamp) -> Result<Vec<String>, StoreError> {
        self.matching(&spec.criteria, None, now)
    }
}

/// A unique name refused by the store (a concurrent writer's), as the message that says
/// what to do.
fn name_taken(e: StoreError, name: &str) -> StoreError {
    if e.is_unique_violation() {
        name_taken_message(name)
    } else {
        e
    }
}

fn name_taken_message(name: &str) -> StoreError {
    StoreError::InvalidUpdate(format!("an automation rule named `{}` exists: give another name", crate::filter::shorten(name)))
}
