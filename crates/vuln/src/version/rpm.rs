//! RPM version ordering: `rpmvercmp` and epoch:version-release labels.
//!
//! Versions are split into alphabetic and numeric segments (other ASCII characters
//! separate them); numeric segments compare numerically and are newer than alphabetic
//! ones; `~` sorts before everything (pre-releases) and `^` after the base version but
//! before any further segment (post-release snapshots).

use std::cmp::Ordering;

/// Compares two `[epoch:]version[-release]` labels as `rpm.labelCompare` does: a missing
/// epoch is `0`; a missing release sorts before any release.
pub fn compare(a: &str, b: &str) -> Ordering {
    let (ea, va, ra) = split(a);
    let (eb, vb, rb) = split(b);
    vercmp(ea.unwrap_or("0"), eb.unwrap_or("0"))
        .then_with(|| vercmp(va, vb))
        .then_with(|| match (ra, rb) {
            (Some(x), Some(y)) => vercmp(x, y),
            (x, y) => x.is_some().cmp(&y.is_some()),
        })
}

/// Splits a label like rpm's `parseEVR`: the epoch is a leading run of digits ended by
/// `:`, the release follows the last `-`.
pub fn split(evr: &str) -> (Option<&str>, &str, Option<&str>) {
    let evr = evr.trim();
    let digits = evr.bytes().take_while(u8::is_ascii_digit).count();
    let (epoch, rest) = if evr.as_bytes().get(digits) == Some(&b':') {
        let e = &evr[..digits];
        (Some(if e.is_empty() { "0" } else { e }), &evr[digits + 1..])
    } else {
        (None, evr)
    };
    match rest.rfind('-') {
        Some(i) => (epoch, &rest[..i], Some(&rest[i + 1..])),
        None => (epoch, rest, None),
    }
}

/// rpm's `rpmvercmp` on one version or release string.
pub fn vercmp(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    let sep = |c: u8| !c.is_ascii_alphanumeric() && c != b'~' && c != b'^';
    loop {
        if i >= a.len() && j >= b.len() {
            break;
        }
        while i < a.len() && sep(a[i]) {
            i += 1;
        }
        while j < b.len() && sep(b[j]) {
            j += 1;
        }
        let (ca, cb) = (a.get(i).copied(), b.get(j).copied());
        if ca == Some(b'~') || cb == Some(b'~') {
            if ca != Some(b'~') {
                return Ordering::Greater;
            }
            if cb != Some(b'~') {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        if ca == Some(b'^') || cb == Some(b'^') {
            if ca.is_none() {
                return Ordering::Less;
            }
            if cb.is_none() {
                return Ordering::Greater;
            }
            if ca != Some(b'^') {
                return Ordering::Greater;
            }
            if cb != Some(b'^') {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        let (Some(ca), Some(_)) = (ca, cb) else { break };
        let numeric = ca.is_ascii_digit();
        let class = |c: &u8| {
            if numeric {
                c.is_ascii_digit()
            } else {
                c.is_ascii_alphabetic()
            }
        };
        let ea = i + a[i..].iter().take_while(|c| class(c)).count();
        let eb = j + b[j..].iter().take_while(|c| class(c)).count();
        if eb == j {
            // The segments are of different kinds: numeric is newer than alphabetic.
            return if numeric {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }
        let (mut sa, mut sb) = (&a[i..ea], &b[j..eb]);
        if numeric {
            while sa.first() == Some(&b'0') {
                sa = &sa[1..];
            }
            while sb.first() == Some(&b'0') {
                sb = &sb[1..];
            }
            match sa.len().cmp(&sb.len()) {
                Ordering::Equal => {}
                other => return other,
            }
        }
        match sa.cmp(sb) {
            Ordering::Equal => {}
            other => return other,
        }
        i = ea;
        j = eb;
    }
    match (i >= a.len(), j >= b.len()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        _ => Ordering::Greater,
    }
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
            ("1.0", "1.0.0", Less),
            ("1.0~rc1", "1.0", Less),
            ("1.0~rc1", "1.0~rc2", Less),
            ("1.0~~", "1.0~", Less),
            ("1.0^", "1.0", Greater),
            ("1.0^git1", "1.0", Greater),
            ("1.0^git1", "1.0.1", Less),
            ("1.0^git1~pre", "1.0^git1", Less),
            ("1.0~rc1^git1", "1.0~rc1", Greater),
            ("1.0a", "1.0", Greater),
            ("1.a", "1.1", Less), // numeric is newer than alphabetic
            ("1.01", "1.1", Equal),
            ("1_0", "1.0", Equal), // separators do not matter
            ("2.0", "10.0", Less),
            ("1:1.0-1", "2.0-1", Greater),
            ("0:1.0-1", "1.0-1", Equal),
            ("1.0-1", "1.0-1.el9", Less),
            ("1.0-1.el9_2", "1.0-1.el9_10", Less),
            ("1.0", "1.0-1", Less), // a missing release sorts first
            ("abc", "abd", Less),
            ("FC5", "fc4", Less), // strcmp: uppercase before lowercase
        ];
        for (a, b, want) in cases {
            assert_eq!(compare(a, b), want, "{a} vs {b}");
            assert_eq!(compare(b, a), want.reverse(), "{b} vs {a}");
        }
    }

    fn version() -> impl Strategy<Value = String> {
        "([0-9]:)?[0-9a-z.~^_]{1,6}(-[0-9a-z.~^]{1,4})?"
    }

    super::super::order_laws!(version());
}
