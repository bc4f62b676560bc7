//! Prowler's own output (a real run against moto, testdata/prowler/moto-run.*) imports
//! without loss: every field of its ASFF that the model has a place for comes back with
//! the file's value, and the whole finding is kept as it was.

use rampart_import_findings::{parse_document, Format};
use rampart_model::{RecordState, Status};
use serde_json::Value;
use std::path::PathBuf;

fn testdata(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/prowler").join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn time(v: &Value) -> time::OffsetDateTime {
    time::OffsetDateTime::parse(v.as_str().unwrap(), &time::format_description::well_known::Rfc3339).unwrap()
}

#[test]
fn prowler_asff_imports_every_field_that_maps() {
    let bytes = testdata("moto-run.asff.json");
    let raw: Vec<Value> = serde_json::from_slice(&bytes).unwrap();
    let doc = parse_document(&bytes, None).unwrap();
    assert_eq!(doc.format, Format::Asff);
    assert_eq!(doc.findings.len(), raw.len());
    assert!(raw.len() >= 4);
    for (f, d) in doc.findings.into_iter().zip(&raw) {
        let f = f.unwrap_or_else(|e| panic!("Prowler's finding refused: {e}"));
        assert_eq!(f.document, *d, "the original is kept whole");
        assert_eq!(f.id, d["Id"].as_str().unwrap());
        assert_eq!(f.product_arn, "arn:aws:securityhub:us-east-1::product/prowler/prowler");
        assert_eq!((f.product_name.as_str(), f.company_name.as_str()), ("prowler", "prowler"));
        assert_eq!(f.generator_id, d["GeneratorId"].as_str().unwrap());
        assert_eq!(f.aws_account_id, d["AwsAccountId"].as_str().unwrap());
        let types: Vec<&str> = d["Types"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
        assert_eq!(f.types, types);
        assert_eq!(f.severity.label(), d["Severity"]["Label"].as_str().unwrap());
        assert_eq!(f.title, d["Title"].as_str().unwrap());
        assert_eq!(f.description, d["Description"].as_str().unwrap());
        assert_eq!(f.created_at, time(&d["CreatedAt"]));
        assert_eq!(f.updated_at, time(&d["UpdatedAt"]));
        assert_eq!(f.first_observed_at, Some(time(&d["FirstObservedAt"])));
        assert_eq!(f.record_state, Some(RecordState::Active));
        assert_eq!(f.compliance_status.map(Status::as_str), d["Compliance"]["Status"].as_str());
        let reqs: Vec<&str> = d["Compliance"]["RelatedRequirements"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
        assert_eq!(f.related_requirements, reqs);
        assert_eq!(f.remediation_text.as_deref(), d["Remediation"]["Recommendation"]["Text"].as_str());
        assert_eq!(f.remediation_url.as_deref(), d["Remediation"]["Recommendation"]["Url"].as_str());
        for (k, v) in d["ProductFields"].as_object().unwrap() {
            assert_eq!(f.product_fields.get(k).map(String::as_str), v.as_str(), "ProductFields.{k}");
        }
        let (r, dr) = (f.primary_resource(), &d["Resources"][0]);
        assert_eq!(r.kind, dr["Type"].as_str().unwrap());
        assert_eq!(r.id, dr["Id"].as_str().unwrap());
        assert_eq!(r.partition, dr["Partition"].as_str().unwrap());
        assert_eq!(r.region, dr["Region"].as_str().unwrap());
        assert_eq!(f.region, "us-east-1");
    }
}

#[test]
fn prowler_ocsf_imports() {
    let bytes = testdata("moto-run.ocsf.json");
    let raw: Vec<Value> = serde_json::from_slice(&bytes).unwrap();
    let doc = parse_document(&bytes, None).unwrap();
    assert_eq!(doc.format, Format::Ocsf);
    for (f, d) in doc.findings.into_iter().zip(&raw) {
        let f = f.unwrap_or_else(|e| panic!("Prowler's event refused: {e}"));
        assert_eq!(f.id, d["finding_info"]["uid"].as_str().unwrap());
        assert_eq!(f.product_name, "Prowler");
        // metadata.product names the product: the ARN Prowler's ASFF output carries, not a
        // made-up default.
        assert_eq!(f.product_arn, "arn:aws:securityhub:us-east-1::product/prowler/prowler");
        assert_eq!(f.generator_id, d["metadata"]["event_code"].as_str().unwrap());
        assert_eq!(f.title, d["finding_info"]["title"].as_str().unwrap());
        assert_eq!(f.description, d["finding_info"]["desc"].as_str().unwrap());
        let status = match d["status_code"].as_str().unwrap() {
            "PASS" => Status::Passed,
            "FAIL" => Status::Failed,
            _ => Status::Warning,
        };
        assert_eq!(f.compliance_status, Some(status));
        // Prowler's times are seconds, not OCSF's milliseconds: read as seconds.
        assert_eq!(f.created_at.unix_timestamp(), d["finding_info"]["created_time"].as_i64().unwrap());
        let listed: usize = d["unmapped"]["compliance"].as_object().unwrap().values().map(|ids| ids.as_array().unwrap().len()).sum();
        assert_eq!(f.related_requirements.len(), listed, "framework/id for every id of unmapped.compliance");
        let r = f.primary_resource();
        assert_eq!(r.id, d["resources"][0]["uid"].as_str().unwrap());
        assert_eq!(r.kind, d["resources"][0]["type"].as_str().unwrap());
        assert_eq!(r.details.as_ref(), Some(&d["resources"][0]["data"]));
        assert_eq!(f.remediation_url.as_deref(), d["remediation"]["references"][0].as_str());
    }
}
