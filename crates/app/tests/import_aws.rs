//! `rampart import aws` against moto: Security Hub's findings read back through
//! `GetFindings` (read-only, through the SDK) and stored field by field; a source moto does
//! not serve, or one refused with AccessDenied, is reported as unread for its source and
//! region while the others are imported; saved responses of the services moto does not
//! serve import from files.

#[path = "../../../testdata/moto/harness.rs"]
mod harness;

use rampart_app::import_aws::{import_aws, import_response_files, parse_sources, AwsSource, SourceImport};
use rampart_hub::{FindingQuery, Store};
use rampart_import_findings::aws::SourceContext;
use rampart_model::{Severity, Status};
use std::process::Command;
use time::macros::datetime;

fn now() -> time::OffsetDateTime {
    datetime!(2026-12-07 12:00:00 UTC)
}

fn set_env() {
    // This test process only (nextest runs each test in its own): the harness's static
    // credentials, nothing from the developer's AWS configuration.
    for (k, v) in [
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_CONFIG_FILE", "/dev/null"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ] {
        std::env::set_var(k, v);
    }
    std::env::remove_var("AWS_PROFILE");
}

fn plant(server: &harness::Server) {
    let out = Command::new(harness::venv().join("bin/python"))
        .arg(harness::repo_root().join("testdata/moto/plant_findings.py"))
        .arg(&server.url)
        .output()
        .expect("run plant_findings.py");
    assert!(out.status.success(), "plant_findings.py failed: {}", String::from_utf8_lossy(&out.stderr));
}

fn opts(url: &str) -> rampart_collect_aws::Options {
    rampart_collect_aws::Options {
        regions: Some(vec!["us-east-1".into()]),
        endpoint_url: Some(url.to_string()),
        concurrency: 4,
        ..Default::default()
    }
}

fn of(out: &[SourceImport], s: AwsSource) -> &SourceImport {
    out.iter().find(|r| r.source == s).unwrap_or_else(|| panic!("no result for {s}"))
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("rampart.db")).unwrap();
    (dir, store)
}

#[test]
fn security_hub_findings_are_read_back_and_stored_field_by_field() {
    let moto = harness::moto();
    plant(&moto);
    set_env();
    let (_dir, mut store) = store();
    let sources = parse_sources(&[]).unwrap();
    assert_eq!(sources.len(), 6);
    let out = import_aws(&mut store, &opts(&moto.url), &sources, now()).expect("import");
    assert_eq!(out.len(), 6, "one result per source in the one region: {out:?}");

    let hub = of(&out, AwsSource::SecurityHub);
    assert_eq!(hub.region, "us-east-1");
    assert!(hub.error.is_none(), "{:?}", hub.error);
    assert_eq!((hub.read, hub.answer.success_count, hub.answer.failed.len()), (2, 2, 0));

    // Inspector2's ListFindings answers the findings queued in moto.
    let insp = of(&out, AwsSource::Inspector2);
    assert!(insp.error.is_none(), "{:?}", insp.error);
    assert_eq!((insp.read, insp.answer.success_count), (2, 2));

    // Every other source is reported as not read, with the call and why — never "0 findings".
    for s in [AwsSource::GuardDuty, AwsSource::AccessAnalyzer, AwsSource::Config, AwsSource::Macie] {
        let r = of(&out, s);
        let why = r.error.as_deref().unwrap_or_else(|| panic!("{s} reported as read: {r:?}"));
        assert_eq!(r.read, 0, "{s}");
        match s {
            // moto 5.2.5 serves ListDetectors but not ListFindings.
            AwsSource::GuardDuty => assert!(why.starts_with("guardduty:ListFindings"), "{why}"),
            AwsSource::AccessAnalyzer => assert!(why.starts_with("access-analyzer:ListAnalyzers"), "{why}"),
            AwsSource::Config => assert!(why.starts_with("config:DescribeComplianceByConfigRule"), "{why}"),
            _ => assert!(why.contains("rampart import findings --format"), "{why}"),
        }
    }

    let q = FindingQuery::from_json_str(r#"{"Filters": {"ProductName": [{"Value": "Inspector", "Comparison": "EQUALS"}], "SeverityLabel": [{"Value": "HIGH", "Comparison": "EQUALS"}]}}"#).unwrap();
    let page = store.get_findings(&q, now()).unwrap();
    assert_eq!(page.findings.len(), 1);
    let cve = &page.findings[0];
    let origin = cve.imported.as_ref().unwrap();
    assert_eq!(origin.product_arn, "arn:aws:securityhub:us-east-1::product/aws/inspector");
    assert_eq!(origin.id, "arn:aws:inspector2:us-east-1:123456789012:finding/0f1e2d3c4b5a69788796a5b4c3d2e1f0");
    assert_eq!(cve.finding.title, "CVE-2026-0001 - openssl-libs");
    assert_eq!(cve.finding.resource.id, "arn:aws:ec2:us-east-1:123456789012:instance/i-0a1b2c3d4e5f67890");
    assert_eq!(cve.finding.vulnerability.as_ref().map(|v| v.id.as_str()), Some("CVE-2026-0001"));

    let q = FindingQuery::from_json_str(r#"{"Filters": {"ProductName": [{"Value": "prowler", "Comparison": "EQUALS"}]}, "SortCriteria": [{"Field": "SeverityLabel", "SortOrder": "desc"}]}"#).unwrap();
    let page = store.get_findings(&q, now()).unwrap();
    assert_eq!(page.findings.len(), 2);
    let root = &page.findings[0];
    let origin = root.imported.as_ref().expect("imported");
    assert_eq!(origin.product_arn, "arn:aws:securityhub:us-east-1::product/prowler/prowler");
    assert_eq!(origin.id, "prowler-iam_root_mfa_enabled-123456789012-us-east-1-root");
    assert_eq!(root.finding.severity, Severity::Critical);
    assert_eq!(root.finding.title, "Ensure MFA is enabled for the root account");

    let s3 = &page.findings[1];
    let origin = s3.imported.as_ref().unwrap();
    assert_eq!(origin.id, "prowler-s3_bucket_default_encryption-123456789012-us-east-1-example-data");
    assert_eq!(origin.product_name, "prowler");
    assert_eq!(origin.compliance_status, Some(Status::Failed));
    let f = &s3.finding;
    assert_eq!(f.check_id, "s3_bucket_default_encryption", "GeneratorId");
    assert_eq!(f.severity, Severity::Medium);
    assert_eq!(f.title, "Check if S3 buckets have default encryption (SSE) enabled");
    assert_eq!(f.description, "S3 bucket example-data has no default encryption.");
    assert_eq!(f.resource.id, "arn:aws:s3:::example-data");
    assert_eq!(f.resource.account, "123456789012");
    assert_eq!(f.resource.region, "us-east-1");
    assert_eq!(f.related_requirements, vec!["CIS-2.1.1".to_string()]);
    assert_eq!(s3.resource_tags.get("team").map(String::as_str), Some("data"));
    let source = store.imported_source(&f.id).unwrap().expect("its source");
    let resources = source.resources.as_array().expect("every resource");
    assert_eq!(resources.len(), 2, "{resources:?}");
    assert_eq!(source.provider_updated_at.as_deref().map(|t| &t[..19]), Some("2026-12-02T11:30:00"));

    // Only read-only operations were sent, each one `rampart iam-policy` grants.
    let sent = rampart_collect_aws::guard::sent_operations();
    assert!(sent.iter().any(|op| op.eq_ignore_ascii_case("securityhub:GetFindings")), "{sent:?}");
    for op in &sent {
        let (svc, name) = op.split_once(':').unwrap();
        assert!(rampart_collect_aws::guard::is_read_only(name), "{op}");
        let svc = match svc.to_ascii_lowercase().as_str() {
            "accessanalyzer" => "access-analyzer".to_string(),
            "config service" => "config".to_string(),
            s => s.replace(' ', ""),
        };
        if svc != "sts" {
            let action = format!("{svc}:{name}");
            assert!(
                rampart_collect_aws::actions::ACTIONS.iter().any(|a| a.eq_ignore_ascii_case(&action)),
                "{action} not in the IAM policy"
            );
        }
    }

    // Read again: the same (ProductArn, Id) pairs, updated in place.
    let again = import_aws(&mut store, &opts(&moto.url), &[AwsSource::SecurityHub], now()).unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(store.get_findings(&q, now()).unwrap().findings.len(), 2);
}

#[test]
fn a_refused_source_is_reported_unread_and_the_others_still_import() {
    let moto = harness::moto();
    plant(&moto);
    set_env();
    let proxy = harness::deny_proxy(&moto, &["securityhub:*", "config:DescribeComplianceByConfigRule"]);
    let (_dir, mut store) = store();
    let out = import_aws(
        &mut store,
        &opts(&proxy.url),
        &[AwsSource::SecurityHub, AwsSource::GuardDuty, AwsSource::Config, AwsSource::Inspector2],
        now(),
    )
    .unwrap();
    // A JSON-RPC service refused by operation (X-Amz-Target): AccessDenied, not moto's gap.
    let cfg = of(&out, AwsSource::Config);
    assert!(cfg.error.as_deref().is_some_and(|e| e.starts_with("config:DescribeComplianceByConfigRule access denied")), "{cfg:?}");
    // Inspector2 is not refused: its findings are imported.
    assert_eq!(of(&out, AwsSource::Inspector2).answer.success_count, 2);
    let hub = of(&out, AwsSource::SecurityHub);
    let why = hub.error.as_deref().expect("refused");
    assert!(why.starts_with("securityhub:GetFindings access denied"), "{why}");
    assert!(why.contains("AccessDeniedException"), "{why}");
    assert_eq!((hub.read, hub.answer.success_count), (0, 0));
    // GuardDuty was still asked (and moto's missing ListFindings reported as its own).
    let gd = of(&out, AwsSource::GuardDuty);
    assert!(gd.error.as_deref().is_some_and(|e| e.starts_with("guardduty:ListFindings")), "{gd:?}");

    // Without the proxy the same store imports Security Hub's findings.
    let out = import_aws(&mut store, &opts(&moto.url), &[AwsSource::SecurityHub], now()).unwrap();
    assert_eq!(out[0].answer.success_count, 2, "{out:?}");
}

#[test]
fn an_empty_answer_says_why_it_is_empty() {
    // A fresh account: GuardDuty has no detector in the region. Read, nothing to import,
    // and said so (not an error, not a bare 0).
    let moto = harness::moto();
    set_env();
    let (_dir, mut store) = store();
    let out = import_aws(&mut store, &opts(&moto.url), &[AwsSource::GuardDuty], now()).unwrap();
    assert_eq!(out.len(), 1);
    assert!(out[0].error.is_none(), "{out:?}");
    assert_eq!(out[0].read, 0);
    assert!(out[0].note.as_deref().is_some_and(|n| n.contains("no GuardDuty detector")), "{out:?}");
    assert!(out[0].complete());
}

#[test]
fn unknown_sources_and_regions_are_refused_before_any_call() {
    let err = parse_sources(&["guardduty".into(), "detective".into()]).unwrap_err();
    assert!(err.contains("unknown source `detective`") && err.contains("securityhub"), "{err}");
    assert_eq!(parse_sources(&["GuardDuty".into(), "guardduty".into()]).unwrap(), vec![AwsSource::GuardDuty]);
    let (_dir, mut store) = store();
    let mut o = opts("http://127.0.0.1:9");
    o.regions = Some(vec!["mars-north-1".into()]);
    let err = import_aws(&mut store, &o, &[AwsSource::SecurityHub], now()).unwrap_err();
    assert!(err.to_string().contains("unknown region `mars-north-1`"), "{err}");
}

#[test]
fn saved_responses_of_the_services_moto_does_not_serve_import_from_files() {
    let (_dir, mut store) = store();
    let dir = harness::repo_root().join("testdata/aws-findings");
    let ctx = SourceContext::default();
    let gd = import_response_files(&mut store, AwsSource::GuardDuty, &[dir.join("guardduty-get-findings.json")], &ctx, now()).unwrap();
    assert_eq!((gd[0].read, gd[0].answer.success_count), (3, 3));
    let insp = import_response_files(&mut store, AwsSource::Inspector2, &[dir.join("inspector2-list-findings.json")], &ctx, now()).unwrap();
    assert_eq!(insp[0].answer.success_count, 2);
    let macie = import_response_files(&mut store, AwsSource::Macie, &[dir.join("macie-get-findings.json")], &ctx, now()).unwrap();
    assert_eq!(macie[0].answer.success_count, 2);
    // Config's evaluations name no account or region: refused each, saying so, until given.
    let cfg_file = dir.join("config-get-compliance-details.json");
    let bare = import_response_files(&mut store, AwsSource::Config, &[cfg_file.clone()], &ctx, now()).unwrap();
    assert_eq!((bare[0].read, bare[0].answer.success_count, bare[0].answer.failed.len()), (2, 0, 2));
    assert!(bare[0].answer.failed[0].message.contains("account"), "{:?}", bare[0].answer.failed);
    let ctx = SourceContext { account: Some("123456789012".into()), region: Some("eu-west-1".into()), ..Default::default() };
    let cfg = import_response_files(&mut store, AwsSource::Config, &[cfg_file], &ctx, now()).unwrap();
    assert_eq!(cfg[0].answer.success_count, 2);

    let q = FindingQuery::from_json_str(r#"{"Filters": {"ProductName": [{"Value": "GuardDuty", "Comparison": "EQUALS"}], "SeverityLabel": [{"Value": "HIGH", "Comparison": "EQUALS"}]}}"#).unwrap();
    let page = store.get_findings(&q, now()).unwrap();
    assert_eq!(page.findings.len(), 1);
    let origin = page.findings[0].imported.as_ref().unwrap();
    assert_eq!(origin.product_arn, "arn:aws:securityhub:eu-west-1::product/aws/guardduty");
    assert!(origin.id.ends_with("/finding/b4d6f8a0c2e4a6c8e0a2c4e6a8c0e2a4"));
    // The same GuardDuty finding read again (say, through Security Hub) is the same finding.
    let again = import_response_files(
        &mut store,
        AwsSource::GuardDuty,
        &[dir.join("guardduty-get-findings.json")],
        &SourceContext::default(),
        now(),
    )
    .unwrap();
    assert_eq!(again[0].answer.success_count, 3);
    let all = FindingQuery::from_json_str(r#"{"Filters": {"CompanyName": [{"Value": "Amazon", "Comparison": "EQUALS"}]}}"#).unwrap();
    assert_eq!(store.get_findings(&all, now()).unwrap().findings.len(), 3 + 2 + 2 + 2);

    // A file that is not such a response stores nothing and names the file.
    let err = import_response_files(&mut store, AwsSource::Macie, &[dir.join("README.md")], &SourceContext::default(), now()).unwrap_err();
    assert!(err.to_string().contains("README.md") && err.to_string().contains("not JSON"), "{err}");
}

#[test]
fn automation_rules_and_workflow_apply_to_aws_service_findings_as_to_any_import() {
    use rampart_model::WorkflowStatus;
    let (_dir, mut store) = store();
    // GuardDuty's HIGH findings are NOTIFIED by a rule.
    let rule = serde_json::json!({
        "RuleName": "page on guardduty high", "RuleOrder": 1,
        "Criteria": {"ProductName": [{"Value": "GuardDuty", "Comparison": "EQUALS"}], "SeverityLabel": [{"Value": "HIGH", "Comparison": "EQUALS"}]},
        "Actions": [{"Type": "FINDING_FIELDS_UPDATE", "FindingFieldsUpdate": {"Workflow": {"Status": "NOTIFIED"}}}]
    });
    store.create_automation_rule(&rampart_hub::RuleSpec::from_json(&rule).unwrap(), "admin", now()).unwrap();
    let file = harness::repo_root().join("testdata/aws-findings/guardduty-get-findings.json");
    let out = import_response_files(&mut store, AwsSource::GuardDuty, &[file.clone()], &SourceContext::default(), now()).unwrap();
    assert_eq!(out[0].answer.success_count, 3);
    let q = FindingQuery::from_json_str(r#"{"Filters": {"ProductName": [{"Value": "GuardDuty", "Comparison": "EQUALS"}]}, "SortCriteria": [{"Field": "SeverityLabel", "SortOrder": "desc"}]}"#).unwrap();
    let page = store.get_findings(&q, now()).unwrap();
    let by_sev: Vec<(Severity, WorkflowStatus)> = page.findings.iter().map(|r| (r.finding.severity, r.finding.workflow_status)).collect();
    assert_eq!(
        by_sev,
        vec![(Severity::High, WorkflowStatus::Notified), (Severity::Medium, WorkflowStatus::New), (Severity::Low, WorkflowStatus::New)]
    );
    let high = &page.findings[0].finding;
    let history = store.finding_history(&high.id).unwrap();
    assert_eq!(history.last().unwrap().changed_by.as_deref(), Some("rule:page on guardduty high"), "{history:?}");
}
