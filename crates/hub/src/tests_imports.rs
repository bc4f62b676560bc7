//! Findings imported from other tools: AWS's answer shape and limits, identity by
//! (ProductArn, Id), what an update may change, and the same filters as rampart's own.

use crate::imports::{next_workflow, Known};
use crate::{
    ChangeAuthor, FindingFilter, FindingFilters, FindingQuery, FindingUpdate, ImportedFinding, ImportedResource, Store, StoreError,
    StringComparison, MAX_IMPORT_FINDINGS,
};
use rampart_import_findings::Format as ImportFormat;
use rampart_model::{RecordState, RunInfo, Severity, Status, Timestamp, WorkflowStatus};
use time::macros::datetime;

const PROWLER: &str = "arn:aws:securityhub:us-east-1::product/prowler/prowler";

fn now() -> Timestamp {
    datetime!(2026-06-01 10:00:00 UTC)
}

fn resource(id: String, tags: &[(&str, &str)]) -> ImportedResource {
    ImportedResource {
        kind: "AwsS3Bucket".into(),
        id,
        partition: "aws".into(),
        region: "us-east-1".into(),
        name: String::new(),
        tags: tags.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        details: None,
    }
}

fn imported(n: usize) -> ImportedFinding {
    ImportedFinding {
        format: ImportFormat::Asff,
        product_arn: PROWLER.into(),
        id: format!("prowler-s3-{n}"),
        generator_id: "s3_bucket_public_access".into(),
        product_name: "Prowler".into(),
        company_name: "Prowler".into(),
        aws_account_id: "111111111111".into(),
        region: "us-east-1".into(),
        types: Vec::new(),
        title: format!("Bucket b{n} is public"),
        description: "S3 bucket allows public access".into(),
        severity: Severity::High,
        severity_normalized: 70,
        severity_original: None,
        compliance_status: Some(Status::Failed),
        related_requirements: vec!["AWS Foundational Security Best Practices/S3.8".into()],
        resources: vec![resource(format!("arn:aws:s3:::b{n}"), &[("env", "prod")])],
        remediation_text: Some("Block public access".into()),
        remediation_url: Some("https://docs.aws.amazon.com/".into()),
        created_at: now(),
        updated_at: now(),
        first_observed_at: None,
        last_observed_at: None,
        record_state: None,
        workflow_status: None,
        confidence: None,
        criticality: None,
        vulnerabilities: Vec::new(),
        product_fields: Default::default(),
        user_defined_fields: Default::default(),
        source_url: None,
        document: serde_json::json!({"Id": format!("prowler-s3-{n}"), "ProductFields": {"anything": "the model has no field for"}}),
    }
}

fn count(store: &Store, filters: &str) -> u64 {
    store.count_matching(&FindingFilters::from_json_str(filters).unwrap(), now()).unwrap()
}

#[test]
fn three_bad_findings_of_a_hundred_fail_and_ninety_seven_are_stored() {
    let mut store = Store::open_in_memory().unwrap();
    let mut batch: Vec<ImportedFinding> = (0..100).map(imported).collect();
    batch[3].title = String::new();
    batch[50].product_arn = " ".into();
    batch[99].id = "x".repeat(513);
    let r = store.import_findings(&batch, now()).unwrap();
    assert_eq!((r.success_count, r.failed_count), (97, 3));
    let failed: Vec<(&str, &str)> = r.failed_findings.iter().map(|f| (f.error_code.as_str(), f.error_message.as_str())).collect();
    assert_eq!(
        failed,
        [
            ("InvalidInput", "Title is missing"),
            ("InvalidInput", "ProductArn is missing"),
            ("InvalidInput", "Id is 513 characters long, at most 512 are allowed")
        ]
    );
    assert_eq!(r.failed_findings[0].id, "prowler-s3-3");
    assert_eq!(count(&store, "{}"), 97);

    let e = store.import_findings(&(0..=MAX_IMPORT_FINDINGS).map(imported).collect::<Vec<_>>(), now()).unwrap_err();
    assert_eq!(e.to_string(), "invalid import: send 1 to 100 findings per import, not 101");
    assert!(matches!(store.import_findings(&[], now()), Err(StoreError::InvalidImport(_))));
}

#[test]
fn imported_findings_answer_the_same_filters_by_their_own_names() {
    let mut store = Store::open_in_memory().unwrap();
    let mut no_compliance = imported(2);
    no_compliance.product_arn = "arn:aws:securityhub:us-east-1::product/aws/guardduty".into();
    no_compliance.product_name = "GuardDuty".into();
    no_compliance.company_name = "Amazon".into();
    no_compliance.compliance_status = None;
    store.import_findings(&[imported(1), no_compliance], now()).unwrap();
    assert_eq!(count(&store, r#"{"ProductName": [{"Value": "Prowler", "Comparison": "EQUALS"}]}"#), 1);
    assert_eq!(count(&store, &format!(r#"{{"ProductArn": [{{"Value": "{PROWLER}", "Comparison": "EQUALS"}}]}}"#)), 1);
    assert_eq!(count(&store, r#"{"CompanyName": [{"Value": "Amazon", "Comparison": "EQUALS"}]}"#), 1);
    assert_eq!(count(&store, r#"{"Id": [{"Value": "prowler-s3-1", "Comparison": "EQUALS"}]}"#), 1);
    assert_eq!(count(&store, r#"{"GeneratorId": [{"Value": "s3_bucket_public_access", "Comparison": "EQUALS"}]}"#), 2);
    assert_eq!(count(&store, r#"{"ResourceTags": [{"Key": "env", "Value": "prod", "Comparison": "EQUALS"}]}"#), 2);
    assert_eq!(count(&store, r#"{"ComplianceSecurityControlId": [{"Value": "S3.8", "Comparison": "EQUALS"}]}"#), 2);
    // No compliance status: matches no positive comparison, every negative one.
    assert_eq!(count(&store, r#"{"ComplianceStatus": [{"Value": "FAILED", "Comparison": "EQUALS"}]}"#), 1);
    assert_eq!(count(&store, r#"{"ComplianceStatus": [{"Value": "NOT_AVAILABLE", "Comparison": "EQUALS"}]}"#), 0);
    assert_eq!(count(&store, r#"{"ComplianceStatus": [{"Value": "FAILED", "Comparison": "NOT_EQUALS"}]}"#), 1);

    let q = FindingQuery::new(FindingFilters::default().with_string("ProductName", StringComparison::Equals, "GuardDuty").unwrap());
    let page = store.get_findings(&q, now()).unwrap();
    let origin = page.findings[0].imported.as_ref().expect("an imported finding");
    assert_eq!((origin.id.as_str(), origin.product_name.as_str(), origin.compliance_status), ("prowler-s3-2", "GuardDuty", None));
    assert!(page.findings[0].finding.id.starts_with("import/"));
    assert_eq!(page.findings[0].finding.check_id.as_ref(), "s3_bucket_public_access");
}

#[test]
fn importing_again_updates_the_tool_s_fields_and_keeps_the_customer_s() {
    let mut store = Store::open_in_memory().unwrap();
    let mut first = imported(1);
    first.workflow_status = Some(WorkflowStatus::Notified);
    store.import_findings(&[first], now()).unwrap();
    let key = |store: &Store| {
        let q = FindingQuery::new(FindingFilters::default().with_string("Id", StringComparison::Equals, "prowler-s3-1").unwrap());
        store.get_findings(&q, now()).unwrap().findings.remove(0)
    };
    let k = key(&store).finding.id;
    assert_eq!(key(&store).finding.workflow_status, WorkflowStatus::Notified, "the tool's workflow, on creation");
    let update =
        FindingUpdate { workflow_status: Some(WorkflowStatus::Suppressed), severity_label: Some(Severity::Low), ..Default::default() };
    store.batch_update_findings(&[k.clone()], &update, &ChangeAuthor { who: "alice".into(), reason: "known".into() }, now()).unwrap();

    let mut again = imported(1);
    again.title = "Bucket b1 is still public".into();
    again.severity = Severity::Critical;
    again.workflow_status = Some(WorkflowStatus::New);
    again.updated_at = now() + time::Duration::hours(1);
    let r = store.import_findings(&[again.clone(), again.clone()], now()).unwrap();
    assert_eq!((r.success_count, r.failed_count), (1, 1));
    assert_eq!(r.failed_findings[0].error_code, "DuplicatedFindingIdentifier");
    let rec = key(&store);
    assert_eq!(rec.finding.id, k, "same (ProductArn, Id), same finding");
    assert_eq!(rec.finding.title.as_ref(), "Bucket b1 is still public");
    assert_eq!(rec.finding.workflow_status, WorkflowStatus::Suppressed, "the customer's workflow is kept");
    assert_eq!((rec.finding.severity, rec.check_severity), (Severity::Low, Severity::Critical), "the person's severity over the tool's");
    assert_eq!(store.count_matching(&FindingFilters::default(), now()).unwrap(), 1);

    // An older update changes nothing.
    let mut old = imported(1);
    old.title = "stale".into();
    assert_eq!(store.import_findings(&[old], now()).unwrap().success_count, 1);
    assert_eq!(key(&store).finding.title.as_ref(), "Bucket b1 is still public");
}

#[test]
fn rampart_s_own_views_and_scans_leave_imported_findings_alone() {
    let mut store = Store::open_in_memory().unwrap();
    let mut same_generator = imported(1);
    same_generator.generator_id = "c".into();
    store.import_findings(&[same_generator], now()).unwrap();
    // A scan evaluating check `c` in the same account and region, not producing it.
    let run = RunInfo {
        id: "r1".into(),
        started_at: now(),
        finished_at: now(),
        source: "test".into(),
        accounts: vec!["111111111111".into()],
        regions: vec!["us-east-1".into()],
        tool_version: "0".into(),
        checks: vec!["c".into()],
        incomplete: Vec::new(),
    };
    let mut own = vec![crate::tests::finding("c", "mine", "111111111111", "us-east-1", Status::Failed, 0)];
    store.record_run(&run, &mut own, &[]).unwrap();
    let q = FindingQuery::new(FindingFilters::default().with_string("ProductName", StringComparison::Equals, "Prowler").unwrap());
    assert_eq!(store.get_findings(&q, now()).unwrap().findings[0].finding.record_state, RecordState::Active, "not archived by the scan");
    // A later scan that no longer produces its own finding archives that one only.
    let mut later = run.clone();
    later.id = "r2".into();
    store.record_run(&later, &mut [], &[]).unwrap();
    let listed = store.findings(&FindingFilter::default()).unwrap();
    assert_eq!(listed.len(), 2, "rampart's own views list imported findings too");
    let state = |id: &str| listed.iter().find(|f| f.id == id).unwrap().record_state;
    assert_eq!(state(&own[0].id), RecordState::Archived, "the scan archived its own vanished finding");
    let key = store.imported_key(PROWLER, "prowler-s3-1").unwrap().expect("stored");
    assert_eq!(state(&key), RecordState::Active, "and never an imported one");
    assert_eq!(listed.iter().find(|f| f.id == key).unwrap().status, Status::Failed, "an imported finding's status is its compliance");
    let only = |p: &str| store.findings(&FindingFilter { product: Some(p.into()), ..Default::default() }).unwrap();
    assert_eq!(only("prowler").iter().map(|f| f.id.as_str()).collect::<Vec<_>>(), [key.as_str()]);
    assert_eq!(only(PROWLER).len(), 1);
    assert_eq!(only("rampart").iter().map(|f| f.id.as_str()).collect::<Vec<_>>(), [own[0].id.as_str()]);
    assert_eq!(only("GuardDuty").len(), 0);
    assert_eq!(store.count_findings(&FindingFilter { product: Some("Prowler".into()), ..Default::default() }).unwrap(), 1);
}

#[test]
fn every_resource_and_the_document_as_sent_are_kept() {
    let mut store = Store::open_in_memory().unwrap();
    let mut f = imported(1);
    let mut role = resource("arn:aws:iam::111111111111:role/r".into(), &[("team", "sec")]);
    role.kind = "AwsIamRole".into();
    role.details = Some(serde_json::json!({"AwsIamRole": {"RoleName": "r"}}));
    f.resources.push(role);
    store.import_findings(&[f.clone()], now()).unwrap();
    let key = store.imported_key(PROWLER, "prowler-s3-1").unwrap().expect("stored");
    let source = store.imported_source(&key).unwrap().expect("an imported finding");
    assert_eq!((source.format.as_deref(), source.id.as_str(), source.product_name.as_str()), (Some("asff"), "prowler-s3-1", "Prowler"));
    assert_eq!(
        source.resources,
        serde_json::json!([
            {"Type": "AwsS3Bucket", "Id": "arn:aws:s3:::b1", "Partition": "aws", "Region": "us-east-1", "Tags": {"env": "prod"}},
            {"Type": "AwsIamRole", "Id": "arn:aws:iam::111111111111:role/r", "Partition": "aws", "Region": "us-east-1",
             "Tags": {"team": "sec"}, "Details": {"AwsIamRole": {"RoleName": "r"}}}
        ])
    );
    assert_eq!(source.document.as_ref(), Some(&f.document), "the document, decompressed, as sent");
    // The second resource's tags answer ResourceTags filters' table too.
    let raw: i64 = store.lite().unwrap().query_row("SELECT count(*) FROM resource_tags WHERE key = 'team'", [], |r| r.get(0)).unwrap();
    assert_eq!(raw, 1);
    // Stored compressed: the blob is not the JSON text.
    let blob: Vec<u8> = store.lite().unwrap().query_row("SELECT document FROM imported_findings", [], |r| r.get(0)).unwrap();
    assert!(serde_json::from_slice::<serde_json::Value>(&blob).is_err());
    // Rampart's own findings have no imported source.
    let run = RunInfo {
        id: "r1".into(),
        started_at: now(),
        finished_at: now(),
        source: "test".into(),
        accounts: vec!["111111111111".into()],
        regions: vec!["us-east-1".into()],
        tool_version: "0".into(),
        checks: vec!["c".into()],
        incomplete: Vec::new(),
    };
    let mut own = vec![crate::tests::finding("c", "mine", "111111111111", "us-east-1", Status::Failed, 0)];
    store.record_run(&run, &mut own, &[]).unwrap();
    assert_eq!(store.imported_source(&own[0].id).unwrap(), None);
    assert!(matches!(store.imported_source("import/nope"), Err(StoreError::UnknownFinding(_))));
}

#[test]
fn security_hub_s_workflow_rules_in_order() {
    use RecordState::*;
    use Status::*;
    use WorkflowStatus::*;
    let k = |workflow, record_state, compliance| Some(Known { workflow, record_state, compliance });
    // New findings: the provider's workflow, else RESOLVED when passed, else NEW.
    assert_eq!(next_workflow(None, Some(Notified), Some(Passed), Active).0, Notified);
    assert_eq!(next_workflow(None, None, Some(Passed), Active).0, Resolved);
    assert_eq!(next_workflow(None, None, Some(Failed), Active).0, New);
    assert_eq!(next_workflow(None, None, None, Active).0, New);
    // PASSED resolves NEW and NOTIFIED.
    for w in [New, Notified] {
        let (to, why) = next_workflow(k(w, Active, Some(Failed)), None, Some(Passed), Active);
        assert_eq!((to, why.as_deref()), (Resolved, Some("Compliance.Status changed from FAILED to PASSED: resolved")));
    }
    assert_eq!(next_workflow(k(New, Active, None), None, Some(Passed), Active).0, Resolved);
    // Failing again reopens RESOLVED and NOTIFIED, NOT_AVAILABLE too (Security Hub's list).
    for now in [Failed, Warning, NotAvailable] {
        for w in [Resolved, Notified] {
            assert_eq!(next_workflow(k(w, Active, Some(Passed)), None, Some(now), Active).0, New, "{w:?} then {now:?}");
        }
    }
    // Back from ARCHIVED reopens; archiving changes nothing.
    let (to, why) = next_workflow(k(Resolved, Archived, Some(Failed)), None, Some(Failed), Active);
    assert_eq!((to, why.as_deref()), (New, Some("RecordState changed from ARCHIVED to ACTIVE: reopened")));
    assert_eq!(next_workflow(k(Resolved, Active, Some(Failed)), None, Some(Failed), Archived), (Resolved, None));
    assert_eq!(next_workflow(k(Notified, Active, Some(Failed)), None, Some(Failed), Archived), (Notified, None));
    // SUPPRESSED is never changed; same status, same workflow; the provider's workflow
    // counts on creation only.
    assert_eq!(next_workflow(k(Suppressed, Archived, Some(Passed)), None, Some(Failed), Active), (Suppressed, None));
    assert_eq!(next_workflow(k(Suppressed, Active, Some(Failed)), None, Some(Passed), Active), (Suppressed, None));
    assert_eq!(next_workflow(k(Resolved, Active, Some(Failed)), Some(New), Some(Failed), Active), (Resolved, None));
    assert_eq!(next_workflow(k(New, Active, Some(Passed)), None, None, Active), (New, None));
}

#[test]
fn reimports_apply_the_workflow_rules_with_history_even_after_a_person_s_change() {
    let mut store = Store::open_in_memory().unwrap();
    let mut f = imported(1);
    store.import_findings(&[f.clone()], now()).unwrap();
    let key = store.imported_key(PROWLER, "prowler-s3-1").unwrap().expect("stored");
    // A person notifies the owner (later than the provider's UpdatedAt).
    let update = FindingUpdate { workflow_status: Some(WorkflowStatus::Notified), ..Default::default() };
    let later = now() + time::Duration::hours(2);
    store.batch_update_findings(&[key.clone()], &update, &ChangeAuthor { who: "alice".into(), reason: "told".into() }, later).unwrap();
    // The tool's next run, one hour after its first (before the person's change): fixed.
    f.updated_at = now() + time::Duration::hours(1);
    f.compliance_status = Some(Status::Passed);
    let r = store.import_findings(&[f.clone()], now()).unwrap();
    assert_eq!(r.stored, [key.clone()], "a person's change does not make the provider's update stale");
    let rec = store.finding_record(&key).unwrap();
    assert_eq!((rec.finding.workflow_status, rec.finding.status), (WorkflowStatus::Resolved, Status::Passed));
    // And failing again reopens.
    f.updated_at = now() + time::Duration::hours(3);
    f.compliance_status = Some(Status::Failed);
    store.import_findings(&[f.clone()], now()).unwrap();
    assert_eq!(store.finding_record(&key).unwrap().finding.workflow_status, WorkflowStatus::New);
    let history: Vec<(WorkflowStatus, WorkflowStatus, String, Option<String>)> =
        store.workflow_history(&key).unwrap().into_iter().map(|c| (c.from, c.to, c.note, c.changed_by)).collect();
    assert_eq!(
        history,
        [
            (WorkflowStatus::New, WorkflowStatus::Notified, "told".to_string(), Some("alice".to_string())),
            (
                WorkflowStatus::Notified,
                WorkflowStatus::Resolved,
                "Compliance.Status changed from FAILED to PASSED: resolved".into(),
                Some("rampart".into())
            ),
            (
                WorkflowStatus::Resolved,
                WorkflowStatus::New,
                "Compliance.Status changed from PASSED to FAILED: reopened".into(),
                Some("rampart".into())
            ),
        ]
    );
    // A stale import (older than the provider's last) changes nothing and is not listed.
    f.updated_at = now();
    f.compliance_status = Some(Status::Passed);
    let r = store.import_findings(&[f], now()).unwrap();
    assert_eq!((r.success_count, r.stored.len()), (1, 0));
    assert_eq!(store.finding_record(&key).unwrap().finding.workflow_status, WorkflowStatus::New);
}

#[test]
fn new_findings_get_ascending_keys_and_findings_keyed_by_a_hash_before_keep_theirs() {
    let mut store = Store::open_in_memory().unwrap();
    store.import_findings(&[imported(1), imported(2)], now()).unwrap();
    // Finding 1 as a store written before keys were handed out holds it: keyed by a hash.
    let old = "import/0123456789abcdef0123";
    let k1 = store.imported_key(PROWLER, "prowler-s3-1").unwrap().unwrap();
    store.lite().unwrap().pragma_update(None, "foreign_keys", false).unwrap();
    for table in ["findings SET id", "imported_findings SET finding_id"] {
        let sql = format!("UPDATE {table} = ?1 WHERE {} = ?2", if table.starts_with("findings") { "id" } else { "finding_id" });
        store.lite().unwrap().execute(&sql, [old, k1.as_str()]).unwrap();
    }
    store.lite().unwrap().pragma_update(None, "foreign_keys", true).unwrap();
    let k2 = store.imported_key(PROWLER, "prowler-s3-2").unwrap().unwrap();
    assert!(k2.starts_with("import/n") && k2.len() == "import/n".len() + 16, "{k2}");

    // A tool's next run: 1 and 2 again (updates, under their keys), 3 and 4 new.
    let later = now() + time::Duration::hours(1);
    let mut again: Vec<ImportedFinding> = (1..=4).map(imported).collect();
    for f in &mut again {
        f.updated_at = later;
        f.title = format!("{} (again)", f.title);
    }
    let r = store.import_findings(&again, later).unwrap();
    assert_eq!((r.success_count, r.failed_count), (4, 0));
    assert_eq!(count(&store, "{}"), 4, "deduplicated by (ProductArn, Id): two updated, two added");
    assert_eq!(store.imported_key(PROWLER, "prowler-s3-1").unwrap().as_deref(), Some(old), "the old key kept");
    assert_eq!(store.imported_key(PROWLER, "prowler-s3-2").unwrap(), Some(k2.clone()));
    assert_eq!(store.finding(old).unwrap().title.as_ref(), "Bucket b1 is public (again)");
    assert_eq!(store.imported_source(old).unwrap().unwrap().id, "prowler-s3-1");
    let k3 = store.imported_key(PROWLER, "prowler-s3-3").unwrap().unwrap();
    let k4 = store.imported_key(PROWLER, "prowler-s3-4").unwrap().unwrap();
    assert!(k2 < k3 && k3 < k4, "each new finding's key is greater than the last: {k2} {k3} {k4}");
    assert_eq!(r.stored, [old.to_string(), k2, k3, k4], "the keys answered are the stored ones, in the call's order");

    // The same Id from another product is another finding; a key is never handed out twice,
    // not even after the greatest one is deleted.
    let mut other = imported(4);
    other.product_arn = "arn:aws:securityhub:us-east-1:111111111111:product/111111111111/default".into();
    store.import_findings(&[other], now()).unwrap();
    assert_eq!(count(&store, "{}"), 5);
    let k5 =
        store.imported_key("arn:aws:securityhub:us-east-1:111111111111:product/111111111111/default", "prowler-s3-4").unwrap().unwrap();
    store.lite().unwrap().execute("DELETE FROM findings WHERE id = ?1", [k5.as_str()]).unwrap();
    store.import_findings(&[imported(5)], later + time::Duration::seconds(1)).unwrap();
    assert!(store.imported_key(PROWLER, "prowler-s3-5").unwrap().unwrap() > k5);

    // The look-up reads the unique index on (ProductArn, Id), not every finding.
    let plan: Vec<String> = store
        .lite().unwrap()
        .prepare(&format!("EXPLAIN QUERY PLAN {}", crate::imports::lookup_sql(crate::dialect::Dialect::Sqlite)))
        .unwrap()
        .query_map(["[]"], |r| r.get::<_, String>(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(plan.iter().any(|p| p.contains("findings_imported")), "{plan:?}");
    assert!(!plan.iter().any(|p| p.starts_with("SCAN f")), "{plan:?}");
}

#[test]
fn a_resource_s_tags_are_what_the_last_import_sent() {
    let mut store = Store::open_in_memory().unwrap();
    let tags = |store: &Store| -> Vec<(String, String)> {
        let mut stmt =
            store.lite().unwrap().prepare("SELECT key, value FROM resource_tags WHERE resource_id = 'arn:aws:s3:::b1' ORDER BY key").unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap()
    };
    let mut f = imported(1);
    f.resources[0] = resource("arn:aws:s3:::b1".into(), &[("env", "prod"), ("team", "a")]);
    store.import_findings(&[f.clone()], now()).unwrap();
    let pair = |k: &str, v: &str| (k.to_string(), v.to_string());
    assert_eq!(tags(&store), [pair("env", "prod"), pair("team", "a")]);
    // The same tags again (the common case: left as they are), then changed ones, then none.
    for (sent, want) in [
        (vec![("env", "prod"), ("team", "a")], vec![pair("env", "prod"), pair("team", "a")]),
        (vec![("env", "dev"), ("owner", "b")], vec![pair("env", "dev"), pair("owner", "b")]),
        (vec![("env", "dev")], vec![pair("env", "dev")]),
        (vec![], vec![]),
    ] {
        f.updated_at += time::Duration::minutes(1);
        f.resources[0] = resource("arn:aws:s3:::b1".into(), &sent);
        store.import_findings(&[f.clone()], now()).unwrap();
        assert_eq!(tags(&store), want, "after sending {sent:?}");
        assert_eq!(
            count(&store, r#"{"ResourceTags": [{"Key": "env", "Value": "dev", "Comparison": "EQUALS"}]}"#),
            u64::from(want.contains(&pair("env", "dev")))
        );
    }
}

#[test]
fn an_update_sets_only_what_changed_and_an_unchanged_finding_is_not_written() {
    let mut store = Store::open_in_memory().unwrap();
    let f = imported(1);
    store.import_findings(&[f.clone()], now()).unwrap();
    // SQLite rewrites every index entry whose column an UPDATE sets, changed or not:
    // these triggers log which columns each UPDATE named.
    store
        .lite().unwrap()
        .execute_batch(
            "CREATE TEMP TABLE written (what TEXT);
             CREATE TEMP TRIGGER any_update AFTER UPDATE ON findings BEGIN INSERT INTO written VALUES ('row'); END;
             CREATE TEMP TRIGGER title_update AFTER UPDATE OF title ON findings BEGIN INSERT INTO written VALUES ('title'); END;
             CREATE TEMP TRIGGER resource_update AFTER UPDATE OF resource_id ON findings BEGIN INSERT INTO written VALUES ('resource'); END;
             CREATE TEMP TRIGGER source_update AFTER UPDATE ON imported_findings BEGIN INSERT INTO written VALUES ('source'); END;",
        )
        .unwrap();
    let written = |store: &Store| -> Vec<String> {
        let mut stmt = store.lite().unwrap().prepare("SELECT what FROM written ORDER BY rowid").unwrap();
        let got = stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap();
        store.lite().unwrap().execute("DELETE FROM written", []).unwrap();
        got
    };

    // The same finding again: a success, listed as stored, nothing written.
    let r = store.import_findings(&[f.clone()], now()).unwrap();
    assert_eq!((r.success_count, r.stored.len()), (1, 1));
    assert_eq!(written(&store), Vec::<String>::new());

    // A later UpdatedAt: the row and the source change, but not the title or resource columns.
    let mut later = f.clone();
    later.updated_at = now() + time::Duration::hours(1);
    store.import_findings(&[later.clone()], now()).unwrap();
    assert_eq!(written(&store), ["row", "source"]);
    let key = store.imported_key(PROWLER, "prowler-s3-1").unwrap().unwrap();
    let (updated, title): (String, String) =
        store.lite().unwrap().query_row("SELECT updated_at, title FROM findings WHERE id = ?1", [&key], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    assert_eq!((updated.as_str(), title.as_str()), ("2026-06-01T11:00:00Z", "Bucket b1 is public"));

    // A new title: that column is set (and its counts follow), the resource is not.
    later.title = "Bucket b1 is still public".into();
    later.updated_at += time::Duration::hours(1);
    store.import_findings(&[later], now()).unwrap();
    assert_eq!(written(&store), ["row", "title", "source"]);
    assert_eq!(count(&store, r#"{"Title": [{"Value": "still", "Comparison": "CONTAINS"}]}"#), 1);
    assert_eq!(count(&store, r#"{"Title": [{"Value": "Bucket b1 is public", "Comparison": "EQUALS"}]}"#), 0);
}
