//! `rampart insights`: managed insights count the demo's findings per group; a custom
//! insight is saved, counted and drilled into, and the drill-down lists exactly the
//! findings its count says.

use std::path::Path;
use std::process::{Command, Output};

fn rampart(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart")).args(args).current_dir(dir).env("RAMPART_DB", dir.join("r.db")).output().unwrap()
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_custom_insight_counts_groups_that_drill_down_to_exactly_their_findings() {
    let d = tempfile::tempdir().unwrap();
    let d = d.path();
    ok(rampart(d, &["demo", "--format", "json", "-o", "demo.json"]));
    let list = ok(rampart(d, &["insights"]));
    assert!(list.lines().any(|l| l.starts_with("managed/")), "{list}");

    std::fs::write(d.join("failed.json"), r#"{"ComplianceStatus": [{"Value": "FAILED", "Comparison": "EQUALS"}]}"#).unwrap();
    let out = rampart(d, &["insights", "add", "--name", "failing by severity", "--group-by", "SeverityLabel", "--filters", "failed.json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let id = String::from_utf8_lossy(&out.stderr).split_whitespace().next().unwrap().to_string();
    assert!(id.starts_with("custom/"), "{id}");

    let shown: serde_json::Value = serde_json::from_str(&ok(rampart(d, &["insights", "show", &id, "--format", "json"]))).unwrap();
    let results = shown["results"].as_array().unwrap();
    assert!(results.len() >= 3, "{shown}");
    // The counts agree with the scan's own output.
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(d.join("demo.json")).unwrap()).unwrap();
    let failed = report["findings"].as_array().unwrap().iter().filter(|f| f["status"] == "FAILED").count() as u64;
    let counted: u64 = results.iter().map(|r| r["count"].as_u64().unwrap()).sum();
    assert_eq!(counted, failed);
    // Largest group first, and its drill-down is exactly its count of failing findings of that severity.
    let top = &results[0];
    let value = top["value"].as_str().unwrap();
    let findings: serde_json::Value = serde_json::from_str(&ok(rampart(d, &["insights", "show", &id, "--group", value, "--format", "json"]))).unwrap();
    let findings = findings.as_array().unwrap();
    assert_eq!(findings.len() as u64, top["count"].as_u64().unwrap());
    assert!(findings.iter().all(|f| f["severity"] == value && f["status"] == "FAILED"), "{value}");
    // Grouped by check, the demo has more than 100 failing checks: the largest 100 are shown, and it says so.
    let out = rampart(d, &["insights", "add", "--name", "failing by check", "--group-by", "GeneratorId", "--filters", "failed.json"]);
    let by_check = String::from_utf8_lossy(&out.stderr).split_whitespace().next().unwrap().to_string();
    let out = rampart(d, &["insights", "show", &by_check]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("the largest 100 groups"), "{}", String::from_utf8_lossy(&out.stderr));

    let bad = rampart(d, &["insights", "add", "--name", "x", "--group-by", "Colour"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("cannot group by `Colour`"));
    ok(rampart(d, &["insights", "delete", &id]));
    assert!(!ok(rampart(d, &["insights"])).contains(&id));
}
