//! A schema per store: databases of every legacy single version upgrade with their data,
//! a store newer than this build is refused by name, and reading never writes.

use crate::schema::legacy::LEGACY_MIGRATIONS;
use crate::schema::{self, APPLICATION_ID, ASSESSMENTS, FILE_FORMAT, LEGACY, LEGACY_LATEST, VULNDB_SCHEMA};
use crate::{FindingFilter, Store, StoreError, VulnStore};
use rusqlite::Connection;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A database as rampart wrote it at legacy `user_version` `n`, with a row in every
/// table that version had: a run and a finding (1), an advisory (2), an assessment
/// target (3), the finding's vulnerability (4), a workflow change with its author (5).
fn legacy_db(dir: &Path, n: u32) -> PathBuf {
    let path = dir.join(format!("legacy-{n}.db"));
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    for m in &LEGACY_MIGRATIONS[..n as usize] {
        conn.execute_batch(m).unwrap();
    }
    conn.pragma_update(None, "user_version", n).unwrap();
    conn.pragma_update(None, "application_id", APPLICATION_ID).unwrap();
    conn.execute_batch(
        r#"INSERT INTO runs (id, started_at, finished_at, source, accounts, regions, tool_version)
           VALUES ('r1', '2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z', 'test', '["111111111111"]', '["us-east-1"]', '0');
           INSERT INTO findings VALUES ('f1', 'c', 't', 'd', 'HIGH', 'FAILED', 'why', '', 's3', 'arn:aws:s3:::b',
               'AwsS3Bucket', '111111111111', 'us-east-1', 'aws', 'b', '', '', '', '[]',
               '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'NEW', 'ACTIVE', '2026-01-01T00:00:00Z'
               {vuln});
           INSERT INTO workflow_history (finding_id, changed_at, from_status, to_status, note, run_id)
               VALUES ('f1', '2026-01-02T00:00:00Z', 'NEW', 'NOTIFIED', 'seen', NULL);"#
            .replace("{vuln}", if n >= 4 { ", NULL" } else { "" })
            .as_str(),
    )
    .unwrap();
    if n >= 2 {
        conn.execute(
            "INSERT INTO vuln_advisories (id, aliases, source, record) VALUES ('GHSA-1', '[\"CVE-2022-0778\"]', 'osv', ?1)",
            [r#"{"id":"GHSA-1","aliases":["CVE-2022-0778"],"affected":[]}"#],
        )
        .unwrap();
    }
    if n >= 4 {
        // What an import of that version wrote beside the advisory.
        conn.execute_batch("INSERT INTO vuln_aliases VALUES ('CVE-2022-0778', 'GHSA-1')").unwrap();
    }
    if n >= 3 {
        conn.execute_batch(r#"INSERT INTO assessment_targets VALUES ('web', '{"tags":{},"hosts":["web-*"]}', '2026-01-01T00:00:00Z')"#)
            .unwrap();
    }
    if n >= 5 {
        conn.execute_batch("UPDATE workflow_history SET changed_by = 'alice'").unwrap();
    }
    path
}

fn store_versions(path: &Path) -> BTreeMap<String, u32> {
    let conn = Connection::open(path).unwrap();
    let mut stmt = conn.prepare("SELECT name, version FROM rampart_schema").unwrap();
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

fn user_version(path: &Path) -> u32 {
    Connection::open(path).unwrap().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap()
}

/// Every table and index as SQLite keeps its definition, `rampart_schema` aside.
fn definitions(path: &Path) -> Vec<(String, String)> {
    let conn = Connection::open(path).unwrap();
    let mut stmt = conn.prepare("SELECT name, coalesce(sql, '') FROM sqlite_schema WHERE name != 'rampart_schema' ORDER BY name").unwrap();
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

#[test]
fn the_legacy_mapping_matches_the_legacy_migrations() {
    // Each threshold is the legacy migration that created or changed the store's tables:
    // the store's own script at that version has the same statements.
    let squash = |s: &str| -> String {
        s.lines().filter(|l| !l.trim_start().starts_with("--")).collect::<Vec<_>>().join("\n").split_whitespace().collect()
    };
    for (name, thresholds) in LEGACY {
        let store = schema::ALL.iter().find(|s| s.name == *name).expect("a known store");
        assert!(thresholds.len() <= store.migrations.len(), "{name}: a legacy version maps onto a version of the store");
        for (i, legacy) in thresholds.iter().enumerate() {
            let own = squash(store.migrations[i]);
            let old = squash(LEGACY_MIGRATIONS[*legacy as usize - 1]);
            assert!(old.contains(&own), "{name} {} is part of legacy migration {legacy}", i + 1);
        }
    }
    // Every statement of every legacy migration went to some store.
    for (i, old) in LEGACY_MIGRATIONS.iter().enumerate() {
        let mut rest = squash(old);
        for (name, thresholds) in LEGACY {
            let store = schema::ALL.iter().find(|s| s.name == *name).unwrap();
            for (k, legacy) in thresholds.iter().enumerate() {
                if *legacy as usize == i + 1 {
                    rest = rest.replace(&squash(store.migrations[k]), "");
                }
            }
        }
        assert_eq!(rest, "", "legacy migration {} is split between the stores", i + 1);
    }
    assert_eq!(LEGACY_MIGRATIONS.len() as u32, LEGACY_LATEST);
}

#[test]
fn a_database_of_every_legacy_version_upgrades_keeping_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("fresh.db");
    drop(Store::open(&fresh).unwrap());
    drop(VulnStore::open(&fresh).unwrap());

    for n in 1..=LEGACY_LATEST {
        let path = legacy_db(dir.path(), n);
        // The findings store opens first: it converts the file and records the versions
        // the legacy one implies, migrating only its own stores.
        let store = Store::open(&path).unwrap();
        // Every store of the main database, at its latest version (stores added later
        // are created).
        let expect: Vec<(&str, u32)> = schema::STORE.iter().map(|s| (s.name, s.latest())).collect();
        assert_eq!(store.schema_versions(), expect, "legacy {n}");
        let versions = store_versions(&path);
        let vulndb = [(2, 1), (4, 2)].iter().filter(|(t, _)| n >= *t).map(|(_, v)| *v).last();
        assert_eq!(versions.get("vulndb").copied(), vulndb, "legacy {n}: the vulnerability database's version is kept as it was");
        assert_eq!(user_version(&path), FILE_FORMAT);

        assert_eq!(store.runs().unwrap().len(), 1, "legacy {n}");
        let f = store.findings(&FindingFilter::default()).unwrap();
        assert_eq!((f.len(), f[0].id.as_str(), f[0].vulnerability.is_none()), (1, "f1", true), "legacy {n}");
        let history = store.workflow_history("f1").unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].changed_by.as_deref(), (n >= 5).then_some("alice"), "legacy {n}");
        assert_eq!(store.targets().unwrap().len(), usize::from(n >= 3), "legacy {n}");
        drop(store);

        let vulns = VulnStore::open(&path).unwrap();
        assert_eq!(vulns.schema_version(), VULNDB_SCHEMA.latest());
        assert_eq!(vulns.meta().unwrap().advisories, usize::from(n >= 2), "legacy {n}");
        // The aliases of advisories held before the store's version 2 are indexed.
        assert_eq!(vulns.load_related(["CVE-2022-0778"]).unwrap().len(), usize::from(n >= 2), "legacy {n}");
        drop(vulns);

        let every: BTreeMap<String, u32> = schema::ALL.iter().map(|s| (s.name.to_string(), s.latest())).collect();
        assert_eq!(store_versions(&path), every);
        assert_eq!(definitions(&path), definitions(&fresh), "legacy {n} upgraded has the tables of a new database");
    }
}

#[test]
fn a_store_newer_than_this_build_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rampart.db");
    drop(Store::open(&path).unwrap());
    drop(VulnStore::open(&path).unwrap());
    let newer = ASSESSMENTS.latest() + 1;
    Connection::open(&path).unwrap().execute("UPDATE rampart_schema SET version = ?1 WHERE name = 'assessments'", [newer]).unwrap();
    let before = files(&path);

    for e in [Store::open(&path).err(), Store::open_existing(&path).err(), Store::open_read_only(&path).err()] {
        let e = e.expect("a newer assessments store");
        assert!(matches!(e, StoreError::TooNew { store: Some("assessments"), found, .. } if found == newer), "{e:?}");
        assert_eq!(
            e.to_string(),
            format!(
                "database `{}` was written by a newer rampart (its assessments store has schema {newer}, this build knows {}): upgrade rampart or use another database file",
                path.display(),
                ASSESSMENTS.latest()
            )
        );
    }
    assert_eq!(files(&path), before, "refusing wrote nothing");
    // The vulnerability database in the same file uses no assessments: it opens.
    VulnStore::open(&path).unwrap();
    // A store this build does not know at all (a newer rampart's) is left alone.
    Connection::open(&path).unwrap().execute_batch("INSERT INTO rampart_schema VALUES ('a_store_from_the_future', 7)").unwrap();
    VulnStore::open(&path).unwrap();
    assert_eq!(store_versions(&path)["a_store_from_the_future"], 7);
}

/// What a database holds: its file's length and a hash of its bytes, and how many bytes
/// its write-ahead log holds (0 if absent). A reader may leave an empty log and the shared
/// memory index beside a WAL database (SQLite creates them to read it); neither holds data.
fn files(path: &Path) -> (usize, u64, u64) {
    use std::hash::{Hash, Hasher};
    let bytes = std::fs::read(path).unwrap();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let wal = std::fs::metadata(PathBuf::from(wal)).map_or(0, |m| m.len());
    (bytes.len(), h.finish(), wal)
}

#[test]
fn reading_never_writes() {
    let dir = tempfile::tempdir().unwrap();
    // A current database, checkpointed and closed.
    let path = dir.path().join("rampart.db");
    drop(Store::open(&path).unwrap());
    drop(VulnStore::open(&path).unwrap());
    let before = files(&path);
    drop(Store::open_read_only(&path).unwrap().runs().unwrap());
    drop(VulnStore::open_read_only(&path).unwrap().meta().unwrap());
    assert_eq!(files(&path), before);

    // A legacy file whose stores are current is read as it is, not converted: its
    // vulnerability database is (legacy 5 = vulndb 2), its findings store is not.
    let legacy = legacy_db(dir.path(), LEGACY_LATEST);
    let before = files(&legacy);
    let vulns = VulnStore::open_read_only(&legacy).unwrap();
    assert_eq!(vulns.meta().unwrap().advisories, 1);
    drop(vulns);
    assert_eq!(files(&legacy), before);
    assert_eq!(user_version(&legacy), LEGACY_LATEST);
    // An older store is migrated first when the file may be written (else OldReadOnly).
    let store = Store::open_read_only(&legacy).unwrap();
    assert_eq!(store.findings(&FindingFilter::default()).unwrap().len(), 1);
    assert_eq!(user_version(&legacy), FILE_FORMAT);

    // A file holding only the vulnerability database holds no findings: reading it as a
    // findings store creates none.
    let vulndb = dir.path().join("vulndb.db");
    drop(VulnStore::open(&vulndb).unwrap());
    let before = files(&vulndb);
    let e = Store::open_read_only(&vulndb).err().expect("no findings store there");
    assert!(matches!(e, StoreError::Empty { .. }), "{e:?}");
    assert_eq!(files(&vulndb), before);
    assert!(!definitions(&vulndb).iter().any(|(name, _)| name == "findings"), "the vulnerability database holds only its tables");
}

#[test]
fn a_store_added_later_is_created_in_an_existing_file() {
    // What happens when a release adds a store (say `auth`) to the main database: a file
    // written before holds the others; opening it creates the new store's tables at its
    // latest version and leaves the others' data alone. Simulated by removing one.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rampart.db");
    let mut store = Store::open(&path).unwrap();
    store.create_target("web", &Default::default(), rampart_model::Timestamp::now_utc()).unwrap();
    drop(store);
    Connection::open(&path)
        .unwrap()
        .execute_batch(
            "DROP TABLE assessment_runs; DROP TABLE assessment_templates; DROP TABLE assessment_targets;
             DELETE FROM rampart_schema WHERE name = 'assessments';",
        )
        .unwrap();
    let store = Store::open(&path).unwrap();
    assert!(store.targets().unwrap().is_empty());
    assert_eq!(store_versions(&path)["assessments"], ASSESSMENTS.latest());
}

#[test]
fn every_known_store_is_opened_by_some_opener() {
    for s in schema::ALL {
        let used = schema::STORE.iter().chain(schema::VULNDB).any(|o| o.name == s.name);
        assert!(used, "store {} is listed in ALL but no opener uses it", s.name);
        assert!(!s.migrations.is_empty(), "store {} has no migration", s.name);
    }
    let mut names: Vec<&str> = schema::ALL.iter().map(|s| s.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), schema::ALL.len(), "store names are unique");
}

/// Retention's statement finds each result's finding's latest result through
/// `(finding_id, observed_at)` (findings migration 13): one seek per row, the index alone.
#[test]
fn pruning_results_seeks_each_findings_latest_result_in_an_index() {
    let store = Store::open_in_memory().unwrap();
    let mut stmt = store.lite().unwrap().prepare(&format!("EXPLAIN QUERY PLAN {}", crate::schedules::PRUNE_RESULTS)).unwrap();
    let plan: Vec<String> = stmt.query_map(["2026-01-01T00:00:00Z"], |r| r.get::<_, String>(3)).unwrap().map(Result::unwrap).collect();
    let plan = plan.join("\n");
    assert!(
        plan.contains("SEARCH r USING COVERING INDEX run_results_finding_observed (finding_id=?)"),
        "the latest result is not sought in the index:\n{plan}"
    );
}

#[test]
fn a_store_on_postgres_has_as_many_migrations_there_as_on_sqlite() {
    for store in schema::ALL {
        assert!(
            store.postgres.is_empty() || store.postgres.len() == store.migrations.len(),
            "store {} has {} SQLite and {} PostgreSQL migrations: a version must mean the same tables on both",
            store.name,
            store.migrations.len(),
            store.postgres.len()
        );
    }
}
