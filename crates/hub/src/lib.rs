//! The findings store: one embedded SQLite file that keeps every run, the current
//! state of every finding, what each run said about it, the gaps of each run and the
//! history of workflow changes.
//!
//! **Architecture invariant:** this is the only crate that knows SQL. Other crates see
//! [`Store`] and model types; no SQL text or table name leaves it, and `rusqlite`
//! appears in the API only as the `source` of a [`StoreError`].
//!
//! **API boundary:** [`Store`], [`StoreError`], [`FindingFilter`] and
//! [`WorkflowChange`] are used by the CLI (and later the server); so is
//! [`VulnStore`], the vulnerability database (`vulndb.rs`), by default a file of its
//! own with the same schema.
//!
//! The store owns a finding's lifecycle, after Security Hub's:
//! - identity: a finding id (stable across runs, see [`rampart_model::finding_id`])
//!   keeps its `first_observed` and its workflow status; each run sets
//!   `last_observed`;
//! - workflow: automatic rules after Security Hub's (PASSED resolves, failing again
//!   reopens, NOT_AVAILABLE changes nothing, SUPPRESSED is never touched; see
//!   `lifecycle.rs`), plus [`Store::set_workflow`] for people, every change kept in a
//!   history;
//! - record state: a finding a run could have produced but did not (a check the run
//!   evaluated, an account and region it covered, or region `global`) is ARCHIVED:
//!   its resource is gone. Not where the run has a gap without a resource (a listing
//!   failed there): not produced may mean not read. A finding seen again is ACTIVE.
//!
//! Opening says what the caller will do: [`Store::open`] records (it creates the file
//! and its directory), [`Store::open_existing`] changes what is recorded, and
//! [`Store::open_read_only`] only shows it — never creating anything, and through
//! SQLite's read-only mode, so a database the user may read but not write can be
//! browsed. A command that only reads never leaves an empty database behind.
//!
//! Each store in a file (findings, assessments, the vulnerability database, ...) has a
//! schema version of its own and an append-only list of migrations (`schema/`, which
//! also says how to add a store and holds the storage conventions); a file of the
//! earlier single-version schema is upgraded when first opened for writing. A store
//! from a newer rampart, or a file that is not a rampart database, is refused with an
//! error that says what to do.

mod agents;
mod assess;
mod assess_edit;
mod audit;
mod auth;
mod automation;
mod events;
mod browse;
mod changes;
mod codec;
mod dialect;
mod error;
mod filter;
mod graph;
mod graph_geo;
mod imports;
mod insights;
mod inventory;
pub mod jobs;
mod lifecycle;
mod pg;
mod backend;
mod query;
mod schedules;
mod schema;
mod sql;
mod store;
mod run_writer;
mod triage;
mod vulndb;

pub use agents::{Agent, TelemetryRecord, TelemetryUpload, UploadOutcome};
pub use assess::{glob_match, AssessmentRun, AssessmentState, AssessmentTarget, AssessmentTemplate, TargetSelector, RULE_PACKAGES};
pub use audit::{AuditEntry, AuditFilter, MAX_AUDIT_PAGE};
pub use auth::AuthUser;
pub use automation::{AutomationRule, RuleApplied, RuleSpec, MAX_RULES};
pub use events::{CustomAction, Delivery, EventRule, EventTarget, MAX_CUSTOM_ACTIONS, TARGET_KINDS};
pub use browse::{RunResult, RunSummary};
pub use changes::{ChangeApplied, ChangeUpdate, TrailFile, MAX_TRAIL_ATTEMPTS};
pub use error::StoreError;
pub use graph::{GraphFile, GraphWriter};
pub use imports::{ImportFailure, ImportResult, ImportedFinding, ImportedResource, ImportedSource, MAX_IMPORT_FINDINGS};
pub use insights::{managed_insights, Insight, InsightResult, ResultKind, GROUP_BY, MAX_INSIGHT_RESULTS};
pub use inventory::{Facet, InventoryInfo, InventoryResource, ResourceFilter, ResourcePage, ResourceRow, INVENTORIES_KEPT, MAX_RESOURCES_PAGE};
pub use filter::{DateFilter, FieldFilters, FindingFilters, MapFilter, NumberFilter, QueryError, StringComparison, StringFilter, MAX_FILTERS_PER_FIELD};
pub use query::{FindingQuery, FindingRecord, FindingsPage, ImportedOrigin, Note, SortCriterion, SortOrder, VerificationState, MAX_RESULTS};
pub use schedules::{PollStatus, Schedule, ScheduleClaim, ScheduleScope, ScheduleSettings};
pub use store::{FindingFilter, Store, WorkflowChange};
pub use run_writer::{BackendRunWriter, RunWriter, Updates};
pub use pg::{is_postgres_url, target as postgres_target, CopyStats, PgMode, PgRunWriter, PgStore};
pub use backend::Backend;
pub use triage::{
    BatchUpdateResult, ChangeAuthor, FindingChange, FindingUpdate, NoteUpdate, UnprocessedFinding, MAX_NOTE, MAX_UPDATE_FINDINGS, MAX_USER_DEFINED_FIELDS,
};
pub use vulndb::{ImportStats, SourceMeta, VulnMeta, VulnStore};

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_vulnerability;
#[cfg(test)]
mod tests_imports;
#[cfg(test)]
mod tests_counts;
#[cfg(test)]
mod tests_insights;
#[cfg(test)]
mod tests_open;
#[cfg(test)]
mod tests_query;
#[cfg(test)]
mod tests_schema;
#[cfg(test)]
mod tests_triage;
#[cfg(test)]
mod tests_automation;
#[cfg(test)]
mod tests_jobs;
#[cfg(test)]
mod tests_events;
