//! End-to-end through the binary: the exposure-path estate planted in moto
//! (`testdata/moto/plant_exposure.py`), collected by `rampart collect aws`, openssh's Debian
//! advisories imported by `rampart vulndb import`, and host telemetry documents written here.
//! `rampart scan --snapshot FILE --telemetry FILE...` reports the chain's instance as an
//! `exposure_path` finding with its fix, and the instance whose package is patched as passed.

#[path = "../../../testdata/moto/harness.rs"]
mod harness;

use harness::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::process::Command;

#[path = "common/exposure.rs"]
mod common;
use common::{ok, rampart, telemetry};

#[test]
fn scan_with_telemetry_reports_the_exposure_path_and_its_fix() {
    let moto = moto();
    let out = aws_env(&mut Command::new(venv().join("bin/python")))
        .arg(repo_root().join("testdata/moto/plant_exposure.py"))
        .arg(&moto.url)
        .output()
        .expect("run plant_exposure.py");
    assert!(out.status.success(), "plant_exposure.py failed: {}", String::from_utf8_lossy(&out.stderr));
    let ids: BTreeMap<String, String> = serde_json::from_slice(&out.stdout).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let snap = d.join("snap.json");
    ok(rampart(d, &["collect", "aws", "--endpoint-url", &moto.url, "--regions", "us-east-1", "-o", snap.to_str().unwrap()]));
    let list = repo_root().join("testdata/vulndb/openssh-stretch/data/DSA/list");
    ok(rampart(d, &["vulndb", "import", list.to_str().unwrap(), "--db", d.join("vulndb.db").to_str().unwrap()]));
    let chain = telemetry(d, &ids["chain"], "1:7.4p1-10+deb9u4");
    let patched = telemetry(d, &ids["patched"], "1:7.4p1-10+deb9u6");
    let asff = d.join("out.asff.json");
    let args = [
        "scan",
        "--snapshot",
        snap.to_str().unwrap(),
        "--telemetry",
        chain.to_str().unwrap(),
        "--telemetry",
        patched.to_str().unwrap(),
        "--format",
        "asff",
        "--output",
        asff.to_str().unwrap(),
        "--no-store",
    ];
    let out = rampart(d, &args);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let findings: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(&asff).unwrap()).unwrap();
    let exposure: Vec<&Value> = findings.iter().filter(|f| f["GeneratorId"] == "rampart/exposure_path").collect();
    let of = |name: &str| -> Vec<(String, String)> {
        exposure
            .iter()
            .filter(|f| f["Resources"][0]["Id"].as_str().is_some_and(|r| r.ends_with(&format!("instance/{}", ids[name]))))
            .map(|f| (f["Compliance"]["Status"].as_str().unwrap().to_string(), f["Description"].as_str().unwrap_or_default().to_string()))
            .collect()
    };
    let chain = of("chain");
    assert_eq!(chain.len(), 1, "{exposure:#?}");
    assert_eq!(chain[0].0, "FAILED");
    let failed = exposure.iter().find(|f| f["Compliance"]["Status"] == "FAILED").unwrap();
    let text = failed.to_string();
    assert!(text.contains(&format!("revoke the rule `tcp 22 from 0.0.0.0/0` of security group {}", ids["sg-open"])), "{text}");
    assert_eq!(of("patched").iter().map(|(s, _)| s.as_str()).collect::<Vec<_>>(), ["PASSED"]);
    // Without host telemetry a scan adds no exposure findings: it cannot tell what listens.
    let plain = d.join("plain.asff.json");
    let out =
        rampart(d, &["scan", "--snapshot", snap.to_str().unwrap(), "--format", "asff", "--output", plain.to_str().unwrap(), "--no-store"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!std::fs::read_to_string(&plain).unwrap().contains("rampart/exposure_path"));
}
