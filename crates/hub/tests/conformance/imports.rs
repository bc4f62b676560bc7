//! Imported findings (`BatchImportFindings`' store side) and the findings-side reads of one
//! finding (its state, its run results, its history, counts) on both backends.

use super::*;
use rampart_hub::{ImportResult, ImportedFinding, ImportedSource, MAX_IMPORT_FINDINGS};
use rampart_import_findings::Format;
use serde_json::{json, Value};

pub(crate) const PROWLER: &str = "arn:aws:securityhub:us-east-1::product/prowler/prowler";

/// When the imports happen: keys are handed out from it, so both backends give the same keys.
pub(crate) fn now() -> Timestamp {
    at(50)
}

/// An ASFF finding as a tool sends it: bucket `b{n}` of account A, FAILED unless said.
pub(crate) fn asff(n: usize, compliance: &str, updated_hour: i64) -> Value {
    json!({
        "SchemaVersion": "2018-10-08",
        "Id": format!("prowler-s3-{n}"),
        "ProductArn": PROWLER,
        "ProductName": "Prowler",
        "CompanyName": "Prowler",
        "GeneratorId": "prowler-s3_bucket_public_access",
        "AwsAccountId": A,
        "Types": ["Software and Configuration Checks/AWS Security Best Practices"],
        "CreatedAt": "2026-03-01T08:00:00Z",
        "UpdatedAt": rampart_model::rfc3339(at(updated_hour)),
        "Severity": {"Label": if n % 3 == 0 { "CRITICAL" } else { "HIGH" }},
        "Title": format!("Bucket b{n} is public"),
        "Description": "S3 bucket allows public access",
        "Remediation": {"Recommendation": {"Text": "Block public access", "Url": "https://docs.aws.amazon.com/"}},
        "Resources": [
            {"Type": "AwsS3Bucket", "Id": format!("arn:aws:s3:::b{n}"), "Partition": "aws", "Region": USE1,
             "Tags": {"env": if n % 2 == 0 { "prod" } else { "dev" }}},
            {"Type": "AwsAccount", "Id": format!("AWS::::Account:{A}"), "Partition": "aws", "Region": USE1}
        ],
        "Compliance": {"Status": compliance, "RelatedRequirements": ["AWS Foundational Security Best Practices/S3.8"]},
        "ProductFields": {"anything": "the model has no field for"},
        "RecordState": "ACTIVE"
    })
}

pub(crate) fn parse(values: Vec<Value>) -> Vec<ImportedFinding> {
    rampart_import_findings::parse_values(values, Format::Asff).into_iter().map(|r| r.expect("a valid ASFF finding")).collect()
}

/// Prowler's own ASFF output of a run against moto (testdata/prowler).
fn prowler_run() -> Vec<ImportedFinding> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/prowler/moto-run.asff.json");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let parsed = rampart_import_findings::parse_document(&bytes, None).unwrap();
    assert_eq!(parsed.format, Format::Asff);
    parsed.findings.into_iter().map(|r| r.unwrap()).collect()
}

/// A batch of 100: 98 good, one without a title (InvalidInput), one repeating an earlier
/// (ProductArn, Id) (DuplicatedFindingIdentifier).
fn batch_of_100() -> Vec<ImportedFinding> {
    let mut batch = parse((0..99).map(|n| asff(n, if n % 4 == 0 { "PASSED" } else { "FAILED" }, 1)).collect());
    batch[7].title = String::new();
    batch.push(batch[3].clone());
    assert_eq!(batch.len(), MAX_IMPORT_FINDINGS);
    batch
}

fn failures(r: &ImportResult) -> Vec<(usize, &str, &str)> {
    r.failed_findings.iter().map(|f| (f.index, f.id.as_str(), f.error_code.as_str())).collect()
}

fn key(s: &Backend, n: usize) -> String {
    s.imported_key(PROWLER, &format!("prowler-s3-{n}")).unwrap().unwrap_or_else(|| panic!("prowler-s3-{n} is stored"))
}

fn author(who: &str) -> ChangeAuthor {
    ChangeAuthor { who: who.into(), reason: format!("{who}'s reason") }
}

fn imports_a_batch_answering_each_failure_and_storing_the_rest(db: &Db) {
    let mut s = db.open();
    let r = s.import_findings(&batch_of_100(), now()).unwrap();
    assert_eq!((r.success_count, r.failed_count), (98, 2));
    assert_eq!(failures(&r), [(7, "prowler-s3-7", "InvalidInput"), (99, "prowler-s3-3", "DuplicatedFindingIdentifier")]);
    assert_eq!(r.stored.len(), 98);
    assert!(r.stored.windows(2).all(|w| w[0] < w[1]), "keys handed out in ascending order");
    assert!(r.stored.iter().all(|k| k.starts_with("import/n")), "{:?}", &r.stored[..2]);
    assert_eq!(key(&s, 0), r.stored[0]);
    assert_eq!(s.imported_key(PROWLER, "prowler-s3-7").unwrap(), None, "the invalid one is not stored");
    assert_eq!(s.imported_key("arn:aws:securityhub:us-east-1::product/other/other", "prowler-s3-0").unwrap(), None);

    // The same filters as rampart's own, by the imported finding's own names.
    assert_eq!(count(&s, "{}"), 98);
    assert_eq!(count(&s, r#"{"ProductName": [{"Value": "Prowler", "Comparison": "EQUALS"}]}"#), 98);
    assert_eq!(count(&s, r#"{"ComplianceStatus": [{"Value": "PASSED", "Comparison": "EQUALS"}]}"#), 25);
    assert_eq!(count(&s, r#"{"WorkflowStatus": [{"Value": "RESOLVED", "Comparison": "EQUALS"}]}"#), 25, "PASSED arrives RESOLVED");
    assert_eq!(count(&s, r#"{"ResourceTags": [{"Key": "env", "Value": "prod", "Comparison": "EQUALS"}]}"#), 50);
    assert_eq!(count(&s, r#"{"SeverityLabel": [{"Value": "CRITICAL", "Comparison": "EQUALS"}]}"#), 33);
    let failed_critical = query(
        &s,
        r#"{"Filters": {"ComplianceStatus": [{"Value": "FAILED", "Comparison": "EQUALS"}],
                        "SeverityLabel": [{"Value": "CRITICAL", "Comparison": "EQUALS"}]}, "MaxResults": 7}"#,
    );
    assert_eq!(failed_critical.len(), 24);
    assert_eq!(
        s.count_matching(&FindingFilters::from_json_str(r#"{"Title": [{"Value": "Bucket b1", "Comparison": "PREFIX"}]}"#).unwrap(), now())
            .unwrap(),
        11,
        "b1, b10 to b19 (b1x, not b100)"
    );

    // One finding, whole.
    let k = key(&s, 3);
    let f = s.finding(&k).unwrap();
    assert_eq!(
        (f.check_id.as_ref(), f.status, f.severity),
        ("prowler-s3_bucket_public_access", Status::Failed, rampart_model::Severity::Critical)
    );
    assert_eq!(f.resource.id, "arn:aws:s3:::b3");
    let rec = s.finding_record(&k).unwrap();
    assert_eq!(rec.resource_tags.get("env").map(String::as_str), Some("dev"));
    let origin = rec.imported.expect("an imported finding");
    assert_eq!((origin.product_name.as_str(), origin.id.as_str()), ("Prowler", "prowler-s3-3"));
    let ImportedSource { format, product_arn, resources, document, provider_updated_at, .. } =
        s.imported_source(&k).unwrap().expect("an imported finding");
    assert_eq!((format.as_deref(), product_arn.as_str()), (Some("asff"), PROWLER));
    assert_eq!(resources.as_array().map(Vec::len), Some(2), "every resource: {resources}");
    assert_eq!(resources[0]["Tags"], json!({"env": "dev"}));
    assert_eq!(document, Some(asff(3, "FAILED", 1)), "the document as sent");
    assert_eq!(provider_updated_at.as_deref(), Some("2026-03-01T09:00:00Z"));
    assert!(s.finding_results(&k).unwrap().is_empty(), "no run produced it");
    assert!(s.finding_history(&k).unwrap().is_empty());
    let names = s.product_names(&[k.clone(), "rampart/own".into()]).unwrap();
    assert_eq!(names.into_iter().collect::<Vec<_>>(), [(k, "Prowler".to_string())]);

    // Calls of 0 or 101 findings are refused whole.
    assert!(matches!(s.import_findings(&[], now()), Err(StoreError::InvalidImport(_))));
    let mut too_many = batch_of_100();
    too_many.push(parse(vec![asff(200, "FAILED", 1)]).remove(0));
    assert!(matches!(s.import_findings(&too_many, now()), Err(StoreError::InvalidImport(_))));
    assert_eq!(count(&s, "{}"), 98);
}

fn reimport_updates_the_tool_s_fields_keeps_the_customer_s_and_skips_stale_ones(db: &Db) {
    let mut s = db.open();
    s.import_findings(&parse(vec![asff(1, "FAILED", 1), asff(2, "FAILED", 1), asff(3, "PASSED", 1)]), now()).unwrap();
    let (k1, k2, k3) = (key(&s, 1), key(&s, 2), key(&s, 3));
    // A person triages finding 1 and suppresses finding 2.
    let note = FindingUpdate::from_json(&json!({"Note": {"Text": "owner asked", "UpdatedBy": "alice"}, "Criticality": 80})).unwrap();
    s.batch_update_findings(&[k1.clone()], &note, &author("alice"), at(2)).unwrap();
    s.set_workflow_by(&k2, WorkflowStatus::Suppressed, "accepted", Some("bob")).unwrap();

    // The tool's next run: 1 passes now (resolved by the rules), 2 has a new title and
    // tags, 3 fails again (reopened); a stale copy of 1 changes nothing.
    let mut next = asff(2, "FAILED", 3);
    next["Title"] = json!("Bucket b2 is still public");
    next["Resources"][0]["Tags"] = json!({"env": "prod", "team": "web"});
    let r = s.import_findings(&parse(vec![asff(1, "PASSED", 3), next, asff(3, "FAILED", 3)]), now()).unwrap();
    assert_eq!((r.success_count, r.failed_count), (3, 0));
    assert_eq!(r.stored, [k1.clone(), k2.clone(), k3.clone()], "updated under their keys");
    let stale = s.import_findings(&parse(vec![asff(1, "FAILED", 2)]), now()).unwrap();
    assert_eq!((stale.success_count, stale.stored.len()), (1, 0), "a stale one succeeds and stores nothing");

    let one = s.finding_record(&k1).unwrap();
    assert_eq!(one.finding.workflow_status, WorkflowStatus::Resolved);
    assert_eq!(one.imported.as_ref().and_then(|o| o.compliance_status), Some(Status::Passed));
    assert_eq!(
        (one.criticality, one.note.as_ref().map(|n| n.text.as_str())),
        (Some(80), Some("owner asked")),
        "the customer's fields kept"
    );
    let two = s.finding_record(&k2).unwrap();
    assert_eq!((two.finding.title.as_ref(), two.finding.workflow_status), ("Bucket b2 is still public", WorkflowStatus::Suppressed));
    assert_eq!(two.resource_tags.len(), 2);
    assert_eq!(s.finding(&k3).unwrap().workflow_status, WorkflowStatus::New, "PASSED -> FAILED reopens");
    assert_eq!(s.imported_source(&k1).unwrap().unwrap().provider_updated_at.as_deref(), Some("2026-03-01T11:00:00Z"));

    let mut history: Vec<(String, Option<String>, Option<String>, Option<String>)> =
        s.finding_history(&k1).unwrap().into_iter().map(|c| (c.field, c.changed_by, c.from, c.to)).collect();
    history[..2].sort();
    assert_eq!(
        history,
        [
            ("Criticality".to_string(), Some("alice".to_string()), None, Some("80".to_string())),
            ("NoteText".to_string(), Some("alice".to_string()), None, Some("owner asked".to_string())),
            ("WorkflowStatus".to_string(), Some("rampart".to_string()), Some("NEW".to_string()), Some("RESOLVED".to_string())),
        ]
    );
    let wf = s.workflow_history(&k3).unwrap();
    assert_eq!(wf.len(), 1);
    assert_eq!((wf[0].from, wf[0].to, wf[0].changed_by.as_deref()), (WorkflowStatus::Resolved, WorkflowStatus::New, Some("rampart")));
    assert!(wf[0].note.contains("PASSED to FAILED"), "{}", wf[0].note);
}

fn calls_in_one_transaction_answer_as_one_after_the_other(db: &Db) {
    let mut s = db.open();
    let first = parse(vec![asff(1, "FAILED", 1), asff(2, "FAILED", 1)]);
    let second = parse(vec![asff(1, "PASSED", 2), asff(3, "FAILED", 2)]);
    let answers = s.import_calls(&[&first[..], &second[..]], now()).unwrap();
    assert_eq!(answers.iter().map(|a| a.success_count).collect::<Vec<_>>(), [2, 2]);
    assert_eq!(answers[1].stored[0], answers[0].stored[0], "the second call updates the first call's finding");
    assert_eq!(s.finding(&key(&s, 1)).unwrap().workflow_status, WorkflowStatus::Resolved);
    // A call refused refuses them all: nothing of the first is stored.
    let more = parse(vec![asff(4, "FAILED", 1)]);
    assert!(s.import_calls(&[&more[..], &[][..]], now()).is_err());
    assert_eq!(s.imported_key(PROWLER, "prowler-s3-4").unwrap(), None);
    assert_eq!(count(&s, "{}"), 3);
}

fn prowler_s_own_output_is_imported_and_scans_leave_it_alone(db: &Db) {
    let mut s = db.open();
    let prowler = prowler_run();
    let r = s.import_findings(&prowler, now()).unwrap();
    assert_eq!((r.success_count, r.failed_count), (prowler.len(), 0));
    assert_eq!(count(&s, r#"{"ComplianceStatus": [{"Value": "FAILED", "Comparison": "EQUALS"}]}"#), 2);
    // A scan of the same account and region archives what it could have produced and did
    // not: never an imported finding.
    let account = prowler[0].aws_account_id.clone();
    let mut own = vec![finding("S3.1", "a", &account, Status::Failed, 60)];
    s.record_run(&run("r1", 60, &[account.as_str()], &[USE1]), &mut own, &[]).unwrap();
    let mut later = vec![finding("S3.1", "b", &account, Status::Failed, 61)];
    s.record_run(&run("r2", 61, &[account.as_str()], &[USE1]), &mut later, &[]).unwrap();
    assert_eq!(count(&s, r#"{"RecordState": [{"Value": "ARCHIVED", "Comparison": "EQUALS"}]}"#), 1, "rampart's own `a` only");
    assert_eq!(s.findings(&FindingFilter { product: Some(PROWLER.into()), ..Default::default() }).unwrap().len(), prowler.len());
    assert_eq!(s.findings(&FindingFilter { product: Some("rampart".into()), ..Default::default() }).unwrap().len(), 2);
    let src = s.imported_source(&r.stored[0]).unwrap().unwrap();
    assert_eq!(src.document.as_ref().and_then(|d| d["Id"].as_str()), Some(prowler[0].id.as_str()));
    assert_eq!(s.imported_source(&own[0].id).unwrap(), None, "rampart's own finding has no source");
    assert!(matches!(s.imported_source("nope"), Err(StoreError::UnknownFinding(_))));
}

/// `finding`, `finding_results`, `finding_history`, `set_workflow` and `count_matching`:
/// one finding's state, what each run said of it and every change to it.
fn one_finding_its_run_results_and_every_change(db: &Db) {
    let mut s = db.open();
    let mut r0 = vec![finding("S3.1", "a", A, Status::Failed, 0), finding("S3.2", "b", A, Status::Failed, 0)];
    s.record_run(&run("r0", 0, &[A], &[USE1]), &mut r0, &[]).unwrap();
    let mut r1 = vec![finding("S3.1", "a", A, Status::Passed, 1), finding("S3.2", "b", A, Status::Failed, 1)];
    s.record_run(&run("r1", 1, &[A], &[USE1]), &mut r1, &[]).unwrap();
    let id = r0[0].id.clone();

    assert_eq!(s.finding(&id).unwrap(), get(&s, &id));
    assert_eq!(s.finding(&id).unwrap().workflow_status, WorkflowStatus::Resolved);
    assert!(matches!(s.finding("nope"), Err(StoreError::UnknownFinding(_))));
    let results = s.finding_results(&id).unwrap();
    assert_eq!(
        results.iter().map(|r| (r.run_id.as_str(), r.status, r.workflow_status, r.observed_at)).collect::<Vec<_>>(),
        [("r0", Status::Failed, WorkflowStatus::New, at(0)), ("r1", Status::Passed, WorkflowStatus::Resolved, at(1))],
        "oldest first"
    );
    assert!(s.finding_results("nope").unwrap().is_empty());

    s.set_workflow(&id, WorkflowStatus::Notified, "paged the owner").unwrap();
    let update = FindingUpdate::from_json(&json!({"Workflow": {"Status": "SUPPRESSED"}, "VerificationState": "BENIGN_POSITIVE"})).unwrap();
    s.batch_update_findings(&[id.clone()], &update, &author("carol"), at(3)).unwrap();
    let history = s.finding_history(&id).unwrap();
    let rows: Vec<(&str, Option<&str>, Option<&str>, Option<&str>, Option<&str>)> = history
        .iter()
        .map(|c| (c.field.as_str(), c.changed_by.as_deref(), c.from.as_deref(), c.to.as_deref(), c.run_id.as_deref()))
        .collect();
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert_eq!(rows[0], ("WorkflowStatus", None, Some("NEW"), Some("RESOLVED"), Some("r1")), "the run's change");
    // The batch update (at hour 3): its workflow change is one row (finding_history's), not two.
    let mut batch: Vec<_> = rows[1..3].to_vec();
    batch.sort();
    assert_eq!(
        batch,
        [
            ("VerificationState", Some("carol"), Some("UNKNOWN"), Some("BENIGN_POSITIVE"), None),
            ("WorkflowStatus", Some("carol"), Some("NOTIFIED"), Some("SUPPRESSED"), None)
        ]
    );
    // set_workflow's change, stamped with the clock (after hour 3), without an author.
    assert_eq!(rows[3], ("WorkflowStatus", None, Some("RESOLVED"), Some("NOTIFIED"), None));
    assert_eq!(history[3].reason, "paged the owner");
    assert!(matches!(s.finding_history("nope"), Err(StoreError::UnknownFinding(_))));
    assert!(matches!(s.set_workflow("nope", WorkflowStatus::New, ""), Err(StoreError::UnknownFinding(_))));

    let filters = |json: &str| FindingFilters::from_json_str(json).unwrap();
    assert_eq!(s.count_matching(&filters("{}"), at(5)).unwrap(), 2);
    assert_eq!(s.count_matching(&filters(r#"{"WorkflowStatus": [{"Value": "SUPPRESSED", "Comparison": "EQUALS"}]}"#), at(5)).unwrap(), 1);
    assert_eq!(s.count_matching(&filters(r#"{"Title": [{"Value": "S3.2", "Comparison": "CONTAINS"}]}"#), at(5)).unwrap(), 1);
    assert_eq!(
        s.count_matching(&filters(r#"{"Description": [{"Value": "nothing like it", "Comparison": "CONTAINS"}]}"#), at(5)).unwrap(),
        0
    );
}

/// Two findings of one call naming the same resource: its tags are the later one's; a
/// resource sent without tags then has none.
fn a_resource_s_tags_are_the_last_sent_even_within_one_call(db: &Db) {
    let mut s = db.open();
    let mut first = asff(1, "FAILED", 1);
    first["Resources"][0]["Tags"] = json!({"env": "prod", "team": "a"});
    let mut second = asff(2, "FAILED", 1);
    second["Resources"][0] = first["Resources"][0].clone();
    second["Resources"][0]["Tags"] = json!({"env": "test"});
    let mut third = asff(3, "FAILED", 1);
    third["Resources"][0] = first["Resources"][0].clone();
    third["Resources"][0]["Tags"] = json!({"team": "a"});
    s.import_findings(&parse(vec![first.clone(), second, third.clone()]), now()).unwrap();
    let tags = |s: &Backend| s.finding_record(&key(s, 1)).unwrap().resource_tags.into_iter().collect::<Vec<_>>();
    assert_eq!(tags(&s), [("team".to_string(), "a".to_string())], "the last sent, whole");
    third["Resources"][0].as_object_mut().unwrap().remove("Tags");
    third["UpdatedAt"] = json!("2026-03-01T12:00:00Z");
    let mut again = asff(2, "FAILED", 4);
    again["Resources"][0] = first["Resources"][0].clone();
    again["Resources"][0]["Tags"] = json!({"env": "test"});
    s.import_findings(&parse(vec![again, third]), now()).unwrap();
    assert!(tags(&s).is_empty(), "{:?}", tags(&s));
    assert_eq!(count(&s, r#"{"ResourceTags": [{"Key": "env", "Value": "test", "Comparison": "EQUALS"}]}"#), 0);
}

/// Two connections importing at once, calls holding the same new findings and new ones of
/// their own: every call succeeds, each (ProductArn, Id) is one finding under one key.
fn concurrent_imports_store_each_finding_once(db: &Db) {
    drop(db.open());
    let start = std::sync::Barrier::new(2);
    let results: Vec<Vec<ImportResult>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2usize)
            .map(|w| {
                let start = &start;
                scope.spawn(move || {
                    let mut s = worker_connection(db);
                    start.wait();
                    (0..6usize)
                        .map(|i| {
                            // Findings 100*i .. 100*i+49 in both; 50 more of each connection's own.
                            let shared = (0..50).map(|n| 100 * i + n);
                            let own = (0..50).map(|n| 1_000 * (w + 1) + 100 * i + n);
                            let calls = parse(shared.chain(own).map(|n| asff(n, "FAILED", 1)).collect());
                            s.import_findings(&calls, now()).unwrap_or_else(|e| panic!("connection {w}, call {i}: {e}"))
                        })
                        .collect()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(results.iter().flatten().all(|r| (r.success_count, r.failed_count) == (100, 0)));
    let s = db.open();
    assert_eq!(count(&s, "{}"), 6 * 50 + 2 * 6 * 50);
    let mut keys: Vec<&String> = results.iter().flatten().flat_map(|r| &r.stored).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 6 * 50 + 2 * 6 * 50, "one key per finding");
}

conformance!(
    concurrent_imports_store_each_finding_once,
    a_resource_s_tags_are_the_last_sent_even_within_one_call,
    imports_a_batch_answering_each_failure_and_storing_the_rest,
    reimport_updates_the_tool_s_fields_keeps_the_customer_s_and_skips_stale_ones,
    calls_in_one_transaction_answer_as_one_after_the_other,
    prowler_s_own_output_is_imported_and_scans_leave_it_alone,
    one_finding_its_run_results_and_every_change,
);

/// The same ASFF calls imported into each backend give the same answers, key for key.
#[test]
fn the_same_asff_calls_give_the_same_answers_on_both() {
    let (lite, pg) = (sqlite(), postgres());
    let (mut a, mut b) = (lite.open(), pg.open());
    let mut second = parse((90..140).map(|n| asff(n, "PASSED", 4)).collect());
    second.extend(prowler_run());
    let calls: Vec<Vec<ImportedFinding>> = vec![batch_of_100(), second, parse((0..30).map(|n| asff(n, "FAILED", 0)).collect())];
    for call in &calls {
        assert_eq!(a.import_findings(call, now()).unwrap(), b.import_findings(call, now()).unwrap());
    }
    assert_eq!(all(&a), all(&b));
    for q in [
        r#"{"MaxResults": 13}"#,
        r#"{"Filters": {"ComplianceStatus": [{"Value": "PASSED", "Comparison": "EQUALS"}]}, "MaxResults": 9}"#,
        r#"{"Filters": {"ResourceTags": [{"Key": "env", "Value": "dev", "Comparison": "EQUALS"}]}, "SortCriteria": [{"Field": "Title", "SortOrder": "asc"}], "MaxResults": 20}"#,
    ] {
        assert_eq!(query(&a, q), query(&b, q), "{q}");
    }
    let keys = query(&a, r#"{"MaxResults": 100}"#);
    // 98; 41 new of 90 to 139 (90 to 98 updated) and Prowler's 4; then 7, valid this time (0 to 29 are stale).
    assert_eq!(keys.len(), 98 + 41 + 4 + 1);
    for k in &keys {
        assert_eq!(a.finding_record(k).unwrap(), b.finding_record(k).unwrap());
        assert_eq!(a.imported_source(k).unwrap(), b.imported_source(k).unwrap());
        assert_eq!(a.finding_history(k).unwrap(), b.finding_history(k).unwrap());
    }
    assert_eq!(a.product_names(&keys).unwrap(), b.product_names(&keys).unwrap());
}
