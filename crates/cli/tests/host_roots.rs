//! End-to-end: `rampart scan host --root` and `rampart agent --root` on roots that are not
//! what they should be. A root that is missing or not a directory is an input error; a
//! root without any package database, or with one package source that cannot be read,
//! is never reported clean.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rampart(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart"))
        .env("RAMPART_DB", dir.join("rampart.db"))
        .env("RAMPART_VULNDB", dir.join("vulndb.db"))
        .args(args)
        .output()
        .expect("run rampart")
}

/// Exit 2 with one `error:` line on stderr that contains every `needle`.
#[track_caller]
fn assert_input_error(out: &Output, needles: &[&str]) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line: {stderr}");
    assert!(lines[0].starts_with("error: "), "{stderr}");
    for n in needles {
        assert!(lines[0].contains(n), "expected `{n}` in: {stderr}");
    }
    assert!(
        out.stdout.is_empty(),
        "nothing on stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn a_missing_root_or_a_file_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let missing = d.join("nonexistent");
    let file = d.join("disk.img");
    std::fs::write(&file, b"not a directory").unwrap();
    let m = missing.to_str().unwrap();
    let f = file.to_str().unwrap();
    assert_input_error(
        &rampart(d, &["scan", "host", "--root", m]),
        &["does not exist", "give --root the directory"],
    );
    assert_input_error(
        &rampart(d, &["scan", "host", "--root", f]),
        &["is not a directory", "give --root the directory"],
    );
    let out = d.join("t.json");
    assert_input_error(
        &rampart(
            d,
            &["agent", "--once", "--root", m, "-o", out.to_str().unwrap()],
        ),
        &["does not exist"],
    );
    assert!(!out.exists(), "no telemetry written for a missing root");
}

/// Imports the Debian DSA list and RustSec's smallvec advisory (0.6.5 ≤ v < 0.6.10).
fn vulndb(d: &Path) -> PathBuf {
    let db = d.join("vulndb.db");
    let dsa = repo_root().join("testdata/vulndb/debian-security-tracker/data/DSA/list");
    let rustsec = repo_root().join("testdata/osv/rustsec/RUSTSEC-2019-0009.json");
    let out = rampart(
        d,
        &[
            "vulndb",
            "import",
            dsa.to_str().unwrap(),
            rustsec.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    db
}

/// The `host_cve` results of `scan host --root ROOT` as (status, detail, reason), and stderr.
fn cve_results(d: &Path, root: &Path, db: &Path) -> (Vec<(String, String, String)>, String) {
    let json = d.join("out.json");
    let out = rampart(
        d,
        &[
            "scan",
            "host",
            "--root",
            root.to_str().unwrap(),
            "--vulndb",
            db.to_str().unwrap(),
            "--format",
            "json",
            "--output",
            json.to_str().unwrap(),
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{stderr}");
    let v: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let cve = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check_id"] == "host_cve")
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_owned();
            (s("status"), s("detail"), s("reason"))
        })
        .collect();
    (cve, stderr)
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const OS_RELEASE: &str = "ID=debian\nVERSION_ID=\"11\"\nVERSION_CODENAME=bullseye\n";
/// xserver-xorg-core before DSA-5380-1's fix (2:1.20.11-1+deb11u6).
const XORG: &str = "Package: xserver-xorg-core\nStatus: install ok installed\nArchitecture: amd64\nSource: xorg-server\nVersion: 2:1.20.11-1+deb11u5\n";
const SMALLVEC: &str = "[[package]]\nname = \"smallvec\"\nversion = \"0.6.9\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n";

#[test]
fn a_root_without_any_package_database_is_not_available_for_cves() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = vulndb(d);
    let root = d.join("root");
    write(&root, "etc/os-release", OS_RELEASE);
    let (cve, _) = cve_results(d, &root, &db);
    assert_eq!(cve.len(), 1, "{cve:#?}");
    let (status, detail, reason) = &cve[0];
    assert_eq!((status.as_str(), detail.as_str()), ("NOT_AVAILABLE", ""));
    assert!(
        reason.starts_with(&format!(
            "no package database found under `{}` (looked for /var/lib/dpkg/status,",
            root.display()
        )),
        "{reason}"
    );
}

/// Each broken root: the Debian and Cargo packages are still matched, and the source that
/// could not be read is named in a warning and in a NOT_AVAILABLE result.
#[test]
fn one_unreadable_package_source_fails_alone() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = vulndb(d);
    type Break = fn(&Path);
    let cases: [(&str, Break, &str); 3] = [
        (
            "looping-status-d",
            |r| std::os::unix::fs::symlink("status.d", r.join("var/lib/dpkg/status.d")).unwrap(),
            "dpkg `/var/lib/dpkg/status.d`",
        ),
        (
            "stray-rpm",
            |r| {
                write(
                    r,
                    "var/lib/rpm/Packages",
                    "\0\0\0\0\0\0\0\0\0\0\0\0\x00\x06\x15\x61",
                )
            },
            "rpm `/var/lib/rpm/Packages`",
        ),
        (
            "looping-status",
            |r| {
                // The status file itself loops; its packages come from status.d instead.
                std::fs::remove_file(r.join("var/lib/dpkg/status")).unwrap();
                std::os::unix::fs::symlink("/var/lib/dpkg/status", r.join("var/lib/dpkg/status"))
                    .unwrap();
                write(r, "var/lib/dpkg/status.d/xorg", XORG);
            },
            "dpkg `/var/lib/dpkg/status`",
        ),
    ];
    for (name, break_it, source) in cases {
        let root = d.join(name);
        write(&root, "etc/os-release", OS_RELEASE);
        write(&root, "var/lib/dpkg/status", XORG);
        write(&root, "srv/app/Cargo.lock", SMALLVEC);
        break_it(&root);
        let (cve, stderr) = cve_results(d, &root, &db);
        let failed: Vec<&str> = cve
            .iter()
            .filter(|c| c.0 == "FAILED")
            .map(|c| c.1.as_str())
            .collect();
        assert!(
            failed
                .iter()
                .any(|f| f.contains("xserver-xorg-core") && f.contains("DSA-5380-1")),
            "{name}: {cve:#?}"
        );
        assert!(
            failed
                .iter()
                .any(|f| f.contains("smallvec 0.6.9 RUSTSEC-2019-0009")),
            "{name}: {cve:#?}"
        );
        let na: Vec<&(String, String, String)> =
            cve.iter().filter(|c| c.0 == "NOT_AVAILABLE").collect();
        assert_eq!(na.len(), 1, "{name}: {cve:#?}");
        assert!(
            na[0]
                .2
                .contains(&format!("the packages of {source} could not be read")),
            "{name}: {cve:#?}"
        );
        assert!(!cve.iter().any(|c| c.0 == "PASSED"), "{name}: {cve:#?}");
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with(&format!("warning: packages of {source} not read: "))),
            "{name}: {stderr}"
        );
    }
}

/// No advisory matched, one source unread: the host-wide result is not a clean pass.
#[test]
fn an_incomplete_clean_result_is_not_passed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = vulndb(d);
    let root = d.join("root");
    write(&root, "etc/os-release", OS_RELEASE);
    write(
        &root,
        "var/lib/dpkg/status",
        &XORG.replace("deb11u5", "deb11u6"),
    );
    write(&root, "var/lib/rpm/Packages", "berkeley");
    let (cve, _) = cve_results(d, &root, &db);
    let host_wide: Vec<_> = cve.iter().filter(|c| c.1.is_empty()).collect();
    assert_eq!(host_wide.len(), 1, "{cve:#?}");
    assert_eq!(host_wide[0].0, "NOT_AVAILABLE");
    assert!(host_wide[0].2.starts_with("incomplete: none of the 1 packages read matched an advisory, but rpm `/var/lib/rpm/Packages` could not be read"), "{cve:#?}");
    // With the stray file gone, the same root is a clean pass.
    std::fs::remove_file(root.join("var/lib/rpm/Packages")).unwrap();
    let (cve, _) = cve_results(d, &root, &db);
    assert_eq!(
        cve,
        [(
            "PASSED".to_owned(),
            String::new(),
            "none of the 1 packages matched an advisory".to_owned()
        )]
    );
}

/// A progress line while packages are read, on a terminal only: `script` gives the command
/// a pseudo-terminal; captured stderr (not a terminal) stays free of it.
#[test]
fn progress_is_shown_on_a_terminal_only() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = vulndb(d);
    let root = d.join("root");
    write(&root, "etc/os-release", OS_RELEASE);
    write(&root, "var/lib/dpkg/status", XORG);
    let (_, stderr) = cve_results(d, &root, &db);
    assert!(!stderr.contains("reading packages"), "{stderr}");

    let json = d.join("tty.json");
    let command = format!(
        "'{}' scan host --root '{}' --vulndb '{}' --format json --output '{}'",
        env!("CARGO_BIN_EXE_rampart"),
        root.display(),
        db.display(),
        json.display()
    );
    let out = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("RAMPART_DB", d.join("rampart.db"))
        .output()
        .unwrap_or_else(|e| panic!("`script` gives the test a terminal: install it with `apt-get install bsdutils` ({e})"));
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("reading packages: dpkg 1 …"), "{shown}");
    assert!(json.exists(), "{shown}");
}

/// A telemetry document whose packages were not read (schema 1's single `Unknown` list,
/// or a schema-2 source not read) is NOT_AVAILABLE for CVEs, never PASSED.
#[test]
fn a_telemetry_document_without_its_packages_is_not_available() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = vulndb(d);
    let root = d.join("root");
    write(&root, "etc/os-release", OS_RELEASE);
    write(&root, "var/lib/dpkg/status", XORG);
    let doc = d.join("t.json");
    let out = rampart(
        d,
        &[
            "agent",
            "--once",
            "--root",
            root.to_str().unwrap(),
            "-o",
            doc.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut v: Value = serde_json::from_slice(&std::fs::read(&doc).unwrap()).unwrap();
    v["schema_version"] = 1.into();
    v["packages"] =
        serde_json::json!({"unknown": "dpkg database: cannot read `/var/lib/dpkg/status`"});
    std::fs::write(&doc, v.to_string()).unwrap();
    let json = d.join("out.json");
    let out = rampart(
        d,
        &[
            "scan",
            "host",
            "--telemetry",
            doc.to_str().unwrap(),
            "--vulndb",
            db.to_str().unwrap(),
            "--format",
            "json",
            "--output",
            json.to_str().unwrap(),
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: packages of `/` (any kind) not read: dpkg database"),
        "{stderr}"
    );
    let v: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let cve: Vec<(&str, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check_id"] == "host_cve")
        .map(|f| (f["status"].as_str().unwrap(), f["reason"].as_str().unwrap()))
        .collect();
    assert!(
        !cve.is_empty() && cve.iter().all(|(s, _)| *s == "NOT_AVAILABLE"),
        "{cve:#?}"
    );
    assert!(
        cve.iter()
            .any(|(_, r)| r.contains("could not be read: dpkg database")),
        "{cve:#?}"
    );
}
