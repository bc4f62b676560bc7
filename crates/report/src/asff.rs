//! AWS Security Finding Format, as Security Hub's `BatchImportFindings` accepts it.
//!
//! The output is a JSON array of findings (as Prowler writes its `.asff.json`); an
//! importer sends it in batches of at most 100 as the request's `Findings`. Every
//! result is exported, PASSED ones included, so that Security Hub can resolve a
//! finding when a later scan passes.
//!
//! Limits from the ASFF reference are enforced here: `Title` 256 characters,
//! `Description` 1024, `Remediation.Recommendation.Text` 512, at most 50
//! `ProductFields` with keys of 128 and values of 2048 characters, at most 32
//! `Compliance.RelatedRequirements`, `Severity.Original` 140.
//!
//! Host, image and function vulnerability findings carry ASFF's `Vulnerabilities` object
//! (one vulnerability, one package: a finding is one advisory on one installed package)
//! and the type `Software and Configuration Checks/Vulnerabilities/CVE`, as Inspector's do
//! (<https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_Vulnerability.html>).
//! A vulnerability no source rates has `Severity.Label` `INFORMATIONAL` — `Label` only
//! allows INFORMATIONAL, LOW, MEDIUM, HIGH and CRITICAL, and INFORMATIONAL is the one that
//! claims least — with `Severity.Original` `UNKNOWN` (free text) saying what is true.
//!
//! `AwsAccountId`, `ProductArn` and the resource's `Region` and `Partition` are required. A
//! host, image or function finding has no account of its own (a Lambda function named by
//! `--function-arn` does): it takes the run's account and region when the run names exactly
//! one, else the placeholder account `000000000000` in `us-east-1`, partition `aws`, and says
//! so in `ProductFields["rampart/AccountUnknown"]`. With the default product ARN
//! (`arn:aws:securityhub:REGION:ACCOUNT:product/ACCOUNT/default`) `BatchImportFindings` accepts
//! only the calling account's id, so such findings need both replaced before import.
//!
//! A run that could not read everything it set out to read (`RunInfo::incomplete`) marks
//! each of its findings with `ProductFields["rampart/RunIncomplete"]`: what was not read,
//! `; `-separated. ASFF has no run-level object to carry it (a finding is the unit
//! `BatchImportFindings` takes), and `Note` belongs to the customer's workflow (it cannot
//! be updated through `BatchImportFindings`), so the provider-defined `ProductFields` it is.
//! A partial run with no finding at all has nothing to carry it in ASFF: the JSON output's
//! `run.incomplete` and the exit code say it.
//!
//! `Compliance.StatusReasons` is left out: its documented `ReasonCode` values name
//! Security Hub's own AWS Config evaluations (`CONFIG_ACCESS_DENIED`, ...), none of
//! which describes Rampart's reasons; the reason goes in `Description` and in
//! `ProductFields["rampart/Reason"]` instead.

use crate::text::{rfc3339_millis, truncate_chars};
use crate::Report;
use rampart_model::{Finding, RunInfo};
use serde::{Serialize, Serializer};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Write};

pub const SCHEMA_VERSION: &str = "2018-10-08";
pub const TITLE_MAX: usize = 256;
pub const DESCRIPTION_MAX: usize = 1024;
pub const RECOMMENDATION_MAX: usize = 512;
pub const PRODUCT_FIELD_VALUE_MAX: usize = 2048;
pub const RELATED_REQUIREMENTS_MAX: usize = 32;

const TYPE_BEST_PRACTICES: &str = "Software and Configuration Checks/AWS Security Best Practices";
/// The type Inspector gives package vulnerability findings.
const TYPE_CVE: &str = "Software and Configuration Checks/Vulnerabilities/CVE";
/// ASFF types are `namespace/category/classifier`; "Industry and Regulatory Standards"
/// is a category of the "Software and Configuration Checks" namespace.
const TYPE_CIS: &str = "Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark";

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct AsffFinding<'a> {
    schema_version: &'static str,
    id: &'a str,
    product_arn: String,
    product_name: &'static str,
    company_name: &'static str,
    generator_id: String,
    aws_account_id: &'a str,
    region: &'a str,
    types: Vec<&'a str>,
    created_at: String,
    updated_at: String,
    first_observed_at: String,
    last_observed_at: String,
    severity: Severity<'a>,
    title: Cow<'a, str>,
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    remediation: Option<Remediation<'a>>,
    product_fields: BTreeMap<&'static str, Cow<'a, str>>,
    resources: [Resource<'a>; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    vulnerabilities: Option<[Vulnerability<'a>; 1]>,
    compliance: Compliance<'a>,
    workflow: Workflow,
    record_state: &'static str,
    finding_provider_fields: FindingProviderFields<'a>,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "PascalCase")]
struct Severity<'a> {
    label: &'static str,
    original: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Remediation<'a> {
    recommendation: Recommendation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Recommendation<'a> {
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Resource<'a> {
    #[serde(rename = "Type")]
    kind: &'static str,
    id: &'a str,
    partition: &'a str,
    region: &'a str,
}

/// ASFF `Vulnerability`.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Vulnerability<'a> {
    id: &'a str,
    vulnerable_packages: [SoftwarePackage<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    cvss: Vec<Cvss<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    related_vulnerabilities: &'a [String],
    vendor: Vendor<'a>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    reference_urls: &'a [String],
    fix_available: &'static str,
}

/// ASFF `SoftwarePackage`.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct SoftwarePackage<'a> {
    name: &'a str,
    version: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    epoch: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    release: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    architecture: Option<&'a str>,
    package_manager: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    file_path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fixed_in_version: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remediation: Option<&'a str>,
}

/// ASFF `Cvss`.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Cvss<'a> {
    version: &'a str,
    base_score: f64,
    base_vector: &'a str,
    source: &'a str,
}

/// ASFF `VulnerabilityVendor`.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Vendor<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vendor_severity: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vendor_created_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vendor_updated_at: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Compliance<'a> {
    status: &'static str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    related_requirements: Vec<&'a String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Workflow {
    status: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct FindingProviderFields<'a> {
    severity: Severity<'a>,
    types: Vec<&'a str>,
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut ser = serde_json::Serializer::pretty(&mut *out);
    ser.collect_seq(report.findings.iter().map(|f| to_asff(f, report.run)))?;
    out.write_all(b"\n")
}

/// The prefix of ASFF's `TTPs` namespace. A threat detection over CloudTrail carries its
/// MITRE ATT&CK tactic and technique as the related requirement `TTPs/<tactic>/<technique
/// id>` (`rampart-detect`): that is its type, not a compliance requirement.
const TTP_PREFIX: &str = "TTPs/";

/// Whether a related requirement is an ATT&CK `TTPs/...` type rather than a requirement.
fn is_ttp(r: &str) -> bool {
    r.starts_with(TTP_PREFIX)
}

/// The ASFF `Types` of a finding.
pub(crate) fn types(f: &Finding) -> Vec<&str> {
    if f.vulnerability.is_some() {
        return vec![TYPE_CVE];
    }
    let ttps: Vec<&str> = f.related_requirements.iter().map(String::as_str).filter(|r| is_ttp(r)).collect();
    if !ttps.is_empty() {
        return ttps;
    }
    let mut t = vec![TYPE_BEST_PRACTICES];
    if f.related_requirements.iter().any(|r| r.starts_with("CIS")) {
        t.push(TYPE_CIS);
    }
    t
}

fn to_asff<'a>(f: &'a Finding, run: &'a RunInfo) -> AsffFinding<'a> {
    let r = &f.resource;
    let severity = Severity {
        label: f.severity.label(),
        original: match &f.vulnerability {
            Some(v) => v.severity_label(),
            None => f.severity.as_str(),
        },
    };
    let types = types(f);

    let description = match (f.reason.trim(), f.description.trim()) {
        ("", "") => f.title.to_string(),
        (reason, "") => reason.to_string(),
        ("", desc) => desc.to_string(),
        (reason, desc) => format!("{reason}\n\n{desc}"),
    };

    let text = match (f.remediation_console.trim(), f.remediation_cli.trim()) {
        ("", "") => String::new(),
        (console, "") => console.to_string(),
        ("", cli) => format!("CLI: {cli}"),
        (console, cli) => format!("{console} CLI: {cli}"),
    };
    let url = Some(f.remediation_url.as_ref()).filter(|u: &&str| !u.is_empty());
    let remediation = (!text.is_empty() || url.is_some()).then(|| Remediation {
        recommendation: Recommendation {
            // `Text` is required in a recommendation; fall back on the link.
            text: if text.is_empty() {
                "See the linked documentation.".to_string()
            } else {
                truncate_chars(&text, RECOMMENDATION_MAX).into_owned()
            },
            url,
        },
    });

    let mut fields: BTreeMap<&'static str, Cow<str>> = BTreeMap::new();
    fields.insert("ProviderName", Cow::Borrowed("Rampart"));
    fields.insert("ProviderVersion", Cow::Borrowed(&run.tool_version));
    fields.insert("rampart/CheckId", Cow::Borrowed(&f.check_id));
    for (key, value) in [
        ("rampart/Service", &*f.service),
        ("rampart/Detail", f.detail.as_str()),
        ("rampart/Reason", f.reason.as_str()),
        ("rampart/ResourceName", r.name.as_str()),
        ("rampart/RemediationCli", f.remediation_cli.as_ref()),
    ] {
        fields.insert(key, truncate_chars(value, PRODUCT_FIELD_VALUE_MAX));
    }
    // ASFF has no run-level object: each finding of a partial run says so.
    if !run.incomplete.is_empty() {
        fields.insert("rampart/RunIncomplete", truncate_chars(&run.incomplete.join("; "), PRODUCT_FIELD_VALUE_MAX).into_owned().into());
    }
    if let Some(v) = &f.vulnerability {
        fields.insert("rampart/SeveritySource", truncate_chars(&v.severity_source, PRODUCT_FIELD_VALUE_MAX));
    }
    // A threat detection's detail is the `eventID`s of the CloudTrail records behind it.
    if f.related_requirements.iter().any(|r| is_ttp(r)) {
        fields.insert("rampart/CloudTrailEventIds", truncate_chars(&f.detail, PRODUCT_FIELD_VALUE_MAX));
    }
    // Values must not be blank.
    fields.retain(|_, v| !v.trim().is_empty());

    let (account, region, partition) = placement(f, run);
    if account == UNKNOWN_ACCOUNT {
        fields.insert("rampart/AccountUnknown", Cow::Borrowed(ACCOUNT_UNKNOWN_NOTE));
    }
    let requirements: Vec<&String> = f.related_requirements.iter().filter(|r| !is_ttp(r)).take(RELATED_REQUIREMENTS_MAX).collect();
    AsffFinding {
        schema_version: SCHEMA_VERSION,
        id: &f.id,
        product_arn: format!("arn:{partition}:securityhub:{region}:{account}:product/{account}/default"),
        product_name: "Rampart",
        company_name: "Rampart",
        generator_id: format!("rampart/{}", f.check_id),
        aws_account_id: account,
        region,
        types: types.clone(),
        created_at: rfc3339_millis(f.first_observed),
        updated_at: rfc3339_millis(f.last_observed),
        first_observed_at: rfc3339_millis(f.first_observed),
        last_observed_at: rfc3339_millis(f.last_observed),
        severity: severity.clone(),
        title: truncate_chars(&f.title, TITLE_MAX),
        description: truncate_chars(&description, DESCRIPTION_MAX).into_owned(),
        remediation,
        product_fields: fields,
        resources: [Resource { kind: r.kind.asff(), id: &r.id, partition, region }],
        vulnerabilities: f.vulnerability.as_deref().map(|v| [vulnerability(v)]),
        compliance: Compliance { status: f.status.as_str(), related_requirements: requirements },
        workflow: Workflow { status: f.workflow_status.as_str() },
        record_state: f.record_state.as_str(),
        finding_provider_fields: FindingProviderFields { severity, types },
    }
}

/// `AwsAccountId` when the finding's account is not known (a host, image or function scanned
/// without an account): twelve digits, the shape ASFF requires, that names no account.
pub const UNKNOWN_ACCOUNT: &str = "000000000000";
/// `Region` (and the `ProductArn`'s region) when neither the resource nor the run names one.
pub const UNKNOWN_REGION: &str = "us-east-1";
const ACCOUNT_UNKNOWN_NOTE: &str = "The scan did not know the AWS account of this resource: AwsAccountId and ProductArn name account 000000000000. BatchImportFindings with the default product ARN accepts only the calling account's id: replace both before importing.";

/// The account, region and partition a finding is reported in: the resource's; else the run's
/// only account or region; else [`UNKNOWN_ACCOUNT`], [`UNKNOWN_REGION`] and `aws`. ASFF
/// requires `AwsAccountId`, `ProductArn` (whose account and region are the importer's for a
/// custom integration: `arn:aws:securityhub:REGION:ACCOUNT:product/ACCOUNT/default`) and the
/// resource's `Partition` and `Region`; a host, image or function finding has none of its own.
fn placement<'a>(f: &'a Finding, run: &'a RunInfo) -> (&'a str, &'a str, &'a str) {
    let r = &f.resource;
    let only = |v: &'a [String]| match v {
        [one] if !one.is_empty() => Some(one.as_str()),
        _ => None,
    };
    let account = Some(r.account.as_str()).filter(|a| !a.is_empty()).or_else(|| only(&run.accounts)).unwrap_or(UNKNOWN_ACCOUNT);
    let region = Some(r.region.as_str()).filter(|a| !a.is_empty()).or_else(|| only(&run.regions)).unwrap_or(UNKNOWN_REGION);
    let partition = Some(r.partition.as_str()).filter(|p| !p.is_empty()).unwrap_or("aws");
    (account, region, partition)
}

fn vulnerability(v: &rampart_model::Vulnerability) -> Vulnerability<'_> {
    let p = &v.package;
    // ASFF timestamps; a date the advisory spells otherwise is left out rather than sent wrong.
    let ts = |s: &Option<String>| {
        let t = time::OffsetDateTime::parse(s.as_deref()?, &time::format_description::well_known::Rfc3339).ok()?;
        Some(rfc3339_millis(t))
    };
    Vulnerability {
        id: &v.id,
        vulnerable_packages: [SoftwarePackage {
            name: &p.name,
            version: &p.version,
            epoch: p.epoch.as_deref(),
            release: p.release.as_deref(),
            architecture: p.architecture.as_deref(),
            package_manager: &p.package_manager,
            file_path: Some(p.file_path.as_str()).filter(|x| !x.is_empty()),
            fixed_in_version: p.fixed_in_version.as_deref(),
            remediation: p.remediation.as_deref(),
        }],
        cvss: v
            .cvss
            .iter()
            .map(|c| Cvss { version: &c.version, base_score: c.base_score, base_vector: &c.base_vector, source: &c.source })
            .collect(),
        related_vulnerabilities: &v.related,
        vendor: Vendor {
            name: &v.vendor.name,
            url: v.vendor.url.as_deref(),
            vendor_severity: v.vendor.severity.as_deref(),
            vendor_created_at: ts(&v.vendor.created_at),
            vendor_updated_at: ts(&v.vendor.updated_at),
        },
        reference_urls: &v.reference_urls,
        fix_available: v.fix_available().as_str(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{fixtures, render, Format};
    use serde_json::Value;

    fn asff(report: &Report) -> (String, Vec<Value>) {
        let mut out = Vec::new();
        render(Format::Asff, report, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let v: Vec<Value> = serde_json::from_str(&text).unwrap();
        (text, v)
    }

    #[test]
    fn asff_snapshot() {
        let (run, findings, gaps) = fixtures::small();
        let (text, v) = asff(&Report { run: &run, findings: &findings, gaps: &gaps, compliance: &[] });
        assert_eq!(v.len(), findings.len(), "one entry per finding, PASSED included");
        insta::assert_snapshot!(text);
    }

    /// The rules of the ASFF reference every finding must follow: required attributes
    /// present and non-empty, enumerations, lengths and formats.
    fn assert_valid(f: &Value) {
        let chars = |v: &Value| v.as_str().unwrap().chars().count();
        let is_millis_ts = |v: &Value| {
            let s = v.as_str().unwrap();
            s.len() == 24
                && s.ends_with('Z')
                && &s[19..20] == "."
                && time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).is_ok()
        };
        for key in ["SchemaVersion", "Id", "ProductArn", "GeneratorId", "AwsAccountId", "CreatedAt", "UpdatedAt", "Title", "Description"] {
            assert!(!f[key].as_str().unwrap().trim().is_empty(), "{key} in {f}");
        }
        assert_eq!(f["SchemaVersion"], SCHEMA_VERSION);
        assert!(!f["Types"].as_array().unwrap().is_empty());
        assert!(f["Types"].as_array().unwrap().len() <= 50);
        // `namespace/category/classifier`, in one of ASFF's namespaces.
        for t in f["Types"].as_array().unwrap() {
            let t = t.as_str().unwrap();
            assert!(["Software and Configuration Checks/", "TTPs/"].iter().any(|n| t.starts_with(n)), "{t}");
            assert!((2..=3).contains(&t.split('/').count()) || t.starts_with("Software"), "{t}");
        }
        assert!(f["Severity"]["Label"].is_string());
        assert!(chars(&f["Severity"]["Original"]) <= 140);
        let res = f["Resources"].as_array().unwrap();
        assert_eq!(res.len(), 1);
        for key in ["Type", "Id", "Partition", "Region"] {
            assert!(res[0][key].is_string(), "Resources[0].{key}");
        }
        for key in ["CreatedAt", "UpdatedAt", "FirstObservedAt", "LastObservedAt"] {
            assert!(is_millis_ts(&f[key]), "{key}: {}", f[key]);
        }
        assert_eq!(f["AwsAccountId"].as_str().unwrap().len(), 12);
        let arn = f["ProductArn"].as_str().unwrap();
        assert_eq!(arn, format!("arn:aws:securityhub:{}:123456789012:product/123456789012/default", f["Region"].as_str().unwrap()));
        assert!(f["GeneratorId"].as_str().unwrap().starts_with("rampart/"));
        assert!(chars(&f["Id"]) <= 512 && chars(&f["GeneratorId"]) <= 512);

        assert!(chars(&f["Title"]) <= TITLE_MAX);
        assert!(chars(&f["Description"]) <= DESCRIPTION_MAX);
        assert!(chars(&f["Remediation"]["Recommendation"]["Text"]) <= RECOMMENDATION_MAX);
        let fields = f["ProductFields"].as_object().unwrap();
        assert!(fields.len() <= 50);
        for (k, val) in fields {
            assert!(k.chars().count() <= 128);
            let n = chars(val);
            assert!((1..=PRODUCT_FIELD_VALUE_MAX).contains(&n), "{k} has {n} characters");
        }
        let reqs = f["Compliance"]["RelatedRequirements"].as_array().map_or(0, Vec::len);
        assert!(reqs <= RELATED_REQUIREMENTS_MAX);
        assert!(["PASSED", "FAILED", "WARNING", "NOT_AVAILABLE"].contains(&f["Compliance"]["Status"].as_str().unwrap()));
        assert!(["NEW", "NOTIFIED", "SUPPRESSED", "RESOLVED"].contains(&f["Workflow"]["Status"].as_str().unwrap()));
        assert!(["ACTIVE", "ARCHIVED"].contains(&f["RecordState"].as_str().unwrap()));
        if let Some(vs) = f.get("Vulnerabilities") {
            let labels = ["INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"];
            assert!(labels.contains(&f["Severity"]["Label"].as_str().unwrap()));
            for v in vs.as_array().unwrap() {
                assert!(!v["Id"].as_str().unwrap().trim().is_empty(), "Vulnerabilities[].Id");
                assert!(!v["Vendor"]["Name"].as_str().unwrap().trim().is_empty(), "Vendor.Name");
                let packages = v["VulnerablePackages"].as_array().unwrap();
                assert!(!packages.is_empty());
                let fixed = packages.iter().filter(|p| p["FixedInVersion"].is_string() && p["Remediation"].is_string()).count();
                let want = match fixed {
                    0 => "NO",
                    n if n == packages.len() => "YES",
                    _ => "PARTIAL",
                };
                assert_eq!(v["FixAvailable"], want, "FixAvailable by its definition");
                for p in packages {
                    for key in ["Name", "Version", "PackageManager"] {
                        assert!(!p[key].as_str().unwrap().trim().is_empty(), "{key}");
                    }
                }
                for c in v["Cvss"].as_array().into_iter().flatten() {
                    let score = c["BaseScore"].as_f64().unwrap();
                    assert!((0.0..=10.0).contains(&score));
                    assert!(c["BaseVector"].as_str().unwrap().starts_with("CVSS:"));
                    assert!(["3.0", "3.1", "4.0"].contains(&c["Version"].as_str().unwrap()));
                }
                for key in ["VendorCreatedAt", "VendorUpdatedAt"] {
                    if let Some(t) = v["Vendor"].get(key) {
                        assert!(is_millis_ts(t), "{key}");
                    }
                }
            }
        }
    }

    /// Every required top-level attribute is present and non-empty, and every length
    /// limit holds, even for oversized input.
    #[test]
    fn required_attributes_and_limits() {
        let (run, mut findings, gaps) = fixtures::small();
        let mut huge = findings[1].clone();
        huge.title = "T".repeat(300).into();
        huge.description = "é".repeat(2000).into();
        huge.reason = "🦀".repeat(3000);
        huge.remediation_console = "c".repeat(400).into();
        huge.remediation_cli = "aws s3api ".repeat(100).into();
        huge.related_requirements = (0..40).map(|i| format!("CIS AWS Foundations Benchmark v3.0.0/{i}")).collect();
        findings.push(huge);
        let (_, v) = asff(&Report { run: &run, findings: &findings, gaps: &gaps, compliance: &[] });

        let chars = |v: &Value| v.as_str().unwrap().chars().count();
        for f in &v {
            assert_valid(f);
        }
        let huge = v.last().unwrap();
        assert_eq!(chars(&huge["Title"]), TITLE_MAX);
        assert_eq!(chars(&huge["Description"]), DESCRIPTION_MAX);
        assert_eq!(huge["Compliance"]["RelatedRequirements"].as_array().unwrap().len(), 32);
    }

    #[test]
    fn types_name_cis_only_when_a_requirement_is_cis() {
        let (_, findings, _) = fixtures::small();
        let s3 = findings.iter().find(|f| f.check_id == "s3_bucket_public_read").unwrap();
        let sg = findings.iter().find(|f| f.check_id == "ec2_sg_open_admin_port").unwrap();
        assert_eq!(types(s3), vec![TYPE_BEST_PRACTICES]);
        assert_eq!(types(sg), vec![TYPE_BEST_PRACTICES, TYPE_CIS]);
    }

    /// A threat detection (`rampart-detect`) carries its ATT&CK technique as a `TTPs/...`
    /// related requirement and the CloudTrail eventIDs as its detail: they are its `Types`
    /// and `ProductFields["rampart/CloudTrailEventIds"]`, not compliance requirements.
    #[test]
    fn detections_have_their_ttp_types_and_event_ids() {
        let (run, mut findings, _) = fixtures::small();
        let mut f = findings.remove(0);
        f.related_requirements =
            vec!["TTPs/Defense Evasion/T1562.008".to_string(), "CIS AWS Foundations Benchmark v3.0.0/3.1".to_string()].into();
        f.detail = "10163ed2-2253-469d-a5ee-cbc6651f8934 20163ed2-2253-469d-a5ee-cbc6651f8934".into();
        let plain = findings.remove(0);
        let (_, v) = asff(&Report { run: &run, findings: &[f, plain], gaps: &[], compliance: &[] });
        assert_eq!(v[0]["Types"], serde_json::json!(["TTPs/Defense Evasion/T1562.008"]));
        assert_eq!(v[0]["FindingProviderFields"]["Types"], v[0]["Types"]);
        assert_eq!(
            v[0]["ProductFields"]["rampart/CloudTrailEventIds"],
            "10163ed2-2253-469d-a5ee-cbc6651f8934 20163ed2-2253-469d-a5ee-cbc6651f8934"
        );
        assert_eq!(v[0]["Compliance"]["RelatedRequirements"], serde_json::json!(["CIS AWS Foundations Benchmark v3.0.0/3.1"]));
        assert_valid(&v[0]);
        assert!(v[1]["ProductFields"].get("rampart/CloudTrailEventIds").is_none());
        assert!(!v[1]["Types"][0].as_str().unwrap().starts_with("TTPs/"));
    }

    /// Host, image and function findings have no account, region or partition of their own:
    /// every ASFF finding still has the required top-level fields non-empty, from the run
    /// when it names one account and region, else the documented placeholder with a note.
    #[test]
    fn host_image_and_function_findings_have_every_required_field() {
        let (mut run, mut findings) = fixtures::vulnerabilities();
        for f in &mut findings {
            f.resource.account.clear();
            f.resource.region.clear();
            f.resource.partition.clear();
        }
        // A Lambda function given by its ARN keeps its own.
        findings[1].resource.account = "210987654321".into();
        findings[1].resource.region = "eu-west-1".into();
        findings[1].resource.partition = "aws".into();
        run.accounts.clear();
        run.regions.clear();
        let (_, v) = asff(&Report { run: &run, findings: &findings, gaps: &[], compliance: &[] });
        for f in &v {
            required_top_level(f);
        }
        assert_eq!(v[0]["AwsAccountId"], UNKNOWN_ACCOUNT);
        assert_eq!(v[0]["ProductArn"], "arn:aws:securityhub:us-east-1:000000000000:product/000000000000/default");
        assert!(v[0]["ProductFields"]["rampart/AccountUnknown"].as_str().unwrap().contains("replace both"));
        assert_eq!(v[1]["AwsAccountId"], "210987654321");
        assert_eq!(v[1]["ProductArn"], "arn:aws:securityhub:eu-west-1:210987654321:product/210987654321/default");
        assert!(v[1]["ProductFields"].get("rampart/AccountUnknown").is_none());
        run.accounts = vec!["123456789012".into()];
        run.regions = vec!["ap-south-1".into()];
        let (_, v) = asff(&Report { run: &run, findings: &findings, gaps: &[], compliance: &[] });
        assert_eq!(v[0]["AwsAccountId"], "123456789012");
        assert_eq!(v[0]["Resources"][0]["Region"], "ap-south-1");
        assert_eq!(v[0]["Resources"][0]["Partition"], "aws");
    }

    /// ASFF's required top-level attributes (BatchImportFindings refuses a finding without
    /// them), each non-empty, with the formats the API reference gives.
    fn required_top_level(f: &Value) {
        for key in ["SchemaVersion", "Id", "ProductArn", "GeneratorId", "AwsAccountId", "CreatedAt", "UpdatedAt", "Title", "Description"] {
            assert!(f[key].as_str().is_some_and(|s| !s.trim().is_empty()), "{key} in {f}");
        }
        let account = f["AwsAccountId"].as_str().unwrap();
        assert!(account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()), "AwsAccountId {account}");
        let arn: Vec<&str> = f["ProductArn"].as_str().unwrap().split(':').collect();
        assert_eq!(arn.len(), 6, "{arn:?}");
        assert!(
            ["aws", "aws-cn", "aws-us-gov"].contains(&arn[1]) && arn[2] == "securityhub" && !arn[3].is_empty() && arn[4] == account,
            "{arn:?}"
        );
        assert_eq!(arn[5], format!("product/{account}/default"));
        assert!(f["Types"].as_array().is_some_and(|t| !t.is_empty()));
        assert!(f["Severity"]["Label"].is_string());
        let res = f["Resources"].as_array().unwrap();
        assert!(!res.is_empty());
        for r in res {
            for key in ["Type", "Id", "Partition", "Region"] {
                assert!(r[key].as_str().is_some_and(|s| !s.is_empty()), "Resources[].{key} in {f}");
            }
        }
    }

    /// Host, image and function vulnerabilities: Inspector's type, the `Vulnerabilities`
    /// block, and an unknown severity said as such; the configuration finding of the same
    /// host is unchanged.
    #[test]
    fn vulnerability_findings() {
        let (run, findings) = fixtures::vulnerabilities();
        let (text, v) = asff(&Report { run: &run, findings: &findings, gaps: &[], compliance: &[] });
        for f in &v {
            assert_valid(f);
        }
        let cve = [TYPE_CVE];
        assert_eq!(v[0]["Types"], serde_json::json!(cve));
        assert_eq!(v[0]["FindingProviderFields"]["Types"], serde_json::json!(cve));
        assert_eq!(v[0]["Severity"], serde_json::json!({"Label": "HIGH", "Original": "HIGH"}));
        assert_eq!(v[0]["Vulnerabilities"][0]["Cvss"][0]["BaseScore"], 7.5);
        assert_eq!(v[0]["Vulnerabilities"][0]["FixAvailable"], "YES");
        assert_eq!(v[1]["Vulnerabilities"][0]["VulnerablePackages"][0]["PackageManager"], "CARGO");
        assert_eq!(v[2]["Severity"], serde_json::json!({"Label": "INFORMATIONAL", "Original": "UNKNOWN"}));
        assert_eq!(v[2]["Vulnerabilities"][0]["FixAvailable"], "NO");
        assert!(v[3].get("Vulnerabilities").is_none());
        assert_eq!(v[3]["Types"], serde_json::json!([TYPE_BEST_PRACTICES, TYPE_CIS]));
        insta::assert_snapshot!(text);
    }
}
