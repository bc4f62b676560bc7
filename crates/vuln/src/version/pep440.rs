//! Python version ordering (PEP 440, as the `packaging` library implements it).
//!
//! `[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]` after normalization: case-insensitive,
//! a leading `v`, `alpha`/`beta`/`c`/`pre`/`preview` spellings, `-`/`_`/`.` separators,
//! implicit numbers (`1.0a` = `1.0a0`), implicit post releases (`1.0-1`), `rev`/`r` for
//! post. Release segments compare with trailing zeros ignored; `1.0.dev1` <
//! `1.0a1.dev1` < `1.0a1` < `1.0` < `1.0.post1.dev1` < `1.0.post1` < `1.0+local`. Local
//! labels compare segment-wise, numeric segments after alphanumeric ones. Strings that
//! are not PEP 440 versions sort before all versions, byte-wise among themselves.

use std::cmp::Ordering;

/// A parsed, normalized PEP 440 version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// The epoch (`N!`).
    pub epoch: u64,
    /// The release numbers.
    pub release: Vec<u64>,
    /// The pre-release: 0 = a, 1 = b, 2 = rc, and its number.
    pub pre: Option<(u8, u64)>,
    /// The post-release number.
    pub post: Option<u64>,
    /// The development release number.
    pub dev: Option<u64>,
    /// The local label, lowercase, split on separators.
    pub local: Vec<String>,
}

struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn eat_sep(&mut self) -> bool {
        if matches!(self.peek(), Some(b'.' | b'-' | b'_')) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn number(&mut self) -> Option<u64> {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        if start == self.i {
            return None;
        }
        std::str::from_utf8(&self.s[start..self.i])
            .ok()?
            .parse()
            .ok()
    }
    /// Eats the first of `words` found here (longest first), returning its index.
    fn word(&mut self, words: &[&str]) -> Option<usize> {
        let rest = &self.s[self.i..];
        let (k, w) = words
            .iter()
            .enumerate()
            .filter(|(_, w)| rest.starts_with(w.as_bytes()))
            .max_by_key(|(_, w)| w.len())?;
        self.i += w.len();
        Some(k)
    }
    /// Runs `f` and rewinds if it returns `None`.
    fn attempt<T>(&mut self, f: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        let save = self.i;
        let r = f(self);
        if r.is_none() {
            self.i = save;
        }
        r
    }
}

impl Version {
    /// Parses and normalizes a version; `None` when it is not PEP 440.
    pub fn parse(s: &str) -> Option<Self> {
        let lower = s.trim().to_ascii_lowercase();
        let lower = lower.strip_prefix('v').unwrap_or(&lower);
        let (public, local) = match lower.split_once('+') {
            Some((p, l)) => (p, Some(l)),
            None => (lower, None),
        };
        let mut c = Cursor {
            s: public.as_bytes(),
            i: 0,
        };
        let first = c.number()?;
        let (epoch, first) = if c.peek() == Some(b'!') {
            c.i += 1;
            (first, c.number()?)
        } else {
            (0, first)
        };
        let mut release = vec![first];
        while let Some(n) = c.attempt(|c| {
            (c.peek() == Some(b'.')).then_some(()).and_then(|()| {
                c.i += 1;
                c.number()
            })
        }) {
            release.push(n);
        }
        let pre = c.attempt(|c| {
            c.eat_sep();
            let kind = match c.word(&["a", "alpha", "b", "beta", "rc", "c", "pre", "preview"])? {
                0 | 1 => 0,
                2 | 3 => 1,
                _ => 2,
            };
            c.eat_sep();
            Some((kind, c.number().unwrap_or(0)))
        });
        let post = c
            .attempt(|c| {
                (c.peek() == Some(b'-')).then_some(())?;
                c.i += 1;
                c.number()
            })
            .or_else(|| {
                c.attempt(|c| {
                    c.eat_sep();
                    c.word(&["post", "rev", "r"])?;
                    c.eat_sep();
                    Some(c.number().unwrap_or(0))
                })
            });
        let dev = c.attempt(|c| {
            c.eat_sep();
            c.word(&["dev"])?;
            c.eat_sep();
            Some(c.number().unwrap_or(0))
        });
        if c.i != c.s.len() {
            return None;
        }
        let local = match local {
            None => Vec::new(),
            Some(l) => {
                let parts: Vec<String> = l.split(['.', '-', '_']).map(str::to_owned).collect();
                if parts
                    .iter()
                    .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_alphanumeric()))
                {
                    return None;
                }
                parts
            }
        };
        Some(Version {
            epoch,
            release,
            pre,
            post,
            dev,
            local,
        })
    }

    /// The canonical form (`1.0a1.post2.dev3+ubuntu.1`).
    pub fn normalized(&self) -> String {
        let mut out = String::new();
        if self.epoch != 0 {
            out.push_str(&format!("{}!", self.epoch));
        }
        let release: Vec<String> = self.release.iter().map(u64::to_string).collect();
        out.push_str(&release.join("."));
        if let Some((kind, n)) = self.pre {
            out.push_str(["a", "b", "rc"][usize::from(kind.min(2))]);
            out.push_str(&n.to_string());
        }
        if let Some(n) = self.post {
            out.push_str(&format!(".post{n}"));
        }
        if let Some(n) = self.dev {
            out.push_str(&format!(".dev{n}"));
        }
        if !self.local.is_empty() {
            out.push('+');
            out.push_str(&self.local.join("."));
        }
        out
    }

    fn release_trimmed(&self) -> &[u64] {
        let n = self
            .release
            .iter()
            .rposition(|&x| x != 0)
            .map_or(0, |k| k + 1);
        &self.release[..n]
    }
}

/// An extended integer for `packaging`'s ±infinity sentinels.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Ext<T> {
    NegInf,
    Val(T),
    PosInf,
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        fn key(v: &Version) -> (Ext<(u8, u64)>, Ext<u64>, Ext<u64>) {
            let pre = match (v.pre, v.post, v.dev) {
                (None, None, Some(_)) => Ext::NegInf,
                (None, _, _) => Ext::PosInf,
                (Some(p), _, _) => Ext::Val(p),
            };
            let post = v.post.map_or(Ext::NegInf, Ext::Val);
            let dev = v.dev.map_or(Ext::PosInf, Ext::Val);
            (pre, post, dev)
        }
        fn local(v: &Version) -> Vec<(Ext<u64>, &str)> {
            v.local
                .iter()
                .map(|p| match p.parse::<u64>() {
                    Ok(n) if p.bytes().all(|b| b.is_ascii_digit()) => (Ext::Val(n), ""),
                    _ => (Ext::NegInf, p.as_str()),
                })
                .collect()
        }
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| self.release_trimmed().cmp(other.release_trimmed()))
            .then_with(|| key(self).cmp(&key(other)))
            .then_with(|| match (self.local.is_empty(), other.local.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Less,
                (false, true) => Ordering::Greater,
                (false, false) => local(self).cmp(&local(other)),
            })
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Compares two Python package versions.
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
        let chain = [
            "1.0.dev456",
            "1.0a1",
            "1.0a2.dev456",
            "1.0a12.dev456",
            "1.0a12",
            "1.0b1.dev456",
            "1.0b2",
            "1.0b2.post345.dev456",
            "1.0b2.post345",
            "1.0rc1.dev456",
            "1.0rc1",
            "1.0",
            "1.0+abc.5",
            "1.0+abc.7",
            "1.0+5",
            "1.0.post456.dev34",
            "1.0.post456",
            "1.0.15",
            "1.1.dev1",
        ];
        for w in chain.windows(2) {
            assert_eq!(compare(w[0], w[1]), Less, "{} < {}", w[0], w[1]);
        }
        let cases = [
            ("1.0", "1.0.0", Equal),
            ("1.0", "1", Equal),
            ("v1.0", "1.0", Equal),
            ("1.0ALPHA1", "1.0a1", Equal),
            ("1.0-beta.2", "1.0b2", Equal),
            ("1.0c1", "1.0rc1", Equal),
            ("1.0pre1", "1.0rc1", Equal),
            ("1.0-1", "1.0.post1", Equal),
            ("1.0-r1", "1.0.post1", Equal),
            ("1.0a", "1.0a0", Equal),
            ("1.0.dev", "1.0.dev0", Equal),
            ("1!0.1", "2.0", Greater),
            ("1.0+ubuntu-1", "1.0+ubuntu.1", Equal),
            ("1.0+1", "1.0+a", Greater),
            ("1.10", "1.9", Greater),
            ("2.0.0", "2.0.0rc1", Greater),
            ("not a version", "0.0.1", Less),
        ];
        for (a, b, want) in cases {
            assert_eq!(compare(a, b), want, "{a} vs {b}");
            assert_eq!(compare(b, a), want.reverse(), "{b} vs {a}");
        }
    }

    #[test]
    fn normalization() {
        for (raw, norm) in [
            ("1.0-ALPHA.1", "1.0a1"),
            ("v2.0_post_3", "2.0.post3"),
            ("1.0-1", "1.0.post1"),
            ("1.0.0.DEV", "1.0.0.dev0"),
            ("1.0+Ubuntu_1", "1.0+ubuntu.1"),
            ("0!1.0", "1.0"),
        ] {
            assert_eq!(
                Version::parse(raw).map(|v| v.normalized()),
                Some(norm.to_owned()),
                "{raw}"
            );
        }
        assert_eq!(Version::parse("1.0+"), None);
        assert_eq!(Version::parse("1..0"), None);
    }

    fn version() -> impl Strategy<Value = String> {
        "([1-2]!)?[0-9](\\.[0-9]){0,2}((a|b|rc)[0-9])?(\\.post[0-9])?(\\.dev[0-9])?(\\+[a-z0-9]{1,2}(\\.[0-9a]){0,1})?"
    }

    super::super::order_laws!(version());

    proptest! {

        #[test]
        fn normalization_preserves_order(a in version()) {
            let v = Version::parse(&a).expect("generated versions are valid");
            prop_assert_eq!(compare(&a, &v.normalized()), Equal);
        }
    }
}
