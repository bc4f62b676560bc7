//! `rampart automation`: a rule added from Security Hub's JSON applies to the next scan's
//! findings, in order, with the rule named in each finding's history; dry runs change
//! nothing; bad rules are one clear line.

use std::path::Path;
use std::process::{Command, Output};

fn rampart(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart")).args(args).current_dir(dir).env("RAMPART_DB", dir.join("r.db")).env_remove("RAMPART_VULNDB").output().unwrap()
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_rule_applies_to_the_next_scan_and_names_itself_in_the_history() {
    let d = tempfile::tempdir().unwrap();
    let d = d.path();
    ok(rampart(d, &["demo", "--format", "json", "-o", "first.json"]));
    // Every failing finding of the S3 public-read check: suppressed, with a note.
    let rule = serde_json::json!({
        "RuleName": "accepted public buckets", "RuleOrder": 10, "IsTerminal": true,
        "Criteria": {"GeneratorId": [{"Value": "s3_", "Comparison": "PREFIX"}], "ComplianceStatus": [{"Value": "FAILED", "Comparison": "EQUALS"}]},
        "Actions": [{"Type": "FINDING_FIELDS_UPDATE", "FindingFieldsUpdate": {"Workflow": {"Status": "SUPPRESSED"}, "Note": {"Text": "accepted by the data team", "UpdatedBy": "rule"}}}]
    });
    std::fs::write(d.join("rule.json"), rule.to_string()).unwrap();
    let ids = ok(rampart(d, &["automation", "dry-run", "rule.json"]));
    let would: Vec<&str> = ids.lines().collect();
    assert!(!would.is_empty(), "the demo has failing S3 findings");
    let out = rampart(d, &["automation", "add", "rule.json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("rule/1 `accepted public buckets`"), "{}", stderr(&out));
    let list = ok(rampart(d, &["automation", "list"]));
    assert!(list.contains("accepted public buckets") && list.contains("ENABLED"), "{list}");

    let scan = rampart(d, &["demo", "--format", "json", "-o", "second.json"]);
    assert!(scan.status.success(), "{}", stderr(&scan));
    assert!(stderr(&scan).contains(&format!("automation rule `accepted public buckets` (rule/1) applied to {} finding(s)", would.len())), "{}", stderr(&scan));
    // The scan's own output already shows the rule's workflow.
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(d.join("second.json")).unwrap()).unwrap();
    let findings = report["findings"].as_array().unwrap();
    for id in &would {
        let f = findings.iter().find(|f| f["id"] == *id).unwrap();
        assert_eq!(f["workflow_status"], "SUPPRESSED", "{f}");
    }
    // And the finding's history names the rule.
    let shown = ok(rampart(d, &["findings", would[0]]));
    assert!(shown.contains("rule:accepted public buckets"), "{shown}");

    ok(rampart(d, &["automation", "delete", "rule/1"]));
    assert!(!ok(rampart(d, &["automation", "list"])).contains("accepted public buckets"));
}

#[test]
fn a_bad_rule_is_one_line_that_names_what_is_wrong() {
    let d = tempfile::tempdir().unwrap();
    let d = d.path();
    ok(rampart(d, &["demo", "--format", "json", "-o", "x.json"]));
    std::fs::write(d.join("bad.json"), r#"{"RuleName": "x", "RuleOrder": 5000, "Actions": []}"#).unwrap();
    let out = rampart(d, &["automation", "add", "bad.json"]);
    assert_eq!(out.status.code(), Some(2));
    let e = stderr(&out);
    assert!(e.contains("bad.json") && e.contains("RuleOrder") && e.lines().count() == 1, "{e}");
    std::fs::write(d.join("notjson.json"), "RuleName = x").unwrap();
    let e = stderr(&rampart(d, &["automation", "add", "notjson.json"]));
    assert!(e.contains("is not JSON"), "{e}");
    let e = stderr(&rampart(d, &["automation", "delete", "rule/99"]));
    assert!(e.contains("no automation rule `rule/99`"), "{e}");
}
