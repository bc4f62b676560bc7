//! How a database is opened: reading never creates one, read-only files can be browsed,
//! and every error prints its cause once.

use crate::schema::legacy::LEGACY_MIGRATIONS;
use crate::schema::{APPLICATION_ID, FINDINGS};
use crate::{FindingFilter, Store, StoreError, VulnStore};
use rampart_model::WorkflowStatus;
use std::error::Error as _;

#[test]
fn reading_a_missing_database_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nope").join("rampart.db");
    for e in [
        Store::open_read_only(&path).err(),
        Store::open_existing(&path).err(),
        VulnStore::open_read_only(&path).err(),
    ] {
        let e = e.expect("no database there");
        assert!(matches!(e, StoreError::Missing { .. }), "{e:?}");
        assert_eq!(e.to_string(), format!("database `{}` does not exist: nothing has been recorded there yet", path.display()));
    }
    assert!(!path.parent().unwrap().exists(), "the parent directory was created");
}

#[test]
fn an_empty_file_is_empty_not_a_database_to_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rampart.db");
    std::fs::write(&path, b"").unwrap();
    let e = Store::open_read_only(&path).err().expect("nothing recorded");
    assert!(matches!(e, StoreError::Empty { .. }), "{e:?}");
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0, "the file was not written");
}

#[test]
fn a_read_only_store_reads_and_refuses_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rampart.db");
    drop(Store::open(&path).unwrap());
    let mut store = Store::open_read_only(&path).unwrap();
    assert_eq!(store.schema_version(), FINDINGS.latest());
    assert!(store.runs().unwrap().is_empty());
    assert!(store.findings(&FindingFilter::default()).unwrap().is_empty());
    // The connection itself is read-only: a write is refused by SQLite, not by us.
    let e = store.create_target("t", &Default::default(), rampart_model::Timestamp::now_utc()).err().expect("read-only");
    assert!(matches!(e, StoreError::ReadOnly { .. }), "{e:?}");
    let e = store.set_workflow("x", WorkflowStatus::Resolved, "").err().expect("read-only");
    assert!(matches!(e, StoreError::ReadOnly { .. } | StoreError::UnknownFinding(_)), "{e:?}");
}

#[test]
fn reading_an_older_writable_schema_migrates_it_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rampart.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(LEGACY_MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID).unwrap();
    }
    let store = Store::open_read_only(&path).unwrap();
    assert_eq!(store.schema_version(), FINDINGS.latest());
    assert!(store.targets().unwrap().is_empty(), "migration 3's tables are there");
}

#[test]
fn file_uris_keep_odd_characters_of_the_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a?b#c%d é.db");
    drop(Store::open(&path).unwrap());
    Store::open_read_only(&path).unwrap();
    assert!(!dir.path().join("a").exists());
}

#[test]
fn errors_print_their_cause_once() {
    let dir = tempfile::tempdir().unwrap();
    // A directory is not a database file.
    let e = Store::open(dir.path()).err().expect("a directory");
    // A parent that is a file cannot be created.
    let file = dir.path().join("file");
    std::fs::write(&file, b"x").unwrap();
    let e2 = Store::open(&file.join("rampart.db")).err().expect("parent is a file");
    for e in [e, e2] {
        let cause = e.source().expect("the cause is the source").to_string();
        // What a caller prints: the message, then each cause.
        let mut line = e.to_string();
        let mut next = e.source();
        while let Some(c) = next {
            line.push_str(": ");
            line.push_str(&c.to_string());
            next = c.source();
        }
        assert_eq!(line.matches(&cause).count(), 1, "{line}");
    }
}

#[test]
fn messages_name_no_command_line_flag() {
    let p = std::path::PathBuf::from("/x.db");
    let all = [
        StoreError::Missing { path: p.clone() },
        StoreError::Empty { path: p.clone() },
        StoreError::NotRampart { path: p.clone(), why: "w" },
        StoreError::TooNew { path: p.clone(), store: Some("findings"), found: 9, known: 3 },
        StoreError::TooNew { path: p.clone(), store: None, found: 101, known: 100 },
        StoreError::ReadOnly { path: p.clone() },
        StoreError::OldReadOnly { path: p.clone(), store: "findings", found: 1, known: 3 },
        StoreError::Full { path: p.clone() },
        StoreError::Busy { path: p },
    ];
    for e in all {
        assert!(!e.to_string().contains("--"), "{e}");
    }
}

#[test]
fn targets_and_templates_are_replaced_and_deleted_but_history_is_kept() {
    use crate::TargetSelector;
    let now = rampart_model::Timestamp::now_utc();
    let mut store = Store::open_in_memory().unwrap();
    let web = TargetSelector { hosts: vec!["web-*".into()], ..Default::default() };
    store.create_target("t", &TargetSelector::default(), now).unwrap();
    assert!(matches!(store.create_target("t", &web, now), Err(StoreError::DuplicateTarget(_))));
    assert_eq!(store.replace_target("t", &web).unwrap().selector, web);
    assert!(matches!(store.replace_target("nope", &web), Err(StoreError::UnknownTarget(_))));

    let rules = vec!["cve".to_string()];
    store.create_template("nightly", "t", &rules, 60, now).unwrap();
    let e = store.delete_target("t").unwrap_err();
    assert_eq!(e.to_string(), "assessment target `t` is used by template(s) nightly: delete them first");
    let cis = vec!["cis".to_string(), "cis".to_string()];
    let t = store.replace_template("nightly", "t", &cis, 120).unwrap();
    assert_eq!((t.rule_packages, t.duration_seconds), (vec!["cis".to_string()], 120));
    assert!(matches!(store.replace_template("nightly", "nope", &cis, 1), Err(StoreError::UnknownTarget(_))));

    // A template that ran is kept: its runs name it.
    store.create_template("once", "t", &rules, 60, now).unwrap();
    store.start_run("once", now).unwrap();
    assert!(matches!(store.delete_template("once"), Err(StoreError::TemplateHasRuns { runs: 1, .. })));
    store.delete_template("nightly").unwrap();
    assert!(matches!(store.delete_template("nightly"), Err(StoreError::UnknownTemplate(_))));
    assert_eq!(store.templates().unwrap().len(), 1);
}

#[test]
fn browsing_counts_findings_and_shows_one_with_its_runs() {
    use rampart_model::{finding_id, Finding, RunInfo, Status};
    let t0 = time::macros::datetime!(2026-03-01 08:00:00 UTC);
    let mut store = Store::open_in_memory().unwrap();
    let mk = |n: usize, status: Status| crate::tests::finding("c", &format!("b{n}"), "111111111111", "us-east-1", status, 0);
    for (i, status) in [Status::Failed, Status::Passed].into_iter().enumerate() {
        let run = RunInfo {
            id: format!("r{i}"),
            started_at: t0 + time::Duration::hours(i as i64),
            finished_at: t0 + time::Duration::hours(i as i64) + time::Duration::seconds(28),
            source: "test".into(),
            accounts: vec!["111111111111".into()],
            regions: vec!["us-east-1".into()],
            tool_version: "0".into(),
            checks: vec!["c".into()],
            incomplete: Vec::new(),
        };
        let mut fs: Vec<Finding> = (0..3).map(|n| mk(n, if n == 0 { status } else { Status::Failed })).collect();
        store.record_run(&run, &mut fs, &[]).unwrap();
    }
    let all = FindingFilter { limit: Some(2), ..Default::default() };
    assert_eq!(store.findings(&all).unwrap().len(), 2);
    assert_eq!(store.count_findings(&all).unwrap(), 3);
    let failed = FindingFilter { status: Some(Status::Failed), ..Default::default() };
    assert_eq!(store.count_findings(&failed).unwrap(), 2);

    let id = finding_id("c", "arn:aws:s3:::b0", "");
    assert_eq!(store.finding(&id).unwrap().status, Status::Passed);
    let results = store.finding_results(&id).unwrap();
    assert_eq!(results.iter().map(|r| (r.run_id.as_str(), r.status)).collect::<Vec<_>>(), [("r0", Status::Failed), ("r1", Status::Passed)]);
    assert!(matches!(store.finding("nope"), Err(StoreError::UnknownFinding(_))));

    let runs = store.run_summaries().unwrap();
    assert_eq!(runs[0].run.id, "r1", "newest first");
    assert_eq!(runs[0].counts, [(Status::Failed, 2), (Status::Passed, 1)]);
    assert_eq!(runs[1].counts, [(Status::Failed, 3)]);
}

#[test]
fn a_person_s_workflow_change_records_who_made_it() {
    use rampart_model::{RunInfo, Status};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rampart.db");
    let mut store = Store::open(&path).unwrap();
    let t0 = time::macros::datetime!(2026-03-01 08:00:00 UTC);
    let run = RunInfo {
        id: "r".into(),
        started_at: t0,
        finished_at: t0,
        source: "test".into(),
        accounts: vec!["111111111111".into()],
        regions: vec!["us-east-1".into()],
        tool_version: "0".into(),
        checks: vec!["c".into()],
        incomplete: Vec::new(),
    };
    let mut fs = vec![crate::tests::finding("c", "b", "111111111111", "us-east-1", Status::Failed, 0)];
    store.record_run(&run, &mut fs, &[]).unwrap();
    let id = fs[0].id.clone();
    store.set_workflow(&id, WorkflowStatus::Notified, "no name given").unwrap();
    store.set_workflow_by(&id, WorkflowStatus::Suppressed, "accepted risk", Some("alice")).unwrap();
    let h = store.workflow_history(&id).unwrap();
    assert_eq!(h.iter().map(|c| c.changed_by.as_deref()).collect::<Vec<_>>(), [None, Some("alice")]);
    // A store of the time before `changed_by` keeps its history and gains the column
    // (NULL: not recorded then): `tests_schema.rs` upgrades legacy databases.
}
