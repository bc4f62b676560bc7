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
