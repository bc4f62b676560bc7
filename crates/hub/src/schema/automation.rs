//! Automation rules (see `automation.rs`): Security Hub's model — an order, criteria in
//! the findings filter language, one `FINDING_FIELDS_UPDATE` action, terminal or not,
//! enabled or not.

use super::Schema;

pub(crate) static AUTOMATION: Schema = Schema {
    name: "automation",
    migrations: &[
        // 1: rules; criteria are `AutomationRulesFindingFilters` JSON (as
        // `FindingFilters::to_json` writes it), the action is the `FindingFieldsUpdate`
        // JSON of `BatchUpdateFindings`' update members.
        r#"
CREATE TABLE automation_rules (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,   -- shown as rule/<id>, never reused
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    rule_order  INTEGER NOT NULL CHECK (rule_order BETWEEN 1 AND 1000),
    enabled     INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    terminal    INTEGER NOT NULL CHECK (terminal IN (0, 1)),
    criteria    TEXT NOT NULL,
    action      TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
"#,
    ],
    // On PostgreSQL (the same versions, each written for it); empty: SQLite only so far.
    postgres: &[],
};
