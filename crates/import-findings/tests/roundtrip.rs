//! Rampart's own ASFF and OCSF output (crates/report), read back: every field that maps
//! comes back as it went out.

use rampart_import_findings::{parse_document, Format};
use rampart_model::{
    Category, CheckMeta, CheckResult, CvssScore, Finding, RecordState, Remediation, Resource, ResourceType, RunInfo, Severity, StandardRef,
    Status, Vendor, Vulnerability, VulnerablePackage, WorkflowStatus,
};
use rampart_report::{render, Report};
use time::macros::datetime;

const ACCOUNT: &str = "123456789012";

const S3: CheckMeta = CheckMeta {
    id: "s3_bucket_public_read",
    title: "S3 bucket allows public read",
    description: "Checks whether an S3 bucket grants read access to everyone.",
    severity: Severity::High,
    category: Category::Security,
    service: "s3",
    resource_type: ResourceType::AwsS3Bucket,
    standards: &[StandardRef::fsbp("S3.2"), StandardRef::cis("2.1.4")],
    remediation: Remediation {
        console: "Turn on Block all public access.",
        cli: "aws s3api put-public-access-block --bucket <bucket>",
        url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
    },
};

fn resource(id: &str, kind: ResourceType, region: &str) -> Resource {
    Resource { id: id.into(), kind, account: ACCOUNT.into(), region: region.into(), partition: "aws".into(), name: "b".into() }
}

fn findings() -> Vec<Finding> {
    let t0 = datetime!(2026-03-01 10:00:00 UTC);
    let t1 = datetime!(2026-03-02 11:30:00 UTC);
    let failed = CheckResult {
        check_id: S3.id,
        resource: resource("arn:aws:s3:::b", ResourceType::AwsS3Bucket, "us-east-1"),
        status: Status::Failed,
        detail: String::new(),
        reason: "The bucket policy grants s3:GetObject to *.".into(),
        severity: None,
    };
    let mut a = Finding::from_result(&S3, failed, t0);
    a.last_observed = t1;
    let passed = CheckResult {
        check_id: S3.id,
        resource: resource("arn:aws:s3:::c", ResourceType::AwsS3Bucket, "eu-west-1"),
        status: Status::Passed,
        detail: String::new(),
        reason: "No grant to everyone.".into(),
        severity: None,
    };
    let mut b = Finding::from_result(&S3, passed, t0);
    b.workflow_status = WorkflowStatus::Notified;
    b.record_state = RecordState::Archived;
    let cve = CheckResult {
        check_id: "host_cve",
        resource: resource("arn:aws:ec2:us-east-1:123456789012:instance/i-0abc", ResourceType::AwsEc2Instance, "us-east-1"),
        status: Status::Failed,
        detail: "CVE-2024-0001 openssl".into(),
        reason: "openssl 3.0.1 is affected; fixed in 3.0.2.".into(),
        severity: Some(Severity::Critical),
    };
    let mut c = Finding::from_result(&S3, cve, t0);
    c.vulnerability = Some(Box::new(Vulnerability {
        id: "CVE-2024-0001".into(),
        advisory: "DSA-1234-1".into(),
        related: vec!["CVE-2024-0002".into()],
        severity: Some(Severity::Critical),
        severity_source: "NVD".into(),
        cvss: vec![CvssScore {
            version: "3.1".into(),
            base_score: 9.8,
            base_vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".into(),
            source: "NVD".into(),
        }],
        package: VulnerablePackage {
            name: "openssl".into(),
            version: "3.0.1".into(),
            package_manager: "dpkg".into(),
            ecosystem: "Debian:12".into(),
            fixed_in_version: Some("3.0.2".into()),
            ..Default::default()
        },
        vendor: Vendor { name: "Debian".into(), url: Some("https://security-tracker.debian.org".into()), ..Default::default() },
        reference_urls: vec!["https://nvd.nist.gov/vuln/detail/CVE-2024-0001".into()],
    }));
    vec![a, b, c]
}

fn run() -> RunInfo {
    // Through serde, so fields added to RunInfo later (with defaults) need no change here.
    serde_json::from_value(serde_json::json!({
        "id": "run-1", "started_at": "2026-03-02T11:00:00Z", "finished_at": "2026-03-02T11:30:00Z",
        "source": "demo", "accounts": [ACCOUNT], "regions": ["us-east-1"], "tool_version": "0.1.0"
    }))
    .unwrap()
}

fn rendered(format: rampart_report::Format, findings: &[Finding]) -> Vec<u8> {
    let run = run();
    let report = Report { run: &run, findings, gaps: &[], compliance: &[] };
    let mut out = Vec::new();
    render(format, &report, &mut out).unwrap();
    out
}

#[test]
fn rampart_asff_reimports_with_every_field_that_maps() {
    let fs = findings();
    let bytes = rendered(rampart_report::Format::Asff, &fs);
    let doc = parse_document(&bytes, None).unwrap();
    assert_eq!(doc.format, Format::Asff);
    assert_eq!(doc.findings.len(), 3);
    let back: Vec<_> = doc.findings.into_iter().map(|r| r.expect("Rampart's own ASFF imports")).collect();
    for (f, i) in fs.iter().zip(&back) {
        assert_eq!(i.id, f.id);
        assert_eq!(i.product_arn, format!("arn:aws:securityhub:{}:{ACCOUNT}:product/{ACCOUNT}/default", f.resource.region));
        assert_eq!((i.product_name.as_str(), i.company_name.as_str()), ("Rampart", "Rampart"));
        assert_eq!(i.generator_id, format!("rampart/{}", f.check_id));
        assert_eq!(i.aws_account_id, ACCOUNT);
        assert_eq!(i.region, f.resource.region);
        assert_eq!(i.severity, f.severity);
        assert_eq!(i.severity_normalized, f.severity.normalized());
        assert_eq!(i.title, f.title);
        assert!(i.description.contains(&f.reason), "{}", i.description);
        assert_eq!(i.compliance_status, Some(f.status));
        assert_eq!(i.related_requirements, f.related_requirements.to_vec());
        assert_eq!(i.workflow_status, Some(f.workflow_status));
        assert_eq!(i.record_state, Some(f.record_state));
        assert_eq!(i.created_at, f.first_observed);
        assert_eq!(i.first_observed_at, Some(f.first_observed));
        assert_eq!(i.last_observed_at, Some(f.last_observed));
        let r = i.primary_resource();
        assert_eq!(
            (r.kind.as_str(), r.id.as_str(), r.partition.as_str(), r.region.as_str()),
            (f.resource.kind.asff(), f.resource.id.as_str(), "aws", f.resource.region.as_str())
        );
        assert_eq!(i.remediation_url.as_deref(), Some(&*f.remediation_url));
        assert!(i.remediation_text.as_deref().unwrap().starts_with(&*f.remediation_console));
        assert_eq!(i.product_fields.get("rampart/Reason").map(String::as_str), Some(f.reason.as_str()));
        assert_eq!(i.product_fields.get("rampart/CheckId").map(String::as_str), Some(&*f.check_id));
        assert_eq!(i.vulnerability().as_ref().map(|v| v.id.as_str()), f.vulnerability.as_ref().map(|v| v.id.as_str()));
        assert!(i.document.is_object());
    }
    assert!(back[0].types.iter().any(|t| t.contains("CIS AWS Foundations Benchmark")), "{:?}", back[0].types);
    // The vulnerability comes back as Rampart's model holds it (what ASFF carries of it).
    let v = back[2].vulnerability().unwrap();
    let orig = fs[2].vulnerability.as_deref().unwrap();
    assert_eq!(v.related, orig.related);
    assert_eq!(v.cvss, orig.cvss);
    assert_eq!((v.package.name.as_str(), v.package.version.as_str()), ("openssl", "3.0.1"));
    assert_eq!(v.package.fixed_in_version, orig.package.fixed_in_version);
    assert_eq!(v.package.package_manager, orig.package.package_manager);
    assert_eq!(v.vendor.name, "Debian");
    assert_eq!(v.vendor.url, orig.vendor.url);
    assert_eq!(v.reference_urls, orig.reference_urls);
    assert_eq!(back[2].types, vec!["Software and Configuration Checks/Vulnerabilities/CVE".to_string()]);
}

#[test]
fn rampart_ocsf_reimports_with_every_field_that_maps() {
    let fs = findings();
    let bytes = rendered(rampart_report::Format::Ocsf, &fs);
    let doc = parse_document(&bytes, None).unwrap();
    assert_eq!(doc.format, Format::Ocsf);
    let back: Vec<_> = doc.findings.into_iter().map(|r| r.expect("Rampart's own OCSF imports")).collect();
    for (f, i) in fs.iter().zip(&back) {
        assert_eq!(i.id, f.id);
        assert_eq!(i.generator_id, f.check_id);
        assert_eq!(i.product_name, "Rampart");
        assert_eq!(i.aws_account_id, ACCOUNT);
        assert_eq!(i.severity, f.severity);
        assert_eq!(i.title, f.title);
        assert_eq!(i.workflow_status, Some(f.workflow_status));
        assert_eq!(i.record_state, Some(f.record_state));
        assert_eq!(i.first_observed_at, Some(f.first_observed));
        assert_eq!(i.last_observed_at, Some(f.last_observed));
        let r = i.primary_resource();
        assert_eq!(
            (r.kind.as_str(), r.id.as_str(), r.region.as_str(), r.name.as_str()),
            (f.resource.kind.asff(), f.resource.id.as_str(), f.resource.region.as_str(), "b")
        );
        assert_eq!(i.remediation_url.as_deref(), Some(&*f.remediation_url));
        if f.vulnerability.is_none() {
            // Class 2003 carries compliance; class 2002 (vulnerabilities) has none.
            assert_eq!(i.compliance_status, Some(f.status));
            assert_eq!(i.related_requirements, f.related_requirements.to_vec());
        }
    }
    let v = back[2].vulnerability().unwrap();
    assert_eq!(v.id, "CVE-2024-0001");
    assert_eq!(v.package.fixed_in_version.as_deref(), Some("3.0.2"));
    assert_eq!(v.cvss[0].base_score, 9.8);
}
