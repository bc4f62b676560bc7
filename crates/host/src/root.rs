//! The filesystem being assessed: the running host (`/`) or a root mounted elsewhere.
//!
//! Paths are given as the host would see them (`/etc/passwd`); under a mounted root,
//! symbolic links are resolved inside that root (as `chroot` would), so an absolute
//! link in an image never reaches the scanning machine's own files.

use std::io;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::memfs::ImageFs;

/// How many symbolic links one lookup follows before giving up (Linux's limit).
const MAX_LINKS: usize = 40;

/// A root filesystem: a directory (`/` for the running host, or a mounted root), or
/// an in-memory tree read from an image or a function package ([`ImageFs`]). Every
/// read of the collectors goes through it, so one code path serves all four.
#[derive(Debug, Clone)]
pub struct Root {
    backend: Backend,
}

#[derive(Debug, Clone)]
enum Backend {
    Dir(PathBuf),
    Mem {
        fs: Arc<ImageFs>,
        /// What the tree was read from (`image:/path/x.tar`), for the telemetry.
        label: String,
        /// Why the sections a running system provides are gaps.
        system_gap: &'static str,
        /// A function package has no OS: every section but packages is this gap.
        packages_only: bool,
    },
}

/// The kind of a filesystem entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    Other,
}

/// What [`Root::metadata`] knows of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stat {
    pub kind: EntryKind,
    /// The permission bits incl. setuid/setgid/sticky (`0o7777` mask).
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    /// Size in bytes (regular files).
    pub len: u64,
}

impl Stat {
    fn of(m: &std::fs::Metadata) -> Stat {
        let ft = m.file_type();
        Stat {
            kind: if ft.is_symlink() {
                EntryKind::Symlink
            } else if ft.is_dir() {
                EntryKind::Dir
            } else if ft.is_file() {
                EntryKind::File
            } else {
                EntryKind::Other
            },
            mode: m.permissions().mode() & 0o7777,
            uid: m.uid(),
            gid: m.gid(),
            len: m.len(),
        }
    }
}

/// A file opened inside a root, read at offsets.
pub enum RootFile {
    Disk(std::fs::File),
    Mem(crate::memfs::Content),
}

impl RootFile {
    /// Exactly `len` bytes at `off`.
    pub fn read_at(&self, off: u64, len: usize) -> io::Result<Vec<u8>> {
        match self {
            RootFile::Disk(f) => {
                use std::os::unix::fs::FileExt;
                let mut buf = vec![0; len];
                f.read_exact_at(&mut buf, off)?;
                Ok(buf)
            }
            RootFile::Mem(c) => c.read_at(off, len),
        }
    }
}

/// Why a path cannot be assessed as a root filesystem.
#[derive(Debug, thiserror::Error)]
pub enum RootError {
    #[error("root `{}` does not exist", .0.display())]
    Missing(PathBuf),
    #[error("root `{}` is not a directory", .0.display())]
    NotADirectory(PathBuf),
    #[error("cannot read root `{}`", path.display())]
    Unreadable {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl Root {
    /// The root at the directory `base`, checked: a path that is missing, not a directory
    /// or not listable is an error, never a root with nothing in it (whose every gap would
    /// read as "absent").
    pub fn dir(base: impl Into<PathBuf>) -> Result<Self, RootError> {
        let base = base.into();
        match std::fs::metadata(&base) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Err(RootError::Missing(base)),
            Err(source) => Err(RootError::Unreadable { path: base, source }),
            Ok(m) if !m.is_dir() => Err(RootError::NotADirectory(base)),
            Ok(_) => match std::fs::read_dir(&base) {
                Err(source) => Err(RootError::Unreadable { path: base, source }),
                Ok(_) => Ok(Root::new(base)),
            },
        }
    }

    /// The root at `base` (`/` for the running host).
    pub fn new(base: impl Into<PathBuf>) -> Self {
        Root {
            backend: Backend::Dir(base.into()),
        }
    }

    /// The in-memory tree of a container image, labelled `label` (the image file).
    pub fn image(fs: ImageFs, label: impl Into<String>) -> Self {
        Root {
            backend: Backend::Mem {
                fs: Arc::new(fs),
                label: label.into(),
                system_gap: crate::collect::NOT_IMAGE,
                packages_only: false,
            },
        }
    }

    /// The in-memory tree of a function deployment package (a Lambda zip), whose
    /// only section is its packages.
    pub fn function(fs: ImageFs, label: impl Into<String>) -> Self {
        Root {
            backend: Backend::Mem {
                fs: Arc::new(fs),
                label: label.into(),
                system_gap: crate::collect::NOT_FUNCTION,
                packages_only: true,
            },
        }
    }

    /// Whether this is the running host's own root, whose `/proc` describes it.
    pub fn is_live(&self) -> bool {
        matches!(&self.backend, Backend::Dir(b) if b == Path::new("/"))
    }

    /// The directory the root is at; `None` for an in-memory tree.
    pub fn base(&self) -> Option<&Path> {
        match &self.backend {
            Backend::Dir(b) => Some(b),
            Backend::Mem { .. } => None,
        }
    }

    /// What the telemetry names as its root: the directory, or `image:FILE`.
    pub fn label(&self) -> String {
        match &self.backend {
            Backend::Dir(b) => b.display().to_string(),
            Backend::Mem { label, .. } => label.clone(),
        }
    }

    /// Why the sections only a running system has (sockets, sysctl, mounts, kernel)
    /// are gaps here; `None` on the live host.
    pub fn system_gap(&self) -> Option<&'static str> {
        match &self.backend {
            _ if self.is_live() => None,
            Backend::Dir(_) => Some(crate::collect::NOT_LIVE),
            Backend::Mem { system_gap, .. } => Some(system_gap),
        }
    }

    /// Whether only packages are collected (a function package has no OS).
    pub fn packages_only(&self) -> bool {
        matches!(
            &self.backend,
            Backend::Mem {
                packages_only: true,
                ..
            }
        )
    }

    /// The real path of `path` (absolute, as seen inside the root), with symbolic
    /// links in its directories resolved inside the root; the last component is not
    /// followed (use [`Root::resolve`] for that). In-memory trees: the path in the tree.
    pub fn locate(&self, path: &Path) -> io::Result<PathBuf> {
        self.walk(path, false)
    }

    /// The real path of `path`, following every symbolic link inside the root.
    pub fn resolve(&self, path: &Path) -> io::Result<PathBuf> {
        self.walk(path, true)
    }

    /// The target of `p` (a real path) if it is a symbolic link.
    fn link_at(&self, p: &Path) -> io::Result<Option<PathBuf>> {
        match &self.backend {
            Backend::Dir(_) => match std::fs::symlink_metadata(p) {
                Ok(m) if m.file_type().is_symlink() => std::fs::read_link(p).map(Some),
                _ => Ok(None),
            },
            Backend::Mem { fs, .. } => Ok(fs.link_target(p).map(Path::to_path_buf)),
        }
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
            match self.link_at(&candidate)? {
                Some(target) => {
                    links += 1;
                    if links > MAX_LINKS {
                        return Err(io::Error::other(format!(
                            "too many levels of symbolic links at `{}`",
                            path.display()
                        )));
                    }
                    if target.is_absolute() {
                        inside.clear();
                    }
                    todo.extend(components(&target).into_iter().rev());
                }
                None => inside.push(c),
            }
        }
        Ok(self.join(&inside))
    }

    fn join(&self, inside: &[std::ffi::OsString]) -> PathBuf {
        let mut p = match &self.backend {
            Backend::Dir(b) => b.clone(),
            Backend::Mem { .. } => PathBuf::from("/"),
        };
        p.extend(inside);
        p
    }

    /// Reads a file inside the root.
    pub fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        let real = self.resolve(path)?;
        match &self.backend {
            Backend::Dir(_) => std::fs::read(real),
            Backend::Mem { fs, .. } => fs.read(&real),
        }
    }

    /// Opens a file inside the root for reads at offsets.
    pub fn open(&self, path: &Path) -> io::Result<RootFile> {
        let real = self.resolve(path)?;
        match &self.backend {
            Backend::Dir(_) => std::fs::File::open(real).map(RootFile::Disk),
            Backend::Mem { fs, .. } => fs.content(&real).map(RootFile::Mem),
        }
    }

    /// The real path of `path` on disk (after resolving links inside the root), for
    /// readers that need a file (SQLite); `None` for an in-memory tree.
    pub fn disk_path(&self, path: &Path) -> Option<io::Result<PathBuf>> {
        match &self.backend {
            Backend::Dir(_) => Some(self.resolve(path)),
            Backend::Mem { .. } => None,
        }
    }

    /// Reads a file inside the root as text (invalid UTF-8 replaced).
    pub fn read_text(&self, path: &Path) -> io::Result<String> {
        self.read(path)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    }

    /// The entries of a directory inside the root, as paths inside the root, sorted.
    pub fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        Ok(self.entries(path)?.into_iter().map(|(p, _)| p).collect())
    }

    /// The entries of a directory inside the root (following links to it) with what
    /// `lstat` says of each (links not followed), sorted by name.
    pub fn entries(&self, path: &Path) -> io::Result<Vec<(PathBuf, io::Result<Stat>)>> {
        let real = self.resolve(path)?;
        let inside = Path::new("/").join(path);
        let mut out: Vec<(PathBuf, io::Result<Stat>)> = match &self.backend {
            Backend::Dir(_) => std::fs::read_dir(real)?
                .filter_map(|e| e.ok())
                .map(|e| {
                    (
                        inside.join(e.file_name()),
                        e.metadata().map(|m| Stat::of(&m)),
                    )
                })
                .collect(),
            Backend::Mem { fs, .. } => fs
                .children(&real)?
                .into_iter()
                .map(|(name, st)| (inside.join(name), Ok(st)))
                .collect(),
        };
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    /// The metadata of `path` inside the root, not following a final symbolic link.
    pub fn symlink_metadata(&self, path: &Path) -> io::Result<Stat> {
        let real = self.locate(path)?;
        self.stat_real(&real, false)
    }

    /// The metadata of `path` inside the root, following symbolic links in the root.
    pub fn metadata(&self, path: &Path) -> io::Result<Stat> {
        let real = self.resolve(path)?;
        self.stat_real(&real, true)
    }

    fn stat_real(&self, real: &Path, follow: bool) -> io::Result<Stat> {
        match &self.backend {
            // On the live host `real` is unresolved: let the kernel follow links.
            Backend::Dir(_) if follow => std::fs::metadata(real).map(|m| Stat::of(&m)),
            Backend::Dir(_) => std::fs::symlink_metadata(real).map(|m| Stat::of(&m)),
            Backend::Mem { fs, .. } => fs.stat(real),
        }
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
    fn a_root_must_be_a_readable_directory() {
        let dir = crate::testutil::TempDir::new("rootdir");
        let file = dir.write("file", "x");
        assert!(Root::dir(dir.path()).is_ok());
        let missing = dir.path().join("nonexistent");
        assert_eq!(
            Root::dir(&missing).unwrap_err().to_string(),
            format!("root `{}` does not exist", missing.display())
        );
        assert_eq!(
            Root::dir(&file).unwrap_err().to_string(),
            format!("root `{}` is not a directory", file.display())
        );
        let looping = dir.path().join("loop");
        std::os::unix::fs::symlink(&looping, &looping).unwrap();
        assert!(matches!(
            Root::dir(&looping),
            Err(RootError::Unreadable { .. })
        ));
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
