//! Git objects as bytes: ids, kinds, the loose-object header, trees, commits and tags.
//!
//! Formats from Git's documentation (`gitformat-pack(5)`, `git-cat-file(1)`) and
//! `Documentation/technical/hash-function-transition.txt` for the object header
//! (`<type> <size>\0<content>`). Only SHA-1 repositories (20-byte ids) are read; a SHA-256
//! repository is reported as such by [`super::odb`]. Every parser is total: malformed input is an
//! [`ObjectError`], never a panic.

use std::fmt;

/// A SHA-1 object id.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Oid(pub [u8; 20]);

impl Oid {
    /// From 40 hex digits (either case).
    pub fn from_hex(hex: &[u8]) -> Option<Oid> {
        if hex.len() != 40 {
            return None;
        }
        let mut out = [0u8; 20];
        for (i, pair) in hex.chunks_exact(2).enumerate() {
            let d = |c: u8| (c as char).to_digit(16);
            out[i] = (d(pair[0])? * 16 + d(pair[1])?) as u8;
        }
        Some(Oid(out))
    }

    /// From 20 raw bytes; `None` when `raw` is shorter.
    pub fn from_raw(raw: &[u8]) -> Option<Oid> {
        raw.get(..20)?.try_into().ok().map(Oid)
    }
}

/// 40 lowercase hex digits, as git prints ids.
impl fmt::Display for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// The four kinds of object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Commit,
    Tree,
    Blob,
    Tag,
}

impl Kind {
    /// The name used in a loose object's header.
    pub fn from_name(name: &[u8]) -> Option<Kind> {
        match name {
            b"commit" => Some(Kind::Commit),
            b"tree" => Some(Kind::Tree),
            b"blob" => Some(Kind::Blob),
            b"tag" => Some(Kind::Tag),
            _ => None,
        }
    }

    /// The type number in a pack entry header (`OBJ_COMMIT` = 1 … `OBJ_TAG` = 4).
    pub fn from_pack_type(t: u8) -> Option<Kind> {
        match t {
            1 => Some(Kind::Commit),
            2 => Some(Kind::Tree),
            3 => Some(Kind::Blob),
            4 => Some(Kind::Tag),
            _ => None,
        }
    }
}

/// Why an object could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ObjectError {
    #[error("malformed object header")]
    Header,
    #[error("unknown object type `{0}`")]
    UnknownType(String),
    #[error("object of {size} bytes is larger than the limit of {limit} bytes")]
    TooLarge { size: u64, limit: u64 },
    #[error("object holds {actual} bytes but its header says {declared}")]
    SizeMismatch { declared: u64, actual: u64 },
    #[error("malformed tree entry at byte {0}")]
    TreeEntry(usize),
    #[error("commit has no `tree` line")]
    CommitTree,
    #[error("tag has no `object` line")]
    TagObject,
    #[error("malformed delta: {0}")]
    Delta(&'static str),
    #[error("zlib: {0}")]
    Zlib(String),
}

/// The header of a loose object, `<type> <size>\0`: the kind, the size and the header's
/// length. `head` is the start of the inflated object (at least up to the NUL).
pub fn parse_loose_header(head: &[u8]) -> Result<(Kind, u64, usize), ObjectError> {
    // A type name and 20 digits fit in 32 bytes; anything longer is not a header.
    let nul = memchr::memchr(0, &head[..head.len().min(32)]).ok_or(ObjectError::Header)?;
    let text = &head[..nul];
    let space = memchr::memchr(b' ', text).ok_or(ObjectError::Header)?;
    let kind =
        Kind::from_name(&text[..space]).ok_or_else(|| ObjectError::UnknownType(String::from_utf8_lossy(&text[..space]).into_owned()))?;
    let digits = &text[space + 1..];
    if digits.is_empty() || digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) {
        return Err(ObjectError::Header);
    }
    let size = digits.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
    Ok((kind, size, nul + 1))
}

/// A whole inflated loose object: its kind and content, the content's length checked
/// against the header.
pub fn parse_loose(object: &[u8]) -> Result<(Kind, &[u8]), ObjectError> {
    let (kind, size, start) = parse_loose_header(object)?;
    let content = &object[start..];
    if content.len() as u64 != size {
        return Err(ObjectError::SizeMismatch { declared: size, actual: content.len() as u64 });
    }
    Ok((kind, content))
}

/// One entry of a tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeEntry<'a> {
    /// The octal mode as written (`40000` tree, `100644`/`100755` file, `120000` symlink,
    /// `160000` submodule commit).
    pub mode: u32,
    pub name: &'a [u8],
    pub id: Oid,
}

impl TreeEntry<'_> {
    pub fn is_tree(&self) -> bool {
        self.mode == 0o40000
    }

    /// A submodule: the id is a commit of another repository, not an object of this one.
    pub fn is_gitlink(&self) -> bool {
        self.mode == 0o160000
    }
}

/// A tree's entries: `<octal mode> <name>\0<20-byte id>`, repeated. A name that is empty,
/// `.`, `..` or holds a `/` is malformed (git's `fsck` rejects them too).
pub fn parse_tree(data: &[u8]) -> Result<Vec<TreeEntry<'_>>, ObjectError> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < data.len() {
        let rest = &data[pos..];
        let space = memchr::memchr(b' ', &rest[..rest.len().min(8)]).ok_or(ObjectError::TreeEntry(pos))?;
        let mode_text = &rest[..space];
        if mode_text.is_empty() || !mode_text.iter().all(|c| (b'0'..=b'7').contains(c)) {
            return Err(ObjectError::TreeEntry(pos));
        }
        let mode = mode_text.iter().fold(0u32, |n, d| n * 8 + u32::from(d - b'0'));
        let nul = memchr::memchr(0, &rest[space + 1..]).ok_or(ObjectError::TreeEntry(pos))? + space + 1;
        let name = &rest[space + 1..nul];
        if name.is_empty() || name == b"." || name == b".." || name.contains(&b'/') {
            return Err(ObjectError::TreeEntry(pos));
        }
        let id = Oid::from_raw(&rest[nul + 1..]).ok_or(ObjectError::TreeEntry(pos))?;
        out.push(TreeEntry { mode, name, id });
        pos += nul + 21;
    }
    Ok(out)
}

/// What history needs of a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    pub tree: Oid,
    pub parents: Vec<Oid>,
    /// Committer time, seconds since the epoch (0 when absent or unreadable): orders
    /// unrelated commits oldest first.
    pub time: i64,
}

/// The header lines of a commit (`tree`, `parent`, `committer`); the message, a `gpgsig`
/// header and anything else are ignored, never verified or executed.
pub fn parse_commit(data: &[u8]) -> Result<Commit, ObjectError> {
    let mut tree = None;
    let mut parents = Vec::new();
    let mut time = 0;
    for line in header_lines(data) {
        if let Some(hex) = line.strip_prefix(b"tree ") {
            tree = tree.or(Oid::from_hex(hex));
        } else if let Some(hex) = line.strip_prefix(b"parent ") {
            parents.push(Oid::from_hex(hex).ok_or(ObjectError::Header)?);
        } else if let Some(who) = line.strip_prefix(b"committer ") {
            time = signature_time(who).unwrap_or(0);
        }
    }
    Ok(Commit { tree: tree.ok_or(ObjectError::CommitTree)?, parents, time })
}

/// The object a tag points to, and that object's kind as the tag states it.
pub fn parse_tag(data: &[u8]) -> Result<(Oid, Option<Kind>), ObjectError> {
    let mut object = None;
    let mut kind = None;
    for line in header_lines(data) {
        if let Some(hex) = line.strip_prefix(b"object ") {
            object = object.or(Oid::from_hex(hex));
        } else if let Some(name) = line.strip_prefix(b"type ") {
            kind = Kind::from_name(name);
        }
    }
    Ok((object.ok_or(ObjectError::TagObject)?, kind))
}

/// Lines up to the first empty one (the message follows it).
fn header_lines(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    data.split(|&b| b == b'\n').take_while(|l| !l.is_empty())
}

/// `Name <email> 1700000000 +0100` → 1700000000.
fn signature_time(who: &[u8]) -> Option<i64> {
    let after = &who[memchr::memrchr(b'>', who)? + 1..];
    std::str::from_utf8(after).ok()?.split_ascii_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        let hex = b"0123456789abcdef0123456789ABCDEF01234567";
        let id = Oid::from_hex(hex).unwrap();
        assert_eq!(id.to_string(), String::from_utf8_lossy(hex).to_lowercase());
        assert_eq!(Oid::from_hex(b"012"), None);
        assert_eq!(Oid::from_hex(&[b'g'; 40]), None);
    }

    #[test]
    fn loose_header_is_checked() {
        assert_eq!(parse_loose(b"blob 3\0abc").unwrap(), (Kind::Blob, &b"abc"[..]));
        assert_eq!(parse_loose(b"blob 4\0abc"), Err(ObjectError::SizeMismatch { declared: 4, actual: 3 }));
        assert_eq!(parse_loose(b"blob x\0abc"), Err(ObjectError::Header));
        assert_eq!(parse_loose(b"blob 99999999999999999999\0"), Err(ObjectError::Header));
        assert!(matches!(parse_loose(b"blub 3\0abc"), Err(ObjectError::UnknownType(_))));
        assert_eq!(parse_loose(b"blob 3abc"), Err(ObjectError::Header));
    }

    #[test]
    fn trees_parse_and_reject_bad_names() {
        let mut t = b"100644 a.txt\0".to_vec();
        t.extend([1u8; 20]);
        t.extend(b"40000 dir\0");
        t.extend([2u8; 20]);
        let e = parse_tree(&t).unwrap();
        assert_eq!((e[0].mode, e[0].name, e[0].id), (0o100644, &b"a.txt"[..], Oid([1; 20])));
        assert!(e[1].is_tree());
        assert_eq!(parse_tree(&t[..t.len() - 1]), Err(ObjectError::TreeEntry(33)));
        let mut bad = b"100644 ../x\0".to_vec();
        bad.extend([1u8; 20]);
        assert!(parse_tree(&bad).is_err());
    }

    #[test]
    fn commits_and_tags() {
        let c = parse_commit(
            b"tree 0123456789abcdef0123456789abcdef01234567\nparent 1123456789abcdef0123456789abcdef01234567\n\
              author a <a@b> 1 +0000\ncommitter c <c@d> 1700000000 +0100\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n -----END PGP SIGNATURE-----\n\nmsg\ntree x\n",
        )
        .unwrap();
        assert_eq!(c.parents.len(), 1);
        assert_eq!(c.time, 1700000000);
        assert_eq!(parse_commit(b"parent x\n"), Err(ObjectError::Header));
        assert_eq!(parse_commit(b"author a\n"), Err(ObjectError::CommitTree));
        let (id, kind) = parse_tag(b"object 0123456789abcdef0123456789abcdef01234567\ntype blob\ntag v1\n\nmsg").unwrap();
        assert_eq!((id.to_string().len(), kind), (40, Some(Kind::Blob)));
    }
}
