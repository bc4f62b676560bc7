//! Repositories built to attack the scanner: each plants a program that would create a
//! marker file if anything in the repository's configuration, attributes or hooks were run,
//! and checks that the marker never appears while the key planted in history is still found.
//! Then a differential test: the objects Rampart reads are exactly the ones `git cat-file
//! --batch-all-objects` lists, with the same contents, in loose and packed (delta) form.
//!
//! The real `git` binary builds the repositories (and, where it can without a terminal,
//! proves that each planted vector is live by triggering it once); Rampart never runs it.

use rampart_secrets::git::object::Kind;
use rampart_secrets::git::Repository;
use rampart_secrets::{scan_git_history, scan_paths, ScanOptions, ScanReport, SkipReason};
use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

// Made-up keys in AWS's formats; none is real.
const KEY: &str = "AKIA2E3FVJ5N7QZXWL4D";
const SECRET: &str = "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";
const OTHER_KEY: &str = "AKIAQ4XN6P2W3YHJ7KEM";

/// Runs the real git with no user or system configuration, so only the repository's own
/// configuration (the attack) applies.
fn git_output(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .unwrap_or_else(|e| panic!("these tests build repositories with the git binary, which cannot run ({e}): apt-get install git"))
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = git_output(dir, args);
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn write(path: &Path, data: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, data).unwrap();
}

/// A repository whose history (not its work tree) holds `KEY`/`SECRET` in `deploy/.env`.
fn repo_with_key_in_history(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    git(dir, &["init", "-q", "-b", "main"]);
    write(&dir.join("README.md"), "hello\n");
    write(&dir.join("deploy/.env"), format!("AWS_ACCESS_KEY_ID={KEY}\nAWS_SECRET_ACCESS_KEY={SECRET}\n"));
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "add"]);
    git(dir, &["rm", "-q", "deploy/.env"]);
    git(dir, &["commit", "-q", "-m", "remove"]);
}

/// A program that creates `marker` when run, and `marker`.
fn plant(tmp: &Path) -> (PathBuf, PathBuf) {
    let marker = tmp.join("MARKER");
    let program = tmp.join("evil.sh");
    std::fs::write(&program, format!("#!/bin/sh\ntouch '{}'\ncat >/dev/null 2>&1\nexit 0\n", marker.display())).unwrap();
    std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
    (program, marker)
}

/// Proves a vector is live: running `git args` in `dir` creates the marker. Then removes it.
fn prove_live(dir: &Path, marker: &Path, args: &[&str]) {
    let _ = git_output(dir, args);
    assert!(marker.exists(), "test setup: `git {args:?}` should run the planted program, or this test proves nothing");
    std::fs::remove_file(marker).unwrap();
}

/// Scans `dir` (work tree and history) and checks that nothing ran and the key was found.
fn assert_scanned_safely(dir: &Path, marker: &Path) -> ScanReport {
    let opts = ScanOptions::default();
    let files = scan_paths(&[dir], &opts).unwrap();
    let history = scan_git_history(dir, &opts).unwrap();
    assert!(!marker.exists(), "scanning ran a program the repository configures");
    assert!(history.hits.iter().any(|h| h.key_id.as_deref() == Some(KEY)), "key in history not found: {history:?}");
    let mut all = files;
    all.merge(history);
    all
}

#[test]
fn gpg_program_with_show_signature_and_a_signed_commit_is_not_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("repo");
    repo_with_key_in_history(&dir);
    let (program, marker) = plant(tmp.path());
    // A commit with a `gpgsig` header, written by hand.
    let tree = git(&dir, &["rev-parse", "HEAD^{tree}"]);
    let head = git(&dir, &["rev-parse", "HEAD"]);
    let commit = format!(
        "tree {tree}\nparent {head}\nauthor t <t@example.com> 1700000000 +0000\ncommitter t <t@example.com> 1700000000 +0000\n\
         gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n\nsigned\n"
    );
    let commit_file = tmp.path().join("commit.txt");
    std::fs::write(&commit_file, commit).unwrap();
    let signed = git(&dir, &["hash-object", "-t", "commit", "-w", commit_file.to_str().unwrap()]);
    git(&dir, &["update-ref", "refs/heads/main", &signed]);
    git(&dir, &["config", "log.showSignature", "true"]);
    git(&dir, &["config", "gpg.program", program.to_str().unwrap()]);
    prove_live(&dir, &marker, &["log", "-1"]);
    assert_scanned_safely(&dir, &marker);
}

#[test]
fn pager_settings_are_not_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("repo");
    repo_with_key_in_history(&dir);
    let (program, marker) = plant(tmp.path());
    for key in ["core.pager", "pager.log", "pager.cat-file", "pager.rev-list"] {
        git(&dir, &["config", key, program.to_str().unwrap()]);
    }
    // A pager starts only on a terminal: util-linux's `script` gives git one.
    let on_a_tty = Command::new("script")
        .args(["-qec", "git --no-pager version >/dev/null; git log -1", "/dev/null"])
        .current_dir(&dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap_or_else(|e| panic!("`script` runs git on a terminal to prove the pager vector ({e}): apt-get install util-linux"));
    assert!(marker.exists(), "test setup: git on a terminal should run the planted pager: {on_a_tty:?}");
    std::fs::remove_file(&marker).unwrap();
    assert_scanned_safely(&dir, &marker);
}

#[test]
fn external_diff_and_textconv_drivers_are_not_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("repo");
    repo_with_key_in_history(&dir);
    let (program, marker) = plant(tmp.path());
    write(&dir.join(".gitattributes"), "* diff=evil\n");
    git(&dir, &["add", ".gitattributes"]);
    git(&dir, &["commit", "-q", "-m", "attributes"]);
    git(&dir, &["config", "diff.evil.textconv", program.to_str().unwrap()]);
    git(&dir, &["config", "diff.external", program.to_str().unwrap()]);
    prove_live(&dir, &marker, &["log", "-p", "--ext-diff", "-2"]);
    prove_live(&dir, &marker, &["log", "-p", "--no-ext-diff", "-3"]);
    assert_scanned_safely(&dir, &marker);
}

#[test]
fn fsmonitor_is_not_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("repo");
    repo_with_key_in_history(&dir);
    let (program, marker) = plant(tmp.path());
    git(&dir, &["config", "core.fsmonitor", program.to_str().unwrap()]);
    prove_live(&dir, &marker, &["status"]);
    assert_scanned_safely(&dir, &marker);
}

#[test]
fn hooks_are_not_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("repo");
    repo_with_key_in_history(&dir);
    let (program, marker) = plant(tmp.path());
    let script = std::fs::read(&program).unwrap();
    for hook in ["post-checkout", "post-merge", "pre-commit", "post-commit", "pre-auto-gc", "post-index-change", "reference-transaction"] {
        let path = dir.join(".git/hooks").join(hook);
        write(&path, &script);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    // And hooks elsewhere through core.hooksPath.
    git(&dir, &["config", "core.hooksPath", dir.join(".git/hooks").to_str().unwrap()]);
    prove_live(&dir, &marker, &["checkout", "-q", "-b", "other"]);
    assert_scanned_safely(&dir, &marker);
}

#[test]
fn dot_git_file_pointing_outside_is_not_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    repo_with_key_in_history(&outside);
    let (program, marker) = plant(tmp.path());
    git(&outside, &["config", "core.fsmonitor", program.to_str().unwrap()]);
    git(&outside, &["config", "log.showSignature", "true"]);
    git(&outside, &["config", "gpg.program", program.to_str().unwrap()]);
    let scanned = tmp.path().join("scanned");
    write(&scanned.join(".git"), format!("gitdir: {}\n", outside.join(".git").display()));
    write(&scanned.join("creds"), format!("aws_access_key_id = {OTHER_KEY}\n"));

    let history = scan_git_history(&scanned, &ScanOptions::default()).unwrap();
    assert!(history.hits.is_empty(), "the outside repository was read: {history:?}");
    assert_eq!(history.incomplete(), 1, "{:?}", history.skipped);
    assert!(history.warnings(10)[0].contains("points outside the scanned directory"), "{:?}", history.warnings(10));
    // The same through a symbolic link.
    let linked = tmp.path().join("linked");
    std::fs::create_dir(&linked).unwrap();
    std::os::unix::fs::symlink(outside.join(".git"), linked.join(".git")).unwrap();
    let via_link = scan_git_history(&linked, &ScanOptions::default()).unwrap();
    assert!(via_link.hits.is_empty() && via_link.incomplete() == 1, "{via_link:?}");

    let files = scan_paths(&[&scanned], &ScanOptions::default()).unwrap();
    assert_eq!(files.hits.iter().map(|h| h.key_id.clone().unwrap()).collect::<Vec<_>>(), vec![OTHER_KEY.to_string()]);
    assert!(!marker.exists());

    // A `gitdir:` inside the directory (a submodule's layout) is followed.
    let parent = tmp.path().join("parent");
    std::fs::create_dir(&parent).unwrap();
    std::fs::rename(outside.join(".git"), parent.join("modules.git")).unwrap();
    write(&parent.join(".git"), "gitdir: modules.git\n");
    let inside = scan_git_history(&parent, &ScanOptions::default()).unwrap();
    assert!(inside.hits.iter().any(|h| h.key_id.as_deref() == Some(KEY)), "{inside:?}");
    assert!(!marker.exists());

    // A `.git` file that is not a `gitdir:` file: history not scanned, said, and not an error.
    let odd = tmp.path().join("odd");
    write(&odd.join(".git"), "garbage\n");
    let report = scan_git_history(&odd, &ScanOptions::default()).unwrap();
    assert_eq!(report.incomplete(), 1);
    assert!(report.warnings(1)[0].contains("without a `gitdir:` line"), "{:?}", report.warnings(1));
}

#[test]
fn alternates_pointing_outside_are_not_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    repo_with_key_in_history(&outside);
    let (program, marker) = plant(tmp.path());
    let dir = tmp.path().join("clone");
    git(tmp.path(), &["clone", "-q", "--shared", outside.to_str().unwrap(), dir.to_str().unwrap()]);
    assert!(dir.join(".git/objects/info/alternates").exists());
    // The clone's own history has another key.
    write(&dir.join("more.env"), format!("AWS_ACCESS_KEY_ID={OTHER_KEY}\nAWS_SECRET_ACCESS_KEY={SECRET}\n"));
    git(&dir, &["add", "more.env"]);
    git(&dir, &["commit", "-q", "-m", "more"]);
    git(&dir, &["rm", "-q", "more.env"]);
    git(&dir, &["commit", "-q", "-m", "less"]);
    git(&dir, &["config", "core.fsmonitor", program.to_str().unwrap()]);

    let report = scan_git_history(&dir, &ScanOptions::default()).unwrap();
    assert!(!marker.exists());
    let keys: Vec<_> = report.hits.iter().filter_map(|h| h.key_id.clone()).collect();
    assert_eq!(keys, vec![OTHER_KEY.to_string()], "only the clone's own objects are read");
    assert!(report.incomplete() > 0);
    assert!(report.warnings(50).iter().any(|w| w.contains("alternates") && w.contains("not followed")), "{:?}", report.warnings(50));
}

/// `(kind, content)` of every object, as `git cat-file --batch-all-objects --batch` gives them.
fn git_objects(dir: &Path) -> BTreeMap<String, (String, Vec<u8>)> {
    let out = git_output(dir, &["cat-file", "--batch-all-objects", "--batch"]);
    assert!(out.status.success());
    let mut data = &out.stdout[..];
    let mut objects = BTreeMap::new();
    while !data.is_empty() {
        let nl = data.iter().position(|&b| b == b'\n').unwrap();
        let header = String::from_utf8(data[..nl].to_vec()).unwrap();
        let mut parts = header.split(' ');
        let (id, kind, size) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap().parse::<usize>().unwrap());
        objects.insert(id.to_string(), (kind.to_string(), data[nl + 1..nl + 1 + size].to_vec()));
        data = &data[nl + 2 + size..];
    }
    objects
}

fn rampart_objects(dir: &Path) -> BTreeMap<String, (String, Vec<u8>)> {
    let mut repo = Repository::open(dir).unwrap();
    assert_eq!(repo.problems().count(), 0, "{:?}", repo.problems().collect::<Vec<_>>());
    let infos: Vec<_> = repo.objects().to_vec();
    infos
        .iter()
        .map(|info| {
            let (kind, data) = repo.read(&info.id, u64::MAX).unwrap();
            assert_eq!((kind, data.len() as u64), (info.kind, info.size));
            let name = match kind {
                Kind::Commit => "commit",
                Kind::Tree => "tree",
                Kind::Blob => "blob",
                Kind::Tag => "tag",
            };
            (info.id.to_string(), (name.to_string(), data.to_vec()))
        })
        .collect()
}

fn assert_same_objects(dir: &Path) -> usize {
    let (ours, theirs) = (rampart_objects(dir), git_objects(dir));
    let ids = |m: &BTreeMap<String, (String, Vec<u8>)>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(ids(&ours), ids(&theirs));
    for (id, (kind, data)) in &theirs {
        assert!(ours[id] == (kind.clone(), data.clone()), "object {id} ({kind}) differs");
    }
    theirs.values().filter(|(k, _)| k == "blob").count()
}

#[test]
fn reads_the_same_objects_as_git_loose_and_packed_with_deltas() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("repo");
    repo_with_key_in_history(&dir);
    // Many versions of one file (deltas once packed), a branch, tags of both kinds, a blob
    // no commit holds, and a commit no ref reaches.
    let mut text = String::new();
    for i in 0..60 {
        text.push_str(&format!("line {i}: {}\n", "lorem ipsum dolor sit amet ".repeat(3)));
        write(&dir.join("src/big.txt"), &text);
        git(&dir, &["add", "-A"]);
        git(&dir, &["commit", "-q", "-m", &format!("v{i}")]);
    }
    git(&dir, &["branch", "side", "HEAD~30"]);
    git(&dir, &["tag", "light", "HEAD~10"]);
    git(&dir, &["tag", "-a", "-m", "annotated", "v1", "HEAD~5"]);
    let stray = tmp.path().join("stray");
    std::fs::write(&stray, format!("aws_access_key_id = {OTHER_KEY}\n")).unwrap();
    let stray_id = git(&dir, &["hash-object", "-w", stray.to_str().unwrap()]);
    git(&dir, &["commit", "-q", "--amend", "-m", "amended"]);

    let loose_blobs = assert_same_objects(&dir);
    assert!(loose_blobs > 60, "{loose_blobs}");

    git(&dir, &["gc", "-q", "--aggressive", "--prune=never"]);
    assert!(dir.join(".git/packed-refs").exists());
    let packs: Vec<_> = std::fs::read_dir(dir.join(".git/objects/pack")).unwrap().filter_map(|e| e.ok()).collect();
    // gc writes the reachable objects to one pack and the unreachable ones to a cruft pack.
    let idx = packs
        .iter()
        .filter(|e| e.path().extension().is_some_and(|x| x == "idx"))
        .max_by_key(|e| e.metadata().unwrap().len())
        .expect("gc wrote a pack")
        .path();
    let verify = git(&dir, &["verify-pack", "-v", idx.to_str().unwrap()]);
    let deltas = verify.lines().filter(|l| l.split_whitespace().count() == 7).count();
    assert!(deltas > 20, "the pack should hold deltas:\n{verify}");
    let packed_blobs = assert_same_objects(&dir);
    assert_eq!(packed_blobs, loose_blobs);

    // The history scan reads them too: the stray blob is found without a commit.
    let report = scan_git_history(&dir, &ScanOptions::default()).unwrap();
    assert_eq!(report.incomplete(), 0, "{:?}", report.skipped);
    let stray_hit = report.hits.iter().find(|h| h.key_id.as_deref() == Some(OTHER_KEY)).expect("stray blob scanned");
    assert_eq!(stray_hit.location.commit, None);
    assert!(stray_hit.location.path.ends_with(&format!("@{stray_id}")), "{}", stray_hit.location.path);
}

#[test]
fn malformed_objects_are_warnings_not_panics() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("repo");
    repo_with_key_in_history(&dir);
    // A loose object whose zlib stream is garbage, and one whose header lies about its size.
    let objects = dir.join(".git/objects/ab");
    std::fs::create_dir_all(&objects).unwrap();
    std::fs::write(objects.join("0".repeat(38)), b"not zlib at all").unwrap();
    let mut lying = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut lying, b"blob 1000\0short").unwrap();
    std::fs::write(objects.join("1".repeat(38)), lying.finish().unwrap()).unwrap();
    // A pack without an index, a pack index that is garbage, and a FIFO as an object.
    std::fs::write(dir.join(".git/objects/pack/pack-x.pack"), b"PACK\0\0\0\x02\xff\xff\xff\xff").unwrap();
    std::fs::write(dir.join(".git/objects/pack/pack-y.idx"), b"\xfftOc\0\0\0\x02garbage").unwrap();
    std::fs::write(dir.join(".git/objects/pack/pack-y.pack"), b"PACK").unwrap();
    let fifo = objects.join("2".repeat(38));
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success(), "mkfifo (coreutils) is needed");

    let report = scan_git_history(&dir, &ScanOptions::default()).unwrap();
    assert!(report.hits.iter().any(|h| h.key_id.as_deref() == Some(KEY)));
    let warnings = report.warnings(100);
    for what in ["zlib", "header says 1000", "pack without an index", "pack-y.pack", "not a regular file"] {
        assert!(warnings.iter().any(|w| w.contains(what)), "no warning with `{what}`: {warnings:#?}");
    }
    assert!(report.skipped.iter().all(|s| matches!(s.reason, SkipReason::Unreadable { .. })));
}

/// A deterministic stand-in for the fuzz targets in `fuzz/` (which need nightly): a real pack
/// and its index with bytes flipped, and real loose objects cut and flipped, never make the
/// reader panic, and what it does read has the size the pack states.
#[test]
fn corrupted_packs_and_loose_objects_never_panic() {
    use rampart_secrets::git::odb::read_loose_from;
    use rampart_secrets::git::pack::Pack;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("repo");
    repo_with_key_in_history(&dir);
    let mut text = String::new();
    for i in 0..12 {
        text.push_str(&format!("line {i} of a file that changes a little each time\n"));
        write(&dir.join("f.txt"), &text);
        git(&dir, &["commit", "-q", "-am", &format!("v{i}"), "--allow-empty"]);
        if i == 0 {
            git(&dir, &["add", "f.txt"]);
            git(&dir, &["commit", "-q", "-m", "add f"]);
        }
    }
    let loose: Vec<Vec<u8>> = git(&dir, &["rev-list", "--all", "--objects"])
        .lines()
        .map(|l| {
            let id = &l[..40];
            std::fs::read(dir.join(".git/objects").join(&id[..2]).join(&id[2..])).unwrap()
        })
        .collect();
    git(&dir, &["gc", "-q", "--aggressive"]);
    let pack_dir = dir.join(".git/objects/pack");
    let find = |ext: &str| {
        std::fs::read_dir(&pack_dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == ext))
            .unwrap()
    };
    let (pack, idx) = (std::fs::read(find("pack")).unwrap(), std::fs::read(find("idx")).unwrap());

    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut rand = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut read_ok = 0;
    for round in 0..400 {
        let (mut p, mut x) = (pack.clone(), idx.clone());
        for _ in 0..1 + rand() % 4 {
            let target = if round % 4 == 0 { &mut x } else { &mut p };
            let at = (rand() % target.len() as u64) as usize;
            target[at] ^= 1 << (rand() % 8);
        }
        let Ok(mut opened) = Pack::new(Box::new(p.clone()), p.len() as u64, &x) else { continue };
        for o in opened.list().into_iter().flatten() {
            if let Ok((kind, data)) = opened.read_at(o.offset, 1 << 20) {
                assert_eq!((kind, data.len() as u64), (o.kind, o.size));
                read_ok += 1;
            }
        }
    }
    assert!(read_ok > 1000, "the corruptions should leave most objects readable: {read_ok}");
    for (i, object) in loose.iter().enumerate() {
        for cut in [0, 1, object.len() / 2, object.len().saturating_sub(1)] {
            let _ = read_loose_from(&object[..cut], 1 << 20);
        }
        let mut flipped = object.clone();
        let at = (rand() % flipped.len() as u64) as usize;
        flipped[at] ^= 0x40;
        if let Ok((_, data)) = read_loose_from(&flipped[..], 1 << 20) {
            assert!(data.len() <= 1 << 20, "object {i}");
        }
    }
}

/// Links inside the git directory (a pack directory, a `shallow` file) are not followed: a
/// link to `/dev/zero` would never end, and one outside leaves the repository.
#[test]
fn links_inside_the_git_directory_are_not_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("repo");
    repo_with_key_in_history(&dir);
    let outside = tmp.path().join("outside");
    repo_with_key_in_history(&outside);
    git(&outside, &["gc", "-q"]);
    let pack = dir.join(".git/objects/pack");
    std::fs::remove_dir(&pack).unwrap();
    std::os::unix::fs::symlink(outside.join(".git/objects/pack"), &pack).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.join(".git/shallow")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.join(".git/refs/heads/zero")).unwrap();

    let report = scan_git_history(&dir, &ScanOptions::default()).unwrap();
    assert!(report.hits.iter().any(|h| h.key_id.as_deref() == Some(KEY)), "own loose objects still read");
    let warnings = report.warnings(50);
    for what in ["objects/pack", "shallow", "refs/heads/zero"] {
        assert!(warnings.iter().any(|w| w.contains(what) && w.contains("not followed")), "no warning for `{what}`: {warnings:#?}");
    }
}

/// A key in a commit no ref reaches any more (amended away) is found, at that commit.
#[test]
fn a_key_in_an_amended_away_commit_is_found_at_that_commit() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("repo");
    std::fs::create_dir(&dir).unwrap();
    git(&dir, &["init", "-q", "-b", "main"]);
    write(&dir.join("app.cfg"), "x = 1\n");
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-q", "-m", "init"]);
    write(&dir.join("app.cfg"), format!("x = 1\naws_access_key_id = {KEY}\n"));
    git(&dir, &["commit", "-q", "-am", "oops"]);
    let dangling = git(&dir, &["rev-parse", "HEAD"]);
    write(&dir.join("app.cfg"), "x = 2\n");
    git(&dir, &["commit", "-q", "--amend", "-am", "fixed"]);
    git(&dir, &["reflog", "expire", "--expire=now", "--all"]);
    assert!(!git(&dir, &["rev-list", "--all"]).contains(&dangling), "no ref reaches it");

    let report = scan_git_history(&dir, &ScanOptions::default()).unwrap();
    assert_eq!(report.hits.len(), 1, "{report:?}");
    assert_eq!(report.hits[0].location.commit.as_deref(), Some(dangling.as_str()));
    assert_eq!(report.hits[0].location.path, dir.join("app.cfg").display().to_string());
}
