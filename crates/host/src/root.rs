//! The filesystem being assessed: the running host (`/`) or a root mounted elsewhere.
//!
//! Paths are given as the host would see them (`/etc/passwd`); under a mounted root,
//! symbolic links are resolved inside that root (as `chroot` would), so an absolute
//! link in an image never reaches the scanning machine's own files.

use std::io;
use std::path::{Component, Path, PathBuf};

/// How many symbolic links one lookup follows before giving up (Linux's limit).
const MAX_LINKS: usize = 40;

/// A root filesystem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Root {
    base: PathBuf,
}

impl Root {
    /// The root at `base` (`/` for the running host).
    pub fn new(base: impl Into<PathBuf>) -> Self {
        Root { base: base.into() }
    }

    /// Whether this is the running host's own root, whose `/proc` describes it.
    pub fn is_live(&self) -> bool {
        self.base == Path::new("/")
    }

    /// The directory the root is at.
    pub fn base(&self) -> &Path {
        &self.base
    }

    /// The real path of `path` (absolute, as seen inside the root), with symbolic
    /// links in its directories resolved inside the root; the last component is not
    /// followed (use [`Root::resolve`] for that).
    pub fn locate(&self, path: &Path) -> io::Result<PathBuf> {
        self.walk(path, false)
    }

    /// The real path of `path`, following every symbolic link inside the root.
    pub fn resolve(&self, path: &Path) -> io::Result<PathBuf> {
        self.walk(path, true)
    }

    fn walk(&self, path: &Path, follow_last: bool) -> io::Result<PathBuf> {
        if self.is_live() {
            return Ok(Path::new("/").join(path));
        }
        // `inside` is the resolved path relative to the root; `todo` the components
        // still to walk, last first.
        let mut inside: Vec<std::ffi::OsString> = Vec::new();
        let mut todo: Vec<std::ffi::OsString> = components(path).into_iter().rev().collect();
        let mut links = 0;
        while let Some(c) = todo.pop() {
            if c == ".." {
                inside.pop();
                continue;
            }
            let candidate = self.join(&inside).join(&c);
            let is_last = todo.is_empty();
            if is_last && !follow_last {
                inside.push(c);
                break;
            }
            match std::fs::symlink_metadata(&candidate) {
                Ok(m) if m.file_type().is_symlink() => {
                    links += 1;
                    if links > MAX_LINKS {
                        return Err(io::Error::other(format!(
                            "too many levels of symbolic links at `{}`",
                            path.display()
                        )));
                    }
                    let target = std::fs::read_link(&candidate)?;
                    if target.is_absolute() {
                        inside.clear();
                    }
                    todo.extend(components(&target).into_iter().rev());
                }
                _ => inside.push(c),
            }
        }
        Ok(self.join(&inside))
    }

    fn join(&self, inside: &[std::ffi::OsString]) -> PathBuf {
        let mut p = self.base.clone();
        p.extend(inside);
        p
    }

    /// Reads a file inside the root.
    pub fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(self.resolve(path)?)
    }

    /// Reads a file inside the root as text (invalid UTF-8 replaced).
    pub fn read_text(&self, path: &Path) -> io::Result<String> {
        self.read(path)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    }

    /// The entries of a directory inside the root, as paths inside the root, sorted.
    pub fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        let real = self.resolve(path)?;
        let mut out: Vec<PathBuf> = std::fs::read_dir(real)?
            .filter_map(|e| e.ok())
            .map(|e| Path::new("/").join(path).join(e.file_name()))
            .collect();
        out.sort();
        Ok(out)
    }

    /// The metadata of `path` inside the root, not following a final symbolic link.
    pub fn symlink_metadata(&self, path: &Path) -> io::Result<std::fs::Metadata> {
        std::fs::symlink_metadata(self.locate(path)?)
    }

    /// The metadata of `path` inside the root, following symbolic links in the root.
    pub fn metadata(&self, path: &Path) -> io::Result<std::fs::Metadata> {
        std::fs::metadata(self.resolve(path)?)
    }
}

fn components(path: &Path) -> Vec<std::ffi::OsString> {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_owned()),
            Component::ParentDir => Some("..".into()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_links_stay_inside_a_mounted_root() {
        let dir = crate::testutil::TempDir::new("root");
        let base = dir.path();
        std::fs::create_dir_all(base.join("usr/lib")).unwrap();
        std::fs::create_dir_all(base.join("etc")).unwrap();
        std::fs::write(base.join("usr/lib/os-release"), "ID=inside\n").unwrap();
        std::os::unix::fs::symlink("/usr/lib/os-release", base.join("etc/os-release")).unwrap();
        std::os::unix::fs::symlink("../../../../../etc/hostname", base.join("etc/escape")).unwrap();
        let root = Root::new(base);
        assert_eq!(
            root.read_text(Path::new("/etc/os-release")).unwrap(),
            "ID=inside\n"
        );
        // `..` above the root stays at the root, as in a chroot.
        assert_eq!(
            root.resolve(Path::new("/etc/escape")).unwrap(),
            base.join("etc/hostname")
        );
        assert!(root
            .locate(Path::new("/etc/os-release"))
            .unwrap()
            .starts_with(base));
    }

    #[test]
    fn link_loops_are_an_error() {
        let dir = crate::testutil::TempDir::new("loop");
        std::os::unix::fs::symlink("/b", dir.path().join("a")).unwrap();
        std::os::unix::fs::symlink("/a", dir.path().join("b")).unwrap();
        let err = Root::new(dir.path()).read(Path::new("/a")).unwrap_err();
        assert!(err.to_string().contains("too many levels"), "{err}");
    }
}
