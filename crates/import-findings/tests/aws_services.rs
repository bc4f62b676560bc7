//! AWS's own services' findings, from their documented API response shapes
//! (`testdata/aws-findings`, written from the API references) into the one finding model.

use rampart_import_findings::aws::{guardduty_severity, parse_response, AwsSource, SourceContext};
use rampart_import_findings::ImportedFinding;
use rampart_model::{RecordState, Severity, Status, WorkflowStatus};

fn read(source: AwsSource, file: &str, ctx: &SourceContext) -> Vec<ImportedFinding> {
    let path = format!("{}/../../testdata/aws-findings/{file}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let parsed = parse_response(source, &bytes, ctx).expect("a response of findings");
    parsed.findings.into_iter().map(|f| f.unwrap_or_else(|e| panic!("{file}: {e}"))).collect()
}

fn ts(s: &str) -> rampart_model::Timestamp {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).unwrap()
}

#[test]
fn guardduty_severity_follows_guardduty_ranges() {
    for (n, label) in [
        (0.5, "INFORMATIONAL"),
        (1.0, "LOW"),
        (3.9, "LOW"),
        (4.0, "MEDIUM"),
        (6.9, "MEDIUM"),
        (7.0, "HIGH"),
        (8.9, "HIGH"),
        (9.0, "CRITICAL"),
        (10.0, "CRITICAL"),
    ] {
        assert_eq!(guardduty_severity(n), label, "{n}");
    }
}

#[test]
fn guardduty_findings() {
    let f = read(AwsSource::GuardDuty, "guardduty-get-findings.json", &SourceContext::default());
    assert_eq!(f.len(), 3);
    let ssh = &f[0];
    assert_eq!(ssh.product_arn, "arn:aws:securityhub:eu-west-1::product/aws/guardduty");
    assert_eq!(ssh.product_name, "GuardDuty");
    assert_eq!(ssh.company_name, "Amazon");
    assert_eq!(
        ssh.id,
        "arn:aws:guardduty:eu-west-1:123456789012:detector/12abc34d567e8fa901bc2d34e56789f0/finding/a2c4e6b8d0f1a3c5e7b9d1f3a5c7e9b1"
    );
    assert_eq!(ssh.generator_id, "arn:aws:guardduty:eu-west-1:123456789012:detector/12abc34d567e8fa901bc2d34e56789f0");
    assert_eq!(ssh.aws_account_id, "123456789012");
    assert_eq!(ssh.region, "eu-west-1");
    assert_eq!(ssh.severity, Severity::Low);
    assert_eq!(ssh.severity_original.as_deref(), Some("2"));
    assert_eq!(ssh.types, vec!["TTPs/UnauthorizedAccess/UnauthorizedAccess:EC2-SSHBruteForce"]);
    assert_eq!(ssh.created_at, ts("2026-11-30T08:15:02.412Z"));
    assert_eq!(ssh.updated_at, ts("2026-12-01T10:20:31.001Z"));
    assert_eq!(ssh.first_observed_at, Some(ts("2026-11-30T08:01:44Z")));
    assert_eq!(ssh.last_observed_at, Some(ts("2026-12-01T10:12:09Z")));
    assert_eq!(ssh.resources.len(), 1);
    assert_eq!(ssh.resources[0].kind, "AwsEc2Instance");
    assert_eq!(ssh.resources[0].id, "arn:aws:ec2:eu-west-1:123456789012:instance/i-0a1b2c3d4e5f67890");
    assert_eq!(ssh.record_state, None);
    assert_eq!(ssh.compliance_status, None, "a threat detection has no compliance status");
    assert_eq!(ssh.product_fields.get("aws/guardduty/count").map(String::as_str), Some("14"));

    let tor = &f[1];
    assert_eq!(tor.severity, Severity::High);
    assert_eq!(tor.record_state, Some(RecordState::Archived), "archived in GuardDuty");
    let kinds: Vec<(&str, &str)> = tor.resources.iter().map(|r| (r.kind.as_str(), r.id.as_str())).collect();
    assert_eq!(kinds, vec![("AwsIamAccessKey", "ASIAEXAMPLEKEY000001"), ("AwsS3Bucket", "arn:aws:s3:::example-data")]);

    let btc = &f[2];
    assert_eq!(btc.severity, Severity::Medium);
    assert_eq!(btc.types, vec!["Effects/CryptoCurrency/CryptoCurrency:EC2-BitcoinTool.B!DNS"]);
}

#[test]
fn inspector2_findings() {
    let f = read(AwsSource::Inspector2, "inspector2-list-findings.json", &SourceContext::default());
    assert_eq!(f.len(), 2);
    let cve = &f[0];
    assert_eq!(cve.product_arn, "arn:aws:securityhub:eu-west-1::product/aws/inspector");
    assert_eq!(cve.product_name, "Inspector");
    assert_eq!(cve.id, "arn:aws:inspector2:eu-west-1:123456789012:finding/0f1e2d3c4b5a69788796a5b4c3d2e1f0");
    assert_eq!(cve.severity, Severity::High);
    assert_eq!(cve.types, vec!["Software and Configuration Checks/Vulnerabilities/CVE"]);
    // Epoch seconds, with the fraction kept.
    assert_eq!(cve.first_observed_at, Some(ts("2025-11-30T08:00:00.123Z")));
    assert_eq!(cve.created_at, ts("2025-11-30T08:00:00.123Z"));
    assert_eq!(cve.updated_at, ts("2025-12-05T08:00:00Z"));
    assert_eq!(cve.resources[0].kind, "AwsEc2Instance");
    assert_eq!(cve.resources[0].id, "arn:aws:ec2:eu-west-1:123456789012:instance/i-0a1b2c3d4e5f67890");
    assert_eq!(cve.resources[0].tags.get("team").map(String::as_str), Some("platform"));
    assert_eq!(cve.remediation_url.as_deref(), Some("https://alas.aws.amazon.com/AL2/ALAS-2026-2001.html"));
    let v = cve.vulnerability().expect("the CVE");
    assert_eq!(v.id, "CVE-2026-0001");
    assert_eq!(v.package.name, "openssl-libs");
    assert_eq!(v.package.epoch.as_deref(), Some("1"));
    assert_eq!(v.package.fixed_in_version.as_deref(), Some("1:1.0.2k-24.amzn2.0.15"));
    assert_eq!(v.cvss[0].base_score, 7.5);
    assert_eq!(v.vendor.name, "NVD");
    assert_eq!(v.related, vec!["ALAS2-2026-2001"]);

    let net = &f[1];
    assert_eq!(net.severity, Severity::Informational, "UNTRIAGED");
    assert_eq!(net.record_state, Some(RecordState::Archived), "CLOSED");
    assert_eq!(net.workflow_status, Some(WorkflowStatus::Resolved));
    assert!(net.types[0].ends_with("/Network Reachability"));
    assert!(net.vulnerability().is_none());
}

#[test]
fn access_analyzer_findings_name_resource_and_principal() {
    let ctx = SourceContext {
        analyzer_arn: Some("arn:aws:access-analyzer:eu-west-1:123456789012:analyzer/account".into()),
        ..Default::default()
    };
    let f = read(AwsSource::AccessAnalyzer, "accessanalyzer-list-findings.json", &ctx);
    assert_eq!(f.len(), 2);
    let public = &f[0];
    assert_eq!(public.product_arn, "arn:aws:securityhub:eu-west-1::product/aws/access-analyzer");
    assert_eq!(public.product_name, "IAM Access Analyzer");
    assert_eq!(public.id, "arn:aws:access-analyzer:eu-west-1:123456789012:analyzer/account/5e0c9a3f-1d2b-4c6e-8f7a-9b0c1d2e3f4a");
    assert_eq!(public.severity, Severity::High);
    assert_eq!(public.resources[0].kind, "AwsS3Bucket");
    assert_eq!(public.resources[0].id, "arn:aws:s3:::example-public-site");
    assert_eq!(public.region, "eu-west-1");
    assert!(public.description.contains("Principal AWS: *"), "{}", public.description);
    assert!(public.description.contains("s3:GetObject"), "{}", public.description);
    assert_eq!(public.product_fields.get("aws/access-analyzer/isPublic").map(String::as_str), Some("true"));
    let role = &f[1];
    assert_eq!(role.severity, Severity::Medium);
    assert_eq!(role.resources[0].kind, "AwsIamRole");
    assert!(role.description.contains("444455556666"));
    assert_eq!(role.record_state, Some(RecordState::Archived));

    let v2 = read(AwsSource::AccessAnalyzer, "accessanalyzer-list-findings-v2.json", &ctx);
    assert_eq!(v2[0].severity, Severity::Low);
    assert_eq!(v2[0].product_fields.get("aws/access-analyzer/findingType").map(String::as_str), Some("UnusedIAMRole"));
    assert_eq!(v2[0].resources[0].id, "arn:aws:iam::123456789012:role/old-batch");

    // Without an analyzer or a region (an IAM role's ARN names none) the region is unknown:
    // each finding is refused, saying what to give, never filed under a made-up region.
    let bytes =
        std::fs::read(format!("{}/../../testdata/aws-findings/accessanalyzer-list-findings-v2.json", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let parsed = parse_response(AwsSource::AccessAnalyzer, &bytes, &SourceContext::default()).unwrap();
    let err = parsed.findings[0].as_ref().expect_err("no region");
    assert!(err.message.contains("region"), "{err}");
}

#[test]
fn macie_findings() {
    let f = read(AwsSource::Macie, "macie-get-findings.json", &SourceContext::default());
    assert_eq!(f.len(), 2);
    let pii = &f[0];
    assert_eq!(pii.product_arn, "arn:aws:securityhub:eu-west-1::product/aws/macie");
    assert_eq!(pii.product_name, "Macie");
    assert_eq!(pii.id, "arn:aws:macie2:eu-west-1:123456789012:finding/3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c");
    assert_eq!(pii.severity, Severity::High);
    assert_eq!(pii.types, vec!["Sensitive Data Identifications/SensitiveData:S3Object-Personal"]);
    let res: Vec<(&str, &str)> = pii.resources.iter().map(|r| (r.kind.as_str(), r.id.as_str())).collect();
    assert_eq!(res, vec![("AwsS3Bucket", "arn:aws:s3:::example-data"), ("AwsS3Object", "arn:aws:s3:::example-data/exports/customers.csv")]);
    assert_eq!(pii.resources[0].tags.get("team").map(String::as_str), Some("data"));
    let policy = &f[1];
    assert_eq!(policy.severity, Severity::Medium);
    assert!(policy.types[0].starts_with("Software and Configuration Checks/"));
}

#[test]
fn config_non_compliant_evaluations_become_failed_findings() {
    let ctx = SourceContext { account: Some("123456789012".into()), region: Some("eu-west-1".into()), ..Default::default() };
    let f = read(AwsSource::Config, "config-get-compliance-details.json", &ctx);
    assert_eq!(f.len(), 2, "the COMPLIANT evaluation is not a finding");
    let s3 = &f[0];
    assert_eq!(s3.product_arn, "arn:aws:securityhub:eu-west-1::product/aws/config");
    assert_eq!(s3.product_name, "Config");
    assert_eq!(
        s3.id,
        "arn:aws:config:eu-west-1:123456789012:config-rule/s3-bucket-versioning-enabled/finding/AWS::S3::Bucket/example-data"
    );
    assert_eq!(s3.generator_id, "config-rule/s3-bucket-versioning-enabled");
    assert_eq!(s3.compliance_status, Some(Status::Failed));
    assert_eq!(s3.severity, Severity::Medium);
    assert_eq!(s3.resources[0].kind, "AwsS3Bucket");
    assert_eq!(s3.resources[0].id, "example-data");
    assert_eq!(s3.created_at, ts("2025-12-01T08:00:01.25Z"));
    assert!(s3.description.contains("Versioning is not enabled"));
    assert_eq!(f[1].resources[0].kind, "AwsEc2SecurityGroup");

    // Config's evaluations name no account or region: without them nothing is stored.
    let bytes =
        std::fs::read(format!("{}/../../testdata/aws-findings/config-get-compliance-details.json", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let parsed = parse_response(AwsSource::Config, &bytes, &SourceContext::default()).unwrap();
    assert!(parsed.findings.iter().all(|f| f.as_ref().is_err_and(|e| e.message.contains("account"))));
}

#[test]
fn wrong_responses_are_refused_as_documents_or_per_finding() {
    let e = parse_response(AwsSource::GuardDuty, br#"{"detectorIds": []}"#, &SourceContext::default()).unwrap_err();
    assert!(e.to_string().contains("no \"findings\" list"), "{e}");
    let e = parse_response(AwsSource::Macie, b"not json", &SourceContext::default()).unwrap_err();
    assert!(e.to_string().starts_with("not JSON"), "{e}");
    // One bad finding (no severity) among good ones: it alone is refused, with its index.
    let doc = br#"{"findings": [
        {"id": "x1", "accountId": "123456789012", "region": "us-east-1", "type": "Recon:EC2/PortProbeUnprotectedPort", "createdAt": "2026-01-01T00:00:00Z", "resource": {"resourceType": "Instance", "instanceDetails": {"instanceId": "i-1"}}},
        {"id": "x2", "accountId": "123456789012", "region": "us-east-1", "type": "Recon:EC2/PortProbeUnprotectedPort", "severity": 2, "createdAt": "2026-01-01T00:00:00Z", "resource": {"resourceType": "Instance", "instanceDetails": {"instanceId": "i-2"}}}
    ]}"#;
    let parsed = parse_response(AwsSource::GuardDuty, doc, &SourceContext::default()).unwrap();
    let e = parsed.findings[0].as_ref().unwrap_err();
    assert_eq!((e.index, e.code), (0, "InvalidInput"));
    assert!(e.message.contains("severity"), "{e}");
    let ok = parsed.findings[1].as_ref().unwrap();
    assert_eq!(ok.id, "arn:aws:guardduty:us-east-1:123456789012:finding/x2");
    assert_eq!(ok.types, vec!["TTPs/Recon/Recon:EC2-PortProbeUnprotectedPort"]);
}

#[test]
fn sources_parse_by_name() {
    for s in AwsSource::ALL {
        assert_eq!(AwsSource::parse(s.as_str()), Some(s));
    }
    assert_eq!(AwsSource::parse("GuardDuty"), Some(AwsSource::GuardDuty));
    assert_eq!(AwsSource::parse("detective"), None);
}

/// Outside input: every finding of every test file with each of its members (at any depth)
/// removed or replaced by a value of another type reads as a finding or an `InvalidInput`
/// with its index — never a panic.
#[test]
fn mangled_findings_never_panic() {
    use serde_json::Value;
    fn paths(v: &Value, at: Vec<String>, out: &mut Vec<Vec<String>>) {
        if let Value::Object(m) = v {
            for (k, c) in m {
                let mut p = at.clone();
                p.push(k.clone());
                out.push(p.clone());
                paths(c, p, out);
            }
        }
    }
    fn edit(v: &mut Value, path: &[String], with: Option<&Value>) {
        let Value::Object(m) = v else { return };
        if path.len() == 1 {
            match with {
                None => {
                    m.remove(&path[0]);
                }
                Some(w) => {
                    m.insert(path[0].clone(), w.clone());
                }
            }
        } else if let Some(c) = m.get_mut(&path[0]) {
            edit(c, &path[1..], with);
        }
    }
    let ctx = SourceContext { account: Some("123456789012".into()), region: Some("eu-west-1".into()), ..Default::default() };
    let files = [
        (AwsSource::GuardDuty, "guardduty-get-findings.json", "findings"),
        (AwsSource::Inspector2, "inspector2-list-findings.json", "findings"),
        (AwsSource::AccessAnalyzer, "accessanalyzer-list-findings.json", "findings"),
        (AwsSource::Macie, "macie-get-findings.json", "findings"),
        (AwsSource::Config, "config-get-compliance-details.json", "EvaluationResults"),
    ];
    let replacements = [Value::Null, serde_json::json!(-1.5e300), serde_json::json!("x"), serde_json::json!([]), serde_json::json!({})];
    let mut tried = 0;
    for (source, file, key) in files {
        let path = format!("{}/../../testdata/aws-findings/{file}", env!("CARGO_MANIFEST_DIR"));
        let doc: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        for finding in doc[key].as_array().unwrap() {
            let mut all = Vec::new();
            paths(finding, Vec::new(), &mut all);
            for p in &all {
                for with in std::iter::once(None).chain(replacements.iter().map(Some)) {
                    let mut f = finding.clone();
                    edit(&mut f, p, with);
                    let body = serde_json::to_vec(&serde_json::json!({ key: [f] })).unwrap();
                    let parsed = parse_response(source, &body, &ctx).unwrap();
                    for r in parsed.findings {
                        if let Err(e) = r {
                            assert_eq!((e.index, e.code), (0, "InvalidInput"), "{source} {p:?}: {e}");
                        }
                    }
                    tried += 1;
                }
            }
        }
    }
    assert!(tried > 1000, "{tried}");
}
