//! Vulnerability matching: version ordering per package ecosystem, the OSV advisory
//! model, CVSS scoring, and an in-memory advisory index that matches package
//! inventories.
//!
//! **Architecture invariant:** pure. No SQL, no network, no clock, no logging
//! subscriber; the only I/O is [`Database::from_osv_dir`] and [`feed::read_path`]
//! reading the files they are pointed at. Matching is a deterministic function of the
//! database and the packages. A bad record never fails an import: the import returns
//! the advisories it could read and an [`ImportError`] per file, line or entry it
//! could not.
//!
//! **API boundary:** yes: the version orderings and [`Database::matches`] are what
//! host, image and function scans build on.

pub mod cvss;
pub mod db;
pub mod detail;
pub mod ecosystem;
pub mod feed;
pub mod hostmap;
pub mod matching;
pub mod osv;
pub mod rating;
pub mod version;

pub use db::{best_cvss, Database, ImportError, Package, Source, VulnMatch};
pub use feed::{read_path, Feed, Imported};
pub use matching::{affected, Match, MatchedBy};
pub use osv::Advisory;
pub use version::Scheme;
