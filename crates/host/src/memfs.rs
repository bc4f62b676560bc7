//! An in-memory file tree read from an archive (image layers, a function package),
//! that [`Root`](crate::Root) reads like a directory.
//!
//! Every entry keeps its kind, owner, mode and size; only the files the collectors
//! read keep their contents ([`wanted`]): package databases and manifests, the
//! configuration files of the host rules, and, of ELF executables, just the byte
//! ranges that locate and hold Go build info. Nothing is written to disk.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::ops::Bound;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::gobin;
use crate::root::{EntryKind, Stat};

/// Kept text files (manifests, configuration) larger than this are metadata only.
pub const MAX_TEXT: u64 = 64 * 1024 * 1024;
/// The rpm SQLite database is kept up to this size.
pub const MAX_SQLITE: u64 = 512 * 1024 * 1024;
/// ELF executables up to this size are searched for Go build info (the walk's
/// lower bound, 512 KiB, applies too).
pub const MAX_BINARY: u64 = 512 * 1024 * 1024;
/// More entries than this in one tree is refused (a decompression bomb, not an image).
pub const MAX_ENTRIES: usize = 5_000_000;

/// A file's kept contents.
#[derive(Debug, Clone)]
pub enum Content {
    /// The whole file.
    Full(Arc<[u8]>),
    /// Some byte ranges (offset, bytes) of a large file; reads must fall inside one.
    Ranges(Arc<[(u64, Vec<u8>)]>),
}

impl Content {
    /// Exactly `len` bytes at `off`.
    pub fn read_at(&self, off: u64, len: usize) -> io::Result<Vec<u8>> {
        let short = || io::Error::new(io::ErrorKind::UnexpectedEof, "read past the kept bytes");
        match self {
            Content::Full(b) => {
                let start = usize::try_from(off).map_err(|_| short())?;
                b.get(start..start.checked_add(len).ok_or_else(short)?)
                    .map(<[u8]>::to_vec)
                    .ok_or_else(short)
            }
            Content::Ranges(ranges) => ranges
                .iter()
                .find_map(|(at, bytes)| {
                    let start = usize::try_from(off.checked_sub(*at)?).ok()?;
                    bytes
                        .get(start..start.checked_add(len)?)
                        .map(<[u8]>::to_vec)
                })
                .ok_or_else(short),
        }
    }
}

#[derive(Debug, Clone)]
struct Node {
    stat: Stat,
    link: Option<PathBuf>,
    content: Option<Content>,
}

/// The file tree, keyed by absolute path (`/etc/os-release`).
#[derive(Debug, Clone)]
pub struct ImageFs {
    nodes: BTreeMap<PathBuf, Node>,
}

impl Default for ImageFs {
    fn default() -> Self {
        Self::new()
    }
}

const ROOT_DIR: Stat = Stat {
    kind: EntryKind::Dir,
    mode: 0o755,
    uid: 0,
    gid: 0,
    len: 0,
};

fn not_found(p: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::NotFound,
        format!("`{}` is not in the image", p.display()),
    )
}

impl ImageFs {
    /// An empty tree (just `/`).
    pub fn new() -> Self {
        let mut nodes = BTreeMap::new();
        nodes.insert(
            PathBuf::from("/"),
            Node {
                stat: ROOT_DIR,
                link: None,
                content: None,
            },
        );
        ImageFs { nodes }
    }

    /// How many entries the tree has (incl. `/`).
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the tree is just `/`.
    pub fn is_empty(&self) -> bool {
        self.nodes.len() <= 1
    }

    /// Every path with its metadata, in order (for tests and listings).
    pub fn iter(&self) -> impl Iterator<Item = (&Path, Stat)> {
        self.nodes.iter().map(|(p, n)| (p.as_path(), n.stat))
    }

    /// The target of `path` if it is a symbolic link.
    pub fn link_target(&self, path: &Path) -> Option<&Path> {
        self.nodes.get(path).and_then(|n| n.link.as_deref())
    }

    /// The metadata of `path` (links not followed).
    pub fn stat(&self, path: &Path) -> io::Result<Stat> {
        self.nodes
            .get(path)
            .map(|n| n.stat)
            .ok_or_else(|| not_found(path))
    }

    /// The kept contents of the file at `path`.
    pub fn content(&self, path: &Path) -> io::Result<Content> {
        let node = self.nodes.get(path).ok_or_else(|| not_found(path))?;
        if node.stat.kind == EntryKind::Dir {
            return Err(io::Error::new(
                io::ErrorKind::IsADirectory,
                format!("`{}` is a directory", path.display()),
            ));
        }
        node.content.clone().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::Unsupported,
                format!(
                    "the contents of `{}` were not kept from the image",
                    path.display()
                ),
            )
        })
    }

    /// The whole contents of the file at `path` (kept files only).
    pub fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        match self.content(path)? {
            Content::Full(b) => Ok(b.to_vec()),
            Content::Ranges(_) => Err(io::Error::new(
                io::ErrorKind::Unsupported,
                format!(
                    "only parts of `{}` were kept from the image",
                    path.display()
                ),
            )),
        }
    }

    /// The names and metadata of the children of the directory `path`.
    pub fn children(&self, path: &Path) -> io::Result<Vec<(std::ffi::OsString, Stat)>> {
        let node = self.nodes.get(path).ok_or_else(|| not_found(path))?;
        if node.stat.kind != EntryKind::Dir {
            return Err(io::Error::new(
                io::ErrorKind::NotADirectory,
                format!("`{}` is not a directory", path.display()),
            ));
        }
        Ok(self
            .descendants(path)
            .filter(|(p, _)| p.parent() == Some(path))
            .filter_map(|(p, n)| Some((p.file_name()?.to_owned(), n.stat)))
            .collect())
    }

    fn descendants<'a>(&'a self, path: &'a Path) -> impl Iterator<Item = (&'a PathBuf, &'a Node)> {
        self.nodes
            .range::<Path, _>((Bound::Excluded(path), Bound::Unbounded))
            .take_while(move |(p, _)| p.starts_with(path))
    }

    /// Removes `path` and everything under it (a whiteout).
    pub fn remove(&mut self, path: &Path) {
        if path == Path::new("/") {
            return self.clear_children(path);
        }
        self.clear_children(path);
        self.nodes.remove(path);
    }

    /// Removes everything under `path`, keeping `path` (an opaque directory).
    pub fn clear_children(&mut self, path: &Path) {
        let doomed: Vec<PathBuf> = self.descendants(path).map(|(p, _)| p.clone()).collect();
        for p in doomed {
            self.nodes.remove(&p);
        }
    }

    /// Adds (or replaces) an entry; missing parent directories are created, and a
    /// non-directory replacing a directory drops what was under it.
    pub fn insert(
        &mut self,
        path: &Path,
        stat: Stat,
        link: Option<PathBuf>,
        content: Option<Content>,
    ) -> Result<(), String> {
        if path == Path::new("/") {
            if stat.kind == EntryKind::Dir {
                if let Some(n) = self.nodes.get_mut(path) {
                    n.stat = stat;
                }
            }
            return Ok(());
        }
        if self.nodes.len() >= MAX_ENTRIES {
            return Err(format!("more than {MAX_ENTRIES} entries"));
        }
        for parent in path.ancestors().skip(1) {
            match self.nodes.get_mut(parent) {
                Some(n) if n.stat.kind == EntryKind::Dir => break,
                // A file or link where a directory is needed: the layer replaces it.
                Some(n) => {
                    *n = Node {
                        stat: ROOT_DIR,
                        link: None,
                        content: None,
                    }
                }
                None => {
                    self.nodes.insert(
                        parent.to_path_buf(),
                        Node {
                            stat: ROOT_DIR,
                            link: None,
                            content: None,
                        },
                    );
                }
            }
        }
        if stat.kind != EntryKind::Dir {
            self.clear_children(path);
        }
        self.nodes.insert(
            path.to_path_buf(),
            Node {
                stat,
                link,
                content,
            },
        );
        Ok(())
    }

    /// Adds `path` as a hard link to `target` (already in the tree): a copy of it.
    pub fn hard_link(&mut self, path: &Path, target: &Path) -> Result<(), String> {
        let node = self.nodes.get(target).cloned().ok_or_else(|| {
            format!(
                "hard link target `{}` is not in the image",
                target.display()
            )
        })?;
        if node.stat.kind == EntryKind::Dir {
            return Err(format!("hard link to the directory `{}`", target.display()));
        }
        self.insert(path, node.stat, node.link, node.content)
    }
}

/// An archive member's name as an absolute path in the tree: `./usr/bin/x`,
/// `usr/bin/x` and `/usr/bin/x` are all `/usr/bin/x`; `None` for the root itself.
/// A name with `..` is refused.
pub fn normalize(name: &Path) -> Result<Option<PathBuf>, String> {
    let mut out = PathBuf::from("/");
    for c in name.components() {
        match c {
            Component::Normal(s) => out.push(s),
            Component::CurDir | Component::RootDir => {}
            Component::ParentDir => {
                return Err(format!("`{}` has a `..` component", name.display()))
            }
            Component::Prefix(_) => return Err(format!("`{}` is not a unix path", name.display())),
        }
    }
    Ok((out != Path::new("/")).then_some(out))
}

/// Which contents of a regular file the collectors read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// None: metadata only.
    Nothing,
    /// The whole file, up to this many bytes.
    Whole(u64),
    /// The ranges that hold Go build info, if it is an ELF file.
    GoBuildInfo,
}

/// What to keep of the regular file at `path` (absolute, in the tree).
pub fn wanted(path: &Path, stat: &Stat) -> Want {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return Want::Nothing;
    };
    let parent = path.parent().unwrap_or(Path::new("/"));
    let parent_name = parent.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let p = path.to_str().unwrap_or("");
    let whole = match p {
        "/var/lib/rpm/rpmdb.sqlite" | "/usr/lib/sysimage/rpm/rpmdb.sqlite" => {
            return Want::Whole(MAX_SQLITE)
        }
        "/var/lib/dpkg/status"
        | "/lib/apk/db/installed"
        | "/etc/os-release"
        | "/usr/lib/os-release"
        | "/etc/passwd"
        | "/etc/group"
        | "/etc/shadow"
        | "/etc/login.defs"
        | "/etc/hostname"
        | "/etc/fstab"
        | "/etc/ssh/sshd_config"
        | "/etc/security/limits.conf"
        | "/etc/systemd/coredump.conf" => true,
        _ => {
            let under = |dir: &str| parent == Path::new(dir);
            under("/var/lib/dpkg/status.d")
                || under("/etc/ssh/sshd_config.d")
                || under("/etc/security/limits.d")
                || (name == "METADATA" && parent_name.ends_with(".dist-info"))
                || (name == "PKG-INFO" && parent_name.ends_with(".egg-info"))
                || name.ends_with(".egg-info")
                || name == "package-lock.json"
                || name == "Cargo.lock"
                || (name == "package.json" && crate::packages::is_installed_npm(path))
        }
    };
    if whole {
        Want::Whole(MAX_TEXT)
    } else if stat.mode & 0o111 != 0
        && stat.len >= crate::packages::MIN_BINARY
        && stat.len <= MAX_BINARY
    {
        Want::GoBuildInfo
    } else {
        Want::Nothing
    }
}

/// Reads what [`wanted`] asks of a regular file from `data` (the file's bytes,
/// `stat.len` of them); `Err` is a message for the problems (too large, unreadable).
pub fn capture(path: &Path, stat: &Stat, data: &mut dyn Read) -> Result<Option<Content>, String> {
    match wanted(path, stat) {
        Want::Nothing => Ok(None),
        Want::Whole(limit) => {
            if stat.len > limit {
                return Err(format!(
                    "`{}` ({} bytes) is larger than {limit} bytes: not read",
                    path.display(),
                    stat.len
                ));
            }
            let mut buf = Vec::with_capacity(stat.len.min(limit) as usize);
            data.take(limit)
                .read_to_end(&mut buf)
                .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
            Ok(Some(Content::Full(buf.into())))
        }
        Want::GoBuildInfo => {
            // Peek at the magic before reading a large file whole.
            let mut magic = [0u8; 4];
            if data.read_exact(&mut magic).is_err() || &magic != b"\x7fELF" {
                return Ok(None);
            }
            let mut buf = magic.to_vec();
            data.take(MAX_BINARY)
                .read_to_end(&mut buf)
                .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
            Ok(go_ranges(&buf))
        }
    }
}

/// The byte ranges of an ELF file that [`gobin::elf_section`] and the build-info
/// read touch; `None` when it has no `.go.buildinfo`.
pub fn go_ranges(file: &[u8]) -> Option<Content> {
    let mut ranges: Vec<(u64, Vec<u8>)> = Vec::new();
    let mut read_at = |off: u64, len: usize| {
        let start = usize::try_from(off).ok()?;
        let bytes = file.get(start..start.checked_add(len)?)?.to_vec();
        ranges.push((off, bytes.clone()));
        Some(bytes)
    };
    let (off, size) = gobin::elf_section(&mut read_at, ".go.buildinfo")?;
    let len = size.min(gobin::MAX_LEN as u64) as usize;
    read_at(off, len)?;
    Some(Content::Ranges(ranges.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(len: u64) -> Stat {
        Stat {
            kind: EntryKind::File,
            mode: 0o644,
            uid: 0,
            gid: 0,
            len,
        }
    }

    #[test]
    fn whiteouts_and_replacement_drop_subtrees() {
        let mut fs = ImageFs::new();
        let p = |s: &str| PathBuf::from(s);
        fs.insert(&p("/a/b/c"), file(1), None, None).unwrap();
        fs.insert(&p("/a/b-x"), file(1), None, None).unwrap();
        assert_eq!(fs.stat(&p("/a/b")).unwrap().kind, EntryKind::Dir);
        // A file replacing the directory `/a/b` hides `/a/b/c`.
        fs.insert(&p("/a/b"), file(2), None, None).unwrap();
        assert!(fs.stat(&p("/a/b/c")).is_err());
        assert!(fs.stat(&p("/a/b-x")).is_ok());
        fs.remove(&p("/a"));
        let left: Vec<&Path> = fs.iter().map(|(p, _)| p).collect();
        assert_eq!(left, [Path::new("/")]);
    }

    #[test]
    fn names_are_normalized_and_dot_dot_refused() {
        assert_eq!(
            normalize(Path::new("./etc/x")).unwrap(),
            Some(PathBuf::from("/etc/x"))
        );
        assert_eq!(normalize(Path::new("./")).unwrap(), None);
        assert!(normalize(Path::new("a/../../etc/shadow")).is_err());
    }

    #[test]
    fn ranges_read_only_inside() {
        let c = Content::Ranges(vec![(10, vec![1, 2, 3])].into());
        assert_eq!(c.read_at(11, 2).unwrap(), [2, 3]);
        assert!(c.read_at(11, 3).is_err());
        assert!(c.read_at(0, 1).is_err());
    }
}
