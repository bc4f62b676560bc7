//! Whether one package version is affected by one advisory, with OSV semantics.

use std::cmp::Ordering;

use crate::ecosystem::{normalize_name, scheme};
use crate::osv::{Advisory, Event, Range, RangeType};
use crate::version::Scheme;

/// Why a version is affected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// The first fixed version above the installed one in the matching range, if any.
    pub fixed: Option<String>,
    /// What matched.
    pub by: MatchedBy,
}

/// The part of an advisory that matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchedBy {
    /// A range of this type.
    Range(RangeType),
    /// The explicit `versions` list.
    Versions,
}

/// Whether `version` of `package` in `ecosystem` (an OSV ecosystem string, compared
/// exactly) is affected by `advisory`.
///
/// OSV semantics: withdrawn advisories never match; events are sorted by version
/// (`introduced: "0"` first); `introduced` opens, `fixed` closes (exclusive),
/// `last_affected` closes (inclusive); with `limit` events the version must be below
/// one of them; `GIT` ranges are skipped, as are `ECOSYSTEM` ranges of ecosystems
/// without an implemented ordering; a version in the explicit `versions` list is
/// affected. Package names compare after [`normalize_name`].
pub fn affected(
    advisory: &Advisory,
    ecosystem: &str,
    package: &str,
    version: &str,
) -> Option<Match> {
    if advisory.withdrawn.is_some() {
        return None;
    }
    let name = normalize_name(ecosystem, package);
    let eco_scheme = scheme(ecosystem);
    let mut listed = None;
    for entry in &advisory.affected {
        let Some(pkg) = &entry.package else { continue };
        if pkg.ecosystem != ecosystem || normalize_name(ecosystem, &pkg.name) != name {
            continue;
        }
        for range in &entry.ranges {
            let scheme = match range.kind {
                RangeType::Git => continue,
                RangeType::Semver => Scheme::Semver,
                RangeType::Ecosystem => match eco_scheme {
                    Some(s) => s,
                    None => continue,
                },
            };
            if let Some(fixed) = in_range(range, scheme, version) {
                return Some(Match {
                    fixed,
                    by: MatchedBy::Range(range.kind),
                });
            }
        }
        let in_list = entry.versions.iter().any(|v| {
            v == version || eco_scheme.is_some_and(|s| s.compare(v, version) == Ordering::Equal)
        });
        if in_list && listed.is_none() {
            listed = Some(Match {
                fixed: None,
                by: MatchedBy::Versions,
            });
        }
    }
    listed
}

/// `Some(first fixed version above)` when `version` is inside `range`.
fn in_range(range: &Range, scheme: Scheme, version: &str) -> Option<Option<String>> {
    let is_zero = |e: &Event| matches!(e, Event::Introduced(v) if v == "0");
    let limits: Vec<&str> = range
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Limit(v) => Some(v.as_str()),
            _ => None,
        })
        .collect();
    if !limits.is_empty()
        && !limits
            .iter()
            .any(|l| *l == "*" || scheme.compare(version, l) == Ordering::Less)
    {
        return None;
    }
    let mut events: Vec<&Event> = range
        .events
        .iter()
        .filter(|e| !matches!(e, Event::Limit(_)))
        .collect();
    events.sort_by(|a, b| match (is_zero(a), is_zero(b)) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => scheme.compare(a.version(), b.version()),
    });
    let mut affected = false;
    let mut next = 0;
    for (k, event) in events.iter().enumerate() {
        let at_or_above =
            || is_zero(event) || scheme.compare(version, event.version()) != Ordering::Less;
        if !at_or_above() {
            break;
        }
        next = k + 1;
        match event {
            Event::Introduced(_) => affected = true,
            Event::Fixed(_) => affected = false,
            Event::LastAffected(v) => {
                if scheme.compare(version, v) == Ordering::Greater {
                    affected = false;
                }
            }
            Event::Limit(_) => {}
        }
    }
    if !affected {
        return None;
    }
    let fixed = events[next..].iter().find_map(|e| match e {
        Event::Fixed(v) => Some(v.clone()),
        _ => None,
    });
    Some(fixed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::osv::{parse, Format};

    fn advisory(ecosystem: &str, kind: &str, events: &str, versions: &str) -> Advisory {
        let text = format!(
            r#"{{"id":"T-1","affected":[{{"package":{{"ecosystem":"{ecosystem}","name":"Pkg_Name"}},
               "ranges":[{{"type":"{kind}","events":[{events}]}}],"versions":[{versions}]}}]}}"#
        );
        parse(text.as_bytes(), Format::Json).expect("valid test record")
    }

    /// `(version, Some(fixed) | None for affected without fix)` or not affected.
    fn check(adv: &Advisory, ecosystem: &str, expect: &[(&str, Option<Option<&str>>)]) {
        for (version, want) in expect {
            let got = affected(adv, ecosystem, "Pkg_Name", version).map(|m| m.fixed);
            assert_eq!(
                got,
                want.map(|f| f.map(str::to_owned)),
                "{ecosystem} {version}"
            );
        }
    }

    #[test]
    fn unsorted_events_with_several_windows() {
        // From PYSEC-2018-104: events out of order.
        let adv = advisory(
            "PyPI",
            "ECOSYSTEM",
            r#"{"introduced":"3.9.0"},{"fixed":"3.19.1"},{"introduced":"0"},{"fixed":"3.8.1"},
               {"introduced":"3.20.0"},{"fixed":"3.23.1"}"#,
            "",
        );
        check(
            &adv,
            "PyPI",
            &[
                ("0.1", Some(Some("3.8.1"))),
                ("3.8.1", None),
                ("3.8.5", None),
                ("3.9.0", Some(Some("3.19.1"))),
                ("3.19.0", Some(Some("3.19.1"))),
                ("3.19.1", None),
                ("3.20.0rc1", None),
                ("3.20.0", Some(Some("3.23.1"))),
                ("3.23.1", None),
                ("4.0", None),
            ],
        );
    }

    #[test]
    fn last_affected_is_inclusive_and_unfixed() {
        let adv = advisory(
            "crates.io",
            "SEMVER",
            r#"{"introduced":"1.0.0"},{"last_affected":"1.2.0"}"#,
            "",
        );
        check(
            &adv,
            "crates.io",
            &[
                ("0.9.0", None),
                ("1.0.0", Some(None)),
                ("1.2.0", Some(None)),
                ("1.2.1", None),
            ],
        );
    }

    #[test]
    fn introduced_zero_in_semver_covers_prereleases() {
        let adv = advisory(
            "crates.io",
            "SEMVER",
            r#"{"introduced":"0.0.0-0"},{"fixed":"4.0.1"}"#,
            "",
        );
        check(
            &adv,
            "crates.io",
            &[("0.0.0-alpha", Some(Some("4.0.1"))), ("4.0.1", None)],
        );
    }

    #[test]
    fn limit_bounds_the_range() {
        let adv = advisory(
            "Go",
            "SEMVER",
            r#"{"introduced":"0"},{"limit":"1.5.0"}"#,
            "",
        );
        check(
            &adv,
            "Go",
            &[("1.0.0", Some(None)), ("1.5.0", None), ("2.0.0", None)],
        );
    }

    #[test]
    fn explicit_versions_and_git_ranges() {
        let adv = advisory(
            "PyPI",
            "GIT",
            r#"{"introduced":"abc"},{"fixed":"def"}"#,
            r#""1.0","2.0""#,
        );
        check(
            &adv,
            "PyPI",
            &[
                ("1.0", Some(None)),
                ("1.0.0", Some(None)),
                ("1.5", None),
                ("abc", None),
            ],
        );
    }

    #[test]
    fn distribution_ecosystems_use_their_ordering() {
        let adv = advisory(
            "Debian:12",
            "ECOSYSTEM",
            r#"{"introduced":"0"},{"fixed":"1.2-3+deb12u1"}"#,
            "",
        );
        check(
            &adv,
            "Debian:12",
            &[
                ("1.2-3", Some(Some("1.2-3+deb12u1"))),
                ("1.2-3+deb12u1", None),
                ("1.2-3+deb12u1~1", Some(Some("1.2-3+deb12u1"))),
            ],
        );
        // Another release does not match.
        check(&adv, "Debian:11", &[("1.0-1", None)]);
        let adv = advisory(
            "Alpine:v3.19",
            "ECOSYSTEM",
            r#"{"introduced":"0"},{"fixed":"3.1.4-r1"}"#,
            "",
        );
        check(
            &adv,
            "Alpine:v3.19",
            &[("3.1.4-r0", Some(Some("3.1.4-r1"))), ("3.1.4-r1", None)],
        );
        let adv = advisory(
            "Red Hat",
            "ECOSYSTEM",
            r#"{"introduced":"0"},{"fixed":"0:1.0-2.el9"}"#,
            "",
        );
        check(
            &adv,
            "Red Hat",
            &[
                ("1.0-1.el9", Some(Some("0:1.0-2.el9"))),
                ("1.0-2.el9", None),
            ],
        );
    }

    #[test]
    fn withdrawn_and_other_packages_never_match() {
        let mut adv = advisory("npm", "SEMVER", r#"{"introduced":"0"}"#, "");
        assert!(affected(&adv, "npm", "Pkg_Name", "1.0.0").is_some());
        assert!(
            affected(&adv, "npm", "pkg-name", "1.0.0").is_none(),
            "npm names are exact"
        );
        assert!(affected(&adv, "PyPI", "Pkg_Name", "1.0.0").is_none());
        let pypi = advisory("PyPI", "ECOSYSTEM", r#"{"introduced":"0"}"#, "");
        assert!(
            affected(&pypi, "PyPI", "PKG.name", "1.0").is_some(),
            "PEP 503 names"
        );
        adv.withdrawn = Some("2024-01-01T00:00:00Z".into());
        assert!(affected(&adv, "npm", "Pkg_Name", "1.0.0").is_none());
    }
}
