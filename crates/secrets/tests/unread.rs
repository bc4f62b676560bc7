//! Never "clean" on input that was not read: unreadable entries make the report incomplete
//! and say so, links do not lead outside the directory given, UTF-16 text is scanned and
//! skipped binaries are counted. These tests run as root here, so "unreadable" is built from
//! what even root cannot read: FIFOs, dangling and looping links.

use rampart_secrets::{scan_paths, Error, ScanOptions, SkipReason};
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::Command;

// Made-up keys in AWS's formats; none is real.
const KEY: &str = "AKIA2E3FVJ5N7QZXWL4D";
const SECRET: &str = "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";
const OTHER_KEY: &str = "AKIAQ4XN6P2W3YHJ7KEM";

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap_or_else(|e| panic!("mkfifo builds the unreadable file of this test ({e}): apt-get install coreutils"))
        .success();
    assert!(ok && path.exists(), "could not create the FIFO `{}`", path.display());
}

fn utf16(s: &str, le: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend(if le { [0xff, 0xfe] } else { [0xfe, 0xff] });
    }
    for u in s.encode_utf16() {
        out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

#[test]
fn unreadable_entries_make_the_report_incomplete_and_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("scanned");
    std::fs::create_dir(&root).unwrap();
    std::fs::write(root.join("ok.txt"), "nothing here\n").unwrap();
    mkfifo(&root.join("pipe"));
    symlink(root.join("gone"), root.join("dangling")).unwrap();
    symlink(root.join("loop"), root.join("loop")).unwrap();

    // A FIFO would block a reader forever: the scan must come back, and say what it skipped.
    let report = scan_paths(&[&root], &ScanOptions::default()).unwrap();
    assert_eq!(report.scanned, 1);
    assert_eq!(report.incomplete(), 3, "{:?}", report.skipped);
    let warnings = report.warnings(10);
    assert!(warnings.iter().any(|w| w.contains("pipe") && w.contains("a FIFO, not a regular file")), "{warnings:?}");
    assert!(warnings.iter().any(|w| w.contains("dangling") && w.contains("leads nowhere")), "{warnings:?}");
    assert_eq!(report.summary_line().unwrap(), "incomplete: 3 path(s) not read; skipped: 0 binary, 0 too large");

    // Bounded: two lines and a count of the rest.
    let few = report.warnings(2);
    assert_eq!(few.len(), 3);
    assert_eq!(few[2], "… and 1 more");

    // Given explicitly, an unreadable path is an error, not a clean result.
    let err = scan_paths(&[root.join("pipe")], &ScanOptions::default()).unwrap_err();
    assert!(matches!(err, Error::NotAFile { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        format!("`{}` is not a file or directory (a FIFO): give a file or a directory", root.join("pipe").display())
    );
    assert!(matches!(scan_paths(&[root.join("dangling")], &ScanOptions::default()), Err(Error::Path { .. })));
}

#[test]
fn links_to_outside_the_directory_are_not_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("scanned");
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("creds"), format!("aws_access_key_id = {OTHER_KEY}\n")).unwrap();
    std::fs::write(root.join("sub/inside"), format!("aws_access_key_id = {KEY}\n")).unwrap();
    symlink(outside.join("creds"), root.join("to-file")).unwrap();
    symlink(&outside, root.join("to-dir")).unwrap();
    symlink(root.join("sub/inside"), root.join("to-inside")).unwrap();

    let report = scan_paths(&[&root], &ScanOptions::default()).unwrap();
    let keys: Vec<_> = report.hits.iter().filter_map(|h| h.key_id.clone()).collect();
    assert_eq!(keys, vec![KEY.to_string()], "outside content read, or inside content twice");
    let outside_links: Vec<_> = report.skipped.iter().filter(|s| matches!(s.reason, SkipReason::Outside { .. })).collect();
    assert_eq!(outside_links.len(), 2, "{:?}", report.skipped);
    assert_eq!(report.incomplete(), 0, "a link to outside is not content of the directory");
    assert!(report.warnings(10).iter().all(|w| w.contains("outside the scanned directory: not followed")));
    // A link given explicitly is what the user asked for.
    assert_eq!(scan_paths(&[root.join("to-file")], &ScanOptions::default()).unwrap().hits.len(), 1);
}

#[test]
fn utf16_text_is_scanned_and_binaries_are_counted() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let creds = format!("[default]\r\naws_access_key_id = {KEY}\r\naws_secret_access_key = {SECRET}\r\n");
    for (name, le, bom) in [("le-bom", true, true), ("le", true, false), ("be-bom", false, true), ("be", false, false)] {
        std::fs::write(root.join(name), utf16(&creds, le, bom)).unwrap();
    }
    let mut binary = b"\x7fELF\0\x01\x02".to_vec();
    binary.extend_from_slice(creds.as_bytes());
    std::fs::write(root.join("tool"), binary).unwrap();
    std::fs::write(root.join("big"), "x".repeat(5000)).unwrap();

    let report = scan_paths(&[root], &ScanOptions { max_file_size: 4096, ..ScanOptions::default() }).unwrap();
    let found: Vec<_> = report
        .hits
        .iter()
        .map(|h| {
            (
                h.location.path.rsplit('/').next().unwrap().to_string(),
                h.key_id.clone().unwrap(),
                h.secret.as_ref().map(|s| s.to_string()),
                h.location.line,
            )
        })
        .collect();
    for name in ["be", "be-bom", "le", "le-bom"] {
        assert!(found.contains(&(name.to_string(), KEY.to_string(), Some("q8Vz…".to_string()), 2)), "{name}: {found:?}");
    }
    assert_eq!(report.skipped_counts(), (1, 1));
    assert_eq!(report.incomplete(), 0);
    assert_eq!(report.summary_line().unwrap(), "skipped: 1 binary, 1 too large");
}

/// Permission denied, for real: as root (which reads everything) the test runs itself again
/// as `nobody` through `runuser`.
#[test]
fn directory_without_permission_is_incomplete_or_an_error() {
    const ENV: &str = "RAMPART_TEST_UNREADABLE_ROOT";
    if let Some(root) = std::env::var_os(ENV) {
        let root = Path::new(&root);
        let report = scan_paths(&[root], &ScanOptions::default()).unwrap();
        assert_eq!(report.scanned, 1);
        assert_eq!(report.incomplete(), 1, "{:?}", report.skipped);
        assert!(report.warnings(10)[0].contains("ermission denied"), "{:?}", report.warnings(10));
        let err = scan_paths(&[root.join("locked")], &ScanOptions::default()).unwrap_err();
        assert!(matches!(err, Error::Path { .. }), "{err}");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("scanned");
    std::fs::create_dir_all(root.join("locked")).unwrap();
    std::fs::write(root.join("locked/creds"), format!("aws_access_key_id = {KEY}\n")).unwrap();
    std::fs::write(root.join("readable"), "nothing\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(root.join("locked"), std::fs::Permissions::from_mode(0o000)).unwrap();
    let uid = Command::new("id").arg("-u").output().expect("id (coreutils) runs");
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        std::env::set_var(ENV, &root);
        return directory_without_permission_is_incomplete_or_an_error();
    }
    let exe = std::env::current_exe().unwrap();
    let out = Command::new("runuser")
        .args(["-u", "nobody", "--"])
        .arg(&exe)
        .args(["--exact", "directory_without_permission_is_incomplete_or_an_error", "--test-threads=1"])
        .env(ENV, &root)
        .output()
        .unwrap_or_else(|e| panic!("as root, this test runs itself as `nobody` with runuser ({e}): apt-get install util-linux"));
    assert!(
        out.status.success() && String::from_utf8_lossy(&out.stdout).contains("1 passed"),
        "as nobody: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
