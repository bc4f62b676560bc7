//! Version ordering, one module per scheme, each a pure `fn(&str, &str) -> Ordering`.
//!
//! Every comparison is total: strings a scheme cannot parse still get a consistent
//! place (documented per module), so sorting never panics and matching stays
//! deterministic on bad data.

use std::cmp::Ordering;

pub mod apk;
pub mod dpkg;
pub mod golang;
pub mod pep440;
pub mod rpm;
pub mod semver;

/// Orders by `parse` where both sides parse; an unparsable version sorts below every
/// parsable one, and two unparsable ones compare as text. Shared by the schemes that parse
/// into an `Ord` value.
pub(crate) fn parsed_or_text<'a, T: Ord>(
    a: &'a str,
    b: &'a str,
    parse: impl Fn(&'a str) -> Option<T>,
) -> Ordering {
    match (parse(a), parse(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Greater,
        (None, Some(_)) => Ordering::Less,
        (None, None) => a.cmp(b),
    }
}

/// A version ordering scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// Debian and Ubuntu packages.
    Dpkg,
    /// Red Hat and other RPM-based distributions.
    Rpm,
    /// Alpine packages.
    Apk,
    /// Python packages.
    Pep440,
    /// SemVer 2.0: crates.io, npm, and OSV `SEMVER` ranges.
    Semver,
    /// Go modules.
    Go,
}

impl Scheme {
    /// Compares two versions under this scheme.
    pub fn compare(self, a: &str, b: &str) -> Ordering {
        match self {
            Scheme::Dpkg => dpkg::compare(a, b),
            Scheme::Rpm => rpm::compare(a, b),
            Scheme::Apk => apk::compare(a, b),
            Scheme::Pep440 => pep440::compare(a, b),
            Scheme::Semver => semver::compare(a, b),
            Scheme::Go => golang::compare(a, b),
        }
    }
}

/// The property tests every ordering must pass — reflexive, antisymmetric, transitive —
/// over the calling test module's `compare` and the strategy given.
#[cfg(test)]
macro_rules! order_laws {
    ($strategy:expr) => {
        proptest::proptest! {
            #[test]
            fn reflexive(a in $strategy) {
                proptest::prop_assert_eq!(compare(&a, &a), std::cmp::Ordering::Equal);
            }

            #[test]
            fn antisymmetric(a in $strategy, b in $strategy) {
                proptest::prop_assert_eq!(compare(&a, &b), compare(&b, &a).reverse());
            }

            #[test]
            fn transitive(a in $strategy, b in $strategy, c in $strategy) {
                proptest::prop_assert!(super::super::transitive(compare, &a, &b, &c));
            }
        }
    };
}
#[cfg(test)]
pub(crate) use order_laws;

/// Whether `cmp` is transitive on every ordering of the three values: `x <= y` and
/// `y <= z` imply `x <= z`, and equality is transitive.
#[cfg(test)]
pub(crate) fn transitive(cmp: fn(&str, &str) -> Ordering, a: &str, b: &str, c: &str) -> bool {
    let perms = [
        [a, b, c],
        [a, c, b],
        [b, a, c],
        [b, c, a],
        [c, a, b],
        [c, b, a],
    ];
    perms.iter().all(|[x, y, z]| {
        let (xy, yz, xz) = (cmp(x, y), cmp(y, z), cmp(x, z));
        let le = xy != Ordering::Greater && yz != Ordering::Greater;
        let eq = xy == Ordering::Equal && yz == Ordering::Equal;
        (!le || xz != Ordering::Greater) && (!eq || xz == Ordering::Equal)
    })
}
