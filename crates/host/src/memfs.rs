//! An in-memory file tree read from an archive (image layers, a function package),
//! that [`Root`](crate::Root) reads like a directory.
//!
//! Every entry keeps its kind, owner, mode and size; only the files the collectors
//! read keep their contents ([`wanted`]): package databases and manifests, the
//! configuration files of the host rules, and, of ELF executables, just the byte
//! ranges that locate and hold Go build info. Nothing is written to disk.
//!
//! **Bounds** (a decompression bomb must not exhaust memory or time; [`Budget`]):
//! each kept member has a size cap ([`MAX_TEXT`], [`MAX_SQLITE`], [`MAX_BINARY`]); a
//! member over it is kept as metadata with the reason ([`ImageFs::content`] returns
//! it, so its reader reports the source as not read, never as empty) and the reader
//! records a problem. Unwanted members are streamed past, never buffered. One image
//! or package reads at most [`MAX_ENTRIES`] entries, [`MAX_EXPANDED`] uncompressed
//! bytes, and keeps at most [`MAX_KEPT`] bytes; beyond that the read is refused.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::ops::Bound;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::gobin;
use crate::root::{EntryKind, Stat};

/// Kept text files (package databases, manifests, configuration) larger than this
/// are metadata only (the largest dpkg status files of full desktop systems are
/// around 10 MiB).
pub const MAX_TEXT: u64 = 64 * 1024 * 1024;
/// The rpm SQLite database is kept up to this size (it is opened from memory).
pub const MAX_SQLITE: u64 = 256 * 1024 * 1024;
/// ELF executables up to this size are searched for Go build info (the walk's
/// lower bound, 512 KiB, applies too). The file is buffered while it is searched,
/// so this is also the largest transient buffer of a read; only the few byte ranges
/// the build-info reader needs are kept.
pub const MAX_BINARY: u64 = 256 * 1024 * 1024;
/// More entries than this in one image (all layers) or package is refused: a
/// decompression bomb, not an image (large real images have a few hundred thousand).
pub const MAX_ENTRIES: usize = 1_000_000;
/// More uncompressed bytes than this in one image (all layers) or package is refused.
pub const MAX_EXPANDED: u64 = 32 * 1024 * 1024 * 1024;
/// More kept contents than this (summed over every kept member of every layer) is
/// refused.
pub const MAX_KEPT: u64 = 1024 * 1024 * 1024;

/// What one read of an image or a package may still consume.
#[derive(Debug, Default)]
pub struct Budget {
    entries: usize,
    kept: u64,
}

impl Budget {
    /// Counts one more archive entry; `Err` names the limit.
    pub fn entry(&mut self) -> Result<(), String> {
        self.entries += 1;
        if self.entries > MAX_ENTRIES {
            return Err(format!(
                "more than {MAX_ENTRIES} entries: refused as a decompression bomb"
            ));
        }
        Ok(())
    }

    /// Counts `n` more kept bytes; `Err` names the limit.
    pub fn keep(&mut self, n: u64) -> Result<(), String> {
        self.kept = self.kept.saturating_add(n);
        if self.kept > MAX_KEPT {
            return Err(format!(
                "more than {MAX_KEPT} bytes of package databases and manifests: refused as a decompression bomb"
            ));
        }
        Ok(())
    }
}

/// A file's kept contents.
#[derive(Debug, Clone)]
pub enum Content {
    /// The whole file (a `Vec`, not a `[u8]`: converting would copy it once more).
    Full(Arc<Vec<u8>>),
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
    /// Why a wanted file's contents were not kept (over its size cap).
    skipped: Option<Arc<str>>,
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
                skipped: None,
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
        if let Some(why) = &node.skipped {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("`{}` was not read: {why}", path.display()),
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
                        skipped: None,
                    }
                }
                None => {
                    self.nodes.insert(
                        parent.to_path_buf(),
                        Node {
                            stat: ROOT_DIR,
                            link: None,
                            content: None,
                            skipped: None,
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
                skipped: None,
            },
        );
        Ok(())
    }

    /// Records that the contents of the file at `path` (just inserted) were wanted but
    /// not kept, and why: reading it then fails with that reason.
    pub fn mark_skipped(&mut self, path: &Path, reason: &str) {
        if let Some(n) = self.nodes.get_mut(path) {
            n.skipped = Some(reason.into());
        }
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
        self.insert(path, node.stat, node.link, node.content)?;
        if let Some(why) = node.skipped {
            self.mark_skipped(path, &why);
        }
        Ok(())
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
    } else if stat.mode & 0o111 != 0 && stat.len >= crate::packages::MIN_BINARY {
        Want::GoBuildInfo
    } else {
        Want::Nothing
    }
}

/// What [`capture_member`] kept of a file.
#[derive(Debug)]
pub enum Kept {
    /// Nothing was wanted (or an executable is not ELF / has no Go build info).
    Nothing,
    Content(Content),
    /// Wanted but over its size cap: the message for the problems (the file is then
    /// [`ImageFs::mark_skipped`]).
    Skipped(String),
}

/// Reads what [`wanted`] asks of a regular file from `data` (the file's bytes,
/// `stat.len` of them, as the archive declares). `Err` is a failure of the stream
/// itself (a corrupt layer, a member holding more bytes than it declares): the
/// archive cannot be trusted past it. Kept bytes are charged to `budget`.
pub fn capture_member(
    path: &Path,
    stat: &Stat,
    data: &mut dyn Read,
    budget: &mut Budget,
) -> io::Result<Kept> {
    let over = |limit: u64| {
        Kept::Skipped(format!(
            "`{}` ({} bytes) is larger than the {limit}-byte limit for a file Rampart reads: not read",
            path.display(),
            stat.len
        ))
    };
    let limit_err = |e: String| io::Error::new(io::ErrorKind::OutOfMemory, e);
    match wanted(path, stat) {
        Want::Nothing => Ok(Kept::Nothing),
        Want::Whole(limit) => {
            if stat.len > limit {
                return Ok(over(limit));
            }
            budget.keep(stat.len).map_err(limit_err)?;
            let buf = read_declared(path, stat.len, data, Vec::new())?;
            Ok(Kept::Content(Content::Full(Arc::new(buf))))
        }
        Want::GoBuildInfo => {
            // Peek at the magic before reading a large file whole.
            let mut magic = [0u8; 4];
            if stat.len < 4 {
                return Ok(Kept::Nothing);
            }
            data.read_exact(&mut magic)?;
            if &magic != b"\x7fELF" {
                return Ok(Kept::Nothing);
            }
            if stat.len > MAX_BINARY {
                return Ok(over(MAX_BINARY));
            }
            let buf = read_declared(path, stat.len, data, magic.to_vec())?;
            let content = go_ranges(&buf);
            if let Some(Content::Ranges(r)) = &content {
                budget
                    .keep(r.iter().map(|(_, b)| b.len() as u64).sum())
                    .map_err(limit_err)?;
            }
            Ok(content.map_or(Kept::Nothing, Kept::Content))
        }
    }
}

/// The rest of a member declared as `len` bytes (`buf` holds what was read of it):
/// a member holding more or fewer bytes than it declares is an error (a zip entry's
/// declared size is the zip bomb's lie), never a silently longer buffer.
fn read_declared(
    path: &Path,
    len: u64,
    data: &mut dyn Read,
    mut buf: Vec<u8>,
) -> io::Result<Vec<u8>> {
    // `len` is at most MAX_SQLITE here, so it fits in usize on every supported target.
    buf.reserve(usize::try_from(len).unwrap_or(0).saturating_sub(buf.len()));
    data.take(len.saturating_add(1).saturating_sub(buf.len() as u64))
        .read_to_end(&mut buf)?;
    if buf.len() as u64 != len {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "`{}` holds {} bytes, not the {len} its header declares",
                path.display(),
                if buf.len() as u64 > len {
                    "more".to_owned()
                } else {
                    buf.len().to_string()
                }
            ),
        ));
    }
    Ok(buf)
}

/// [`capture_member`] for one file with a fresh budget, stream errors and
/// skips as a message.
pub fn capture(path: &Path, stat: &Stat, data: &mut dyn Read) -> Result<Option<Content>, String> {
    match capture_member(path, stat, data, &mut Budget::default()) {
        Ok(Kept::Nothing) => Ok(None),
        Ok(Kept::Content(c)) => Ok(Some(c)),
        Ok(Kept::Skipped(why)) => Err(why),
        Err(e) => Err(format!("cannot read `{}`: {e}", path.display())),
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
    fn budgets_refuse_past_their_limits() {
        let mut b = Budget::default();
        for _ in 0..MAX_ENTRIES {
            b.entry().unwrap();
        }
        assert!(b.entry().unwrap_err().contains("more than 1000000 entries"));
        let mut b = Budget::default();
        b.keep(MAX_KEPT).unwrap();
        assert!(b
            .keep(1)
            .unwrap_err()
            .contains("refused as a decompression bomb"));
    }

    #[test]
    fn a_member_longer_or_shorter_than_declared_is_a_stream_error() {
        let p = Path::new("/Cargo.lock");
        let mut b = Budget::default();
        let err = capture_member(p, &file(3), &mut &b"abcd"[..], &mut b).unwrap_err();
        assert!(
            err.to_string().contains("holds more bytes, not the 3"),
            "{err}"
        );
        let err = capture_member(p, &file(5), &mut &b"abcd"[..], &mut b).unwrap_err();
        assert!(
            err.to_string().contains("holds 4 bytes, not the 5"),
            "{err}"
        );
        let Kept::Content(c) = capture_member(p, &file(4), &mut &b"abcd"[..], &mut b).unwrap()
        else {
            panic!("kept")
        };
        assert_eq!(c.read_at(0, 4).unwrap(), b"abcd");
    }

    #[test]
    fn ranges_read_only_inside() {
        let c = Content::Ranges(vec![(10, vec![1, 2, 3])].into());
        assert_eq!(c.read_at(11, 2).unwrap(), [2, 3]);
        assert!(c.read_at(11, 3).is_err());
        assert!(c.read_at(0, 1).is_err());
    }
}
