//! Advisory feeds other than OSV records, converted to the same [`Advisory`] model,
//! and the reading of files and directories of any supported feed.
//!
//! - [`debian`]: the Debian security tracker's `data/DSA/list` and `data/DLA/list`;
//! - [`alpine`]: Alpine's secdb (`v3.x/main.yaml`, `community.yaml`, or `.json`);
//! - [`archive`]: the OSV project's per-ecosystem `all.zip` exports.
//!
//! Every parser is pure over its input and never fails as a whole because of one bad
//! entry: it returns what it could convert and an [`EntryError`] per entry it could
//! not, with the entry's location.
//!
//! [`Advisory`]: crate::osv::Advisory

pub mod alpine;
pub mod archive;
pub mod debian;
mod read;

pub use read::{read_path, Batch, Feed, Imported};

/// Where in a file a malformed entry is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A 1-based line number.
    Line(usize),
    /// A path into a structured document (`packages[3] `openssl``).
    Entry(String),
    /// A member of an archive.
    Member(String),
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Line(n) => write!(f, "line {n}"),
            Location::Entry(e) => write!(f, "entry {e}"),
            Location::Member(m) => write!(f, "member `{m}`"),
        }
    }
}

/// One entry that could not be converted; the others are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {message}")]
pub struct EntryError {
    /// Where the entry is.
    pub location: Location,
    /// What is wrong with it.
    pub message: String,
}

impl EntryError {
    pub(crate) fn new(location: Location, message: impl Into<String>) -> Self {
        EntryError {
            location,
            message: message.into(),
        }
    }
}
