//! The application layer's own tests: what both front ends rely on. The commands' end-to-end
//! behaviour is tested through the binary in crates/cli/tests.

use super::*;

#[test]
fn the_demo_scan_is_a_run_of_every_aws_check_with_failures_and_compliance() {
    let inv = inputs::demo().unwrap();
    let started = now();
    let scan = scan::check_inventory(&inv, "demo", None, started);
    assert_eq!(scan.run.source, "demo");
    assert_eq!(scan.run.started_at, started);
    assert!(scan.run.finished_at >= started);
    assert_eq!(scan.run.checks.len(), rampart_checks::REGISTRY.len());
    assert!(scan.failing(Some(rampart_model::Severity::High)));
    assert!(!scan.failing(None), "no minimum severity: nothing fails the scan");
    let reports = scan.compliance();
    assert_eq!(reports.len(), rampart_compliance::STANDARDS.len());
}

#[test]
fn a_recorded_run_reads_back_with_its_compliance_and_finding_detail() {
    let mut store = rampart_hub::Store::open_in_memory().unwrap();
    let inv = inputs::demo().unwrap();
    let mut scan = scan::check_inventory(&inv, "demo", None, now());
    scan.record(&mut store).unwrap();
    let (run, reports) = browse::compliance(&store, None, &[]).unwrap().expect("a run was recorded");
    assert_eq!(run, scan.run.id);
    assert_eq!(reports.len(), rampart_compliance::STANDARDS.len());
    let failed = scan.findings.iter().find(|f| f.status == rampart_model::Status::Failed).unwrap();
    let detail = browse::finding(&store, &failed.id).unwrap();
    let doc = detail.to_json();
    assert_eq!(doc["finding"]["id"], failed.id.as_str());
    assert_eq!(doc["results"].as_array().unwrap().len(), 1);
}

#[test]
fn an_empty_store_has_no_compliance_rather_than_an_empty_one() {
    let store = rampart_hub::Store::open_in_memory().unwrap();
    assert!(browse::compliance(&store, None, &[]).unwrap().is_none());
}

#[test]
fn check_ids_are_checked_with_the_nearest_one_suggested() {
    let e = browse::known_check("iam_root_mfaa").unwrap_err().to_string();
    assert!(e.contains("did you mean `iam_root_mfa`"), "{e}");
    assert!(browse::known_check("host_cve").is_ok());
    assert!(browse::known_check("aws_access_key_in_file").is_ok() || browse::known_check(rampart_secrets::CHECK_ID).is_ok());
    assert!(browse::known_check(&"x".repeat(500)).unwrap_err().to_string().len() < 200);
}

#[test]
fn telemetry_that_names_no_instance_is_a_warning_not_a_join() {
    let dir = tempfile::tempdir().unwrap();
    let root = rampart_host::Root::dir(dir.path()).unwrap();
    let notes = Collected::default();
    let t = host::collect_root(&root, now(), &notes);
    let doc = dir.path().join("t.json");
    std::fs::write(&doc, t.to_json()).unwrap();
    let mut inv = inputs::demo().unwrap();
    let before = inv.host_listeners.len();
    inputs::join_telemetry(&mut inv, &[doc], &notes).unwrap();
    assert_eq!(inv.host_listeners.len(), before);
    assert!(notes.warnings().iter().any(|w| w.contains("names no EC2 instance id")), "{:?}", notes.warnings());
}

#[test]
fn a_missing_telemetry_document_is_an_error_naming_it() {
    let mut inv = inputs::demo().unwrap();
    let e = inputs::join_telemetry(&mut inv, &["/nonexistent/t.json".into()], &Collected::default()).unwrap_err();
    assert!(format!("{e:#}").contains("/nonexistent/t.json"), "{e:#}");
}

#[test]
fn gap_lines_are_sentences_with_what_to_do() {
    use rampart_model::GapKind;
    assert_eq!(
        inputs::gap_line("ec2:DescribeVolumes", GapKind::AccessDenied, 2, "AccessDenied (HTTP 403): not allowed"),
        "ec2:DescribeVolumes access denied (2 calls): AccessDenied (HTTP 403): not allowed — allow it to the scanning identity (see `rampart iam-policy`)"
    );
    let line = inputs::gap_line("ec2:DescribeClientVpnEndpoints", GapKind::ServerError, 1, "service error: unhandled error: error parsing XML: no root element (HTTP 500)");
    assert!(!line.contains("ServiceError(") && !line.contains("{ "), "{line}");
}

#[test]
fn run_ids_are_unique_and_carry_this_build() {
    let a = run_info("x".into(), now(), vec![], vec![], vec![]);
    let b = run_info("x".into(), now(), vec![], vec![], vec![]);
    assert_ne!(a.id, b.id);
    assert_eq!(a.tool_version, env!("CARGO_PKG_VERSION"));
}

#[test]
fn thousands_are_grouped() {
    assert_eq!(thousands(0), "0");
    assert_eq!(thousands(999), "999");
    assert_eq!(thousands(1000), "1,000");
    assert_eq!(thousands(1234567), "1,234,567");
}

#[test]
fn reach_questions_that_make_no_sense_are_refused_before_anything_is_read() {
    let q = |from: &str, to: &str| reach::Question { from: from.into(), to: to.into(), to_address: None, protocol: rampart_reach::Protocol::TCP, port: 22 };
    assert!(reach::check(&q("internet", "internet")).is_err());
    assert!(reach::check(&q("nonsense", "i-1")).is_err());
    assert!(reach::check(&q("i-1", "internet")).is_ok());
    assert!(reach::check(&q("subnet-1", "i-1")).is_ok());
}
