//! The Debian tracker, Alpine secdb and OSV zip converters on the real slices in
//! `testdata/vulndb` and `testdata/osv`, and matching against what they produce.

use std::io::Write;
use std::path::{Path, PathBuf};

use rampart_vuln::feed::{alpine, archive, debian, Feed, Location};
use rampart_vuln::osv::{Event, Format};
use rampart_vuln::{read_path, Advisory, Database, ImportError, Package, Source};

fn testdata(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(rel)
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(testdata(rel)).expect("testdata")
}

fn events(a: &Advisory, ecosystem: &str, name: &str) -> Vec<Event> {
    a.affected
        .iter()
        .filter(|e| {
            e.package
                .as_ref()
                .is_some_and(|p| p.ecosystem == ecosystem && p.name == name)
        })
        .flat_map(|e| e.ranges.iter().flat_map(|r| r.events.clone()))
        .collect()
}

#[test]
fn debian_dsa_maps_to_source_package_and_fixed_version() {
    let (advisories, errors) =
        debian::parse_list(&read("vulndb/debian-security-tracker/data/DSA/list"));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(advisories.len(), 36);
    let dsa = advisories
        .iter()
        .find(|a| a.id == "DSA-5380-1")
        .expect("DSA-5380-1");
    assert_eq!(dsa.aliases, ["CVE-2023-1393"]);
    assert_eq!(dsa.published.as_deref(), Some("2023-03-29T00:00:00Z"));
    assert_eq!(
        events(dsa, "Debian:11", "xorg-server"),
        [
            Event::Introduced("0".into()),
            Event::Fixed("2:1.20.11-1+deb11u6".into())
        ]
    );
    // A binary package of that source, matched through it.
    let db = Database::from_records(advisories.clone());
    let pkgs = [
        Package {
            ecosystem: "Debian:11".into(),
            name: "xserver-xorg-core".into(),
            version: "2:1.20.11-1+deb11u5".into(),
            source: Some(Source {
                name: "xorg-server".into(),
                version: "2:1.20.11-1+deb11u5".into(),
            }),
        },
        Package {
            ecosystem: "Debian:11".into(),
            name: "xserver-xorg-core".into(),
            version: "2:1.20.11-1+deb11u6".into(),
            source: Some(Source {
                name: "xorg-server".into(),
                version: "2:1.20.11-1+deb11u6".into(),
            }),
        },
        Package {
            ecosystem: "Debian:10".into(),
            name: "xorg-server".into(),
            version: "2:1.20.4-1+deb10u1".into(),
            source: None,
        },
    ];
    let found = db.matches(&pkgs);
    let found: Vec<(usize, &str, Option<&str>)> = found
        .iter()
        .map(|m| (m.package, m.advisory.as_str(), m.fixed.as_deref()))
        .collect();
    assert_eq!(found, [(0, "DSA-5380-1", Some("2:1.20.11-1+deb11u6"))]);

    // Old releases: `<not-affected>` adds no entry, codenames map to `Debian:<n>`.
    let old = advisories
        .iter()
        .find(|a| {
            a.affected.iter().any(|e| {
                e.package
                    .as_ref()
                    .is_some_and(|p| p.ecosystem == "Debian:5.0")
            })
        })
        .expect("a lenny advisory");
    assert!(old.id.starts_with("DSA-"));
}

#[test]
fn debian_dla_uses_buster() {
    let (advisories, errors) =
        debian::parse_list(&read("vulndb/debian-security-tracker/data/DLA/list"));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(advisories.len(), 20);
    let dla = advisories
        .iter()
        .find(|a| a.id == "DLA-3377-1")
        .expect("DLA-3377-1");
    assert_eq!(
        events(dla, "Debian:10", "systemd"),
        [
            Event::Introduced("0".into()),
            Event::Fixed("241-7~deb10u9".into())
        ]
    );
}

#[test]
fn alpine_secfix_maps_to_range() {
    let text = read("vulndb/alpine-secdb/v3.11/main.yaml");
    let (advisories, errors) = alpine::parse_secdb(text.as_bytes(), Format::Yaml);
    assert!(errors.is_empty(), "{errors:?}");
    let a = advisories
        .iter()
        .find(|a| a.id == "ALPINE-v3.11-main-CVE-2019-1551")
        .expect("openssl CVE-2019-1551");
    assert_eq!(a.aliases, ["CVE-2019-1551"]);
    assert_eq!(
        events(a, "Alpine:v3.11", "openssl"),
        [
            Event::Introduced("0".into()),
            Event::Fixed("1.1.1d-r3".into())
        ]
    );
    let db = Database::from_records(advisories);
    let pkg = |v: &str| Package {
        ecosystem: "Alpine:v3.11".into(),
        name: "openssl".into(),
        version: v.into(),
        source: None,
    };
    let found = db.matches(&[pkg("1.1.1d-r2"), pkg("1.1.1d-r3")]);
    let ids: Vec<(usize, &str)> = found
        .iter()
        .map(|m| (m.package, m.advisory.as_str()))
        .collect();
    assert_eq!(ids, [(0, "ALPINE-v3.11-main-CVE-2019-1551")]);
    assert_eq!(found[0].fixed.as_deref(), Some("1.1.1d-r3"));
}

#[test]
fn read_path_finds_every_feed_in_a_directory() {
    let imported = read_path(&testdata("vulndb"));
    assert!(imported.errors.is_empty(), "{:?}", imported.errors);
    assert_eq!(imported.files, 5, "alpine-secdb (2), debian-security-tracker (2), openssh-stretch (1)");
    let feeds: Vec<(Feed, usize)> = imported
        .batches
        .iter()
        .map(|b| (b.feed, b.advisories.len()))
        .collect();
    // 56 from debian-security-tracker, 3 from openssh-stretch (the exposure-path tests' DSAs).
    assert_eq!(feeds[0], (Feed::DebianTracker, 59));
    assert_eq!(feeds[1].0, Feed::AlpineSecdb);
    // The same CVE in two branches is two records: importing one branch never
    // replaces the other's.
    let alpine = &imported.batches[1].advisories;
    for id in [
        "ALPINE-v3.10-main-CVE-2019-1547",
        "ALPINE-v3.11-main-CVE-2019-1547",
    ] {
        assert!(alpine.iter().any(|a| a.id == id), "{id}");
    }
}

/// Builds an `all.zip` like the OSV exports from the JSON records of `testdata/osv`.
fn osv_zip(extra: &[(&str, &[u8])]) -> (Vec<u8>, usize) {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buf);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut n = 0;
    for dir in ["rustsec", "golang"] {
        let mut files: Vec<_> = std::fs::read_dir(testdata("osv").join(dir))
            .expect("testdata")
            .map(|e| e.expect("entry").path())
            .collect();
        files.sort();
        for f in files {
            let name = f
                .file_name()
                .and_then(|n| n.to_str())
                .expect("name")
                .to_owned();
            zip.start_file(name, opts).expect("zip");
            zip.write_all(&std::fs::read(&f).expect("read"))
                .expect("zip");
            n += 1;
        }
    }
    for (name, bytes) in extra {
        zip.start_file(*name, opts).expect("zip");
        zip.write_all(bytes).expect("zip");
    }
    zip.finish().expect("zip");
    (buf.into_inner(), n)
}

#[test]
fn osv_zip_export_imports_like_the_directory() {
    let (bytes, n) = osv_zip(&[]);
    let (advisories, errors) = archive::read_zip(std::io::Cursor::new(bytes.clone())).expect("zip");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(advisories.len(), n);
    assert!(advisories.iter().any(|a| a.id == "RUSTSEC-2023-0090"));

    // Through read_path, as a file on disk.
    let dir = std::env::temp_dir().join(format!("rampart-vuln-zip-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let path = dir.join("all.zip");
    std::fs::write(&path, &bytes).expect("write");
    let imported = read_path(&path);
    std::fs::remove_dir_all(&dir).ok();
    assert!(imported.errors.is_empty(), "{:?}", imported.errors);
    assert_eq!(imported.batches.len(), 1);
    assert_eq!(imported.batches[0].feed, Feed::Osv);
    assert_eq!(imported.advisories(), n);
}

#[test]
fn malformed_members_and_entries_are_reported_with_their_location() {
    let (bytes, n) = osv_zip(&[
        ("broken.json", b"{\"id\":"),
        ("no-id.json", b"{\"summary\":\"x\"}"),
        ("README.md", b"not a record"),
    ]);
    let (advisories, errors) = archive::read_zip(std::io::Cursor::new(bytes)).expect("zip");
    assert_eq!(advisories.len(), n, "the good members are read");
    let at: Vec<&Location> = errors.iter().map(|e| &e.location).collect();
    assert_eq!(
        at,
        [
            &Location::Member("broken.json".into()),
            &Location::Member("no-id.json".into())
        ]
    );
    assert!(archive::read_zip(std::io::Cursor::new(b"PK\x03\x04 nope".to_vec())).is_err());

    // A Debian list with a bad line in the middle: the error names file and line,
    // the advisories around it are imported.
    let dir = std::env::temp_dir().join(format!("rampart-vuln-bad-{}", std::process::id()));
    let list = dir.join("data/DSA/list");
    std::fs::create_dir_all(list.parent().expect("parent")).expect("tmp");
    let mut text = read("vulndb/debian-security-tracker/data/DSA/list");
    text.insert_str(
        text.find("[27 Mar 2023]").expect("DSA-5379-1"),
        "\t[bullseye] - xorg-server\n",
    );
    std::fs::write(&list, text).expect("write");
    let imported = read_path(&dir);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(imported.advisories(), 36);
    let errors: Vec<String> = imported.errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        errors,
        [format!(
            "`{}`: line 4: expected `package version` in `[bullseye] - xorg-server`",
            list.display()
        )]
    );
    assert!(matches!(
        &imported.errors[0],
        ImportError::Entry {
            location: Location::Line(4),
            ..
        }
    ));
}
