//! End-to-end: `rampart assess` targets, templates and runs over this machine's telemetry.

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

fn ok(out: Output) -> String {
    assert!(out.status.success(), "stdout: {}\nstderr: {}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `assess runs` rows (skipping the header and failure lines): id → columns.
fn runs(dir: &Path) -> Vec<Vec<String>> {
    ok(rampart(dir, &["assess", "runs"]))
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with(' '))
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .collect()
}

#[test]
fn assess_template_runs_to_completed_with_timestamps_and_runs_again() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let telemetry = d.join("host.json");
    ok(rampart(d, &["agent", "--once", "-o", telemetry.to_str().unwrap()]));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&telemetry).unwrap()).unwrap();
    let hostname = doc["host"]["hostname"]["known"].as_str().expect("this host's name is known").to_string();
    // A second document of another host, which the target does not select.
    let mut other = doc.clone();
    other["host"]["hostname"] = serde_json::json!({ "known": format!("zz-other-{hostname}") });
    let other_path = d.join("other.json");
    std::fs::write(&other_path, serde_json::to_string(&other).unwrap()).unwrap();
    let dsa = repo_root().join("testdata/vulndb/debian-security-tracker/data/DSA/list");
    ok(rampart(d, &["vulndb", "import", dsa.to_str().unwrap(), "--db", d.join("vulndb.db").to_str().unwrap()]));

    let glob = format!("{}*", &hostname[..1]);
    ok(rampart(d, &["assess", "target", "this", "--host", &glob, "--host", "nomatch-?"]));
    ok(rampart(d, &["assess", "template", "nightly", "--target", "this", "--rules", "cve,cis", "--duration", "600"]));

    for _ in 0..2 {
        let out = rampart(
            d,
            &["assess", "run", "nightly", "--telemetry", telemetry.to_str().unwrap(), other_path.to_str().unwrap(), "--vulndb", d.join("vulndb.db").to_str().unwrap()],
        );
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        ok(out);
        assert!(stderr.contains("COMPLETED (1 host(s)"), "{stderr}");
        assert!(stderr.contains("is not selected by target `this`, skipped"), "{stderr}");
    }

    let rows = runs(d);
    assert_eq!(rows.len(), 2, "{rows:?}");
    let mut findings_runs = Vec::new();
    for (row, id) in rows.iter().zip(["2", "1"]) {
        // id, template, state, created, collecting, evaluating, completed, failed, findings run
        assert_eq!(&row[..3], [id, "nightly", "COMPLETED"], "{row:?}");
        for t in &row[3..7] {
            assert!(t.len() == 20 && t.ends_with('Z'), "timestamp `{t}` in {row:?}");
        }
        assert!(row[3] <= row[4] && row[4] <= row[5] && row[5] <= row[6], "{row:?}");
        assert_eq!(row[7], "-");
        findings_runs.push(row[8].clone());
    }
    assert_ne!(findings_runs[0], findings_runs[1]);
    assert!(findings_runs.iter().all(|r| r.starts_with("run-")));

    // The findings runs hold only the template's rule packages.
    let findings: Vec<Value> = serde_json::from_str(&ok(rampart(d, &["findings", "--format", "json", "--limit", "100000"]))).unwrap();
    assert!(!findings.is_empty());
    for f in &findings {
        let check = f["check_id"].as_str().unwrap();
        assert!(check == "host_cve" || check.starts_with("host_cis_"), "{check}");
    }
}

#[test]
fn assess_refused_steps_and_a_tag_only_target_fail_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = rampart(d, &["assess", "template", "t", "--target", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no assessment target `nope`"));
    let out = rampart(d, &["assess", "run", "nope", "--telemetry", "x.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no assessment template `nope`"));

    ok(rampart(d, &["assess", "target", "prod", "--tag", "env=prod"]));
    ok(rampart(d, &["assess", "template", "t", "--target", "prod"]));
    let out = rampart(d, &["assess", "template", "t", "--target", "prod"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    let out = rampart(d, &["assess", "template", "bad", "--target", "prod", "--rules", "cve,fuzz"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown rule package `fuzz`"));
    let out = rampart(d, &["assess", "run", "t", "--telemetry", d.join("missing.json").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("telemetry documents carry no tags"));
    let rows = runs(d);
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][1..3], ["t", "FAILED"]);
    assert_eq!(rows[0][5], "-", "never evaluated: {:?}", rows[0]);
    let listing = ok(rampart(d, &["assess", "runs"]));
    assert!(listing.contains("failure: target `prod` selects hosts by tag only"), "{listing}");
}
