//! Import of the real OSV slice in `testdata/osv` and matching against it.

use std::path::Path;

use rampart_model::Severity;
use rampart_vuln::{Database, MatchedBy, Package, Source};

fn testdata() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/osv")
}

fn pkg(ecosystem: &str, name: &str, version: &str) -> Package {
    Package {
        ecosystem: ecosystem.into(),
        name: name.into(),
        version: version.into(),
        source: None,
    }
}

fn db() -> Database {
    let (db, errors) = Database::from_osv_dir(&testdata());
    assert!(errors.is_empty(), "{errors:?}");
    db
}

#[test]
fn imports_every_record_but_the_withdrawn_one() {
    let db = db();
    let files = ["rustsec", "pypa", "golang"]
        .iter()
        .map(|d| {
            std::fs::read_dir(testdata().join(d))
                .expect("testdata")
                .count()
        })
        .sum::<usize>();
    assert!(files >= 30, "the slice has {files} records");
    assert_eq!(db.len(), files - 1);
    assert!(db.get("RUSTSEC-2020-0053").is_none(), "withdrawn");
    assert!(db.get("PYSEC-2014-13").is_some(), "yaml");
}

#[test]
fn matches_crates_with_fixed_version_and_severity() {
    let db = db();
    let packages = [
        pkg("crates.io", "wasmtime", "4.0.0"),
        pkg("crates.io", "wasmtime", "4.0.1"),
        pkg("crates.io", "time", "0.1.43"),
        pkg("crates.io", "time", "0.2.7"),
        pkg("crates.io", "time", "0.2.23"),
        pkg("crates.io", "dirs", "1.0.0"),
    ];
    let found = db.matches(&packages);
    let summary: Vec<(usize, &str, Option<&str>)> = found
        .iter()
        .map(|m| (m.package, m.advisory.as_str(), m.fixed.as_deref()))
        .collect();
    assert_eq!(
        summary,
        [
            (0, "RUSTSEC-2023-0090", Some("4.0.1")),
            (2, "RUSTSEC-2020-0071", Some("0.2.0")),
            (3, "RUSTSEC-2020-0071", Some("0.2.23")),
        ]
    );
    let wasmtime = &found[0];
    assert_eq!(wasmtime.severity, Some(Severity::Critical));
    assert_eq!(wasmtime.cvss.as_ref().map(|(_, c)| c.score), Some(9.9));
    assert!(wasmtime.aliases.contains(&"CVE-2023-26489".to_owned()));
    assert_eq!(
        wasmtime.by,
        MatchedBy::Range(rampart_vuln::osv::RangeType::Semver)
    );
}

#[test]
fn matches_pypi_yaml_records_with_normalized_names() {
    let db = db();
    let found = db.matches(&[
        pkg("PyPI", "Requests", "2.2.1"),
        pkg("PyPI", "requests", "2.3.0"),
    ]);
    let ids: Vec<(usize, &str)> = found
        .iter()
        .map(|m| (m.package, m.advisory.as_str()))
        .collect();
    assert!(ids.contains(&(0, "PYSEC-2014-13")), "{ids:?}");
    assert!(!ids.contains(&(1, "PYSEC-2014-13")), "{ids:?}");
}

#[test]
fn matches_go_modules_with_and_without_v() {
    let db = db();
    let found = db.matches(&[
        pkg("Go", "github.com/gin-gonic/gin", "v1.5.0"),
        pkg("Go", "github.com/gin-gonic/gin", "1.6.0"),
    ]);
    let hit: Vec<(usize, &str)> = found
        .iter()
        .map(|m| (m.package, m.advisory.as_str()))
        .collect();
    assert!(hit.contains(&(0, "GO-2020-0001")), "{hit:?}");
    assert!(!hit.iter().any(|(p, _)| *p == 1), "{hit:?}");
}

#[test]
fn debian_binaries_match_through_their_source() {
    let record = br#"{"id":"DSA-0000-1","affected":[{"package":{"ecosystem":"Debian:12","name":"openssl"},
        "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"3.0.11-1~deb12u2"}]}]}]}"#;
    let advisory =
        rampart_vuln::osv::parse(record, rampart_vuln::osv::Format::Json).expect("valid");
    let db = Database::from_records([advisory]);
    let libssl = Package {
        ecosystem: "Debian:12".into(),
        name: "libssl3".into(),
        version: "3.0.11-1~deb12u1".into(),
        source: Some(Source {
            name: "openssl".into(),
            version: "3.0.11-1~deb12u1".into(),
        }),
    };
    let found = db.matches(&[libssl]);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].fixed.as_deref(), Some("3.0.11-1~deb12u2"));
    assert_eq!(found[0].severity, None);
}

#[test]
fn malformed_records_are_reported_by_file_and_the_rest_imported() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/malformed");
    let (db, errors) = Database::from_osv_dir(&dir);
    assert_eq!(db.len(), 1);
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(
        messages[0].contains("bad-event.json`: invalid osv json: invalid type: integer `1`"),
        "{}",
        messages[0]
    );
    assert!(
        messages[1].contains("broken.yaml`: invalid osv yaml"),
        "{}",
        messages[1]
    );
    assert!(
        messages[2].contains("no-id.json`: invalid osv json: missing field `id`"),
        "{}",
        messages[2]
    );
    let (_, errors) = Database::from_osv_dir(&dir.join("missing"));
    assert!(
        errors[0].to_string().starts_with("cannot read `"),
        "{}",
        errors[0]
    );
}
