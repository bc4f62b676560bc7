use crate::codec::{self, Invalid};
use crate::dialect::{Cells, Dialect};
use crate::error::{sql, StoreError};
use crate::schema;
use rampart_model::{
    Finding, Gap, RecordState, Resource, RunInfo, Severity, Status, Timestamp, WorkflowStatus,
};
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use std::path::{Path, PathBuf};

/// The findings store: one SQLite file (or memory) holding the stores of
/// `schema::STORE` (findings, assessments, ...), each migrated to its latest schema.
pub struct Store {
    pub(crate) db: crate::sql::Db,
    pub(crate) path: PathBuf,
    versions: schema::Versions,
}

/// Which findings [`Store::findings`] returns; `Default` is all of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FindingFilter {
    pub status: Option<Status>,
    /// This severity or more severe.
    pub min_severity: Option<Severity>,
    pub check_id: Option<String>,
    pub account: Option<String>,
    pub record_state: Option<RecordState>,
    /// Only one product's findings: a product name (`Prowler`, any case) or ARN of
    /// findings imported from other tools, or `rampart` for rampart's own.
    pub product: Option<String>,
    pub limit: Option<usize>,
}

/// One change of a finding's workflow status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkflowChange {
    pub finding_id: String,
    pub changed_at: Timestamp,
    pub from: WorkflowStatus,
    pub to: WorkflowStatus,
    /// A person's note, or what triggered an automatic change.
    pub note: String,
    /// The run whose results changed it; `None` for a change by a person.
    pub run_id: Option<String>,
    /// Who made a change by hand, as the caller named them (a login name); `None` for a
    /// run's change, or when the caller did not say.
    pub changed_by: Option<String>,
}

/// Columns of a `Finding`, in the order `finding_from_row` reads them, for the current
/// state (`f` is `findings`).
/// The severity is the effective one: a person's override (`severity_label`), else the check's.
pub(crate) const CURRENT_COLUMNS: &str = r#"f.id, f.check_id, f.title, f.description, coalesce(f.severity_label, f.severity), f.status,
    f.reason, f.detail, f.service, f.resource_id, f.resource_type, f.account, f.region,
    f."partition", f.resource_name, f.remediation_console, f.remediation_cli,
    f.remediation_url, f.related_requirements, f.first_observed, f.last_observed,
    f.workflow_status, f.record_state, f.vulnerability"#;

/// The same columns as one run saw them (`r` is `run_results`); the vulnerability is the
/// finding's current one (an advisory's data, not what the run decided).
pub(crate) const RUN_COLUMNS: &str = r#"f.id, f.check_id, f.title, f.description, r.severity, r.status,
    r.reason, f.detail, f.service, f.resource_id, f.resource_type, f.account, f.region,
    f."partition", f.resource_name, f.remediation_console, f.remediation_cli,
    f.remediation_url, f.related_requirements, f.first_observed, r.observed_at,
    r.workflow_status, 'ACTIVE', f.vulnerability"#;

/// Most severe first, then a stable order.
pub(crate) fn order_by(severity: &str) -> String {
    format!(
        "ORDER BY CASE {severity} WHEN 'CRITICAL' THEN 4 WHEN 'HIGH' THEN 3 WHEN 'MEDIUM' THEN 2 \
         WHEN 'LOW' THEN 1 ELSE 0 END DESC, f.check_id, f.account, f.region, f.resource_id, f.id"
    )
}

/// Inserts a finding seen for the first time. Parameters as in `UPDATE_FINDING`.
pub(crate) const INSERT_FINDING: &str = r#"
INSERT INTO findings (id, check_id, title, description, severity, status, reason, detail,
    service, resource_id, resource_type, account, region, "partition", resource_name,
    remediation_console, remediation_cli, remediation_url, related_requirements,
    first_observed, last_observed, workflow_status, record_state, updated_at, vulnerability)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
    ?20, ?21, ?22, 'ACTIVE', ?23, ?24)
"#;

/// Updates a known finding. It binds the same parameters as `INSERT_FINDING` (SQLite
/// accepts bindings a statement does not use below its highest index) but leaves alone
/// what the id is derived from (check, resource id, detail) and `first_observed`: fewer
/// columns set, fewer indexes touched.
pub(crate) const UPDATE_FINDING: &str = r#"
UPDATE findings SET
    title = ?3, description = ?4, severity = ?5, status = ?6, reason = ?7, service = ?9,
    resource_type = ?11, account = ?12, region = ?13, "partition" = ?14, resource_name = ?15,
    remediation_console = ?16, remediation_cli = ?17, remediation_url = ?18,
    related_requirements = ?19, last_observed = ?21, workflow_status = ?22,
    record_state = 'ACTIVE', updated_at = ?23, vulnerability = ?24
WHERE id = ?1
"#;

/// Archives the ACTIVE findings this run could have produced and did not: same
/// account and region as the run covered (or region `global`), a check the run
/// evaluated. An account where the run has a gap without a resource (a listing failed)
/// is left alone as a whole: there, "not produced" may mean "not read" — and a global
/// listing (S3 buckets, IAM) fails in the home region while its resources live in every
/// region.
pub(crate) const ARCHIVE_VANISHED: &str = r#"
UPDATE findings SET record_state = 'ARCHIVED', updated_at = ?1
WHERE record_state = 'ACTIVE' AND product_arn IS NULL
  AND account IN (SELECT value FROM json_each(?2))
  AND (region IN (SELECT value FROM json_each(?3)) OR region = 'global')
  AND check_id IN (SELECT value FROM json_each(?4))
  AND NOT EXISTS (SELECT 1 FROM run_results r WHERE r.run_id = ?5 AND r.finding_id = findings.id)
  AND NOT EXISTS (SELECT 1 FROM gaps g WHERE g.run_id = ?5 AND g.resource IS NULL
                  AND g.account = findings.account)
"#;

/// Workflow-history note of a suppression that came from the configuration file.
pub(crate) const CONFIG_SUPPRESSION: &str = "suppressed by configuration";

impl Store {
    /// `$RAMPART_DB` if set, otherwise `<data dir>/rampart/rampart.db`
    /// (`~/.local/share/rampart/rampart.db` on Linux), or `rampart.db` in the current
    /// directory when the platform has no data directory.
    pub fn default_path() -> PathBuf {
        schema::default_path("RAMPART_DB", "rampart.db")
    }

    /// Opens the database at `path`, creating it and its parent directory if missing,
    /// and migrates it to the latest schema: for recording runs.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Self::open_as(path, schema::Mode::Create)
    }

    /// Opens an existing database for reading and writing; [`StoreError::Missing`] if
    /// there is none (nothing is created): for changes to what is recorded.
    pub fn open_existing(path: &Path) -> Result<Store, StoreError> {
        Self::open_as(path, schema::Mode::Existing)
    }

    /// Opens an existing database read-only (SQLite's `SQLITE_OPEN_READ_ONLY`), so that a
    /// database the user may read but not write can be browsed; [`StoreError::Missing`] if
    /// there is none and [`StoreError::Empty`] if nothing was recorded in it. Nothing is
    /// created. A database of an older schema is migrated first, which needs write access
    /// ([`StoreError::OldReadOnly`] without it). Writes through it fail with
    /// [`StoreError::ReadOnly`].
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        Self::open_as(path, schema::Mode::ReadOnly)
    }

    fn open_as(path: &Path, mode: schema::Mode) -> Result<Store, StoreError> {
        // A PostgreSQL URL is never a file name: what opens it is `Backend`, and only
        // for the findings store. Refused here, before the URL could become a file.
        if path.to_str().is_some_and(crate::pg::is_postgres_url) {
            return Err(StoreError::NotOnPostgres("this command".into()));
        }
        let (conn, path, versions) = schema::open(Some(path), mode, schema::STORE)?;
        Ok(Store { db: crate::sql::Db::Sqlite(conn), path, versions })
    }

    pub(crate) fn from_parts(db: crate::sql::Db, path: PathBuf, versions: schema::Versions) -> Store {
        let path = match &db {
            crate::sql::Db::Postgres(pg) => pg.place().to_path_buf(),
            crate::sql::Db::Sqlite(_) => path,
        };
        Store { db, path, versions }
    }

    /// A database that lives as long as the value: for tests and one-shot scans.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        let (conn, path, versions) = schema::open(None, schema::Mode::Create, schema::STORE)?;
        Ok(Store { db: crate::sql::Db::Sqlite(conn), path, versions })
    }

    /// The SQLite connection, for what is written for SQLite alone; on PostgreSQL
    /// [`StoreError::NotOnPostgres`].
    pub(crate) fn lite(&self) -> Result<&Connection, StoreError> {
        match &self.db {
            crate::sql::Db::Sqlite(c) => Ok(c),
            crate::sql::Db::Postgres(_) => Err(StoreError::NotOnPostgres("this part of the store".into())),
        }
    }

    /// The connection as [`crate::sql::Sql`], on either backend.
    pub(crate) fn sql(&self) -> &dyn crate::sql::Sql {
        self.db.sql()
    }

    /// Where the database lives (`:memory:` for an in-memory store).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the findings store (runs, findings, results, gaps, workflow
    /// history); every store has its own, see [`Store::schema_versions`].
    pub fn schema_version(&self) -> u32 {
        self.versions.first().map_or(0, |(_, v)| *v)
    }

    /// Each store this value uses and its schema version (all the latest this build
    /// knows), in migration order: `[("findings", 3), ("assessments", 1), ...]`.
    pub fn schema_versions(&self) -> &[(&'static str, u32)] {
        &self.versions
    }

    /// Records a run in one transaction: the run, its gaps, and each finding upserted
    /// under the lifecycle rules (see the crate documentation). On success the findings
    /// are updated in place to what the store now holds: `first_observed` of a known
    /// id, the workflow status, ACTIVE, timestamps truncated to the second. On error
    /// nothing is stored and `findings` is untouched. [`Store::begin_run`] records a run
    /// part by part instead (one account at a time).
    pub fn record_run(
        &mut self,
        run: &RunInfo,
        findings: &mut [Finding],
        gaps: &[Gap],
    ) -> Result<(), StoreError> {
        if let crate::sql::Db::Postgres(pg) = &mut self.db {
            return pg.record_run(run, findings, gaps);
        }
        let mut writer = self.begin_run(run)?;
        let updates = writer.write(findings, gaps)?;
        writer.finish(run)?;
        crate::run_writer::apply(findings, updates);
        tracing::debug!(run_id = %run.id, findings = findings.len(), gaps = gaps.len(), "recorded run");
        Ok(())
    }

    /// Every recorded run, newest first.
    pub fn runs(&self) -> Result<Vec<RunInfo>, StoreError> {
        if let crate::sql::Db::Postgres(pg) = &self.db {
            return pg.runs();
        }
        let err = sql(&self.path);
        let bad = corrupt(&self.path);
        let mut stmt = self
            .lite()?
            .prepare_cached(
                "SELECT id, started_at, finished_at, source, accounts, regions, tool_version, checks, incomplete
                 FROM runs ORDER BY started_at DESC, id DESC",
            )
            .map_err(&err)?;
        let mut rows = stmt.query([]).map_err(&err)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(&err)? {
            let text = |i: usize| row.get::<_, String>(i).map_err(&err);
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

    /// The findings of one run as that run saw them: its status, severity, reason,
    /// workflow status and observation time. Most severe first.
    pub fn run_results(&self, run_id: &str) -> Result<Vec<Finding>, StoreError> {
        if let crate::sql::Db::Postgres(pg) = &self.db {
            return pg.run_results(run_id);
        }
        self.require_run(run_id)?;
        let query = format!(
            "SELECT {RUN_COLUMNS} FROM run_results r JOIN findings f ON f.id = r.finding_id
             WHERE r.run_id = ?1 {}",
            order_by("r.severity")
        );
        self.query_findings(&query, vec![Value::Text(run_id.to_string())])
    }

    /// The gaps of one run, in the order they were recorded.
    pub fn gaps(&self, run_id: &str) -> Result<Vec<Gap>, StoreError> {
        if let crate::sql::Db::Postgres(pg) = &self.db {
            return pg.gaps(run_id);
        }
        self.require_run(run_id)?;
        let err = sql(&self.path);
        let bad = corrupt(&self.path);
        let mut stmt = self
            .lite()?
            .prepare_cached(
                "SELECT action, kind, account, region, resource, message
                 FROM gaps WHERE run_id = ?1 ORDER BY seq",
            )
            .map_err(&err)?;
        let mut rows = stmt.query([run_id]).map_err(&err)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(&err)? {
            let text = |i: usize| row.get::<_, String>(i).map_err(&err);
            out.push(Gap {
                action: text(0)?,
                kind: codec::gap_kind_from_text(&text(1)?).map_err(&bad)?,
                account: text(2)?,
                region: text(3)?,
                resource: row.get(4).map_err(&err)?,
                message: text(5)?,
            });
        }
        Ok(out)
    }

    /// The current state of the findings `filter` selects, most severe first.
    pub fn findings(&self, filter: &FindingFilter) -> Result<Vec<Finding>, StoreError> {
        if let crate::sql::Db::Postgres(pg) = &self.db {
            return pg.findings(filter);
        }
        let (where_clause, mut values) = filter_clauses(filter, Dialect::Sqlite);
        let mut query = format!("SELECT {CURRENT_COLUMNS} FROM findings f{where_clause} ");
        query.push_str(&order_by("coalesce(f.severity_label, f.severity)"));
        if let Some(limit) = filter.limit {
            query.push_str(" LIMIT ?");
            values.push(Value::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
        }
        self.query_findings(&query, values)
    }

    /// How many findings `filter` selects, its `limit` aside: for "100 of 136".
    pub fn count_findings(&self, filter: &FindingFilter) -> Result<usize, StoreError> {
        if let crate::sql::Db::Postgres(pg) = &self.db {
            return pg.count_findings(filter);
        }
        let (where_clause, values) = filter_clauses(filter, Dialect::Sqlite);
        let n: i64 = self
            .lite()?
            .query_row(
                &format!("SELECT count(*) FROM findings f{where_clause}"),
                rusqlite::params_from_iter(values),
                |r| r.get(0),
            )
            .map_err(sql(&self.path))?;
        Ok(usize::try_from(n).unwrap_or(0))
    }
}

/// The `WHERE` clause (with a leading space, or empty) and its values for `filter`,
/// `limit` aside.
pub(crate) fn filter_clauses(filter: &FindingFilter, dialect: Dialect) -> (String, Vec<Value>) {
    // Rampart's own findings and those imported from other tools alike (an imported
    // finding's `status` is its compliance status, its `check_id` its GeneratorId).
    let mut clauses: Vec<String> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    if let Some(p) = &filter.product {
        let name = dialect.eq_nocase("f.product_name");
        if p.eq_ignore_ascii_case("rampart") {
            clauses.push(format!("(f.product_arn IS NULL OR {name})"));
        } else {
            clauses.push(format!("({name} OR f.product_arn = ?)"));
            values.push(Value::Text(p.clone()));
        }
        values.push(Value::Text(p.clone()));
    }
    if let Some(s) = filter.status {
        clauses.push("f.status = ?".into());
        values.push(Value::Text(s.as_str().to_string()));
    }
    if let Some(min) = filter.min_severity {
        let labels: Vec<String> = Severity::ALL
            .iter()
            .filter(|s| **s >= min)
            .map(|s| s.label().to_string())
            .collect();
        clauses.push(dialect.in_json_list("coalesce(f.severity_label, f.severity)"));
        values.push(Value::Text(codec::strings_to_json(&labels)));
    }
    if let Some(c) = &filter.check_id {
        clauses.push("f.check_id = ?".into());
        values.push(Value::Text(c.clone()));
    }
    if let Some(a) = &filter.account {
        clauses.push("f.account = ?".into());
        values.push(Value::Text(a.clone()));
    }
    if let Some(r) = filter.record_state {
        clauses.push("f.record_state = ?".into());
        values.push(Value::Text(r.as_str().to_string()));
    }
    if clauses.is_empty() {
        (String::new(), values)
    } else {
        (format!(" WHERE {}", clauses.join(" AND ")), values)
    }
}

impl Store {
    /// Sets a finding's workflow status by hand and records the change with `note`.
    pub fn set_workflow(
        &mut self,
        finding_id: &str,
        status: WorkflowStatus,
        note: &str,
    ) -> Result<(), StoreError> {
        self.set_workflow_by(finding_id, status, note, None)
    }

    /// [`Store::set_workflow`], recording who made the change.
    pub fn set_workflow_by(
        &mut self,
        finding_id: &str,
        status: WorkflowStatus,
        note: &str,
        changed_by: Option<&str>,
    ) -> Result<(), StoreError> {
        if let crate::sql::Db::Postgres(pg) = &mut self.db {
            return pg.set_workflow_by(finding_id, status, note, changed_by);
        }
        let path = self.path.as_path();
        let err = sql(path);
        let now = codec::time_to_text(Timestamp::now_utc());
        let tx = crate::sql::lite_mut(&mut self.db)?
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(&err)?;
        let from: Option<String> = tx
            .query_row(
                "SELECT workflow_status FROM findings WHERE id = ?1",
                [finding_id],
                |r| r.get(0),
            )
            .optional()
            .map_err(&err)?;
        let Some(from) = from else {
            return Err(StoreError::UnknownFinding(finding_id.to_string()));
        };
        tx.execute(
            "UPDATE findings SET workflow_status = ?2, updated_at = ?3 WHERE id = ?1",
            params![finding_id, status.as_str(), now],
        )
        .map_err(&err)?;
        tx.execute(
            "INSERT INTO workflow_history (finding_id, changed_at, from_status, to_status, note, run_id, changed_by)
             VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6)",
            params![finding_id, now, from, status.as_str(), note, changed_by],
        )
        .map_err(&err)?;
        tx.commit().map_err(&err)
    }

    /// Every workflow change of a finding, oldest first.
    pub fn workflow_history(&self, finding_id: &str) -> Result<Vec<WorkflowChange>, StoreError> {
        if let crate::sql::Db::Postgres(pg) = &self.db {
            return pg.workflow_history(finding_id);
        }
        let err = sql(&self.path);
        let bad = corrupt(&self.path);
        let exists: bool = self
            .lite()?
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM findings WHERE id = ?1)",
                [finding_id],
                |r| r.get(0),
            )
            .map_err(&err)?;
        if !exists {
            return Err(StoreError::UnknownFinding(finding_id.to_string()));
        }
        let mut stmt = self
            .lite()?
            .prepare_cached(
                "SELECT changed_at, from_status, to_status, note, run_id, changed_by
                 FROM workflow_history WHERE finding_id = ?1 ORDER BY id",
            )
            .map_err(&err)?;
        let mut rows = stmt.query([finding_id]).map_err(&err)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(&err)? {
            let text = |i: usize| row.get::<_, String>(i).map_err(&err);
            out.push(WorkflowChange {
                finding_id: finding_id.to_string(),
                changed_at: codec::time_from_text(&text(0)?).map_err(&bad)?,
                from: codec::workflow_from_text(&text(1)?).map_err(&bad)?,
                to: codec::workflow_from_text(&text(2)?).map_err(&bad)?,
                note: text(3)?,
                run_id: row.get(4).map_err(&err)?,
                changed_by: row.get(5).map_err(&err)?,
            });
        }
        Ok(out)
    }

    pub(crate) fn require_run(&self, run_id: &str) -> Result<(), StoreError> {
        let exists: bool = self
            .lite()?
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM runs WHERE id = ?1)",
                [run_id],
                |r| r.get(0),
            )
            .map_err(sql(&self.path))?;
        if exists {
            Ok(())
        } else {
            Err(StoreError::UnknownRun(run_id.to_string()))
        }
    }

    pub(crate) fn query_findings(&self, query: &str, values: Vec<Value>) -> Result<Vec<Finding>, StoreError> {
        let err = sql(&self.path);
        let mut stmt = self.lite()?.prepare_cached(query).map_err(&err)?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(values))
            .map_err(&err)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(&err)? {
            out.push(finding_from_row(row, &self.path)?);
        }
        Ok(out)
    }
}

/// Reads the columns of `CURRENT_COLUMNS` / `RUN_COLUMNS`, from either backend.
pub(crate) fn finding_from_row<R: Cells + ?Sized>(row: &R, path: &Path) -> Result<Finding, StoreError> {
    let bad = corrupt(path);
    let text = |i: usize| row.string(i, path);
    Ok(Finding {
        id: text(0)?,
        check_id: text(1)?.into(),
        title: text(2)?.into(),
        description: text(3)?.into(),
        severity: codec::severity_from_text(&text(4)?).map_err(&bad)?,
        status: codec::status_from_text(&text(5)?).map_err(&bad)?,
        reason: text(6)?,
        detail: text(7)?,
        service: text(8)?.into(),
        resource: Resource {
            id: text(9)?,
            kind: codec::resource_type_from_text(&text(10)?).map_err(&bad)?,
            account: text(11)?,
            region: text(12)?,
            partition: text(13)?,
            name: text(14)?,
        },
        remediation_console: text(15)?.into(),
        remediation_cli: text(16)?.into(),
        remediation_url: text(17)?.into(),
        related_requirements: codec::strings_from_json("requirement list", &text(18)?)
            .map_err(&bad)?
            .into(),
        first_observed: codec::time_from_text(&text(19)?).map_err(&bad)?,
        last_observed: codec::time_from_text(&text(20)?).map_err(&bad)?,
        workflow_status: codec::workflow_from_text(&text(21)?).map_err(&bad)?,
        record_state: codec::record_state_from_text(&text(22)?).map_err(&bad)?,
        vulnerability: match row.text(23, path)? {
            None => None,
            Some(json) => Some(Box::new(codec::vulnerability_from_json(&json).map_err(&bad)?)),
        },
    })
}

/// `map_err` adapter for values the database holds but this build cannot read.
pub(crate) fn corrupt(path: &Path) -> impl Fn(Invalid) -> StoreError + '_ {
    move |(what, value)| StoreError::Corrupt {
        path: path.to_path_buf(),
        what,
        value,
    }
}
