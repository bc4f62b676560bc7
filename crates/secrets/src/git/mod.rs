//! Scanning a git repository's history with the `git` command-line tool.
//!
//! 1. `git rev-list --all --objects | git cat-file --batch-check`: every object reachable from
//!    any ref, once, with its type and size.
//! 2. `git cat-file --batch`: the contents of every blob within the size limit, streamed.
//! 3. Only when some blob has a hit: `git log --all --reverse --topo-order --raw -m` to find the
//!    first commit (and path) that introduces each such blob.
//!
//! Every command is read-only and runs as `git -C <repo>` with the file-system monitor off.

use crate::{detect, is_binary, Error, Hit, Match, ScanOptions, ScanReport, SkipReason, Skipped};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// Whether `path` is the top of a git work tree (`.git` inside it) or a bare repository.
pub fn is_git_repo(path: &Path) -> bool {
    path.join(".git").exists() || (path.join("HEAD").is_file() && path.join("objects").is_dir())
}

fn git(repo: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("-C")
        .arg(repo)
        .args(["-c", "core.fsmonitor=false", "--no-pager"])
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdin(Stdio::null())
        .stderr(Stdio::piped());
    c
}

fn failed(repo: &Path, command: &'static str, stderr: &[u8]) -> Error {
    Error::Git { repo: repo.to_path_buf(), command, message: String::from_utf8_lossy(stderr).trim().to_string() }
}

fn io_failed(repo: &Path, command: &'static str, e: std::io::Error) -> Error {
    Error::Git { repo: repo.to_path_buf(), command, message: e.to_string() }
}

/// Waits for a child whose stdout was consumed; fails with its stderr if it failed.
fn finish(repo: &Path, command: &'static str, child: Child) -> Result<(), Error> {
    let out = child.wait_with_output().map_err(|e| io_failed(repo, command, e))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(failed(repo, command, &out.stderr))
    }
}

/// A blob to scan: its id and one path it has (from `rev-list --objects`).
struct Blob {
    id: String,
    path: String,
}

/// Scans every blob reachable from any ref of `repo` (branches, tags, remotes, stash), each
/// blob once however many commits contain it. A hit's location is `<repo>/<path>` and the
/// first commit that introduces the blob.
pub fn scan_git_history(repo: &Path, opts: &ScanOptions) -> Result<ScanReport, Error> {
    let out = git(repo).args(["rev-parse", "--git-dir"]).output().map_err(Error::GitMissing)?;
    if !out.status.success() {
        return Err(Error::NotARepo {
            repo: repo.to_path_buf(),
            message: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    let mut report = ScanReport::default();
    let blobs = list_blobs(repo, opts, &mut report)?;
    tracing::debug!(repo = %repo.display(), blobs = blobs.len(), "scanning git blobs");
    let with_hits = scan_blobs(repo, &blobs, opts, &mut report)?;
    if with_hits.is_empty() {
        return Ok(report);
    }
    let firsts = first_commits(repo, with_hits.iter().map(|(i, _)| blobs[*i].id.as_str()))?;
    for (i, matches) in with_hits {
        let blob = &blobs[i];
        let (commit, path) = match firsts.get(&blob.id) {
            Some((c, p)) => (Some(c.clone()), p.as_str()),
            None => (None, blob.path.as_str()),
        };
        let shown = repo.join(path).display().to_string();
        for m in matches {
            report.hits.push(Hit::new(shown.clone(), commit.clone(), m));
        }
    }
    report.sort();
    Ok(report)
}

/// Blobs reachable from any ref, within the size limit; larger ones go to `skipped`.
fn list_blobs(repo: &Path, opts: &ScanOptions, report: &mut ScanReport) -> Result<Vec<Blob>, Error> {
    let mut rev_list = git(repo)
        .args(["rev-list", "--all", "--objects"])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(Error::GitMissing)?;
    let objects = rev_list.stdout.take().ok_or_else(|| failed(repo, "rev-list", b"no output pipe"))?;
    let mut check = git(repo)
        .args(["cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize) %(rest)"])
        .stdin(Stdio::from(objects))
        .stdout(Stdio::piped())
        .spawn()
        .map_err(Error::GitMissing)?;
    let stdout = check.stdout.take().ok_or_else(|| failed(repo, "cat-file --batch-check", b"no output pipe"))?;
    let mut blobs = Vec::new();
    for line in BufReader::new(stdout).split(b'\n') {
        let line = line.map_err(|e| io_failed(repo, "cat-file --batch-check", e))?;
        let line = String::from_utf8_lossy(&line);
        // `<id> <type> <size> <path>`; a path with a newline in it comes back as `<rest> missing`.
        let mut parts = line.splitn(4, ' ');
        let (Some(id), Some(kind), Some(size)) = (parts.next(), parts.next(), parts.next()) else { continue };
        let path = parts.next().unwrap_or("").to_string();
        if kind != "blob" {
            continue;
        }
        let Ok(size) = size.parse::<u64>() else { continue };
        if size > opts.max_file_size {
            report.skipped.push(Skipped {
                path: format!("{}@{id}", repo.join(&path).display()),
                reason: SkipReason::TooLarge { size, limit: opts.max_file_size },
            });
        } else if size > 0 {
            blobs.push(Blob { id: id.to_string(), path });
        }
    }
    finish(repo, "rev-list --all --objects", rev_list)?;
    finish(repo, "cat-file --batch-check", check)?;
    Ok(blobs)
}

/// Scans the blobs' contents; returns the index of each blob with matches, and its matches.
fn scan_blobs(repo: &Path, blobs: &[Blob], opts: &ScanOptions, report: &mut ScanReport) -> Result<Vec<(usize, Vec<Match>)>, Error> {
    const CMD: &str = "cat-file --batch";
    let mut child = git(repo)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(Error::GitMissing)?;
    let mut stdin = child.stdin.take().ok_or_else(|| failed(repo, CMD, b"no input pipe"))?;
    let stdout = child.stdout.take().ok_or_else(|| failed(repo, CMD, b"no output pipe"))?;
    let detect_opts = opts.detect_options();
    let mut with_hits = Vec::new();
    let read: Result<(), Error> = std::thread::scope(|s| {
        // Feed ids from another thread so that neither pipe can fill up and block both sides.
        s.spawn(move || {
            let mut w = std::io::BufWriter::new(&mut stdin);
            for b in blobs {
                if writeln!(w, "{}", b.id).is_err() {
                    break;
                }
            }
            // Dropping the writer and `stdin` closes the pipe: cat-file then exits.
            let _ = w.flush();
        });
        let mut r = BufReader::with_capacity(1 << 16, stdout);
        let mut header = Vec::new();
        let mut data = Vec::new();
        for (i, blob) in blobs.iter().enumerate() {
            header.clear();
            r.read_until(b'\n', &mut header).map_err(|e| io_failed(repo, CMD, e))?;
            let text = String::from_utf8_lossy(&header);
            let mut parts = text.split_ascii_whitespace();
            let (Some(_), Some(kind)) = (parts.next(), parts.next()) else {
                return Err(failed(repo, CMD, format!("unexpected header `{}`", text.trim()).as_bytes()));
            };
            if kind == "missing" {
                continue;
            }
            let size: usize = parts
                .next()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| failed(repo, CMD, format!("unexpected header `{}`", text.trim()).as_bytes()))?;
            data.resize(size + 1, 0);
            r.read_exact(&mut data).map_err(|e| io_failed(repo, CMD, e))?;
            let content = &data[..size];
            if is_binary(content) {
                report.skipped.push(Skipped { path: format!("{}@{}", repo.join(&blob.path).display(), blob.id), reason: SkipReason::Binary });
                continue;
            }
            report.scanned += 1;
            report.bytes += size as u64;
            let matches = detect(content, &detect_opts);
            if !matches.is_empty() {
                with_hits.push((i, matches));
            }
        }
        Ok(())
    });
    read?;
    finish(repo, CMD, child)?;
    Ok(with_hits)
}

/// For each wanted blob id, the first commit (oldest first) whose diff adds it, and its path.
fn first_commits<'a>(repo: &Path, wanted: impl Iterator<Item = &'a str>) -> Result<HashMap<String, (String, String)>, Error> {
    const CMD: &str = "log --raw";
    let mut want: HashMap<&str, ()> = wanted.map(|w| (w, ())).collect();
    let mut found = HashMap::new();
    let mut child = git(repo)
        .args(["log", "--all", "--reverse", "--topo-order", "--raw", "--no-abbrev", "--no-renames", "-m", "--root", "-z", "--format=%x01%H"])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(Error::GitMissing)?;
    let stdout = child.stdout.take().ok_or_else(|| failed(repo, CMD, b"no output pipe"))?;
    let mut commit = String::new();
    let mut pending: Option<String> = None;
    for token in BufReader::new(stdout).split(0) {
        let token = token.map_err(|e| io_failed(repo, CMD, e))?;
        if let Some(blob) = pending.take() {
            // The token after a raw diff line is its path.
            found.insert(blob, (commit.clone(), String::from_utf8_lossy(&token).into_owned()));
            if want.is_empty() {
                break;
            }
            continue;
        }
        let token = token.strip_prefix(b"\n").unwrap_or(&token);
        if let Some(id) = token.strip_prefix(b"\x01") {
            commit = String::from_utf8_lossy(id).trim().to_string();
        } else if token.starts_with(b":") {
            // `:<old mode> <new mode> <old id> <new id> <status>`
            let line = String::from_utf8_lossy(token);
            if let Some(new_id) = line.split(' ').nth(3) {
                if want.remove(new_id).is_some() {
                    pending = Some(new_id.to_string());
                }
            }
        }
    }
    if want.is_empty() {
        // Every blob is placed: the rest of the log is not needed.
        let _ = child.kill();
        let _ = child.wait();
    } else {
        finish(repo, CMD, child)?;
    }
    Ok(found)
}
