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
/// ASFF types are `namespace/category/classifier`; "Industry and Regulatory Standards"
/// is a category of the "Software and Configuration Checks" namespace.
const TYPE_CIS: &str =
    "Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark";

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
    types: Vec<&'static str>,
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

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Compliance<'a> {
    status: &'static str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    related_requirements: &'a [String],
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
    types: Vec<&'static str>,
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut ser = serde_json::Serializer::pretty(&mut *out);
    ser.collect_seq(report.findings.iter().map(|f| to_asff(f, report.run)))?;
    out.write_all(b"\n")
}

/// The ASFF `Types` of a finding.
pub(crate) fn types(f: &Finding) -> Vec<&'static str> {
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
        original: f.severity.as_str(),
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
    // Values must not be blank.
    fields.retain(|_, v| !v.trim().is_empty());

    let requirements = &f.related_requirements;
    AsffFinding {
        schema_version: SCHEMA_VERSION,
        id: &f.id,
        product_arn: format!(
            "arn:{}:securityhub:{}:{}:product/{}/default",
            r.partition, r.region, r.account, r.account
        ),
        product_name: "Rampart",
        company_name: "Rampart",
        generator_id: format!("rampart/{}", f.check_id),
        aws_account_id: &r.account,
        region: &r.region,
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
        resources: [Resource {
            kind: r.kind.asff(),
            id: &r.id,
            partition: &r.partition,
            region: &r.region,
        }],
        compliance: Compliance {
            status: f.status.as_str(),
            related_requirements: &requirements[..requirements.len().min(RELATED_REQUIREMENTS_MAX)],
        },
        workflow: Workflow {
            status: f.workflow_status.as_str(),
        },
        record_state: f.record_state.as_str(),
        finding_provider_fields: FindingProviderFields { severity, types },
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
        let (text, v) = asff(&Report {
            run: &run,
            findings: &findings,
            gaps: &gaps, compliance: &[],
        });
        assert_eq!(
            v.len(),
            findings.len(),
            "one entry per finding, PASSED included"
        );
        insta::assert_snapshot!(text);
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
        huge.related_requirements = (0..40)
            .map(|i| format!("CIS AWS Foundations Benchmark v3.0.0/{i}"))
            .collect();
        findings.push(huge);
        let (_, v) = asff(&Report {
            run: &run,
            findings: &findings,
            gaps: &gaps, compliance: &[],
        });

        let chars = |v: &Value| v.as_str().unwrap().chars().count();
        let is_millis_ts = |v: &Value| {
            let s = v.as_str().unwrap();
            s.len() == 24
                && s.ends_with('Z')
                && &s[19..20] == "."
                && time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
                    .is_ok()
        };
        for f in &v {
            for key in [
                "SchemaVersion",
                "Id",
                "ProductArn",
                "GeneratorId",
                "AwsAccountId",
                "CreatedAt",
                "UpdatedAt",
                "Title",
                "Description",
            ] {
                assert!(!f[key].as_str().unwrap().trim().is_empty(), "{key} in {f}");
            }
            assert_eq!(f["SchemaVersion"], SCHEMA_VERSION);
            assert!(!f["Types"].as_array().unwrap().is_empty());
            assert!(f["Types"].as_array().unwrap().len() <= 50);
            for t in f["Types"].as_array().unwrap() {
                assert!(t
                    .as_str()
                    .unwrap()
                    .starts_with("Software and Configuration Checks/"));
            }
            assert!(f["Severity"]["Label"].is_string());
            assert!(chars(&f["Severity"]["Original"]) <= 140);
            let res = f["Resources"].as_array().unwrap();
            assert_eq!(res.len(), 1);
            for key in ["Type", "Id", "Partition", "Region"] {
                assert!(res[0][key].is_string(), "Resources[0].{key}");
            }
            for key in [
                "CreatedAt",
                "UpdatedAt",
                "FirstObservedAt",
                "LastObservedAt",
            ] {
                assert!(is_millis_ts(&f[key]), "{key}: {}", f[key]);
            }
            assert_eq!(f["AwsAccountId"].as_str().unwrap().len(), 12);
            let arn = f["ProductArn"].as_str().unwrap();
            assert_eq!(
                arn,
                format!(
                    "arn:aws:securityhub:{}:123456789012:product/123456789012/default",
                    f["Region"].as_str().unwrap()
                )
            );
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
                assert!(
                    (1..=PRODUCT_FIELD_VALUE_MAX).contains(&n),
                    "{k} has {n} characters"
                );
            }
            let reqs = f["Compliance"]["RelatedRequirements"]
                .as_array()
                .map_or(0, Vec::len);
            assert!(reqs <= RELATED_REQUIREMENTS_MAX);
            assert!(["PASSED", "FAILED", "WARNING", "NOT_AVAILABLE"]
                .contains(&f["Compliance"]["Status"].as_str().unwrap()));
            assert!(["NEW", "NOTIFIED", "SUPPRESSED", "RESOLVED"]
                .contains(&f["Workflow"]["Status"].as_str().unwrap()));
            assert!(["ACTIVE", "ARCHIVED"].contains(&f["RecordState"].as_str().unwrap()));
        }
        let huge = v.last().unwrap();
        assert_eq!(chars(&huge["Title"]), TITLE_MAX);
        assert_eq!(chars(&huge["Description"]), DESCRIPTION_MAX);
        assert_eq!(
            huge["Compliance"]["RelatedRequirements"]
                .as_array()
                .unwrap()
                .len(),
            32
        );
    }

    #[test]
    fn types_name_cis_only_when_a_requirement_is_cis() {
        let (_, findings, _) = fixtures::small();
        let s3 = findings
            .iter()
            .find(|f| f.check_id == "s3_bucket_public_read")
            .unwrap();
        let sg = findings
            .iter()
            .find(|f| f.check_id == "ec2_sg_open_admin_port")
            .unwrap();
        assert_eq!(types(s3), vec![TYPE_BEST_PRACTICES]);
        assert_eq!(types(sg), vec![TYPE_BEST_PRACTICES, TYPE_CIS]);
    }
}
