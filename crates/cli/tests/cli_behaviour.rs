//! End-to-end: `rampart` as a Unix tool — reading commands never create a store and can
//! browse a read-only one, closed pipes end quietly, errors are one clear line, and the
//! dead ends of the store (runs, one finding, limits, assessment targets) have a way out.
//! No AWS emulator needed.

use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The binary with the store and vulnerability database in `dir` and no AWS environment.
fn cmd(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rampart"));
    c.env("RAMPART_DB", dir.join("rampart.db"))
        .env("RAMPART_VULNDB", dir.join("vulndb.db"))
        .env_remove("RAMPART_LOG")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL");
    c
}

fn rampart(dir: &Path, args: &[&str]) -> Output {
    cmd(dir).args(args).output().expect("run rampart")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "exit {:?}\nstdout: {}\nstderr: {}", out.status.code(), stdout(&out), stderr(&out));
    stdout(&out)
}

/// Exit 2 and one `error:` line on stderr that contains `needle`.
fn usage_error(out: &Output, needle: &str) -> String {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "stdout: {}\nstderr: {err}", stdout(out));
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains(needle), "expected `{needle}` in: {err}");
    err
}

// ------------------------------------------------------------ reading never creates

#[test]
fn reading_commands_on_a_missing_database_create_nothing_and_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let parent = dir.path().join("nope");
    let db = parent.join("deeper").join("rampart.db");
    let db = db.to_str().unwrap();
    let commands: &[&[&str]] = &[
        &["findings", "--db", db],
        &["findings", "rampart/x/1", "--db", db],
        &["compliance", "--db", db],
        &["runs", "--db", db],
        &["workflow", "rampart/x/1", "--status", "resolved", "--db", db],
        &["assess", "runs", "--db", db],
        &["assess", "targets", "--db", db],
        &["assess", "templates", "--db", db],
        &["assess", "run", "t", "--telemetry", "x.json", "--db", db],
        &["vulndb", "status", "--vulndb", db],
        // The old spelling still works.
        &["vulndb", "status", "--db", db],
    ];
    for args in commands {
        let out = rampart(dir.path(), args);
        let err = usage_error(&out, &format!("database `{db}` does not exist"));
        assert!(err.contains("--db") || err.contains("--vulndb"), "{args:?}: says how to point at another: {err}");
        assert!(!parent.exists(), "{args:?} created {}", parent.display());
    }
    // The default database (RAMPART_DB) too.
    let missing = parent.join("default.db");
    let out = cmd(dir.path()).env("RAMPART_DB", &missing).arg("findings").output().unwrap();
    usage_error(&out, "does not exist");
    assert!(!parent.exists());
}

#[test]
fn a_vulndb_import_with_nothing_importable_is_an_error_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    std::fs::write(empty.join("README.txt"), "not an advisory").unwrap();
    let db = dir.path().join("v").join("vulndb.db");
    let out = rampart(dir.path(), &["vulndb", "import", empty.to_str().unwrap(), "--vulndb", db.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    let last = err.lines().last().unwrap();
    assert!(last.starts_with("error: nothing importable was found in `"), "{err}");
    assert!(last.contains("OSV"), "says what is importable: {err}");
    assert!(!db.exists() && !db.parent().unwrap().exists());
}

#[test]
fn vulndb_import_and_status_speak_in_sentences() {
    let dir = tempfile::tempdir().unwrap();
    let dsa = repo_root().join("testdata/vulndb/debian-security-tracker/data/DSA/list");
    let out = rampart(dir.path(), &["vulndb", "import", dsa.to_str().unwrap()]);
    let err = stderr(&out);
    ok(out);
    assert!(err.contains("record(s) read: ") && err.contains(" new, "), "{err}");
    assert!(!err.contains("ImportStats") && !err.contains('{'), "{err}");
    let status = ok(rampart(dir.path(), &["vulndb", "status"]));
    assert!(status.contains(" advisories, last import ") && status.contains("debian-security-tracker"), "{status}");
    assert!(!status.contains("VulnMeta") && !status.contains('{'), "{status}");
}

/// A database made read-only as the user sees it: a directory and file they may read but
/// not write. Tests run as root here, where permission bits stop nothing, so the command
/// then runs as `nobody` (`setpriv`, from util-linux).
struct ReadOnly {
    as_nobody: bool,
}

impl ReadOnly {
    fn make(dir: &Path, db: &Path) -> ReadOnly {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let root = std::fs::metadata(db).unwrap().uid() == 0;
        std::fs::set_permissions(db, std::fs::Permissions::from_mode(0o444)).unwrap();
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
        if root {
            let found = Command::new("setpriv").arg("--version").output().is_ok_and(|o| o.status.success());
            assert!(found, "running as root, this test runs rampart as `nobody` with setpriv: install util-linux (apt-get install util-linux)");
        }
        ReadOnly { as_nobody: root }
    }

    fn run(&self, dir: &Path, args: &[&str]) -> Output {
        let mut c = if self.as_nobody {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]).arg(env!("CARGO_BIN_EXE_rampart"));
            c
        } else {
            Command::new(env!("CARGO_BIN_EXE_rampart"))
        };
        c.env("RAMPART_DB", dir.join("rampart.db")).env("HOME", "/nonexistent").args(args);
        c.output().expect("run rampart")
    }
}

#[test]
fn a_database_the_user_may_only_read_can_be_browsed() {
    let tmp = tempfile::tempdir().unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let dir = tmp.path().join("ro");
    std::fs::create_dir(&dir).unwrap();
    let db = dir.join("rampart.db");
    let v: Value = serde_json::from_str(&ok(rampart(&dir, &["demo", "--db", db.to_str().unwrap(), "-f", "json"]))).unwrap();
    let id = v["findings"].as_array().unwrap().iter().find(|f| f["check_id"] == "iam_root_mfa").unwrap()["id"].as_str().unwrap().to_string();
    let before: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    // No -wal or -shm beside it: a reader needs no write access to anything.
    assert_eq!(before, ["rampart.db"], "the store was closed cleanly");

    let ro = ReadOnly::make(&dir, &db);
    let proof = ro.run(&dir, &["workflow", &id, "--status", "resolved"]);
    let err = stderr(&proof);
    assert_eq!(proof.status.code(), Some(2), "a write must fail, or the setup proves nothing: {err}");
    assert!(err.contains("read-only") || err.contains("cannot open"), "{err}");
    for args in [&["findings"][..], &["findings", &id], &["runs"], &["compliance", "--standard", "fsbp"], &["assess", "runs"]] {
        let out = ro.run(&dir, args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(!stdout(&out).is_empty(), "{args:?}");
    }
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let after: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(after, before, "reading wrote nothing beside the database");
}

// ------------------------------------------------------------ errors

#[test]
fn a_store_error_prints_its_cause_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file");
    std::fs::write(&file, b"x").unwrap();
    let db = file.join("rampart.db");
    let out = rampart(dir.path(), &["demo", "--db", db.to_str().unwrap()]);
    let err = usage_error(&out, "cannot create directory");
    assert_eq!(err.matches("(os error ").count(), 1, "{err}");
    assert!(!err.contains("pass another --db: "), "{err}");
}

#[test]
fn a_misspelled_check_is_refused_with_the_nearest_id() {
    let dir = tempfile::tempdir().unwrap();
    ok(rampart(dir.path(), &["demo", "-f", "json"]));
    usage_error(&rampart(dir.path(), &["findings", "--check", "iam_root_mfaa"]), "unknown check `iam_root_mfaa`: did you mean `iam_root_mfa`?");
    // Ids of the other rule families are known too.
    ok(rampart(dir.path(), &["findings", "--check", "host_cve"]));
}

#[test]
fn long_values_are_not_echoed_back_in_full() {
    let dir = tempfile::tempdir().unwrap();
    let long = "x".repeat(5000);
    for args in [
        vec!["findings", "--status", &long],
        vec!["reach", "--to", "i-1", "--snapshot", "s.json", "--regions", &long],
        vec!["scan", "--snapshot", "s.json", "--format", &long],
        vec!["findings", "--check", &long],
    ] {
        let out = rampart(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).len() < 1000, "{args:?} echoed {} bytes", stderr(&out).len());
    }
}

#[test]
fn reach_rejects_an_unknown_region_with_the_nearest_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = rampart(dir.path(), &["reach", "--to", "i-1", "--snapshot", "s.json", "--regions", "us-east-1,us-est-2"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown region `us-est-2`: did you mean `us-east-2`?"), "{}", stderr(&out));
}

#[test]
fn verbose_logs_have_no_colour_codes_when_not_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let out = rampart(dir.path(), &["-vv", "demo"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("DEBUG") || err.contains("INFO"), "-vv logs something: {err}");
    assert!(!err.contains('\x1b'), "{err}");
}

#[test]
fn an_unreachable_endpoint_is_a_connection_error_not_a_credential_one() {
    // A loopback port nothing listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}");
    let dir = tempfile::tempdir().unwrap();
    let out = cmd(dir.path())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .args(["scan", "aws", "--endpoint-url", &url, "--regions", "us-east-1"])
        .output()
        .unwrap();
    let err = usage_error(&out, &format!("could not connect to `{url}`: "));
    assert!(!err.contains("credentials"), "{err}");
    assert!(!err.contains("DispatchFailure") && !err.contains("{ "), "no Debug dump: {err}");
}

// ------------------------------------------------------------ closed pipes

/// Runs `args` with stdout a pipe that is closed after `lines` lines (0: before anything
/// is written) and returns the exit status and stderr.
fn into_closed_pipe(dir: &Path, args: &[&str], lines: usize) -> (Option<i32>, String) {
    let mut child = cmd(dir).args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let out = child.stdout.take().unwrap();
    if lines > 0 {
        let mut r = BufReader::new(out);
        let mut line = String::new();
        for _ in 0..lines {
            line.clear();
            r.read_line(&mut line).unwrap();
        }
        drop(r);
    } else {
        drop(out);
    }
    let res = child.wait_with_output().unwrap();
    (res.status.code(), String::from_utf8_lossy(&res.stderr).into_owned())
}

#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    ok(rampart(dir.path(), &["demo", "-f", "json"]));
    let id = serde_json::from_str::<Value>(&ok(rampart(dir.path(), &["findings", "-f", "json", "--limit", "1"]))).unwrap()[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let commands: &[&[&str]] = &[
        &["checks"],
        &["iam-policy"],
        &["demo"],
        &["demo", "-f", "json"],
        &["demo", "-f", "asff"],
        &["demo", "-f", "csv"],
        &["findings", "--limit", "0"],
        &["findings", "-f", "json", "--limit", "0"],
        &["findings", &id],
        &["runs"],
        &["compliance"],
        &["compliance", "-f", "json"],
        &["--help"],
    ];
    for args in commands {
        for lines in [0, 1] {
            let (code, err) = into_closed_pipe(dir.path(), args, lines);
            // As `ls | head`: no message, no panic; exit 0.
            assert_eq!(code, Some(0), "{args:?} after {lines} line(s): {err}");
            if lines == 0 {
                // Closed before the first write: the command stops there, silently.
                assert!(err.is_empty(), "{args:?} into a closed pipe wrote to stderr: {err}");
            } else {
                // A short output may fit the pipe before it closes; then only the usual
                // "N finding(s)" note may follow — never an error.
                assert!(!err.contains("error") && !err.contains("panicked") && !err.contains("Broken pipe"), "{args:?}: {err}");
            }
        }
    }
}

#[test]
fn no_println_in_the_cli() {
    // `println!` panics on a closed pipe; every write to stdout propagates its error.
    let src = repo_root().join("crates/cli/src");
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap();
            assert!(!code.contains("println!(") || code.contains("eprintln!("), "{}:{}: {line}", path.display(), n + 1);
            assert!(!code.contains(" print!("), "{}:{}: {line}", path.display(), n + 1);
        }
    }
}

// ------------------------------------------------------------ scans

#[test]
fn a_scans_start_is_taken_before_its_input_is_read() {
    // A snapshot that arrives slowly: a FIFO written 2 s after the scan opens it.
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("estate.json");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo (coreutils) is needed: apt-get install coreutils");
    assert!(made.success());
    let estate = std::fs::read(repo_root().join("testdata/demo/estate.json")).unwrap();
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(2500));
            let mut f = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
            f.write_all(&estate).unwrap();
        })
    };
    let out = rampart(dir.path(), &["scan", "--snapshot", fifo.to_str().unwrap(), "-f", "json", "--fail-on", "none"]);
    writer.join().unwrap();
    let v: Value = serde_json::from_str(&ok(out)).unwrap();
    let t = |k: &str| time::OffsetDateTime::parse(v["run"][k].as_str().unwrap(), &time::format_description::well_known::Rfc3339).unwrap();
    let took = t("finished_at") - t("started_at");
    assert!(took >= time::Duration::seconds(2), "started {} finished {}", v["run"]["started_at"], v["run"]["finished_at"]);
}

#[test]
fn demo_honours_an_explicit_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(rampart(dir.path(), &["demo", "--no-store"]).status.code(), Some(0));
    assert_eq!(rampart(dir.path(), &["demo", "--no-store", "--fail-on", "high"]).status.code(), Some(1));
}

// ------------------------------------------------------------ dead ends

#[test]
fn runs_findings_and_one_finding_with_its_history() {
    let dir = tempfile::tempdir().unwrap();
    ok(rampart(dir.path(), &["demo", "-f", "json"]));
    ok(rampart(dir.path(), &["demo", "-f", "json"]));

    let runs = ok(rampart(dir.path(), &["runs"]));
    let lines: Vec<&str> = runs.lines().collect();
    assert!(lines[0].starts_with("ID") && lines[0].contains("DURATION") && lines[0].contains("SOURCE"), "{runs}");
    assert_eq!(lines.len(), 3, "{runs}");
    assert!(lines[1].starts_with("run-") && lines[1].contains(" demo ") && lines[1].contains(" FAILED"), "{runs}");
    let run_id = lines[2].split_whitespace().next().unwrap();
    let json: Value = serde_json::from_str(&ok(rampart(dir.path(), &["runs", "-f", "json"]))).unwrap();
    assert_eq!(json[1]["run"]["id"], run_id);
    // The id `runs` shows is the one `compliance --run` takes.
    ok(rampart(dir.path(), &["compliance", "--run", run_id, "--standard", "fsbp"]));
    usage_error(&rampart(dir.path(), &["compliance", "--run", "run-nope"]), "rampart runs");

    // A header, and the limit said.
    let out = rampart(dir.path(), &["findings", "--limit", "5"]);
    let err = stderr(&out);
    let listing = ok(out);
    assert!(listing.lines().next().unwrap().starts_with("STATUS"), "{listing}");
    assert_eq!(listing.lines().count(), 6);
    let total: usize = serde_json::from_str::<Vec<Value>>(&ok(rampart(dir.path(), &["findings", "-f", "json", "--limit", "0"]))).unwrap().len();
    assert!(total > 100, "{total}");
    assert!(err.contains(&format!("5 of {total} finding(s)")) && err.contains("--limit 0 for all"), "{err}");
    let out = rampart(dir.path(), &["findings", "--limit", "0"]);
    assert!(stderr(&out).starts_with(&format!("{total} finding(s)")), "{}", stderr(&out));

    // One finding: detail, what each run said, and who changed its workflow, when and why.
    let v: Value = serde_json::from_str(&ok(rampart(dir.path(), &["findings", "--check", "iam_root_mfa", "-f", "json"]))).unwrap();
    let id = v[0]["id"].as_str().unwrap().to_string();
    let out = cmd(dir.path()).env_remove("SUDO_USER").env("USER", "alice").args(["workflow", &id, "--status", "suppressed", "--note", "break-glass account"]).output().unwrap();
    ok(out);
    let shown = ok(rampart(dir.path(), &["findings", &id]));
    assert!(shown.starts_with(&id), "{shown}");
    for needle in ["iam_root_mfa", "remediation", "runs (2):", "workflow history (1):", "NEW -> SUPPRESSED  by alice: break-glass account"] {
        assert!(shown.contains(needle), "`{needle}` in {shown}");
    }
    let j: Value = serde_json::from_str(&ok(rampart(dir.path(), &["findings", &id, "-f", "json"]))).unwrap();
    assert_eq!(j["finding"]["workflow_status"], "SUPPRESSED");
    assert_eq!(j["results"].as_array().unwrap().len(), 2);
    assert_eq!(j["workflow_history"][0]["note"], "break-glass account");
    assert_eq!(j["workflow_history"][0]["changed_by"], "alice");
    usage_error(&rampart(dir.path(), &["findings", "rampart/nope/0"]), "list the findings and their ids with `rampart findings`");
    // Filters do not apply to one finding: said, not ignored.
    let out = rampart(dir.path(), &["findings", &id, "--status", "failed"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot be used with"), "{}", stderr(&out));
}

#[test]
fn assessment_targets_and_templates_are_listed_changed_and_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(rampart(d, &["assess", "target", "web", "--host", "web-*"]));
    usage_error(&rampart(d, &["assess", "target", "web", "--host", "db-*"]), "--replace changes it");
    ok(rampart(d, &["assess", "target", "web", "--host", "www-*", "--replace"]));
    let targets = ok(rampart(d, &["assess", "targets"]));
    assert!(targets.lines().next().unwrap().starts_with("NAME"), "{targets}");
    assert!(targets.contains("web ") && targets.contains("hosts www-*") && !targets.contains("web-*"), "{targets}");

    ok(rampart(d, &["assess", "template", "nightly", "--target", "web", "--rules", "cis"]));
    usage_error(&rampart(d, &["assess", "template", "nightly", "--target", "web"]), "already exists");
    ok(rampart(d, &["assess", "template", "nightly", "--target", "web", "--rules", "cis,runtime", "--duration", "60", "--replace"]));
    let templates = ok(rampart(d, &["assess", "templates"]));
    assert!(templates.contains("nightly") && templates.contains("cis,runtime") && templates.contains("60s"), "{templates}");

    usage_error(&rampart(d, &["assess", "target", "web", "--delete"]), "is used by template(s) nightly");
    ok(rampart(d, &["assess", "template", "nightly", "--delete"]));
    ok(rampart(d, &["assess", "target", "web", "--delete"]));
    assert_eq!(ok(rampart(d, &["assess", "targets"])).lines().count(), 1);
    usage_error(&rampart(d, &["assess", "target", "web", "--delete"]), "no assessment target `web`");
}

// ------------------------------------------------------------ flags that would be ignored

#[test]
fn config_on_a_scan_that_does_not_read_it_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("rampart.toml");
    std::fs::write(&cfg, "").unwrap();
    let target = dir.path().join("files");
    std::fs::create_dir(&target).unwrap();
    for args in [
        vec!["scan", "secrets", target.to_str().unwrap()],
        vec!["scan", "host", "--root", target.to_str().unwrap()],
        vec!["scan", "image", target.to_str().unwrap()],
        vec!["scan", "lambda", cfg.to_str().unwrap()],
    ] {
        let mut a = args.clone();
        a.extend(["--config", cfg.to_str().unwrap()]);
        usage_error(&rampart(dir.path(), &a), "--config applies to AWS checks");
    }
}

#[test]
fn an_artifact_scan_never_creates_the_vulnerability_database() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere").join("vulndb.db");
    let root = dir.path().join("root");
    std::fs::create_dir_all(root.join("var/lib/dpkg")).unwrap();
    std::fs::write(root.join("var/lib/dpkg/status"), "Package: zlib1g\nStatus: install ok installed\nVersion: 1:1.2.13.dfsg-1\nArchitecture: amd64\n\n").unwrap();
    let out = rampart(dir.path(), &["scan", "host", "--root", root.to_str().unwrap(), "--vulndb", missing.to_str().unwrap(), "--no-store"]);
    assert_eq!(out.status.code(), Some(2), "stdout: {}\nstderr: {}", stdout(&out), stderr(&out));
    assert!(!missing.exists() && !missing.parent().unwrap().exists(), "nothing created");
}

// ------------------------------------------------------------ progress

/// `vulndb import` draws a progress line on a terminal (a pseudo-terminal from util-linux's
/// `script`) and nothing of it into a pipe.
#[test]
fn vulndb_import_shows_progress_on_a_terminal_only() {
    let found = Command::new("script").arg("--version").output().is_ok_and(|o| o.status.success());
    assert!(found, "this test gives rampart a terminal with `script`: install util-linux (apt-get install util-linux)");
    let dir = tempfile::tempdir().unwrap();
    let dsa = repo_root().join("testdata/vulndb/debian-security-tracker/data/DSA/list");
    let piped = rampart(dir.path(), &["vulndb", "import", dsa.to_str().unwrap(), "--vulndb", dir.path().join("a.db").to_str().unwrap()]);
    let err = stderr(&piped);
    assert!(piped.status.success(), "{err}");
    assert!(!err.contains('\r') && !err.contains("\x1b[") && !err.contains(" …"), "no progress into a pipe: {err:?}");
    let line = format!(
        "{} vulndb import {} --vulndb {}",
        env!("CARGO_BIN_EXE_rampart"),
        dsa.display(),
        dir.path().join("b.db").display()
    );
    let out = Command::new("script").args(["-qec", &line, "/dev/null"]).env("TERM", "dumb").output().expect("run script");
    let seen = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{seen}");
    assert!(seen.contains("importing ") && seen.contains(" advisories …"), "a progress line on a terminal: {seen:?}");
    assert!(seen.contains("\r\x1b[2K"), "the line is redrawn in place and erased: {seen:?}");
}
