//! `rampart prune`: retention now, on a database the demo filled twice; a missing database
//! is an error saying what to do, never an empty one created.

use std::path::Path;
use std::process::{Command, Output};

fn rampart(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(args)
        .current_dir(dir)
        .env("RAMPART_DB", dir.join("r.db"))
        .env_remove("RAMPART_VULNDB")
        .output()
        .unwrap()
}

#[test]
fn prune_keeps_the_latest_run_and_says_what_it_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let missing = rampart(dir.path(), &["prune"]);
    assert!(!missing.status.success());
    assert!(!dir.path().join("r.db").exists(), "no database is created");
    for _ in 0..2 {
        assert!(rampart(dir.path(), &["demo"]).status.code().is_some());
    }
    // Days of 0 keep everything.
    let keep = rampart(dir.path(), &["prune", "--runs-days", "0", "--results-days", "0", "--events-days", "0", "--audit-days", "0"]);
    assert!(keep.status.success(), "{}", String::from_utf8_lossy(&keep.stderr));
    let out = String::from_utf8_lossy(&keep.stdout);
    assert!(out.starts_with("deleted 0 run(s), 0 per-run result(s), 0 event(s), 0 audit entries"), "{out}");
    // The demo's runs are recent: nothing is past the defaults either; the runs stay.
    let default = rampart(dir.path(), &["prune"]);
    assert!(default.status.success(), "{}", String::from_utf8_lossy(&default.stderr));
    assert!(String::from_utf8_lossy(&default.stdout).starts_with("deleted 0 run(s)"));
    let runs = rampart(dir.path(), &["runs"]);
    let listed = String::from_utf8_lossy(&runs.stdout);
    assert!(listed.matches("demo").count() >= 2, "{listed}");
    let bad = rampart(dir.path(), &["prune", "--runs-days", "-1"]);
    assert!(!bad.status.success());
}
