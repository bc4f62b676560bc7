//! The CIS package: automated recommendations of the CIS Distribution Independent
//! Linux Benchmark v2.0.0 (numbers as there; most also apply to CIS Debian Linux 12
//! under other numbers). Each rule's title ends with `(CIS <number>)` and its
//! description names the recommendation, since the model has no CIS-Linux standard.

pub mod files;
pub mod sshd;
pub mod sysctl;
pub mod system;

pub use files::FileSpec;
pub use sshd::SshdSpec;

use rampart_model::{CheckMeta, Severity, StandardRef};

/// Inspector's name of the package.
pub const PACKAGE: &str = "CIS Operating System Security Configuration Benchmarks";

const STANDARDS: &[StandardRef] = &[StandardRef::inspector(PACKAGE)];

/// The benchmark's home page.
pub const URL: &str = "https://www.cisecurity.org/benchmark/distribution_independent_linux";

/// The metadata of a CIS rule.
pub(crate) const fn meta(
    id: &'static str,
    title: &'static str,
    description: &'static str,
    severity: Severity,
    console: &'static str,
    cli: &'static str,
) -> CheckMeta {
    crate::rule_meta(id, title, description, severity, console, cli, STANDARDS, URL)
}
