//! The findings store: runs, findings with their lifecycle, per-run results, gaps and the
//! history of workflow changes (see `store.rs`, `lifecycle.rs`).

use super::Schema;

pub(crate) static FINDINGS: Schema = Schema {
    name: "findings",
    migrations: &[
        // 1: runs, findings with their lifecycle, per-run results, gaps, workflow history.
        r#"
CREATE TABLE runs (
    id           TEXT PRIMARY KEY NOT NULL,
    started_at   TEXT NOT NULL,
    finished_at  TEXT NOT NULL,
    source       TEXT NOT NULL,
    accounts     TEXT NOT NULL,   -- JSON array of account ids
    regions      TEXT NOT NULL,   -- JSON array of region names
    tool_version TEXT NOT NULL,
    checks       TEXT NOT NULL DEFAULT '[]'   -- JSON array of the check ids evaluated
);
CREATE INDEX runs_started_at ON runs (started_at);

-- Current state of every finding ever seen; one row per finding id.
CREATE TABLE findings (
    id                   TEXT PRIMARY KEY NOT NULL,
    check_id             TEXT NOT NULL,
    title                TEXT NOT NULL,
    description          TEXT NOT NULL,
    severity             TEXT NOT NULL CHECK (severity IN ('INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    status               TEXT NOT NULL CHECK (status IN ('PASSED', 'FAILED', 'WARNING', 'NOT_AVAILABLE')),
    reason               TEXT NOT NULL,
    detail               TEXT NOT NULL,
    service              TEXT NOT NULL,
    resource_id          TEXT NOT NULL,
    resource_type        TEXT NOT NULL,
    account              TEXT NOT NULL,
    region               TEXT NOT NULL,
    "partition"          TEXT NOT NULL,
    resource_name        TEXT NOT NULL,
    remediation_console  TEXT NOT NULL,
    remediation_cli      TEXT NOT NULL,
    remediation_url      TEXT NOT NULL,
    related_requirements TEXT NOT NULL,   -- JSON array of strings
    first_observed       TEXT NOT NULL,
    last_observed        TEXT NOT NULL,
    workflow_status      TEXT NOT NULL CHECK (workflow_status IN ('NEW', 'NOTIFIED', 'SUPPRESSED', 'RESOLVED')),
    record_state         TEXT NOT NULL CHECK (record_state IN ('ACTIVE', 'ARCHIVED')),
    updated_at           TEXT NOT NULL
);
CREATE INDEX findings_scope ON findings (account, region);
CREATE INDEX findings_check ON findings (check_id);
CREATE INDEX findings_status ON findings (status);

-- What each run said about each finding it produced.
CREATE TABLE run_results (
    run_id          TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    finding_id      TEXT NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    status          TEXT NOT NULL,
    severity        TEXT NOT NULL,
    reason          TEXT NOT NULL,
    workflow_status TEXT NOT NULL,
    observed_at     TEXT NOT NULL,
    PRIMARY KEY (run_id, finding_id)
) WITHOUT ROWID;
CREATE INDEX run_results_finding ON run_results (finding_id);

CREATE TABLE gaps (
    run_id   TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq      INTEGER NOT NULL,
    action   TEXT NOT NULL,
    kind     TEXT NOT NULL,
    account  TEXT NOT NULL,
    region   TEXT NOT NULL,
    resource TEXT,
    message  TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
);

-- Every change of a finding's workflow status: by a person (run_id NULL) or by the
-- automatic rules of a run.
CREATE TABLE workflow_history (
    id          INTEGER PRIMARY KEY,
    finding_id  TEXT NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    changed_at  TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    note        TEXT NOT NULL,
    run_id      TEXT REFERENCES runs (id) ON DELETE SET NULL
);
CREATE INDEX workflow_history_finding ON workflow_history (finding_id, id);
"#,
        // 2: the structured vulnerability of a host, image or function CVE finding (JSON of
        // `rampart_model::Vulnerability`, NULL for every other finding).
        r#"
ALTER TABLE findings ADD COLUMN vulnerability TEXT;
"#,
        // 3: who changed a finding's workflow by hand (the operating-system user the CLI ran
        // as); NULL for a run's automatic changes and for changes recorded before.
        r#"
ALTER TABLE workflow_history ADD COLUMN changed_by TEXT;
"#,
        // 4: triage by people, after Security Hub's BatchUpdateFindings: a severity label
        // that overrides the check's (NULL: the check's), confidence and criticality (0 to
        // 100, NULL: not set), verification state, user-defined fields (a JSON object of
        // strings) and a note; the current tags of each resource (for `ResourceTags`
        // filters); indexes for the findings query's default order (effective severity,
        // then id) and for resource look-ups. The severity expression is `query.rs`'s
        // `NORMALIZED`: the index serves only a query that spells it the same.
        r#"
ALTER TABLE findings ADD COLUMN severity_label TEXT
    CHECK (severity_label IN ('INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'));
ALTER TABLE findings ADD COLUMN confidence INTEGER CHECK (confidence BETWEEN 0 AND 100);
ALTER TABLE findings ADD COLUMN criticality INTEGER CHECK (criticality BETWEEN 0 AND 100);
ALTER TABLE findings ADD COLUMN verification_state TEXT NOT NULL DEFAULT 'UNKNOWN'
    CHECK (verification_state IN ('UNKNOWN', 'TRUE_POSITIVE', 'FALSE_POSITIVE', 'BENIGN_POSITIVE'));
ALTER TABLE findings ADD COLUMN user_defined_fields TEXT NOT NULL DEFAULT '{}';
ALTER TABLE findings ADD COLUMN note_text TEXT;
ALTER TABLE findings ADD COLUMN note_updated_by TEXT;
ALTER TABLE findings ADD COLUMN note_updated_at TEXT;

CREATE TABLE resource_tags (
    resource_id TEXT NOT NULL,
    key         TEXT NOT NULL,
    value       TEXT NOT NULL,
    PRIMARY KEY (resource_id, key)
) WITHOUT ROWID;

CREATE INDEX findings_resource ON findings (resource_id);
CREATE INDEX findings_severity_order ON findings (
    (CASE coalesce(severity_label, severity) WHEN 'CRITICAL' THEN 90 WHEN 'HIGH' THEN 70
        WHEN 'MEDIUM' THEN 40 WHEN 'LOW' THEN 1 ELSE 0 END), id);
"#,
        // 5: every change people (or automation rules) make to a finding's fields, with
        // who, when, why, and the value before and after (see `triage.rs`); workflow
        // changes are also kept in `workflow_history`, as before.
        r#"
CREATE TABLE finding_history (
    id         INTEGER PRIMARY KEY,
    finding_id TEXT NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    reason     TEXT NOT NULL,
    field      TEXT NOT NULL,   -- ASFF name: WorkflowStatus, SeverityLabel, NoteText, UserDefinedFields.<key>, ...
    from_value TEXT,            -- NULL: not set before
    to_value   TEXT             -- NULL: removed
);
CREATE INDEX finding_history_finding ON finding_history (finding_id, id);
"#,
        // 6: findings imported from other tools (`imports.rs`, after BatchImportFindings):
        // their product (NULL for rampart's own findings), their own id, unique per
        // product, and their compliance status, which may be absent (`status` holds
        // NOT_AVAILABLE for them and is not read: queries read `compliance_status`).
        r#"
ALTER TABLE findings ADD COLUMN product_arn TEXT;
ALTER TABLE findings ADD COLUMN product_name TEXT;
ALTER TABLE findings ADD COLUMN company_name TEXT;
ALTER TABLE findings ADD COLUMN external_id TEXT;
ALTER TABLE findings ADD COLUMN compliance_status TEXT
    CHECK (compliance_status IN ('PASSED', 'FAILED', 'WARNING', 'NOT_AVAILABLE'));
CREATE UNIQUE INDEX findings_imported ON findings (product_arn, external_id) WHERE product_arn IS NOT NULL;
"#,
        // 7: what a run set out to read and could not, in words (`RunInfo::incomplete`, a
        // JSON array of strings); '[]': complete, as every run recorded before is read.
        r#"
ALTER TABLE runs ADD COLUMN incomplete TEXT NOT NULL DEFAULT '[]';
"#,
        // 8: the resource index also holds record state and workflow status, so that the
        // insights grouped by resource over open findings (Security Hub's "resources with
        // the most findings") read the index alone instead of every row.
        r#"
DROP INDEX findings_resource;
CREATE INDEX findings_resource ON findings (resource_id, record_state, workflow_status);
"#,
        // 9: what an imported finding holds beyond its findings row (`imports.rs`): every
        // resource (ASFF `Resources` as JSON, tags and details included), the finding as
        // the tool sent it (deflate-compressed JSON; NULL when none was sent), its format,
        // and the provider's `UpdatedAt` — people's changes set `findings.updated_at`, so
        // the staleness check of an import reads this one. A row of its own keeps the
        // findings table's rows small for the queries that scan it. Imported findings'
        // `status` now holds their compliance status (NOT_AVAILABLE when none), so
        // rampart's own views list them truthfully.
        r#"
CREATE TABLE imported_findings (
    finding_id          TEXT PRIMARY KEY NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    format              TEXT NOT NULL,
    provider_updated_at TEXT NOT NULL,
    resources           TEXT NOT NULL,
    document            BLOB
);
UPDATE findings SET status = coalesce(compliance_status, 'NOT_AVAILABLE') WHERE product_arn IS NOT NULL;
"#,
        // 10: the number of findings per combination of the columns that the common
        // filters and group-bys read (record state, workflow, severity, compliance status,
        // product, account, region, partition, resource type, check, verification state,
        // requirements), kept exact by triggers on every insert, delete and update of
        // `findings`; `key` is the JSON array of those columns (NULL and '' differ). A
        // count or insight over these fields sums a few thousand rows instead of reading
        // a million findings (`query.rs`'s `COUNTED`); `tests_counts.rs` compares it with
        // a count of the findings. Its columns keep the findings' names so that the
        // filters' SQL reads either table.
        r#"
CREATE TABLE finding_counts (
    key                  TEXT PRIMARY KEY NOT NULL,
    record_state         TEXT NOT NULL,
    workflow_status      TEXT NOT NULL,
    severity             TEXT NOT NULL,
    severity_label       TEXT,
    status               TEXT NOT NULL,
    compliance_status    TEXT,
    product_arn          TEXT,
    product_name         TEXT,
    company_name         TEXT,
    account              TEXT NOT NULL,
    region               TEXT NOT NULL,
    "partition"          TEXT NOT NULL,
    resource_type        TEXT NOT NULL,
    check_id             TEXT NOT NULL,
    verification_state   TEXT NOT NULL,
    related_requirements TEXT NOT NULL,
    n                    INTEGER NOT NULL CHECK (n > 0)
) WITHOUT ROWID;

INSERT INTO finding_counts
SELECT json_array(record_state, workflow_status, severity, severity_label, status, compliance_status, product_arn,
                  product_name, company_name, account, region, "partition", resource_type, check_id,
                  verification_state, related_requirements) AS k,
       record_state, workflow_status, severity, severity_label, status, compliance_status, product_arn,
       product_name, company_name, account, region, "partition", resource_type, check_id,
       verification_state, related_requirements, count(*)
FROM findings GROUP BY k;

CREATE TRIGGER finding_counts_insert AFTER INSERT ON findings BEGIN
    INSERT INTO finding_counts VALUES (
        json_array(new.record_state, new.workflow_status, new.severity, new.severity_label, new.status,
                   new.compliance_status, new.product_arn, new.product_name, new.company_name, new.account,
                   new.region, new."partition", new.resource_type, new.check_id, new.verification_state,
                   new.related_requirements),
        new.record_state, new.workflow_status, new.severity, new.severity_label, new.status,
        new.compliance_status, new.product_arn, new.product_name, new.company_name, new.account,
        new.region, new."partition", new.resource_type, new.check_id, new.verification_state,
        new.related_requirements, 1)
    ON CONFLICT (key) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER finding_counts_delete AFTER DELETE ON findings BEGIN
    DELETE FROM finding_counts WHERE n = 1 AND key = json_array(old.record_state, old.workflow_status, old.severity,
        old.severity_label, old.status, old.compliance_status, old.product_arn, old.product_name, old.company_name,
        old.account, old.region, old."partition", old.resource_type, old.check_id, old.verification_state,
        old.related_requirements);
    UPDATE finding_counts SET n = n - 1 WHERE key = json_array(old.record_state, old.workflow_status, old.severity,
        old.severity_label, old.status, old.compliance_status, old.product_arn, old.product_name, old.company_name,
        old.account, old.region, old."partition", old.resource_type, old.check_id, old.verification_state,
        old.related_requirements);
END;

CREATE TRIGGER finding_counts_update AFTER UPDATE OF record_state, workflow_status, severity, severity_label, status,
    compliance_status, product_arn, product_name, company_name, account, region, "partition", resource_type, check_id,
    verification_state, related_requirements ON findings
WHEN old.record_state IS NOT new.record_state OR old.workflow_status IS NOT new.workflow_status
    OR old.severity IS NOT new.severity OR old.severity_label IS NOT new.severity_label OR old.status IS NOT new.status
    OR old.compliance_status IS NOT new.compliance_status OR old.product_arn IS NOT new.product_arn
    OR old.product_name IS NOT new.product_name OR old.company_name IS NOT new.company_name
    OR old.account IS NOT new.account OR old.region IS NOT new.region OR old."partition" IS NOT new."partition"
    OR old.resource_type IS NOT new.resource_type OR old.check_id IS NOT new.check_id
    OR old.verification_state IS NOT new.verification_state OR old.related_requirements IS NOT new.related_requirements
BEGIN
    DELETE FROM finding_counts WHERE n = 1 AND key = json_array(old.record_state, old.workflow_status, old.severity,
        old.severity_label, old.status, old.compliance_status, old.product_arn, old.product_name, old.company_name,
        old.account, old.region, old."partition", old.resource_type, old.check_id, old.verification_state,
        old.related_requirements);
    UPDATE finding_counts SET n = n - 1 WHERE key = json_array(old.record_state, old.workflow_status, old.severity,
        old.severity_label, old.status, old.compliance_status, old.product_arn, old.product_name, old.company_name,
        old.account, old.region, old."partition", old.resource_type, old.check_id, old.verification_state,
        old.related_requirements);
    INSERT INTO finding_counts VALUES (
        json_array(new.record_state, new.workflow_status, new.severity, new.severity_label, new.status,
                   new.compliance_status, new.product_arn, new.product_name, new.company_name, new.account,
                   new.region, new."partition", new.resource_type, new.check_id, new.verification_state,
                   new.related_requirements),
        new.record_state, new.workflow_status, new.severity, new.severity_label, new.status,
        new.compliance_status, new.product_arn, new.product_name, new.company_name, new.account,
        new.region, new."partition", new.resource_type, new.check_id, new.verification_state,
        new.related_requirements, 1)
    ON CONFLICT (key) DO UPDATE SET n = n + 1;
END;
"#,
        // 11: the findings of one resource type by resource, with their record state,
        // workflow and check: the insights on one type grouped by resource ("top S3
        // buckets", "top EC2 instances", EC2 instances that fail best practices) read this
        // index alone instead of the whole table (1.5 to 1.7 s of CPU over 1M findings).
        r#"
CREATE INDEX findings_type_resource ON findings (resource_type, resource_id, record_state, workflow_status, check_id);
"#,
        // 12: indexes for the shapes the common ones did not serve (issue 11's benchmark
        // at 1M findings). The resource indexes also hold the compliance status (as
        // `query.rs`'s `column("ComplianceStatus")` spells it), `updated_at` and which
        // standards a finding's requirements name (`query.rs`'s `STANDARDS_MASK`, spelled
        // the same), so the insights grouped by resource over a standard, a compliance
        // status or the last day (Security Hub's 6, 11, 34, 36) read the index alone. One
        // index per sort the console offers (`(key, id)`: ties are broken by id), so a
        // page in that order reads the index in order instead of sorting every match;
        // `findings_account` replaces `findings_scope` (account, region). And the distinct
        // titles with their number of findings, kept exact by triggers, so that a Title
        // CONTAINS looks for the titles that contain the value there, then reads only
        // their findings through `findings_title`.
        r#"
DROP INDEX findings_resource;
CREATE INDEX findings_resource ON findings (resource_id, record_state, workflow_status,
    (CASE WHEN product_arn IS NULL THEN status ELSE compliance_status END), updated_at,
    ((instr(related_requirements, '"AWS Foundational Security Best Practices/') > 0)
        + 2 * (instr(related_requirements, '"CIS AWS Foundations Benchmark v3.0.0/') > 0)));
DROP INDEX findings_type_resource;
CREATE INDEX findings_type_resource ON findings (resource_type, resource_id, record_state, workflow_status, check_id,
    ((instr(related_requirements, '"AWS Foundational Security Best Practices/') > 0)
        + 2 * (instr(related_requirements, '"CIS AWS Foundations Benchmark v3.0.0/') > 0)));
DROP INDEX findings_scope;
CREATE INDEX findings_account ON findings (account, id);
CREATE INDEX findings_last_observed ON findings (last_observed, id);
CREATE INDEX findings_title ON findings (title, id);
CREATE INDEX findings_workflow ON findings (workflow_status, id);

CREATE TABLE finding_titles (
    title TEXT PRIMARY KEY NOT NULL,
    n     INTEGER NOT NULL CHECK (n > 0)
) WITHOUT ROWID;
INSERT INTO finding_titles SELECT title, count(*) FROM findings GROUP BY title;

CREATE TRIGGER finding_titles_insert AFTER INSERT ON findings BEGIN
    INSERT INTO finding_titles VALUES (new.title, 1) ON CONFLICT (title) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER finding_titles_delete AFTER DELETE ON findings BEGIN
    DELETE FROM finding_titles WHERE n = 1 AND title = old.title;
    UPDATE finding_titles SET n = n - 1 WHERE title = old.title;
END;

CREATE TRIGGER finding_titles_update AFTER UPDATE OF title ON findings WHEN old.title IS NOT new.title BEGIN
    DELETE FROM finding_titles WHERE n = 1 AND title = old.title;
    UPDATE finding_titles SET n = n - 1 WHERE title = old.title;
    INSERT INTO finding_titles VALUES (new.title, 1) ON CONFLICT (title) DO UPDATE SET n = n + 1;
END;
"#,
        // 13: each finding's results by time, for retention (`Store::prune_results` and
        // `prune_runs` look up every result's finding's latest one): a seek to the index's
        // last entry of the finding instead of reading all its results. It serves look-ups
        // by finding alone too, so it replaces `run_results_finding`.
        r#"
CREATE INDEX run_results_finding_observed ON run_results (finding_id, observed_at);
DROP INDEX run_results_finding;
"#,
        // 14: `CONTAINS` on the description and the note without reading every finding.
        // `finding_descriptions` holds each distinct (description, check) pair with its
        // number of findings, kept exact by triggers like `finding_titles`: a Description
        // CONTAINS finds the descriptions that contain the value there, then reads only
        // their checks' findings through `findings_check` (a check's findings mostly share
        // a description, so no index of its own is written per finding). Notes are few and
        // written by people: a partial index holds the noted findings alone, read for a
        // NoteText CONTAINS (imports and scans never set a note, so they never write it).
        r#"
CREATE TABLE finding_descriptions (
    description TEXT NOT NULL,
    check_id    TEXT NOT NULL,
    n           INTEGER NOT NULL CHECK (n > 0),
    PRIMARY KEY (description, check_id)
) WITHOUT ROWID;
INSERT INTO finding_descriptions SELECT description, check_id, count(*) FROM findings GROUP BY description, check_id;

CREATE TRIGGER finding_descriptions_insert AFTER INSERT ON findings BEGIN
    INSERT INTO finding_descriptions VALUES (new.description, new.check_id, 1)
    ON CONFLICT (description, check_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER finding_descriptions_delete AFTER DELETE ON findings BEGIN
    DELETE FROM finding_descriptions WHERE n = 1 AND description = old.description AND check_id = old.check_id;
    UPDATE finding_descriptions SET n = n - 1 WHERE description = old.description AND check_id = old.check_id;
END;

CREATE TRIGGER finding_descriptions_update AFTER UPDATE OF description, check_id ON findings
WHEN old.description IS NOT new.description OR old.check_id IS NOT new.check_id BEGIN
    DELETE FROM finding_descriptions WHERE n = 1 AND description = old.description AND check_id = old.check_id;
    UPDATE finding_descriptions SET n = n - 1 WHERE description = old.description AND check_id = old.check_id;
    INSERT INTO finding_descriptions VALUES (new.description, new.check_id, 1)
    ON CONFLICT (description, check_id) DO UPDATE SET n = n + 1;
END;

CREATE INDEX findings_note ON findings (note_text) WHERE note_text IS NOT NULL;
"#,
        // 15: `findings_resource` also holds the account (last, so nothing that reads it
        // by resource changes): a page sorted by resource with an account filter reads the
        // index in order and tests the account there, fetching a row only for a match,
        // instead of a row per entry passed (the query bench's one-account pages: 123-276
        // ms of CPU -> 6-8 ms). Spelt as migration 12's, the account appended.
        r#"
DROP INDEX findings_resource;
CREATE INDEX findings_resource ON findings (resource_id, record_state, workflow_status,
    (CASE WHEN product_arn IS NULL THEN status ELSE compliance_status END), updated_at,
    ((instr(related_requirements, '"AWS Foundational Security Best Practices/') > 0)
        + 2 * (instr(related_requirements, '"CIS AWS Foundations Benchmark v3.0.0/') > 0)), account);
"#,
    ],
    // On PostgreSQL (the same versions, each written for it); empty: SQLite only so far.
    postgres: crate::pg::FINDINGS_PG,
};
