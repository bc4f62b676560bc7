//! The commits that refs name: `HEAD`, loose refs under `refs/`, `packed-refs`, and the
//! `HEAD` of each linked worktree (`worktrees/*/HEAD`), as `git rev-list --all` takes them.
//!
//! Refs only decide which commits count as reachable (they are walked first); every commit
//! in the object database is walked either way. Links are not followed; a ref file larger
//! than [`MAX_REF_FILE`] is a [`Problem`].

use super::object::Oid;
use super::odb::{real_dir, regular_file, Problem};
use std::path::Path;

/// A loose ref is an id or `ref: <name>` and a newline.
const MAX_REF_FILE: u64 = 4096;
/// Nesting of directories under `refs/` followed.
const MAX_DEPTH: usize = 64;

/// The ids named by every ref (not peeled: tags are resolved by the caller).
pub fn tips(git_dir: &Path, problems: &mut Vec<Problem>) -> Vec<Oid> {
    let mut out = Vec::new();
    read_ref_file(&git_dir.join("HEAD"), &mut out, problems);
    if let Ok(Some(entries)) = real_dir(&git_dir.join("worktrees")) {
        for e in entries.filter_map(|e| e.ok()) {
            read_ref_file(&e.path().join("HEAD"), &mut out, problems);
        }
    }
    walk(&git_dir.join("refs"), 0, &mut out, problems);
    let packed = git_dir.join("packed-refs");
    if std::fs::symlink_metadata(&packed).is_ok() {
        match regular_file(&packed)
            .and_then(|_| std::fs::read(&packed).map_err(|e| Problem::new(packed.display().to_string(), e.to_string())))
        {
            Ok(text) => out.extend(parse_packed_refs(&text)),
            Err(p) => problems.push(p),
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The ids in a `packed-refs` file: `<id> <name>` lines and `^<id>` peeled lines; comments
/// (`#`) and anything else are ignored.
pub fn parse_packed_refs(text: &[u8]) -> Vec<Oid> {
    text.split(|&b| b == b'\n')
        .filter_map(|line| {
            let line = line.strip_prefix(b"^").unwrap_or(line);
            Oid::from_hex(line.get(..40)?)
        })
        .collect()
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<Oid>, problems: &mut Vec<Problem>) {
    if depth > MAX_DEPTH {
        problems.push(Problem::new(dir.display().to_string(), "refs nested too deep: not read"));
        return;
    }
    let Ok(Some(entries)) = real_dir(dir).map_err(|p| problems.push(p)) else {
        return;
    };
    for e in entries.filter_map(|e| e.ok()) {
        let path = e.path();
        match e.file_type() {
            Ok(t) if t.is_dir() => walk(&path, depth + 1, out, problems),
            _ => read_ref_file(&path, out, problems),
        }
    }
}

fn read_ref_file(path: &Path, out: &mut Vec<Oid>, problems: &mut Vec<Problem>) {
    if std::fs::symlink_metadata(path).is_err() {
        return;
    }
    let text = match regular_file(path) {
        Ok(m) if m.len() > MAX_REF_FILE => {
            problems.push(Problem::new(path.display().to_string(), "ref file is too large: not read"));
            return;
        }
        Ok(_) => match std::fs::read(path) {
            Ok(t) => t,
            Err(e) => return problems.push(Problem::new(path.display().to_string(), e.to_string())),
        },
        Err(p) => return problems.push(p),
    };
    let line = text.split(|&b| b == b'\n').next().unwrap_or_default();
    if line.starts_with(b"ref: ") {
        // A symbolic ref: its target is a ref of its own, read on its own.
        return;
    }
    match Oid::from_hex(line) {
        Some(id) => out.push(id),
        None if line.len() == 64 => {
            problems.push(Problem::new(path.display().to_string(), "SHA-256 object ids are not supported: not read"))
        }
        None => problems.push(Problem::new(path.display().to_string(), "not a ref (an object id or `ref: <name>`): ignored")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_refs() {
        let text = b"# pack-refs with: peeled fully-peeled sorted\n\
            0123456789abcdef0123456789abcdef01234567 refs/heads/main\n\
            1123456789abcdef0123456789abcdef01234567 refs/tags/v1\n\
            ^2123456789abcdef0123456789abcdef01234567\nnonsense\n";
        assert_eq!(parse_packed_refs(text).len(), 3);
    }
}
