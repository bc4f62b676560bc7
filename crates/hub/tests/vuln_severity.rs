//! Matching through the store rates an advisory by another source's record of the same
//! CVE (joined by alias in SQL), and a finding's vulnerability survives the findings store.
//! Real records from `testdata/severity` (see its ATTRIBUTION.md).

use std::path::{Path, PathBuf};

use rampart_hub::{FindingFilter, Store, VulnStore};
use rampart_model::{Finding, FixAvailable, Resource, ResourceType, RunInfo, Severity, Status, Timestamp, Vulnerability};
use rampart_vuln::detail::{vulnerability, Installed};
use rampart_vuln::hostmap::Kind;
use rampart_vuln::osv::{parse, Format};
use rampart_vuln::{Package, Source};

fn testdata(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/severity").join(rel)
}

fn at(s: &str) -> Timestamp {
    Timestamp::parse(s, &time::format_description::well_known::Rfc3339).expect("timestamp")
}

fn libssl() -> Package {
    Package {
        ecosystem: "Debian:11".into(),
        name: "libssl1.1".into(),
        version: "1.1.1k-1+deb11u1".into(),
        source: Some(Source { name: "openssl".into(), version: "1.1.1k-1+deb11u1".into() }),
    }
}

fn import_all(store: &mut VulnStore) {
    for rel in ["debian-security-tracker/data/DSA/list", "osv"] {
        let (_, errors) = store.import_path(&testdata(rel), at("2026-01-01T00:00:00Z")).expect("import");
        assert!(errors.is_empty(), "{errors:?}");
    }
}

#[test]
fn cve_2022_0778_is_high_through_the_store() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut store = VulnStore::open(&dir.path().join("vulndb.db")).expect("open");
    import_all(&mut store);
    let pkgs = [libssl()];
    let found = store.database_for(&pkgs).expect("load").matches(&pkgs);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].advisory, "DSA-5103-1");
    assert_eq!(found[0].severity, Some(Severity::High));
    assert_eq!(found[0].cvss_source.as_deref(), Some("GHSA-x3mh-jvjw-3xwx"));

    // The GitHub record, re-imported newer without its alias, no longer rates the DSA:
    // the alias rows follow the record.
    let text = std::fs::read_to_string(testdata("osv/GHSA-x3mh-jvjw-3xwx.json")).unwrap();
    let mut ghsa = parse(text.as_bytes(), Format::Json).unwrap();
    ghsa.aliases.clear();
    ghsa.modified = Some("2030-01-01T00:00:00Z".into());
    store.import([ghsa], "osv", at("2026-01-02T00:00:00Z")).expect("re-import");
    let found = store.database_for(&pkgs).expect("load").matches(&pkgs);
    assert_eq!(found[0].severity, None, "unknown without a source");
}

fn host_finding(v: Option<Vulnerability>) -> Finding {
    let id = if v.is_some() { "f-vuln" } else { "f-plain" };
    Finding {
        id: id.into(),
        check_id: "host_cve".into(),
        title: "Vulnerable package".into(),
        description: "d".into(),
        severity: v.as_ref().and_then(|v| v.severity).unwrap_or(Severity::Informational),
        status: Status::Failed,
        reason: "r".into(),
        detail: id.into(),
        service: "host".into(),
        resource: Resource {
            id: "host/web-1".into(),
            kind: ResourceType::Other,
            account: String::new(),
            region: String::new(),
            partition: String::new(),
            name: "web-1".into(),
        },
        remediation_console: "".into(),
        remediation_cli: "".into(),
        remediation_url: "".into(),
        related_requirements: Vec::new().into(),
        first_observed: at("2026-01-01T00:00:00Z"),
        last_observed: at("2026-01-01T00:00:00Z"),
        workflow_status: rampart_model::WorkflowStatus::New,
        record_state: rampart_model::RecordState::Active,
        vulnerability: v.map(Box::new),
    }
}

#[test]
fn a_findings_vulnerability_is_stored_and_read_back() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut vulns = VulnStore::open_in_memory().expect("open");
    import_all(&mut vulns);
    let pkgs = [libssl()];
    let m = &vulns.database_for(&pkgs).expect("load").matches(&pkgs)[0];
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
    assert_eq!(v.fix_available(), FixAvailable::Yes);
    let mut findings = vec![host_finding(Some(v.clone())), host_finding(None)];
    let run = RunInfo {
        id: "r1".into(),
        started_at: at("2026-01-01T00:00:00Z"),
        finished_at: at("2026-01-01T00:00:01Z"),
        source: "host:web-1".into(),
        accounts: Vec::new(),
        regions: Vec::new(),
        tool_version: "0".into(),
        checks: vec!["host_cve".into()],
        incomplete: Vec::new(),
    };
    let path = dir.path().join("findings.db");
    Store::open(&path).expect("open").record_run(&run, &mut findings, &[]).expect("record");
    let back = Store::open(&path).expect("open").findings(&FindingFilter::default()).expect("read");
    let vuln = back.iter().find(|f| f.id == "f-vuln").expect("stored");
    assert_eq!(vuln.vulnerability.as_deref(), Some(&v));
    assert_eq!(vuln.severity, Severity::High);
    let plain = back.iter().find(|f| f.id == "f-plain").expect("stored");
    assert_eq!(plain.vulnerability, None);
    let run_view = Store::open(&path).expect("open").run_results("r1").expect("run");
    assert!(run_view.iter().any(|f| f.vulnerability.as_deref() == Some(&v)));
}
