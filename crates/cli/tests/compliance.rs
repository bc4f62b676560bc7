//! End-to-end: compliance of the demo estate as Security Hub would score it — a manual
//! control (CIS 1.6) lists no failing resource, a control without resources in scope is
//! NO_DATA and left out of the score, so no account or estate scores above what its regions
//! justify, and a control whose results were all unreadable is NOT_AVAILABLE in its own
//! count. No AWS emulator needed.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn rampart(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart"))
        .env("RAMPART_DB", dir.join("rampart.db"))
        .env_remove("RAMPART_LOG")
        .args(args)
        .output()
        .expect("run rampart")
}

fn demo_compliance(dir: &Path) -> Vec<Value> {
    let path = dir.join("r.json");
    let out = rampart(
        dir,
        &[
            "demo",
            "--format",
            "json",
            "--output",
            path.to_str().unwrap(),
        ],
    );
    assert!(path.exists(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    v["compliance"].as_array().cloned().unwrap()
}

fn control<'a>(std: &'a Value, id: &str) -> &'a Value {
    std["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no control {id}"))
}

#[test]
fn manual_cis_1_6_lists_no_failing_resources() {
    let dir = tempfile::tempdir().unwrap();
    let standards = demo_compliance(dir.path());
    let cis = standards
        .iter()
        .find(|s| s["standard"] == "cis-aws-3.0")
        .unwrap();
    let c = control(cis, "1.6");
    assert_eq!(c["status"], "MANUAL");
    assert_eq!(c["failing_resources"], serde_json::json!([]), "{c}");
    // The same check result still fails FSBP IAM.6, the automated control.
    let fsbp = standards.iter().find(|s| s["standard"] == "fsbp").unwrap();
    assert_eq!(control(fsbp, "IAM.6")["status"], "FAILED");
    // And the terminal table says 0 failing for 1.6.
    let out = rampart(dir.path(), &["compliance", "--standard", "cis-aws-3.0"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8_lossy(&out.stdout);
    let line = table
        .lines()
        .find(|l| l.starts_with("MANUAL") && l.contains(" 1.6 "))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(line.contains(" 0  Ensure hardware MFA"), "{line}");
    assert!(table.contains(" not available; "), "{table}");
}

#[test]
fn no_resources_is_no_data_and_scores_stay_consistent() {
    let dir = tempfile::tempdir().unwrap();
    for std in demo_compliance(dir.path()) {
        let name = std["standard"].as_str().unwrap().to_string();
        for c in std["controls"].as_array().unwrap() {
            if c["reason"]
                .as_str()
                .unwrap_or_default()
                .starts_with("no resources")
            {
                assert_eq!(c["status"], "NO_DATA", "{name} {c}");
            }
        }
        let pct = |s: &Value| s["percent"].as_f64().unwrap_or(0.0);
        let best_region = std["scores"]["regions"]
            .as_object()
            .unwrap()
            .values()
            .map(pct)
            .fold(0.0, f64::max);
        let accounts = std["scores"]["accounts"].as_object().unwrap();
        for s in accounts.values().chain([&std["scores"]["estate"]]) {
            assert!(
                pct(s) <= best_region + 1e-9,
                "{name}: {s} above every region ({best_region})"
            );
        }
        // Every control counted once: passed + failed + warning + not available + no data + manual.
        let e = &std["scores"]["estate"];
        let sum: u64 = [
            "passed",
            "failed",
            "warning",
            "not_available",
            "no_data",
            "manual",
        ]
        .iter()
        .map(|k| e[k].as_u64().unwrap())
        .sum();
        assert_eq!(
            sum as usize,
            std["controls"].as_array().unwrap().len(),
            "{name}"
        );
        // A NOT_AVAILABLE control is one whose results were all unreadable, counted apart.
        let na = std["controls"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["status"] == "NOT_AVAILABLE")
            .count();
        assert_eq!(e["not_available"].as_u64().unwrap() as usize, na, "{name}");
        for c in std["controls"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["status"] == "NOT_AVAILABLE")
        {
            let f = &c["findings"];
            assert_eq!(
                f["passed"].as_u64().unwrap()
                    + f["failed"].as_u64().unwrap()
                    + f["warning"].as_u64().unwrap(),
                0,
                "{c}"
            );
        }
    }
}
