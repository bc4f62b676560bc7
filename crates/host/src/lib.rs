//! Host telemetry: what is installed on a host or a mounted root filesystem.
//!
//! **Architecture invariant:** reads files under a given root and nothing else: no
//! network, no SQL, no process execution. Reading never fails as a whole: an entry or
//! file that cannot be read is reported as an error naming the file and entry, and the
//! rest is returned (`(T, Vec<Error>)`). Knows nothing about vulnerabilities: matching
//! lives in `rampart-vuln`.

pub mod dpkg;
