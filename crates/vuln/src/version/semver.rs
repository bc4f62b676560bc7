//! SemVer 2.0.0 precedence (section 11).
//!
//! `MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]`: build metadata is ignored; a version with
//! a pre-release sorts before the release; pre-release identifiers compare one by one,
//! numeric ones numerically and before alphanumeric ones, and a shorter list of equal
//! identifiers sorts first. Leniency for real data: a leading `v` and missing minor or
//! patch (`1.2` = `1.2.0`) are accepted. Strings that are not versions sort before all
//! versions, byte-wise among themselves.

use std::cmp::Ordering;

/// A parsed SemVer version borrowing from its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version<'a> {
    /// Major, minor and patch as digit strings without leading zeros.
    pub core: [&'a str; 3],
    /// Pre-release identifiers; empty for a release.
    pub pre: Vec<&'a str>,
}

impl<'a> Version<'a> {
    /// Parses a version; `None` when it is not SemVer (even leniently).
    pub fn parse(s: &'a str) -> Option<Self> {
        let s = s.trim();
        let s = s.strip_prefix('v').unwrap_or(s);
        let s = s.split_once('+').map_or(s, |(v, _build)| v);
        let (core, pre) = match s.split_once('-') {
            Some((c, p)) => (c, Some(p)),
            None => (s, None),
        };
        let mut parts = core.split('.');
        let mut nums = ["0"; 3];
        for (k, slot) in nums.iter_mut().enumerate() {
            match parts.next() {
                Some(p) if !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()) => {
                    *slot = strip_zeros(p);
                }
                None if k > 0 => break,
                _ => return None,
            }
        }
        if parts.next().is_some() {
            return None;
        }
        let pre = match pre {
            None => Vec::new(),
            Some(p) => {
                let ids: Vec<&str> = p.split('.').collect();
                let valid = |id: &&str| {
                    !id.is_empty() && id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
                };
                if !ids.iter().all(valid) {
                    return None;
                }
                ids
            }
        };
        Some(Version { core: nums, pre })
    }
}

impl Ord for Version<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        for (a, b) in self.core.iter().zip(other.core.iter()) {
            match numeric(a, b) {
                Ordering::Equal => {}
                o => return o,
            }
        }
        match (self.pre.is_empty(), other.pre.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Greater,
            (false, true) => return Ordering::Less,
            (false, false) => {}
        }
        for (a, b) in self.pre.iter().zip(other.pre.iter()) {
            let o = match (is_numeric(a), is_numeric(b)) {
                (true, true) => numeric(strip_zeros(a), strip_zeros(b)),
                (true, false) => Ordering::Less,
                (false, true) => Ordering::Greater,
                (false, false) => a.cmp(b),
            };
            if o != Ordering::Equal {
                return o;
            }
        }
        self.pre.len().cmp(&other.pre.len())
    }
}

impl PartialOrd for Version<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn is_numeric(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit())
}

pub(crate) fn strip_zeros(s: &str) -> &str {
    let t = s.trim_start_matches('0');
    if t.is_empty() && !s.is_empty() {
        "0"
    } else {
        t
    }
}

/// Compares digit strings without leading zeros numerically, whatever their length.
pub(crate) fn numeric(a: &str, b: &str) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// Compares two SemVer versions by precedence.
pub fn compare(a: &str, b: &str) -> Ordering {
    super::parsed_or_text(a, b, Version::parse)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use Ordering::*;

    #[test]
    fn tricky_cases() {
        // The chain from the specification, then edge cases.
        let chain = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
        ];
        for w in chain.windows(2) {
            assert_eq!(compare(w[0], w[1]), Less, "{} < {}", w[0], w[1]);
        }
        let cases = [
            ("1.0.0+build.1", "1.0.0+build.2", Equal),
            ("1.0.0+build", "1.0.0", Equal),
            ("1.0.0-0", "1.0.0", Less),
            ("0.0.0-0", "0.0.0", Less),
            ("0.0.0-0", "0.0.1-alpha", Less),
            ("1.2.3", "1.10.0", Less),
            ("2.0.0", "10.0.0", Less),
            ("1.0.0-2", "1.0.0-10", Less),
            ("1.0.0-a10", "1.0.0-a2", Less), // alphanumeric: ASCII order
            ("1.0.0-10", "1.0.0-a", Less),
            ("1.0.0-alpha-1", "1.0.0-alpha", Greater),
            ("v1.2.3", "1.2.3", Equal),
            ("1.2", "1.2.0", Equal),
            ("1.0.0-Beta", "1.0.0-alpha", Less), // uppercase sorts first
            ("99999999999999999999.0.0", "9.0.0", Greater),
            ("not-a-version", "0.0.0", Less),
        ];
        for (a, b, want) in cases {
            assert_eq!(compare(a, b), want, "{a} vs {b}");
            assert_eq!(compare(b, a), want.reverse(), "{b} vs {a}");
        }
    }

    fn version() -> impl Strategy<Value = String> {
        "[0-9]{1,2}\\.[0-9]\\.[0-9](-([0-9]{1,2}|[a-c]{1,2})(\\.([0-9]|[a-c]{1,2})){0,2})?(\\+[a-z0-9]{1,3})?"
    }

    super::super::order_laws!(version());
}
