//! Debian version ordering (Debian Policy 5.6.12, dpkg's `verrevcmp`).
//!
//! `[epoch:]upstream[-revision]`: the epoch is compared numerically, then the upstream
//! version and the revision with the policy's algorithm: alternating non-digit and digit
//! runs; in non-digit runs `~` sorts before everything (even the end of the string),
//! then the end, then letters, then all other characters; digit runs compare numerically.
//! A missing revision equals `0`, a missing epoch equals `0`.

use std::cmp::Ordering;

/// Compares two Debian package versions.
pub fn compare(a: &str, b: &str) -> Ordering {
    let (ea, ua, ra) = split(a);
    let (eb, ub, rb) = split(b);
    fragment(ea, eb)
        .then_with(|| fragment(ua, ub))
        .then_with(|| fragment(ra, rb))
}

/// Whether `v` is a valid Debian version as dpkg's `parseversion` accepts it: an epoch,
/// when present, is a non-empty number; the upstream version is non-empty, starts with a
/// digit and has only alphanumerics and `.+~-:`; a revision, when present, is non-empty
/// with only alphanumerics and `.+~`. Invalid versions still compare, but tools differ
/// on them (apt's answers on an empty epoch or revision are artifacts of its parser).
pub fn is_valid(v: &str) -> bool {
    let (epoch, upstream, revision) = split(v);
    let has_epoch = v.trim().contains(':');
    let has_revision = v
        .trim()
        .split_once(':')
        .map_or(v.trim(), |(_, r)| r)
        .contains('-');
    let ok = |s: &str, extra: &str| {
        s.chars()
            .all(|c| c.is_ascii_alphanumeric() || extra.contains(c))
    };
    (!has_epoch || (!epoch.is_empty() && epoch.bytes().all(|c| c.is_ascii_digit())))
        && upstream.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && ok(upstream, ".+~-:")
        && (!has_revision || !revision.is_empty())
        && ok(revision, ".+~")
}

/// Splits into (epoch, upstream, revision); absent parts are empty, which compare
/// equal to `0`.
fn split(v: &str) -> (&str, &str, &str) {
    let v = v.trim();
    let (epoch, rest) = match v.split_once(':') {
        Some((e, r)) => (e, r),
        None => ("", v),
    };
    let (upstream, revision) = match rest.rfind('-') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, ""),
    };
    (epoch, upstream, revision)
}

/// The weight of a character in a non-digit run; `None` is the end of the string.
fn order(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(b'~') => -1,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(c) => i32::from(c) + 256,
    }
}

/// dpkg's `verrevcmp` on one part of the version.
fn fragment(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    let digit = |s: &[u8], k: usize| s.get(k).is_some_and(u8::is_ascii_digit);
    while i < a.len() || j < b.len() {
        while (i < a.len() && !digit(a, i)) || (j < b.len() && !digit(b, j)) {
            let (ac, bc) = (order(a.get(i).copied()), order(b.get(j).copied()));
            if ac != bc {
                return ac.cmp(&bc);
            }
            i += 1;
            j += 1;
        }
        while a.get(i) == Some(&b'0') {
            i += 1;
        }
        while b.get(j) == Some(&b'0') {
            j += 1;
        }
        let mut first_diff = Ordering::Equal;
        while digit(a, i) && digit(b, j) {
            if first_diff == Ordering::Equal {
                first_diff = a[i].cmp(&b[j]);
            }
            i += 1;
            j += 1;
        }
        if digit(a, i) {
            return Ordering::Greater;
        }
        if digit(b, j) {
            return Ordering::Less;
        }
        if first_diff != Ordering::Equal {
            return first_diff;
        }
    }
    Ordering::Equal
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
            ("1.0~rc1", "1.0", Less),
            ("1.0~~", "1.0~", Less),
            ("1.0~", "1.0", Less),
            ("1.0~~a", "1.0~~", Greater),
            ("1.0", "1.0+b1", Less),
            ("1.0a", "1.0+", Less), // letters sort before non-letters
            ("1.0a", "1.0.", Less),
            ("1.0", "1.0a", Less), // the end sorts before letters
            ("1:0.1", "2.0", Greater),
            ("0:1.0", "1.0", Equal),
            ("1.0-0", "1.0", Equal),
            ("1.0-1", "1.0", Greater),
            ("1.01", "1.1", Equal),
            ("1.0-1~bpo1", "1.0-1", Less),
            ("2.30-1ubuntu1", "2.30-1", Greater),
            ("1.2.3-1-2", "1.2.3-1-10", Less), // revision is after the last hyphen
            ("1.10", "1.9", Greater),
            ("7.88.1-10+deb12u5", "7.88.1-10+deb12u12", Less),
            ("1.0.0~beta1~git20200101", "1.0.0~beta1", Less),
            ("10:1", "9:99", Greater),
            ("1.0a", "1.0a0", Equal),
            ("A", "a", Less),
        ];
        for (a, b, want) in cases {
            assert_eq!(compare(a, b), want, "{a} vs {b}");
            assert_eq!(compare(b, a), want.reverse(), "{b} vs {a}");
        }
    }

    #[test]
    fn validity() {
        for v in [
            "1.0",
            "1:1.0-1",
            "1.0-1-2",
            "2:1.0~rc1+dfsg-3ubuntu1",
            "1:2:3-4",
        ] {
            assert!(is_valid(v), "{v}");
        }
        for v in ["", ":1.0", "a1.0", "1.0-", "-1", "x:1.0", "1.0-1_2", "1.0@"] {
            assert!(!is_valid(v), "{v}");
        }
    }

    fn version() -> impl Strategy<Value = String> {
        "([0-9]{1,2}:)?[0-9][0-9a-zA-Z.+~]{0,6}(-[0-9a-zA-Z.+~]{1,4})?"
    }

    super::super::order_laws!(version());
}
