//! A finding's first vulnerability as Rampart's model holds one, from ASFF's
//! `Vulnerability` (`Id`, `VulnerablePackages`, `Cvss`, `Vendor`, `ReferenceUrls`,
//! `RelatedVulnerabilities`) or OCSF's Vulnerability Details (`cve`, `affected_packages`,
//! `vendor_name`, `references`).

use crate::severity_from_label;
use rampart_model::{CvssScore, Severity, Vendor, Vulnerability, VulnerablePackage};
use serde_json::Value;

fn s(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string)
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v.get(key).and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect()).unwrap_or_default()
}

pub(crate) fn from_asff(v: &Value) -> Option<Vulnerability> {
    let id = s(v, "Id")?;
    let p = v.get("VulnerablePackages").and_then(Value::as_array).and_then(|a| a.first()).cloned().unwrap_or(Value::Null);
    let vendor = v.get("Vendor").cloned().unwrap_or(Value::Null);
    let severity_text = s(&vendor, "VendorSeverity");
    Some(Vulnerability {
        advisory: id.clone(),
        related: strings(v, "RelatedVulnerabilities"),
        severity: severity_text.as_deref().map(str::to_ascii_uppercase).as_deref().and_then(severity_from_label),
        severity_source: s(&vendor, "Name").unwrap_or_default(),
        cvss: v
            .get("Cvss")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|c| {
                Some(CvssScore {
                    version: s(c, "Version").unwrap_or_default(),
                    base_score: c.get("BaseScore")?.as_f64()?,
                    base_vector: s(c, "BaseVector").unwrap_or_default(),
                    source: s(c, "Source").unwrap_or_default(),
                })
            })
            .collect(),
        package: VulnerablePackage {
            name: s(&p, "Name").unwrap_or_default(),
            version: s(&p, "Version").unwrap_or_default(),
            epoch: s(&p, "Epoch"),
            release: s(&p, "Release"),
            architecture: s(&p, "Architecture"),
            package_manager: s(&p, "PackageManager").unwrap_or_default(),
            ecosystem: String::new(),
            source_name: None,
            fixed_in_version: s(&p, "FixedInVersion"),
            remediation: s(&p, "Remediation"),
            file_path: s(&p, "FilePath").unwrap_or_default(),
        },
        vendor: Vendor {
            name: s(&vendor, "Name").unwrap_or_default(),
            url: s(&vendor, "Url"),
            severity: severity_text,
            created_at: s(&vendor, "VendorCreatedAt"),
            updated_at: s(&vendor, "VendorUpdatedAt"),
        },
        reference_urls: strings(v, "ReferenceUrls"),
        id,
    })
}

pub(crate) fn from_ocsf(v: &Value) -> Option<Vulnerability> {
    let cve = v.get("cve")?;
    let id = s(cve, "uid")?;
    let p = v.get("affected_packages").and_then(Value::as_array).and_then(|a| a.first()).cloned().unwrap_or(Value::Null);
    let caption = s(v, "severity");
    let severity: Option<Severity> = caption.as_deref().map(str::to_ascii_uppercase).as_deref().and_then(severity_from_label);
    Some(Vulnerability {
        advisory: s(v, "title").unwrap_or_else(|| id.clone()),
        related: strings(v, "related_vulnerabilities"),
        severity,
        severity_source: s(v, "vendor_name").unwrap_or_default(),
        cvss: cve
            .get("cvss")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|c| {
                Some(CvssScore {
                    version: s(c, "version").unwrap_or_default(),
                    base_score: c.get("base_score")?.as_f64()?,
                    base_vector: s(c, "vector_string").unwrap_or_default(),
                    source: String::new(),
                })
            })
            .collect(),
        package: VulnerablePackage {
            name: s(&p, "name").unwrap_or_default(),
            version: s(&p, "version").unwrap_or_default(),
            epoch: s(&p, "epoch"),
            release: s(&p, "release"),
            architecture: s(&p, "architecture"),
            package_manager: s(&p, "package_manager").unwrap_or_default(),
            ecosystem: String::new(),
            source_name: None,
            fixed_in_version: s(&p, "fixed_in_version"),
            remediation: v.get("remediation").and_then(|r| s(r, "desc")),
            file_path: s(&p, "path").unwrap_or_default(),
        },
        vendor: Vendor { name: s(v, "vendor_name").unwrap_or_default(), url: None, severity: caption, created_at: None, updated_at: None },
        reference_urls: strings(v, "references"),
        id,
    })
}
