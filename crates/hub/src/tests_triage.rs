//! Batch updates of findings (`BatchUpdateFindings`): what is set, what is refused, and
//! the history every change leaves.

use crate::{ChangeAuthor, FindingFilters, FindingQuery, FindingUpdate, NoteUpdate, Store, StoreError, VerificationState};
use rampart_model::{Finding, RunInfo, Severity, Status, Timestamp, WorkflowStatus};
use serde_json::json;
use time::macros::datetime;

pub(crate) fn now() -> Timestamp {
    datetime!(2026-04-01 09:30:00 UTC)
}

pub(crate) fn run(id: &str) -> RunInfo {
    RunInfo {
        id: id.into(),
        started_at: datetime!(2026-04-01 08:00:00 UTC),
        finished_at: datetime!(2026-04-01 08:00:00 UTC),
        source: "test".into(),
        accounts: vec!["111111111111".into()],
        regions: vec!["us-east-1".into()],
        tool_version: "0".into(),
        checks: vec!["c".into()],
        incomplete: Vec::new(),
    }
}

/// A store with findings on buckets a, b and c; their ids.
fn store() -> (Store, Vec<String>) {
    let mut store = Store::open_in_memory().unwrap();
    let mut fs: Vec<Finding> =
        ["a", "b", "c"].iter().map(|r| crate::tests::finding("c", r, "111111111111", "us-east-1", Status::Failed, 0)).collect();
    store.record_run(&run("r1"), &mut fs, &[]).unwrap();
    let ids = fs.iter().map(|f| f.id.clone()).collect();
    (store, ids)
}

fn alice(reason: &str) -> ChangeAuthor {
    ChangeAuthor { who: "alice".into(), reason: reason.into() }
}

#[test]
fn an_update_sets_every_field_and_answers_like_aws() {
    let (mut store, ids) = store();
    let update = FindingUpdate {
        workflow_status: Some(WorkflowStatus::Notified),
        severity_label: Some(Severity::Critical),
        note: Some(NoteUpdate { text: "ticket SEC-42".into(), updated_by: "alice".into() }),
        user_defined_fields: [("ticket".to_string(), "SEC-42".to_string())].into(),
        verification_state: Some(VerificationState::TruePositive),
        confidence: Some(90),
        criticality: Some(75),
    };
    let asked = vec![ids[0].clone(), "nope".to_string(), ids[1].clone(), ids[2].clone(), ids[2].clone()];
    let result = store.batch_update_findings(&asked, &update, &alice("triage"), now()).unwrap();
    assert_eq!(result.processed, [ids[0].clone(), ids[1].clone()]);
    let codes: Vec<(&str, &str, &str)> =
        result.unprocessed.iter().map(|u| (u.id.as_str(), u.error_code.as_str(), u.error_message.as_str())).collect();
    assert_eq!(
        codes,
        [
            ("nope", "FindingNotFound", "Finding Not Found"),
            (ids[2].as_str(), "DuplicatedFindingIdentifier", "Finding Identifier is duplicated"),
            (ids[2].as_str(), "DuplicatedFindingIdentifier", "Finding Identifier is duplicated"),
        ]
    );

    let r = store.finding_record(&ids[0]).unwrap();
    assert_eq!(r.finding.workflow_status, WorkflowStatus::Notified);
    assert_eq!((r.finding.severity, r.check_severity, r.severity_override), (Severity::Critical, Severity::High, Some(Severity::Critical)));
    let note = r.note.expect("a note");
    assert_eq!((note.text.as_str(), note.updated_by.as_str(), note.updated_at), ("ticket SEC-42", "alice", now()));
    assert_eq!(r.user_defined_fields.get("ticket").map(String::as_str), Some("SEC-42"));
    assert_eq!((r.verification_state, r.confidence, r.criticality), (VerificationState::TruePositive, Some(90), Some(75)));
    assert_eq!(r.updated_at, now());
    // c was not touched.
    let c = store.finding_record(&ids[2]).unwrap();
    assert_eq!((c.finding.severity, c.confidence, c.note), (Severity::High, None, None));

    // The query sees the people's values.
    let q = |f: &str| {
        let q = FindingQuery::new(FindingFilters::from_json_str(f).unwrap());
        store.get_findings(&q, now()).unwrap().findings.len()
    };
    assert_eq!(q(r#"{"SeverityLabel": [{"Value": "CRITICAL", "Comparison": "EQUALS"}]}"#), 2);
    assert_eq!(q(r#"{"Confidence": [{"Gte": 90}], "Criticality": [{"Eq": 75}]}"#), 2);
    assert_eq!(q(r#"{"VerificationState": [{"Value": "TRUE_POSITIVE", "Comparison": "EQUALS"}]}"#), 2);
    assert_eq!(
        q(r#"{"NoteText": [{"Value": "SEC-", "Comparison": "CONTAINS"}], "NoteUpdatedBy": [{"Value": "alice", "Comparison": "EQUALS"}]}"#),
        2
    );
    assert_eq!(q(r#"{"UserDefinedFields": [{"Key": "ticket", "Value": "SEC-42", "Comparison": "EQUALS"}]}"#), 2);
    assert_eq!(q(r#"{"WorkflowStatus": [{"Value": "NOTIFIED", "Comparison": "EQUALS"}]}"#), 2);

    // Every change is in the history with who, when, why, before and after.
    let h = store.finding_history(&ids[0]).unwrap();
    let fields: Vec<(&str, Option<&str>, Option<&str>)> =
        h.iter().map(|c| (c.field.as_str(), c.from.as_deref(), c.to.as_deref())).collect();
    assert_eq!(
        fields,
        [
            ("WorkflowStatus", Some("NEW"), Some("NOTIFIED")),
            ("SeverityLabel", None, Some("CRITICAL")),
            ("NoteText", None, Some("ticket SEC-42")),
            ("UserDefinedFields.ticket", None, Some("SEC-42")),
            ("VerificationState", Some("UNKNOWN"), Some("TRUE_POSITIVE")),
            ("Confidence", None, Some("90")),
            ("Criticality", None, Some("75")),
        ]
    );
    assert!(h.iter().all(|c| c.changed_by.as_deref() == Some("alice") && c.reason == "triage" && c.changed_at == now()));
    // The workflow history keeps the workflow change too, as it always did.
    let w = store.workflow_history(&ids[0]).unwrap();
    assert_eq!((w.len(), w[0].to, w[0].changed_by.as_deref(), w[0].note.as_str()), (1, WorkflowStatus::Notified, Some("alice"), "triage"));
}

#[test]
fn user_defined_fields_merge_and_an_empty_value_removes_one() {
    let (mut store, ids) = store();
    let one = vec![ids[0].clone()];
    let set = |pairs: &[(&str, &str)]| FindingUpdate {
        user_defined_fields: pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        ..Default::default()
    };
    store.batch_update_findings(&one, &set(&[("a", "1"), ("b", "2")]), &alice(""), now()).unwrap();
    store.batch_update_findings(&one, &set(&[("b", ""), ("c", "3")]), &alice(""), now()).unwrap();
    let r = store.finding_record(&ids[0]).unwrap();
    assert_eq!(r.user_defined_fields, [("a".to_string(), "1".to_string()), ("c".to_string(), "3".to_string())].into());
    let h = store.finding_history(&ids[0]).unwrap();
    assert!(h.iter().any(|c| c.field == "UserDefinedFields.b" && c.from.as_deref() == Some("2") && c.to.is_none()));
}

#[test]
fn an_update_that_changes_nothing_is_processed_and_leaves_no_history() {
    let (mut store, ids) = store();
    let one = vec![ids[0].clone()];
    let u = FindingUpdate { confidence: Some(50), ..Default::default() };
    store.batch_update_findings(&one, &u, &alice("first"), now()).unwrap();
    let again = store.batch_update_findings(&one, &u, &alice("again"), now()).unwrap();
    assert_eq!(again.processed, one);
    assert_eq!(store.finding_history(&ids[0]).unwrap().len(), 1);
}

#[test]
fn invalid_updates_are_refused_whole_and_change_nothing() {
    let (mut store, ids) = store();
    let one = vec![ids[0].clone()];
    let cases: Vec<(FindingUpdate, &str)> = vec![
        (FindingUpdate { confidence: Some(150), ..Default::default() }, "invalid finding update: `Confidence` 150 is out of range: use 0 to 100"),
        (FindingUpdate { criticality: Some(-1), ..Default::default() }, "invalid finding update: `Criticality` -1 is out of range: use 0 to 100"),
        (FindingUpdate::default(), "invalid finding update: nothing to update: set a workflow status, severity, note, user-defined field, verification state, confidence or criticality"),
        (
            FindingUpdate { note: Some(NoteUpdate { text: "x".repeat(513), updated_by: "alice".into() }), ..Default::default() },
            "invalid finding update: `Note.Text` must be 1 to 512 characters, not 513",
        ),
    ];
    for (u, msg) in cases {
        let e = store.batch_update_findings(&one, &u, &alice(""), now()).unwrap_err();
        assert_eq!(e.to_string(), msg);
    }
    let many: Vec<String> = (0..101).map(|i| format!("id{i}")).collect();
    let ok = FindingUpdate { confidence: Some(1), ..Default::default() };
    let e = store.batch_update_findings(&many, &ok, &alice(""), now()).unwrap_err();
    assert_eq!(e.to_string(), "invalid finding update: name 1 to 100 findings, not 101");
    assert!(matches!(store.batch_update_findings(&[], &ok, &alice(""), now()), Err(StoreError::InvalidUpdate(_))));
    assert!(store.finding_history(&ids[0]).unwrap().is_empty());
    assert_eq!(store.finding_record(&ids[0]).unwrap().confidence, None);
}

#[test]
fn the_aws_request_shape_is_read_and_bad_members_are_named() {
    let u = FindingUpdate::from_json(&json!({
        "FindingIdentifiers": [{"Id": "x", "ProductArn": "y"}],
        "Workflow": {"Status": "SUPPRESSED"},
        "Severity": {"Label": "LOW"},
        "Note": {"Text": "accepted", "UpdatedBy": "bob"},
        "UserDefinedFields": {"owner": "team-a"},
        "VerificationState": "BENIGN_POSITIVE",
        "Confidence": 10,
        "Criticality": 20
    }))
    .unwrap();
    assert_eq!(u.workflow_status, Some(WorkflowStatus::Suppressed));
    assert_eq!(u.severity_label, Some(Severity::Low));
    assert_eq!(u.verification_state, Some(VerificationState::BenignPositive));
    assert_eq!((u.confidence, u.criticality), (Some(10), Some(20)));
    for (body, msg) in [
        (json!({"Workflow": {"Status": "CLOSED"}}), "unknown `Workflow.Status` `CLOSED`: use NEW, NOTIFIED, RESOLVED or SUPPRESSED"),
        (json!({"Severity": {"Label": "SEVERE"}}), "unknown `Severity.Label` `SEVERE`: use INFORMATIONAL, LOW, MEDIUM, HIGH or CRITICAL"),
        (
            json!({"VerificationState": "MAYBE"}),
            "unknown `VerificationState` `MAYBE`: use UNKNOWN, TRUE_POSITIVE, FALSE_POSITIVE or BENIGN_POSITIVE",
        ),
        (json!({"Confidence": "high"}), "`Confidence` must be a whole number from 0 to 100"),
        (json!({"Types": ["x"]}), "unknown member `Types` of a finding update"),
        (json!({"UserDefinedFields": {"k": 1}}), "`UserDefinedFields.k` must be a string"),
    ] {
        let e = FindingUpdate::from_json(&body).unwrap_err();
        assert_eq!(e.to_string(), format!("invalid finding update: {msg}"));
    }
}

#[test]
fn people_s_triage_survives_a_rescan() {
    let (mut store, ids) = store();
    let u = FindingUpdate { severity_label: Some(Severity::Low), confidence: Some(30), ..Default::default() };
    store.batch_update_findings(&ids[..1], &u, &alice("not so bad here"), now()).unwrap();
    let mut fs: Vec<Finding> =
        ["a", "b", "c"].iter().map(|r| crate::tests::finding("c", r, "111111111111", "us-east-1", Status::Failed, 1)).collect();
    store.record_run(&run("r2"), &mut fs, &[]).unwrap();
    let r = store.finding_record(&ids[0]).unwrap();
    assert_eq!((r.finding.severity, r.check_severity, r.confidence), (Severity::Low, Severity::High, Some(30)));
}
