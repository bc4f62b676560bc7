//! Go module version ordering (`golang.org/x/mod/semver`).
//!
//! Go versions are SemVer with a `v` prefix; `v1` and `v1.2` are shorthands for
//! `v1.0.0` and `v1.2.0`; `+incompatible` is build metadata and ignored. Pseudo-versions
//! (`v0.0.0-20191109021931-daa7c04131f5`, `v1.2.4-0.2019…-abc`, `v1.2.3-pre.0.2019…-abc`)
//! are pre-releases built so that SemVer precedence orders them correctly. OSV's `Go`
//! ecosystem writes versions without the `v`; both forms are accepted.

use std::cmp::Ordering;

use super::semver;

/// Compares two Go module versions.
pub fn compare(a: &str, b: &str) -> Ordering {
    semver::compare(a, b)
}

/// Whether `v` is a pseudo-version: a pre-release ending in a 14-digit UTC timestamp
/// and a 12-character commit hash.
pub fn is_pseudo_version(v: &str) -> bool {
    let Some(version) = semver::Version::parse(v) else {
        return false;
    };
    let n = version.pre.len();
    if n == 0 {
        return false;
    }
    let last = version.pre[n - 1];
    let Some((time, hash)) = last.rsplit_once('-') else {
        return false;
    };
    let time = time.rsplit('.').next().unwrap_or(time);
    time.len() == 14
        && time.bytes().all(|c| c.is_ascii_digit())
        && hash.len() == 12
        && hash.bytes().all(|c| c.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use Ordering::*;

    #[test]
    fn tricky_cases() {
        let cases = [
            ("v1.2.3", "1.2.3", Equal),
            ("v1", "v1.0.0", Equal),
            ("v1.2", "v1.2.0", Equal),
            ("v2.0.0+incompatible", "v2.0.0", Equal),
            ("v2.1.0+incompatible", "v2.0.9", Greater),
            ("v0.0.0-20191109021931-daa7c04131f5", "v0.0.1", Less),
            (
                "v0.0.0-20191109021931-daa7c04131f5",
                "v0.0.0-20200101000000-000000000000",
                Less,
            ),
            // A pseudo-version after v1.2.3 sorts after it and before v1.2.4.
            ("v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.3", Greater),
            ("v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4", Less),
            ("v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4-alpha", Less),
            // After a pre-release tag: vX.Y.Z-pre.0.timestamp-hash.
            (
                "v1.2.3-pre.0.20191109021931-daa7c04131f5",
                "v1.2.3-pre",
                Greater,
            ),
            (
                "v1.2.3-pre.0.20191109021931-daa7c04131f5",
                "v1.2.3-pre.1",
                Less,
            ),
            ("v1.10.0", "v1.9.9", Greater),
            ("v1.0.0-rc.1", "v1.0.0", Less),
            ("v1.0.0-rc.2", "v1.0.0-rc.10", Less),
            ("1.21.0-0", "1.21.0", Less),
        ];
        for (a, b, want) in cases {
            assert_eq!(compare(a, b), want, "{a} vs {b}");
            assert_eq!(compare(b, a), want.reverse(), "{b} vs {a}");
        }
    }

    #[test]
    fn pseudo_versions() {
        assert!(is_pseudo_version("v0.0.0-20191109021931-daa7c04131f5"));
        assert!(is_pseudo_version("v1.2.4-0.20191109021931-daa7c04131f5"));
        assert!(is_pseudo_version(
            "v1.2.3-pre.0.20191109021931-daa7c04131f5+incompatible"
        ));
        assert!(!is_pseudo_version("v1.2.3"));
        assert!(!is_pseudo_version("v1.2.3-rc.1"));
    }

    fn version() -> impl Strategy<Value = String> {
        "v[0-2]\\.[0-9]{1,2}\\.[0-9](-(0\\.)?(2019110902193[0-9]-[0-9a-f]{12}|rc\\.[0-9]))?(\\+incompatible)?"
    }

    super::super::order_laws!(version());
}
