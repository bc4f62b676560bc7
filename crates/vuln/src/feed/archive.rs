//! The OSV project's per-ecosystem exports (`<ecosystem>/all.zip`): a zip of one OSV
//! JSON record per member.

use std::io::{Read, Seek};

use super::{EntryError, Location};
use crate::osv::{self, Advisory, Format};

/// The largest member read; an OSV record is a few kilobytes, a bigger member is not
/// one (or is a zip bomb).
pub const MAX_MEMBER_BYTES: u64 = 16 << 20;

/// Why an archive could not be read at all.
#[derive(Debug, thiserror::Error)]
#[error("invalid zip archive: {0}")]
pub struct ArchiveError(String);

/// Reads every `.json` member of an OSV export as one record (other members are
/// skipped). A member that cannot be read or parsed is an error naming it; the
/// others are returned. Fails as a whole only if the archive's directory is unreadable.
pub fn read_zip<R: Read + Seek>(
    reader: R,
) -> Result<(Vec<Advisory>, Vec<EntryError>), ArchiveError> {
    let mut zip = zip::ZipArchive::new(reader).map_err(|e| ArchiveError(e.to_string()))?;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut buf = Vec::new();
    for k in 0..zip.len() {
        let mut member = match zip.by_index(k) {
            Ok(m) => m,
            Err(e) => {
                let at = Location::Member(format!("#{k}"));
                errors.push(EntryError::new(at, format!("cannot read member: {e}")));
                continue;
            }
        };
        let name = member.name().to_owned();
        if member.is_dir() || !name.ends_with(".json") {
            continue;
        }
        let at = || Location::Member(name.clone());
        if member.size() > MAX_MEMBER_BYTES {
            let msg = format!("member of {} bytes is too big for a record", member.size());
            errors.push(EntryError::new(at(), msg));
            continue;
        }
        buf.clear();
        let read = (&mut member)
            .take(MAX_MEMBER_BYTES + 1)
            .read_to_end(&mut buf);
        if let Err(e) = read {
            errors.push(EntryError::new(at(), format!("cannot decompress: {e}")));
            continue;
        }
        if buf.len() as u64 > MAX_MEMBER_BYTES {
            errors.push(EntryError::new(at(), "member is too big for a record"));
            continue;
        }
        match osv::parse(&buf, Format::Json) {
            Ok(a) => out.push(a),
            Err(e) => errors.push(EntryError::new(at(), e.to_string())),
        }
    }
    Ok((out, errors))
}
