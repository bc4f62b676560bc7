//! Installed RPM packages from the SQLite rpmdb (`/var/lib/rpm/rpmdb.sqlite`: RHEL 9,
//! Fedora ≥ 33, Amazon Linux 2023): the `Packages` table's `blob` column holds one RPM
//! header per package.
//!
//! A header blob (as stored, without the 8-byte on-disk magic) is:
//! `il: u32be`, `dl: u32be`, `il` index entries of 16 bytes
//! (`tag: i32be, type: u32be, offset: i32be, count: u32be`), then `dl` bytes of data
//! that the offsets point into.

use std::path::Path;

use crate::error::EntryError;

const TAG_NAME: i32 = 1000;
const TAG_VERSION: i32 = 1001;
const TAG_RELEASE: i32 = 1002;
const TAG_EPOCH: i32 = 1003;
const TAG_ARCH: i32 = 1022;
const TAG_SOURCERPM: i32 = 1044;

const TYPE_INT32: u32 = 4;
const TYPE_STRING: u32 = 6;
const TYPE_STRING_ARRAY: u32 = 8;
const TYPE_I18NSTRING: u32 = 9;

/// rpm refuses headers with more index entries or data than this (`hdrchkTags`,
/// `hdrchkData`); so do we.
const MAX_TAGS: usize = 0xffff;
const MAX_DATA: usize = 256 * 1024 * 1024;

/// The fields of a header that identify an installed package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RpmHeader {
    pub name: String,
    pub epoch: Option<u32>,
    pub version: String,
    pub release: String,
    /// Absent on `gpg-pubkey` pseudo-packages.
    pub arch: Option<String>,
    /// `openssl-3.0.7-24.el9.src.rpm`.
    pub source_rpm: Option<String>,
}

impl RpmHeader {
    /// `[epoch:]version-release`, as advisories for RPM distributions write it.
    pub fn evr(&self) -> String {
        match self.epoch {
            Some(e) if e > 0 => format!("{e}:{}-{}", self.version, self.release),
            _ => format!("{}-{}", self.version, self.release),
        }
    }
}

/// A source RPM file name split into (name, `version-release`):
/// `openssl-3.0.7-24.el9.src.rpm` ⇒ (`openssl`, `3.0.7-24.el9`).
pub fn split_source_rpm(file: &str) -> Option<(String, String)> {
    let stem = file
        .strip_suffix(".src.rpm")
        .or_else(|| file.strip_suffix(".nosrc.rpm"))?;
    let (rest, release) = stem.rsplit_once('-')?;
    let (name, version) = rest.rsplit_once('-')?;
    if name.is_empty() || version.is_empty() || release.is_empty() {
        return None;
    }
    Some((name.to_owned(), format!("{version}-{release}")))
}

/// Parses one header blob.
pub fn parse_header(blob: &[u8]) -> Result<RpmHeader, EntryError> {
    let bad = |p: String| EntryError::whole(p);
    let be32 = |at: usize| -> Option<u32> {
        blob.get(at..at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    let il = be32(0).ok_or_else(|| bad("header shorter than 8 bytes".into()))? as usize;
    let dl = be32(4).ok_or_else(|| bad("header shorter than 8 bytes".into()))? as usize;
    if il == 0 || il > MAX_TAGS || dl > MAX_DATA {
        return Err(bad(format!(
            "implausible header sizes ({il} tags, {dl} data bytes)"
        )));
    }
    let data_start = 8 + il * 16;
    let data = blob.get(data_start..data_start + dl).ok_or_else(|| {
        bad(format!(
            "header of {} bytes is shorter than its {il} tags and {dl} data bytes",
            blob.len()
        ))
    })?;

    let mut name = None;
    let mut version = None;
    let mut release = None;
    let mut epoch = None;
    let mut arch = None;
    let mut source_rpm = None;
    for k in 0..il {
        let at = 8 + k * 16;
        // In bounds: data_start + dl <= blob.len() was checked above.
        let tag = be32(at).unwrap_or(0) as i32;
        let ty = be32(at + 4).unwrap_or(0);
        let offset = be32(at + 8).unwrap_or(0) as i32;
        let count = be32(at + 12).unwrap_or(0);
        let slot = match tag {
            TAG_NAME => &mut name,
            TAG_VERSION => &mut version,
            TAG_RELEASE => &mut release,
            TAG_ARCH => &mut arch,
            TAG_SOURCERPM => &mut source_rpm,
            TAG_EPOCH => {
                if ty != TYPE_INT32 || count < 1 {
                    return Err(bad(format!(
                        "EPOCH has type {ty} and count {count}, want INT32"
                    )));
                }
                let off = usize::try_from(offset)
                    .map_err(|_| bad(format!("EPOCH offset {offset} is negative")))?;
                let b = data
                    .get(off..off + 4)
                    .ok_or_else(|| bad(format!("EPOCH offset {offset} is past the data")))?;
                epoch = Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
                continue;
            }
            _ => continue,
        };
        if !matches!(ty, TYPE_STRING | TYPE_STRING_ARRAY | TYPE_I18NSTRING) {
            return Err(bad(format!("tag {tag} has type {ty}, want a string")));
        }
        let off = usize::try_from(offset)
            .ok()
            .filter(|o| *o < data.len())
            .ok_or_else(|| {
                bad(format!(
                    "tag {tag} offset {offset} is outside the {dl} data bytes"
                ))
            })?;
        let rest = &data[off..];
        let end = rest
            .iter()
            .position(|b| *b == 0)
            .ok_or_else(|| bad(format!("tag {tag} string is not NUL-terminated")))?;
        *slot = Some(String::from_utf8_lossy(&rest[..end]).into_owned());
    }
    let need = |v: Option<String>, what: &str| {
        v.filter(|s| !s.is_empty())
            .ok_or_else(|| bad(format!("header has no {what}")))
    };
    let name = need(name, "NAME")?;
    let with_name = |e: EntryError| EntryError::new(name.clone(), e.problem);
    Ok(RpmHeader {
        version: need(version, "VERSION").map_err(with_name)?,
        release: need(release, "RELEASE").map_err(with_name)?,
        epoch,
        arch: arch.filter(|a| !a.is_empty()),
        source_rpm: source_rpm.filter(|s| !s.is_empty()),
        name,
    })
}

/// Builds a header blob with the given string tags and optional epoch: the inverse
/// of [`parse_header`] for tests and fuzz seeds.
pub fn build_header(strings: &[(i32, &str)], epoch: Option<u32>) -> Vec<u8> {
    let mut index = Vec::new();
    let mut data = Vec::new();
    // A region tag first, as real headers have (HEADERIMMUTABLE, BIN).
    index.push((63, 7u32, 0i32, 16u32));
    data.extend_from_slice(&[0u8; 16]);
    if let Some(e) = epoch {
        while data.len() % 4 != 0 {
            data.push(0);
        }
        index.push((TAG_EPOCH, TYPE_INT32, data.len() as i32, 1));
        data.extend_from_slice(&e.to_be_bytes());
    }
    for (tag, s) in strings {
        index.push((*tag, TYPE_STRING, data.len() as i32, 1));
        data.extend_from_slice(s.as_bytes());
        data.push(0);
    }
    let mut out = Vec::new();
    out.extend_from_slice(&(index.len() as u32).to_be_bytes());
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    for (tag, ty, off, count) in index {
        out.extend_from_slice(&tag.to_be_bytes());
        out.extend_from_slice(&ty.to_be_bytes());
        out.extend_from_slice(&off.to_be_bytes());
        out.extend_from_slice(&count.to_be_bytes());
    }
    out.extend_from_slice(&data);
    out
}

/// The tag numbers, for [`build_header`].
pub mod tags {
    pub const NAME: i32 = super::TAG_NAME;
    pub const VERSION: i32 = super::TAG_VERSION;
    pub const RELEASE: i32 = super::TAG_RELEASE;
    pub const ARCH: i32 = super::TAG_ARCH;
    pub const SOURCERPM: i32 = super::TAG_SOURCERPM;
}

/// Reads every header of an rpmdb.sqlite file, read-only and without locking (the
/// file may be on a read-only mount): the headers, and the rows that could not be
/// read (entry `hnum N`). `Err` when the database itself cannot be opened or queried.
pub fn read_sqlite(path: &Path) -> Result<(Vec<RpmHeader>, Vec<EntryError>), rusqlite::Error> {
    use rusqlite::OpenFlags;
    // `immutable=1`: SQLite neither locks nor writes anything (no -shm/-wal files).
    let uri = format!("file:{}?immutable=1", uri_escape(&path.to_string_lossy()));
    let conn = rusqlite::Connection::open_with_flags(
        uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    read_packages(&conn)
}

/// [`read_sqlite`] over the bytes of an rpmdb.sqlite file (from an image), opened in
/// memory: nothing is written to disk.
pub fn read_sqlite_bytes(
    bytes: &[u8],
) -> Result<(Vec<RpmHeader>, Vec<EntryError>), rusqlite::Error> {
    let mut db = bytes.to_vec();
    // A WAL-mode database (file format bytes 18 and 19 = 2) cannot be deserialized;
    // marked as a rollback-journal one it reads the same (the WAL is not in the image
    // layer's copy anyway once rpm checkpointed it).
    if db.len() >= 100 && db[18] == 2 && db[19] == 2 {
        db[18] = 1;
        db[19] = 1;
    }
    let conn = rusqlite::Connection::open_in_memory()?;
    let len = db.len();
    // SAFETY: `sqlite3_malloc64` returns memory SQLite owns (as `OwnedData` requires)
    // of `len` bytes, or null, checked below; `db` does not overlap it.
    let data = unsafe {
        let ptr = rusqlite::ffi::sqlite3_malloc64(len.max(1) as u64).cast::<u8>();
        let Some(ptr) = std::ptr::NonNull::new(ptr) else {
            return Err(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_NOMEM),
                Some("cannot allocate the database".to_owned()),
            ));
        };
        std::ptr::copy_nonoverlapping(db.as_ptr(), ptr.as_ptr(), len);
        rusqlite::serialize::OwnedData::from_raw_nonnull(ptr, len)
    };
    let mut conn = conn;
    conn.deserialize(rusqlite::DatabaseName::Main, data, true)?;
    read_packages(&conn)
}

fn read_packages(
    conn: &rusqlite::Connection,
) -> Result<(Vec<RpmHeader>, Vec<EntryError>), rusqlite::Error> {
    let mut stmt = conn.prepare("SELECT hnum, blob FROM Packages ORDER BY hnum")?;
    let mut rows = stmt.query([])?;
    let mut headers = Vec::new();
    let mut errors = Vec::new();
    while let Some(row) = rows.next()? {
        let hnum: i64 = row.get(0)?;
        let blob: Vec<u8> = match row.get(1) {
            Ok(b) => b,
            Err(e) => {
                errors.push(EntryError::new(
                    format!("hnum {hnum}"),
                    format!("blob: {e}"),
                ));
                continue;
            }
        };
        match parse_header(&blob) {
            Ok(h) => headers.push(h),
            Err(e) => errors.push(EntryError::new(
                format!(
                    "hnum {hnum}{}",
                    e.entry.map(|n| format!(" ({n})")).unwrap_or_default()
                ),
                e.problem,
            )),
        }
    }
    Ok((headers, errors))
}

fn uri_escape(path: &str) -> String {
    let mut out = String::new();
    for c in path.chars() {
        match c {
            '?' | '#' | '%' => out.push_str(&format!("%{:02X}", c as u32)),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn openssl() -> Vec<u8> {
        build_header(
            &[
                (tags::NAME, "openssl-libs"),
                (tags::VERSION, "3.0.7"),
                (tags::RELEASE, "24.el9"),
                (tags::ARCH, "x86_64"),
                (tags::SOURCERPM, "openssl-3.0.7-24.el9.src.rpm"),
            ],
            Some(1),
        )
    }

    #[test]
    fn parses_a_header() {
        let h = parse_header(&openssl()).unwrap();
        assert_eq!(h.name, "openssl-libs");
        assert_eq!(h.evr(), "1:3.0.7-24.el9");
        assert_eq!(h.arch.as_deref(), Some("x86_64"));
        assert_eq!(
            split_source_rpm(h.source_rpm.as_deref().unwrap()),
            Some(("openssl".into(), "3.0.7-24.el9".into()))
        );
    }

    #[test]
    fn malformed_headers_are_errors_not_panics() {
        let good = openssl();
        assert!(parse_header(&[]).is_err());
        assert!(parse_header(&good[..good.len() - 3]).is_err());
        let mut bad_offset = good.clone();
        // The NAME entry is the third (after the region tag and EPOCH): offset field.
        bad_offset[8 + 2 * 16 + 8..8 + 2 * 16 + 12].copy_from_slice(&9999i32.to_be_bytes());
        let e = parse_header(&bad_offset).unwrap_err();
        assert!(e.problem.contains("outside the"), "{e}");
        let no_version = build_header(&[(tags::NAME, "x"), (tags::RELEASE, "1")], None);
        assert_eq!(
            parse_header(&no_version).unwrap_err().to_string(),
            "entry `x`: header has no VERSION"
        );
    }

    #[test]
    fn source_rpm_names() {
        assert_eq!(
            split_source_rpm("python3.11-3.11.5-1.el9_3.src.rpm"),
            Some(("python3.11".into(), "3.11.5-1.el9_3".into()))
        );
        assert_eq!(split_source_rpm("nonsense"), None);
        assert_eq!(split_source_rpm("a-1.src.rpm"), None);
    }

    #[test]
    fn reads_a_sqlite_rpmdb() {
        let dir = crate::testutil::TempDir::new("rpmdb");
        let path = dir.path().join("rpmdb.sqlite");
        {
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.execute_batch(
                "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL);",
            )
            .unwrap();
            for blob in [openssl(), b"garbage!garbage!".to_vec()] {
                conn.execute("INSERT INTO Packages (blob) VALUES (?1)", [blob])
                    .unwrap();
            }
        }
        let (headers, errors) = read_sqlite(&path).unwrap();
        assert_eq!(headers.len(), 1);
        assert_eq!(headers[0].name, "openssl-libs");
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0]
                .to_string()
                .starts_with("entry `hnum 2`: implausible"),
            "{}",
            errors[0]
        );
        // Read-only: no journal or WAL files appeared next to the database.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }
}
