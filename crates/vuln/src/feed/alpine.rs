//! Alpine's secdb: per branch and repository, the packages and, per fixed version,
//! the vulnerabilities that version fixes.
//!
//! ```yaml
//! distroversion: v3.11
//! reponame: main
//! packages:
//!   - pkg:
//!       name: ansible
//!       secfixes:
//!         2.9.3-r0:
//!           - CVE-2019-14904
//! ```
//!
//! One advisory per (file, vulnerability id): id `ALPINE-<branch>-<repo>-<vuln id>`
//! (unique per file, so importing branches one by one never replaces another
//! branch's record), the vulnerability id as alias, and per package an affected entry
//! in ecosystem `Alpine:<branch>` with the range `introduced 0, fixed <version>`.
//! A vulnerability listed under version `0` does not affect the branch's package and
//! adds nothing.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{EntryError, Location};
use crate::osv::{Advisory, Affected, Event, Format, PackageRef, Range, RangeType};

/// Whether `text` looks like a secdb document rather than an OSV record.
pub fn looks_like_secdb(text: &[u8]) -> bool {
    let head = &text[..text.len().min(4096)];
    let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    (has(b"distroversion:") || has(b"\"distroversion\"")) && !has(b"\"affected\"")
}

/// Parses one secdb document (YAML or JSON). A document that is not a secdb at all
/// is one error; a bad package or version entry is an error naming it, and the
/// other entries are converted.
pub fn parse_secdb(text: &[u8], format: Format) -> (Vec<Advisory>, Vec<EntryError>) {
    let mut errors = Vec::new();
    let doc: Value = match format {
        Format::Json => match serde_json::from_slice(text) {
            Ok(v) => v,
            Err(e) => {
                let at = Location::Line(e.line());
                return (
                    Vec::new(),
                    vec![EntryError::new(at, format!("invalid json: {e}"))],
                );
            }
        },
        Format::Yaml => match serde_yaml::from_slice(text) {
            Ok(v) => v,
            Err(e) => {
                let at = Location::Line(e.location().map_or(1, |l| l.line()));
                return (
                    Vec::new(),
                    vec![EntryError::new(at, format!("invalid yaml: {e}"))],
                );
            }
        },
    };
    let field = |name: &str| doc.get(name).and_then(Value::as_str).map(str::trim);
    let Some(branch) = field("distroversion").filter(|b| !b.is_empty()) else {
        let at = Location::Entry("distroversion".into());
        return (
            Vec::new(),
            vec![EntryError::new(at, "missing `distroversion`")],
        );
    };
    let repo = field("reponame")
        .filter(|r| !r.is_empty())
        .unwrap_or("main");
    let packages = match doc.get("packages") {
        Some(Value::Array(p)) => p.as_slice(),
        // `packages:` with nothing under it: a repository without secfixes.
        Some(Value::Null) => &[],
        _ => {
            let at = Location::Entry("packages".into());
            let error = EntryError::new(at, "missing list `packages`");
            return (Vec::new(), vec![error]);
        }
    };
    let ecosystem = format!("Alpine:{branch}");
    // vuln id -> package -> fixed versions (a BTreeMap for a deterministic order).
    let mut vulns: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for (k, entry) in packages.iter().enumerate() {
        let pkg = entry.get("pkg").unwrap_or(entry);
        let Some(name) = pkg
            .get("name")
            .and_then(Value::as_str)
            .filter(|n| !n.trim().is_empty())
        else {
            let at = Location::Entry(format!("packages[{k}]"));
            errors.push(EntryError::new(at, "package without a `name`"));
            continue;
        };
        let name = name.trim();
        let at = |what: &str| Location::Entry(format!("packages[{k}] `{name}`{what}"));
        let secfixes = match pkg.get("secfixes") {
            None | Some(Value::Null) => continue,
            Some(Value::Object(m)) => m,
            Some(_) => {
                errors.push(EntryError::new(at(""), "`secfixes` is not a map"));
                continue;
            }
        };
        for (version, ids) in secfixes {
            let version = version.trim();
            if version.is_empty() || version.contains(char::is_whitespace) {
                errors.push(EntryError::new(
                    at(""),
                    format!("invalid version `{version}`"),
                ));
                continue;
            }
            let ids = match ids {
                Value::Array(a) => a,
                Value::Null => continue,
                _ => {
                    let msg = "expected a list of vulnerability ids";
                    errors.push(EntryError::new(at(&format!(" {version}")), msg));
                    continue;
                }
            };
            for id in ids {
                let found = id.as_str().map(vuln_ids).unwrap_or_default();
                if found.is_empty() {
                    let msg = format!("no vulnerability id in `{}`", scalar(id));
                    errors.push(EntryError::new(at(&format!(" {version}")), msg));
                    continue;
                }
                if version == "0" {
                    // Listed as never affecting this package.
                    continue;
                }
                for id in found {
                    let fixed = vulns
                        .entry(id.to_owned())
                        .or_default()
                        .entry(name.to_owned())
                        .or_default();
                    if !fixed.iter().any(|v| v == version) {
                        fixed.push(version.to_owned());
                    }
                }
            }
        }
    }
    let advisories = vulns
        .into_iter()
        .map(|(id, packages)| Advisory {
            id: format!("ALPINE-{branch}-{repo}-{id}"),
            aliases: vec![id],
            modified: None,
            published: None,
            withdrawn: None,
            summary: None,
            affected: packages
                .into_iter()
                .map(|(name, fixed)| Affected {
                    package: Some(PackageRef {
                        ecosystem: ecosystem.clone(),
                        name,
                        purl: None,
                    }),
                    // Several fixed versions (a backport and a later one): matching
                    // sorts the events, so the range ends at the lowest.
                    ranges: vec![Range {
                        kind: RangeType::Ecosystem,
                        events: std::iter::once(Event::Introduced("0".into()))
                            .chain(fixed.into_iter().map(Event::Fixed))
                            .collect(),
                    }],
                    versions: Vec::new(),
                    severity: Vec::new(),
                    database_specific: None,
                    ecosystem_specific: None,
                })
                .collect(),
            severity: Vec::new(),
            references: Vec::new(),
            database_specific: None,
        })
        .collect();
    (advisories, errors)
}

/// The ids in a secfix line (`CVE-2018-1000156 CVE-2018-6951`, `XSA-123`,
/// `CVE-2017-1000381 (comment)`): words of the form `LETTERS-...` before any comment.
fn vuln_ids(line: &str) -> Vec<&str> {
    line.split_whitespace()
        .take_while(|w| !w.starts_with('('))
        .filter(|w| {
            let (prefix, rest) = w.split_once('-').unwrap_or(("", ""));
            !prefix.is_empty()
                && prefix.chars().all(|c| c.is_ascii_alphabetic())
                && !rest.is_empty()
                && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        .collect()
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "---
distroversion: v3.11
reponame: main
packages:
  - pkg:
      name: ansible
      secfixes:
        2.9.3-r0:
          - CVE-2019-14904
          - CVE-2019-14905 XSA-1
        2.8.6-r0:
          - CVE-2019-14846 (the description)
        0:
          - CVE-2000-0001
  - pkg:
      name: apk-tools
  - pkg:
      name: other
      secfixes:
        1.0-r1:
          - CVE-2019-14904
";

    #[test]
    fn converts_secfixes() {
        assert!(looks_like_secdb(DOC.as_bytes()));
        let (got, errors) = parse_secdb(DOC.as_bytes(), Format::Yaml);
        assert!(errors.is_empty(), "{errors:?}");
        let ids: Vec<&str> = got.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "ALPINE-v3.11-main-CVE-2019-14846",
                "ALPINE-v3.11-main-CVE-2019-14904",
                "ALPINE-v3.11-main-CVE-2019-14905",
                "ALPINE-v3.11-main-XSA-1",
            ]
        );
        let a = &got[1];
        assert_eq!(a.aliases, ["CVE-2019-14904"]);
        let names: Vec<&str> = a
            .affected
            .iter()
            .map(|e| e.package.as_ref().map_or("", |p| p.name.as_str()))
            .collect();
        assert_eq!(names, ["ansible", "other"]);
        let entry = &a.affected[0];
        assert_eq!(
            entry.package.as_ref().map(|p| p.ecosystem.as_str()),
            Some("Alpine:v3.11")
        );
        assert_eq!(
            entry.ranges[0].events,
            [
                Event::Introduced("0".into()),
                Event::Fixed("2.9.3-r0".into())
            ]
        );
        assert!(crate::affected(a, "Alpine:v3.11", "ansible", "2.9.2-r1").is_some());
        assert!(crate::affected(a, "Alpine:v3.11", "ansible", "2.9.3-r0").is_none());
    }

    #[test]
    fn json_documents_parse_the_same() {
        let json = r#"{"distroversion":"v3.9","reponame":"community","packages":[
            {"pkg":{"name":"x","secfixes":{"1.0-r0":["CVE-2020-1"]}}}]}"#;
        assert!(looks_like_secdb(json.as_bytes()));
        let (got, errors) = parse_secdb(json.as_bytes(), Format::Json);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(got[0].id, "ALPINE-v3.9-community-CVE-2020-1");
    }

    #[test]
    fn reports_malformed_entries_and_goes_on() {
        let doc = "distroversion: v3.10
packages:
  - pkg:
      secfixes: {}
  - pkg:
      name: a
      secfixes: [1, 2]
  - pkg:
      name: b
      secfixes:
        1.0-r0: CVE-2020-1
        1.1-r0:
          - nothing here
          - CVE-2020-2
";
        let (got, errors) = parse_secdb(doc.as_bytes(), Format::Yaml);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].id, "ALPINE-v3.10-main-CVE-2020-2");
        let msgs: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            msgs,
            [
                "entry packages[0]: package without a `name`",
                "entry packages[1] `a`: `secfixes` is not a map",
                "entry packages[2] `b` 1.0-r0: expected a list of vulnerability ids",
                "entry packages[2] `b` 1.1-r0: no vulnerability id in `nothing here`",
            ]
        );
        let (_, errors) = parse_secdb(b"packages: [", Format::Yaml);
        assert!(
            matches!(errors[0].location, Location::Line(_)),
            "{errors:?}"
        );
        let (_, errors) = parse_secdb(b"packages: []", Format::Yaml);
        assert_eq!(
            errors[0].to_string(),
            "entry distroversion: missing `distroversion`"
        );
        let (_, errors) = parse_secdb(b"distroversion: v3.3\npackages: 7", Format::Yaml);
        assert_eq!(
            errors[0].to_string(),
            "entry packages: missing list `packages`"
        );
        let (got, errors) = parse_secdb(b"distroversion: v3.3\npackages:\n", Format::Yaml);
        assert!(got.is_empty() && errors.is_empty(), "{errors:?}");
    }
}
