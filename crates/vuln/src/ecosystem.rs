//! OSV ecosystems: their version scheme and how they spell package names.

use crate::version::Scheme;

/// The version scheme of an OSV ecosystem (`Debian:12`, `Ubuntu:22.04:LTS`,
/// `Alpine:v3.19`, `Red Hat:...`, `PyPI`, `npm`, `crates.io`, `Go`, ...); `None` for an
/// ecosystem whose ordering is not implemented, whose `ECOSYSTEM` ranges are skipped.
pub fn scheme(ecosystem: &str) -> Option<Scheme> {
    let base = ecosystem.split(':').next().unwrap_or(ecosystem);
    Some(match base {
        "Debian" | "Ubuntu" => Scheme::Dpkg,
        "Alpine" | "Wolfi" | "Chainguard" => Scheme::Apk,
        "Red Hat" | "Rocky Linux" | "AlmaLinux" | "openSUSE" | "SUSE" | "Mageia" | "openEuler" => {
            Scheme::Rpm
        }
        "PyPI" => Scheme::Pep440,
        "npm" | "crates.io" => Scheme::Semver,
        "Go" => Scheme::Go,
        _ => return None,
    })
}

/// A package name in the form the index keys on: PyPI names normalized per PEP 503
/// (lowercase, runs of `-_.` become `-`), crates.io names lowercase with `_` as `-`
/// (crates.io treats them as the same crate), distribution packages lowercase; others
/// (npm, Go) as they are.
pub fn normalize_name(ecosystem: &str, name: &str) -> String {
    let base = ecosystem.split(':').next().unwrap_or(ecosystem);
    let name = name.trim();
    match base {
        "PyPI" => {
            let mut out = String::with_capacity(name.len());
            let mut sep = false;
            for c in name.chars() {
                if matches!(c, '-' | '_' | '.') {
                    sep = true;
                } else {
                    if sep && !out.is_empty() {
                        out.push('-');
                    }
                    sep = false;
                    out.push(c.to_ascii_lowercase());
                }
            }
            out
        }
        "crates.io" => name.to_ascii_lowercase().replace('_', "-"),
        "Debian" | "Ubuntu" | "Alpine" => name.to_ascii_lowercase(),
        _ => name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        for (eco, want) in [
            ("Debian:12", Some(Scheme::Dpkg)),
            ("Ubuntu:22.04:LTS", Some(Scheme::Dpkg)),
            ("Alpine:v3.19", Some(Scheme::Apk)),
            ("Red Hat", Some(Scheme::Rpm)),
            ("Red Hat:enterprise_linux:9::appstream", Some(Scheme::Rpm)),
            ("PyPI", Some(Scheme::Pep440)),
            ("npm", Some(Scheme::Semver)),
            ("crates.io", Some(Scheme::Semver)),
            ("Go", Some(Scheme::Go)),
            ("Maven", None),
        ] {
            assert_eq!(scheme(eco), want, "{eco}");
        }
    }

    #[test]
    fn names() {
        assert_eq!(normalize_name("PyPI", "Friendly-Bard"), "friendly-bard");
        assert_eq!(normalize_name("PyPI", "FRIENDLY__bard"), "friendly-bard");
        assert_eq!(normalize_name("PyPI", "friendly.-_bard"), "friendly-bard");
        assert_eq!(normalize_name("PyPI", "zope.interface"), "zope-interface");
        assert_eq!(normalize_name("crates.io", "Serde_JSON"), "serde-json");
        assert_eq!(normalize_name("npm", "@Scope/Pkg"), "@Scope/Pkg");
        assert_eq!(
            normalize_name("Go", "github.com/Foo/bar"),
            "github.com/Foo/bar"
        );
    }
}
