//! Where a match's severity comes from, on the real records of `testdata/severity`
//! (see its ATTRIBUTION.md): the CVSS of another record of the same CVE, the vendor's
//! word, the distribution's urgency, or nothing — never an invented MEDIUM.

use std::path::{Path, PathBuf};

use rampart_model::{FixAvailable, Severity};
use rampart_vuln::detail::{vulnerability, Installed};
use rampart_vuln::hostmap::Kind;
use rampart_vuln::{read_path, Advisory, Database, Package, Source};

fn testdata(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/severity").join(rel)
}

fn records(rel: &str) -> Vec<Advisory> {
    let imported = read_path(&testdata(rel));
    assert!(imported.errors.is_empty(), "{:?}", imported.errors);
    imported.batches.into_iter().flat_map(|b| b.advisories).collect()
}

fn by_id(all: &[Advisory], id: &str) -> Advisory {
    all.iter().find(|a| a.id == id).cloned().expect(id)
}

/// libssl1.1 of Debian 11 built from openssl 1.1.1k-1+deb11u1: affected by DSA-5103-1.
fn libssl() -> Package {
    Package {
        ecosystem: "Debian:11".into(),
        name: "libssl1.1".into(),
        version: "1.1.1k-1+deb11u1".into(),
        source: Some(Source { name: "openssl".into(), version: "1.1.1k-1+deb11u1".into() }),
    }
}

fn pkg(ecosystem: &str, name: &str, version: &str) -> Package {
    Package { ecosystem: ecosystem.into(), name: name.into(), version: version.into(), source: None }
}

#[test]
fn cve_2022_0778_is_high_from_the_cvss_of_its_github_record() {
    let dsa = records("debian-security-tracker/data/DSA/list");
    let osv = records("osv");
    // Without a record that rates CVE-2022-0778 the DSA has no severity: unknown.
    let db = Database::from_records(dsa.clone());
    let m = &db.matches(&[libssl()])[0];
    assert_eq!(m.advisory, "DSA-5103-1");
    assert_eq!(m.severity, None, "unknown, not MEDIUM");
    assert_eq!(m.severity_source, "");

    // With GitHub's record of the CVE (another feed), joined by alias.
    let mut db = Database::from_records(dsa);
    db.add_related(&by_id(&osv, "GHSA-x3mh-jvjw-3xwx"));
    let found = db.matches(&[libssl()]);
    assert_eq!(found.len(), 1);
    let m = &found[0];
    assert_eq!(m.severity, Some(Severity::High));
    assert_eq!(m.severity_source, "CVSS 3.1 score 7.5 of GHSA-x3mh-jvjw-3xwx");
    let (vector, c) = m.cvss.as_ref().expect("the related vector");
    assert_eq!(vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H");
    assert_eq!(c.score, 7.5);

    let v = vulnerability(
        m,
        &Installed {
            kind: Kind::Deb,
            ecosystem: "Debian:11",
            name: "libssl1.1",
            version: "1.1.1k-1+deb11u1",
            arch: Some("amd64"),
            source_name: Some("openssl"),
            file_path: "var/lib/dpkg/status",
        },
    );
    // Two CVEs: the DSA stays the id, the CVEs are related.
    assert_eq!(v.id, "DSA-5103-1");
    assert_eq!(v.related, ["CVE-2021-4160", "CVE-2022-0778"]);
    assert_eq!(v.severity_label(), "HIGH");
    assert_eq!(v.cvss[0].source, "GHSA-x3mh-jvjw-3xwx");
    assert_eq!(v.cvss[0].version, "3.1");
    assert_eq!(v.package.version, "1.1.1k");
    assert_eq!(v.package.release.as_deref(), Some("1+deb11u1"));
    assert_eq!(v.package.epoch, None);
    assert_eq!(v.package.package_manager, "DPKG");
    assert_eq!(v.package.source_name.as_deref(), Some("openssl"));
    assert_eq!(v.package.fixed_in_version.as_deref(), Some("1.1.1k-1+deb11u2"));
    assert_eq!(v.fix_available(), FixAvailable::Yes);
    assert_eq!(v.vendor.name, "Debian");
    assert_eq!(v.vendor.created_at.as_deref(), Some("2022-03-15T00:00:00Z"));
    assert_eq!(v.reference_urls, ["https://security-tracker.debian.org/tracker/DSA-5103-1"]);
}

#[test]
fn language_advisory_is_rated_through_its_aliases() {
    let osv = records("osv");
    let rustsec = by_id(&osv, "RUSTSEC-2022-0014");
    assert!(rustsec.severity.is_empty(), "RustSec gives no CVSS here");
    let openssl_src = pkg("crates.io", "openssl-src", "111.17.0+1.1.1m");

    let db = Database::from_records([rustsec.clone()]);
    assert_eq!(db.matches(&[openssl_src.clone()])[0].severity, None);

    let mut db = Database::from_records([rustsec]);
    db.add_related(&by_id(&osv, "GHSA-x3mh-jvjw-3xwx"));
    let m = &db.matches(&[openssl_src])[0];
    assert_eq!(m.advisory, "RUSTSEC-2022-0014");
    assert_eq!(m.severity, Some(Severity::High));
    assert_eq!(m.fixed.as_deref(), Some("111.18.0"));
    let v = vulnerability(
        m,
        &Installed {
            kind: Kind::Cargo,
            ecosystem: "crates.io",
            name: "openssl-src",
            version: "111.17.0+1.1.1m",
            arch: None,
            source_name: None,
            file_path: "app/Cargo.lock",
        },
    );
    assert_eq!(v.id, "CVE-2022-0778", "its one CVE alias");
    assert_eq!(v.related, ["RUSTSEC-2022-0014", "GHSA-x3mh-jvjw-3xwx"]);
    assert_eq!(v.package.version, "111.17.0+1.1.1m");
    assert_eq!(v.package.package_manager, "CARGO");
    assert_eq!(v.vendor.name, "RustSec");
    assert!(v.reference_urls.contains(&"https://www.openssl.org/news/secadv/20220315.txt".to_owned()));
}

#[test]
fn github_record_rates_itself_by_cvss_before_its_word() {
    let osv = records("osv");
    let db = Database::from_records([by_id(&osv, "GHSA-x3mh-jvjw-3xwx")]);
    let m = &db.matches(&[pkg("crates.io", "openssl-src", "300.0.4")])[0];
    assert_eq!(m.severity, Some(Severity::High));
    assert_eq!(m.severity_source, "CVSS 3.1 score 7.5 of GHSA-x3mh-jvjw-3xwx");
    assert_eq!(m.vendor_severity.as_deref(), Some("HIGH"));
}

#[test]
fn debian_urgency_rates_when_nothing_else_does() {
    let db = Database::from_records(records("debian-security-tracker/data/DSA/list"));
    let rate = |eco: &str, name: &str, version: &str| {
        let found = db.matches(&[pkg(eco, name, version)]);
        assert_eq!(found.len(), 1, "{name}");
        (found[0].severity, found[0].vendor_severity.clone())
    };
    assert_eq!(rate("Debian:3.1", "graphviz", "2.2.1-1"), (Some(Severity::Low), Some("low".into())));
    assert_eq!(rate("Debian:3.1", "helix-player", "1.0.4-1"), (Some(Severity::High), Some("high".into())));
    // `(bug #332524; medium)`: the urgency among the notes.
    assert_eq!(rate("Debian:3.0", "xloadimage", "4.1-10woody1"), (Some(Severity::Medium), Some("medium".into())));
    // The same advisory for another release, without an urgency: unknown.
    assert_eq!(rate("Debian:3.1", "xloadimage", "4.1-14.2"), (None, None));
}
