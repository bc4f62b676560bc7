//! The migrations of rampart up to the single-version schema's end (`PRAGMA user_version`
//! 1 to 5, commit 1564994), frozen as they were released: tests build databases of every
//! legacy version from them and check that this build upgrades them. Never edit.

pub(crate) const LEGACY_MIGRATIONS: &[&str] = &[
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
    // 2: a vulnerability database (see `vulndb.rs`): advisories as OSV JSON plus the
    // columns queries need, their affected packages indexed by (ecosystem, package),
    // and per source the last import.
    r#"
CREATE TABLE vuln_advisories (
    id         TEXT PRIMARY KEY NOT NULL,
    modified   TEXT,            -- RFC 3339 as the record gives it
    withdrawn  TEXT,
    aliases    TEXT NOT NULL,   -- JSON array of ids (CVE, GHSA)
    summary    TEXT,
    severity   TEXT CHECK (severity IN ('INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    cvss_score REAL,
    source     TEXT NOT NULL,   -- the feed: osv, debian-security-tracker, alpine-secdb
    record     TEXT NOT NULL    -- the advisory as OSV JSON
);
CREATE INDEX vuln_advisories_source ON vuln_advisories (source);

CREATE TABLE vuln_affected (
    advisory_id TEXT NOT NULL REFERENCES vuln_advisories (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    ecosystem   TEXT NOT NULL,
    package     TEXT NOT NULL,  -- normalized per ecosystem (rampart_vuln::ecosystem)
    ranges      TEXT NOT NULL,  -- JSON array of OSV ranges
    versions    TEXT NOT NULL,  -- JSON array of explicitly affected versions
    PRIMARY KEY (advisory_id, seq)
) WITHOUT ROWID;
CREATE INDEX vuln_affected_package ON vuln_affected (ecosystem, package);

-- Per source: its last import and how many advisories it holds.
CREATE TABLE vulndb_meta (
    source      TEXT PRIMARY KEY NOT NULL,
    imported_at TEXT NOT NULL,
    read        INTEGER NOT NULL,   -- records in the last import
    inserted    INTEGER NOT NULL,
    updated     INTEGER NOT NULL,
    unchanged   INTEGER NOT NULL,
    older       INTEGER NOT NULL,   -- skipped: the store held a newer `modified`
    advisories  INTEGER NOT NULL    -- advisories of this source in the store
);
"#,
    // 3: assessment targets, templates and runs (see `assess.rs`), after Inspector's.
    r#"
CREATE TABLE assessment_targets (
    name       TEXT PRIMARY KEY NOT NULL,
    selector   TEXT NOT NULL,   -- JSON {"tags": {k: v}, "hosts": [glob]}
    created_at TEXT NOT NULL
);

CREATE TABLE assessment_templates (
    name             TEXT PRIMARY KEY NOT NULL,
    target           TEXT NOT NULL REFERENCES assessment_targets (name),
    rule_packages    TEXT NOT NULL,   -- JSON array: cve, cis, best-practices, runtime
    duration_seconds INTEGER NOT NULL,
    created_at       TEXT NOT NULL
);

CREATE TABLE assessment_runs (
    id              INTEGER PRIMARY KEY,   -- never deleted, so never reused
    template        TEXT NOT NULL REFERENCES assessment_templates (name),
    state           TEXT NOT NULL CHECK (state IN ('CREATED', 'COLLECTING_DATA', 'EVALUATING_RULES', 'COMPLETED', 'FAILED')),
    created_at      TEXT NOT NULL,
    collecting_at   TEXT,
    evaluating_at   TEXT,
    completed_at    TEXT,
    failed_at       TEXT,
    failure         TEXT,
    findings_run_id TEXT REFERENCES runs (id) ON DELETE SET NULL,
    hosts           TEXT NOT NULL DEFAULT '[]'   -- JSON array of the assessed hostnames
);
CREATE INDEX assessment_runs_template ON assessment_runs (template, id);
"#,
    // 4: the structured vulnerability of a host, image or function CVE finding (JSON of
    // `rampart_model::Vulnerability`, NULL for every other finding); the aliases of every
    // advisory as rows, so that matching can find another source's record of the same CVE
    // (its CVSS rates an advisory that has none), filled for the advisories already held.
    r#"
ALTER TABLE findings ADD COLUMN vulnerability TEXT;

CREATE TABLE vuln_aliases (
    alias       TEXT NOT NULL,
    advisory_id TEXT NOT NULL REFERENCES vuln_advisories (id) ON DELETE CASCADE,
    PRIMARY KEY (alias, advisory_id)
) WITHOUT ROWID;
CREATE INDEX vuln_aliases_advisory ON vuln_aliases (advisory_id);
INSERT OR IGNORE INTO vuln_aliases (alias, advisory_id)
    SELECT j.value, a.id FROM vuln_advisories a, json_each(a.aliases) j WHERE j.type = 'text';
"#,
    // 5: who changed a finding's workflow by hand (the operating-system user the CLI ran
    // as); NULL for a run's automatic changes and for changes recorded before.
    r#"
ALTER TABLE workflow_history ADD COLUMN changed_by TEXT;
"#,
];
