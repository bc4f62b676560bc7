//! The object database of one git directory: loose objects (`objects/xx/<38 hex>`, zlib) and
//! packs (`objects/pack/pack-*.pack` with their `.idx`).
//!
//! Only regular files are opened: a symbolic link, FIFO or device anywhere under `objects/`
//! is a [`Problem`], never followed or read (a link to `/dev/zero` would never end).
//! `objects/info/alternates` is never followed (it may name any directory on the machine): a
//! non-empty one is a [`Problem`], so the result says that objects were not read.

use super::object::{parse_loose_header, Kind, ObjectError, Oid};
use super::pack::{Pack, PackError};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Something in the repository that could not be read; the scan goes on without it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// A path, or `<id>` for an object.
    pub at: String,
    pub message: String,
}

impl Problem {
    pub fn new(at: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem { at: at.into(), message: message.into() }
    }
}

#[derive(Debug, Clone, Copy)]
enum Loc {
    Loose,
    Packed { pack: usize, offset: u64 },
}

/// One object present in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Info {
    pub id: Oid,
    pub kind: Kind,
    pub size: u64,
}

/// Why one object could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("object is not in the repository")]
    Missing,
    #[error("object of {size} bytes is larger than the limit of {limit} bytes")]
    TooLarge { size: u64, limit: u64 },
    #[error("{0}")]
    Object(#[from] ObjectError),
    #[error("{0}")]
    Pack(PackError),
    #[error("{0}")]
    Io(String),
}

impl From<PackError> for ReadError {
    fn from(e: PackError) -> ReadError {
        match e {
            PackError::Object { source: ObjectError::TooLarge { size, limit }, .. } => ReadError::TooLarge { size, limit },
            e => ReadError::Pack(e),
        }
    }
}

/// The objects of a git directory.
pub struct Odb {
    objects: PathBuf,
    packs: Vec<Pack<std::fs::File>>,
    locs: HashMap<Oid, Loc>,
    infos: Vec<Info>,
}

/// Lists a directory that is a real directory, not a link to one: `None` when `path` does not
/// exist; a [`Problem`] when it is a link or cannot be listed.
pub fn real_dir(path: &Path) -> Result<Option<std::fs::ReadDir>, Problem> {
    let shown = || path.display().to_string();
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Problem::new(shown(), e.to_string())),
        Ok(m) if m.is_dir() => std::fs::read_dir(path).map(Some).map_err(|e| Problem::new(shown(), e.to_string())),
        Ok(_) => Err(Problem::new(shown(), "not a directory (a link inside the git directory is not followed): not read")),
    }
}

/// The metadata of `path` without following a link, if it is a regular file; a
/// [`Problem`] otherwise.
pub fn regular_file(path: &Path) -> Result<std::fs::Metadata, Problem> {
    let shown = path.display().to_string();
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_file() => Ok(m),
        Ok(m) if m.file_type().is_symlink() => Err(Problem::new(shown, "a symbolic link inside the git directory: not followed")),
        Ok(_) => Err(Problem::new(shown, "not a regular file: not read")),
        Err(e) => Err(Problem::new(shown, e.to_string())),
    }
}

impl Odb {
    /// Lists every object under `<git_dir>/objects`; what cannot be read goes to `problems`.
    pub fn open(git_dir: &Path, problems: &mut Vec<Problem>) -> Odb {
        let objects = git_dir.join("objects");
        let mut odb = Odb { objects: objects.clone(), packs: Vec::new(), locs: HashMap::new(), infos: Vec::new() };
        match std::fs::symlink_metadata(&objects) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                problems.push(Problem::new(objects.display().to_string(), "not a directory (a link is not followed): no object read"));
                return odb;
            }
            Err(e) => {
                problems.push(Problem::new(objects.display().to_string(), e.to_string()));
                return odb;
            }
        }
        let alternates = objects.join("info/alternates");
        if let Ok(m) = std::fs::symlink_metadata(&alternates) {
            if !m.is_file() || m.len() > 0 {
                problems.push(Problem::new(
                    alternates.display().to_string(),
                    "names object directories elsewhere (alternates): not followed, objects stored there are not scanned",
                ));
            }
        }
        odb.open_packs(problems);
        odb.list_loose(problems);
        odb
    }

    /// Every object found, each once (a pack's copy before a loose one).
    pub fn objects(&self) -> &[Info] {
        &self.infos
    }

    pub fn contains(&self, id: &Oid) -> bool {
        self.locs.contains_key(id)
    }

    fn add(&mut self, info: Info, loc: Loc) {
        // The first location found is kept: the object is listed once.
        if let std::collections::hash_map::Entry::Vacant(v) = self.locs.entry(info.id) {
            v.insert(loc);
            self.infos.push(info);
        }
    }

    fn open_packs(&mut self, problems: &mut Vec<Problem>) {
        let entries = match real_dir(&self.objects.join("pack")) {
            Ok(Some(e)) => e,
            Ok(None) => return,
            Err(p) => return problems.push(p),
        };
        let mut names: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        names.sort();
        for idx_path in names.iter().filter(|p| p.extension().is_some_and(|e| e == "idx")) {
            let pack_path = idx_path.with_extension("pack");
            let shown = pack_path.display().to_string();
            let opened = (|| {
                let idx_meta = regular_file(idx_path)?;
                let pack_meta = regular_file(&pack_path)?;
                // The index lists 28 bytes per object: it is never larger than a few times
                // the pack it describes, and the pack file's size is real.
                if idx_meta.len() > pack_meta.len().saturating_mul(4).saturating_add(1 << 20) {
                    return Err(Problem::new(shown.clone(), "pack index is larger than its pack could need: not read"));
                }
                let idx = std::fs::read(idx_path).map_err(|e| Problem::new(idx_path.display().to_string(), e.to_string()))?;
                let file = std::fs::File::open(&pack_path).map_err(|e| Problem::new(shown.clone(), e.to_string()))?;
                Pack::new(Box::new(file), pack_meta.len(), &idx).map_err(|e| Problem::new(shown.clone(), e.to_string()))
            })();
            let mut pack = match opened {
                Ok(p) => p,
                Err(p) => {
                    problems.push(p);
                    continue;
                }
            };
            let n = self.packs.len();
            for r in pack.list() {
                match r {
                    Ok(o) => self.add(Info { id: o.id, kind: o.kind, size: o.size }, Loc::Packed { pack: n, offset: o.offset }),
                    Err((id, e)) => problems.push(Problem::new(format!("{shown}@{id}"), e.to_string())),
                }
            }
            self.packs.push(pack);
        }
        for pack_path in names.iter().filter(|p| p.extension().is_some_and(|e| e == "pack")) {
            if !pack_path.with_extension("idx").exists() {
                problems.push(Problem::new(pack_path.display().to_string(), "pack without an index (`.idx`): not read"));
            }
        }
    }

    fn list_loose(&mut self, problems: &mut Vec<Problem>) {
        let Ok(entries) = std::fs::read_dir(&self.objects) else {
            return;
        };
        let mut dirs: Vec<(String, PathBuf)> =
            entries.filter_map(|e| e.ok()).filter_map(|e| Some((e.file_name().into_string().ok()?, e.path()))).collect();
        dirs.sort();
        for (prefix, dir) in dirs {
            if prefix.len() != 2 || !prefix.bytes().all(|c| c.is_ascii_hexdigit()) {
                continue;
            }
            if let Err(p) = std::fs::symlink_metadata(&dir).map_err(|e| e.to_string()).and_then(|m| {
                if m.is_dir() {
                    Ok(())
                } else {
                    Err("not a directory (a link is not followed): not read".to_string())
                }
            }) {
                problems.push(Problem::new(dir.display().to_string(), p));
                continue;
            }
            let Ok(files) = std::fs::read_dir(&dir) else {
                problems.push(Problem::new(dir.display().to_string(), "cannot list the directory"));
                continue;
            };
            for f in files.filter_map(|e| e.ok()) {
                let name = f.file_name();
                let Some(name) = name.to_str() else { continue };
                if name.len() == 62 && name.bytes().all(|c| c.is_ascii_hexdigit()) {
                    problems.push(Problem::new(f.path().display().to_string(), "SHA-256 object ids are not supported: not read"));
                    continue;
                }
                let Some(id) = Oid::from_hex(format!("{prefix}{name}").as_bytes()) else {
                    continue;
                };
                match loose_header(&f.path()) {
                    Ok((kind, size)) => self.add(Info { id, kind, size }, Loc::Loose),
                    Err(p) => problems.push(p),
                }
            }
        }
    }

    fn loose_path(&self, id: &Oid) -> PathBuf {
        let hex = id.to_string();
        self.objects.join(&hex[..2]).join(&hex[2..])
    }

    /// Reads an object's content; it may not be larger than `limit` bytes.
    pub fn read(&mut self, id: &Oid, limit: u64) -> Result<(Kind, Arc<Vec<u8>>), ReadError> {
        match *self.locs.get(id).ok_or(ReadError::Missing)? {
            Loc::Packed { pack, offset } => Ok(self.packs[pack].read_at(offset, limit)?),
            Loc::Loose => {
                let (kind, data) = read_loose(&self.loose_path(id), limit)?;
                Ok((kind, Arc::new(data)))
            }
        }
    }
}

/// The kind and size of a loose object, from the first inflated bytes.
fn loose_header(path: &Path) -> Result<(Kind, u64), Problem> {
    let shown = || path.display().to_string();
    regular_file(path)?;
    let file = std::fs::File::open(path).map_err(|e| Problem::new(shown(), e.to_string()))?;
    let mut head = Vec::with_capacity(32);
    flate2::read::ZlibDecoder::new(file).take(32).read_to_end(&mut head).map_err(|e| Problem::new(shown(), format!("zlib: {e}")))?;
    let (kind, size, _) = parse_loose_header(&head).map_err(|e| Problem::new(shown(), e.to_string()))?;
    Ok((kind, size))
}

/// A whole loose object, its length checked against its header and the stream's end
/// checked too.
fn read_loose(path: &Path, limit: u64) -> Result<(Kind, Vec<u8>), ReadError> {
    regular_file(path).map_err(|p| ReadError::Io(p.message))?;
    let file = std::fs::File::open(path).map_err(|e| ReadError::Io(e.to_string()))?;
    read_loose_from(file, limit)
}

/// Inflates a loose object from `compressed`, bounded by `limit`.
pub fn read_loose_from(compressed: impl Read, limit: u64) -> Result<(Kind, Vec<u8>), ReadError> {
    let zlib = |e: std::io::Error| ReadError::Object(ObjectError::Zlib(e.to_string()));
    let mut z = flate2::read::ZlibDecoder::new(compressed);
    let mut head = Vec::with_capacity(32);
    // Read byte by byte up to the NUL, so the content is read exactly once below.
    while head.len() < 32 && head.last() != Some(&0) {
        let mut b = [0u8];
        if z.read(&mut b).map_err(zlib)? == 0 {
            break;
        }
        head.push(b[0]);
    }
    let (kind, size, _) = parse_loose_header(&head)?;
    if size > limit {
        return Err(ReadError::TooLarge { size, limit });
    }
    let mut data = Vec::with_capacity(size as usize);
    (&mut z).take(size + 1).read_to_end(&mut data).map_err(zlib)?;
    if data.len() as u64 != size {
        return Err(ObjectError::SizeMismatch { declared: size, actual: data.len() as u64 }.into());
    }
    Ok((kind, data))
}
