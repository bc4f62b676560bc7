//! End-to-end: a configuration file with a misspelt check id or key is refused before anything
//! runs, with the file, line, column and the nearest id; a correct one is applied. No AWS
//! emulator needed (the demo estate).

use std::path::Path;
use std::process::{Command, Output};

fn rampart(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(args)
        .env("RAMPART_DB", dir.join("rampart.db"))
        .env("RAMPART_VULNDB", dir.join("vulndb.db"))
        .env_remove("RAMPART_LOG")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .output()
        .expect("run rampart")
}

/// Exit 2, one line on stderr, and nothing on stdout: the scan never ran.
fn refused(out: &Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(out.stdout.is_empty(), "no report: {}", String::from_utf8_lossy(&out.stdout));
    err
}

#[test]
fn a_misspelt_check_in_a_suppression_is_refused_with_its_position_and_the_nearest_id() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("rampart.toml");
    let rule = "[[suppress]]\nchecks = [\"s3_bucket_publc_read\"]\narn = \"*\"\nreason = \"public docs\"\n";
    std::fs::write(&config, format!("# exceptions\n{rule}")).unwrap();
    let c = config.to_str().unwrap();
    let err = refused(&rampart(dir.path(), &["demo", "--no-store", "--config", c]));
    assert!(
        err.contains(&format!(
            "{c}:3:11: unknown check `s3_bucket_publc_read` in `suppress[0].checks`; did you mean `s3_bucket_public_read`?"
        )),
        "{err}"
    );
    assert!(!dir.path().join("rampart.db").exists(), "nothing was stored");

    // A misspelt key is refused the same way.
    std::fs::write(&config, "[[suppresion]]\nchecks = [\"s3_bucket_public_read\"]\narn = \"*\"\nreason = \"r\"\n").unwrap();
    let err = refused(&rampart(dir.path(), &["demo", "--no-store", "--config", c]));
    assert!(err.contains(&format!("{c}:1:3: unknown field `suppresion`")), "{err}");

    // Spelt right, the same rule applies: the demo's public-read findings become SUPPRESSED.
    std::fs::write(&config, rule.replace("publc", "public")).unwrap();
    let out = rampart(dir.path(), &["demo", "--no-store", "--config", c, "-f", "json"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr: {err}");
    assert!(err.contains("suppressed result(s), kept as SUPPRESSED"), "{err}");
}
