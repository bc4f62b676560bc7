//! The CIS package: automated recommendations of the CIS Distribution Independent
//! Linux Benchmark v2.0.0 (numbers as there; most also apply to CIS Debian Linux 12
//! under other numbers). Each rule names its recommendation in `RelatedRequirements`
//! (`CIS Distribution Independent Linux Benchmark v2.0.0/<number>`, see [`cis!`]),
//! besides Inspector's package, and its title ends with `(CIS <number>)`.

pub mod files;
pub mod sshd;
pub mod sysctl;
pub mod system;

pub use files::FileSpec;
pub use sshd::SshdSpec;

use rampart_model::{CheckMeta, Severity, StandardRef};

/// Inspector's name of the package.
pub const PACKAGE: &str = "CIS Operating System Security Configuration Benchmarks";

/// The standards of the rule for recommendation `$n`: Inspector's CIS package and the
/// recommendation itself. Used in `static` initializers, where the slice is `'static`.
macro_rules! cis {
    ($n:expr) => {
        &[
            rampart_model::StandardRef::inspector($crate::cis::PACKAGE),
            rampart_model::StandardRef::cis_linux($n),
        ]
    };
}
pub(crate) use cis;

/// The benchmark's home page.
pub const URL: &str = "https://www.cisecurity.org/benchmark/distribution_independent_linux";

/// The metadata of a CIS rule.
pub(crate) const fn meta(
    standards: &'static [StandardRef],
    id: &'static str,
    title: &'static str,
    description: &'static str,
    severity: Severity,
    console: &'static str,
    cli: &'static str,
) -> CheckMeta {
    crate::rule_meta(id, title, description, severity, console, cli, standards, URL)
}
