//! The store's conformance suite (the findings store, the job queue, and each other store
//! in a module of `conformance/`): every test is written once and runs against
//! SQLite (a file in a temporary directory) and PostgreSQL (a database of its own in the
//! server `scripts/test` starts, created for the test and dropped after it), through
//! [`rampart_hub::Backend`].
//!
//! PostgreSQL's tests need `RAMPART_TEST_POSTGRES` (a `postgres://` URL of a superuser's
//! connection); without it they fail, naming how to get one.

use rampart_hub::jobs::{NewJob, MAX_ATTEMPTS};
use rampart_hub::{Backend, ChangeAuthor, FindingFilter, FindingFilters, FindingQuery, FindingUpdate, PgMode, Store, StoreError};
use rampart_model::{
    finding_id, Finding, Gap, GapKind, RecordState, Resource, ResourceType, RunInfo, Severity, Status, Timestamp, WorkflowStatus,
};
use std::collections::BTreeSet;
use std::io::BufRead;
use std::sync::atomic::{AtomicUsize, Ordering};
use time::macros::datetime;

const A: &str = "111111111111";
const B: &str = "222222222222";
const USE1: &str = "us-east-1";

// ---------------------------------------------------------------- fixtures

/// A fresh store of one backend; removed when dropped.
struct Db {
    /// A SQLite file's path or a PostgreSQL URL.
    spec: String,
    _dir: Option<tempfile::TempDir>,
    /// PostgreSQL: the server's URL (database `postgres`) and the test database's name.
    drop_pg: Option<(String, String)>,
}

impl Db {
    fn open(&self) -> Backend {
        Store::connect(&self.spec, PgMode::Create).unwrap_or_else(|e| panic!("open {}: {e}", self.spec))
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.drop_pg {
            if let Ok(mut c) = postgres::Client::connect(admin, postgres::NoTls) {
                let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
            }
        }
    }
}

fn sqlite() -> Db {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("rampart.db").display().to_string();
    Db { spec, _dir: Some(dir), drop_pg: None }
}

/// The server's URL, or a failure that says how to get one.
fn server_url() -> String {
    std::env::var("RAMPART_TEST_POSTGRES").unwrap_or_else(|_| {
        panic!(
            "RAMPART_TEST_POSTGRES is not set: run the tests with scripts/test, which installs PostgreSQL \
             (apt-get install postgresql) and starts a server on the socket directory /var/tmp/rampart-pg"
        )
    })
}

/// `url` with its database replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let base = url.split('?').next().unwrap_or(url);
    let (prefix, _) = base.rsplit_once('/').expect("a postgres:// URL with a database");
    format!("{prefix}/{name}")
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

fn postgres() -> Db {
    let admin = server_url();
    let name = format!("rampart_test_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::SeqCst));
    let mut c = postgres::Client::connect(&admin, postgres::NoTls)
        .unwrap_or_else(|e| panic!("cannot connect to the test PostgreSQL ({e}): start it with scripts/test"));
    c.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).unwrap();
    c.batch_execute(&format!("CREATE DATABASE \"{name}\"")).unwrap();
    Db { spec: with_database(&admin, &name), _dir: None, drop_pg: Some((admin, name)) }
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

fn finding(check: &str, resource: &str, account: &str, status: Status, hour: i64) -> Finding {
    let resource_id = format!("arn:aws:s3:::{resource}");
    Finding {
        id: finding_id(check, &resource_id, ""),
        check_id: check.to_string().into(),
        title: format!("{check} title").into(),
        description: "what the check looks at".into(),
        severity: if check.ends_with('1') { Severity::Critical } else { Severity::Medium },
        status,
        reason: format!("{resource} is {status}"),
        detail: String::new(),
        service: "s3".into(),
        resource: Resource {
            id: resource_id,
            kind: ResourceType::AwsS3Bucket,
            account: account.to_string(),
            region: USE1.to_string(),
            partition: "aws".to_string(),
            name: resource.to_string(),
        },
        remediation_console: "open the console".into(),
        remediation_cli: "aws s3api ...".into(),
        remediation_url: "https://docs.aws.amazon.com/".into(),
        related_requirements: vec![
            format!("AWS Foundational Security Best Practices/{check}"),
            "CIS AWS Foundations Benchmark v3.0.0/2.1.1".into(),
        ]
        .into(),
        first_observed: at(hour),
        last_observed: at(hour),
        workflow_status: WorkflowStatus::New,
        record_state: RecordState::Active,
        vulnerability: None,
    }
}

fn all(db: &Backend) -> Vec<Finding> {
    db.findings(&FindingFilter::default()).unwrap()
}

fn get(db: &Backend, id: &str) -> Finding {
    all(db).into_iter().find(|f| f.id == id).unwrap_or_else(|| panic!("no finding {id}"))
}

fn query(db: &Backend, json: &str) -> Vec<String> {
    let mut q = FindingQuery::from_json_str(json).unwrap();
    let mut ids = Vec::new();
    loop {
        let page = db.get_findings(&q, at(100)).unwrap();
        ids.extend(page.findings.iter().map(|r| r.finding.id.clone()));
        match page.next_token {
            Some(t) => q.next_token = Some(t),
            None => return ids,
        }
    }
}

fn count(db: &Backend, filters: &str) -> u64 {
    db.count_query(&FindingQuery::new(FindingFilters::from_json_str(filters).unwrap()), at(100)).unwrap()
}

// ---------------------------------------------------------------- the suite, written once

fn records_and_reads_back_a_run(db: &Db) {
    let mut s = db.open();
    let gaps = vec![Gap {
        action: "s3:GetBucketPolicy".into(),
        kind: GapKind::AccessDenied,
        account: A.into(),
        region: USE1.into(),
        resource: Some("arn:aws:s3:::b".into()),
        message: "AccessDenied".into(),
    }];
    let mut fs = vec![finding("S3.1", "a", A, Status::Failed, 0), finding("S3.2", "b", A, Status::Passed, 0)];
    s.record_run(&run("r1", 0, &[A], &[USE1]), &mut fs, &gaps).unwrap();
    // The findings come back as the store now holds them.
    assert_eq!(fs[0].workflow_status, WorkflowStatus::New);
    assert_eq!(fs[1].workflow_status, WorkflowStatus::Resolved);
    let mut fs2 = vec![finding("S3.1", "a", A, Status::Failed, 5)];
    s.record_run(&run("r2", 5, &[A], &[USE1]), &mut fs2, &[]).unwrap();

    let runs = s.runs().unwrap();
    assert_eq!(runs.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["r2", "r1"], "newest first");
    assert_eq!(runs[1], run("r1", 0, &[A], &[USE1]));
    assert_eq!(s.gaps("r1").unwrap(), gaps);
    assert!(s.gaps("r2").unwrap().is_empty());
    let r1 = s.run_results("r1").unwrap();
    assert_eq!(r1.len(), 2);
    assert_eq!(r1[0].check_id.as_ref(), "S3.1", "most severe first");
    assert_eq!(r1[0].last_observed, at(0), "as that run saw it");
    assert!(matches!(s.run_results("nope"), Err(StoreError::UnknownRun(_))));
    assert!(matches!(s.gaps("nope"), Err(StoreError::UnknownRun(_))));

    let a = get(&s, &fs[0].id);
    assert_eq!(a.first_observed, at(0), "first seen is kept");
    assert_eq!(a.last_observed, at(5));
    assert_eq!(a, fs2[0]);
    // r2 covered account A and evaluated S3.1 only: S3.2's finding is not archived.
    assert_eq!(get(&s, &fs[1].id).record_state, RecordState::Active);
    // Reopened: the same answers.
    drop(s);
    let s = db.open();
    assert_eq!(s.runs().unwrap(), runs);
    assert_eq!(s.run_results("r1").unwrap(), r1);
}

fn refuses_a_duplicate_run_and_keeps_nothing_of_it(db: &Db) {
    let mut s = db.open();
    let mut fs = vec![finding("S3.1", "a", A, Status::Failed, 0)];
    s.record_run(&run("r1", 0, &[A], &[USE1]), &mut fs, &[]).unwrap();
    let mut more = vec![finding("S3.1", "z", A, Status::Failed, 1)];
    assert!(matches!(s.record_run(&run("r1", 1, &[A], &[USE1]), &mut more, &[]), Err(StoreError::DuplicateRun(_))));
    assert_eq!(all(&s).len(), 1, "nothing of the refused run is stored");
    assert_eq!(more[0].first_observed, at(1), "the findings are untouched");
}

fn follows_the_workflow_lifecycle(db: &Db) {
    let mut s = db.open();
    let id = finding("S3.1", "a", A, Status::Failed, 0).id;
    let statuses = [Status::Failed, Status::Passed, Status::Failed, Status::NotAvailable, Status::Passed];
    let mut seen = Vec::new();
    for (i, status) in statuses.into_iter().enumerate() {
        let mut fs = vec![finding("S3.1", "a", A, status, i as i64)];
        s.record_run(&run(&format!("r{i}"), i as i64, &[A], &[USE1]), &mut fs, &[]).unwrap();
        seen.push(fs[0].workflow_status);
    }
    use WorkflowStatus::*;
    assert_eq!(seen, [New, Resolved, New, New, Resolved]);
    let history = s.workflow_history(&id).unwrap();
    let notes: Vec<&str> = history.iter().map(|h| h.note.as_str()).collect();
    assert_eq!(
        notes,
        [
            "automatic: compliance FAILED -> PASSED",
            "automatic: compliance PASSED -> FAILED",
            "automatic: compliance NOT_AVAILABLE -> PASSED"
        ]
    );
    assert_eq!(history[0].run_id.as_deref(), Some("r1"));

    // A person's SUPPRESSED holds through every run.
    s.set_workflow_by(&id, Suppressed, "accepted risk", Some("alice")).unwrap();
    let mut fs = vec![finding("S3.1", "a", A, Status::Failed, 9)];
    s.record_run(&run("r9", 9, &[A], &[USE1]), &mut fs, &[]).unwrap();
    assert_eq!(fs[0].workflow_status, Suppressed);
    let last = s.workflow_history(&id).unwrap().pop().unwrap();
    assert_eq!(
        (last.from, last.to, last.note.as_str(), last.changed_by.as_deref(), last.run_id),
        (Resolved, Suppressed, "accepted risk", Some("alice"), None)
    );
    assert!(matches!(s.set_workflow_by("nope", New, "", None), Err(StoreError::UnknownFinding(_))));
    assert!(matches!(s.workflow_history("nope"), Err(StoreError::UnknownFinding(_))));
}

fn a_configuration_suppression_lapses(db: &Db) {
    let mut s = db.open();
    let mut f = finding("S3.1", "a", A, Status::Failed, 0);
    f.workflow_status = WorkflowStatus::Suppressed;
    let mut fs = vec![f];
    s.record_run(&run("r0", 0, &[A], &[USE1]), &mut fs, &[]).unwrap();
    assert_eq!(fs[0].workflow_status, WorkflowStatus::Suppressed);
    let mut fs = vec![finding("S3.1", "a", A, Status::Failed, 1)];
    s.record_run(&run("r1", 1, &[A], &[USE1]), &mut fs, &[]).unwrap();
    assert_eq!(fs[0].workflow_status, WorkflowStatus::New, "no rule suppresses it any more");
    let notes: Vec<String> = s.workflow_history(&fs[0].id).unwrap().into_iter().map(|h| h.note).collect();
    assert_eq!(notes, ["suppressed by configuration", "automatic: no suppression rule applies any more"]);
}

fn archives_what_a_run_could_have_produced_and_did_not(db: &Db) {
    let mut s = db.open();
    let mut fs = vec![
        finding("S3.1", "a", A, Status::Failed, 0),
        finding("S3.1", "b", A, Status::Failed, 0),
        finding("S3.1", "c", B, Status::Failed, 0),
    ];
    s.record_run(&run("r0", 0, &[A, B], &[USE1]), &mut fs, &[]).unwrap();
    // Account B's listing failed: its findings stay; bucket b is gone from account A.
    let gap = Gap {
        action: "s3:ListBuckets".into(),
        kind: GapKind::AccessDenied,
        account: B.into(),
        region: USE1.into(),
        resource: None,
        message: "denied".into(),
    };
    let mut again = vec![finding("S3.1", "a", A, Status::Failed, 1)];
    s.record_run(&run("r1", 1, &[A, B], &[USE1]), &mut again, &[gap]).unwrap();
    let states: Vec<(String, RecordState)> = ["a", "b", "c"].iter().map(|r| (r.to_string(), get(&s, &fs_id(r)).record_state)).collect();
    assert_eq!(states, [("a".into(), RecordState::Active), ("b".into(), RecordState::Archived), ("c".into(), RecordState::Active)]);
    // Back from the archive.
    let mut back = vec![finding("S3.1", "b", A, Status::Failed, 2)];
    s.record_run(&run("r2", 2, &[A], &[USE1]), &mut back, &[]).unwrap();
    assert_eq!(get(&s, &fs_id("b")).record_state, RecordState::Active);
    assert_eq!(get(&s, &fs_id("a")).record_state, RecordState::Archived);
    assert_eq!(s.count_findings(&FindingFilter { record_state: Some(RecordState::Archived), ..Default::default() }).unwrap(), 1);
}

fn fs_id(resource: &str) -> String {
    finding("S3.1", resource, if resource == "c" { B } else { A }, Status::Failed, 0).id
}

/// A small estate for the query tests: 3 checks × 40 buckets × 2 accounts.
fn estate(s: &mut Backend) -> Vec<Finding> {
    let mut fs = Vec::new();
    for (i, check) in ["S3.1", "S3.2", "S3.8"].iter().enumerate() {
        for b in 0..40 {
            let account = if b % 2 == 0 { A } else { B };
            let status = if (b + i) % 3 == 0 { Status::Passed } else { Status::Failed };
            fs.push(finding(check, &format!("bucket-{b:02}"), account, status, 0));
        }
    }
    s.record_run(&run("r0", 0, &[A, B], &[USE1]), &mut fs, &[]).unwrap();
    fs
}

/// A person's change to a finding that a run being recorded holds waits at most the store's
/// lock wait and then fails as busy (the server answers 503, try again), instead of hanging
/// for the length of the run; the run itself is recorded however long it takes, and the
/// change succeeds after it.
fn a_change_waiting_for_a_run_being_recorded_fails_busy_and_the_run_is_kept(db: &Db) {
    let mut s = db.open();
    let mut fs = estate(&mut s);
    let id = fs[0].id.clone();
    let mut recorder = db.open();
    let mut person = db.open();
    person.set_lock_wait(std::time::Duration::from_millis(300)).unwrap();
    let later = run("r1", 5, &[A, B], &[USE1]);
    let mut w = recorder.begin_run(&later).unwrap();
    for f in fs.iter_mut() {
        f.first_observed = at(5);
        f.last_observed = at(5);
    }
    w.write(&fs, &[]).unwrap();
    let update = FindingUpdate::from_json(&serde_json::json!({"Workflow": {"Status": "NOTIFIED"}})).unwrap();
    let who = ChangeAuthor { who: "alice".into(), reason: "triage".into() };
    let started = std::time::Instant::now();
    let e = person.batch_update_findings(std::slice::from_ref(&id), &update, &who, at(6)).unwrap_err();
    assert!(e.is_busy(), "{e:?}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "gave up after its lock wait: {:?}", started.elapsed());
    w.finish(&later).unwrap();
    assert!(s.runs().unwrap().iter().any(|r| r.id == "r1"), "the run was recorded");
    let done = person.batch_update_findings(std::slice::from_ref(&id), &update, &who, at(7)).unwrap();
    assert_eq!(done.processed, [id.clone()]);
    assert_eq!(person.finding_record(&id).unwrap().finding.workflow_status, WorkflowStatus::Notified);
}

fn answers_the_simple_filter(db: &Db) {
    let mut s = db.open();
    let fs = estate(&mut s);
    let failed = fs.iter().filter(|f| f.status == Status::Failed).count();
    let f = FindingFilter { status: Some(Status::Failed), ..Default::default() };
    assert_eq!(s.findings(&f).unwrap().len(), failed);
    assert_eq!(s.count_findings(&f).unwrap(), failed);
    let crit = FindingFilter { min_severity: Some(Severity::High), ..Default::default() };
    assert_eq!(s.count_findings(&crit).unwrap(), 40, "S3.1 is critical, the others medium");
    let mine = FindingFilter {
        product: Some("RAMPART".into()),
        account: Some(B.into()),
        check_id: Some("S3.8".into()),
        limit: Some(7),
        ..Default::default()
    };
    let got = s.findings(&mine).unwrap();
    assert_eq!(got.len(), 7);
    assert_eq!(s.count_findings(&mine).unwrap(), 20, "the limit aside");
    assert!(got.iter().all(|f| f.resource.account == B && f.check_id.as_ref() == "S3.8"));
    let other = FindingFilter { product: Some("Prowler".into()), ..Default::default() };
    assert_eq!(s.count_findings(&other).unwrap(), 0);
    // Most severe first, then check, account, region, resource.
    let order: Vec<(Severity, String, String)> = all(&s).into_iter().map(|f| (f.severity, f.check_id.to_string(), f.resource.id)).collect();
    let mut sorted = order.clone();
    sorted.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    assert_eq!(order.iter().map(|o| o.0).collect::<Vec<_>>(), sorted.iter().map(|o| o.0).collect::<Vec<_>>());
}

fn answers_the_findings_query_with_pages(db: &Db) {
    let mut s = db.open();
    let fs = estate(&mut s);
    let expect = |pred: &dyn Fn(&Finding) -> bool| -> BTreeSet<String> { fs.iter().filter(|f| pred(f)).map(|f| f.id.clone()).collect() };
    let cases: Vec<(&str, BTreeSet<String>)> = vec![
        (r#"{"AwsAccountId": [{"Value": "111111111111", "Comparison": "EQUALS"}]}"#, expect(&|f| f.resource.account == A)),
        (
            r#"{"ResourceId": [{"Value": "arn:aws:s3:::bucket-1", "Comparison": "PREFIX"}]}"#,
            expect(&|f| f.resource.name.starts_with("bucket-1")),
        ),
        (r#"{"ResourceId": [{"Value": "et-0", "Comparison": "CONTAINS"}]}"#, expect(&|f| f.resource.name.contains("et-0"))),
        (
            r#"{"ComplianceStatus": [{"Value": "FAILED", "Comparison": "EQUALS"}], "GeneratorId": [{"Value": "S3.2", "Comparison": "NOT_EQUALS"}]}"#,
            expect(&|f| f.status == Status::Failed && f.check_id.as_ref() != "S3.2"),
        ),
        (r#"{"ComplianceSecurityControlId": [{"Value": "S3.8", "Comparison": "EQUALS"}]}"#, expect(&|f| f.check_id.as_ref() == "S3.8")),
        (r#"{"SeverityLabel": [{"Value": "CRITICAL", "Comparison": "EQUALS"}]}"#, expect(&|f| f.severity == Severity::Critical)),
        (r#"{"Title": [{"Value": "S3.1", "Comparison": "NOT_CONTAINS"}]}"#, expect(&|f| f.check_id.as_ref() != "S3.1")),
        (r#"{"FirstObservedAt": [{"DateRange": {"Value": 1, "Unit": "DAYS"}}]}"#, BTreeSet::new()),
        (r#"{"LastObservedAt": [{"Start": "2026-03-01T07:00:00Z", "End": "2026-03-01T09:00:00Z"}]}"#, expect(&|_| true)),
    ];
    for (filters, want) in cases {
        for sort in
            ["", r#", "SortCriteria": [{"Field": "ResourceId", "SortOrder": "asc"}]"#, r#", "SortCriteria": [{"Field": "Confidence"}]"#]
        {
            let got = query(&s, &format!(r#"{{"Filters": {filters}, "MaxResults": 7{sort}}}"#));
            let unique: BTreeSet<String> = got.iter().cloned().collect();
            assert_eq!(unique.len(), got.len(), "no finding twice across pages: {filters}{sort}");
            assert_eq!(unique, want, "{filters}{sort}");
        }
        assert_eq!(count(&s, filters), want.len() as u64, "{filters}");
    }
    // Sorted by resource, ascending, across pages.
    let ids = query(&s, r#"{"SortCriteria": [{"Field": "ResourceId", "SortOrder": "asc"}], "MaxResults": 11}"#);
    let resources: Vec<String> = ids.iter().map(|id| s.finding_record(id).unwrap().finding.resource.id).collect();
    let mut sorted = resources.clone();
    sorted.sort();
    assert_eq!(resources, sorted);
    // A token of another query is refused.
    let page = s.get_findings(&FindingQuery::from_json_str(r#"{"MaxResults": 5}"#).unwrap(), at(100)).unwrap();
    let mut other = FindingQuery::from_json_str(r#"{"MaxResults": 5, "SortCriteria": [{"Field": "Title"}]}"#).unwrap();
    other.next_token = page.next_token;
    assert!(matches!(s.get_findings(&other, at(100)), Err(StoreError::Query(_))));
}

fn batch_updates_keep_every_change(db: &Db) {
    let mut s = db.open();
    let fs = estate(&mut s);
    let ids: Vec<String> = fs.iter().take(3).map(|f| f.id.clone()).collect();
    let update = FindingUpdate::from_json(&serde_json::json!({
        "Workflow": {"Status": "NOTIFIED"}, "Severity": {"Label": "LOW"}, "Confidence": 80,
        "UserDefinedFields": {"team": "storage"}, "Note": {"Text": "looking", "UpdatedBy": "alice"}
    }))
    .unwrap();
    let who = ChangeAuthor { who: "alice".into(), reason: "triage".into() };
    let mut with_unknown = ids.clone();
    with_unknown.push("nope".into());
    let result = s.batch_update_findings(&with_unknown, &update, &who, at(50)).unwrap();
    assert_eq!(result.processed, ids);
    assert_eq!(result.unprocessed.len(), 1);
    assert_eq!(result.unprocessed[0].error_code, "FindingNotFound");
    let rec = s.finding_record(&ids[0]).unwrap();
    assert_eq!(rec.finding.workflow_status, WorkflowStatus::Notified);
    assert_eq!(rec.finding.severity, Severity::Low, "a person's label overrides");
    assert_eq!(rec.confidence, Some(80));
    assert_eq!(rec.user_defined_fields.get("team").map(String::as_str), Some("storage"));
    assert_eq!(rec.note.as_ref().map(|n| n.text.as_str()), Some("looking"));
    let last = s.workflow_history(&ids[0]).unwrap().pop().unwrap();
    assert_eq!((last.to, last.changed_by.as_deref(), last.note.as_str()), (WorkflowStatus::Notified, Some("alice"), "triage"));
    // The query sees the changes.
    assert_eq!(count(&s, r#"{"WorkflowStatus": [{"Value": "NOTIFIED", "Comparison": "EQUALS"}]}"#), 3);
    assert_eq!(count(&s, r#"{"Confidence": [{"Gte": 79.5}]}"#), 3);
    assert_eq!(count(&s, r#"{"UserDefinedFields": [{"Key": "team", "Value": "storage", "Comparison": "EQUALS"}]}"#), 3);
    assert_eq!(count(&s, r#"{"SeverityLabel": [{"Value": "LOW", "Comparison": "EQUALS"}]}"#), 3);
    // The same update again changes nothing and records nothing.
    let before = s.workflow_history(&ids[0]).unwrap().len();
    s.batch_update_findings(&ids, &update, &who, at(51)).unwrap();
    assert_eq!(s.workflow_history(&ids[0]).unwrap().len(), before);
    // Duplicated ids are refused one by one.
    let dup = s.batch_update_findings(&[ids[1].clone(), ids[1].clone()], &update, &who, at(52)).unwrap();
    assert_eq!(dup.unprocessed.len(), 2);
    // The next run's automatic rules start from the person's state.
    let mut again: Vec<Finding> = fs.iter().take(3).cloned().collect();
    s.record_run(&run("r1", 1, &[A, B], &[USE1]), &mut again, &[]).unwrap();
    assert_eq!(again[0].workflow_status, WorkflowStatus::Notified);
}

/// kill -9 during a run's write: every finding of the committed run intact, nothing of the
/// killed run visible, and the store still records.
fn survives_kill_9_while_writing(db: &Db) {
    let mut s = db.open();
    let mut first: Vec<Finding> = (0..2000).map(|i| finding("S3.1", &format!("kept-{i:05}"), A, Status::Failed, 0)).collect();
    s.record_run(&run("committed", 0, &[A], &[USE1]), &mut first, &[]).unwrap();
    let before = all(&s);
    let before_results = s.run_results("committed").unwrap();
    drop(s);

    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["child_writer", "--exact", "--nocapture", "--test-threads=1"])
        .env("RAMPART_CONFORMANCE_CHILD", &db.spec)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    loop {
        let line = lines.next().expect("the writer started").unwrap();
        if line.contains("CHILD WRITING") {
            break;
        }
    }
    // Into the write: the run and its first findings are sent, nothing is committed.
    std::thread::sleep(std::time::Duration::from_millis(700));
    let pid = child.id() as i32;
    // SIGKILL, as `kill -9`.
    assert_eq!(unsafe { libc_kill(pid, 9) }, 0);
    child.wait().unwrap();
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(!rest.iter().any(|l| l.contains("CHILD COMMITTED")), "the kill came too late to test anything: {rest:?}");

    // A PostgreSQL server rolls back the dead session's transaction once it sees the socket close.
    let s = db.open();
    let runs: Vec<String> = s.runs().unwrap().into_iter().map(|r| r.id).collect();
    assert_eq!(runs, ["committed"], "the half-written run is not visible");
    assert!(matches!(s.run_results("killed"), Err(StoreError::UnknownRun(_))));
    assert_eq!(all(&s), before, "every committed finding is intact, none of the killed run's is there");
    assert_eq!(s.run_results("committed").unwrap(), before_results);
    let mut s = s;
    let mut next = vec![finding("S3.1", "kept-00000", A, Status::Passed, 2)];
    s.record_run(&run("after", 2, &[A], &[USE1]), &mut next, &[]).unwrap();
    assert_eq!(next[0].first_observed, at(0));
}

extern "C" {
    #[link_name = "kill"]
    fn libc_kill(pid: i32, sig: i32) -> i32;
}

/// The child of [`survives_kill_9_while_writing`]: records a large run (new findings and
/// changes to the committed ones) until it is killed. Without the variable, it does nothing.
#[test]
fn child_writer() {
    let Ok(spec) = std::env::var("RAMPART_CONFORMANCE_CHILD") else { return };
    let mut s = Store::connect(&spec, PgMode::Existing).unwrap();
    let mut fs: Vec<Finding> = (0..2000).map(|i| finding("S3.1", &format!("kept-{i:05}"), A, Status::Passed, 1)).collect();
    fs.extend((0..400_000).map(|i| finding("S3.2", &format!("new-{i:06}"), A, Status::Failed, 1)));
    println!("CHILD WRITING");
    s.record_run(&run("killed", 1, &[A], &[USE1]), &mut fs, &[]).unwrap();
    println!("CHILD COMMITTED");
}

// ---------------------------------------------------------------- the job queue, written once

fn job(key: &str, kind: &str) -> NewJob {
    NewJob { key: key.into(), kind: kind.into(), payload: serde_json::json!({"k": key, "n": [1, 2]}), barrier: false }
}

const LEASE: time::Duration = time::Duration::seconds(60);

/// A worker's own connection to the queue, as `rampart worker` opens it.
fn worker_connection(db: &Db) -> Backend {
    Store::connect(&db.spec, PgMode::Existing).unwrap_or_else(|e| panic!("open {}: {e}", db.spec))
}

fn queue_claims_once_keeps_outputs_and_enqueues_idempotently(db: &Db) {
    let mut s = db.open();
    assert_eq!(s.enqueue_jobs("b1", &[job("b1/a", "collect"), job("b1/b", "collect")], at(0)).unwrap(), 2);
    assert_eq!(s.enqueue_jobs("b1", &[job("b1/a", "collect")], at(0)).unwrap(), 0, "a key already queued is not added again");
    let a = s.claim_job("w1", &["collect"], at(0), LEASE).unwrap().unwrap();
    let b = s.claim_job("w2", &["collect"], at(0), LEASE).unwrap().unwrap();
    assert_eq!((a.key.as_str(), b.key.as_str()), ("b1/a", "b1/b"), "oldest first");
    assert_eq!((a.attempts, &a.payload, a.lease_until), (1, &serde_json::json!({"k": "b1/a", "n": [1, 2]}), at(0) + LEASE));
    assert!(s.claim_job("w3", &["collect"], at(0), LEASE).unwrap().is_none());
    assert!(s.claim_job("w3", &["evaluate"], at(0), LEASE).unwrap().is_none(), "only the kinds asked for");
    // Outputs are bytes, any bytes.
    let body: Vec<u8> = (0..=255u8).chain([0, 0, 0xff]).collect();
    assert!(s.finish_job(a.id, "w1", Some(&body), at(0)).unwrap());
    assert!(!s.finish_job(a.id, "w1", Some(b"again"), at(0)).unwrap(), "not twice");
    assert!(!s.finish_job(b.id, "w1", Some(b"not mine"), at(0)).unwrap(), "not by another worker");
    assert!(s.finish_job(b.id, "w2", None, at(0)).unwrap());
    assert_eq!(s.job_outputs("b1").unwrap(), vec![("b1/a".to_string(), body)]);
    assert_eq!(
        s.batch_jobs("b1").unwrap().iter().map(|(k, kind, _)| (k.as_str(), kind.as_str())).collect::<Vec<_>>(),
        [("b1/a", "collect"), ("b1/b", "collect")]
    );
    let p = s.batch_progress("b1").unwrap();
    assert!(p.finished() && p.done == 2 && p.claims == 2, "{p:?}");
    assert_eq!(s.drop_job_outputs("b1").unwrap(), 1);
    assert!(s.job_outputs("b1").unwrap().is_empty());
    assert_eq!(s.batch_progress("nope").unwrap().total(), 0);
    // The run an evaluation records under its batch's id.
    assert!(!s.run_exists("b1").unwrap());
    s.record_run(&run("b1", 0, &[A], &[USE1]), &mut [], &[]).unwrap();
    assert!(s.run_exists("b1").unwrap());
}

fn queue_gives_an_expired_lease_to_another_worker_and_the_stale_one_cannot_finish(db: &Db) {
    let mut s = db.open();
    s.enqueue_jobs("b", &[job("b/a", "collect")], at(0)).unwrap();
    let first = s.claim_job("w1", &["collect"], at(0), LEASE).unwrap().unwrap();
    let (t50, t100, t111) =
        (at(0) + time::Duration::seconds(50), at(0) + time::Duration::seconds(100), at(0) + time::Duration::seconds(111));
    assert!(s.renew_job(first.id, "w1", t50, LEASE).unwrap(), "renewed in time");
    assert!(!s.renew_job(first.id, "w2", t50, LEASE).unwrap(), "only by its holder");
    assert!(s.claim_job("w2", &["collect"], t100, LEASE).unwrap().is_none(), "the renewed lease holds");
    let held =
        |s: &Backend| s.running_jobs("b").unwrap().into_iter().map(|r| (r.key, r.worker, r.attempts, r.lease_until)).collect::<Vec<_>>();
    assert_eq!(held(&s), [("b/a".to_string(), "w1".to_string(), 1, t50 + LEASE)]);
    let second = s.claim_job("w2", &["collect"], t111, LEASE).unwrap().unwrap();
    assert_eq!((second.id, second.attempts), (first.id, 2), "taken again once the lease ran out");
    assert_eq!(held(&s), [("b/a".to_string(), "w2".to_string(), 2, t111 + LEASE)]);
    assert!(!s.renew_job(first.id, "w1", t111, LEASE).unwrap());
    assert!(!s.finish_job(first.id, "w1", Some(b"stale"), t111).unwrap());
    assert!(!s.fail_job(first.id, "w1", "stale", t111).unwrap());
    assert!(s.finish_job(second.id, "w2", Some(b"fresh"), t111).unwrap());
    assert!(held(&s).is_empty());
    assert_eq!(s.job_outputs("b").unwrap(), vec![("b/a".to_string(), b"fresh".to_vec())]);
    let p = s.batch_progress("b").unwrap();
    assert_eq!((p.done, p.claims), (1, 2));
}

fn queue_holds_the_barrier_until_the_rest_of_its_batch_is_done_or_dead(db: &Db) {
    let mut s = db.open();
    let eval = NewJob { key: "b/evaluate".into(), kind: "evaluate".into(), payload: serde_json::json!({}), barrier: true };
    s.enqueue_jobs("b", &[job("b/a", "collect"), job("b/z", "collect"), eval], at(0)).unwrap();
    s.enqueue_jobs("other", &[job("other/a", "collect")], at(0)).unwrap();
    let both = ["collect", "evaluate"];
    assert!(s.claim_job("w", &["evaluate"], at(0), LEASE).unwrap().is_none(), "pending jobs hold it");
    let a = s.claim_job("w", &both, at(0), LEASE).unwrap().unwrap();
    let z = s.claim_job("w", &both, at(0), LEASE).unwrap().unwrap();
    assert_eq!((a.key.as_str(), z.key.as_str()), ("b/a", "b/z"));
    assert!(s.claim_job("w", &["evaluate"], at(0), LEASE).unwrap().is_none(), "running jobs hold it");
    s.finish_job(a.id, "w", None, at(0)).unwrap();
    // b/z's worker dies on every attempt: while its last lease runs, the barrier waits; once
    // it ran out the job is dead and the barrier is claimed in the same call.
    let mut t = at(0);
    for attempt in 2..=MAX_ATTEMPTS {
        t += time::Duration::seconds(61);
        let again = s.claim_job("w", &["collect"], t, LEASE).unwrap().unwrap();
        assert_eq!((again.key.as_str(), again.attempts), ("b/z", attempt));
        assert!(s.claim_job("w", &["evaluate"], t, LEASE).unwrap().is_none(), "attempt {attempt} runs");
    }
    t += time::Duration::seconds(61);
    let e = s.claim_job("w", &["evaluate"], t, LEASE).unwrap().unwrap();
    assert_eq!(e.key, "b/evaluate", "another batch's pending job does not hold it back");
    let dead = s.dead_jobs("b").unwrap();
    assert_eq!(dead.iter().map(|d| (d.key.as_str(), d.attempts)).collect::<Vec<_>>(), [("b/z", MAX_ATTEMPTS)]);
    assert!(dead[0].error.contains("lease ran out"), "{}", dead[0].error);
    assert!(s.claim_job("w", &["collect"], t, LEASE).unwrap().is_some_and(|j| j.key == "other/a"));
}

fn queue_makes_a_job_dead_after_five_failed_attempts_with_its_last_error(db: &Db) {
    let mut s = db.open();
    s.enqueue_jobs("b", &[job("b/a", "collect")], at(0)).unwrap();
    for i in 0..MAX_ATTEMPTS {
        let j = s.claim_job("w", &["collect"], at(0), LEASE).unwrap().unwrap();
        assert_eq!(j.attempts, i + 1);
        assert_eq!(s.batch_progress("b").unwrap().running, 1);
        assert!(s.fail_job(j.id, "w", &format!("AccessDenied {i}"), at(0)).unwrap());
    }
    assert_eq!(MAX_ATTEMPTS, 5);
    assert!(s.claim_job("w", &["collect"], at(0), LEASE).unwrap().is_none());
    let dead = s.dead_jobs("b").unwrap();
    assert_eq!(
        dead.iter().map(|d| (d.key.as_str(), d.kind.as_str(), d.attempts, d.error.as_str())).collect::<Vec<_>>(),
        [("b/a", "collect", 5, "AccessDenied 4")]
    );
    let p = s.batch_progress("b").unwrap();
    assert!(p.finished() && p.dead == 1 && p.claims == 5, "{p:?}");
}

fn queue_never_gives_one_job_to_two_of_four_concurrent_claimers(db: &Db) {
    let mut s = db.open();
    let jobs: Vec<NewJob> = (0..200).map(|i| job(&format!("b/{i:03}"), "collect")).collect();
    s.enqueue_jobs("b", &jobs, at(0)).unwrap();
    drop(s);
    let start = std::sync::Barrier::new(4);
    let claimed: Vec<Vec<String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|w| {
                let start = &start;
                scope.spawn(move || {
                    let mut s = worker_connection(db);
                    let name = format!("w{w}");
                    let mut mine = Vec::new();
                    start.wait();
                    while let Some(j) = s.claim_job(&name, &["collect"], at(0), LEASE).unwrap() {
                        assert!(s.finish_job(j.id, &name, Some(j.key.as_bytes()), at(0)).unwrap(), "{name} holds {}", j.key);
                        mine.push(j.key);
                        // A job takes time: without it one claimer can take every job before
                        // SQLite's busy handler wakes the others (sharing is not the point;
                        // never giving a job twice is).
                        std::thread::sleep(std::time::Duration::from_millis(2));
                    }
                    mine
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut all: Vec<String> = claimed.iter().flatten().cloned().collect();
    assert_eq!(all.len(), 200, "no job done twice: {:?}", claimed.iter().map(Vec::len).collect::<Vec<_>>());
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 200, "every job done");
    assert!(
        claimed.iter().filter(|c| !c.is_empty()).count() >= 2,
        "the claimers shared the work: {:?}",
        claimed.iter().map(Vec::len).collect::<Vec<_>>()
    );
    let s = db.open();
    let p = s.batch_progress("b").unwrap();
    assert_eq!((p.done, p.claims), (200, 200));
    assert!(s.job_outputs("b").unwrap().iter().all(|(k, body)| k.as_bytes() == body.as_slice()));
}

fn records_a_run_part_by_part_and_shows_nothing_before_it_finishes(db: &Db) {
    let mut s = db.open();
    let mut first = vec![finding("S3.1", "a", A, Status::Failed, 0), finding("S3.1", "gone", A, Status::Failed, 0)];
    s.record_run(&run("r0", 0, &[A, B], &[USE1]), &mut first, &[]).unwrap();

    // A writer dropped before it finishes leaves nothing, and its id can be begun again.
    {
        let mut w = s.begin_run(&run("r1", 1, &[A, B], &[USE1])).unwrap();
        w.write(&[finding("S3.1", "dropped", A, Status::Failed, 1)], &[]).unwrap();
    }
    assert_eq!(s.runs().unwrap().len(), 1);
    assert_eq!(all(&s).len(), 2);

    let mut started = run("r1", 1, &[A, B], &[USE1]);
    started.incomplete = vec!["not known yet".into()];
    let mut w = s.begin_run(&started).unwrap();
    let part_a = vec![finding("S3.1", "a", A, Status::Passed, 1)];
    let updates = w.write(&part_a, &[]).unwrap();
    assert_eq!(updates.len(), 1);
    let gap = Gap {
        action: "s3:GetBucketPolicy".into(),
        kind: GapKind::AccessDenied,
        account: B.into(),
        region: USE1.into(),
        resource: Some("arn:aws:s3:::c".into()),
        message: "denied".into(),
    };
    w.write(&[finding("S3.1", "c", B, Status::Failed, 1)], &[gap]).unwrap();
    // Another connection sees nothing of the run yet.
    let reader = Store::connect(&db.spec, PgMode::ReadOnly).unwrap();
    assert_eq!(reader.runs().unwrap().len(), 1, "a half-written run is visible");
    assert_eq!(all(&reader).len(), 2, "findings of a half-written run are visible");
    let mut finished = run("r1", 1, &[A, B], &[USE1]);
    finished.incomplete = vec!["s3:GetBucketPolicy: 1 AccessDenied".into()];
    let archived = w.finish(&finished).unwrap();
    assert_eq!(archived, 1, "bucket `gone` was not produced by the run");

    let runs = reader.runs().unwrap();
    let r1 = runs.iter().find(|r| r.id == "r1").expect("the run is visible once finished");
    assert_eq!(r1.incomplete, finished.incomplete, "finish writes the run's final description");
    assert_eq!(reader.gaps("r1").unwrap().len(), 1);
    assert_eq!(reader.run_results("r1").unwrap().len(), 2);
    assert_eq!(get(&reader, &fs_id("a")).workflow_status, WorkflowStatus::Resolved);
    assert_eq!(get(&reader, &fs_id("gone")).record_state, RecordState::Archived);
    assert_eq!(get(&reader, &fs_id("c")).status, Status::Failed);
    assert!(matches!(s.begin_run(&run("r1", 2, &[A], &[USE1])), Err(StoreError::DuplicateRun(_))));
}

/// Parts of one run that give the same finding id (a resource whose id names no account,
/// read in two accounts' parts): one result, the later part's word, as one `record_run` of both.
fn a_finding_given_by_two_parts_of_a_run_has_one_result_the_last_parts(db: &Db) {
    let mut s = db.open();
    let mut w = s.begin_run(&run("r1", 1, &[A, B], &[USE1])).unwrap();
    w.write(&[finding("S3.1", "shared", A, Status::Failed, 1), finding("S3.1", "a", A, Status::Failed, 1)], &[]).unwrap();
    w.write(&[finding("S3.1", "shared", B, Status::Passed, 1)], &[]).unwrap();
    w.finish(&run("r1", 1, &[A, B], &[USE1])).unwrap();
    let results = s.run_results("r1").unwrap();
    assert_eq!(results.len(), 2, "{results:?}");
    let shared = results.iter().find(|f| f.id == fs_id("shared")).unwrap();
    assert_eq!((shared.status, shared.resource.account.as_str()), (Status::Passed, B));
    assert_eq!(get(&s, &fs_id("shared")).status, Status::Passed);
}

// ---------------------------------------------------------------- both backends

macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod on_sqlite {
            $( #[test] fn $name() { super::$name(&super::sqlite()) } )*
        }
        mod on_postgres {
            $( #[test] fn $name() { super::$name(&super::postgres()) } )*
        }
    };
}

conformance!(
    records_and_reads_back_a_run,
    refuses_a_duplicate_run_and_keeps_nothing_of_it,
    follows_the_workflow_lifecycle,
    a_configuration_suppression_lapses,
    archives_what_a_run_could_have_produced_and_did_not,
    answers_the_simple_filter,
    answers_the_findings_query_with_pages,
    batch_updates_keep_every_change,
    a_change_waiting_for_a_run_being_recorded_fails_busy_and_the_run_is_kept,
    survives_kill_9_while_writing,
    records_a_run_part_by_part_and_shows_nothing_before_it_finishes,
    a_finding_given_by_two_parts_of_a_run_has_one_result_the_last_parts,
    queue_claims_once_keeps_outputs_and_enqueues_idempotently,
    queue_gives_an_expired_lease_to_another_worker_and_the_stale_one_cannot_finish,
    queue_holds_the_barrier_until_the_rest_of_its_batch_is_done_or_dead,
    queue_makes_a_job_dead_after_five_failed_attempts_with_its_last_error,
    queue_never_gives_one_job_to_two_of_four_concurrent_claimers,
);

// ---------------------------------------------------------------- the other stores, one module each

#[path = "conformance/audit.rs"]
mod audit;
#[path = "conformance/graph.rs"]
mod graph;
#[path = "conformance/imports.rs"]
mod imports;
#[path = "conformance/copy.rs"]
mod copy;
#[path = "conformance/inventory.rs"]
mod inventory;
#[path = "conformance/schedules.rs"]
mod schedules;
#[path = "conformance/changes.rs"]
mod changes;
#[path = "conformance/assessments.rs"]
mod assessments;
#[path = "conformance/agents.rs"]
mod agents;
#[path = "conformance/auth.rs"]
mod auth;
#[path = "conformance/insights.rs"]
mod insights;
#[path = "conformance/automation.rs"]
mod automation;
#[path = "conformance/events.rs"]
mod events;

// ---------------------------------------------------------------- PostgreSQL only

#[test]
fn copy_from_sqlite_gives_the_same_answers_and_refuses_a_non_empty_target() {
    let lite = sqlite();
    let mut s = lite.open();
    let fs = estate(&mut s);
    let who = ChangeAuthor { who: "bob".into(), reason: "why".into() };
    let update = FindingUpdate::from_json(&serde_json::json!({"Workflow": {"Status": "SUPPRESSED"}, "Criticality": 10})).unwrap();
    s.batch_update_findings(&[fs[0].id.clone()], &update, &who, at(3)).unwrap();
    let mut later: Vec<Finding> = fs.iter().skip(5).cloned().collect();
    s.record_run(&run("r1", 1, &[A, B], &[USE1]), &mut later, &[]).unwrap();
    drop(s);

    let pg = postgres();
    let mut target_store = pg.open();
    let target = target_store.postgres_mut().expect("PostgreSQL");
    let source = Store::open_read_only(std::path::Path::new(&lite.spec)).unwrap();
    let stats = target.copy_from(&source).unwrap();
    assert_eq!(stats.rows("findings"), 120);
    assert_eq!(stats.rows("runs"), 2);
    drop(target_store);

    let (a, b) = (lite.open(), pg.open());
    assert_eq!(a.runs().unwrap(), b.runs().unwrap());
    assert_eq!(all(&a), all(&b));
    assert_eq!(a.run_results("r1").unwrap(), b.run_results("r1").unwrap());
    assert_eq!(a.workflow_history(&fs[0].id).unwrap(), b.workflow_history(&fs[0].id).unwrap());
    assert_eq!(a.finding_record(&fs[0].id).unwrap(), b.finding_record(&fs[0].id).unwrap());
    for filters in [r#"{}"#, r#"{"RecordState": [{"Value": "ARCHIVED", "Comparison": "EQUALS"}]}"#, r#"{"Criticality": [{"Eq": 10}]}"#] {
        let q = format!(r#"{{"Filters": {filters}, "MaxResults": 9}}"#);
        assert_eq!(query(&a, &q), query(&b, &q), "{filters}");
    }
    // Histories after the copy continue the copied ids.
    let mut b = b;
    b.set_workflow_by(&fs[1].id, WorkflowStatus::Notified, "n", None).unwrap();

    let mut again_store = pg.open();
    let again = again_store.postgres_mut().expect("PostgreSQL");
    assert!(matches!(again.copy_from(&source), Err(StoreError::TargetNotEmpty { runs: 2, .. })));
}

#[test]
fn migrations_match_sqlite_and_a_newer_store_is_refused() {
    let lite = sqlite();
    let pg = postgres();
    let (a, b) = (lite.open(), pg.open());
    assert_eq!(a.schema_version(), b.schema_version(), "a PostgreSQL migration for every SQLite one of the findings store");
    drop(b);
    // Opening again migrates nothing and succeeds.
    assert_eq!(pg.open().schema_version(), a.schema_version());
    let mut c = postgres::Client::connect(&pg.spec, postgres::NoTls).unwrap();
    c.batch_execute("UPDATE rampart_schema SET version = version + 1 WHERE name = 'findings'").unwrap();
    let e = Store::connect(&pg.spec, PgMode::Create).err().expect("refused");
    assert!(matches!(e, StoreError::TooNew { store: Some("findings"), .. }), "{e}");
    assert!(!e.to_string().contains("password"));
}

#[test]
fn errors_name_the_server_without_its_password() {
    let e = Store::connect("postgres://alice:hunter2@127.0.0.1:1/rampart", PgMode::ReadOnly).err().expect("nothing listens on port 1");
    let text = format!("{e}");
    assert!(text.contains("postgres://alice@127.0.0.1:1/rampart"), "{text}");
    assert!(!format!("{e:?}").contains("hunter2"), "{e:?}");
    let e = Store::connect(&with_database(&server_url(), "rampart_no_such_db"), PgMode::ReadOnly).err().expect("no database");
    assert!(matches!(e, StoreError::PgConnect { .. }), "{e}");
    // Read-only opening of an empty database creates nothing.
    let pg = postgres();
    assert!(matches!(Store::connect(&pg.spec, PgMode::ReadOnly), Err(StoreError::Empty { .. })));
    let mut c = postgres::Client::connect(&pg.spec, postgres::NoTls).unwrap();
    assert!(c.query_one("SELECT to_regclass('findings')::text", &[]).unwrap().get::<_, Option<String>>(0).is_none());
}

#[test]
fn the_job_queue_has_sqlites_schema_version_and_is_created_with_the_findings_store() {
    let lite = sqlite();
    let pg = postgres();
    let a = Store::open(std::path::Path::new(&lite.spec)).unwrap();
    let sqlite_jobs = a.schema_versions().iter().find(|(name, _)| *name == "jobs").map(|(_, v)| *v).expect("a jobs store on SQLite");
    let b = pg.open();
    assert_eq!(b.postgres().expect("PostgreSQL").queue_version().unwrap(), sqlite_jobs);
    drop(b);
    // Opened again (to write, or only to read), nothing is migrated twice and the queue answers.
    let mut w = worker_connection(&pg);
    w.enqueue_jobs("b", &[job("b/a", "collect")], at(0)).unwrap();
    let r = Store::connect(&pg.spec, PgMode::ReadOnly).unwrap();
    assert_eq!(r.batch_progress("b").unwrap().pending, 1);
}
