//! Scanning a git repository's history by reading its object database directly, in Rust.
//!
//! **Nothing in the repository is executed, and nothing outside it is read.** No `git`
//! binary runs, and no environment variable (`GIT_DIR`, `GIT_CONFIG_*`, ...), configuration
//! file (system, global, or the repository's own `.git/config`: `core.pager`, `core.fsmonitor`,
//! `gpg.program`, `diff.external`, textconv drivers, ...), `.gitattributes`, hook or
//! `commondir` is read at all: a repository is data here. Signatures (`gpgsig`) are neither
//! verified nor looked at. Scanning untrusted repositories is the point of this module, so it
//! also refuses to leave the directory it was given: a `.git` that is a symbolic link or a
//! `gitdir:` file pointing outside it, and `objects/info/alternates`, are not followed but
//! reported (see [`Repository::open`]).
//!
//! What is read:
//! 1. [`odb`]: every object present — loose (`objects/xx/…`) and packed (`objects/pack/*.pack`
//!    through its version-2 `.idx`, deltas resolved) — whether or not a ref reaches it, so a
//!    key in an amended-away commit or a dropped stash is found too (all objects are listed
//!    anyway, so this costs nothing extra).
//! 2. [`refs`]: the commits named by `HEAD`, `refs/`, `packed-refs` and worktree `HEAD`s.
//! 3. Every commit, parents before children (commits reachable from a ref first, then the
//!    others), and its tree: each blob is placed at the first commit and path where it
//!    appears — the commit whose diff introduces it, as `git log --all --reverse
//!    --topo-order --raw -m` would show it. Each tree is read once.
//! 4. Every blob within [`ScanOptions::max_file_size`], once, through the detector.
//!
//! Hostile input is bounded (object size limit, delta depth, exact inflated sizes, no
//! allocation from unchecked counts) and every object or file that cannot be read becomes a
//! [`SkipReason::Unreadable`] entry — the result is then incomplete — never a panic and never
//! a failed scan.

pub mod object;
pub mod odb;
pub mod pack;
pub mod refs;

use crate::{detect, Error, Hit, ScanOptions, ScanReport, SkipReason, Skipped};
use object::{parse_commit, parse_tag, parse_tree, Kind, Oid};
use odb::{Odb, Problem, ReadError};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How deep tags may point to tags.
const MAX_TAG_DEPTH: usize = 16;

/// Whether `path` is the top of a git work tree (a `.git` entry inside it, of any kind) or a
/// bare repository (`HEAD` and `objects/`).
pub fn is_git_repo(path: &Path) -> bool {
    std::fs::symlink_metadata(path.join(".git")).is_ok() || (path.join("HEAD").is_file() && path.join("objects").is_dir())
}

/// A repository opened for reading: its object database and what could not be read.
pub struct Repository {
    /// The directory given.
    root: PathBuf,
    git_dir: Option<PathBuf>,
    odb: Option<Odb>,
    problems: Vec<Problem>,
}

impl Repository {
    /// Opens the repository at `root` (a work tree with `.git`, or a bare repository). A
    /// `.git` symbolic link or `gitdir:` file is followed only when its target is inside
    /// `root`; otherwise the repository opens empty with a [`Problem`] saying so.
    pub fn open(root: &Path) -> Result<Repository, Error> {
        let mut problems = Vec::new();
        let git_dir = locate(root, &mut problems)?;
        let odb = git_dir.as_deref().map(|d| Odb::open(d, &mut problems));
        Ok(Repository { root: root.to_path_buf(), git_dir, odb, problems })
    }

    /// Every object present, each once.
    pub fn objects(&self) -> &[odb::Info] {
        self.odb.as_ref().map_or(&[], |o| o.objects())
    }

    /// Reads one object, at most `limit` bytes.
    pub fn read(&mut self, id: &Oid, limit: u64) -> Result<(Kind, Arc<Vec<u8>>), ReadError> {
        self.odb.as_mut().ok_or(ReadError::Missing)?.read(id, limit)
    }

    /// What could not be read so far: `(where, why)`.
    pub fn problems(&self) -> impl Iterator<Item = (&str, &str)> {
        self.problems.iter().map(|p| (p.at.as_str(), p.message.as_str()))
    }
}

/// Finds the git directory of `root`, never outside it.
fn locate(root: &Path, problems: &mut Vec<Problem>) -> Result<Option<PathBuf>, Error> {
    let not_a_repo = |message: &str| Error::NotARepo { repo: root.to_path_buf(), message: message.to_string() };
    let dot_git = root.join(".git");
    let meta = match std::fs::symlink_metadata(&dot_git) {
        Ok(m) => m,
        Err(_) if root.join("HEAD").is_file() && root.join("objects").is_dir() => return Ok(Some(root.to_path_buf())),
        Err(_) => return Err(not_a_repo("no `.git` in it, and not a bare repository (`HEAD` and `objects/`)")),
    };
    if meta.is_dir() {
        return Ok(Some(dot_git));
    }
    let target = if meta.file_type().is_symlink() {
        dot_git.clone()
    } else if meta.is_file() && meta.len() <= 4096 {
        // `gitdir: <path>` (gitrepository-layout(5)): a submodule or a linked worktree.
        let text = match std::fs::read(&dot_git) {
            Ok(t) => t,
            Err(e) => {
                problems.push(Problem::new(dot_git.display().to_string(), format!("{e}: history not scanned")));
                return Ok(None);
            }
        };
        let line = text.split(|&b| b == b'\n').next().unwrap_or_default();
        let Some(rel) = line.strip_prefix(b"gitdir: ") else {
            problems.push(Problem::new(dot_git.display().to_string(), "a file without a `gitdir:` line: history not scanned"));
            return Ok(None);
        };
        root.join(String::from_utf8_lossy(rel).trim())
    } else {
        problems.push(Problem::new(dot_git.display().to_string(), "neither a directory, a link nor a `gitdir:` file: history not scanned"));
        return Ok(None);
    };
    let inside = match (target.canonicalize(), root.canonicalize()) {
        (Ok(t), Ok(r)) if t.starts_with(&r) && t.is_dir() => Some(t),
        (Ok(t), Ok(_)) if t.is_dir() => {
            problems.push(Problem::new(
                dot_git.display().to_string(),
                format!("points outside the scanned directory, to `{}`: not followed, history not scanned", t.display()),
            ));
            None
        }
        _ => {
            problems.push(Problem::new(dot_git.display().to_string(), "points to no directory: history not scanned"));
            None
        }
    };
    Ok(inside)
}

/// Scans every blob in the object database of `repo` (reachable from a ref or not), each once.
/// A hit's location is `<repo>/<path>` and the first commit that introduces the blob; a blob
/// no commit contains is shown as `<repo>@<blob id>` without a commit.
pub fn scan_git_history(repo: &Path, opts: &ScanOptions) -> Result<ScanReport, Error> {
    let mut r = Repository::open(repo)?;
    let mut report = ScanReport::default();
    let places = match r.git_dir.clone() {
        Some(git_dir) => place_blobs(&mut r, &git_dir, opts.max_file_size),
        None => HashMap::new(),
    };
    let show = |id: &Oid, places: &HashMap<Oid, (Oid, Vec<u8>)>| match places.get(id) {
        Some((commit, path)) => (repo.join(String::from_utf8_lossy(path).as_ref()).display().to_string(), Some(commit.to_string())),
        None => (format!("{}@{id}", repo.display()), None),
    };
    let blobs: Vec<odb::Info> = r.objects().iter().filter(|o| o.kind == Kind::Blob && o.size > 0).copied().collect();
    tracing::debug!(repo = %repo.display(), blobs = blobs.len(), "scanning git blobs");
    let detect_opts = opts.detect_options();
    for blob in blobs {
        let skipped = |reason| {
            let (path, _) = show(&blob.id, &places);
            let path = if places.contains_key(&blob.id) { format!("{path}@{}", blob.id) } else { path };
            Skipped { path, reason }
        };
        if blob.size > opts.max_file_size {
            report.skipped.push(skipped(SkipReason::TooLarge { size: blob.size, limit: opts.max_file_size }));
            continue;
        }
        let data = match r.read(&blob.id, opts.max_file_size) {
            Ok((_, d)) => d,
            Err(ReadError::TooLarge { size, limit }) => {
                report.skipped.push(skipped(SkipReason::TooLarge { size, limit }));
                continue;
            }
            Err(e) => {
                report.skipped.push(skipped(SkipReason::Unreadable { message: format!("cannot read git object: {e}") }));
                continue;
            }
        };
        let Some(text) = crate::text::decode(&data) else {
            report.skipped.push(skipped(SkipReason::Binary));
            continue;
        };
        report.scanned += 1;
        report.bytes += data.len() as u64;
        let matches = detect(&text, &detect_opts);
        if !matches.is_empty() {
            let (path, commit) = show(&blob.id, &places);
            for m in matches {
                report.hits.push(Hit::new(path.clone(), commit.clone(), m));
            }
        }
    }
    for p in r.problems.drain(..) {
        report.skipped.push(Skipped { path: p.at, reason: SkipReason::Unreadable { message: p.message } });
    }
    report.sort();
    Ok(report)
}

/// A regular file of at most 64 MiB (`shallow` lists 41 bytes per commit), or `None`.
fn read_small(path: &Path, problems: &mut Vec<Problem>) -> Option<Vec<u8>> {
    std::fs::symlink_metadata(path).ok()?;
    match odb::regular_file(path) {
        Ok(m) if m.len() <= 64 << 20 => {
            std::fs::read(path).map_err(|e| problems.push(Problem::new(path.display().to_string(), e.to_string()))).ok()
        }
        Ok(_) => {
            problems.push(Problem::new(path.display().to_string(), "larger than 64 MiB: not read"));
            None
        }
        Err(p) => {
            problems.push(p);
            None
        }
    }
}

/// For every blob some commit contains: the first such commit and the blob's path in it.
fn place_blobs(r: &mut Repository, git_dir: &Path, limit: u64) -> HashMap<Oid, (Oid, Vec<u8>)> {
    let mut problems = Vec::new();
    let tips = refs::tips(git_dir, &mut problems);
    let shallow: HashSet<Oid> = read_small(&git_dir.join("shallow"), &mut problems)
        .map(|t| t.split(|&b| b == b'\n').filter_map(Oid::from_hex).collect())
        .unwrap_or_default();

    // Every commit present.
    let mut commits: HashMap<Oid, object::Commit> = HashMap::new();
    let ids: Vec<Oid> = r.objects().iter().filter(|o| o.kind == Kind::Commit).map(|o| o.id).collect();
    for id in ids {
        match r.read(&id, limit).map_err(|e| e.to_string()).and_then(|(_, d)| parse_commit(&d).map_err(|e| e.to_string())) {
            Ok(c) => {
                commits.insert(id, c);
            }
            Err(e) => problems.push(Problem::new(format!("commit {id}"), e)),
        }
    }

    // Reachable from a ref (tags peeled).
    let mut reachable: HashSet<Oid> = HashSet::new();
    let mut stack: Vec<Oid> = Vec::new();
    for tip in tips {
        let mut id = tip;
        for _ in 0..MAX_TAG_DEPTH {
            match r.read(&id, limit) {
                Ok((Kind::Tag, d)) => match parse_tag(&d) {
                    Ok((target, _)) => id = target,
                    Err(e) => {
                        problems.push(Problem::new(format!("tag {id}"), e.to_string()));
                        break;
                    }
                },
                _ => break,
            }
        }
        if commits.contains_key(&id) {
            stack.push(id);
        }
    }
    while let Some(id) = stack.pop() {
        if reachable.insert(id) {
            stack.extend(commits[&id].parents.iter().filter(|p| commits.contains_key(p)));
        }
    }

    // Parents before children; among commits ready at once, reachable ones first, then the
    // oldest. Missing parents (not in a shallow clone) are reported.
    let mut pending: HashMap<Oid, usize> = HashMap::new();
    let mut children: HashMap<Oid, Vec<Oid>> = HashMap::new();
    for (id, c) in &commits {
        let mut n = 0;
        for p in &c.parents {
            if commits.contains_key(p) {
                n += 1;
                children.entry(*p).or_default().push(*id);
            } else if !shallow.contains(id) {
                problems.push(Problem::new(format!("commit {p}"), format!("parent of {id} is not in the repository")));
            }
        }
        pending.insert(*id, n);
    }
    let key = |id: &Oid| Reverse((!reachable.contains(id), commits[id].time, *id));
    let mut ready: BinaryHeap<Reverse<(bool, i64, Oid)>> = pending.iter().filter(|(_, n)| **n == 0).map(|(id, _)| key(id)).collect();
    let mut order = Vec::with_capacity(commits.len());
    while let Some(Reverse((_, _, id))) = ready.pop() {
        order.push(id);
        for child in children.get(&id).into_iter().flatten() {
            let n = pending.get_mut(child).expect("every child is a commit with a pending count");
            *n -= 1;
            if *n == 0 {
                ready.push(key(child));
            }
        }
    }
    // Commits in a parent cycle (possible only with forged ids) still get walked.
    if order.len() < commits.len() {
        let placed: HashSet<Oid> = order.iter().copied().collect();
        let mut rest: Vec<Oid> = commits.keys().filter(|id| !placed.contains(id)).copied().collect();
        rest.sort();
        order.extend(rest);
    }

    let mut places: HashMap<Oid, (Oid, Vec<u8>)> = HashMap::new();
    let mut seen_trees: HashSet<Oid> = HashSet::new();
    let mut missing: HashSet<Oid> = HashSet::new();
    for commit in order {
        let mut trees = vec![(commits[&commit].tree, Vec::new())];
        while let Some((tree, prefix)) = trees.pop() {
            if !seen_trees.insert(tree) {
                continue;
            }
            let data = match r.read(&tree, limit) {
                Ok((Kind::Tree, d)) => d,
                Ok(_) => {
                    problems.push(Problem::new(format!("tree {tree}"), "is not a tree"));
                    continue;
                }
                Err(ReadError::Missing) => {
                    if missing.insert(tree) {
                        problems.push(Problem::new(format!("tree {tree}"), format!("not in the repository (in commit {commit})")));
                    }
                    continue;
                }
                Err(e) => {
                    problems.push(Problem::new(format!("tree {tree}"), e.to_string()));
                    continue;
                }
            };
            let entries = match parse_tree(&data) {
                Ok(e) => e,
                Err(e) => {
                    problems.push(Problem::new(format!("tree {tree}"), e.to_string()));
                    continue;
                }
            };
            // A blob at two paths of one commit keeps the first path of this tree's listing
            // (a tree's own blobs before those of its subtrees).
            let mut subtrees = Vec::new();
            for e in &entries {
                let mut path = prefix.clone();
                if !path.is_empty() {
                    path.push(b'/');
                }
                path.extend_from_slice(e.name);
                if e.is_tree() {
                    subtrees.push((e.id, path));
                } else if !e.is_gitlink() && !places.contains_key(&e.id) {
                    if !r.odb.as_ref().is_some_and(|o| o.contains(&e.id)) {
                        if missing.insert(e.id) {
                            let shown = r.root.join(String::from_utf8_lossy(&path).as_ref()).display().to_string();
                            problems.push(Problem::new(
                                format!("{shown}@{}", e.id),
                                format!("blob not in the repository (in commit {commit})"),
                            ));
                        }
                        continue;
                    }
                    places.insert(e.id, (commit, path));
                }
            }
            trees.extend(subtrees.into_iter().rev());
        }
    }
    r.problems.extend(problems);
    places
}
