//! Scans of generated files and git repositories, and findings against an inventory.

use rampart_inventory::{AccessKey, Account, Iam, Inventory, Observed, User};
use rampart_model::{ResourceType, Severity, Status};
use rampart_secrets::{findings, scan_git_history, scan_paths, Error, Hit, ScanOptions, ScanReport, SkipReason};
use std::path::Path;
use std::process::Command;

// Made-up keys in AWS's formats; none is real.
const KEY: &str = "AKIA2E3FVJ5N7QZXWL4D";
const SECRET: &str = "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";
const OLD_KEY: &str = "AKIAQ4XN6P2W3YHJ7KEM";
const OLD_SECRET: &str = "Zt5rW2nB8xK4mQ7vC1jH9sL3dF6gP0aE/yU+iOpR";
const EXAMPLE_SECRET: &str = concat!("wJalrXUtnFEMI/K7MDENG/bPxRfiCY", "EXAMPLEKEY");

fn creds(key: &str, secret: &str) -> String {
    format!("[default]\naws_access_key_id = {key}\naws_secret_access_key = {secret}\n")
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn new_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    dir
}

fn commit_all(dir: &Path, message: &str) -> String {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "--allow-empty", "-m", message]);
    git(dir, &["rev-parse", "HEAD"])
}

fn write(path: &Path, data: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, data).unwrap();
}

/// Every rendering of a value: Debug, pretty Debug, Display-like strings and JSON.
fn assert_no_secret(rendered: &str) {
    for s in [SECRET, OLD_SECRET] {
        assert!(!rendered.contains(&s[..5]), "secret prefix beyond 4 chars leaked: {rendered}");
        assert!(!rendered.contains(&s[4..]), "secret leaked: {rendered}");
    }
}

fn keys(report: &ScanReport) -> Vec<(String, Option<String>, u32)> {
    report.hits.iter().map(|h| (h.key_id.clone().unwrap_or_default(), h.secret.as_ref().map(|s| s.to_string()), h.location.line)).collect()
}

#[test]
fn working_tree_walk() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(&root.join("config/credentials"), creds(KEY, SECRET));
    write(&root.join("deep/a/b/c/notes.md"), format!("old key: {OLD_KEY}\n"));
    write(&root.join(".git/config"), creds(OLD_KEY, OLD_SECRET));
    let mut binary = b"\x7fELF\0\0".to_vec();
    binary.extend_from_slice(creds(KEY, SECRET).as_bytes());
    write(&root.join("bin/tool"), binary);
    write(&root.join("big.log"), format!("{}{}", "x".repeat(2048), creds(KEY, SECRET)));
    write(&root.join("docs/example.md"), format!("aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = {EXAMPLE_SECRET}\n"));
    write(&root.join("clean.txt"), "nothing here\n");

    let opts = ScanOptions { max_file_size: 1024, threads: 2, ..ScanOptions::default() };
    let report = scan_paths(&[root], &opts).unwrap();
    assert_eq!(keys(&report), vec![(KEY.to_string(), Some("q8Vz…".to_string()), 2), (OLD_KEY.to_string(), None, 1)]);
    assert!(report.hits[0].location.path.ends_with("config/credentials"));
    assert_eq!((report.hits[0].location.line, report.hits[0].location.column), (2, 21));
    assert_eq!(report.hits[0].location.commit, None);
    let skipped: Vec<_> = report.skipped.iter().map(|s| (s.path.rsplit('/').next().unwrap().to_string(), s.reason.clone())).collect();
    assert!(skipped.contains(&("tool".to_string(), SkipReason::Binary)), "{skipped:?}");
    assert!(skipped.iter().any(|(p, r)| p == "big.log" && matches!(r, SkipReason::TooLarge { limit: 1024, .. })), "{skipped:?}");
    assert_eq!(report.scanned, 4, "credentials, notes, example, clean");

    // Examples only when asked, and flagged.
    let with_examples = scan_paths(&[root], &ScanOptions { include_examples: true, ..opts.clone() }).unwrap();
    let examples: Vec<&Hit> = with_examples.hits.iter().filter(|h| h.example).collect();
    assert_eq!(examples.len(), 1);
    assert_eq!(examples[0].key_id.as_deref(), Some("AKIAIOSFODNN7EXAMPLE"));

    // A file given by name, and a path that does not exist.
    let one = scan_paths(&[root.join("deep/a/b/c/notes.md")], &opts).unwrap();
    assert_eq!(one.hits.len(), 1);
    assert!(matches!(scan_paths(&[root.join("missing")], &opts), Err(Error::Path { .. })));
}

#[test]
fn deleted_key_is_found_in_history() {
    let repo = new_repo();
    let dir = repo.path();
    write(&dir.join("README.md"), "hello\n");
    commit_all(dir, "init");
    write(&dir.join("deploy/.env"), format!("AWS_ACCESS_KEY_ID={KEY}\nAWS_SECRET_ACCESS_KEY={SECRET}\n"));
    let added = commit_all(dir, "add credentials");
    std::fs::remove_file(dir.join("deploy/.env")).unwrap();
    commit_all(dir, "remove credentials");
    // The same content again, later, at another path: one blob, reported once, at its first commit.
    write(&dir.join("copy.env"), format!("AWS_ACCESS_KEY_ID={KEY}\nAWS_SECRET_ACCESS_KEY={SECRET}\n"));
    commit_all(dir, "copy");
    std::fs::remove_file(dir.join("copy.env")).unwrap();
    commit_all(dir, "remove copy");

    assert!(scan_paths(&[dir], &ScanOptions::default()).unwrap().hits.is_empty(), "nothing in the work tree");
    let report = scan_git_history(dir, &ScanOptions::default()).unwrap();
    assert_eq!(keys(&report), vec![(KEY.to_string(), Some("q8Vz…".to_string()), 1)]);
    let loc = &report.hits[0].location;
    assert_eq!(loc.commit.as_deref(), Some(added.as_str()));
    assert_eq!(loc.path, dir.join("deploy/.env").display().to_string());
    assert_eq!(loc.column, 19);
    assert_eq!(report.hits[0].to_string(), format!("{KEY} at {}:1:19 in commit {added} with secret q8Vz…", loc.path));
}

#[test]
fn key_only_in_an_old_commit_of_another_branch() {
    let repo = new_repo();
    let dir = repo.path();
    write(&dir.join("app.py"), "print('hi')\n");
    commit_all(dir, "init");
    git(dir, &["checkout", "-q", "-b", "feature"]);
    write(&dir.join("app.py"), format!("print('hi')\nKEY = '{OLD_KEY}'\nsecret_key = '{OLD_SECRET}'\n"));
    let old = commit_all(dir, "wip");
    write(&dir.join("app.py"), "print('hi')\nimport os\n");
    commit_all(dir, "use env");
    git(dir, &["checkout", "-q", "main"]);
    // A binary blob with a key inside: skipped.
    let mut binary = vec![0u8; 16];
    binary.extend_from_slice(creds(KEY, SECRET).as_bytes());
    write(&dir.join("blob.bin"), binary);
    commit_all(dir, "binary");

    let report = scan_git_history(dir, &ScanOptions::default()).unwrap();
    assert_eq!(keys(&report), vec![(OLD_KEY.to_string(), Some("Zt5r…".to_string()), 2)]);
    assert_eq!(report.hits[0].location.commit.as_deref(), Some(old.as_str()));
    assert!(report.skipped.iter().any(|s| s.reason == SkipReason::Binary && s.path.contains("blob.bin")), "{:?}", report.skipped);
}

#[test]
fn history_size_limit_and_errors() {
    let repo = new_repo();
    let dir = repo.path();
    write(&dir.join("big.txt"), format!("{}\n{}", "y".repeat(4096), creds(KEY, SECRET)));
    commit_all(dir, "big");
    let report = scan_git_history(dir, &ScanOptions { max_file_size: 1024, ..ScanOptions::default() }).unwrap();
    assert!(report.hits.is_empty());
    assert!(matches!(report.skipped[0].reason, SkipReason::TooLarge { limit: 1024, .. }));

    let empty = new_repo();
    assert_eq!(scan_git_history(empty.path(), &ScanOptions::default()).unwrap(), ScanReport::default());

    let not_repo = tempfile::tempdir().unwrap();
    let err = scan_git_history(not_repo.path(), &ScanOptions::default()).unwrap_err();
    assert!(matches!(err, Error::NotARepo { .. }), "{err}");
    assert!(err.to_string().contains("is not a git repository"), "{err}");
}

fn inventory() -> Inventory {
    let mut inv = Inventory::new(time::macros::datetime!(2026-01-01 0:00 UTC));
    let mut account = Account::empty("123456789012", "aws", "us-east-1");
    let key = |id: &str, status: &str| AccessKey { access_key_id: id.to_string(), status: status.to_string(), ..AccessKey::default() };
    account.iam = Observed::Known(Iam {
        users: Observed::Known(vec![
            User {
                user_name: "deploy".into(),
                arn: "arn:aws:iam::123456789012:user/deploy".into(),
                access_keys: Observed::Known(vec![key(KEY, "Active")]),
                ..User::default()
            },
            User {
                user_name: "old".into(),
                arn: "arn:aws:iam::123456789012:user/old".into(),
                access_keys: Observed::Known(vec![key(OLD_KEY, "Inactive")]),
                ..User::default()
            },
        ]),
        ..Iam::default()
    });
    inv.accounts.push(account);
    inv
}

#[test]
fn findings_against_the_account() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(&root.join("a/credentials"), creds(KEY, SECRET));
    write(&root.join("b.txt"), format!("{OLD_KEY}\n"));
    write(&root.join("c.txt"), "AKIA7XQ3MZ5B2N4KWJYT\n");
    write(&root.join("d.yaml"), format!("secret_key: {}\n", SECRET.replace('q', "Q")));
    let report = scan_paths(&[root], &ScanOptions::default()).unwrap();
    let now = time::macros::datetime!(2026-02-01 0:00 UTC);
    let inv = inventory();
    let fs = findings(&report.hits, Some(&inv), now);
    let got: Vec<_> = fs.iter().map(|f| (f.severity, f.resource.kind, f.resource.id.rsplit('/').next().unwrap().to_string())).collect();
    assert_eq!(
        got,
        vec![
            (Severity::Critical, ResourceType::AwsIamUser, "deploy".to_string()),
            (Severity::High, ResourceType::AwsIamUser, "old".to_string()),
            (Severity::Medium, ResourceType::Other, "c.txt".to_string()),
            (Severity::Medium, ResourceType::Other, "d.yaml".to_string()),
        ]
    );
    for f in &fs {
        assert_eq!(f.check_id, "secrets_exposed_access_key");
        assert_eq!(f.status, Status::Failed);
        assert_eq!(f.related_requirements, vec!["Trusted Advisor: Exposed Access Keys".to_string()]);
    }
    assert_eq!(fs[0].resource.account, "123456789012");
    assert!(fs[0].detail.starts_with(&format!("{KEY} at ")) && fs[0].detail.ends_with("credentials:2:21"), "{}", fs[0].detail);
    assert!(fs[3].detail.starts_with("secret Q8Vz… at "), "{}", fs[3].detail);
    assert!(fs[2].reason.contains("not an access key of the scanned account"), "{}", fs[2].reason);

    // Without an inventory nothing can be matched: all medium, and the reason says what to do.
    let blind = findings(&report.hits, None, now);
    assert!(blind.iter().all(|f| f.severity == Severity::Medium));
    assert!(blind[0].reason.contains("--snapshot"), "{}", blind[0].reason);

    // Stable ids: same key at the same place gives the same id; another place another id.
    let again = findings(&scan_paths(&[root], &ScanOptions::default()).unwrap().hits, Some(&inv), now);
    assert_eq!(fs.iter().map(|f| &f.id).collect::<Vec<_>>(), again.iter().map(|f| &f.id).collect::<Vec<_>>());
    write(&root.join("a/credentials"), format!("\n{}", creds(KEY, SECRET)));
    let moved = findings(&scan_paths(&[root], &ScanOptions::default()).unwrap().hits, Some(&inv), now);
    assert_ne!(moved[0].id, fs[0].id);
    assert_eq!(moved[1].id, fs[1].id);

    // No rendering leaks a secret.
    assert_no_secret(&format!("{report:?} {report:#?} {}", serde_json::to_string(&report).unwrap()));
    assert_no_secret(&format!("{fs:?} {}", serde_json::to_string(&fs).unwrap()));
    let shown: Vec<String> = report.hits.iter().map(|h| h.to_string()).collect();
    assert_no_secret(&shown.join("\n"));
}

#[test]
fn history_outputs_never_leak_the_secret() {
    let repo = new_repo();
    let dir = repo.path();
    write(&dir.join("k"), creds(KEY, SECRET));
    commit_all(dir, "k");
    write(&dir.join("s"), format!("aws_secret_access_key={OLD_SECRET}\n"));
    commit_all(dir, "s");
    let report = scan_git_history(dir, &ScanOptions::default()).unwrap();
    assert_eq!(report.hits.len(), 2);
    let fs = findings(&report.hits, Some(&inventory()), time::macros::datetime!(2026-02-01 0:00 UTC));
    let shown: Vec<String> = report.hits.iter().map(|h| h.to_string()).collect();
    assert_no_secret(&format!(
        "{report:?} {report:#?} {} {} {fs:?} {}",
        serde_json::to_string(&report).unwrap(),
        shown.join("\n"),
        serde_json::to_string(&fs).unwrap()
    ));
}
