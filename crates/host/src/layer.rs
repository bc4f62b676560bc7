//! One image layer applied to an [`ImageFs`]: decompressed (plain, gzip or zstd tar,
//! recognised by magic whatever the media type says — the OCI image spec's
//! `layer.md` defines `tar`, `tar+gzip` and `tar+zstd`), its whiteouts applied, and
//! its digests verified as it streams by (no second copy in memory).
//!
//! A layer that cannot be read to its end is an error, never a partial tree: a
//! missing layer leaves files of the layers below (decoys, old package databases) as
//! if they were the image's.

use std::cell::{Cell, RefCell};
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use ruzstd::decoding::errors::{FrameDecoderError, ReadFrameHeaderError};
use ruzstd::decoding::{BlockDecodingStrategy, FrameDecoder};

use crate::digest::{Digest, Hashing};
use crate::memfs::{self, Budget, ImageFs, Kept};
use crate::root::{EntryKind, Stat};
use crate::telemetry::Problem;

/// What a layer's bytes must hash to.
#[derive(Debug, Default)]
pub(crate) struct Expect {
    /// The blob as stored (OCI descriptor digest and size; a docker 25+ `blobs/` path).
    pub blob: Option<(Digest, Option<u64>)>,
    /// The uncompressed tar (the config's `rootfs.diff_ids` entry).
    pub diff_id: Option<Digest>,
}

/// Why a layer could not be applied.
#[derive(Debug)]
pub(crate) enum LayerError {
    /// The stream is corrupt, truncated or of an unknown compression.
    Unreadable(String),
    /// A digest or size does not match.
    Mismatch(String),
    /// A bound of [`memfs`] was exceeded.
    Limit(String),
}

/// Uncompressed bytes read so far over the whole image, shared by its layers.
#[derive(Debug, Default, Clone)]
pub(crate) struct Expanded(Rc<Cell<u64>>);

/// Counts uncompressed bytes; past [`memfs::MAX_EXPANDED`] it fails, and
/// `exceeded` tells the caller why the tar reader stopped.
struct Counting<R> {
    inner: R,
    total: Expanded,
    exceeded: Rc<Cell<bool>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let total = self.total.0.get().saturating_add(n as u64);
        self.total.0.set(total);
        if total > memfs::MAX_EXPANDED {
            self.exceeded.set(true);
            return Err(io::Error::other("uncompressed size limit exceeded"));
        }
        Ok(n)
    }
}

/// A zstd stream of one or more frames (skippable frames skipped, as RFC 8878 §3.1.2
/// asks). ruzstd refuses windows over 100 MiB, which bounds its buffer.
struct Zstd<R> {
    src: R,
    dec: FrameDecoder,
    in_frame: bool,
}

impl<R: BufRead> Read for Zstd<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let bad = |e: FrameDecoderError| io::Error::new(io::ErrorKind::InvalidData, format!("zstd: {e}"));
        loop {
            if self.in_frame {
                while self.dec.can_collect() < buf.len() && !self.dec.is_finished() {
                    let want = buf.len() - self.dec.can_collect();
                    self.dec.decode_blocks(&mut self.src, BlockDecodingStrategy::UptoBytes(want)).map_err(bad)?;
                }
                let n = self.dec.read(buf)?;
                if n > 0 || buf.is_empty() {
                    return Ok(n);
                }
                if self.dec.is_finished() && self.dec.can_collect() == 0 {
                    self.in_frame = false;
                }
                continue;
            }
            if self.src.fill_buf()?.is_empty() {
                return Ok(0);
            }
            match self.dec.init(&mut self.src) {
                Ok(()) => self.in_frame = true,
                Err(FrameDecoderError::ReadFrameHeaderError(ReadFrameHeaderError::SkipFrame { length, .. })) => {
                    let skipped = io::copy(&mut (&mut self.src).take(u64::from(length)), &mut io::sink())?;
                    if skipped != u64::from(length) {
                        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "zstd: skippable frame cut short"));
                    }
                }
                Err(e) => return Err(bad(e)),
            }
        }
    }
}

/// The decompressed stream of a layer, by magic: gzip (RFC 1952, members may be
/// concatenated), zstd (RFC 8878), else a plain tar.
fn decompress<'a>(raw: impl Read + 'a) -> io::Result<Box<dyn Read + 'a>> {
    let mut r = BufReader::new(raw);
    let head = r.fill_buf()?;
    Ok(if head.starts_with(&[0x1f, 0x8b]) {
        Box::new(flate2::bufread::MultiGzDecoder::new(r))
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Box::new(Zstd { src: r, dec: FrameDecoder::new(), in_frame: false })
    } else if let Some(what) = other_compression(head) {
        return Err(io::Error::new(
            io::ErrorKind::Unsupported,
            format!("{what}-compressed, which OCI layers are not (tar, gzip or zstd); convert the image (`skopeo copy --dest-compress-format gzip`)"),
        ));
    } else {
        Box::new(r)
    })
}

/// A compression OCI layers do not use, by its full magic (so that a plain tar whose
/// first name happens to start with the same letters is not mistaken for it): xz
/// (`FD 37 7A 58 5A 00`), bzip2 (`BZh`, a block size digit, the block magic
/// `31 41 59 26 53 59`), lz4 frames (`04 22 4D 18`).
fn other_compression(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(b"\xfd7zXZ\x00") {
        Some("xz")
    } else if head.len() >= 10
        && head.starts_with(b"BZh")
        && (b'1'..=b'9').contains(&head[3])
        && head[4..10] == [0x31, 0x41, 0x59, 0x26, 0x53, 0x59]
    {
        Some("bzip2")
    } else if head.starts_with(&[0x04, 0x22, 0x4d, 0x18]) {
        Some("lz4")
    } else {
        None
    }
}

/// One change a layer makes.
enum Op {
    Add { path: PathBuf, stat: Stat, link: Option<PathBuf>, content: Option<memfs::Content>, skipped: Option<String> },
    HardLink { path: PathBuf, target: PathBuf },
}

fn problem(message: String) -> Problem {
    Problem { section: "image".to_owned(), message }
}

/// Applies one layer to `fs`: its whiteouts first (they only hide lower layers), then
/// its entries in order; verifies `expect` over the whole stream. `at` names the layer
/// in problems (odd entries: skipped with a problem; the stream itself: an error).
pub(crate) fn apply_layer(
    fs: &mut ImageFs,
    raw: Box<dyn Read + '_>,
    expect: &Expect,
    at: &str,
    budget: &mut Budget,
    expanded: &Expanded,
    problems: &mut Vec<Problem>,
) -> Result<(), LayerError> {
    let blob_hash = expect.blob.as_ref().map(|(d, _)| Rc::new(RefCell::new(d.hasher())));
    let diff_hash = expect.diff_id.as_ref().map(|d| Rc::new(RefCell::new(d.hasher())));
    let raw: Box<dyn Read + '_> = match &blob_hash {
        Some(h) => Box::new(Hashing::new(raw, h.clone())),
        None => raw,
    };
    let unreadable = |e: io::Error| LayerError::Unreadable(e.to_string());
    let tar_stream = decompress(raw).map_err(unreadable)?;
    let tar_stream: Box<dyn Read + '_> = match &diff_hash {
        Some(h) => Box::new(Hashing::new(tar_stream, h.clone())),
        None => tar_stream,
    };
    let exceeded = Rc::new(Cell::new(false));
    let tar_stream = Counting { inner: tar_stream, total: expanded.clone(), exceeded: exceeded.clone() };
    let over = || LayerError::Limit(format!("more than {} bytes uncompressed: refused as a decompression bomb", memfs::MAX_EXPANDED));
    let mut archive = tar::Archive::new(tar_stream);
    let mut ops = Vec::new();
    let mut deletions = Vec::new();
    let read = read_entries(&mut archive, at, budget, &mut ops, &mut deletions, problems);
    if exceeded.get() {
        return Err(over());
    }
    read?;
    // Past the tar's end-of-archive blocks: the rest of the stream still counts for
    // the digests (and a corrupt compressed tail is still a corrupt layer).
    let drained = io::copy(&mut archive.into_inner(), &mut io::sink());
    if exceeded.get() {
        return Err(over());
    }
    drained.map_err(unreadable)?;
    verify(expect, blob_hash, diff_hash)?;

    for (path, opaque) in deletions {
        if opaque {
            fs.clear_children(&path);
        } else {
            fs.remove(&path);
        }
    }
    for op in ops {
        let r = match op {
            Op::Add { path, stat, link, content, skipped } => fs.insert(&path, stat, link, content).map(|()| {
                if let Some(why) = skipped {
                    fs.mark_skipped(&path, &why);
                }
            }),
            Op::HardLink { path, target } => fs.hard_link(&path, &target).map_err(|e| format!("`{}`: {e}", path.display())),
        };
        if let Err(e) = r {
            if fs.len() >= memfs::MAX_ENTRIES {
                return Err(LayerError::Limit(e));
            }
            problems.push(problem(format!("{at}: {e}")));
        }
    }
    Ok(())
}

fn verify(
    expect: &Expect,
    blob_hash: Option<Rc<RefCell<crate::digest::Hasher>>>,
    diff_hash: Option<Rc<RefCell<crate::digest::Hasher>>>,
) -> Result<(), LayerError> {
    // Every reader holding a clone of the hashers is gone (the archive was consumed).
    let take = |h: Rc<RefCell<crate::digest::Hasher>>| Rc::try_unwrap(h).map(RefCell::into_inner).ok();
    if let (Some((want, size)), Some(h)) = (&expect.blob, blob_hash.and_then(take)) {
        let n = h.count();
        if let Some(size) = size.filter(|s| *s != n) {
            return Err(LayerError::Mismatch(format!("is {n} bytes, not the {size} its descriptor says")));
        }
        let got = h.finish();
        if &got != want {
            return Err(LayerError::Mismatch(format!("has digest `{got}`, not its descriptor's `{want}`")));
        }
    }
    if let (Some(want), Some(h)) = (&expect.diff_id, diff_hash.and_then(take)) {
        let got = h.finish();
        if &got != want {
            return Err(LayerError::Mismatch(format!("uncompressed has digest `{got}`, not the config's diff_id `{want}`")));
        }
    }
    Ok(())
}

/// Reads the layer's entries into `ops` and `deletions` (path, opaque).
fn read_entries<R: Read>(
    archive: &mut tar::Archive<R>,
    at: &str,
    budget: &mut Budget,
    ops: &mut Vec<Op>,
    deletions: &mut Vec<(PathBuf, bool)>,
    problems: &mut Vec<Problem>,
) -> Result<(), LayerError> {
    let mut last = String::from("(start of layer)");
    let broken = |last: &str, e: &dyn std::fmt::Display| LayerError::Unreadable(format!("after entry `{last}`: {e}"));
    let entries = archive.entries().map_err(|e| broken(&last, &e))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| broken(&last, &e))?;
        budget.entry().map_err(LayerError::Limit)?;
        let raw = match entry.path() {
            Ok(p) => p.into_owned(),
            Err(e) => {
                problems.push(problem(format!("{at}: after entry `{last}`: bad name: {e}")));
                continue;
            }
        };
        last = raw.display().to_string();
        // `..` and absolute names never leave the tree: absolute is taken inside it,
        // `..` is refused (the real filesystem is never touched either way).
        let path = match memfs::normalize(&raw) {
            Ok(Some(p)) => p,
            Ok(None) => continue, // the layer's `./`
            Err(e) => {
                problems.push(problem(format!("{at}: entry `{last}`: {e}: skipped")));
                continue;
            }
        };
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let parent = path.parent().unwrap_or(Path::new("/")).to_path_buf();
        // Whiteouts: the OCI image spec's `layer.md`, "Whiteouts".
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
            let target = entry.link_name().ok().flatten().map(|t| memfs::normalize(&t));
            match target {
                Some(Ok(Some(target))) => ops.push(Op::HardLink { path, target }),
                _ => problems.push(problem(format!("{at}: entry `{last}`: hard link without a valid target: skipped"))),
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
            len: if kind == EntryKind::File { entry.size() } else { 0 },
        };
        let link = if kind == EntryKind::Symlink {
            match entry.link_name() {
                Ok(Some(t)) => Some(t.into_owned()),
                _ => {
                    problems.push(problem(format!("{at}: entry `{last}`: symbolic link without a target: skipped")));
                    continue;
                }
            }
        } else {
            None
        };
        let (mut content, mut skipped) = (None, None);
        if kind == EntryKind::File && !ty.is_gnu_sparse() {
            match memfs::capture_member(&path, &stat, &mut entry, budget) {
                Ok(Kept::Nothing) => {}
                Ok(Kept::Content(c)) => content = Some(c),
                Ok(Kept::Skipped(why)) => {
                    problems.push(problem(format!("{at}: {why}")));
                    skipped = Some(why);
                }
                Err(e) if e.kind() == io::ErrorKind::OutOfMemory => return Err(LayerError::Limit(e.to_string())),
                Err(e) => return Err(broken(&last, &e)),
            }
        }
        ops.push(Op::Add { path, stat, link, content, skipped });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tar_of(path: &str, data: &[u8]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        b.append_data(&mut h, path, data).unwrap();
        b.into_inner().unwrap()
    }

    #[test]
    fn other_compressions_are_recognised_by_their_whole_magic() {
        assert_eq!(other_compression(b"BZh91AY&SY\x00"), Some("bzip2"));
        assert_eq!(other_compression(b"BZh_notes.txt\x00\x00\x00"), None);
        assert_eq!(other_compression(b"\xfd7zXZ\x00\x00"), Some("xz"));
        assert_eq!(other_compression(b"\x04\x22\x4d\x18"), Some("lz4"));
        assert_eq!(other_compression(b"etc/passwd"), None);
    }

    #[test]
    fn the_uncompressed_total_is_bounded_across_layers() {
        let layer = tar_of("etc/os-release", b"ID=debian\n");
        let expanded = Expanded::default();
        // As if earlier layers had already expanded to just under the limit.
        expanded.0.set(memfs::MAX_EXPANDED - 100);
        let mut fs = ImageFs::new();
        let err =
            apply_layer(&mut fs, Box::new(&layer[..]), &Expect::default(), "layer", &mut Budget::default(), &expanded, &mut Vec::new())
                .unwrap_err();
        let LayerError::Limit(msg) = err else { panic!("{err:?}") };
        assert!(msg.contains("uncompressed: refused as a decompression bomb"), "{msg}");
        assert!(fs.stat(Path::new("/etc/os-release")).is_err(), "nothing applied");
    }

    #[test]
    fn every_byte_of_the_stream_counts_for_the_digests() {
        // Data after the tar's end-of-archive blocks changes the blob: it is hashed.
        let mut layer = tar_of("etc/os-release", b"ID=debian\n");
        let good = Digest::sha256_of(&layer);
        layer.extend_from_slice(b"trailing");
        let expect = Expect { blob: Some((good, Some(layer.len() as u64))), diff_id: None };
        let err = apply_layer(
            &mut ImageFs::new(),
            Box::new(&layer[..]),
            &expect,
            "layer",
            &mut Budget::default(),
            &Expanded::default(),
            &mut Vec::new(),
        )
        .unwrap_err();
        assert!(matches!(err, LayerError::Mismatch(ref m) if m.contains("has digest")), "{err:?}");
    }
}
