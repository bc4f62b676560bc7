//! ASFF findings, checked against the format's required attributes and limits
//! (<https://docs.aws.amazon.com/securityhub/latest/userguide/asff-required-attributes.html>,
//! `AwsSecurityFinding` in the Security Hub API reference): `SchemaVersion`, `Id`,
//! `ProductArn`, `GeneratorId`, `AwsAccountId`, `Types`, `CreatedAt`, `UpdatedAt`,
//! `Severity` (a `Label`, or the older `Normalized`), `Title`, `Description` and
//! `Resources` (each with `Type` and `Id`) must be there.
//!
//! Where the provider fills `FindingProviderFields` (severity, types, confidence,
//! criticality, related findings), those are the provider's values and win over the
//! top-level copies, as Security Hub reads them.

use crate::{
    check_size, id_or_index, label_from_normalized, parse_time, severity_from_label, Format, ImportedFinding, ImportedResource, Reader, Res,
};
use rampart_model::{RecordState, Status, WorkflowStatus};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

const ID_MAX: usize = 512;
const TITLE_MAX: usize = 256;
const DESCRIPTION_MAX: usize = 1024;
const TYPES_MAX: usize = 50;
const RESOURCES_MAX: usize = 32;
const PRODUCT_FIELDS_MAX: usize = 50;
const USER_DEFINED_FIELDS_MAX: usize = 50;
const RELATED_REQUIREMENTS_MAX: usize = 32;
const SEVERITY_ORIGINAL_MAX: usize = 140;
const RECOMMENDATION_MAX: usize = 512;
/// The namespaces of an ASFF type (`namespace/category/classifier`).
const TYPE_NAMESPACES: &[&str] =
    &["Software and Configuration Checks", "TTPs", "Effects", "Unusual Behaviors", "Sensitive Data Identifications"];
const PARTITIONS: &[&str] = &["aws", "aws-cn", "aws-us-gov"];

/// Reads one ASFF finding; `index` is its place in the document.
pub fn parse_finding(v: Value, index: usize) -> Res<ImportedFinding> {
    let id = id_or_index(v.get("Id").and_then(Value::as_str), index);
    check_size(&v, index, &id)?;
    let Some(obj) = v.as_object() else {
        return Err(Reader { obj: &Map::new(), index, id }.fail("a finding must be a JSON object"));
    };
    let r = Reader { obj, index, id };
    let f = read(&r)?;
    Ok(ImportedFinding { document: v, ..f })
}

fn read(r: &Reader<'_>) -> Res<ImportedFinding> {
    let o = r.obj;
    let schema = req_str(r, o, "SchemaVersion", 64)?;
    if schema != "2018-10-08" {
        return Err(r.fail(format!("SchemaVersion {schema:?} is not supported; ASFF's is \"2018-10-08\"")));
    }
    let id = req_str(r, o, "Id", ID_MAX)?.to_string();
    let product_arn = req_str(r, o, "ProductArn", ID_MAX)?.to_string();
    if !product_arn.starts_with("arn:") {
        return Err(r.fail(format!("ProductArn {product_arn:?} is not an ARN")));
    }
    let generator_id = req_str(r, o, "GeneratorId", ID_MAX)?.to_string();
    let account = req_str(r, o, "AwsAccountId", 12)?.to_string();
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(r.fail(format!("AwsAccountId {account:?} is not a 12-digit account id")));
    }
    let title = req_str(r, o, "Title", TITLE_MAX)?.to_string();
    let description = req_str(r, o, "Description", DESCRIPTION_MAX)?.to_string();
    let created_at = req_time(r, o, "CreatedAt")?;
    let updated_at = req_time(r, o, "UpdatedAt")?;
    let first_observed_at = opt_time(r, o, "FirstObservedAt")?;
    let last_observed_at = opt_time(r, o, "LastObservedAt")?;

    let provider = match o.get("FindingProviderFields") {
        None | Some(Value::Null) => None,
        Some(Value::Object(p)) => Some(p),
        Some(_) => return Err(r.fail("FindingProviderFields must be an object")),
    };

    let types_value = provider.and_then(|p| p.get("Types")).or_else(|| o.get("Types"));
    let types = match types_value {
        None => return Err(r.fail("Types is required")),
        Some(v) => strings(r, v, "Types")?,
    };
    if types.is_empty() || types.len() > TYPES_MAX {
        return Err(r.fail(format!("Types must have 1 to {TYPES_MAX} entries, not {}", types.len())));
    }
    for t in &types {
        let namespace = t.split('/').next().unwrap_or_default();
        if !TYPE_NAMESPACES.contains(&namespace) {
            return Err(
                r.fail(format!("type {t:?} is not namespace/category/classifier with a namespace of {}", TYPE_NAMESPACES.join(", ")))
            );
        }
    }

    let severity_value = provider.and_then(|p| p.get("Severity")).or_else(|| o.get("Severity"));
    let Some(Value::Object(sev)) = severity_value else {
        return Err(r.fail("Severity is required (an object with a Label)"));
    };
    // The provider's Severity may lack Normalized; the top-level copy may have it.
    let normalized_in = |m: &Map<String, Value>| m.get("Normalized").and_then(Value::as_f64);
    let normalized = normalized_in(sev).or_else(|| o.get("Severity").and_then(Value::as_object).and_then(normalized_in));
    if let Some(n) = normalized {
        if !(0.0..=100.0).contains(&n) {
            return Err(r.fail(format!("Severity.Normalized {n} is not between 0 and 100")));
        }
    }
    let severity = match sev.get("Label") {
        Some(Value::String(l)) => severity_from_label(l)
            .ok_or_else(|| r.fail(format!("Severity.Label {l:?} is not one of INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL")))?,
        Some(_) => return Err(r.fail("Severity.Label must be a string")),
        None => match normalized {
            Some(n) => label_from_normalized(n as u8),
            None => return Err(r.fail("Severity needs a Label (or the older Normalized)")),
        },
    };
    let severity_normalized = normalized.map(|n| n as u8).unwrap_or_else(|| severity.normalized());
    let severity_original = opt_str(r, sev, "Original", SEVERITY_ORIGINAL_MAX)?.map(str::to_string);

    let (compliance_status, related_requirements) = match o.get("Compliance") {
        None | Some(Value::Null) => (None, Vec::new()),
        Some(Value::Object(c)) => {
            let status = match opt_str(r, c, "Status", 32)? {
                None => None,
                Some(s) => Some(
                    Status::parse(s)
                        .ok_or_else(|| r.fail(format!("Compliance.Status {s:?} is not one of PASSED, WARNING, FAILED, NOT_AVAILABLE")))?,
                ),
            };
            let reqs = match c.get("RelatedRequirements") {
                None => Vec::new(),
                Some(v) => strings(r, v, "Compliance.RelatedRequirements")?,
            };
            if reqs.len() > RELATED_REQUIREMENTS_MAX {
                return Err(
                    r.fail(format!("Compliance.RelatedRequirements has {} entries; at most {RELATED_REQUIREMENTS_MAX}", reqs.len()))
                );
            }
            (status, reqs)
        }
        Some(_) => return Err(r.fail("Compliance must be an object")),
    };

    let workflow_status = match o.get("Workflow") {
        None | Some(Value::Null) => None,
        Some(Value::Object(w)) => match opt_str(r, w, "Status", 32)? {
            None => None,
            Some(s) => Some(
                WorkflowStatus::parse(s)
                    .ok_or_else(|| r.fail(format!("Workflow.Status {s:?} is not one of NEW, NOTIFIED, RESOLVED, SUPPRESSED")))?,
            ),
        },
        Some(_) => return Err(r.fail("Workflow must be an object")),
    };
    let record_state = match opt_str(r, o, "RecordState", 32)? {
        None => None,
        Some("ACTIVE") => Some(RecordState::Active),
        Some("ARCHIVED") => Some(RecordState::Archived),
        Some(s) => return Err(r.fail(format!("RecordState {s:?} is not ACTIVE or ARCHIVED"))),
    };
    let confidence = percent(r, provider.and_then(|p| p.get("Confidence")).or_else(|| o.get("Confidence")), "Confidence")?;
    let criticality = percent(r, provider.and_then(|p| p.get("Criticality")).or_else(|| o.get("Criticality")), "Criticality")?;

    let resources = match o.get("Resources") {
        Some(Value::Array(items)) if !items.is_empty() && items.len() <= RESOURCES_MAX => {
            items.iter().enumerate().map(|(i, v)| resource(r, v, i)).collect::<Res<Vec<_>>>()?
        }
        Some(Value::Array(items)) => return Err(r.fail(format!("Resources must have 1 to {RESOURCES_MAX} entries, not {}", items.len()))),
        Some(_) => return Err(r.fail("Resources must be a list")),
        None => return Err(r.fail("Resources is required")),
    };

    let (remediation_text, remediation_url) = match o.get("Remediation") {
        None | Some(Value::Null) => (None, None),
        Some(Value::Object(m)) => match m.get("Recommendation") {
            None | Some(Value::Null) => (None, None),
            Some(Value::Object(rec)) => {
                (opt_str(r, rec, "Text", RECOMMENDATION_MAX)?.map(str::to_string), opt_str(r, rec, "Url", 2048)?.map(str::to_string))
            }
            Some(_) => return Err(r.fail("Remediation.Recommendation must be an object")),
        },
        Some(_) => return Err(r.fail("Remediation must be an object")),
    };

    let vulnerabilities = match o.get("Vulnerabilities") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(v)) => v.clone(),
        Some(_) => return Err(r.fail("Vulnerabilities must be a list")),
    };
    let product_fields = string_map(r, o.get("ProductFields"), "ProductFields", PRODUCT_FIELDS_MAX)?;
    let user_defined_fields = string_map(r, o.get("UserDefinedFields"), "UserDefinedFields", USER_DEFINED_FIELDS_MAX)?;
    let product_name = opt_str(r, o, "ProductName", 128)?
        .map(str::to_string)
        .or_else(|| product_fields.get("aws/securityhub/ProductName").cloned())
        .unwrap_or_else(|| product_from_arn(&product_arn));
    let company_name = opt_str(r, o, "CompanyName", 128)?
        .map(str::to_string)
        .or_else(|| product_fields.get("aws/securityhub/CompanyName").cloned())
        .unwrap_or_else(|| company_from_arn(&product_arn));
    let region = match opt_str(r, o, "Region", 16)? {
        Some(s) => s.to_string(),
        None => resources[0].region.clone(),
    };

    Ok(ImportedFinding {
        format: Format::Asff,
        id,
        product_arn,
        product_name,
        company_name,
        generator_id,
        aws_account_id: account,
        region,
        types,
        created_at,
        updated_at,
        first_observed_at,
        last_observed_at,
        severity,
        severity_normalized,
        severity_original,
        title,
        description,
        compliance_status,
        related_requirements,
        workflow_status,
        record_state,
        confidence,
        criticality,
        resources,
        remediation_text,
        remediation_url,
        vulnerabilities,
        product_fields,
        user_defined_fields,
        source_url: opt_str(r, o, "SourceUrl", 2048)?.map(str::to_string),
        document: Value::Null,
    })
}

/// `arn:aws:securityhub:us-east-1::product/prowler/prowler` → `prowler`; the account's
/// default product (`product/<account>/default`) → `Default`.
fn product_from_arn(arn: &str) -> String {
    let tail = arn.rsplit(":product/").next().unwrap_or_default();
    tail.split('/').nth(1).unwrap_or(tail).to_string()
}

fn company_from_arn(arn: &str) -> String {
    let tail = arn.rsplit(":product/").next().unwrap_or_default();
    tail.split('/').next().unwrap_or(tail).to_string()
}

fn resource(r: &Reader<'_>, v: &Value, i: usize) -> Res<ImportedResource> {
    let Some(m) = v.as_object() else {
        return Err(r.fail(format!("Resources[{i}] must be an object")));
    };
    let kind = req_str(r, m, "Type", 256).map_err(|e| r.fail(format!("Resources[{i}]: {}", e.message)))?.to_string();
    let id = req_str(r, m, "Id", ID_MAX).map_err(|e| r.fail(format!("Resources[{i}]: {}", e.message)))?.to_string();
    let partition = opt_str(r, m, "Partition", 16)?.unwrap_or("aws").to_string();
    if !PARTITIONS.contains(&partition.as_str()) {
        return Err(r.fail(format!("Resources[{i}].Partition {partition:?} is not one of {}", PARTITIONS.join(", "))));
    }
    let region = opt_str(r, m, "Region", 16)?.unwrap_or_default().to_string();
    let tags = string_map(r, m.get("Tags"), &format!("Resources[{i}].Tags"), 50)?;
    let details = m.get("Details").filter(|d| !d.is_null()).cloned();
    Ok(ImportedResource { kind, id, partition, region, name: String::new(), tags, details })
}

pub(crate) fn req_str<'v>(r: &Reader<'_>, m: &'v Map<String, Value>, key: &str, max: usize) -> Res<&'v str> {
    match opt_str(r, m, key, max)? {
        Some(s) => Ok(s),
        None => Err(r.fail(format!("{key} is required"))),
    }
}

pub(crate) fn opt_str<'v>(r: &Reader<'_>, m: &'v Map<String, Value>, key: &str, max: usize) -> Res<Option<&'v str>> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Err(r.fail(format!("{key} must not be blank"))),
        Some(Value::String(s)) if s.chars().count() > max => {
            Err(r.fail(format!("{key} has {} characters; at most {max}", s.chars().count())))
        }
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(r.fail(format!("{key} must be a string"))),
    }
}

fn req_time(r: &Reader<'_>, m: &Map<String, Value>, key: &str) -> Res<rampart_model::Timestamp> {
    opt_time(r, m, key)?.ok_or_else(|| r.fail(format!("{key} is required")))
}

fn opt_time(r: &Reader<'_>, m: &Map<String, Value>, key: &str) -> Res<Option<rampart_model::Timestamp>> {
    match opt_str(r, m, key, 64)? {
        None => Ok(None),
        Some(s) => parse_time(s).map(Some).ok_or_else(|| r.fail(format!("{key} {s:?} is not an RFC 3339 timestamp"))),
    }
}

fn strings(r: &Reader<'_>, v: &Value, what: &str) -> Res<Vec<String>> {
    let Some(items) = v.as_array() else {
        return Err(r.fail(format!("{what} must be a list of strings")));
    };
    items.iter().map(|s| s.as_str().map(str::to_string).ok_or_else(|| r.fail(format!("{what} must be a list of strings")))).collect()
}

fn string_map(r: &Reader<'_>, v: Option<&Value>, what: &str, max: usize) -> Res<BTreeMap<String, String>> {
    match v {
        None | Some(Value::Null) => Ok(BTreeMap::new()),
        Some(Value::Object(m)) => {
            if m.len() > max {
                return Err(r.fail(format!("{what} has {} entries; at most {max}", m.len())));
            }
            m.iter()
                .map(|(k, v)| match v {
                    Value::String(s) => Ok((k.clone(), s.clone())),
                    _ => Err(r.fail(format!("{what}.{k} must be a string"))),
                })
                .collect()
        }
        Some(_) => Err(r.fail(format!("{what} must be an object of strings"))),
    }
}

fn percent(r: &Reader<'_>, v: Option<&Value>, what: &str) -> Res<Option<u8>> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(n) if n <= 100 => Ok(Some(n as u8)),
            _ => Err(r.fail(format!("{what} {n} is not an integer from 0 to 100"))),
        },
        Some(_) => Err(r.fail(format!("{what} must be an integer from 0 to 100"))),
    }
}
