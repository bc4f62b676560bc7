//! `rampart scan host` end to end on a root built here and a vulnerability database
//! imported from the real records of `testdata/severity`: severities come from a real
//! source or say "unknown", ASFF carries the `Vulnerabilities` block, OCSF uses the
//! Vulnerability Finding class, and the terminal summary counts by real severity.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rampart(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart"))
        .env("RAMPART_DB", dir.join("rampart.db"))
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("run rampart")
}

/// A Debian 11 root with libssl1.1 (source openssl, before DSA-5103-1's fix) and an
/// application whose Cargo.lock pins openssl-src before RUSTSEC-2022-0014's fix.
fn root(dir: &Path) -> PathBuf {
    let root = dir.join("root");
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::create_dir_all(root.join("var/lib/dpkg")).unwrap();
    std::fs::create_dir_all(root.join("srv/app")).unwrap();
    std::fs::write(root.join("etc/os-release"), "ID=debian\nVERSION_ID=\"11\"\nVERSION_CODENAME=bullseye\n").unwrap();
    std::fs::write(
        root.join("var/lib/dpkg/status"),
        "Package: libssl1.1\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\nVersion: 1.1.1k-1+deb11u1\n\n",
    )
    .unwrap();
    std::fs::write(
        root.join("srv/app/Cargo.lock"),
        "version = 3\n\n[[package]]\nname = \"openssl-src\"\nversion = \"111.17.0+1.1.1m\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
    )
    .unwrap();
    root
}

fn import(dir: &Path, vulndb: &Path, rel: &str) {
    let path = repo_root().join("testdata/severity").join(rel);
    let out = rampart(dir, &["vulndb", "import", path.to_str().unwrap(), "--db", vulndb.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

fn scan(dir: &Path, root: &Path, vulndb: &Path, format: &str) -> (Output, String) {
    let out_path = dir.join(format!("out.{format}"));
    let out = rampart(
        dir,
        &[
            "scan",
            "host",
            "--root",
            root.to_str().unwrap(),
            "--vulndb",
            vulndb.to_str().unwrap(),
            "--no-store",
            "--format",
            format,
            "--output",
            out_path.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    (out, std::fs::read_to_string(out_path).unwrap())
}

fn cve_findings(asff: &str) -> Vec<Value> {
    let v: Vec<Value> = serde_json::from_str(asff).unwrap();
    v.into_iter().filter(|f| f["GeneratorId"] == "rampart/host_cve" && f["Compliance"]["Status"] == "FAILED").collect()
}

#[test]
fn os_package_cve_is_high_from_a_real_cvss_and_unknown_without_one() {
    let dir = tempfile::tempdir().unwrap();
    let root = root(dir.path());
    let vulndb = dir.path().join("vulndb.db");

    // Only the Debian tracker: nothing rates DSA-5103-1.
    import(dir.path(), &vulndb, "debian-security-tracker/data/DSA/list");
    let (_, asff) = scan(dir.path(), &root, &vulndb, "asff");
    let found = cve_findings(&asff);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["Severity"]["Label"], "INFORMATIONAL");
    assert_eq!(found[0]["Severity"]["Original"], "UNKNOWN", "never an invented MEDIUM");
    let (out, _) = scan(dir.path(), &root, &vulndb, "json");
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(summary.contains("unknown"), "{summary}");
    assert!(!summary.contains("medium            1  host_cve"), "{summary}");

    // With GitHub's record of CVE-2022-0778 (CVSS 3.1, 7.5) imported too.
    import(dir.path(), &vulndb, "osv");
    let (_, asff) = scan(dir.path(), &root, &vulndb, "asff");
    let found = cve_findings(&asff);
    let dsa = found.iter().find(|f| f["Vulnerabilities"][0]["Id"] == "DSA-5103-1").expect("the OS package finding");
    assert_eq!(dsa["Severity"]["Label"], "HIGH");
    assert_eq!(dsa["Types"], serde_json::json!(["Software and Configuration Checks/Vulnerabilities/CVE"]));
    let v = &dsa["Vulnerabilities"][0];
    assert_eq!(v["Cvss"][0]["BaseScore"], 7.5);
    assert_eq!(v["Cvss"][0]["Source"], "GHSA-x3mh-jvjw-3xwx");
    assert_eq!(v["FixAvailable"], "YES");
    let p = &v["VulnerablePackages"][0];
    assert_eq!(
        (p["Name"].as_str(), p["Version"].as_str(), p["Release"].as_str(), p["Architecture"].as_str(), p["PackageManager"].as_str()),
        (Some("libssl1.1"), Some("1.1.1k"), Some("1+deb11u1"), Some("amd64"), Some("DPKG"))
    );
    assert_eq!(p["FixedInVersion"], "1.1.1k-1+deb11u2");

    // The language package: RustSec's advisory of the same CVE, rated through its alias.
    let rustsec = found
        .iter()
        .find(|f| f["Vulnerabilities"][0]["RelatedVulnerabilities"].to_string().contains("RUSTSEC-2022-0014"))
        .expect("the Cargo.lock finding");
    assert_eq!(rustsec["Severity"]["Label"], "HIGH");
    assert_eq!(rustsec["Vulnerabilities"][0]["Id"], "CVE-2022-0778");
    assert_eq!(rustsec["Vulnerabilities"][0]["VulnerablePackages"][0]["PackageManager"], "CARGO");
    assert_eq!(rustsec["Vulnerabilities"][0]["VulnerablePackages"][0]["FilePath"], "/srv/app/Cargo.lock");

    // OCSF: Vulnerability Findings for these, Compliance Findings for the rules.
    let (_, ocsf) = scan(dir.path(), &root, &vulndb, "ocsf");
    let events: Vec<Value> = serde_json::from_str(&ocsf).unwrap();
    let vulns: Vec<&Value> = events.iter().filter(|e| e["class_uid"] == 2002).collect();
    assert_eq!(vulns.len(), found.len());
    assert!(vulns.iter().all(|e| e["vulnerabilities"][0]["affected_packages"][0]["name"].is_string()));
    assert!(events.iter().any(|e| e["class_uid"] == 2003), "the CIS rules stay compliance findings");
}
