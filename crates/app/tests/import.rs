//! Findings from other tools into a real store file: BatchImportFindings' answer and
//! limits, files of any size in batches, deduplication by (ProductArn, Id).

use rampart_app::import::{batch_import_findings, import_files, ImportError};
use rampart_hub::{FindingFilters, Store};
use serde_json::{json, Value};
use std::path::PathBuf;
use time::macros::datetime;

fn now() -> time::OffsetDateTime {
    datetime!(2026-12-07 12:00:00 UTC)
}

fn asff(n: usize) -> Value {
    json!({
        "SchemaVersion": "2018-10-08",
        "Id": format!("trivy-{n}"),
        "ProductArn": "arn:aws:securityhub:us-east-1::product/aquasecurity/aquasecurity",
        "GeneratorId": "Trivy/CVE-2024-0001",
        "AwsAccountId": "111111111111",
        "Types": ["Software and Configuration Checks/Vulnerabilities/CVE"],
        "CreatedAt": "2026-12-01T10:00:00Z",
        "UpdatedAt": "2026-12-01T10:00:00Z",
        "Severity": {"Label": "HIGH"},
        "Title": format!("CVE-2024-0001 in image {n}"),
        "Description": "openssl is affected",
        "Resources": [{"Type": "Container", "Id": format!("repo/app:{n}"), "Partition": "aws", "Region": "us-east-1"}]
    })
}

fn count(store: &Store, filters: &str) -> u64 {
    store.count_matching(&FindingFilters::from_json_str(filters).unwrap(), now()).unwrap() as u64
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("rampart.db")).unwrap();
    (dir, store)
}

#[test]
fn three_malformed_of_a_hundred_fail_and_ninety_seven_are_stored() {
    let (_dir, mut store) = store();
    let mut findings: Vec<Value> = (0..100).map(asff).collect();
    findings[7].as_object_mut().unwrap().remove("Title");
    findings[42]["Severity"] = json!({"Label": "SEVERE"});
    findings[99]["AwsAccountId"] = json!("not-an-account");
    let answer = batch_import_findings(&mut store, json!({ "Findings": findings }), None, now()).unwrap();
    let body = answer.to_json();
    assert_eq!(body["FailedCount"], 3);
    assert_eq!(body["SuccessCount"], 97);
    let failed = body["FailedFindings"].as_array().unwrap();
    let ids: Vec<&str> = failed.iter().map(|f| f["Id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["trivy-7", "trivy-42", "trivy-99"]);
    assert!(failed.iter().all(|f| f["ErrorCode"] == "InvalidInput"));
    assert!(failed[0]["ErrorMessage"].as_str().unwrap().contains("Title"), "{failed:?}");
    assert!(failed[1]["ErrorMessage"].as_str().unwrap().contains("SEVERE"), "{failed:?}");
    assert_eq!(count(&store, r#"{"ProductName": [{"Value": "aquasecurity", "Comparison": "EQUALS"}]}"#), 97);
    assert_eq!(count(&store, "{}"), 97);
}

#[test]
fn a_call_cannot_send_findings_in_an_aws_services_name() {
    let (_dir, mut store) = store();
    let mut forged = asff(1);
    forged["ProductArn"] = json!("arn:aws:securityhub:us-east-1::product/aws/guardduty");
    let answer = batch_import_findings(&mut store, json!({ "Findings": [asff(0), forged] }), None, now()).unwrap();
    let body = answer.to_json();
    assert_eq!(body["SuccessCount"], 1);
    assert_eq!(body["FailedFindings"][0]["Id"], "trivy-1");
    assert_eq!(body["FailedFindings"][0]["ErrorCode"], "AccessDeniedException");
    assert!(body["FailedFindings"][0]["ErrorMessage"].as_str().unwrap().contains("rampart import aws"), "{body}");
    assert_eq!(count(&store, "{}"), 1);
}

#[test]
fn a_hundred_and_one_findings_are_refused_whole() {
    let (_dir, mut store) = store();
    let findings: Vec<Value> = (0..101).map(asff).collect();
    let err = batch_import_findings(&mut store, Value::Array(findings), None, now()).unwrap_err();
    assert!(matches!(err, ImportError::TooMany(101)), "{err}");
    assert!(err.to_string().contains("batches of 100"), "{err}");
    assert_eq!(count(&store, "{}"), 0);
}

#[test]
fn files_import_in_batches_and_reimport_updates_in_place() {
    let (dir, mut store) = store();
    let big = dir.path().join("trivy.asff.json");
    let mut findings: Vec<Value> = (0..250).map(asff).collect();
    findings[120]["Types"] = json!(["Not a namespace/x"]);
    std::fs::write(&big, serde_json::to_vec(&findings).unwrap()).unwrap();
    let prowler = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/prowler/moto-run.asff.json");
    let out = import_files(&mut store, &[big.clone(), prowler.clone()], None, now()).unwrap();
    assert_eq!((out[0].read, out[0].answer.success_count, out[0].answer.failed_count()), (250, 249, 1));
    assert_eq!(out[0].answer.failed[0].index, 120);
    assert_eq!((out[1].answer.success_count, out[1].answer.failed_count()), (4, 0));
    assert_eq!(count(&store, "{}"), 253);
    // Prowler's findings keep their product and are queryable like Rampart's own.
    let prowler_failed = r#"{"ProductArn": [{"Value": "arn:aws:securityhub:us-east-1::product/prowler/prowler", "Comparison": "EQUALS"}],
                             "ComplianceStatus": [{"Value": "FAILED", "Comparison": "EQUALS"}]}"#;
    assert_eq!(count(&store, prowler_failed), 2);
    // The same files again: deduplicated by (ProductArn, Id), nothing added.
    import_files(&mut store, &[big, prowler], None, now()).unwrap();
    assert_eq!(count(&store, "{}"), 253);
}

#[test]
fn a_file_that_is_not_json_is_one_line_and_stores_nothing() {
    let (dir, mut store) = store();
    let good = dir.path().join("good.json");
    std::fs::write(&good, serde_json::to_vec(&vec![asff(1)]).unwrap()).unwrap();
    let bad = dir.path().join("report.html");
    std::fs::write(&bad, "<html>not findings</html>").unwrap();
    let err = import_files(&mut store, &[good, bad.clone()], None, now()).unwrap_err();
    let text = err.to_string();
    assert!(!text.contains('\n'), "{text}");
    assert!(text.starts_with(&bad.display().to_string()) && text.contains("not JSON"), "{text}");
    assert_eq!(count(&store, "{}"), 0);
}

#[test]
fn an_import_runs_the_automation_rules_and_sends_findings_imported_events() {
    let (_dir, mut store) = store();
    // A rule: Trivy's HIGH findings are NOTIFIED with a note.
    let rule = json!({
        "RuleName": "notify trivy", "RuleOrder": 1,
        "Criteria": {"ProductName": [{"Value": "aquasecurity", "Comparison": "PREFIX"}], "SeverityLabel": [{"Value": "HIGH", "Comparison": "EQUALS"}]},
        "Actions": [{"Type": "FINDING_FIELDS_UPDATE", "FindingFieldsUpdate": {"Workflow": {"Status": "NOTIFIED"}}}]
    });
    store.create_automation_rule(&rampart_hub::RuleSpec::from_json(&rule).unwrap(), "admin", now()).unwrap();
    // An event rule: imported findings of this product go to a webhook.
    rampart_app::events::create_webhook(&mut store, "soc", "webhook", "http://127.0.0.1:9/hook", None).unwrap();
    let pattern = json!({"detail-type": ["Security Hub Findings - Imported"], "detail": {"findings": {"product_name": [{"prefix": "aqua"}]}}});
    rampart_app::events::create_rule(&mut store, "trivy", &pattern, "soc").unwrap();

    let mut low = asff(2);
    low["Severity"] = json!({"Label": "LOW"});
    let a = batch_import_findings(&mut store, json!({"Findings": [asff(1), low]}), None, now()).unwrap();
    assert_eq!((a.success_count, a.failed_count()), (2, 0));
    let key = |id: &str| {
        let q = rampart_hub::FindingQuery::from_json(&json!({"Filters": {"Id": [{"Value": id, "Comparison": "EQUALS"}]}})).unwrap();
        store.get_findings(&q, now()).unwrap().findings.remove(0).finding
    };
    let (high, low) = (key("trivy-1"), key("trivy-2"));
    assert_eq!(high.workflow_status, rampart_model::WorkflowStatus::Notified, "the rule applied on import");
    assert_eq!(low.workflow_status, rampart_model::WorkflowStatus::New, "only to what it matches");
    let history = store.finding_history(&high.id).unwrap();
    assert_eq!(history.last().unwrap().changed_by.as_deref(), Some("rule:notify trivy"), "{history:?}");

    // One "Findings - Imported" event per finding created, each naming its product.
    let due = store.due_deliveries(now() + time::Duration::days(1), 100).unwrap();
    assert_eq!(due.len(), 2, "{due:?}");
    for d in &due {
        assert_eq!(d.body["detail-type"], "Security Hub Findings - Imported");
        let f = &d.body["detail"]["findings"][0];
        assert_eq!(f["product_arn"], "arn:aws:securityhub:us-east-1::product/aquasecurity/aquasecurity");
        assert!(f["external_id"].as_str().unwrap().starts_with("trivy-"), "{f}");
    }
    let notified = due.iter().find(|d| d.body["detail"]["findings"][0]["external_id"] == "trivy-1").unwrap();
    assert_eq!(notified.body["detail"]["findings"][0]["workflow_status"], "NOTIFIED", "the event carries the finding after the rules");

    // A stale import (an UpdatedAt older than the provider's last) changes nothing and
    // sends nothing.
    let mut stale = asff(1);
    stale["UpdatedAt"] = json!("2026-11-01T10:00:00Z");
    let a = batch_import_findings(&mut store, json!({"Findings": [stale]}), None, now()).unwrap();
    assert_eq!(a.success_count, 1);
    assert_eq!(store.due_deliveries(now() + time::Duration::days(1), 100).unwrap().len(), 2, "no event for a stale import");
}

#[test]
fn a_big_file_is_stored_ten_calls_per_commit_with_the_same_result_as_one_call_after_another() {
    let (dir, mut store) = store();
    // A rule that notifies Trivy's HIGH findings, applied after each call of 100.
    let rule = json!({
        "RuleName": "notify", "RuleOrder": 1,
        "Criteria": {"SeverityLabel": [{"Value": "HIGH", "Comparison": "EQUALS"}]},
        "Actions": [{"Type": "FINDING_FIELDS_UPDATE", "FindingFieldsUpdate": {"Workflow": {"Status": "NOTIFIED"}}}]
    });
    store.create_automation_rule(&rampart_hub::RuleSpec::from_json(&rule).unwrap(), "admin", now()).unwrap();
    // 2,500 findings (25 calls, three transactions); trivy-5 again in the fourth call,
    // later and PASSED; two malformed ones.
    let mut findings: Vec<Value> = (0..2_500).map(asff).collect();
    findings[350] = asff(5);
    findings[350]["UpdatedAt"] = json!("2026-12-02T10:00:00Z");
    findings[350]["Compliance"] = json!({"Status": "PASSED"});
    findings[7]["Title"] = json!("");
    findings[2_499]["AwsAccountId"] = json!("");
    let file = dir.path().join("trivy.asff.json");
    std::fs::write(&file, serde_json::to_vec(&findings).unwrap()).unwrap();
    let out = import_files(&mut store, &[file], None, now()).unwrap();
    assert_eq!((out[0].answer.success_count, out[0].answer.failed_count()), (2_498, 2));
    assert_eq!(out[0].answer.failed.iter().map(|f| f.index).collect::<Vec<_>>(), [7, 2_499], "answered at their place in the file");
    assert_eq!(count(&store, "{}"), 2_497, "trivy-5 once; trivy-350 not sent, the two bad ones not stored");
    assert_eq!(count(&store, r#"{"WorkflowStatus": [{"Value": "NOTIFIED", "Comparison": "EQUALS"}]}"#), 2_497);
    // trivy-5 went through what one call after another does: created and notified by the
    // rule after the first call, resolved by the PASSED import of the fourth (from
    // NOTIFIED: the rule had run), notified again by the rule. Stored in the same
    // transaction as the first call, the import would have resolved it from NEW.
    let id = store.imported_key("arn:aws:securityhub:us-east-1::product/aquasecurity/aquasecurity", "trivy-5").unwrap().unwrap();
    let steps: Vec<(String, String)> =
        store.workflow_history(&id).unwrap().iter().map(|c| (c.from.as_str().to_string(), c.to.as_str().to_string())).collect();
    let step = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(steps, [step("NEW", "NOTIFIED"), step("NOTIFIED", "RESOLVED"), step("RESOLVED", "NOTIFIED")], "{steps:?}");
}
