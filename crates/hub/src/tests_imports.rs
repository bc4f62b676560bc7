//! Findings imported from other tools: AWS's answer shape and limits, identity by
//! (ProductArn, Id), what an update may change, and the same filters as rampart's own.

use crate::{
    ChangeAuthor, FindingFilter, FindingFilters, FindingQuery, FindingUpdate, ImportedFinding, Store, StoreError, StringComparison,
    MAX_IMPORT_FINDINGS,
};
use rampart_model::{RecordState, Resource, ResourceType, RunInfo, Severity, Status, Timestamp, WorkflowStatus};
use time::macros::datetime;

const PROWLER: &str = "arn:aws:securityhub:us-east-1::product/prowler/prowler";

fn now() -> Timestamp {
    datetime!(2026-06-01 10:00:00 UTC)
}

fn imported(n: usize) -> ImportedFinding {
    ImportedFinding {
        product_arn: PROWLER.into(),
        id: format!("prowler-s3-{n}"),
        generator_id: "s3_bucket_public_access".into(),
        product_name: "Prowler".into(),
        company_name: "Prowler".into(),
        title: format!("Bucket b{n} is public"),
        description: "S3 bucket allows public access".into(),
        severity: Severity::High,
        compliance_status: Some(Status::Failed),
        related_requirements: vec!["AWS Foundational Security Best Practices/S3.8".into()],
        resource: Resource {
            id: format!("arn:aws:s3:::b{n}"),
            kind: ResourceType::AwsS3Bucket,
            account: "111111111111".into(),
            region: "us-east-1".into(),
            partition: "aws".into(),
            name: format!("b{n}"),
        },
        resource_tags: [("env".to_string(), "prod".to_string())].into(),
        remediation_text: "Block public access".into(),
        remediation_url: "https://docs.aws.amazon.com/".into(),
        created_at: now(),
        updated_at: now(),
        first_observed_at: None,
        last_observed_at: None,
        record_state: RecordState::Active,
        workflow_status: None,
        vulnerability: None,
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
    let listed = store.findings(&FindingFilter::default()).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, own[0].id);
    assert_eq!(store.count_findings(&FindingFilter::default()).unwrap(), 1);
    assert_eq!(store.count_matching(&FindingFilters::default(), now()).unwrap(), 2, "the query sees both");
}
