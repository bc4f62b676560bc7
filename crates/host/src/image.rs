//! Container images: `docker save` tarballs and OCI image layouts (a directory, or a
//! tar of one), read into an [`ImageFs`] by applying the layers in order with OCI
//! whiteouts, without extracting anything to disk. [`scan`] collects its telemetry
//! through the same [`Root`] code path as a host.
//!
//! - `docker save`: `manifest.json` = `[{"Config": .., "Layers": ["<id>/layer.tar", ..]}]`.
//! - OCI: `oci-layout`, `index.json` → (an index →) a manifest → `layers[].digest`,
//!   each at `blobs/<alg>/<hex>`.
//!
//! Layers are plain tar or gzip (detected by magic, whatever the media type says).
//! A layer whose tar stream breaks is a [`Problem`] naming the layer and the entry
//! after which it broke, and what was read of it is kept; an unreadable archive or
//! manifest is an [`ImageError`].

use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use time::OffsetDateTime;

use crate::memfs::{self, ImageFs};
use crate::root::{EntryKind, Root, Stat};
use crate::telemetry::{Problem, Telemetry};
use crate::Options;

/// JSON documents (manifests, index) larger than this are refused.
const MAX_JSON: u64 = 16 * 1024 * 1024;

/// Why an image or function package could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// The file (or a file of an OCI layout directory) cannot be read.
    #[error("cannot read `{path}`: {source}")]
    Io { path: PathBuf, source: io::Error },
    /// The archive or one of its entries is malformed.
    #[error("`{file}`: entry `{entry}`: {problem}")]
    Malformed {
        file: String,
        entry: String,
        problem: String,
    },
    /// Neither layout's index file is there.
    #[error("`{file}` is neither a `docker save` tarball nor an OCI image layout (no `manifest.json` or `index.json`)")]
    NotAnImage { file: String },
}

fn malformed(file: &str, entry: &str, problem: impl ToString) -> ImageError {
    ImageError::Malformed {
        file: file.to_owned(),
        entry: entry.to_owned(),
        problem: problem.to_string(),
    }
}

/// Reads the image at `path` (a `docker save` tarball, an OCI layout tarball or
/// directory): its file tree and what was read only in part.
pub fn read_image(path: &Path) -> Result<(ImageFs, Vec<Problem>), ImageError> {
    let label = path.display().to_string();
    let archive = if path.is_dir() {
        Archive::Dir(path.to_path_buf())
    } else {
        let file = std::fs::File::open(path).map_err(|source| ImageError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let members = index_tar(BufReader::new(file), &label)?;
        Archive::Tar {
            src: Src::File(path.to_path_buf()),
            members,
        }
    };
    read_archive(&archive, &label)
}

/// [`read_image`] over the bytes of a tarball named `name` (for errors).
pub fn read_image_bytes(name: &str, bytes: &[u8]) -> Result<(ImageFs, Vec<Problem>), ImageError> {
    let members = index_tar(io::Cursor::new(bytes), name)?;
    read_archive(
        &Archive::Tar {
            src: Src::Bytes(bytes),
            members,
        },
        name,
    )
}

/// Reads the image at `path` and collects its telemetry (packages, OS identity,
/// accounts, file modes from the layers' headers; what needs a running system is
/// `Unknown(`[`crate::NOT_IMAGE`]`)`); the image's problems come first.
pub fn scan(path: &Path, now: OffsetDateTime, options: &Options) -> Result<Telemetry, ImageError> {
    let (fs, mut problems) = read_image(path)?;
    let mut t = crate::collect_root(
        &Root::image(fs, format!("image:{}", path.display())),
        now,
        options,
    );
    problems.append(&mut t.problems);
    t.problems = problems;
    Ok(t)
}

enum Src<'a> {
    File(PathBuf),
    Bytes(&'a [u8]),
}

#[derive(Debug, Clone)]
enum Member {
    File {
        offset: u64,
        size: u64,
    },
    /// A symbolic or hard link to another member (resolved name).
    Link(String),
}

enum Archive<'a> {
    Dir(PathBuf),
    Tar {
        src: Src<'a>,
        members: BTreeMap<String, Member>,
    },
}

/// A member name without `./` or a leading `/`; `None` for names with `..`.
fn member_name(p: &Path) -> Option<String> {
    let n = memfs::normalize(p).ok()??;
    Some(n.to_string_lossy().trim_start_matches('/').to_owned())
}

/// Where each regular member's data is in the outer tarball.
fn index_tar<R: Read + Seek>(r: R, file: &str) -> Result<BTreeMap<String, Member>, ImageError> {
    let mut archive = tar::Archive::new(r);
    let mut members = BTreeMap::new();
    let mut last = "(start of archive)".to_owned();
    let entries = archive
        .entries_with_seek()
        .map_err(|e| malformed(file, &last, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| malformed(file, &format!("after {last}"), e))?;
        let raw = entry
            .path()
            .map_err(|e| malformed(file, &format!("after {last}"), e))?;
        let Some(name) = member_name(&raw) else {
            continue;
        };
        last = name.clone();
        let ty = entry.header().entry_type();
        if ty.is_file() {
            members.insert(
                name,
                Member::File {
                    offset: entry.raw_file_position(),
                    size: entry.size(),
                },
            );
        } else if ty.is_symlink() || ty.is_hard_link() {
            let Ok(Some(target)) = entry.link_name() else {
                continue;
            };
            let base = if ty.is_symlink() {
                Path::new(&name)
                    .parent()
                    .unwrap_or(Path::new(""))
                    .join(&target)
            } else {
                target.into_owned()
            };
            // `a/../b`: resolve the `..` lexically, inside the archive.
            let mut parts: Vec<String> = Vec::new();
            for c in base.components() {
                match c {
                    std::path::Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
                    std::path::Component::ParentDir => {
                        parts.pop();
                    }
                    _ => {}
                }
            }
            members.insert(name, Member::Link(parts.join("/")));
        }
    }
    Ok(members)
}

impl<'a> Archive<'a> {
    fn has(&self, name: &str) -> bool {
        match self {
            Archive::Dir(d) => d.join(name).is_file(),
            Archive::Tar { members, .. } => members.contains_key(name),
        }
    }

    fn open(&self, name: &str, label: &str) -> Result<(Box<dyn Read + 'a>, u64), ImageError> {
        match self {
            Archive::Dir(d) => {
                let path = d.join(name);
                let io = |source| ImageError::Io {
                    path: path.clone(),
                    source,
                };
                let f = std::fs::File::open(&path).map_err(io)?;
                let len = f.metadata().map_err(io)?.len();
                Ok((Box::new(f), len))
            }
            Archive::Tar { src, members } => {
                let mut name = name.to_owned();
                for _ in 0..40 {
                    match members.get(&name) {
                        None => return Err(malformed(label, &name, "is not in the archive")),
                        Some(Member::Link(to)) => name = to.clone(),
                        Some(Member::File { offset, size }) => {
                            let (offset, size) = (*offset, *size);
                            return match src {
                                Src::Bytes(b) => {
                                    let start = usize::try_from(offset).unwrap_or(usize::MAX);
                                    let end = start.saturating_add(
                                        usize::try_from(size).unwrap_or(usize::MAX),
                                    );
                                    let data = b.get(start..end).ok_or_else(|| {
                                        malformed(
                                            label,
                                            &name,
                                            "data is past the end of the archive",
                                        )
                                    })?;
                                    Ok((Box::new(data), size))
                                }
                                Src::File(p) => {
                                    let io = |source| ImageError::Io {
                                        path: p.clone(),
                                        source,
                                    };
                                    let mut f = std::fs::File::open(p).map_err(io)?;
                                    f.seek(SeekFrom::Start(offset)).map_err(io)?;
                                    Ok((Box::new(f.take(size)), size))
                                }
                            };
                        }
                    }
                }
                Err(malformed(label, &name, "too many levels of links"))
            }
        }
    }

    fn json<T: for<'de> Deserialize<'de>>(&self, name: &str, label: &str) -> Result<T, ImageError> {
        let (r, len) = self.open(name, label)?;
        if len > MAX_JSON {
            return Err(malformed(
                label,
                name,
                format!("{len} bytes is too large for a manifest"),
            ));
        }
        let mut buf = Vec::new();
        r.take(MAX_JSON)
            .read_to_end(&mut buf)
            .map_err(|e| malformed(label, name, e))?;
        serde_json::from_slice(&buf)
            .map_err(|e| malformed(label, name, format!("invalid JSON: {e}")))
    }
}

#[derive(Deserialize)]
struct DockerManifest {
    #[serde(rename = "Layers", default)]
    layers: Vec<String>,
}

#[derive(Deserialize)]
struct Descriptor {
    #[serde(rename = "mediaType", default)]
    media_type: String,
    digest: String,
    #[serde(default)]
    platform: Option<Platform>,
}

#[derive(Deserialize)]
struct Platform {
    #[serde(default)]
    os: String,
    #[serde(default)]
    architecture: String,
}

/// An OCI index or manifest (or Docker's v2 list / manifest): one of the two lists.
#[derive(Deserialize)]
struct OciDoc {
    #[serde(rename = "mediaType", default)]
    media_type: String,
    #[serde(default)]
    manifests: Vec<Descriptor>,
    #[serde(default)]
    layers: Option<Vec<Descriptor>>,
}

/// `sha256:<hex>` ⇒ `blobs/sha256/<hex>`, refusing anything that could leave `blobs/`.
fn blob_path(digest: &str) -> Option<String> {
    let (alg, hex) = digest.split_once(':')?;
    let ok_alg = !alg.is_empty()
        && alg
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "+._-".contains(c));
    let ok_hex = !hex.is_empty()
        && hex
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "=_-".contains(c));
    (ok_alg && ok_hex).then(|| format!("blobs/{alg}/{hex}"))
}

/// The layer members, bottom first.
fn layers(
    archive: &Archive,
    label: &str,
    problems: &mut Vec<Problem>,
) -> Result<Vec<String>, ImageError> {
    if archive.has("manifest.json") {
        let manifests: Vec<DockerManifest> = archive.json("manifest.json", label)?;
        if manifests.len() > 1 {
            problems.push(problem(format!(
                "`{label}`: `manifest.json` lists {} images: only the first is scanned",
                manifests.len()
            )));
        }
        let first = manifests
            .into_iter()
            .next()
            .ok_or_else(|| malformed(label, "manifest.json", "lists no image"))?;
        return first
            .layers
            .into_iter()
            .map(|l| {
                member_name(Path::new(&l)).ok_or_else(|| {
                    malformed(
                        label,
                        "manifest.json",
                        format!("layer path `{l}` leaves the archive"),
                    )
                })
            })
            .collect();
    }
    if !archive.has("index.json") {
        return Err(ImageError::NotAnImage {
            file: label.to_owned(),
        });
    }
    let mut doc: OciDoc = archive.json("index.json", label)?;
    let mut at = "index.json".to_owned();
    for _ in 0..8 {
        if let Some(layers) = doc.layers {
            return layers
                .iter()
                .map(|d| {
                    blob_path(&d.digest).ok_or_else(|| {
                        malformed(label, &at, format!("bad layer digest `{}`", d.digest))
                    })
                })
                .collect();
        }
        // An index: prefer linux/amd64, else the first image manifest.
        let pick = doc
            .manifests
            .iter()
            .find(|d| {
                d.platform
                    .as_ref()
                    .is_some_and(|p| p.os == "linux" && p.architecture == "amd64")
            })
            .or_else(|| {
                doc.manifests
                    .iter()
                    .find(|d| !d.media_type.contains("attestation"))
            })
            .ok_or_else(|| {
                malformed(
                    label,
                    &at,
                    format!(
                        "{} lists no manifest",
                        if doc.media_type.is_empty() {
                            "index"
                        } else {
                            &doc.media_type
                        }
                    ),
                )
            })?;
        if doc.manifests.len() > 1 {
            problems.push(problem(format!(
                "`{label}`: `{at}` lists {} manifests: only `{}` is scanned",
                doc.manifests.len(),
                pick.digest
            )));
        }
        let next = blob_path(&pick.digest)
            .ok_or_else(|| malformed(label, &at, format!("bad digest `{}`", pick.digest)))?;
        doc = archive.json(&next, label)?;
        at = next;
    }
    Err(malformed(label, &at, "indexes nested too deep"))
}

fn problem(message: String) -> Problem {
    Problem {
        section: "image".to_owned(),
        message,
    }
}

fn read_archive(archive: &Archive, label: &str) -> Result<(ImageFs, Vec<Problem>), ImageError> {
    let mut problems = Vec::new();
    let layers = layers(archive, label, &mut problems)?;
    let mut fs = ImageFs::new();
    for layer in &layers {
        let (r, _) = archive.open(layer, label)?;
        apply_layer(
            &mut fs,
            r,
            &format!("`{label}`: layer `{layer}`"),
            &mut problems,
        )?;
    }
    Ok((fs, problems))
}

/// One change a layer makes.
enum Op {
    Add {
        path: PathBuf,
        stat: Stat,
        link: Option<PathBuf>,
        content: Option<memfs::Content>,
    },
    HardLink {
        path: PathBuf,
        target: PathBuf,
    },
}

/// Applies one layer (plain or gzip tar) to `fs`: its whiteouts first (they only hide
/// lower layers), then its entries in order. `at` names the layer in messages.
pub(crate) fn apply_layer(
    fs: &mut ImageFs,
    r: Box<dyn Read + '_>,
    at: &str,
    problems: &mut Vec<Problem>,
) -> Result<(), ImageError> {
    let mut r = BufReader::new(r);
    let magic = r
        .fill_buf()
        .map(|b| b.get(..4).unwrap_or(b).to_vec())
        .unwrap_or_default();
    let r: Box<dyn Read + '_> = if magic.starts_with(&[0x1f, 0x8b]) {
        Box::new(flate2::bufread::MultiGzDecoder::new(r))
    } else if magic.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        problems.push(problem(format!(
            "{at}: zstd-compressed layers are not supported: skipped"
        )));
        return Ok(());
    } else {
        Box::new(r)
    };
    let mut archive = tar::Archive::new(r);
    let mut deletions: Vec<(PathBuf, bool)> = Vec::new(); // (path, opaque)
    let mut ops: Vec<Op> = Vec::new();
    let mut last = String::from("(start of layer)");
    let entries = match archive.entries() {
        Ok(e) => e,
        Err(e) => {
            problems.push(problem(format!("{at}: {e}")));
            return Ok(());
        }
    };
    for entry in entries {
        let mut entry = match entry {
            Ok(e) => e,
            Err(e) => {
                problems.push(problem(format!(
                    "{at}: after entry `{last}`: {e}: rest of the layer skipped"
                )));
                break;
            }
        };
        let raw = match entry.path() {
            Ok(p) => p.into_owned(),
            Err(e) => {
                problems.push(problem(format!(
                    "{at}: after entry `{last}`: bad name: {e}"
                )));
                continue;
            }
        };
        last = raw.display().to_string();
        let path = match memfs::normalize(&raw) {
            Ok(Some(p)) => p,
            Ok(None) => continue, // the layer's `./`
            Err(e) => {
                problems.push(problem(format!("{at}: entry `{last}`: {e}: skipped")));
                continue;
            }
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let parent = path.parent().unwrap_or(Path::new("/")).to_path_buf();
        if name == ".wh..wh..opq" {
            deletions.push((parent, true));
            continue;
        }
        if let Some(hidden) = name.strip_prefix(".wh.") {
            if !hidden.starts_with(".wh.") && !hidden.is_empty() {
                deletions.push((parent.join(hidden), false));
            }
            continue;
        }
        let h = entry.header();
        let num = |v: io::Result<u64>| v.ok().and_then(|v| u32::try_from(v).ok()).unwrap_or(0);
        let ty = h.entry_type();
        let kind = if ty.is_file() || ty.is_gnu_sparse() {
            EntryKind::File
        } else if ty.is_dir() {
            EntryKind::Dir
        } else if ty.is_symlink() {
            EntryKind::Symlink
        } else if ty.is_hard_link() {
            let target = entry
                .link_name()
                .ok()
                .flatten()
                .map(|t| memfs::normalize(&t));
            match target {
                Some(Ok(Some(target))) => ops.push(Op::HardLink { path, target }),
                _ => problems.push(problem(format!(
                    "{at}: entry `{last}`: hard link without a valid target: skipped"
                ))),
            }
            continue;
        } else if ty.is_character_special() || ty.is_block_special() || ty.is_fifo() {
            EntryKind::Other
        } else {
            continue; // PAX/GNU metadata entries are consumed by `tar`
        };
        let stat = Stat {
            kind,
            mode: num(h.mode().map(u64::from)) & 0o7777,
            uid: num(h.uid()),
            gid: num(h.gid()),
            len: if kind == EntryKind::File {
                entry.size()
            } else {
                0
            },
        };
        let link = if kind == EntryKind::Symlink {
            match entry.link_name() {
                Ok(Some(t)) => Some(t.into_owned()),
                _ => {
                    problems.push(problem(format!(
                        "{at}: entry `{last}`: symbolic link without a target: skipped"
                    )));
                    continue;
                }
            }
        } else {
            None
        };
        let content = if kind == EntryKind::File && !ty.is_gnu_sparse() {
            match memfs::capture(&path, &stat, &mut entry) {
                Ok(c) => c,
                Err(e) => {
                    problems.push(problem(format!("{at}: entry `{last}`: {e}")));
                    None
                }
            }
        } else {
            None
        };
        ops.push(Op::Add {
            path,
            stat,
            link,
            content,
        });
    }
    for (path, opaque) in deletions {
        if opaque {
            fs.clear_children(&path);
        } else {
            fs.remove(&path);
        }
    }
    for op in ops {
        let r = match op {
            Op::Add {
                path,
                stat,
                link,
                content,
            } => fs.insert(&path, stat, link, content),
            Op::HardLink { path, target } => fs
                .hard_link(&path, &target)
                .map_err(|e| format!("`{}`: {e}", path.display())),
        };
        if let Err(e) = r {
            if fs.len() >= memfs::MAX_ENTRIES {
                return Err(malformed(at, &last, e));
            }
            problems.push(problem(format!("{at}: {e}")));
        }
    }
    Ok(())
}
