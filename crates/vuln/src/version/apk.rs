//! Alpine (apk) version ordering.
//!
//! `N(.N)*[a-z](_suffix[N])*[-rN]`, the Gentoo-derived rules apk-tools implements:
//! numeric components compare numerically, except that a component after the first
//! with a leading zero compares as a decimal fraction (`1.01` < `1.1`); a version with
//! more components is newer; a trailing letter is newer than none; pre-release
//! suffixes `_alpha` < `_beta` < `_pre` < `_rc` sort before the release and post-release
//! suffixes `_cvs` < `_svn` < `_git` < `_hg` < `_p` after it; then the `-rN` package
//! revision (`-r0` = none). Strings that are not apk versions sort before all versions,
//! byte-wise among themselves.

use std::cmp::Ordering;

use super::semver::{numeric, strip_zeros};

const SUFFIXES: [(&str, i8); 9] = [
    ("alpha", -4),
    ("beta", -3),
    ("pre", -2),
    ("rc", -1),
    ("cvs", 1),
    ("svn", 2),
    ("git", 3),
    ("hg", 4),
    ("p", 5),
];

#[derive(Debug, PartialEq, Eq)]
struct Version<'a> {
    components: Vec<&'a str>,
    letter: Option<u8>,
    suffixes: Vec<(i8, &'a str)>,
    revision: &'a str,
}

fn parse(s: &str) -> Option<Version<'_>> {
    let s = s.trim();
    let (s, revision) = match s.rsplit_once("-r") {
        Some((v, r)) if !r.is_empty() && r.bytes().all(|c| c.is_ascii_digit()) => (v, r),
        _ => (s, "0"),
    };
    let mut parts = s.split('_');
    let head = parts.next()?;
    let (numbers, letter) = match head.as_bytes().last() {
        Some(c) if c.is_ascii_lowercase() => (&head[..head.len() - 1], Some(*c)),
        _ => (head, None),
    };
    let components: Vec<&str> = numbers.split('.').collect();
    if components
        .iter()
        .any(|c| c.is_empty() || !c.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let mut suffixes = Vec::new();
    for part in parts {
        let name_len = part.bytes().take_while(u8::is_ascii_lowercase).count();
        let (name, num) = part.split_at(name_len);
        let &(_, rank) = SUFFIXES.iter().find(|(n, _)| *n == name)?;
        if !num.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        suffixes.push((rank, strip_zeros(num)));
    }
    Some(Version {
        components,
        letter,
        suffixes,
        revision: strip_zeros(revision),
    })
}

fn component(first: bool, a: &str, b: &str) -> Ordering {
    if !first && (a.starts_with('0') || b.starts_with('0')) {
        // Gentoo: compare as fractions, with trailing zeros stripped.
        a.trim_end_matches('0').cmp(b.trim_end_matches('0'))
    } else {
        numeric(strip_zeros(a), strip_zeros(b))
    }
}

impl Ord for Version<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        for (k, (a, b)) in self.components.iter().zip(&other.components).enumerate() {
            match component(k == 0, a, b) {
                Ordering::Equal => {}
                o => return o,
            }
        }
        let by_len = self.components.len().cmp(&other.components.len());
        if by_len != Ordering::Equal {
            return by_len;
        }
        match self.letter.cmp(&other.letter) {
            Ordering::Equal => {}
            o => return o,
        }
        for (a, b) in self.suffixes.iter().zip(&other.suffixes) {
            match a.0.cmp(&b.0).then_with(|| numeric(a.1, b.1)) {
                Ordering::Equal => {}
                o => return o,
            }
        }
        let n = self.suffixes.len().min(other.suffixes.len());
        match (self.suffixes.get(n), other.suffixes.get(n)) {
            (Some((rank, _)), None) => {
                return if *rank > 0 {
                    Ordering::Greater
                } else {
                    Ordering::Less
                }
            }
            (None, Some((rank, _))) => {
                return if *rank > 0 {
                    Ordering::Less
                } else {
                    Ordering::Greater
                }
            }
            _ => {}
        }
        numeric(self.revision, other.revision)
    }
}

impl PartialOrd for Version<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Whether `s` is a valid apk version.
pub fn is_valid(s: &str) -> bool {
    parse(s).is_some()
}

/// Compares two Alpine package versions.
pub fn compare(a: &str, b: &str) -> Ordering {
    super::parsed_or_text(a, b, parse)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use Ordering::*;

    #[test]
    fn tricky_cases() {
        let cases = [
            ("1.0", "1.0", Equal),
            ("1.0", "1.0.1", Less),
            ("1.0_alpha", "1.0_beta", Less),
            ("1.0_beta", "1.0_pre", Less),
            ("1.0_pre", "1.0_rc", Less),
            ("1.0_rc1", "1.0", Less),
            ("1.0", "1.0_p1", Less),
            ("1.0_git20200101", "1.0_p1", Less),
            ("1.0_rc1", "1.0_rc10", Less),
            ("1.0_p1", "1.0.1", Less),
            ("1.0a", "1.0", Greater),
            ("1.0a", "1.0b", Less),
            ("1.0a", "1.0.1", Less),
            ("1.2.3-r0", "1.2.3", Equal),
            ("1.2.3-r1", "1.2.3-r10", Less),
            ("1.2.3_rc1-r5", "1.2.3-r0", Less),
            ("1.01", "1.1", Less), // a leading zero makes a fraction
            ("1.010", "1.01", Equal),
            ("01.1", "1.1", Equal), // not for the first component
            ("1.10", "1.9", Greater),
            ("3.0.13-r0", "3.0.8-r0", Greater),
            ("1.0_alpha_p1", "1.0_alpha", Greater),
            ("1.0_alpha_beta", "1.0_alpha", Less),
            ("not valid", "0.1", Less),
        ];
        for (a, b, want) in cases {
            assert_eq!(compare(a, b), want, "{a} vs {b}");
            assert_eq!(compare(b, a), want.reverse(), "{b} vs {a}");
        }
    }

    fn version() -> impl Strategy<Value = String> {
        "[0-9]{1,2}(\\.0?[0-9]){0,2}[a-b]?(_(alpha|rc|p|git)[0-9]?){0,2}(-r[0-9])?"
    }

    super::super::order_laws!(version());
}
