//! Changing and deleting assessment targets and templates.
//!
//! Creating one with a name in use fails ([`StoreError::DuplicateTarget`]); replacing it
//! is a separate, explicit call, so a typo in a name never silently rewrites another
//! target. A run's history is never lost: a template with runs is kept, and a target
//! with templates too.

use crate::assess::{rule_packages_of, target_exists, AssessmentTarget, AssessmentTemplate, TargetSelector};
use crate::codec;
use crate::error::StoreError;
use crate::sql::vals;
use crate::store::Store;

impl Store {
    /// Replaces the selector of an existing target; templates that use it select by the
    /// new one from their next run on. `created_at` is kept.
    pub fn replace_target(&mut self, name: &str, selector: &TargetSelector) -> Result<AssessmentTarget, StoreError> {
        // Invariant: a map and a list of strings always serialize.
        let json = serde_json::to_string(selector).expect("a selector serializes");
        let n = self.sql().execute("UPDATE assessment_targets SET selector = ? WHERE name = ?", &vals![json, name])?;
        if n == 0 {
            return Err(StoreError::UnknownTarget(name.to_string()));
        }
        self.target(name)
    }

    /// Deletes a target that no template uses.
    pub fn delete_target(&mut self, name: &str) -> Result<(), StoreError> {
        self.db.tx(|tx| {
            let templates = tx
                .query("SELECT name FROM assessment_templates WHERE target = ? ORDER BY name", &vals![name])?
                .iter()
                .map(|r| r.text(0))
                .collect::<Result<Vec<String>, _>>()?;
            if !templates.is_empty() {
                return Err(StoreError::TargetInUse { name: name.to_string(), templates });
            }
            let n = tx.execute("DELETE FROM assessment_targets WHERE name = ?", &vals![name])?;
            if n == 0 {
                return Err(StoreError::UnknownTarget(name.to_string()));
            }
            Ok(())
        })
    }

    /// Replaces an existing template's target, rule packages and duration; its runs so
    /// far keep what they recorded. `created_at` is kept.
    pub fn replace_template(
        &mut self,
        name: &str,
        target: &str,
        rule_packages: &[String],
        duration_seconds: u64,
    ) -> Result<AssessmentTemplate, StoreError> {
        let packages = rule_packages_of(rule_packages)?;
        self.db.tx(|tx| {
            target_exists(tx, target)?;
            let n = tx.execute(
                "UPDATE assessment_templates SET target = ?, rule_packages = ?, duration_seconds = ? WHERE name = ?",
                &vals![target, codec::strings_to_json(&packages), i64::try_from(duration_seconds).unwrap_or(i64::MAX), name],
            )?;
            if n == 0 {
                return Err(StoreError::UnknownTemplate(name.to_string()));
            }
            Ok(())
        })?;
        self.template(name)
    }

    /// Deletes a template that was never run (a run's history names its template).
    pub fn delete_template(&mut self, name: &str) -> Result<(), StoreError> {
        self.db.tx(|tx| {
            let runs = tx.query_one("SELECT count(*) FROM assessment_runs WHERE template = ?", &vals![name])?.int(0)?;
            if runs > 0 {
                return Err(StoreError::TemplateHasRuns { name: name.to_string(), runs: usize::try_from(runs).unwrap_or(0) });
            }
            let n = tx.execute("DELETE FROM assessment_templates WHERE name = ?", &vals![name])?;
            if n == 0 {
                return Err(StoreError::UnknownTemplate(name.to_string()));
            }
            Ok(())
        })
    }
}
