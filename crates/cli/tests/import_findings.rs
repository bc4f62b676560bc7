//! `rampart import findings`: good findings imported, each bad one named on stderr with
//! its file, index, error code and message (exit 2); a file that is not JSON is one line.

use std::path::PathBuf;
use std::process::Command;

fn rampart() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rampart"))
}

#[test]
fn bad_findings_are_named_and_the_good_ones_imported() {
    let dir = tempfile::tempdir().unwrap();
    let prowler = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/prowler/moto-run.asff.json");
    let mut findings: Vec<serde_json::Value> = serde_json::from_slice(&std::fs::read(&prowler).unwrap()).unwrap();
    let mut bad = findings[0].clone();
    bad["Id"] = "prowler-bad".into();
    bad["Severity"]["Label"] = "SEVERE".into();
    findings.push(bad);
    let file = dir.path().join("mixed.asff.json");
    std::fs::write(&file, serde_json::to_vec(&findings).unwrap()).unwrap();
    let db = dir.path().join("r.db");
    let out = rampart().args(["import", "findings"]).arg(&file).arg("--db").arg(&db).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(stdout.contains("5 finding(s) read as asff: 4 imported, 1 failed"), "{stdout}");
    let line = format!("{}: finding 4 (prowler-bad): InvalidInput: Severity.Label \"SEVERE\"", file.display());
    assert!(stderr.contains(&line), "{stderr}");

    // All good: exit 0.
    let ok = rampart().args(["import", "findings", "--format", "asff"]).arg(&prowler).arg("--db").arg(&db).output().unwrap();
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stderr));
}

#[test]
fn a_file_that_is_not_json_is_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.html");
    std::fs::write(&file, "<html></html>").unwrap();
    let out = rampart().args(["import", "findings"]).arg(&file).arg("--db").arg(dir.path().join("r.db")).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with(&format!("error: {}: not JSON (line 1, column 1", file.display())), "{stderr}");
}

#[test]
fn rampart_findings_lists_imported_findings_by_product_and_shows_one_whole() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let prowler = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/prowler/moto-run.asff.json");
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&std::fs::read(&prowler).unwrap()).unwrap();
    let out = rampart().args(["import", "findings"]).arg(&prowler).arg("--db").arg(&db).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let list = |extra: &[&str]| {
        let out = rampart().args(["findings", "--db"]).arg(&db).args(extra).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let table = list(&[]);
    assert!(table.lines().next().unwrap().contains("PRODUCT"), "{table}");
    assert_eq!(table.lines().filter(|l| l.contains(" prowler ")).count(), findings.len(), "{table}");
    assert_eq!(list(&["--product", "rampart"]).lines().count(), 1, "only the header: no rampart findings");
    let json: Vec<serde_json::Value> = serde_json::from_str(&list(&["--product", "prowler", "--format", "json"])).unwrap();
    assert_eq!(json.len(), findings.len());
    assert!(json.iter().all(|f| f["product_name"] == "prowler"), "{json:?}");

    // One finding whole: its product, its resources and the document as Prowler wrote it.
    let id = json[0]["id"].as_str().unwrap();
    let shown = list(&[id]);
    assert!(shown.contains("imported from prowler (prowler), arn:aws:securityhub:us-east-1::product/prowler/prowler"), "{shown}");
    assert!(shown.contains("resources (1):"), "{shown}");
    assert!(shown.contains("as sent (asff):"), "{shown}");
    assert!(shown.contains("\"SchemaVersion\": \"2018-10-08\""), "{shown}");
    let detail: serde_json::Value = serde_json::from_str(&list(&[id, "--format", "json"])).unwrap();
    let sent = findings.iter().find(|f| f["Id"] == detail["imported"]["id"]).unwrap();
    assert_eq!(&detail["imported"]["document"], sent, "the document, exactly as sent");
}
