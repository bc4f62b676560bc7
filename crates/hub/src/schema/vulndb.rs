//! The vulnerability database (see `vulndb.rs`).

use super::Schema;

pub(crate) static VULNDB: Schema = Schema {
    name: "vulndb",
    migrations: &[
        // 1: advisories as OSV JSON plus the columns queries need, their affected packages
        // indexed by (ecosystem, package), and per source the last import.
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
        // 2: the aliases of every advisory as rows, so that matching can find another source's
        // record of the same CVE (its CVSS rates an advisory that has none), filled for the
        // advisories already held.
        r#"
CREATE TABLE vuln_aliases (
    alias       TEXT NOT NULL,
    advisory_id TEXT NOT NULL REFERENCES vuln_advisories (id) ON DELETE CASCADE,
    PRIMARY KEY (alias, advisory_id)
) WITHOUT ROWID;
CREATE INDEX vuln_aliases_advisory ON vuln_aliases (advisory_id);
INSERT OR IGNORE INTO vuln_aliases (alias, advisory_id)
    SELECT j.value, a.id FROM vuln_advisories a, json_each(a.aliases) j WHERE j.type = 'text';
"#,
    ],
    // On PostgreSQL (the same versions, each written for it); empty: SQLite only so far.
    postgres: &[],
};
