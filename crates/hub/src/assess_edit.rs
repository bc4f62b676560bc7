//! Changing and deleting assessment targets and templates.
//!
//! Creating one with a name in use fails ([`StoreError::DuplicateTarget`]); replacing it
//! is a separate, explicit call, so a typo in a name never silently rewrites another
//! target. A run's history is never lost: a template with runs is kept, and a target
//! with templates too.

use crate::assess::{rule_packages_of, target_exists, AssessmentTarget, AssessmentTemplate, TargetSelector};
use crate::codec;
use crate::error::{sql, StoreError};
use crate::store::Store;
use rusqlite::params;

impl Store {
    /// Replaces the selector of an existing target; templates that use it select by the
    /// new one from their next run on. `created_at` is kept.
    pub fn replace_target(&mut self, name: &str, selector: &TargetSelector) -> Result<AssessmentTarget, StoreError> {
        // Invariant: a map and a list of strings always serialize.
        let json = serde_json::to_string(selector).expect("a selector serializes");
        let n = self
            .lite()?
            .execute("UPDATE assessment_targets SET selector = ?2 WHERE name = ?1", params![name, json])
            .map_err(sql(&self.path))?;
        if n == 0 {
            return Err(StoreError::UnknownTarget(name.to_string()));
        }
        self.target(name)
    }

    /// Deletes a target that no template uses.
    pub fn delete_target(&mut self, name: &str) -> Result<(), StoreError> {
        let err = sql(&self.path);
        let tx = crate::sql::lite_mut(&mut self.db)?.transaction().map_err(&err)?;
        let templates: Vec<String> = {
            let mut stmt = tx
                .prepare("SELECT name FROM assessment_templates WHERE target = ?1 ORDER BY name")
                .map_err(&err)?;
            let names = stmt.query_map([name], |r| r.get(0)).map_err(&err)?;
            names.collect::<Result<_, _>>().map_err(&err)?
        };
        if !templates.is_empty() {
            return Err(StoreError::TargetInUse { name: name.to_string(), templates });
        }
        let n = tx.execute("DELETE FROM assessment_targets WHERE name = ?1", [name]).map_err(&err)?;
        if n == 0 {
            return Err(StoreError::UnknownTarget(name.to_string()));
        }
        tx.commit().map_err(&err)
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
        let err = sql(&self.path);
        let tx = crate::sql::lite_mut(&mut self.db)?.transaction().map_err(&err)?;
        target_exists(&tx, target, &self.path)?;
        let n = tx
            .execute(
                "UPDATE assessment_templates SET target = ?2, rule_packages = ?3, duration_seconds = ?4 WHERE name = ?1",
                params![name, target, codec::strings_to_json(&packages), i64::try_from(duration_seconds).unwrap_or(i64::MAX)],
            )
            .map_err(&err)?;
        if n == 0 {
            return Err(StoreError::UnknownTemplate(name.to_string()));
        }
        tx.commit().map_err(&err)?;
        self.template(name)
    }

    /// Deletes a template that was never run (a run's history names its template).
    pub fn delete_template(&mut self, name: &str) -> Result<(), StoreError> {
        let err = sql(&self.path);
        let tx = crate::sql::lite_mut(&mut self.db)?.transaction().map_err(&err)?;
        let runs: i64 = tx
            .query_row("SELECT count(*) FROM assessment_runs WHERE template = ?1", [name], |r| r.get(0))
            .map_err(&err)?;
        if runs > 0 {
            return Err(StoreError::TemplateHasRuns { name: name.to_string(), runs: usize::try_from(runs).unwrap_or(0) });
        }
        let n = tx.execute("DELETE FROM assessment_templates WHERE name = ?1", [name]).map_err(&err)?;
        if n == 0 {
            return Err(StoreError::UnknownTemplate(name.to_string()));
        }
        tx.commit().map_err(&err)
    }
}
