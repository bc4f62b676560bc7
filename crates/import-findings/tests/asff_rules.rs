//! ASFF's rules as the importer applies them: required attributes, limits, the provider's
//! own fields, the size limit, and documents that are not findings.

use rampart_import_findings::{parse_document, parse_values, DocumentError, Format, FINDING_TOO_LARGE, INVALID_INPUT};
use rampart_model::Severity;
use serde_json::{json, Value};

fn finding() -> Value {
    json!({
        "SchemaVersion": "2018-10-08", "Id": "f-1", "ProductArn": "arn:aws:securityhub:us-east-1::product/aquasecurity/aquasecurity",
        "GeneratorId": "g", "AwsAccountId": "111111111111", "Types": ["Software and Configuration Checks/Vulnerabilities/CVE"],
        "CreatedAt": "2026-12-01T10:00:00Z", "UpdatedAt": "2026-12-01T10:00:00.123Z", "Severity": {"Label": "LOW"},
        "Title": "t", "Description": "d", "Resources": [{"Type": "AwsEc2Instance", "Id": "i-1"}]
    })
}

fn one(v: Value) -> Result<rampart_import_findings::ImportedFinding, rampart_import_findings::FindingError> {
    parse_values(vec![v], Format::Asff).remove(0)
}

#[test]
fn every_required_attribute_is_required() {
    for key in [
        "SchemaVersion",
        "Id",
        "ProductArn",
        "GeneratorId",
        "AwsAccountId",
        "Types",
        "CreatedAt",
        "UpdatedAt",
        "Severity",
        "Title",
        "Description",
        "Resources",
    ] {
        let mut f = finding();
        f.as_object_mut().unwrap().remove(key);
        let e = one(f).unwrap_err();
        assert_eq!(e.code, INVALID_INPUT, "{key}");
        assert!(e.message.contains(key), "{key}: {}", e.message);
    }
    assert!(one(finding()).is_ok());
}

#[test]
fn limits_and_enumerations() {
    let cases: Vec<(&str, Value)> = vec![
        ("Title", json!("x".repeat(257))),
        ("Description", json!("x".repeat(1025))),
        ("Id", json!("x".repeat(513))),
        ("AwsAccountId", json!("12345")),
        ("Types", json!(["Bogus/Thing"])),
        ("Types", json!([])),
        ("CreatedAt", json!("yesterday")),
        ("Severity", json!({"Label": "SEVERE"})),
        ("Severity", json!({"Normalized": 101})),
        ("RecordState", json!("DELETED")),
        ("Workflow", json!({"Status": "DONE"})),
        ("Compliance", json!({"Status": "OK"})),
        ("Confidence", json!(101)),
        ("Resources", json!([{"Type": "AwsS3Bucket", "Id": "b", "Partition": "aws-mars"}])),
        ("Resources", json!([])),
    ];
    for (key, v) in cases {
        let mut f = finding();
        f[key] = v.clone();
        let e = one(f).unwrap_err();
        assert_eq!(e.code, INVALID_INPUT, "{key} = {v}");
        if key != "Id" {
            assert_eq!(e.id, "f-1");
        }
    }
}

#[test]
fn provider_fields_win_and_normalized_gives_a_label() {
    let mut f = finding();
    f["FindingProviderFields"] =
        json!({"Severity": {"Label": "CRITICAL", "Original": "9.8"}, "Types": ["TTPs/Initial Access"], "Confidence": 80});
    let i = one(f).unwrap();
    assert_eq!((i.severity, i.severity_original.as_deref(), i.confidence), (Severity::Critical, Some("9.8"), Some(80)));
    assert_eq!(i.types, ["TTPs/Initial Access"]);
    let mut f = finding();
    f["Severity"] = json!({"Normalized": 45});
    let i = one(f).unwrap();
    assert_eq!((i.severity, i.severity_normalized), (Severity::Medium, 45));
    // Sub-second times are kept as given.
    assert_eq!(i.updated_at.millisecond(), 123);
}

#[test]
fn a_finding_over_240_kb_is_refused_on_its_own() {
    let mut big = finding();
    big["Id"] = json!("big");
    big["ProductFields"] = json!({"blob": "x".repeat(250 * 1024)});
    let doc = serde_json::to_vec(&json!({"Findings": [big, finding()]})).unwrap();
    let parsed = parse_document(&doc, Some(Format::Asff)).unwrap();
    let e = parsed.findings[0].as_ref().unwrap_err();
    assert_eq!((e.code, e.id.as_str(), e.index), (FINDING_TOO_LARGE, "big", 0));
    assert!(parsed.findings[1].is_ok());
}

#[test]
fn documents_that_hold_no_findings() {
    assert!(matches!(parse_document(b"<html>", None), Err(DocumentError::NotJson { line: 1, column: 1, .. })));
    assert!(matches!(parse_document(b"42", None), Err(DocumentError::Shape(_))));
    assert!(matches!(parse_document(br#"{"Findings": 3}"#, None), Err(DocumentError::Shape(_))));
    assert!(matches!(parse_document(br#"[{"hello": 1}]"#, None), Err(DocumentError::UnknownFormat)));
    // One finding object on its own is a document too; a missing Id is named by its index.
    let mut f = finding();
    f.as_object_mut().unwrap().remove("Id");
    let d = parse_document(&serde_json::to_vec(&f).unwrap(), None).unwrap();
    assert_eq!(d.findings[0].as_ref().unwrap_err().id, "#0");
}
