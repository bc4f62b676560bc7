//! Host telemetry: what is installed on, listening on and configured on a host or a
//! mounted root filesystem, as one versioned document ([`Telemetry`]).
//!
//! # API
//!
//! - [`collect`]`(root, now) -> Telemetry` (and [`collect_with`] with [`Options`]):
//!   the whole document; `root` is `/` for the running host or a mounted root.
//!   [`Root::dir`] checks first that a root is a readable directory; [`Progress`] is told
//!   what is being read (the library never prints).
//! - Images and functions: [`image::read_image`] / [`lambda::read_zip`] read a
//!   `docker save` or OCI layout tarball / a Lambda zip into an in-memory
//!   [`ImageFs`] (layers applied with whiteouts; nothing extracted to disk);
//!   [`Root::image`] / [`Root::function`] make it a root for [`collect_root`], the
//!   same code path as a host; [`image::scan`] and [`lambda::scan`] do both.
//!   An image or zip is read whole or not at all: every blob is verified against
//!   its digest, a layer that cannot be read to its end is an [`ImageError`] (a
//!   partial tree would pass lower layers' files off as the image's), and entries,
//!   uncompressed and kept bytes are bounded ([`memfs`]). An image is identified by
//!   its config digest, a zip by its CodeSha256, never by the path it was read from.
//! - [`Telemetry::to_json`] / [`Telemetry::from_json`]: the document ([`SCHEMA_VERSION`]).
//! - [`upload::encode`] / [`upload::decode`]: the document as an agent uploads it (gzip,
//!   bounded before and after inflating, naming its host).
//! - Parsers, pure over text or bytes, each returning the good entries and an
//!   [`EntryError`] per bad one: [`dpkg::parse_status`], [`rpm::parse_header`],
//!   [`apk::parse_installed`], [`python::parse_metadata`], [`npm::parse_lock`],
//!   [`npm::parse_package_json`], [`cargo_lock::parse`], [`gobin::parse`],
//!   [`osrelease::parse`], [`sockets::parse_table`], [`sshd::parse`],
//!   [`accounts::parse_passwd`], [`accounts::parse_group`], [`accounts::parse_shadow`],
//!   [`system::parse_mounts`], [`system::parse_limits`].
//! - Lower-level collectors: [`packages::collect`], [`sockets::collect`],
//!   [`files::world_writable`]; [`Root`] resolves paths inside a mounted root.
//!
//! **Architecture invariants:**
//! - Collection only reads: files under the root, and `/proc` when the root is `/`
//!   (sockets, processes, sysctl, mounts, kernel release; under a mounted root those
//!   are `Unknown("not available for a mounted root")`). No network, no process
//!   execution, no writes (the rpm database is opened `immutable`, read-only).
//! - Reading never fails as a whole: what could not be read is `Observed::Unknown`
//!   with the reason (never an empty list), and bad entries are
//!   [`Telemetry::problems`] naming the file and entry; the rest is collected.
//!   Packages are read per source ([`PackageSources`]): a database or manifest that
//!   cannot be read (a link loop, an unsupported format) is an `Unknown` source of its
//!   own and every other source is still read; no source at all means no package
//!   database was found, which is not "no packages".
//! - The telemetry never contains secrets: shadow entries keep only a
//!   [`PasswordState`] and ageing fields, never the hash; no environment values.
//! - Time is an input (`now`), never read here.
//! - Knows nothing about vulnerabilities: matching lives in `rampart-vuln`.
//!
//! **API boundary:** yes: the telemetry JSON is what agents will upload.

pub mod accounts;
pub mod apk;
pub mod cargo_lock;
mod collect;
pub mod digest;
pub mod dpkg;
mod error;
pub mod files;
pub mod gobin;
pub mod image;
pub mod lambda;
mod layer;
pub mod memfs;
pub mod npm;
pub mod osrelease;
pub mod packages;
pub mod python;
mod root;
pub mod rpm;
pub mod sockets;
pub mod sshd;
pub mod system;
mod telemetry;
pub mod upload;
#[cfg(test)]
mod testutil;

pub use collect::{
    collect, collect_root, collect_with, Options, Progress, NOT_FUNCTION, NOT_IMAGE, NOT_LIVE,
};
pub use error::EntryError;
pub use image::{Image, ImageError};
pub use memfs::ImageFs;
pub use rampart_model::Observed;
pub use root::{EntryKind, Root, RootError, RootFile, Stat};
pub use telemetry::*;
