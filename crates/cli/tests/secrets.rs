//! `rampart scan secrets` end to end: never "clean" on input it did not read, UTF-16 scanned,
//! skipped binaries counted, and a hostile repository's configured programs never run.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

// Made-up keys in AWS's formats; none is real.
const KEY: &str = "AKIA2E3FVJ5N7QZXWL4D";
const SECRET: &str = "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";

fn rampart(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(["scan", "secrets", "--no-store"])
        .args(args)
        .env_remove("RAMPART_DB")
        .output()
        .expect("run rampart")
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap_or_else(|e| panic!("mkfifo builds the unreadable file of this test ({e}): apt-get install coreutils"))
        .success();
    assert!(ok, "could not create the FIFO `{}`", path.display());
}

fn text(o: &Output) -> (String, String) {
    (String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

#[test]
fn secrets_unread_input_is_never_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("scanned");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("clean.txt"), "nothing here\n").unwrap();
    mkfifo(&dir.join("pipe"));
    std::os::unix::fs::symlink(dir.join("gone"), dir.join("dangling")).unwrap();

    // Nothing found, but two paths not read: exit 2, not 0.
    let out = rampart(&[dir.to_str().unwrap()]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stdout}\n{stderr}");
    assert!(stderr.contains("warning: ") && stderr.contains("pipe: not read: a FIFO, not a regular file"), "{stderr}");
    assert!(stderr.contains("dangling: not read: a symbolic link that leads nowhere"), "{stderr}");
    assert!(stderr.contains("incomplete: 2 path(s) not read"), "{stderr}");

    // With a finding, the findings decide (1), and the summary still says incomplete.
    std::fs::write(dir.join("creds"), format!("aws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n")).unwrap();
    let out = rampart(&[dir.to_str().unwrap()]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stderr.contains("incomplete: 2 path(s) not read"), "{stderr}");
    assert!(!stdout.contains(SECRET) && !stderr.contains(SECRET));

    // An unreadable path given explicitly is an input error with its cause.
    let out = rampart(&[dir.join("pipe").to_str().unwrap()]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("is not a file or directory (a FIFO)"), "{stderr}");
    let out = rampart(&[dir.join("dangling").to_str().unwrap()]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("No such file or directory"), "the cause is printed: {stderr}");
}

#[test]
fn secrets_utf16_is_scanned_and_binaries_are_counted() {
    let tmp = tempfile::tempdir().unwrap();
    let creds = format!("[default]\r\naws_access_key_id = {KEY}\r\naws_secret_access_key = {SECRET}\r\n");
    let mut utf16 = vec![0xff, 0xfe];
    for u in creds.encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    std::fs::write(tmp.path().join("credentials.txt"), utf16).unwrap();
    let mut binary = b"\x7fELF\0\0".to_vec();
    binary.extend_from_slice(b"nothing");
    std::fs::write(tmp.path().join("tool"), binary).unwrap();
    let out = rampart(&[tmp.path().to_str().unwrap()]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stdout.contains("credentials.txt"), "{stdout}");
    assert!(stderr.contains("skipped: 1 binary, 0 too large"), "{stderr}");
}

#[test]
fn secrets_scan_of_a_hostile_repository_runs_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(&repo)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap_or_else(|e| panic!("this test builds a repository with git ({e}): apt-get install git"));
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    git(&["init", "-q"]);
    std::fs::write(repo.join("deploy.env"), format!("AWS_ACCESS_KEY_ID={KEY}\nAWS_SECRET_ACCESS_KEY={SECRET}\n")).unwrap();
    git(&["add", "deploy.env"]);
    git(&["commit", "-q", "-m", "add"]);
    git(&["rm", "-q", "deploy.env"]);
    git(&["commit", "-q", "-m", "remove"]);
    let (tree, head) = (git(&["rev-parse", "HEAD^{tree}"]), git(&["rev-parse", "HEAD"]));
    let commit = format!(
        "tree {tree}\nparent {head}\nauthor t <t@example.com> 1700000000 +0000\ncommitter t <t@example.com> 1700000000 +0000\n\
         gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n\nsigned\n"
    );
    std::fs::write(tmp.path().join("commit"), commit).unwrap();
    let signed = git(&["hash-object", "-t", "commit", "-w", tmp.path().join("commit").to_str().unwrap()]);
    git(&["update-ref", "HEAD", &signed]);
    let marker = tmp.path().join("MARKER");
    let program = tmp.path().join("evil.sh");
    std::fs::write(&program, format!("#!/bin/sh\ntouch '{}'\ncat >/dev/null 2>&1\n", marker.display())).unwrap();
    std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
    for (k, v) in [("log.showSignature", "true"), ("gpg.program", program.to_str().unwrap()), ("core.fsmonitor", program.to_str().unwrap())] {
        git(&["config", k, v]);
    }
    // The vector is live: git itself runs the program.
    git(&["log", "-1"]);
    assert!(marker.exists(), "test setup: git log should run gpg.program");
    std::fs::remove_file(&marker).unwrap();

    let out = rampart(&[repo.to_str().unwrap()]);
    let (stdout, stderr) = text(&out);
    assert!(!marker.exists(), "rampart ran a program the repository configures");
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stdout.contains(KEY) || stdout.contains("deploy.env"), "the key in history is found: {stdout}");
}
