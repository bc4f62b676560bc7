//! Inspector's assessment targets, templates and runs (see `assess.rs`). Its runs name
//! the findings store's `runs`: it is migrated after `findings`.

use super::Schema;

pub(crate) static ASSESSMENTS: Schema = Schema {
    name: "assessments",
    migrations: &[
        // 1: assessment targets, templates and runs, after Inspector's.
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
    ],
    // On PostgreSQL (the same versions, each written for it); empty: SQLite only so far.
    postgres: &[],
};
