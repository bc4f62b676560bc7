//! Container images: `docker save` tarballs and OCI image layouts (a directory, or a
//! tar of one), read into an [`ImageFs`] by applying the layers in order with OCI
//! whiteouts, without extracting anything to disk. [`scan`] collects its telemetry
//! through the same [`Root`] code path as a host.
//!
//! - `docker save`: `manifest.json` = `[{"Config": .., "RepoTags": [..], "Layers":
//!   ["<id>/layer.tar", ..]}]`; the config's `rootfs.diff_ids` are the sha256 of each
//!   uncompressed layer, and a config named `<hex>.json` or `blobs/sha256/<hex>` is
//!   named by its own digest (docker's image id).
//! - OCI (`image-layout.md`): `oci-layout`, `index.json` → (an index →) a manifest →
//!   `config` and `layers[]`, each a descriptor (`digest`, `size`) of the blob at
//!   `blobs/<alg>/<hex>`.
//!
//! **Integrity:** every blob is verified against its descriptor's digest and size,
//! every layer against its diff_id, while it streams ([`crate::digest`]); a mismatch,
//! an unreadable layer (corrupt or truncated stream, unknown compression) or a bound
//! exceeded ([`crate::memfs`]) is an [`ImageError`]: a partial image is never
//! scanned as if it were whole. Odd entries inside a readable layer (a `..` name, a
//! hard link to nothing) are [`Problem`]s.
//!
//! **Identity:** an image is its config digest (docker's image id, `sha256:…`), the
//! same whichever file or layout holds it; its names (`RepoTags`, the index's
//! `org.opencontainers.image.ref.name`) are labels only.

use std::collections::BTreeMap;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use time::OffsetDateTime;

use crate::digest::Digest;
use crate::layer::{self, Expanded, Expect, LayerError};
use crate::memfs::{self, Budget, ImageFs};
use crate::root::Root;
use crate::telemetry::{Problem, Telemetry};
use crate::Options;

/// JSON documents (manifests, index, config) larger than this are refused.
const MAX_JSON: u64 = 16 * 1024 * 1024;

/// What to do about an image that is damaged or was edited.
const REEXPORT: &str = "export the image again (`docker save IMAGE -o FILE` or `skopeo copy`)";

/// Why an image or function package could not be read (as a whole: a partial read is
/// never returned).
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// The file (or a file of an OCI layout directory) cannot be read.
    /// (`cause` is not a `source`: it is printed here, once.)
    #[error("cannot read `{path}`: {cause}")]
    Io { path: PathBuf, cause: io::Error },
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
    /// A layer's stream is corrupt, truncated or compressed in an unknown way.
    #[error("`{file}`: layer `{layer}` cannot be read ({problem}): the image is damaged or incomplete; {REEXPORT}")]
    Layer {
        file: String,
        layer: String,
        problem: String,
    },
    /// A blob does not match its digest or size.
    #[error("`{file}`: `{blob}` {problem}: the image was modified or damaged; {REEXPORT}")]
    Digest {
        file: String,
        blob: String,
        problem: String,
    },
    /// A bound on entries, uncompressed or kept bytes was exceeded.
    #[error("`{file}`: `{entry}`: {problem}")]
    Limit {
        file: String,
        entry: String,
        problem: String,
    },
}

fn malformed(file: &str, entry: &str, problem: impl ToString) -> ImageError {
    ImageError::Malformed {
        file: file.to_owned(),
        entry: entry.to_owned(),
        problem: problem.to_string(),
    }
}

/// An image read whole: its tree, identity and what was odd in it.
#[derive(Debug)]
pub struct Image {
    pub fs: ImageFs,
    /// The config digest (docker's image id), `sha256:<hex>`.
    pub id: String,
    /// Its names (`repo:tag`) when the archive gives them.
    pub names: Vec<String>,
    /// Entries skipped or files not read (over a size cap), each naming the layer.
    pub problems: Vec<Problem>,
}

impl Image {
    /// What the telemetry's root (and so the finding's resource id) is:
    /// `image:<id>`, whatever path or layout the image was read from.
    pub fn label(&self) -> String {
        format!("image:{}", self.id)
    }
}

/// Reads the image at `path` (a `docker save` tarball, an OCI layout tarball or
/// directory).
pub fn read_image(path: &Path) -> Result<Image, ImageError> {
    let label = path.display().to_string();
    let archive = if path.is_dir() {
        Archive::Dir(path.to_path_buf())
    } else {
        let io = |cause| ImageError::Io {
            path: path.to_path_buf(),
            cause,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        let len = file.metadata().map_err(io)?.len();
        let members = index_tar(BufReader::new(file), &label)?;
        Archive::Tar {
            src: Src::File(path.to_path_buf(), len),
            members,
        }
    };
    read_archive(&archive, &label)
}

/// [`read_image`] over the bytes of a tarball named `name` (for errors).
pub fn read_image_bytes(name: &str, bytes: &[u8]) -> Result<Image, ImageError> {
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
/// `Unknown(`[`crate::NOT_IMAGE`]`)`, and so is the host name: an image's
/// `/etc/hostname` is replaced when a container starts). The telemetry's root is
/// [`Image::label`]; the image's problems come first. Also returns the image's names.
pub fn scan(
    path: &Path,
    now: OffsetDateTime,
    options: &Options,
) -> Result<(Telemetry, Vec<String>), ImageError> {
    let image = read_image(path)?;
    let label = image.label();
    let mut t = crate::collect_root(&Root::image(image.fs, label), now, options);
    t.host.hostname = rampart_model::Observed::Unknown(crate::NOT_IMAGE.to_owned());
    let mut problems = image.problems;
    problems.append(&mut t.problems);
    t.problems = problems;
    Ok((t, image.names))
}

enum Src<'a> {
    /// The tarball and its length.
    File(PathBuf, u64),
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
                let io = |cause| ImageError::Io {
                    path: path.clone(),
                    cause,
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
                                Src::File(p, len) => {
                                    let io = |cause| ImageError::Io {
                                        path: p.clone(),
                                        cause,
                                    };
                                    if offset.saturating_add(size) > *len {
                                        return Err(malformed(
                                            label,
                                            &name,
                                            "data is past the end of the archive (the tarball is truncated)",
                                        ));
                                    }
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

    /// A JSON document's bytes (at most [`MAX_JSON`]), verified against `expect`
    /// (its descriptor's digest and size) when there is one.
    fn bytes(
        &self,
        name: &str,
        label: &str,
        expect: Option<(&Digest, u64)>,
    ) -> Result<Vec<u8>, ImageError> {
        let (r, len) = self.open(name, label)?;
        if len > MAX_JSON {
            return Err(malformed(
                label,
                name,
                format!("{len} bytes is too large for a manifest or config"),
            ));
        }
        let mut buf = Vec::new();
        r.take(MAX_JSON)
            .read_to_end(&mut buf)
            .map_err(|e| malformed(label, name, e))?;
        if let Some((digest, size)) = expect {
            let mismatch = |problem| ImageError::Digest {
                file: label.to_owned(),
                blob: name.to_owned(),
                problem,
            };
            if buf.len() as u64 != size {
                return Err(mismatch(format!(
                    "is {} bytes, not the {size} its descriptor says",
                    buf.len()
                )));
            }
            let mut h = digest.hasher();
            h.update(&buf);
            let got = h.finish();
            if &got != digest {
                return Err(mismatch(format!(
                    "has digest `{got}`, not its descriptor's `{digest}`"
                )));
            }
        }
        Ok(buf)
    }

    fn json<T: for<'de> Deserialize<'de>>(
        &self,
        name: &str,
        label: &str,
        expect: Option<(&Digest, u64)>,
    ) -> Result<(T, Vec<u8>), ImageError> {
        let bytes = self.bytes(name, label, expect)?;
        let doc = serde_json::from_slice(&bytes)
            .map_err(|e| malformed(label, name, format!("invalid JSON: {e}")))?;
        Ok((doc, bytes))
    }
}

#[derive(Deserialize)]
struct DockerManifest {
    #[serde(rename = "Config", default)]
    config: String,
    #[serde(rename = "RepoTags", default)]
    repo_tags: Option<Vec<String>>,
    #[serde(rename = "Layers", default)]
    layers: Vec<String>,
}

/// The part of an image config that names the layers (`config.md`, `rootfs`).
#[derive(Deserialize)]
struct Config {
    #[serde(default)]
    rootfs: Option<RootFs>,
}

#[derive(Deserialize)]
struct RootFs {
    #[serde(default)]
    diff_ids: Vec<String>,
}

#[derive(Deserialize)]
struct Descriptor {
    #[serde(rename = "mediaType", default)]
    media_type: String,
    digest: String,
    /// Required by `descriptor.md`; checked where the blob is read.
    #[serde(default)]
    size: Option<u64>,
    #[serde(default)]
    platform: Option<Platform>,
    #[serde(default)]
    annotations: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct Platform {
    #[serde(default)]
    os: String,
    #[serde(default)]
    architecture: String,
}

/// An OCI index or manifest (or Docker's v2 list / manifest).
#[derive(Deserialize)]
struct OciDoc {
    #[serde(rename = "mediaType", default)]
    media_type: String,
    #[serde(default)]
    manifests: Vec<Descriptor>,
    #[serde(default)]
    config: Option<Descriptor>,
    #[serde(default)]
    layers: Option<Vec<Descriptor>>,
}

impl Descriptor {
    /// The digest, blob path and size, or why the descriptor cannot be trusted.
    fn verified(&self, label: &str, at: &str) -> Result<(Digest, String, u64), ImageError> {
        let digest = Digest::parse(&self.digest)
            .map_err(|e| malformed(label, at, format!("bad digest: {e}")))?;
        let size = self.size.ok_or_else(|| {
            malformed(
                label,
                at,
                format!("the descriptor of `{}` has no size", self.digest),
            )
        })?;
        let path = digest.blob_path();
        Ok((digest, path, size))
    }
}

/// One layer to apply: where it is, how it is named in messages, what it must hash to.
struct LayerPlan {
    member: String,
    shown: String,
    expect: Expect,
}

/// The layers (bottom first), the config digest and the image's names.
struct Plan {
    layers: Vec<LayerPlan>,
    id: String,
    names: Vec<String>,
}

fn problem(message: String) -> Problem {
    Problem {
        section: "image".to_owned(),
        message,
    }
}

/// The config's diff_ids, one per layer; `required` for `docker save` (the only
/// digests of its layers).
fn diff_ids(
    config: &[u8],
    layers: usize,
    label: &str,
    at: &str,
    required: bool,
) -> Result<Vec<Option<Digest>>, ImageError> {
    let config: Config = serde_json::from_slice(config)
        .map_err(|e| malformed(label, at, format!("invalid JSON: {e}")))?;
    let ids = config.rootfs.map(|r| r.diff_ids).unwrap_or_default();
    if ids.is_empty() && !required {
        return Ok(vec![None; layers]);
    }
    if ids.len() != layers {
        return Err(malformed(
            label,
            at,
            format!(
                "`rootfs.diff_ids` lists {} layer digests for {layers} layers: the layers cannot be verified",
                ids.len()
            ),
        ));
    }
    ids.iter()
        .map(|d| {
            Digest::parse(d)
                .map(Some)
                .map_err(|e| malformed(label, at, format!("bad diff_id: {e}")))
        })
        .collect()
}

/// `docker save`'s `manifest.json`.
fn docker_plan(
    archive: &Archive,
    label: &str,
    problems: &mut Vec<Problem>,
) -> Result<Plan, ImageError> {
    let (manifests, _): (Vec<DockerManifest>, _) = archive.json("manifest.json", label, None)?;
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
    let inside = |p: &str| {
        member_name(Path::new(p)).ok_or_else(|| {
            malformed(
                label,
                "manifest.json",
                format!("path `{p}` leaves the archive"),
            )
        })
    };
    if first.config.is_empty() {
        return Err(malformed(label, "manifest.json", "names no `Config`"));
    }
    let config_name = inside(&first.config)?;
    let config = archive.bytes(&config_name, label, None)?;
    let id = Digest::sha256_of(&config);
    // The config's name is its own digest (`<hex>.json` before docker 25,
    // `blobs/sha256/<hex>` after).
    if let Some(named) = named_digest(&config_name) {
        if named != id {
            return Err(ImageError::Digest {
                file: label.to_owned(),
                blob: config_name,
                problem: format!("has digest `{id}`, not the one its name says"),
            });
        }
    }
    let ids = diff_ids(&config, first.layers.len(), label, &config_name, true)?;
    let layers = first
        .layers
        .iter()
        .zip(ids)
        .map(|(l, diff_id)| {
            let member = inside(l)?;
            let blob = named_digest(&member).map(|d| (d, None));
            Ok(LayerPlan {
                shown: diff_id.as_ref().map_or(member.clone(), Digest::to_string),
                member,
                expect: Expect { blob, diff_id },
            })
        })
        .collect::<Result<_, ImageError>>()?;
    Ok(Plan {
        layers,
        id: id.to_string(),
        names: first.repo_tags.unwrap_or_default(),
    })
}

/// The digest a member's name states: `<64 hex>.json`, `blobs/<alg>/<hex>`.
fn named_digest(member: &str) -> Option<Digest> {
    if let Some(rest) = member.strip_prefix("blobs/") {
        let (alg, hex) = rest.split_once('/')?;
        return Digest::parse(&format!("{alg}:{hex}")).ok();
    }
    let hex = member.strip_suffix(".json")?;
    Digest::parse(&format!("sha256:{hex}")).ok()
}

/// An OCI layout: `index.json` → (indexes →) a manifest, every blob verified.
fn oci_plan(
    archive: &Archive,
    label: &str,
    problems: &mut Vec<Problem>,
) -> Result<Plan, ImageError> {
    let (mut doc, _): (OciDoc, _) = archive.json("index.json", label, None)?;
    let mut at = "index.json".to_owned();
    let mut names = Vec::new();
    for _ in 0..8 {
        if let Some(layers) = doc.layers {
            let config = doc
                .config
                .ok_or_else(|| malformed(label, &at, "the manifest has no `config`"))?;
            let (config_digest, config_path, size) = config.verified(label, &at)?;
            let config_bytes = archive.bytes(&config_path, label, Some((&config_digest, size)))?;
            let ids = diff_ids(&config_bytes, layers.len(), label, &config_path, false)?;
            let layers = layers
                .iter()
                .zip(ids)
                .map(|(d, diff_id)| {
                    let (digest, member, size) = d.verified(label, &at)?;
                    Ok(LayerPlan {
                        shown: digest.to_string(),
                        member,
                        expect: Expect {
                            blob: Some((digest, Some(size))),
                            diff_id,
                        },
                    })
                })
                .collect::<Result<_, ImageError>>()?;
            return Ok(Plan {
                layers,
                id: config_digest.to_string(),
                names,
            });
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
        // The name the layout gives the image (`annotations.md`): containerd's full
        // name when present, else the reference name.
        if names.is_empty() {
            let a = &pick.annotations;
            if let Some(n) = a
                .get("io.containerd.image.name")
                .or_else(|| a.get("org.opencontainers.image.ref.name"))
            {
                names.push(n.clone());
            }
        }
        let (digest, next, size) = pick.verified(label, &at)?;
        doc = archive.json(&next, label, Some((&digest, size)))?.0;
        at = next;
    }
    Err(malformed(label, &at, "indexes nested too deep"))
}

fn read_archive(archive: &Archive, label: &str) -> Result<Image, ImageError> {
    let mut problems = Vec::new();
    let plan = if archive.has("manifest.json") {
        docker_plan(archive, label, &mut problems)?
    } else if archive.has("index.json") {
        oci_plan(archive, label, &mut problems)?
    } else {
        return Err(ImageError::NotAnImage {
            file: label.to_owned(),
        });
    };
    let mut fs = ImageFs::new();
    let mut budget = Budget::default();
    let expanded = Expanded::default();
    for l in &plan.layers {
        let (r, _) = archive.open(&l.member, label)?;
        let at = format!("`{label}`: layer `{}`", l.shown);
        layer::apply_layer(
            &mut fs,
            r,
            &l.expect,
            &at,
            &mut budget,
            &expanded,
            &mut problems,
        )
        .map_err(|e| match e {
            LayerError::Unreadable(problem) => ImageError::Layer {
                file: label.to_owned(),
                layer: l.shown.clone(),
                problem,
            },
            LayerError::Mismatch(problem) => ImageError::Digest {
                file: label.to_owned(),
                blob: l.member.clone(),
                problem,
            },
            LayerError::Limit(problem) => ImageError::Limit {
                file: label.to_owned(),
                entry: l.member.clone(),
                problem,
            },
        })?;
    }
    Ok(Image {
        fs,
        id: plan.id,
        names: plan.names,
        problems,
    })
}
