//! OCSF finding events (category 2 "Findings"): Vulnerability Finding (2002), Compliance
//! Finding (2003) as Rampart writes them (`crates/report/src/ocsf.rs`) and Detection
//! Finding (2004) as Prowler writes them (`--output-formats json-ocsf`).
//!
//! Required: `class_uid` (one of the three), `finding_info.uid`, `finding_info.title`,
//! `metadata.product.name`, a time (`time`, or the finding's created/first-seen time),
//! `severity_id` and the cloud account (`cloud.account.uid`): the store keys findings by
//! account. Times are OCSF timestamps (milliseconds since the epoch); Prowler writes
//! seconds, so a value below 10^11 is read as seconds (10^11 ms is March 1973), and the
//! `*_dt` strings Prowler adds are used when the number is missing.
//!
//! Mapping to the ASFF model: `severity_id` 1-5 → INFORMATIONAL..CRITICAL, 6 "Fatal" →
//! CRITICAL, 0 "Unknown" and 99 "Other" → INFORMATIONAL with the caption kept in
//! `severity_original`; compliance from `compliance.status_id` (1 Pass, 2 Warning,
//! 3 Fail; 99 with caption `NOT_AVAILABLE`, as Rampart writes it) or Prowler's
//! `status_code` (PASS, FAIL, MANUAL → WARNING); workflow from `status_id` (1 New,
//! 2 In Progress → NOTIFIED, 3 Suppressed, 4 Resolved) or Rampart's
//! `unmapped.workflow_status`; record state ARCHIVED for activity 3 "Close" (or
//! Rampart's `unmapped.record_state`). OCSF has no product ARN: the finding's product is
//! the one `metadata.product` names, as Security Hub's product ARNs name an integration —
//! `arn:<partition>:securityhub:<region>::product/<vendor>/<product>`, vendor from
//! `vendor_name` (else `name`), product from `name`, lower-cased, anything but letters,
//! digits, `-`, `_` and `.` made `-` (Prowler: `product/prowler/prowler`, the ARN its ASFF
//! output carries). Security Hub identifies a finding by (product ARN, `Id`) and nothing
//! else, so the ASFF and OCSF copies of one Prowler check are one finding only when their
//! ids are equal; Prowler's are not (`prowler-<check>-<account>-<region>-<hash>` in ASFF,
//! `prowler-aws-<check>-<account>-<region>-<resource>` in OCSF), so importing both files
//! keeps two findings of the same product, as Security Hub would if sent both. Rampart
//! does not guess an equivalence the provider did not state. Requirements come from
//! `compliance.requirements`, or Prowler's `unmapped.compliance` (`{framework: [ids]}`
//! → `framework/id`).

use crate::asff::{opt_str, req_str};
use crate::{check_size, id_or_index, Format, ImportedFinding, ImportedResource, Reader, Res};
use rampart_model::{RecordState, Severity, Status, Timestamp, WorkflowStatus};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

const CLASSES: &[u64] = &[2002, 2003, 2004];

/// Reads one OCSF finding event; `index` is its place in the document.
pub fn parse_event(v: Value, index: usize) -> Res<ImportedFinding> {
    let id = id_or_index(v.pointer("/finding_info/uid").and_then(Value::as_str), index);
    check_size(&v, index, &id)?;
    let Some(obj) = v.as_object() else {
        return Err(Reader { obj: &Map::new(), index, id }.fail("an OCSF event must be a JSON object"));
    };
    let r = Reader { obj, index, id };
    let f = read(&r)?;
    Ok(ImportedFinding { document: v, ..f })
}

fn obj<'v>(r: &Reader<'_>, m: &'v Map<String, Value>, key: &str) -> Res<Option<&'v Map<String, Value>>> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(_) => Err(r.fail(format!("{key} must be an object"))),
    }
}

fn int(m: &Map<String, Value>, key: &str) -> Option<i64> {
    m.get(key).and_then(Value::as_i64)
}

/// An OCSF time: milliseconds (seconds below 10^11), else the RFC 3339 `<key>_dt`.
fn time_of(r: &Reader<'_>, m: &Map<String, Value>, key: &str) -> Res<Option<Timestamp>> {
    if let Some(v) = m.get(key).filter(|v| !v.is_null()) {
        let n = v.as_i64().ok_or_else(|| r.fail(format!("{key} must be a timestamp (milliseconds since the epoch)")))?;
        let nanos = if n.unsigned_abs() < 100_000_000_000 { i128::from(n) * 1_000_000_000 } else { i128::from(n) * 1_000_000 };
        return Timestamp::from_unix_timestamp_nanos(nanos).map(Some).map_err(|_| r.fail(format!("{key} {n} is out of range")));
    }
    match m.get(&format!("{key}_dt")).and_then(Value::as_str) {
        None => Ok(None),
        Some(s) => crate::parse_time(s).map(Some).ok_or_else(|| r.fail(format!("{key}_dt {s:?} is not an RFC 3339 timestamp"))),
    }
}

fn read(r: &Reader<'_>) -> Res<ImportedFinding> {
    let o = r.obj;
    let class = o.get("class_uid").and_then(Value::as_u64).ok_or_else(|| r.fail("class_uid is required"))?;
    if !CLASSES.contains(&class) {
        return Err(r.fail(format!(
            "class_uid {class} is not a finding Rampart imports (2002 Vulnerability, 2003 Compliance or 2004 Detection Finding)"
        )));
    }
    let info = obj(r, o, "finding_info")?.ok_or_else(|| r.fail("finding_info is required"))?;
    let id = req_str(r, info, "uid", 512).map_err(|_| r.fail("finding_info.uid is required"))?.to_string();
    let title = req_str(r, info, "title", usize::MAX).map_err(|e| r.fail(format!("finding_info.{}", e.message)))?.to_string();
    // OCSF sets no length limits (Prowler's descriptions exceed ASFF's 1,024).
    let description = match opt_str(r, info, "desc", usize::MAX)? {
        Some(d) => d.to_string(),
        None => opt_str(r, o, "message", usize::MAX)?.unwrap_or(&title).to_string(),
    };
    let metadata = obj(r, o, "metadata")?.ok_or_else(|| r.fail("metadata is required"))?;
    let product = obj(r, metadata, "product")?.ok_or_else(|| r.fail("metadata.product is required"))?;
    let product_name = req_str(r, product, "name", 128).map_err(|_| r.fail("metadata.product.name is required"))?.to_string();
    let company_name = opt_str(r, product, "vendor_name", 128)?.unwrap_or(&product_name).to_string();
    let generator_id = match opt_str(r, metadata, "event_code", 512)? {
        Some(c) => c.to_string(),
        None => opt_str(r, info, "product_uid", 512)?.unwrap_or(&product_name).to_string(),
    };

    let cloud = obj(r, o, "cloud")?.ok_or_else(|| r.fail("cloud is required (cloud.account.uid: the AWS account)"))?;
    let account = obj(r, cloud, "account")?
        .and_then(|a| a.get("uid"))
        .and_then(Value::as_str)
        .ok_or_else(|| r.fail("cloud.account.uid is required"))?
        .to_string();
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(r.fail(format!("cloud.account.uid {account:?} is not a 12-digit AWS account id")));
    }
    let cloud_region = opt_str(r, cloud, "region", 32)?.map(str::to_string);

    let resources = match o.get("resources") {
        Some(Value::Array(items)) if !items.is_empty() && items.len() <= 32 => {
            items.iter().enumerate().map(|(i, v)| resource(r, v, i, cloud_region.as_deref())).collect::<Res<Vec<_>>>()?
        }
        Some(Value::Array(items)) => return Err(r.fail(format!("resources must have 1 to 32 entries, not {}", items.len()))),
        Some(_) => return Err(r.fail("resources must be a list")),
        None => return Err(r.fail("resources is required")),
    };
    let region = cloud_region.unwrap_or_else(|| resources[0].region.clone());
    let partition = resources[0].partition.clone();

    let time = time_of(r, o, "time")?;
    let created_at = match time_of(r, info, "created_time")? {
        Some(t) => t,
        None => time_of(r, info, "first_seen_time")?.or(time).ok_or_else(|| r.fail("time is required"))?,
    };
    let updated_at = match time_of(r, info, "modified_time")? {
        Some(t) => t,
        None => time.or(time_of(r, info, "last_seen_time")?).unwrap_or(created_at),
    };

    let severity_id = int(o, "severity_id").ok_or_else(|| r.fail("severity_id is required"))?;
    let caption = opt_str(r, o, "severity", 64)?.map(str::to_string);
    let (severity, original) = match severity_id {
        1 => (Severity::Informational, None),
        2 => (Severity::Low, None),
        3 => (Severity::Medium, None),
        4 => (Severity::High, None),
        5 => (Severity::Critical, None),
        6 => (Severity::Critical, Some(caption.clone().unwrap_or_else(|| "Fatal".into()))),
        0 | 99 => {
            (Severity::Informational, Some(caption.clone().unwrap_or_else(|| if severity_id == 0 { "Unknown" } else { "Other" }.into())))
        }
        n => return Err(r.fail(format!("severity_id {n} is not an OCSF severity (0-6 or 99)"))),
    };

    let unmapped = obj(r, o, "unmapped")?;
    let compliance = obj(r, o, "compliance")?;
    let compliance_status = match compliance {
        Some(c) => match int(c, "status_id") {
            Some(1) => Some(Status::Passed),
            Some(2) => Some(Status::Warning),
            Some(3) => Some(Status::Failed),
            Some(99) => c.get("status").and_then(Value::as_str).and_then(Status::parse),
            _ => None,
        },
        None => None,
    }
    .or_else(|| match o.get("status_code").and_then(Value::as_str) {
        Some("PASS") => Some(Status::Passed),
        Some("FAIL") => Some(Status::Failed),
        Some("MANUAL") => Some(Status::Warning),
        _ => None,
    });
    let mut related_requirements: Vec<String> = compliance
        .and_then(|c| c.get("requirements"))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default();
    if related_requirements.is_empty() {
        if let Some(Value::Object(frameworks)) = unmapped.and_then(|u| u.get("compliance")) {
            for (framework, ids) in frameworks {
                for id in ids.as_array().into_iter().flatten().filter_map(Value::as_str) {
                    related_requirements.push(format!("{framework}/{id}"));
                }
            }
        }
    }

    let workflow_status = unmapped.and_then(|u| u.get("workflow_status")).and_then(Value::as_str).and_then(WorkflowStatus::parse).or(
        match int(o, "status_id") {
            Some(1) => Some(WorkflowStatus::New),
            Some(2) => Some(WorkflowStatus::Notified),
            Some(3) => Some(WorkflowStatus::Suppressed),
            Some(4) => Some(WorkflowStatus::Resolved),
            _ => None,
        },
    );
    let record_state = match unmapped.and_then(|u| u.get("record_state")).and_then(Value::as_str) {
        Some("ARCHIVED") => Some(RecordState::Archived),
        Some("ACTIVE") => Some(RecordState::Active),
        _ => match int(o, "activity_id") {
            Some(3) => Some(RecordState::Archived),
            Some(1) | Some(2) => Some(RecordState::Active),
            _ => None,
        },
    };

    let types: Vec<String> = info
        .get("types")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string).collect())
        .unwrap_or_default();

    let (remediation_text, remediation_url) = match obj(r, o, "remediation")? {
        Some(rem) => (
            rem.get("desc").and_then(Value::as_str).filter(|s| !s.trim().is_empty()).map(str::to_string),
            rem.get("references")
                .and_then(Value::as_array)
                .and_then(|a| a.iter().filter_map(Value::as_str).find(|s| !s.is_empty()))
                .map(str::to_string),
        ),
        None => (None, None),
    };
    let vulnerabilities = match o.get("vulnerabilities") {
        Some(Value::Array(v)) => v.clone(),
        _ => Vec::new(),
    };
    let mut product_fields = BTreeMap::new();
    product_fields.insert("ocsf/class_uid".to_string(), class.to_string());
    if let Some(v) = product.get("version").and_then(Value::as_str) {
        product_fields.insert("ProviderVersion".to_string(), v.to_string());
    }
    if let Some(m) = o.get("message").and_then(Value::as_str).filter(|s| !s.is_empty()) {
        product_fields.insert("ocsf/message".to_string(), m.to_string());
    }

    Ok(ImportedFinding {
        format: Format::Ocsf,
        product_arn: product_arn(&partition, &region, &company_name, &product_name),
        id,
        product_name,
        company_name,
        generator_id,
        aws_account_id: account,
        region,
        types,
        created_at,
        updated_at,
        first_observed_at: time_of(r, info, "first_seen_time")?,
        last_observed_at: time_of(r, info, "last_seen_time")?,
        severity,
        severity_normalized: severity.normalized(),
        severity_original: original,
        title,
        description,
        compliance_status,
        related_requirements,
        workflow_status,
        record_state,
        confidence: o.get("confidence_score").and_then(Value::as_u64).filter(|c| *c <= 100).map(|c| c as u8),
        criticality: None,
        resources,
        remediation_text,
        remediation_url,
        vulnerabilities,
        product_fields,
        user_defined_fields: BTreeMap::new(),
        source_url: unmapped.and_then(|u| u.get("related_url")).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string),
        document: Value::Null,
    })
}

/// The product ARN of an OCSF finding's `metadata.product` (see the module documentation).
pub(crate) fn product_arn(partition: &str, region: &str, vendor: &str, product: &str) -> String {
    let part = |s: &str| -> String {
        s.trim()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c.to_ascii_lowercase() } else { '-' })
            .collect()
    };
    format!("arn:{partition}:securityhub:{region}::product/{}/{}", part(vendor), part(product))
}

fn resource(r: &Reader<'_>, v: &Value, i: usize, cloud_region: Option<&str>) -> Res<ImportedResource> {
    let Some(m) = v.as_object() else {
        return Err(r.fail(format!("resources[{i}] must be an object")));
    };
    let id = req_str(r, m, "uid", 512).map_err(|e| r.fail(format!("resources[{i}].{}", e.message)))?.to_string();
    let kind = opt_str(r, m, "type", 256)?.unwrap_or("Other").to_string();
    let partition = opt_str(r, m, "cloud_partition", 16)?.unwrap_or("aws").to_string();
    let region = opt_str(r, m, "region", 32)?.or(cloud_region).unwrap_or_default().to_string();
    let mut tags = BTreeMap::new();
    // OCSF `labels` are strings; Prowler writes tags as `key:value` there, and some
    // writers use `tags` (key/value objects, OCSF 1.2).
    for l in m.get("labels").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
        if let Some((k, v)) = l.split_once(':').or_else(|| l.split_once('=')) {
            tags.insert(k.trim().to_string(), v.trim().to_string());
        }
    }
    for t in m.get("tags").and_then(Value::as_array).into_iter().flatten() {
        if let (Some(k), Some(v)) = (t.get("name").and_then(Value::as_str), t.get("value").and_then(Value::as_str)) {
            tags.insert(k.to_string(), v.to_string());
        }
    }
    let details = m.get("data").filter(|d| !d.is_null()).cloned();
    let name = m.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
    Ok(ImportedResource { kind, id, partition, region, name, tags, details })
}
