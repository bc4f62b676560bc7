//! OCSF 1.1 finding events (category 2 "Findings"), one per result, PASSED included, as
//! a JSON array: Compliance Finding (class 2003) for configuration results, Vulnerability
//! Finding (class 2002) for host, image and function vulnerabilities, with
//! `vulnerabilities[]` (`cve` with its `cvss[]`, `affected_packages[]`, `fix_available`)
//! instead of `compliance`. A vulnerability no source rates has `severity_id` 0
//! "Unknown", which OCSF has (ASFF does not).
//!
//! Mapping decisions: `time` is the last observation; an ARCHIVED record is activity
//! 3 "Close", every other one activity 1 "Create"; Security Hub's NOTIFIED workflow
//! becomes status 2 "In Progress"; NOT_AVAILABLE becomes compliance status 99 "Other"
//! with its name kept in `compliance.status`. Fields OCSF has no place for go in
//! `unmapped`.

use crate::asff;
use crate::text::epoch_millis;
use crate::Report;
use rampart_model::{Finding, RecordState, RunInfo, Severity, Status, WorkflowStatus};
use serde::{Serialize, Serializer};
use std::collections::BTreeSet;
use std::io::{self, Write};

pub const OCSF_VERSION: &str = "1.1.0";
const CLASS_UID: u32 = 2003;
const VULNERABILITY_CLASS_UID: u32 = 2002;

#[derive(Serialize)]
struct Event<'a> {
    activity_id: u8,
    activity_name: &'static str,
    category_uid: u8,
    category_name: &'static str,
    class_uid: u32,
    class_name: &'static str,
    type_uid: u32,
    type_name: String,
    severity_id: u8,
    severity: &'static str,
    status_id: u8,
    status: &'static str,
    time: i64,
    message: &'a str,
    finding_info: FindingInfo<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    compliance: Option<Compliance<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vulnerabilities: Option<[VulnerabilityDetails<'a>; 1]>,
    resources: [ResourceDetails<'a>; 1],
    cloud: Cloud<'a>,
    remediation: Remediation<'a>,
    metadata: Metadata<'a>,
    unmapped: Unmapped<'a>,
}

#[derive(Serialize)]
struct FindingInfo<'a> {
    uid: &'a str,
    title: &'a str,
    desc: &'a str,
    first_seen_time: i64,
    last_seen_time: i64,
    types: Vec<&'a str>,
}

#[derive(Serialize)]
struct Compliance<'a> {
    status_id: u8,
    status: &'static str,
    status_detail: &'a str,
    control: &'a str,
    requirements: &'a [String],
    standards: Vec<&'a str>,
}

/// OCSF Vulnerability Details.
#[derive(Serialize)]
struct VulnerabilityDetails<'a> {
    cve: Cve<'a>,
    title: &'a str,
    desc: &'a str,
    severity: &'static str,
    vendor_name: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_vulnerabilities: Vec<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    references: &'a [String],
    affected_packages: [AffectedPackage<'a>; 1],
    fix_available: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    remediation: Option<VulnRemediation<'a>>,
    first_seen_time: i64,
    last_seen_time: i64,
}

/// OCSF CVE.
#[derive(Serialize)]
struct Cve<'a> {
    uid: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    cvss: Vec<Cvss<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_time: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    modified_time: Option<i64>,
}

/// OCSF CVSS Score.
#[derive(Serialize)]
struct Cvss<'a> {
    version: &'a str,
    base_score: f64,
    vector_string: &'a str,
    severity: &'static str,
}

/// OCSF Affected Software Package.
#[derive(Serialize)]
struct AffectedPackage<'a> {
    name: &'a str,
    version: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    epoch: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    release: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    architecture: Option<&'a str>,
    package_manager: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    fixed_in_version: Option<&'a str>,
}

#[derive(Serialize)]
struct VulnRemediation<'a> {
    desc: &'a str,
}

#[derive(Serialize)]
struct ResourceDetails<'a> {
    uid: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    region: &'a str,
    cloud_partition: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    name: &'a str,
}

#[derive(Serialize)]
struct Cloud<'a> {
    provider: &'static str,
    account: Account<'a>,
    region: &'a str,
}

#[derive(Serialize)]
struct Account<'a> {
    uid: &'a str,
    type_id: u8,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct Remediation<'a> {
    desc: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    references: Vec<&'a str>,
}

#[derive(Serialize)]
struct Metadata<'a> {
    version: &'static str,
    event_code: &'a str,
    product: Product<'a>,
}

#[derive(Serialize)]
struct Product<'a> {
    name: &'static str,
    vendor_name: &'static str,
    version: &'a str,
}

#[derive(Serialize)]
struct Unmapped<'a> {
    detail: &'a str,
    service: &'a str,
    workflow_status: &'static str,
    record_state: &'static str,
    remediation_cli: &'a str,
    /// What the run could not read (`RunInfo::incomplete`); absent when it read everything.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    run_incomplete: &'a [String],
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut ser = serde_json::Serializer::pretty(&mut *out);
    ser.collect_seq(report.findings.iter().map(|f| to_ocsf(f, report.run)))?;
    out.write_all(b"\n")
}

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Informational => "Informational",
        Severity::Low => "Low",
        Severity::Medium => "Medium",
        Severity::High => "High",
        Severity::Critical => "Critical",
    }
}

/// OCSF `compliance.status_id` and its caption.
fn compliance_status(s: Status) -> (u8, &'static str) {
    match s {
        Status::Passed => (1, "Pass"),
        Status::Warning => (2, "Warning"),
        Status::Failed => (3, "Fail"),
        Status::NotAvailable => (99, "NOT_AVAILABLE"),
    }
}

/// OCSF finding `status_id` and its caption, from Security Hub's workflow.
fn finding_status(w: WorkflowStatus) -> (u8, &'static str) {
    match w {
        WorkflowStatus::New => (1, "New"),
        WorkflowStatus::Notified => (2, "In Progress"),
        WorkflowStatus::Suppressed => (3, "Suppressed"),
        WorkflowStatus::Resolved => (4, "Resolved"),
    }
}

/// The standard a related requirement belongs to: the text before its `/` or `:`.
fn standard_of(requirement: &str) -> &str {
    let end = requirement.find(['/', ':']).unwrap_or(requirement.len());
    requirement[..end].trim()
}

/// OCSF `severity_id` and its caption: 0 "Unknown" for a vulnerability no source rates.
fn severity_of(f: &Finding) -> (u8, &'static str) {
    if f.severity_unknown() {
        (0, "Unknown")
    } else {
        (f.severity.ocsf_id(), severity_name(f.severity))
    }
}

/// Milliseconds since the epoch of an RFC 3339 time an advisory gives.
fn advisory_time(s: &Option<String>) -> Option<i64> {
    let t = time::OffsetDateTime::parse(s.as_deref()?, &time::format_description::well_known::Rfc3339).ok()?;
    Some(epoch_millis(t))
}

fn vulnerability_details<'a>(f: &'a Finding, v: &'a rampart_model::Vulnerability) -> VulnerabilityDetails<'a> {
    // `cve.uid` is the vulnerability's id: its CVE when it has one, else the advisory's
    // (an advisory naming several CVEs, whose CVSS may be of only one of them, is not
    // attributed to the first).
    let uid = v.id.as_str();
    let p = &v.package;
    VulnerabilityDetails {
        cve: Cve {
            uid,
            cvss: v
                .cvss
                .iter()
                .map(|c| Cvss {
                    version: &c.version,
                    base_score: c.base_score,
                    vector_string: &c.base_vector,
                    severity: severity_name(rampart_model::Severity::from_cvss(c.base_score)),
                })
                .collect(),
            created_time: advisory_time(&v.vendor.created_at),
            modified_time: advisory_time(&v.vendor.updated_at),
        },
        title: &v.advisory,
        desc: &f.reason,
        severity: severity_of(f).1,
        vendor_name: &v.vendor.name,
        related_vulnerabilities: std::iter::once(&v.id).chain(&v.related).map(String::as_str).filter(|x| *x != uid).collect(),
        references: &v.reference_urls,
        affected_packages: [AffectedPackage {
            name: &p.name,
            version: &p.version,
            epoch: p.epoch.as_deref(),
            release: p.release.as_deref(),
            architecture: p.architecture.as_deref(),
            package_manager: &p.package_manager,
            path: &p.file_path,
            fixed_in_version: p.fixed_in_version.as_deref(),
        }],
        fix_available: v.fix_available() == rampart_model::FixAvailable::Yes,
        remediation: p.remediation.as_deref().map(|desc| VulnRemediation { desc }),
        first_seen_time: epoch_millis(f.first_observed),
        last_seen_time: epoch_millis(f.last_observed),
    }
}

fn to_ocsf<'a>(f: &'a Finding, run: &'a RunInfo) -> Event<'a> {
    let (activity_id, activity_name) = match f.record_state {
        RecordState::Active => (1, "Create"),
        RecordState::Archived => (3, "Close"),
    };
    let (status_id, status) = finding_status(f.workflow_status);
    let (compliance_id, compliance_name) = compliance_status(f.status);
    let r = &f.resource;
    let standards: BTreeSet<&str> = f.related_requirements.iter().map(|q| standard_of(q)).collect();
    let desc = match (f.remediation_console.trim(), f.remediation_cli.trim()) {
        (console, "") => console.to_string(),
        ("", cli) => format!("CLI: {cli}"),
        (console, cli) => format!("{console} CLI: {cli}"),
    };
    let (class_uid, class_name) = match f.vulnerability {
        Some(_) => (VULNERABILITY_CLASS_UID, "Vulnerability Finding"),
        None => (CLASS_UID, "Compliance Finding"),
    };
    let (severity_id, severity) = severity_of(f);
    Event {
        activity_id,
        activity_name,
        category_uid: 2,
        category_name: "Findings",
        class_uid,
        class_name,
        type_uid: class_uid * 100 + u32::from(activity_id),
        type_name: format!("{class_name}: {activity_name}"),
        severity_id,
        severity,
        status_id,
        status,
        time: epoch_millis(f.last_observed),
        message: &f.reason,
        finding_info: FindingInfo {
            uid: &f.id,
            title: &f.title,
            desc: &f.description,
            first_seen_time: epoch_millis(f.first_observed),
            last_seen_time: epoch_millis(f.last_observed),
            types: asff::types(f),
        },
        compliance: f.vulnerability.is_none().then(|| Compliance {
            status_id: compliance_id,
            status: compliance_name,
            status_detail: &f.reason,
            control: &f.check_id,
            requirements: &f.related_requirements,
            standards: standards.into_iter().collect(),
        }),
        vulnerabilities: f.vulnerability.as_deref().map(|v| [vulnerability_details(f, v)]),
        resources: [ResourceDetails { uid: &r.id, kind: r.kind.asff(), region: &r.region, cloud_partition: &r.partition, name: &r.name }],
        cloud: Cloud { provider: "AWS", account: Account { uid: &r.account, type_id: 10, kind: "AWS Account" }, region: &r.region },
        remediation: Remediation {
            desc,
            references: Some(f.remediation_url.as_ref()).filter(|u: &&str| !u.is_empty()).into_iter().collect(),
        },
        metadata: Metadata {
            version: OCSF_VERSION,
            event_code: &f.check_id,
            product: Product { name: "Rampart", vendor_name: "Rampart", version: &run.tool_version },
        },
        unmapped: Unmapped {
            detail: &f.detail,
            service: &f.service,
            workflow_status: f.workflow_status.as_str(),
            record_state: f.record_state.as_str(),
            remediation_cli: &f.remediation_cli,
            run_incomplete: &run.incomplete,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{fixtures, render, Format};
    use serde_json::Value;

    #[test]
    fn ocsf_snapshot_and_invariants() {
        let (run, findings, gaps) = fixtures::small();
        let mut out = Vec::new();
        render(Format::Ocsf, &Report { run: &run, findings: &findings, gaps: &gaps, compliance: &[] }, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let v: Vec<Value> = serde_json::from_str(&text).unwrap();
        assert_eq!(v.len(), findings.len());
        for (e, f) in v.iter().zip(&findings) {
            assert_eq!(e["class_uid"], 2003);
            assert_eq!(e["category_uid"], 2);
            assert_eq!(e["type_uid"], 200301);
            assert_eq!(e["finding_info"]["uid"], f.id.as_str());
            assert_eq!(e["time"], e["finding_info"]["last_seen_time"]);
            let expected = match f.status {
                Status::Passed => 1,
                Status::Warning => 2,
                Status::Failed => 3,
                Status::NotAvailable => 99,
            };
            assert_eq!(e["compliance"]["status_id"], expected);
        }
        insta::assert_snapshot!(text);
    }

    #[test]
    fn archived_records_close() {
        let (run, mut findings, _) = fixtures::small();
        findings.truncate(1);
        findings[0].record_state = RecordState::Archived;
        let e = serde_json::to_value(to_ocsf(&findings[0], &run)).unwrap();
        assert_eq!((e["activity_id"].as_u64(), e["type_uid"].as_u64()), (Some(3), Some(200303)));
    }

    #[test]
    fn standards_from_requirements() {
        assert_eq!(standard_of("CIS AWS Foundations Benchmark v3.0.0/1.5"), "CIS AWS Foundations Benchmark v3.0.0");
        assert_eq!(standard_of("Trusted Advisor: MFA on Root Account"), "Trusted Advisor");
        assert_eq!(standard_of("plain"), "plain");
    }

    /// Vulnerabilities are Vulnerability Findings (2002) with `vulnerabilities[]`; the
    /// configuration finding of the same host stays a Compliance Finding.
    #[test]
    fn vulnerability_findings() {
        let (run, findings) = fixtures::vulnerabilities();
        let mut out = Vec::new();
        render(Format::Ocsf, &Report { run: &run, findings: &findings, gaps: &[], compliance: &[] }, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let v: Vec<Value> = serde_json::from_str(&text).unwrap();
        for e in &v[..3] {
            assert_eq!((e["class_uid"].as_u64(), e["type_uid"].as_u64()), (Some(2002), Some(200201)));
            assert!(e.get("compliance").is_none());
            let vuln = &e["vulnerabilities"][0];
            assert!(!vuln["cve"]["uid"].as_str().unwrap().is_empty());
            assert!(vuln["affected_packages"][0]["name"].is_string());
            assert!(vuln["fix_available"].is_boolean());
        }
        let os = &v[0]["vulnerabilities"][0];
        assert_eq!(os["cve"]["uid"], "DSA-5103-1", "two CVEs: the advisory");
        assert_eq!(os["related_vulnerabilities"], serde_json::json!(["CVE-2021-4160", "CVE-2022-0778"]));
        assert_eq!(v[1]["vulnerabilities"][0]["cve"]["uid"], "CVE-2022-0778");
        assert_eq!(os["cve"]["cvss"][0]["base_score"], 7.5);
        assert_eq!(os["cve"]["cvss"][0]["severity"], "High");
        assert_eq!(os["affected_packages"][0]["fixed_in_version"], "1.1.1k-1+deb11u2");
        assert_eq!((v[0]["severity_id"].as_u64(), v[0]["severity"].as_str()), (Some(4), Some("High")));
        assert_eq!((v[2]["severity_id"].as_u64(), v[2]["severity"].as_str()), (Some(0), Some("Unknown")));
        assert_eq!(v[2]["vulnerabilities"][0]["fix_available"], false);
        assert_eq!(v[3]["class_uid"], 2003);
        assert!(v[3].get("vulnerabilities").is_none());
        insta::assert_snapshot!(text);
    }
}
