//! `rampart investigate detections` end to end, and the contract of issue 13:
//! `rampart investigate detections PATH --db F` then `rampart findings --db F --format asff
//! --output out.json` writes the detections with their ATT&CK technique in `Types`
//! (`TTPs/<tactic>/<technique id>`) and the eventIDs behind them in `ProductFields`.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn rampart(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart")).args(args).env_remove("RAMPART_DB").output().expect("run rampart")
}

fn stratus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/cloudtrail/stratus-red-team")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn asff(db: &Path, out: &Path) -> Vec<Value> {
    let o = rampart(&["findings", "--db", db.to_str().unwrap(), "--limit", "0", "--format", "asff", "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    serde_json::from_slice(&std::fs::read(out).unwrap()).unwrap()
}

#[test]
fn detections_are_recorded_and_exported_as_asff_with_their_ttps_and_event_ids() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("r.db");
    let folder = stratus();
    let o = rampart(&["investigate", "detections", folder.to_str().unwrap(), "--db", db.to_str().unwrap(), "--format", "json"]);
    // Something was detected: exit 1, as a scan with failed findings.
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("read 310 record(s) from 35 file(s)"), "{err}");
    let printed: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&o)));
    let printed_findings = printed["findings"].as_array().unwrap_or_else(|| panic!("{printed}"));
    assert!(printed_findings.len() >= 23, "{}", printed_findings.len());
    assert_eq!(printed["run"]["source"], "cloudtrail");

    let out = tmp.path().join("out.json");
    let v = asff(&db, &out);
    assert_eq!(v.len(), printed_findings.len());
    for f in &v {
        let types: Vec<&str> = f["Types"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
        assert!(types.iter().all(|t| t.starts_with("TTPs/")), "{types:?}");
        let ids = f["ProductFields"]["rampart/CloudTrailEventIds"].as_str().unwrap_or_else(|| panic!("{f}"));
        assert!(!ids.is_empty());
        assert!(f["GeneratorId"].as_str().unwrap().starts_with("rampart/threat_"));
    }
    // The StopLogging detonation: its technique and its one record.
    let stop = v
        .iter()
        .find(|f| f["ProductFields"]["rampart/CloudTrailEventIds"] == "10163ed2-2253-469d-a5ee-cbc6651f8934")
        .unwrap_or_else(|| panic!("no finding of the StopLogging record"));
    assert_eq!(stop["Types"], serde_json::json!(["TTPs/Defense Evasion/T1562.008"]));
    assert_eq!(stop["AwsAccountId"], "143434273843");
    assert_eq!(stop["Severity"]["Label"], "HIGH");
    assert_eq!(stop["Workflow"]["Status"], "NEW");

    // The same logs again: the same findings (stable ids), none added.
    let o = rampart(&["investigate", "detections", folder.to_str().unwrap(), "--db", db.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let again = asff(&db, &tmp.path().join("again.json"));
    let ids = |v: &[Value]| {
        let mut ids: Vec<String> = v.iter().map(|f| f["Id"].as_str().unwrap().to_string()).collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&again), ids(&v));

    // A detection id filters like a check id.
    let o = rampart(&["findings", "--db", db.to_str().unwrap(), "--check", "threat_shared_outside", "--format", "json"]);
    assert!(o.status.success(), "{}", text(&o));
    let listed: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 3);
}

#[test]
fn a_config_suppresses_and_bad_input_is_one_clear_line() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("r.toml");
    std::fs::write(&config, "[[suppress]]\nchecks = [\"threat_logging_disabled\"]\narn = \"*\"\nreason = \"the red team's trail tests\"\n")
        .unwrap();
    let file = stratus().join("aws.defense-evasion.cloudtrail-stop.json");
    let o = rampart(&[
        "investigate",
        "detections",
        file.to_str().unwrap(),
        "--no-store",
        "--config",
        config.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let printed: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&o)));
    assert_eq!(printed["findings"][0]["workflow_status"], "SUPPRESSED", "{printed}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("1 detection(s) suppressed"), "{}", text(&o));

    let missing = tmp.path().join("nope");
    let o = rampart(&["investigate", "detections", missing.to_str().unwrap(), "--no-store"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("give CloudTrail log files or folders"), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    let bad = tmp.path().join("bad.json");
    std::fs::write(&bad, "{\"hello\": 1}").unwrap();
    let o = rampart(&["investigate", "detections", bad.to_str().unwrap(), "--no-store"]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("no CloudTrail record could be read")
            && String::from_utf8_lossy(&o.stderr).contains("Records"),
        "{}",
        text(&o)
    );
}

#[path = "common/pg.rs"]
mod pg;
use pg::PgDatabase;

#[test]
fn detections_recorded_on_postgres_export_as_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    let pg = PgDatabase::new("detections");
    let folder = stratus();
    let o = rampart(&["investigate", "detections", folder.to_str().unwrap(), "--db", &pg.url, "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let out = tmp.path().join("pg.json");
    let o = rampart(&["findings", "--db", &pg.url, "--limit", "0", "--format", "asff", "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let on_pg: Vec<Value> = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let db = tmp.path().join("r.db");
    assert_eq!(rampart(&["investigate", "detections", folder.to_str().unwrap(), "--db", db.to_str().unwrap()]).status.code(), Some(1));
    let on_sqlite = asff(&db, &tmp.path().join("lite.json"));
    let key = |v: &[Value]| {
        let mut k: Vec<(String, Value, Value)> = v
            .iter()
            .map(|f| (f["Id"].as_str().unwrap().to_string(), f["Types"].clone(), f["ProductFields"]["rampart/CloudTrailEventIds"].clone()))
            .collect();
        k.sort_by(|a, b| a.0.cmp(&b.0));
        k
    };
    assert_eq!(key(&on_pg), key(&on_sqlite));
    assert!(!on_pg.is_empty());
}

/// The contract's command pair on PostgreSQL: `investigate ingest cloudtrail PATH --db URL`
/// then `findings --db URL --format asff` gives the findings `investigate detections`
/// records in SQLite; a second ingest reads nothing new and leaves them as they were.
#[test]
fn cloudtrail_ingest_on_postgres_records_the_detections_as_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    let pg = PgDatabase::new("detections");
    let folder = stratus();
    let ingest = || rampart(&["investigate", "ingest", "cloudtrail", folder.to_str().unwrap(), "--db", &pg.url]);
    let o = ingest();
    assert!(o.status.success() && text(&o).contains("detection(s) recorded as findings over 310 new record(s)"), "{}", text(&o));
    let export = |name: &str| {
        let out = tmp.path().join(name);
        let o = rampart(&["findings", "--db", &pg.url, "--limit", "0", "--format", "asff", "--output", out.to_str().unwrap()]);
        assert!(o.status.success(), "{}", text(&o));
        serde_json::from_slice::<Vec<Value>>(&std::fs::read(&out).unwrap()).unwrap()
    };
    let on_pg = export("pg.json");
    let db = tmp.path().join("r.db");
    assert_eq!(rampart(&["investigate", "detections", folder.to_str().unwrap(), "--db", db.to_str().unwrap()]).status.code(), Some(1));
    let on_sqlite = asff(&db, &tmp.path().join("lite.json"));
    let key = |v: &[Value]| {
        let mut k: Vec<(String, Value, Value, Value)> = v
            .iter()
            .map(|f| {
                let id = f["Id"].as_str().unwrap().to_string();
                (id, f["Types"].clone(), f["ProductFields"]["rampart/CloudTrailEventIds"].clone(), f["RecordState"].clone())
            })
            .collect();
        k.sort_by(|a, b| a.0.cmp(&b.0));
        k
    };
    assert!(!on_pg.is_empty());
    assert_eq!(key(&on_pg), key(&on_sqlite));
    let o = ingest();
    assert!(o.status.success() && text(&o).contains("0 detection(s) recorded: no new CloudTrail record was read"), "{}", text(&o));
    assert_eq!(key(&export("again.json")), key(&on_sqlite));
}
