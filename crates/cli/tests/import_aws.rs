//! `rampart import aws` and `rampart import findings --format <service>` as a person runs
//! them: one line per source and region (read, stored, failed, or why not read), exit 2
//! when anything was not read whole.

#[path = "../../../testdata/moto/harness.rs"]
mod harness;

use harness::*;
use std::process::Command;

fn rampart() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rampart"));
    aws_env(&mut c);
    c
}

fn plant_findings(server: &Server) {
    let out = Command::new(venv().join("bin/python"))
        .arg(repo_root().join("testdata/moto/plant_findings.py"))
        .arg(&server.url)
        .output()
        .expect("run plant_findings.py");
    assert!(out.status.success(), "plant_findings.py failed: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn each_source_and_region_is_reported_and_unread_ones_fail_the_command() {
    let moto = moto();
    plant_findings(&moto);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let run = |sources: &str| {
        rampart()
            .args(["import", "aws", "--regions", "us-east-1", "--endpoint-url", &moto.url, "--sources", sources, "--db"])
            .arg(&db)
            .output()
            .unwrap()
    };
    let out = run("securityhub,guardduty,macie,inspector2");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    assert!(lines.contains(&"inspector2 us-east-1: read 2, stored 2, failed 0"), "{stdout}");
    assert!(lines.contains(&"securityhub us-east-1: read 2, stored 2, failed 0"), "{stdout}");
    assert!(lines.iter().any(|l| l.starts_with("guardduty us-east-1: not read: guardduty:ListFindings")), "{stdout}");
    assert!(lines.iter().any(|l| l.starts_with("macie us-east-1: not read: ") && l.contains("--format macie")), "{stdout}");

    // Everything read: exit 0; the findings are updated in place.
    let out = run("securityhub");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "securityhub us-east-1: read 2, stored 2, failed 0");

    let out = run("securityhub,detective");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.starts_with("error: unknown source `detective`; the sources are securityhub, guardduty"), "{stderr}");
}

#[test]
fn saved_service_responses_import_with_the_context_they_lack() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let data = repo_root().join("testdata/aws-findings");
    let out = rampart()
        .args(["import", "findings", "--format", "guardduty"])
        .arg(data.join("guardduty-get-findings.json"))
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("3 guardduty finding(s) read: 3 imported, 0 failed"));

    let config = data.join("config-get-compliance-details.json");
    let out = rampart().args(["import", "findings", "--format", "config"]).arg(&config).arg("--db").arg(&db).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("pass --account ACCOUNT_ID and --region REGION"), "{stderr}");
    let out = rampart()
        .args(["import", "findings", "--format", "config", "--account", "123456789012", "--region", "eu-west-1"])
        .arg(&config)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 config finding(s) read: 2 imported, 0 failed"));
}
