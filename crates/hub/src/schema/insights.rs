//! Custom insights (see `insights.rs`): a name, findings filters and a group-by attribute.

use super::Schema;

pub(crate) static INSIGHTS: Schema = Schema {
    name: "insights",
    migrations: &[
        // 1: custom insights; the filters are Security Hub's JSON shape
        // (`AwsSecurityFindingFilters`, as `FindingFilters::to_json` writes it).
        r#"
CREATE TABLE insights (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,   -- shown as custom/<id>, never reused
    name       TEXT NOT NULL UNIQUE,
    filters    TEXT NOT NULL,
    group_by   TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"#,
    ],
    // On PostgreSQL (the same versions, each written for it); empty: SQLite only so far.
    postgres: &[],
};
