//! A match as the structured [`Vulnerability`] a finding carries: what ASFF's
//! `Vulnerabilities` object and OCSF's Vulnerability Finding need, decided here once so
//! that every renderer says the same.

use rampart_model::{CvssScore, Severity, Vendor, Vulnerability, VulnerablePackage};

use crate::db::VulnMatch;
use crate::hostmap::Kind;
use crate::rating;

/// What the finding knows about the installed package beyond the match.
#[derive(Debug, Clone, Copy)]
pub struct Installed<'a> {
    pub kind: Kind,
    /// The OSV ecosystem it was matched in.
    pub ecosystem: &'a str,
    pub name: &'a str,
    /// The binary package's version as installed.
    pub version: &'a str,
    pub arch: Option<&'a str>,
    /// The source package the advisory names, if matched through one.
    pub source_name: Option<&'a str>,
    /// Where it was read from inside the scanned root.
    pub file_path: &'a str,
}

/// The vulnerability of one match.
pub fn vulnerability(m: &VulnMatch, p: &Installed<'_>) -> Vulnerability {
    let cves: Vec<&String> = m.aliases.iter().filter(|a| a.starts_with("CVE-")).collect();
    let id = if m.advisory.starts_with("CVE-") {
        m.advisory.clone()
    } else if let [one] = cves.as_slice() {
        (*one).clone()
    } else {
        m.advisory.clone()
    };
    let related: Vec<String> = std::iter::once(&m.advisory).chain(&m.aliases).filter(|x| **x != id).cloned().collect();
    // An informational advisory (RustSec: unmaintained, unsound, notice) is a warning
    // about the package, rated informational by its database's own classification.
    let (severity, severity_source) = match &m.informational {
        Some(kind) => (Some(Severity::Informational), format!("{} is informational ({kind})", m.advisory)),
        None => (m.severity, m.severity_source.clone()),
    };
    let (epoch, version, release) = split_version(p.kind, p.version);
    let fixed = m.fixed.clone();
    let remediation = fixed.as_ref().map(|f| match p.source_name {
        Some(src) if src != p.name => {
            format!("Upgrade {} (built from {src}) to the build of {src} {f} or later", p.name)
        }
        _ => format!("Upgrade {} to {f} or later", p.name),
    });
    let (vendor_name, vendor_url) = vendor(&m.advisory);
    let mut reference_urls: Vec<String> = Vec::new();
    for url in vendor_url.iter().chain(&m.references) {
        if !reference_urls.contains(url) {
            reference_urls.push(url.clone());
        }
    }
    Vulnerability {
        id,
        advisory: m.advisory.clone(),
        related,
        severity,
        severity_source,
        cvss: m
            .cvss
            .iter()
            .map(|(vector, c)| CvssScore {
                version: rating::version(c).to_owned(),
                base_score: c.score,
                base_vector: vector.clone(),
                source: m.cvss_source.clone().unwrap_or_else(|| m.advisory.clone()),
            })
            .collect(),
        package: VulnerablePackage {
            name: p.name.to_owned(),
            version,
            epoch,
            release,
            architecture: p.arch.map(str::to_owned),
            package_manager: package_manager(p.kind).to_owned(),
            ecosystem: p.ecosystem.to_owned(),
            source_name: p.source_name.filter(|s| *s != p.name).map(str::to_owned),
            fixed_in_version: fixed,
            remediation,
            file_path: p.file_path.to_owned(),
        },
        vendor: Vendor {
            name: vendor_name.to_owned(),
            url: vendor_url,
            severity: m.vendor_severity.clone(),
            created_at: m.published.clone(),
            updated_at: m.modified.clone(),
        },
        reference_urls,
    }
}

/// ASFF `PackageManager` names, as Inspector writes them.
fn package_manager(kind: Kind) -> &'static str {
    match kind {
        Kind::Deb => "DPKG",
        Kind::Rpm => "RPM",
        Kind::Apk => "APK",
        Kind::Python => "PIP",
        Kind::Npm => "NPM",
        Kind::Cargo => "CARGO",
        Kind::Go => "GOBINARY",
    }
}

/// `(epoch, version, release)`: dpkg's `[epoch:]upstream[-revision]` (Debian Policy
/// 5.6.12: the revision follows the last hyphen) and rpm's `[epoch:]version-release`;
/// other versions whole.
fn split_version(kind: Kind, v: &str) -> (Option<String>, String, Option<String>) {
    if !matches!(kind, Kind::Deb | Kind::Rpm) {
        return (None, v.to_owned(), None);
    }
    let (epoch, rest) = match v.split_once(':') {
        Some((e, rest)) if !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit()) => (Some(e.to_owned()), rest),
        _ => (None, v),
    };
    match rest.rsplit_once('-') {
        Some((up, rel)) if !up.is_empty() && !rel.is_empty() => (epoch, up.to_owned(), Some(rel.to_owned())),
        _ => (epoch, rest.to_owned(), None),
    }
}

/// The publisher of an advisory and its page, from the id's prefix.
fn vendor(id: &str) -> (&'static str, Option<String>) {
    let prefix = id.split('-').next().unwrap_or("");
    match prefix {
        "DSA" | "DLA" | "DTSA" | "DEBIAN" => ("Debian", Some(format!("https://security-tracker.debian.org/tracker/{id}"))),
        "GHSA" => ("GitHub", Some(format!("https://github.com/advisories/{id}"))),
        "RUSTSEC" => ("RustSec", Some(format!("https://rustsec.org/advisories/{id}.html"))),
        "GO" => ("Go Vulnerability Database", Some(format!("https://pkg.go.dev/vuln/{id}"))),
        "PYSEC" => ("PyPA", Some(format!("https://osv.dev/vulnerability/{id}"))),
        "USN" | "UBUNTU" => ("Ubuntu", Some(format!("https://osv.dev/vulnerability/{id}"))),
        // Rampart's ids for Alpine secdb entries (`ALPINE-v3.19-main-CVE-…`) have no page.
        "ALPINE" => ("Alpine", None),
        _ => ("OSV", Some(format!("https://osv.dev/vulnerability/{id}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_split_as_asff_wants() {
        assert_eq!(split_version(Kind::Deb, "1:1.1.1k-1+deb11u1"), (Some("1".into()), "1.1.1k".into(), Some("1+deb11u1".into())));
        assert_eq!(split_version(Kind::Deb, "2.36-9+deb12u4"), (None, "2.36".into(), Some("9+deb12u4".into())));
        assert_eq!(split_version(Kind::Deb, "5.2.15"), (None, "5.2.15".into(), None));
        assert_eq!(split_version(Kind::Rpm, "1:3.0.7-27.el9"), (Some("1".into()), "3.0.7".into(), Some("27.el9".into())));
        assert_eq!(split_version(Kind::Python, "2.0-1"), (None, "2.0-1".into(), None));
    }

    #[test]
    fn vendors() {
        assert_eq!(vendor("DSA-5103-1").0, "Debian");
        assert_eq!(vendor("RUSTSEC-2022-0014").1.as_deref(), Some("https://rustsec.org/advisories/RUSTSEC-2022-0014.html"));
        assert_eq!(vendor("ALPINE-v3.19-main-CVE-1").1, None);
        assert_eq!(vendor("X-1").0, "OSV");
    }
}
