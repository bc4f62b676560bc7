//! Findings imported from other tools (Security Hub's `BatchImportFindings`): the store
//! side. Parsing ASFF or OCSF into [`ImportedFinding`] is the importer's job.
//!
//! An imported finding is identified, as in Security Hub, by its product ARN and its own
//! id: importing the same pair again updates it. It lives in the same table as rampart's
//! findings, under a key of its own (`import/<hash>`), so the findings query, insights,
//! batch updates and history work on it unchanged; its `ProductArn`, `ProductName`,
//! `CompanyName`, `Id` and `GeneratorId` are its own, and `ComplianceStatus` is absent
//! when the tool gave none. Rampart's own views (`Store::findings`, runs, archiving by a
//! scan) leave imported findings out.
//!
//! AWS's rules (<https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html>):
//! at most 100 findings per call (more is refused whole); a finding that cannot be stored
//! is answered in `failed` with a code and message and the others are stored; once a
//! finding exists, an import does not change what customers manage (workflow status,
//! note, user-defined fields, verification state) nor a severity, confidence or
//! criticality a person set — the tool's severity is kept as the finding's own, under a
//! person's override. An import whose `updated_at` is older than the stored one changes
//! nothing (it counts as a success: the store already holds newer data).

use crate::codec;
use crate::error::{sql, StoreError};
use crate::store::Store;
use rampart_model::{finding_id, RecordState, Resource, Severity, Status, Timestamp, Vulnerability, WorkflowStatus};
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use std::collections::{BTreeMap, BTreeSet};

/// The most findings one import may hold (`BatchImportFindings`: 100).
pub const MAX_IMPORT_FINDINGS: usize = 100;

/// A finding from another tool, as an importer read it (ASFF names in the comments).
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedFinding {
    /// `ProductArn`.
    pub product_arn: String,
    /// `Id`: the tool's id, unique per product.
    pub id: String,
    /// `GeneratorId`.
    pub generator_id: String,
    /// `ProductName`, `CompanyName`.
    pub product_name: String,
    pub company_name: String,
    pub title: String,
    pub description: String,
    /// `Severity.Label`.
    pub severity: Severity,
    /// `Compliance.Status`, if the finding has one.
    pub compliance_status: Option<Status>,
    /// `Compliance.RelatedRequirements`.
    pub related_requirements: Vec<String>,
    /// The first of `Resources` (its `Id`, `Type`, `Region`, `Partition`), with
    /// `AwsAccountId` as its account.
    pub resource: Resource,
    /// The resource's `Tags`.
    pub resource_tags: BTreeMap<String, String>,
    /// `Remediation.Recommendation.Text` and `Url`.
    pub remediation_text: String,
    pub remediation_url: String,
    /// `CreatedAt`, `UpdatedAt`, `FirstObservedAt`, `LastObservedAt`.
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub first_observed_at: Option<Timestamp>,
    pub last_observed_at: Option<Timestamp>,
    /// `RecordState`.
    pub record_state: RecordState,
    /// `Workflow.Status`: used only when the finding is created.
    pub workflow_status: Option<WorkflowStatus>,
    /// The first of `Vulnerabilities`, if any.
    pub vulnerability: Option<Vulnerability>,
}

/// A finding an import did not store (`ImportFindingsError`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImportFailure {
    pub id: String,
    pub error_code: String,
    pub error_message: String,
}

/// The answer to an import (`BatchImportFindings`' response).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct ImportResult {
    pub success_count: usize,
    pub failed_count: usize,
    pub failed_findings: Vec<ImportFailure>,
}

/// The store's key of an imported finding.
fn key(product_arn: &str, id: &str) -> String {
    let hashed = finding_id("import", product_arn, id);
    format!("import/{}", hashed.rsplit('/').next().unwrap_or(&hashed))
}

/// Why a finding cannot be stored as given, if it cannot.
fn invalid(f: &ImportedFinding) -> Option<String> {
    let required = [
        ("ProductArn", &f.product_arn),
        ("Id", &f.id),
        ("GeneratorId", &f.generator_id),
        ("Title", &f.title),
        ("Resources[0].Id", &f.resource.id),
        ("AwsAccountId", &f.resource.account),
    ];
    for (name, v) in required {
        if v.trim().is_empty() {
            return Some(format!("{name} is missing"));
        }
    }
    for (name, v, max) in
        [("Id", &f.id, 512), ("GeneratorId", &f.generator_id, 512), ("Title", &f.title, 256), ("Description", &f.description, 1024)]
    {
        let n = v.chars().count();
        if n > max {
            return Some(format!("{name} is {n} characters long, at most {max} are allowed"));
        }
    }
    None
}

impl Store {
    /// Stores findings from another tool (see the module documentation); `now` is when.
    pub fn import_findings(&mut self, findings: &[ImportedFinding], now: Timestamp) -> Result<ImportResult, StoreError> {
        if findings.is_empty() || findings.len() > MAX_IMPORT_FINDINGS {
            return Err(StoreError::InvalidImport(format!("send 1 to {MAX_IMPORT_FINDINGS} findings per import, not {}", findings.len())));
        }
        let err = sql(&self.path);
        let mut out = ImportResult::default();
        let mut count: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        for f in findings {
            *count.entry((&f.product_arn, &f.id)).or_default() += 1;
        }
        let _ = now;
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(&err)?;
        {
            let mut get = tx.prepare_cached("SELECT updated_at FROM findings WHERE id = ?1").map_err(&err)?;
            let mut insert = tx
                .prepare_cached(
                    r#"INSERT INTO findings (id, check_id, title, description, severity, status, reason, detail, service,
                        resource_id, resource_type, account, region, "partition", resource_name, remediation_console,
                        remediation_cli, remediation_url, related_requirements, first_observed, last_observed,
                        workflow_status, record_state, updated_at, vulnerability, product_arn, product_name, company_name,
                        external_id, compliance_status)
                     VALUES (?1, ?2, ?3, ?4, ?5, 'NOT_AVAILABLE', '', '', '', ?6, ?7, ?8, ?9, ?10, ?11, ?12, '', ?13, ?14,
                        ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)"#,
                )
                .map_err(&err)?;
            // What the tool owns; not what customers manage (workflow, note, fields,
            // verification, confidence, criticality, severity override).
            let mut update = tx
                .prepare_cached(
                    r#"UPDATE findings SET check_id = ?2, title = ?3, description = ?4, severity = ?5, resource_id = ?6,
                        resource_type = ?7, account = ?8, region = ?9, "partition" = ?10, resource_name = ?11,
                        remediation_console = ?12, remediation_url = ?13, related_requirements = ?14, first_observed = ?15,
                        last_observed = ?16, record_state = ?18, updated_at = ?19, vulnerability = ?20, product_name = ?22,
                        company_name = ?23, compliance_status = ?25
                     WHERE id = ?1"#,
                )
                .map_err(&err)?;
            let mut delete_tags = tx.prepare_cached("DELETE FROM resource_tags WHERE resource_id = ?1").map_err(&err)?;
            let mut insert_tag =
                tx.prepare_cached("INSERT INTO resource_tags (resource_id, key, value) VALUES (?1, ?2, ?3)").map_err(&err)?;
            let mut seen: BTreeSet<(&str, &str)> = BTreeSet::new();
            for f in findings {
                let fail =
                    |code: &str, message: String| ImportFailure { id: f.id.clone(), error_code: code.into(), error_message: message };
                if let Some(why) = invalid(f) {
                    out.failed_findings.push(fail("InvalidInput", why));
                    continue;
                }
                if count[&(f.product_arn.as_str(), f.id.as_str())] > 1 && !seen.insert((&f.product_arn, &f.id)) {
                    out.failed_findings
                        .push(fail("DuplicatedFindingIdentifier", "the import holds this ProductArn and Id more than once".into()));
                    continue;
                }
                let id = key(&f.product_arn, &f.id);
                let updated_at = codec::time_to_text(codec::truncate(f.updated_at));
                let stored: Option<String> = get.query_row([&id], |r| r.get(0)).optional().map_err(&err)?;
                if stored.as_deref().is_some_and(|s| s > updated_at.as_str()) {
                    out.success_count += 1;
                    continue;
                }
                let first = codec::time_to_text(codec::truncate(f.first_observed_at.unwrap_or(f.created_at)));
                let last = codec::time_to_text(codec::truncate(f.last_observed_at.unwrap_or(f.updated_at)));
                let args = params![
                    id,
                    f.generator_id,
                    f.title,
                    f.description,
                    f.severity.label(),
                    f.resource.id,
                    codec::resource_type_to_text(f.resource.kind),
                    f.resource.account,
                    f.resource.region,
                    f.resource.partition,
                    f.resource.name,
                    f.remediation_text,
                    f.remediation_url,
                    codec::strings_to_json(&f.related_requirements),
                    first,
                    last,
                    f.workflow_status.unwrap_or(WorkflowStatus::New).as_str(),
                    f.record_state.as_str(),
                    updated_at,
                    f.vulnerability.as_ref().map(codec::vulnerability_to_json),
                    f.product_arn,
                    f.product_name,
                    f.company_name,
                    f.id,
                    f.compliance_status.map(Status::as_str),
                ];
                if stored.is_some() {
                    update.execute(args).map_err(&err)?;
                } else {
                    insert.execute(args).map_err(&err)?;
                }
                delete_tags.execute([&f.resource.id]).map_err(&err)?;
                for (k, v) in &f.resource_tags {
                    insert_tag.execute(params![f.resource.id, k, v]).map_err(&err)?;
                }
                out.success_count += 1;
            }
        }
        tx.commit().map_err(&err)?;
        out.failed_count = out.failed_findings.len();
        tracing::debug!(stored = out.success_count, failed = out.failed_count, "imported findings");
        Ok(out)
    }
}
