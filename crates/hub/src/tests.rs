//! Store tests against real SQLite files in temporary directories.

use crate::schema::{APPLICATION_ID, FILE_FORMAT, FINDINGS};
use crate::{FindingFilter, Store, StoreError};
use rampart_model::{
    finding_id, Finding, Gap, GapKind, RecordState, Resource, ResourceType, RunInfo, Severity,
    Status, Timestamp, WorkflowStatus,
};
use std::path::PathBuf;
use time::macros::datetime;
use RecordState::*;
use Status::*;
use WorkflowStatus::*;

const A: &str = "111111111111";
const B: &str = "222222222222";
const USE1: &str = "us-east-1";
const EUW1: &str = "eu-west-1";

fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rampart.db");
    (dir, path)
}

/// Hour `n` of the test's timeline.
fn at(n: i64) -> Timestamp {
    datetime!(2026-03-01 08:00:00 UTC) + time::Duration::hours(n)
}

fn run(id: &str, hour: i64, accounts: &[&str], regions: &[&str]) -> RunInfo {
    RunInfo {
        id: id.to_string(),
        started_at: at(hour),
        finished_at: at(hour) + time::Duration::minutes(3),
        source: "aws".to_string(),
        accounts: accounts.iter().map(|s| s.to_string()).collect(),
        regions: regions.iter().map(|s| s.to_string()).collect(),
        tool_version: "0.1.0".to_string(),
        checks: Vec::new(),
        incomplete: Vec::new(),
    }
}

pub(crate) fn finding(
    check: &str,
    resource: &str,
    account: &str,
    region: &str,
    status: Status,
    hour: i64,
) -> Finding {
    let resource_id = format!("arn:aws:s3:::{resource}");
    Finding {
        id: finding_id(check, &resource_id, ""),
        check_id: check.to_string().into(),
        title: format!("{check} title").into(),
        description: "what the check looks at".into(),
        severity: Severity::High,
        status,
        reason: format!("{resource} is {status}"),
        detail: String::new(),
        service: "s3".into(),
        resource: Resource {
            id: resource_id,
            kind: ResourceType::AwsS3Bucket,
            account: account.to_string(),
            region: region.to_string(),
            partition: "aws".to_string(),
            name: resource.to_string(),
        },
        remediation_console: "open the console".into(),
        remediation_cli: "aws s3api ...".into(),
        remediation_url: "https://docs.aws.amazon.com/".into(),
        related_requirements: vec!["AWS Foundational Security Best Practices/S3.2".to_string()].into(),
        first_observed: at(hour),
        last_observed: at(hour),
        workflow_status: New,
        record_state: Active,
        vulnerability: None,
    }
}

/// Records `findings` as run `id` at `hour` covering account A in us-east-1.
fn record(store: &mut Store, id: &str, hour: i64, mut findings: Vec<Finding>) -> Vec<Finding> {
    store
        .record_run(&run(id, hour, &[A], &[USE1]), &mut findings, &[])
        .unwrap();
    findings
}

fn current(store: &Store, id: &str) -> Finding {
    let all = store.findings(&FindingFilter::default()).unwrap();
    all.into_iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("no finding {id}"))
}

fn workflow_after(statuses: &[Status]) -> (WorkflowStatus, Vec<Finding>) {
    let mut store = Store::open_in_memory().unwrap();
    let mut last = Vec::new();
    for (i, s) in statuses.iter().enumerate() {
        last = record(
            &mut store,
            &format!("r{i}"),
            i as i64,
            vec![finding("c", "b", A, USE1, *s, i as i64)],
        );
    }
    (last[0].workflow_status, last)
}

// ---- schema and opening ----

#[test]
fn a_schema_1_database_migrates_keeping_its_data() {
    let (_dir, path) = temp_db();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(crate::schema::legacy::LEGACY_MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        conn.execute(
            "INSERT INTO runs (id, started_at, finished_at, source, accounts, regions, tool_version)
             VALUES ('r1', '2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z', 'test', '[]', '[]', '0')",
            [],
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version(), FINDINGS.latest());
    assert_eq!(store.runs().unwrap().len(), 1);
    drop(store);
    let vulns = crate::VulnStore::open(&path).unwrap();
    assert_eq!(vulns.meta().unwrap().advisories, 0);
}

#[test]
fn migrating_an_empty_db_gives_the_latest_version() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version(), FINDINGS.latest());
    drop(store);

    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: u32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    let app: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        (version, app, mode.as_str()),
        (FILE_FORMAT, APPLICATION_ID, "wal")
    );
    let mut tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables.sort();
    // The tables of the findings and assessments stores (other stores of the main
    // database add theirs), and none of the vulnerability database.
    assert!(!tables.iter().any(|t| t.starts_with("vuln")), "{tables:?}");
    for t in [
        "assessment_runs",
        "assessment_targets",
        "assessment_templates",
        "findings",
        "gaps",
        "rampart_schema",
        "resource_tags",
        "run_results",
        "runs",
        "workflow_history",
    ] {
        assert!(tables.iter().any(|x| x == t), "{t} missing from {tables:?}");
    }
}

#[test]
fn an_empty_file_is_a_fresh_database() {
    let (_dir, path) = temp_db();
    std::fs::write(&path, b"").unwrap();
    assert_eq!(Store::open(&path).unwrap().schema_version(), FINDINGS.latest());
}

#[test]
fn opening_twice_is_idempotent() {
    let (_dir, path) = temp_db();
    let mut first = Store::open(&path).unwrap();
    record(
        &mut first,
        "r1",
        0,
        vec![finding("c", "b", A, USE1, Failed, 0)],
    );
    // A second handle while the first is open, then reopen after closing both.
    let second = Store::open(&path).unwrap();
    assert_eq!(second.schema_version(), FINDINGS.latest());
    assert_eq!(second.runs().unwrap().len(), 1);
    drop((first, second));
    let third = Store::open(&path).unwrap();
    assert_eq!(third.schema_version(), FINDINGS.latest());
    assert_eq!(third.findings(&FindingFilter::default()).unwrap().len(), 1);
}

#[test]
fn open_creates_the_parent_directory() {
    let (dir, _) = temp_db();
    let path = dir.path().join("a").join("b").join("rampart.db");
    Store::open(&path).unwrap();
    assert!(path.exists());
}

#[test]
fn a_file_that_is_not_sqlite_gives_a_clear_error() {
    let (_dir, path) = temp_db();
    std::fs::write(
        &path,
        "this is a text file, long enough to be mistaken for something else\n".repeat(100),
    )
    .unwrap();
    let e = Store::open(&path)
        .err()
        .expect("a text file is not a database");
    assert!(matches!(e, StoreError::NotRampart { .. }), "{e:?}");
    let msg = e.to_string();
    assert_eq!(
        msg,
        format!(
            "`{}` is not a rampart database (file is not a database): use another database file",
            path.display()
        )
    );
    // The file was not touched.
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .starts_with("this is a text file"));
}

#[test]
fn another_applications_sqlite_file_is_refused() {
    let (_dir, path) = temp_db();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE contacts (name TEXT)")
        .unwrap();
    drop(conn);
    let e = Store::open(&path).err().expect("foreign tables");
    assert!(
        e.to_string()
            .contains("is not a rampart database (it holds tables of another application)"),
        "{e}"
    );

    let (_dir2, path) = temp_db();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "application_id", 42).unwrap();
    drop(conn);
    let e = Store::open(&path).err().expect("foreign application id");
    assert!(
        e.to_string().contains("it belongs to another application"),
        "{e}"
    );
}

#[test]
fn a_database_of_a_newer_file_format_is_refused() {
    let (_dir, path) = temp_db();
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", FILE_FORMAT + 1).unwrap();
    drop(conn);
    let e = Store::open(&path).err().expect("newer file format");
    assert!(matches!(e, StoreError::TooNew { store: None, found, known, .. } if found == FILE_FORMAT + 1 && known == FILE_FORMAT));
    assert_eq!(
        e.to_string(),
        format!(
            "database `{}` was written by a newer rampart (file format {}, this build knows {FILE_FORMAT}): upgrade rampart or use another database file",
            path.display(),
            FILE_FORMAT + 1
        )
    );
}

#[test]
fn a_directory_cannot_be_opened() {
    let (dir, _) = temp_db();
    let e = Store::open(dir.path())
        .err()
        .expect("a directory is not a database");
    assert!(
        e.to_string().contains("check the path and permissions"),
        "{e}"
    );
}

#[test]
fn default_path_honours_rampart_db() {
    // The only test that touches the environment.
    std::env::set_var("RAMPART_DB", "/tmp/elsewhere/x.db");
    assert_eq!(Store::default_path(), PathBuf::from("/tmp/elsewhere/x.db"));
    std::env::remove_var("RAMPART_DB");
    let p = Store::default_path();
    assert!(
        p.ends_with("rampart/rampart.db") || p == std::path::Path::new("rampart.db"),
        "{p:?}"
    );
}

// ---- round trips ----

#[test]
fn every_field_round_trips_and_survives_reopen() {
    let (_dir, path) = temp_db();
    let mut f = finding("s3_bucket_public_read", "data", A, USE1, Warning, 0);
    f.detail = "tcp/22".to_string();
    f.severity = Severity::Critical;
    f.resource.kind = ResourceType::AwsIamServerCertificate; // asff() says "Other"
    f.resource.partition = "aws-cn".to_string();
    f.related_requirements = vec![
        "Trusted Advisor: x".to_string(),
        "CIS AWS Foundations Benchmark v3.0.0/2.1.4".to_string(),
    ]
    .into();
    f.reason = "quotes ' \" and unicode ✓".to_string();
    f.first_observed = at(0) + time::Duration::milliseconds(750);
    f.last_observed = f.first_observed;
    let mut r = run("2026-03-01T08:00:00Z-1", 0, &[A, B], &[USE1, EUW1]);
    r.source = "snapshot:/tmp/s.json".to_string();
    let gaps = vec![
        Gap {
            action: "s3:GetBucketPolicy".to_string(),
            kind: GapKind::AccessDenied,
            account: A.to_string(),
            region: USE1.to_string(),
            resource: Some("arn:aws:s3:::data".to_string()),
            message: "AccessDenied: not allowed".to_string(),
        },
        Gap {
            action: "ec2:DescribeInstances".to_string(),
            kind: GapKind::RegionDisabled,
            account: B.to_string(),
            region: EUW1.to_string(),
            resource: None,
            message: "opt-in region".to_string(),
        },
    ];

    let mut findings = vec![f.clone()];
    let mut store = Store::open(&path).unwrap();
    store.record_run(&r, &mut findings, &gaps).unwrap();
    // Updated in place: sub-second precision dropped, workflow decided by the store.
    let stored = findings[0].clone();
    assert_eq!(stored.first_observed, at(0));
    assert_eq!(stored.workflow_status, New);
    assert_eq!(
        Finding {
            first_observed: f.first_observed,
            last_observed: f.last_observed,
            ..stored.clone()
        },
        f
    );
    drop(store);

    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.findings(&FindingFilter::default()).unwrap(),
        vec![stored.clone()]
    );
    assert_eq!(store.run_results(&r.id).unwrap(), vec![stored]);
    assert_eq!(store.runs().unwrap(), vec![r.clone()]);
    assert_eq!(store.gaps(&r.id).unwrap(), gaps);
}

#[test]
fn runs_are_listed_newest_first() {
    let mut store = Store::open_in_memory().unwrap();
    for (id, hour) in [("b", 5), ("a", 1), ("c", 9)] {
        store
            .record_run(&run(id, hour, &[A], &[USE1]), &mut [], &[])
            .unwrap();
    }
    let ids: Vec<String> = store.runs().unwrap().into_iter().map(|r| r.id).collect();
    assert_eq!(ids, ["c", "b", "a"]);
}

#[test]
fn run_results_keep_what_each_run_said() {
    let mut store = Store::open_in_memory().unwrap();
    let mut f = finding("c", "b", A, USE1, Failed, 0);
    record(&mut store, "r1", 0, vec![f.clone()]);
    f.status = Passed;
    f.severity = Severity::Low;
    f.reason = "fixed".to_string();
    f.last_observed = at(1);
    record(&mut store, "r2", 1, vec![f.clone()]);

    let r1 = store.run_results("r1").unwrap();
    assert_eq!(
        (r1[0].status, r1[0].severity, r1[0].workflow_status),
        (Failed, Severity::High, New)
    );
    assert_eq!(r1[0].last_observed, at(0));
    let r2 = store.run_results("r2").unwrap();
    assert_eq!(
        (r2[0].status, r2[0].severity, r2[0].workflow_status),
        (Passed, Severity::Low, Resolved)
    );
    assert_eq!(
        (r2[0].reason.as_str(), r2[0].last_observed),
        ("fixed", at(1))
    );
    assert_eq!(r1[0].first_observed, r2[0].first_observed);
}

#[test]
fn unknown_runs_and_findings_are_errors() {
    let mut store = Store::open_in_memory().unwrap();
    assert!(matches!(store.run_results("nope"), Err(StoreError::UnknownRun(id)) if id == "nope"));
    assert!(matches!(store.gaps("nope"), Err(StoreError::UnknownRun(_))));
    let e = store
        .set_workflow("rampart/x/123", Suppressed, "why")
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "no finding `rampart/x/123` in the database: list the findings and their ids with `rampart findings`"
    );
    assert!(matches!(
        store.workflow_history("rampart/x/123"),
        Err(StoreError::UnknownFinding(_))
    ));
}

#[test]
fn a_run_id_is_recorded_once_and_a_failed_run_changes_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    record(
        &mut store,
        "r1",
        0,
        vec![finding("c", "b", A, USE1, Failed, 0)],
    );
    let mut again = vec![
        finding("c", "b", A, USE1, Passed, 1),
        finding("c", "new", A, USE1, Failed, 1),
    ];
    let before = again.clone();
    let e = store
        .record_run(&run("r1", 1, &[A], &[USE1]), &mut again, &[])
        .unwrap_err();
    assert!(
        matches!(e, StoreError::DuplicateRun(ref id) if id == "r1"),
        "{e:?}"
    );
    assert_eq!(again, before, "findings untouched on error");
    let all = store.findings(&FindingFilter::default()).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].status, Failed);
}

// ---- lifecycle ----

#[test]
fn first_observed_is_stable_across_runs() {
    let mut store = Store::open_in_memory().unwrap();
    let f = finding("c", "b", A, USE1, Failed, 0);
    record(&mut store, "r1", 0, vec![f.clone()]);
    let mut later = f.clone();
    later.first_observed = at(5); // what `Finding::from_result` gives: "first seen now"
    later.last_observed = at(5);
    let out = record(&mut store, "r2", 5, vec![later]);
    assert_eq!(
        (out[0].first_observed, out[0].last_observed),
        (at(0), at(5))
    );
    let stored = current(&store, &f.id);
    assert_eq!(
        (stored.first_observed, stored.last_observed),
        (at(0), at(5))
    );
}

#[test]
fn passed_on_first_sight_is_resolved_and_others_are_new() {
    assert_eq!(workflow_after(&[Passed]).0, Resolved);
    assert_eq!(workflow_after(&[Failed]).0, New);
    assert_eq!(workflow_after(&[Warning]).0, New);
    assert_eq!(workflow_after(&[NotAvailable]).0, New);
}

#[test]
fn passing_resolves_and_failing_again_reopens() {
    assert_eq!(workflow_after(&[Failed, Passed]).0, Resolved);
    assert_eq!(workflow_after(&[Warning, Passed]).0, Resolved);
    assert_eq!(workflow_after(&[Failed, Passed, Failed]).0, New);
    assert_eq!(workflow_after(&[Passed, Warning]).0, New);
    assert_eq!(workflow_after(&[Failed, Failed]).0, New);
    // NOT_AVAILABLE keeps the workflow, and is transparent to the rules.
    assert_eq!(workflow_after(&[Passed, NotAvailable]).0, Resolved);
    assert_eq!(workflow_after(&[Failed, NotAvailable]).0, New);
    assert_eq!(workflow_after(&[Passed, NotAvailable, Failed]).0, New);
    assert_eq!(workflow_after(&[Failed, NotAvailable, Passed]).0, Resolved);
}

#[test]
fn people_set_the_workflow_and_the_rules_respect_it() {
    let mut store = Store::open_in_memory().unwrap();
    let f = finding("c", "b", A, USE1, Failed, 0);
    let other = finding("c", "other", A, USE1, Failed, 0);
    record(&mut store, "r1", 0, vec![f.clone(), other.clone()]);

    // NOTIFIED then PASSED: resolved.
    store
        .set_workflow(&f.id, Notified, "told the bucket owner")
        .unwrap();
    assert_eq!(current(&store, &f.id).workflow_status, Notified);
    let mut passed = f.clone();
    passed.status = Passed;
    record(&mut store, "r2", 1, vec![passed, other.clone()]);
    assert_eq!(current(&store, &f.id).workflow_status, Resolved);

    // SUPPRESSED stays SUPPRESSED whatever the status does.
    store
        .set_workflow(&other.id, Suppressed, "accepted risk")
        .unwrap();
    for (i, s) in [Passed, Failed, NotAvailable, Warning]
        .into_iter()
        .enumerate()
    {
        let mut o = other.clone();
        o.status = s;
        let out = record(&mut store, &format!("s{i}"), 2 + i as i64, vec![o]);
        assert_eq!(out[0].workflow_status, Suppressed, "after {s}");
    }

    // A person's RESOLVED on a still-failing finding holds until the status changes.
    let mut g = finding("c", "g", A, USE1, Failed, 10);
    record(&mut store, "g1", 10, vec![g.clone()]);
    store
        .set_workflow(&g.id, Resolved, "fixed, rescan pending")
        .unwrap();
    assert_eq!(
        record(&mut store, "g2", 11, vec![g.clone()])[0].workflow_status,
        Resolved
    );
    g.status = Passed;
    assert_eq!(
        record(&mut store, "g3", 12, vec![g.clone()])[0].workflow_status,
        Resolved
    );
    g.status = Failed;
    assert_eq!(
        record(&mut store, "g4", 13, vec![g.clone()])[0].workflow_status,
        New
    );
}

#[test]
fn workflow_changes_are_recorded_with_time_and_note() {
    let mut store = Store::open_in_memory().unwrap();
    let mut f = finding("c", "b", A, USE1, Failed, 0);
    record(&mut store, "r1", 0, vec![f.clone()]);
    store
        .set_workflow(&f.id, Notified, "ticket SEC-12")
        .unwrap();
    f.status = Passed;
    record(&mut store, "r2", 1, vec![f.clone()]);

    let h = store.workflow_history(&f.id).unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(
        (
            h[0].from,
            h[0].to,
            h[0].note.as_str(),
            h[0].run_id.as_deref()
        ),
        (New, Notified, "ticket SEC-12", None)
    );
    assert!((Timestamp::now_utc() - h[0].changed_at).abs() < time::Duration::minutes(1));
    assert_eq!(
        (h[1].from, h[1].to, h[1].run_id.as_deref()),
        (Notified, Resolved, Some("r2"))
    );
    assert_eq!(h[1].note, "automatic: compliance FAILED -> PASSED");
    assert_eq!(h[1].changed_at, at(1) + time::Duration::minutes(3));
}

// ---- archiving ----

#[test]
fn a_vanished_resource_is_archived_and_comes_back_active() {
    let mut store = Store::open_in_memory().unwrap();
    let kept = finding("c", "kept", A, USE1, Failed, 0);
    let gone = finding("c", "gone", A, USE1, Failed, 0);
    record(&mut store, "r1", 0, vec![kept.clone(), gone.clone()]);
    record(&mut store, "r2", 1, vec![kept.clone()]);
    assert_eq!(current(&store, &gone.id).record_state, Archived);
    assert_eq!(current(&store, &kept.id).record_state, Active);
    let active = store
        .findings(&FindingFilter {
            record_state: Some(Active),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(active.len(), 1);

    // It was resolved by a person meanwhile; it comes back failing: NEW and ACTIVE.
    store
        .set_workflow(&gone.id, Resolved, "deleted the bucket")
        .unwrap();
    let back = record(&mut store, "r3", 2, vec![kept, gone.clone()]);
    assert_eq!(
        (back[1].record_state, back[1].workflow_status),
        (Active, New)
    );
    assert_eq!(current(&store, &gone.id).record_state, Active);
    assert_eq!(current(&store, &gone.id).first_observed, at(0));
}

#[test]
fn the_last_resource_of_a_check_vanishing_is_archived_when_the_run_names_the_check() {
    let mut store = Store::open_in_memory().unwrap();
    let gone = finding("c", "last-bucket", A, USE1, Failed, 0);
    record(&mut store, "r1", 0, vec![gone.clone()]);
    // The check ran but had nothing to evaluate: it produced no finding at all.
    let mut r2 = run("r2", 1, &[A], &[USE1]);
    r2.checks = vec!["c".to_string()];
    store.record_run(&r2, &mut [], &[]).unwrap();
    assert_eq!(current(&store, &gone.id).record_state, Archived);
    assert_eq!(store.runs().unwrap()[0].checks, vec!["c".to_string()]);
}

#[test]
fn archiving_stays_within_the_accounts_of_the_run() {
    let mut store = Store::open_in_memory().unwrap();
    let fa = finding("c", "a", A, USE1, Failed, 0);
    let fb = finding("c", "b", B, USE1, Failed, 0);
    store
        .record_run(
            &run("r1", 0, &[A, B], &[USE1]),
            &mut [fa.clone(), fb.clone()],
            &[],
        )
        .unwrap();
    // A run of account A only, where the resource of A is gone too.
    store
        .record_run(
            &run("r2", 1, &[A], &[USE1]),
            &mut [finding("c", "a2", A, USE1, Passed, 1)],
            &[],
        )
        .unwrap();
    assert_eq!(current(&store, &fa.id).record_state, Archived);
    assert_eq!(
        current(&store, &fb.id).record_state,
        Active,
        "account B was not scanned"
    );
}

#[test]
fn archiving_stays_within_the_regions_of_the_run() {
    let mut store = Store::open_in_memory().unwrap();
    let us = finding("c", "us", A, USE1, Failed, 0);
    let eu = finding("c", "eu", A, EUW1, Failed, 0);
    let global = finding("c", "global", A, "global", Failed, 0);
    store
        .record_run(
            &run("r1", 0, &[A], &[USE1, EUW1]),
            &mut [us.clone(), eu.clone(), global.clone()],
            &[],
        )
        .unwrap();
    store
        .record_run(
            &run("r2", 1, &[A], &[USE1]),
            &mut [finding("c", "x", A, USE1, Failed, 1)],
            &[],
        )
        .unwrap();
    assert_eq!(current(&store, &us.id).record_state, Archived);
    assert_eq!(
        current(&store, &global.id).record_state,
        Archived,
        "global is in every run's scope"
    );
    assert_eq!(
        current(&store, &eu.id).record_state,
        Active,
        "eu-west-1 was not scanned"
    );
}

#[test]
fn archiving_stays_within_the_checks_the_run_evaluated() {
    let mut store = Store::open_in_memory().unwrap();
    let c1 = finding("c1", "b", A, USE1, Failed, 0);
    let c2 = finding("c2", "b", A, USE1, Failed, 0);
    record(&mut store, "r1", 0, vec![c1.clone(), c2.clone()]);
    // A run of check c2 only (e.g. `--check c2`): c1's finding is not archived.
    record(
        &mut store,
        "r2",
        1,
        vec![finding("c2", "other", A, USE1, Failed, 1)],
    );
    assert_eq!(current(&store, &c1.id).record_state, Active);
    assert_eq!(current(&store, &c2.id).record_state, Archived);
}

#[test]
fn a_listing_gap_prevents_archiving_in_its_account() {
    let mut store = Store::open_in_memory().unwrap();
    let us = finding("c", "us", A, USE1, Failed, 0);
    let eu = finding("c", "eu", A, EUW1, Failed, 0);
    let regions = [USE1, EUW1];
    store
        .record_run(
            &run("r1", 0, &[A], &regions),
            &mut [us.clone(), eu.clone()],
            &[],
        )
        .unwrap();
    let gap = Gap {
        action: "s3:ListBuckets".to_string(),
        kind: GapKind::Throttled,
        account: A.to_string(),
        region: EUW1.to_string(),
        resource: None,
        message: "slow down".to_string(),
    };
    store
        .record_run(
            &run("r2", 1, &[A], &regions),
            &mut [finding("c", "x", A, USE1, Failed, 1)],
            &[gap],
        )
        .unwrap();
    // A global listing (S3, IAM) fails in one region but covers resources of every
    // region: nothing of the account is archived.
    assert_eq!(current(&store, &us.id).record_state, Active);
    assert_eq!(current(&store, &eu.id).record_state, Active, "eu-west-1 could not be listed");
    // Another account of the same run is unaffected.
    let b1 = finding("c", "b1", B, USE1, Failed, 2);
    store.record_run(&run("r3", 2, &[B], &regions), &mut [b1.clone()], &[]).unwrap();
    store.record_run(&run("r4", 3, &[B], &regions), &mut [], &[]).unwrap();
    assert_eq!(current(&store, &b1.id).record_state, Active, "no check evaluated in r4");
}

// ---- queries ----

#[test]
fn findings_filter_and_order() {
    let mut store = Store::open_in_memory().unwrap();
    let mut low = finding("c1", "low", A, USE1, Passed, 0);
    low.severity = Severity::Low;
    let mut crit = finding("c2", "crit", B, USE1, Failed, 0);
    crit.severity = Severity::Critical;
    let med = Finding {
        severity: Severity::Medium,
        ..finding("c1", "med", A, USE1, Warning, 0)
    };
    store
        .record_run(
            &run("r1", 0, &[A, B], &[USE1]),
            &mut [low.clone(), crit.clone(), med.clone()],
            &[],
        )
        .unwrap();
    let ids = |filter: FindingFilter| -> Vec<String> {
        store
            .findings(&filter)
            .unwrap()
            .into_iter()
            .map(|f| f.resource.name)
            .collect()
    };
    assert_eq!(ids(FindingFilter::default()), ["crit", "med", "low"]);
    assert_eq!(
        ids(FindingFilter {
            status: Some(Failed),
            ..Default::default()
        }),
        ["crit"]
    );
    assert_eq!(
        ids(FindingFilter {
            min_severity: Some(Severity::Medium),
            ..Default::default()
        }),
        ["crit", "med"]
    );
    assert_eq!(
        ids(FindingFilter {
            check_id: Some("c1".into()),
            ..Default::default()
        }),
        ["med", "low"]
    );
    assert_eq!(
        ids(FindingFilter {
            account: Some(B.into()),
            ..Default::default()
        }),
        ["crit"]
    );
    assert_eq!(
        ids(FindingFilter {
            limit: Some(2),
            ..Default::default()
        }),
        ["crit", "med"]
    );
    assert_eq!(
        ids(FindingFilter {
            record_state: Some(Archived),
            ..Default::default()
        }),
        Vec::<String>::new()
    );
    assert_eq!(
        ids(FindingFilter {
            status: Some(Warning),
            min_severity: Some(Severity::Low),
            check_id: Some("c1".into()),
            account: Some(A.into()),
            record_state: Some(Active),
            product: None,
            limit: Some(10),
        }),
        ["med"]
    );
}

#[test]
fn a_damaged_value_is_reported_not_panicked_on() {
    let (_dir, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    record(
        &mut store,
        "r1",
        0,
        vec![finding("c", "b", A, USE1, Failed, 0)],
    );
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE findings SET resource_type = 'AwsToaster'", [])
        .unwrap();
    drop(conn);
    let store = Store::open(&path).unwrap();
    let e = store.findings(&FindingFilter::default()).unwrap_err();
    assert!(
        e.to_string()
            .contains("holds an invalid resource type `AwsToaster`"),
        "{e}"
    );
}

#[test]
fn a_configuration_suppression_lapses_and_reopens_but_a_persons_does_not() {
    let mut store = Store::open_in_memory().unwrap();
    let mut by_rule = finding("c", "rule", A, USE1, Failed, 0);
    by_rule.workflow_status = Suppressed;
    let by_person = finding("c", "person", A, USE1, Failed, 0);
    record(&mut store, "r1", 0, vec![by_rule.clone(), by_person.clone()]);
    store.set_workflow(&by_person.id, Suppressed, "accepted risk").unwrap();
    assert_eq!(current(&store, &by_rule.id).workflow_status, Suppressed);

    // Still suppressed by the rule on the next run.
    record(&mut store, "r2", 1, vec![by_rule.clone(), by_person.clone()]);
    assert_eq!(current(&store, &by_rule.id).workflow_status, Suppressed);

    // The rule expired: the finding comes in unsuppressed and reopens; the person's stays.
    let mut lapsed = by_rule.clone();
    lapsed.workflow_status = New;
    let out = record(&mut store, "r3", 2, vec![lapsed, by_person.clone()]);
    assert_eq!(out[0].workflow_status, New);
    assert_eq!(current(&store, &by_rule.id).workflow_status, New);
    assert_eq!(current(&store, &by_person.id).workflow_status, Suppressed);
    let h = store.workflow_history(&by_rule.id).unwrap();
    assert!(h.iter().any(|c| c.note.contains("no suppression rule applies")), "{h:?}");
}

/// What a run could not read is stored with it and read back; a run recorded before the
/// column existed (a legacy file) reads as complete.
#[test]
fn a_runs_incompleteness_is_stored() {
    let (_dir, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let mut partial = run("r-partial", 0, &[A], &[USE1]);
    partial.incomplete = vec!["packages of dpkg `/var/lib/dpkg/status`: permission denied".into(), "s3:GetBucketPolicy access denied (2 calls)".into()];
    store.record_run(&partial, &mut Vec::new(), &[]).unwrap();
    store.record_run(&run("r-complete", 1, &[A], &[USE1]), &mut Vec::new(), &[]).unwrap();
    let runs = store.runs().unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[1], partial);
    assert!(runs[0].is_complete() && !runs[1].is_complete());
}
