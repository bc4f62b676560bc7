//! Pack files (version 2 and 3) through their version-2 index, with delta resolution.
//!
//! Formats: Git's `Documentation/gitformat-pack.txt` ("pack-*.pack files have the following
//! format", "Original (version 1) pack-*.idx files" / "Version 2 pack-*.idx files", and
//! "Deltified representation"). Hostile input is bounded:
//! - the number of objects comes from the index and is checked against the index's length
//!   before anything is allocated, so a header claiming billions of objects costs nothing;
//! - every inflated object must be exactly as long as its header says, and no object (nor a
//!   delta base on the way to it) may exceed the caller's size limit;
//! - delta chains longer than [`MAX_DELTA_DEPTH`] are refused (cycles included);
//! - a `REF_DELTA` base must be in the same pack (git's `index-pack --fix-thin` makes every
//!   stored pack self-contained).

use super::object::{Kind, ObjectError, Oid};
use flate2::{Decompress, FlushDecompress, Status};
use std::collections::HashMap;
use std::sync::Arc;

/// Longest delta chain followed. `git pack-objects --depth` accepts at most 4095.
pub const MAX_DELTA_DEPTH: usize = 4095;
/// Inflated delta bases kept for reuse while reading one pack.
const CACHE_BYTES: usize = 64 << 20;

/// Random access to a pack's bytes: a file or, for tests and fuzzing, memory.
pub trait ReadAt {
    /// Reads up to `buf.len()` bytes at `offset`; 0 at the end.
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize>;
}

impl ReadAt for [u8] {
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
        let Some(rest) = usize::try_from(offset).ok().and_then(|o| self.get(o..)) else {
            return Ok(0);
        };
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        Ok(n)
    }
}

impl ReadAt for Vec<u8> {
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
        self.as_slice().read_at(offset, buf)
    }
}

impl ReadAt for std::fs::File {
    #[cfg(unix)]
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
        std::os::unix::fs::FileExt::read_at(self, buf, offset)
    }
    #[cfg(windows)]
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
        std::os::windows::fs::FileExt::seek_read(self, buf, offset)
    }
}

/// Why a pack or one of its objects could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PackError {
    #[error("not a version 2 pack index")]
    IndexFormat,
    #[error("pack index is truncated or inconsistent")]
    IndexLayout,
    #[error("not a pack file (version 2 or 3)")]
    PackFormat,
    #[error("pack holds {pack} objects but its index lists {index}")]
    CountMismatch { pack: u32, index: u32 },
    #[error("pack entry at offset {0} is malformed")]
    Entry(u64),
    #[error("delta base of the entry at offset {0} is not in this pack")]
    MissingBase(u64),
    #[error("delta chain at offset {0} is longer than {MAX_DELTA_DEPTH} or loops")]
    DeltaDepth(u64),
    #[error("pack entry at offset {offset}: {source}")]
    Object { offset: u64, source: ObjectError },
    #[error("read failed: {0}")]
    Io(String),
}

/// How an entry is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stored {
    Whole(Kind),
    /// `OBJ_OFS_DELTA`: base at this offset.
    OfsDelta(u64),
    /// `OBJ_REF_DELTA`: base with this id.
    RefDelta(Oid),
}

/// An entry's header: how it is stored, the inflated size of its data (the object, or the
/// delta) and where its zlib stream starts.
#[derive(Debug, Clone, Copy)]
struct Entry {
    stored: Stored,
    size: u64,
    data: u64,
}

/// One object of a pack: id, kind and size (after delta resolution).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackObject {
    pub id: Oid,
    pub offset: u64,
    pub kind: Kind,
    pub size: u64,
}

/// A pack and its index.
pub struct Pack<S: ReadAt + ?Sized> {
    /// Ids sorted ascending, with their offsets.
    ids: Vec<Oid>,
    offsets: Vec<u64>,
    len: u64,
    cache: HashMap<u64, (Kind, Arc<Vec<u8>>)>,
    cached_bytes: usize,
    src: Box<S>,
}

impl<S: ReadAt + ?Sized> Pack<S> {
    /// Opens a pack of `len` bytes given its `.idx` contents.
    pub fn new(src: Box<S>, len: u64, idx: &[u8]) -> Result<Self, PackError> {
        let (ids, offsets) = parse_index(idx, len)?;
        let mut head = [0u8; 12];
        if read_full(&*src, 0, &mut head)? != 12 || &head[..4] != b"PACK" || !matches!(be32(&head[4..]), 2 | 3) {
            return Err(PackError::PackFormat);
        }
        let count = be32(&head[8..]);
        if count as usize != ids.len() {
            return Err(PackError::CountMismatch { pack: count, index: ids.len() as u32 });
        }
        Ok(Pack { ids, offsets, len, cache: HashMap::new(), cached_bytes: 0, src })
    }

    /// The indexed ids, ascending.
    pub fn ids(&self) -> &[Oid] {
        &self.ids
    }

    /// The offset of `id` in this pack.
    pub fn offset_of(&self, id: &Oid) -> Option<u64> {
        self.ids.binary_search(id).ok().map(|i| self.offsets[i])
    }

    /// Every object's kind and size, reading only headers (and the first bytes of deltas);
    /// an entry that cannot be understood is an error of its own, next to the others.
    pub fn list(&mut self) -> Vec<Result<PackObject, (Oid, PackError)>> {
        let mut kinds: HashMap<u64, Kind> = HashMap::new();
        let mut order: Vec<usize> = (0..self.ids.len()).collect();
        order.sort_by_key(|&i| self.offsets[i]);
        let mut out = Vec::with_capacity(order.len());
        for i in order {
            let (id, offset) = (self.ids[i], self.offsets[i]);
            let r = self.kind_at(offset, &mut kinds).and_then(|kind| Ok(PackObject { id, offset, kind, size: self.size_at(offset)? }));
            out.push(r.map_err(|e| (id, e)));
        }
        out
    }

    /// The kind at the end of the delta chain from `offset`, remembering every kind found.
    fn kind_at(&self, offset: u64, known: &mut HashMap<u64, Kind>) -> Result<Kind, PackError> {
        let mut chain = Vec::new();
        let mut at = offset;
        let kind = loop {
            if let Some(k) = known.get(&at) {
                break *k;
            }
            if chain.len() > MAX_DELTA_DEPTH {
                return Err(PackError::DeltaDepth(offset));
            }
            chain.push(at);
            match self.entry(at)?.stored {
                Stored::Whole(k) => break k,
                Stored::OfsDelta(base) => at = base,
                Stored::RefDelta(id) => at = self.offset_of(&id).ok_or(PackError::MissingBase(at))?,
            }
        };
        for o in chain {
            known.insert(o, kind);
        }
        Ok(kind)
    }

    /// The object's size: its header's, or a delta's result size.
    fn size_at(&self, offset: u64) -> Result<u64, PackError> {
        let e = self.entry(offset)?;
        if let Stored::Whole(_) = e.stored {
            return Ok(e.size);
        }
        // Two varints of at most 10 bytes each.
        let head = inflate(&*self.src, e.data, 20, false).map_err(|source| PackError::Object { offset, source })?;
        let (_, p) = varint(&head, 0).ok_or(PackError::Entry(offset))?;
        let (result, _) = varint(&head, p).ok_or(PackError::Entry(offset))?;
        Ok(result)
    }

    /// Reads the object at `offset`, resolving deltas; neither it nor any base on the way
    /// may be larger than `limit` bytes.
    pub fn read_at(&mut self, offset: u64, limit: u64) -> Result<(Kind, Arc<Vec<u8>>), PackError> {
        let mut chain: Vec<Entry> = Vec::new();
        let mut offsets: Vec<u64> = Vec::new();
        let mut at = offset;
        let (kind, mut data) = loop {
            if let Some((k, d)) = self.cache.get(&at) {
                break (*k, d.clone());
            }
            if chain.len() > MAX_DELTA_DEPTH {
                return Err(PackError::DeltaDepth(offset));
            }
            let e = self.entry(at)?;
            let too_large = |size| PackError::Object { offset: at, source: ObjectError::TooLarge { size, limit } };
            match e.stored {
                Stored::Whole(k) => {
                    if e.size > limit {
                        return Err(too_large(e.size));
                    }
                    let d = inflate(&*self.src, e.data, e.size, true).map_err(|source| PackError::Object { offset: at, source })?;
                    break (k, Arc::new(d));
                }
                Stored::OfsDelta(base) => {
                    chain.push(e);
                    offsets.push(at);
                    at = base;
                }
                Stored::RefDelta(id) => {
                    chain.push(e);
                    offsets.push(at);
                    at = self.offset_of(&id).ok_or(PackError::MissingBase(at))?;
                }
            }
        };
        while let (Some(e), Some(at)) = (chain.pop(), offsets.pop()) {
            // A delta is a few bytes per copy and the inserted bytes: at most about twice
            // its result, which the limit bounds.
            let delta_limit = limit.saturating_mul(2).saturating_add(1 << 16);
            if e.size > delta_limit {
                return Err(PackError::Object { offset: at, source: ObjectError::TooLarge { size: e.size, limit: delta_limit } });
            }
            let delta = inflate(&*self.src, e.data, e.size, true).map_err(|source| PackError::Object { offset: at, source })?;
            let result = apply_delta(&data, &delta, limit).map_err(|source| PackError::Object { offset: at, source })?;
            data = Arc::new(result);
            self.remember(at, kind, &data);
        }
        Ok((kind, data))
    }

    fn remember(&mut self, offset: u64, kind: Kind, data: &Arc<Vec<u8>>) {
        if data.len() > CACHE_BYTES / 8 {
            return;
        }
        if self.cached_bytes + data.len() > CACHE_BYTES {
            self.cache.clear();
            self.cached_bytes = 0;
        }
        self.cached_bytes += data.len();
        self.cache.insert(offset, (kind, data.clone()));
    }

    /// Parses the entry header at `offset` (`gitformat-pack`: "n-byte type and length
    /// (3-bit type, (n-1)*7+4-bit length)", then the base for deltas).
    fn entry(&self, offset: u64) -> Result<Entry, PackError> {
        let bad = || PackError::Entry(offset);
        // The 20-byte trailer follows the last entry.
        if offset < 12 || offset >= self.len.saturating_sub(20) {
            return Err(bad());
        }
        let mut head = [0u8; 40];
        let n = read_full(&*self.src, offset, &mut head)?;
        let head = &head[..n];
        let first = *head.first().ok_or_else(bad)?;
        let t = (first >> 4) & 7;
        let mut size = u64::from(first & 0x0f);
        let mut shift = 4;
        let mut p = 1;
        let mut c = first;
        while c & 0x80 != 0 {
            c = *head.get(p).ok_or_else(bad)?;
            p += 1;
            if shift > 57 {
                return Err(bad());
            }
            size |= u64::from(c & 0x7f) << shift;
            shift += 7;
        }
        let stored = match t {
            6 => {
                // Offset encoding: "n bytes with MSB set in all but the last one ... offset
                // = ((offset + 1) << 7) | (byte & 0x7f)" for every further byte.
                let mut c = *head.get(p).ok_or_else(bad)?;
                p += 1;
                let mut back = u64::from(c & 0x7f);
                while c & 0x80 != 0 {
                    c = *head.get(p).ok_or_else(bad)?;
                    p += 1;
                    back = back.checked_add(1).and_then(|b| b.checked_mul(128)).ok_or_else(bad)? | u64::from(c & 0x7f);
                }
                if back == 0 || back > offset {
                    return Err(bad());
                }
                Stored::OfsDelta(offset - back)
            }
            7 => {
                let id = Oid::from_raw(head.get(p..).ok_or_else(bad)?).ok_or_else(bad)?;
                p += 20;
                Stored::RefDelta(id)
            }
            t => Stored::Whole(Kind::from_pack_type(t).ok_or_else(bad)?),
        };
        Ok(Entry { stored, size, data: offset + p as u64 })
    }
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

fn read_full<S: ReadAt + ?Sized>(src: &S, offset: u64, buf: &mut [u8]) -> Result<usize, PackError> {
    let mut n = 0;
    while n < buf.len() {
        match src.read_at(offset + n as u64, &mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(PackError::Io(e.to_string())),
        }
    }
    Ok(n)
}

/// Parses a version-2 `.idx`: ids (ascending) and offsets, each offset inside a pack of
/// `pack_len` bytes. The layout is checked against the index's own length before any
/// allocation proportional to the object count.
pub fn parse_index(idx: &[u8], pack_len: u64) -> Result<(Vec<Oid>, Vec<u64>), PackError> {
    if idx.len() < 8 || idx[..4] != [0xff, b't', b'O', b'c'] || be32(&idx[4..]) != 2 {
        return Err(PackError::IndexFormat);
    }
    const FANOUT: usize = 8;
    const NAMES: usize = FANOUT + 256 * 4;
    if idx.len() < NAMES {
        return Err(PackError::IndexLayout);
    }
    let fan = |i: usize| be32(&idx[FANOUT + i * 4..]);
    if (1..256).any(|i| fan(i) < fan(i - 1)) {
        return Err(PackError::IndexLayout);
    }
    let n = fan(255) as usize;
    // names (20), CRCs (4), offsets (4) per object, then 8-byte large offsets, then two
    // 20-byte checksums.
    let fixed = n.checked_mul(28).and_then(|x| x.checked_add(NAMES + 40)).ok_or(PackError::IndexLayout)?;
    if idx.len() < fixed || (idx.len() - fixed) & 7 != 0 {
        return Err(PackError::IndexLayout);
    }
    let large_count = (idx.len() - fixed) / 8;
    let offs_at = NAMES + n * 24;
    let large_at = offs_at + n * 4;
    let mut ids = Vec::with_capacity(n);
    let mut offsets = Vec::with_capacity(n);
    for i in 0..n {
        let id = Oid::from_raw(&idx[NAMES + i * 20..]).ok_or(PackError::IndexLayout)?;
        let b = usize::from(id.0[0]);
        let in_bucket = (i as u32) < fan(b) && (b == 0 || fan(b - 1) <= i as u32);
        if ids.last().is_some_and(|last| *last >= id) || !in_bucket {
            return Err(PackError::IndexLayout);
        }
        let small = be32(&idx[offs_at + i * 4..]);
        let offset = if small & 0x8000_0000 != 0 {
            let j = (small & 0x7fff_ffff) as usize;
            if j >= large_count {
                return Err(PackError::IndexLayout);
            }
            let b = &idx[large_at + j * 8..large_at + j * 8 + 8];
            u64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
        } else {
            u64::from(small)
        };
        if offset < 12 || offset >= pack_len.saturating_sub(20) {
            return Err(PackError::IndexLayout);
        }
        ids.push(id);
        offsets.push(offset);
    }
    Ok((ids, offsets))
}

/// Inflates the zlib stream at `offset`. With `exact`, the stream must end after exactly
/// `size` bytes of output; otherwise at most `size` bytes are produced (a prefix).
fn inflate<S: ReadAt + ?Sized>(src: &S, offset: u64, size: u64, exact: bool) -> Result<Vec<u8>, ObjectError> {
    let size = usize::try_from(size).map_err(|_| ObjectError::TooLarge { size, limit: usize::MAX as u64 })?;
    let mut d = Decompress::new(true);
    // One byte of room past the declared size, to notice a stream that goes on.
    let mut out = Vec::with_capacity(size.saturating_add(1));
    let mut buf = vec![0u8; 64 << 10];
    let mut pos = offset;
    loop {
        let n = src.read_at(pos, &mut buf).map_err(|e| ObjectError::Zlib(e.to_string()))?;
        if n == 0 {
            return Err(ObjectError::Zlib("stream is truncated".into()));
        }
        let (in_before, out_before) = (d.total_in(), out.len());
        let status = d.decompress_vec(&buf[..n], &mut out, FlushDecompress::None).map_err(|e| ObjectError::Zlib(e.to_string()))?;
        pos += d.total_in() - in_before;
        if out.len() > size {
            if !exact {
                out.truncate(size);
                return Ok(out);
            }
            return Err(ObjectError::SizeMismatch { declared: size as u64, actual: out.len() as u64 });
        }
        if status == Status::StreamEnd {
            break;
        }
        if !exact && out.len() == size {
            return Ok(out);
        }
        if d.total_in() == in_before && out.len() == out_before {
            return Err(ObjectError::Zlib("stream makes no progress".into()));
        }
    }
    if exact && out.len() != size {
        return Err(ObjectError::SizeMismatch { declared: size as u64, actual: out.len() as u64 });
    }
    Ok(out)
}

/// A delta's size varint: 7 bits at a time, least significant first.
fn varint(data: &[u8], mut p: usize) -> Option<(u64, usize)> {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let c = *data.get(p)?;
        p += 1;
        if shift > 63 {
            return None;
        }
        v |= u64::from(c & 0x7f) << shift;
        shift += 7;
        if c & 0x80 == 0 {
            return Some((v, p));
        }
    }
}

/// Applies a git delta (`gitformat-pack`, "Deltified representation": base size, result
/// size, then copy and insert instructions) to `base`. The result may not exceed `limit`.
pub fn apply_delta(base: &[u8], delta: &[u8], limit: u64) -> Result<Vec<u8>, ObjectError> {
    let (base_size, p) = varint(delta, 0).ok_or(ObjectError::Delta("truncated header"))?;
    let (result_size, mut p) = varint(delta, p).ok_or(ObjectError::Delta("truncated header"))?;
    if base_size != base.len() as u64 {
        return Err(ObjectError::Delta("base size differs from the base"));
    }
    if result_size > limit {
        return Err(ObjectError::TooLarge { size: result_size, limit });
    }
    let result_size = result_size as usize;
    let mut out = Vec::with_capacity(result_size);
    while p < delta.len() {
        let op = delta[p];
        p += 1;
        if op & 0x80 != 0 {
            let mut arg = [0u64; 2];
            for (bit, (slot, shift)) in [(0, 0), (0, 8), (0, 16), (0, 24), (1, 0), (1, 8), (1, 16)].into_iter().enumerate() {
                if op & (1 << bit) != 0 {
                    arg[slot] |= u64::from(*delta.get(p).ok_or(ObjectError::Delta("truncated copy"))?) << shift;
                    p += 1;
                }
            }
            let (off, len) = (arg[0] as usize, if arg[1] == 0 { 0x10000 } else { arg[1] as usize });
            let src = base.get(off..off.saturating_add(len)).ok_or(ObjectError::Delta("copy outside the base"))?;
            if out.len() + len > result_size {
                return Err(ObjectError::Delta("result longer than declared"));
            }
            out.extend_from_slice(src);
        } else if op != 0 {
            let len = usize::from(op);
            let src = delta.get(p..p + len).ok_or(ObjectError::Delta("truncated insert"))?;
            if out.len() + len > result_size {
                return Err(ObjectError::Delta("result longer than declared"));
            }
            out.extend_from_slice(src);
            p += len;
        } else {
            return Err(ObjectError::Delta("reserved instruction 0"));
        }
    }
    if out.len() != result_size {
        return Err(ObjectError::Delta("result shorter than declared"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delta_copy_and_insert() {
        // base 5, result 8: copy base[1..4], insert "xyzab"
        let delta = [5, 8, 0x80 | 0x01 | 0x10, 1, 3, 5, b'x', b'y', b'z', b'a', b'b'];
        assert_eq!(apply_delta(b"01234", &delta, 100).unwrap(), b"123xyzab");
        assert_eq!(apply_delta(b"0123", &delta, 100), Err(ObjectError::Delta("base size differs from the base")));
        assert!(matches!(apply_delta(b"01234", &delta, 7), Err(ObjectError::TooLarge { .. })));
        let outside = [5, 8, 0x80 | 0x01 | 0x10, 4, 3];
        assert_eq!(apply_delta(b"01234", &outside, 100), Err(ObjectError::Delta("copy outside the base")));
        assert_eq!(apply_delta(b"01234", &[5, 1, 0], 100), Err(ObjectError::Delta("reserved instruction 0")));
    }

    #[test]
    fn index_claiming_billions_of_objects_is_refused_without_allocating() {
        let mut idx = vec![0xff, b't', b'O', b'c', 0, 0, 0, 2];
        for _ in 0..256 {
            idx.extend(0xf000_0000u32.to_be_bytes());
        }
        assert_eq!(parse_index(&idx, 1 << 40), Err(PackError::IndexLayout));
        assert_eq!(parse_index(b"PACK", 10), Err(PackError::IndexFormat));
    }
}
