//! The vulnerability database against real SQLite files: round trip, idempotent
//! imports, newest `modified` wins, `load_for` selects exactly the relevant records.

use std::path::Path;

use rampart_hub::{ImportStats, StoreError, VulnStore};
use rampart_model::Timestamp;
use rampart_vuln::osv::{parse, Format};
use rampart_vuln::{Advisory, Database, Package, Source};

fn testdata(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(rel)
}

fn at(s: &str) -> Timestamp {
    Timestamp::parse(s, &time::format_description::well_known::Rfc3339).expect("timestamp")
}

fn record(id: &str, modified: &str, ecosystem: &str, name: &str, fixed: &str) -> Advisory {
    let text = format!(
        r#"{{"id":"{id}","modified":"{modified}","aliases":["CVE-2024-{fixed}"],"summary":"s {fixed}",
            "severity":[{{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}}],
            "affected":[{{"package":{{"ecosystem":"{ecosystem}","name":"{name}"}},
              "ranges":[{{"type":"ECOSYSTEM","events":[{{"introduced":"0"}},{{"fixed":"{fixed}"}}]}}],
              "versions":["0.1"]}}]}}"#
    );
    parse(text.as_bytes(), Format::Json).expect("test record")
}

fn osv_slice() -> Vec<Advisory> {
    let imported = rampart_vuln::read_path(&testdata("osv"));
    assert!(imported.errors.is_empty(), "{:?}", imported.errors);
    imported
        .batches
        .into_iter()
        .flat_map(|b| b.advisories)
        .collect()
}

#[test]
fn advisories_round_trip_through_a_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("sub/vulndb.db");
    let records = osv_slice();
    let n = records.len();
    {
        let mut store = VulnStore::open(&path).expect("open");
        let stats = store
            .import(records.clone(), "osv", at("2026-01-02T03:04:05Z"))
            .expect("import");
        assert_eq!(
            stats,
            ImportStats {
                read: n,
                inserted: n,
                ..ImportStats::default()
            }
        );
    }
    let store = VulnStore::open(&path).expect("reopen");
    for want in &records {
        let Some(pkg) = want.affected.iter().find_map(|a| a.package.as_ref()) else {
            continue;
        };
        let got = store
            .load_for([(pkg.ecosystem.as_str(), pkg.name.as_str())])
            .expect("load");
        if want.withdrawn.is_some() {
            assert!(got.iter().all(|a| a.id != want.id), "withdrawn {}", want.id);
        } else {
            assert!(got.contains(want), "{} round trips", want.id);
        }
    }
    let meta = store.meta().expect("meta");
    assert_eq!(meta.advisories, n);
    assert_eq!(meta.imported_at, Some(at("2026-01-02T03:04:05Z")));
    assert_eq!(meta.sources.len(), 1);
    assert_eq!(meta.sources[0].source, "osv");
    assert_eq!(meta.sources[0].advisories, n);
    assert_eq!(meta.schema_version, store.schema_version());
}

#[test]
fn importing_twice_is_idempotent() {
    let mut store = VulnStore::open_in_memory().expect("open");
    let records = osv_slice();
    let n = records.len();
    store
        .import(records.clone(), "osv", at("2026-01-01T00:00:00Z"))
        .expect("first");
    let before = store
        .load_for([("crates.io", "time"), ("PyPI", "django")])
        .expect("load");
    let second = store
        .import(records, "osv", at("2026-01-02T00:00:00Z"))
        .expect("second");
    assert_eq!(
        second,
        ImportStats {
            read: n,
            unchanged: n,
            ..ImportStats::default()
        }
    );
    let after = store
        .load_for([("crates.io", "time"), ("PyPI", "django")])
        .expect("load");
    assert_eq!(before, after);
    let meta = store.meta().expect("meta");
    assert_eq!(meta.advisories, n);
    assert_eq!(meta.sources[0].last_import, second);
    assert_eq!(meta.imported_at, Some(at("2026-01-02T00:00:00Z")));
}

#[test]
fn the_newest_modified_wins() {
    let mut store = VulnStore::open_in_memory().expect("open");
    let now = at("2026-01-01T00:00:00Z");
    let newer = record("X-1", "2024-05-01T00:00:00Z", "PyPI", "Foo", "2.0");
    let older = record("X-1", "2024-04-30T23:59:59.5Z", "PyPI", "Foo", "1.0");
    store.import([newer.clone()], "a", now).expect("import");
    let stats = store.import([older], "b", now).expect("import");
    assert_eq!(stats.older, 1);
    let held = store.load_for([("PyPI", "foo")]).expect("load");
    assert_eq!(held, std::slice::from_ref(&newer));
    // Newer replaces, including its affected packages and its source.
    let moved = record("X-1", "2024-06-01T00:00:00+02:00", "PyPI", "Bar", "3.0");
    let stats = store.import([moved.clone()], "b", now).expect("import");
    assert_eq!(stats.updated, 1);
    assert!(store.load_for([("PyPI", "foo")]).expect("load").is_empty());
    assert_eq!(store.load_for([("PyPI", "bar")]).expect("load"), [moved]);
    let meta = store.meta().expect("meta");
    let held: Vec<(&str, usize)> = meta
        .sources
        .iter()
        .map(|s| (s.source.as_str(), s.advisories))
        .collect();
    assert_eq!(held, [("a", 0), ("b", 1)]);
    // A record without `modified` never replaces one with it.
    let mut undated = newer;
    undated.modified = None;
    assert_eq!(store.import([undated], "c", now).expect("import").older, 1);
}

#[test]
fn load_for_returns_exactly_the_relevant_advisories() {
    let mut store = VulnStore::open_in_memory().expect("open");
    let now = at("2026-01-01T00:00:00Z");
    let mut withdrawn = record("W-1", "2024-01-01T00:00:00Z", "PyPI", "foo", "9.0");
    withdrawn.withdrawn = Some("2024-02-01T00:00:00Z".into());
    let records = [
        record("A-1", "2024-01-01T00:00:00Z", "PyPI", "Foo_Bar", "1.0"),
        record("A-2", "2024-01-01T00:00:00Z", "PyPI", "foo-bar", "2.0"),
        record("B-1", "2024-01-01T00:00:00Z", "npm", "foo-bar", "1.0"),
        record(
            "C-1",
            "2024-01-01T00:00:00Z",
            "Debian:12",
            "openssl",
            "3.0.11-1~deb12u1",
        ),
        record(
            "C-2",
            "2024-01-01T00:00:00Z",
            "Debian:11",
            "openssl",
            "1.1.1w-0+deb11u1",
        ),
        withdrawn,
    ];
    store.import(records, "osv", now).expect("import");
    let ids = |pairs: &[(&str, &str)]| -> Vec<String> {
        store
            .load_for(pairs.iter().copied())
            .expect("load")
            .into_iter()
            .map(|a| a.id)
            .collect()
    };
    assert_eq!(ids(&[("PyPI", "FOO.bar")]), ["A-1", "A-2"]);
    assert_eq!(ids(&[("npm", "foo-bar"), ("PyPI", "foo")]), ["B-1"]);
    assert_eq!(
        ids(&[("Debian:12", "openssl"), ("PyPI", "foo_bar")]),
        ["A-1", "A-2", "C-1"]
    );
    assert!(ids(&[("Debian:13", "openssl"), ("Go", "foo-bar")]).is_empty());

    // The host-matching path: binary packages through their source, then match.
    let pkgs = [Package {
        ecosystem: "Debian:12".into(),
        name: "libssl3".into(),
        version: "3.0.9-1".into(),
        source: Some(Source {
            name: "openssl".into(),
            version: "3.0.9-1".into(),
        }),
    }];
    let db = Database::from_records(store.load_for_packages(&pkgs).expect("load"));
    let found = db.matches(&pkgs);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].advisory, "C-1");
    assert_eq!(found[0].fixed.as_deref(), Some("3.0.11-1~deb12u1"));
}

#[test]
fn import_path_reads_every_feed_and_reports_bad_entries() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut store = VulnStore::open(&dir.path().join("v.db")).expect("open");
    let (stats, errors) = store
        .import_path(&testdata("vulndb"), at("2026-01-01T00:00:00Z"))
        .expect("import");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(stats.read, stats.inserted);
    let meta = store.meta().expect("meta");
    let sources: Vec<&str> = meta.sources.iter().map(|s| s.source.as_str()).collect();
    assert_eq!(sources, ["alpine-secdb", "debian-security-tracker"]);
    assert_eq!(meta.advisories, stats.read);
    let found = store
        .load_for([("Debian:11", "xorg-server"), ("Alpine:v3.11", "openssl")])
        .expect("load");
    assert!(found.iter().any(|a| a.id == "DSA-5380-1"));
    assert!(found
        .iter()
        .any(|a| a.id == "ALPINE-v3.11-main-CVE-2019-1551"));

    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, b"{\"id\":").expect("write");
    let (stats, errors) = store
        .import_path(&bad, at("2026-01-01T00:00:00Z"))
        .expect("import");
    assert_eq!(stats.read, 0);
    assert_eq!(errors.len(), 1);
    assert!(errors[0]
        .to_string()
        .starts_with(&format!("`{}`: invalid osv json", bad.display())));
}

#[test]
fn a_findings_file_is_also_a_vulnerability_database() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("rampart.db");
    let findings = rampart_hub::Store::open(&path).expect("findings store");
    let vulns = VulnStore::open(&path).expect("same file");
    assert_eq!(vulns.meta().expect("meta").advisories, 0);
    assert!(findings.runs().expect("runs").is_empty());
    drop(findings);
    drop(vulns);
    // Each store keeps its own version: reopening either migrates nothing of the other.
    let findings = rampart_hub::Store::open_read_only(&path).expect("findings again");
    assert_eq!(findings.schema_versions()[0].0, "findings");
    std::fs::write(dir.path().join("other.db"), b"not sqlite at all, just text").expect("write");
    assert!(matches!(
        VulnStore::open(&dir.path().join("other.db")),
        Err(StoreError::NotRampart { .. })
    ));
}
