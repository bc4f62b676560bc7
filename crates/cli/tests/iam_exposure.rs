//! `rampart iam exposure` end to end: the exposure-path estate planted in moto
//! (`testdata/moto/plant_exposure.py`) and collected by `rampart collect aws`, openssh's Debian
//! advisories imported, telemetry documents written here (given as files, then uploaded by an
//! agent to the store): the chain ranked first with its fix, in text and JSON; bad input refused.

#[path = "../../../testdata/moto/harness.rs"]
mod harness;

use harness::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Output};

#[path = "common/exposure.rs"]
mod common;
use common::{ok, rampart, telemetry};

/// A run that found exposure paths: exit 1, as `iam access` and `iam paths` do.
fn found(o: Output) -> Output {
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    o
}

#[test]
fn iam_exposure_ranks_the_chain_first_from_files_and_from_agents() {
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
    let docs: Vec<PathBuf> = ["chain", "closed", "no-s3", "no-role"].iter().map(|n| telemetry(d, &ids[*n], "1:7.4p1-10+deb9u4")).collect();
    let mut args: Vec<&str> = vec!["iam", "exposure", "--inventory", snap.to_str().unwrap(), "--format", "json"];
    for p in &docs {
        args.extend(["--telemetry", p.to_str().unwrap()]);
    }
    let out = found(rampart(d, &args));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths = v["paths"].as_array().unwrap();
    assert_eq!(paths.len(), 1, "{v:#}");
    assert_eq!(paths[0]["rank"], 1);
    assert_eq!(paths[0]["instance_id"], ids["chain"].as_str());
    assert_eq!(paths[0]["fix"]["change"]["link"], "close_rule");
    assert_eq!(paths[0]["fix"]["change"]["group"], ids["sg-open"].as_str());
    assert_eq!(paths[0]["service"]["package"]["fixed"], "1:7.4p1-10+deb9u6");
    // Text: the chain link by link and the fix.
    args[5] = "text";
    let out = found(rampart(d, &args));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with(&format!("1 ")) && text.contains(&ids["chain"]), "{text}");
    assert!(
        text.contains("sshd listening, from openssh-server 1:7.4p1-10+deb9u4") && text.contains("fix (breaks 1 path(s)): revoke the rule"),
        "{text}"
    );
    // The same documents uploaded by an agent: read from the store when no file is given.
    let db = d.join("rampart.db");
    // One agent per host: an agent is bound to the host of its first upload.
    for i in 0..docs.len() {
        ok(rampart(d, &["agents", "token", "--name", &format!("fleet-{i}"), "--db", db.to_str().unwrap()]));
    }
    {
        let mut store = rampart_hub::Store::open(&db).unwrap();
        for (i, p) in docs.iter().enumerate() {
            let t = rampart_host::Telemetry::from_json(&std::fs::read_to_string(p).unwrap()).unwrap();
            let meta = rampart_app::agent::AgentMeta { version: "0.1.0".into(), interval_seconds: None };
            rampart_app::agent::store_upload(&mut store, &format!("fleet-{i}"), &t, &meta, time::OffsetDateTime::now_utc())
                .unwrap()
                .unwrap();
        }
    }
    let out =
        found(rampart(d, &["iam", "exposure", "--inventory", snap.to_str().unwrap(), "--db", db.to_str().unwrap(), "--format", "json"]));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["paths"].as_array().map(Vec::len), Some(1), "{v:#}");
    assert_eq!(v["paths"][0]["instance_id"], ids["chain"].as_str());
    assert!(v["paths"][0]["service"]["telemetry"].as_str().unwrap().contains("agent `fleet-0`"), "{v:#}");
    // Bad input: one line, no panic.
    let out = rampart(d, &["iam", "exposure", "--inventory", snap.to_str().unwrap(), "--format", "yaml"]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("give text or json"));
    let out = rampart(d, &["iam", "exposure", "--inventory", snap.to_str().unwrap(), "--telemetry", "/nonexistent.json"]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("/nonexistent.json"));
    let out = rampart(
        d,
        &[
            "iam",
            "exposure",
            "--inventory",
            snap.to_str().unwrap(),
            "--telemetry",
            docs[0].to_str().unwrap(),
            "--vulndb",
            "/nonexistent/v.db",
        ],
    );
    assert!(
        !out.status.success() && String::from_utf8_lossy(&out.stderr).contains("/nonexistent/v.db"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
