//! The Debian security tracker's advisory lists (`data/DSA/list`, `data/DLA/list`).
//!
//! ```text
//! [29 Mar 2023] DSA-5380-1 xorg-server - security update
//!     {CVE-2023-1393}
//!     [bullseye] - xorg-server 2:1.20.11-1+deb11u6
//!     NOTE: fixed in testing at time of DSA
//! ```
//!
//! One advisory per header line: id `DSA-5380-1`, the CVE ids in braces as aliases,
//! the date as `published` and `modified`, and per `[codename] - source version` line
//! an affected entry for the source package in ecosystem `Debian:<release>` with the
//! range `introduced 0, fixed <version>`, and the urgency in parentheses after the version
//! (`(low)`, `(unimportant)`; the tracker's words) as the entry's `ecosystem_specific`
//! `urgency`, where Debian's OSV exports put it. `<unfixed>` means every version is affected;
//! `<not-affected>` and `<end-of-life>` add nothing. Debian advisories name source
//! packages: match binary packages through theirs ([`crate::Source`]).

use std::collections::BTreeMap;

use super::{EntryError, Location};
use crate::osv::{Advisory, Affected, Event, PackageRef, Range, RangeType, Specific};

/// The urgencies of the tracker (`data/CVE/list` and the DSA/DLA lists), which Debian
/// assigns per release: <https://security-team.debian.org/security_tracker.html#severity-levels>.
const URGENCIES: &[&str] = &["unimportant", "low", "medium", "high", "not yet assigned"];

/// The release number of a Debian codename, as OSV spells it in `Debian:<n>`.
pub fn release(codename: &str) -> Option<&'static str> {
    Some(match codename {
        "woody" => "3.0",
        "sarge" => "3.1",
        "etch" => "4.0",
        "lenny" => "5.0",
        "squeeze" => "6.0",
        "wheezy" => "7",
        "jessie" => "8",
        "stretch" => "9",
        "buster" => "10",
        "bullseye" => "11",
        "bookworm" => "12",
        "trixie" => "13",
        "forky" => "14",
        _ => return None,
    })
}

/// An advisory being read, with where it started.
struct Pending {
    advisory: Advisory,
    /// (ecosystem, package) -> events, in the order the lines give them, and the urgency.
    affected: BTreeMap<(String, String), (Vec<Event>, Option<String>)>,
}

impl Pending {
    fn finish(self) -> Advisory {
        let mut advisory = self.advisory;
        advisory.affected = self
            .affected
            .into_iter()
            .map(|((ecosystem, name), (events, urgency))| Affected {
                package: Some(PackageRef { ecosystem, name, purl: None }),
                ranges: vec![Range { kind: RangeType::Ecosystem, events }],
                versions: Vec::new(),
                severity: Vec::new(),
                database_specific: None,
                ecosystem_specific: urgency.map(|u| Specific { severity: None, urgency: Some(u) }),
            })
            .collect();
        advisory
    }
}

/// Parses a DSA or DLA list. Malformed lines are reported by line number; a
/// malformed header skips its advisory's lines, and the rest is read.
pub fn parse_list(text: &str) -> (Vec<Advisory>, Vec<EntryError>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut current: Option<Pending> = None;
    // After a bad header, its body lines are skipped silently.
    let mut skipping = false;
    for (k, line) in text.lines().enumerate() {
        let at = Location::Line(k + 1);
        if line.trim().is_empty() {
            continue;
        }
        if !line.starts_with(char::is_whitespace) {
            if let Some(p) = current.take() {
                out.push(p.finish());
            }
            match header(line) {
                Ok(advisory) => {
                    skipping = false;
                    current = Some(Pending { advisory, affected: BTreeMap::new() });
                }
                Err(message) => {
                    skipping = true;
                    errors.push(EntryError::new(at, message));
                }
            }
            continue;
        }
        if skipping {
            continue;
        }
        let Some(pending) = current.as_mut() else {
            errors.push(EntryError::new(at, "indented line before the first advisory"));
            continue;
        };
        if let Err(message) = body(line.trim(), pending) {
            errors.push(EntryError::new(at, message));
        }
    }
    if let Some(p) = current.take() {
        out.push(p.finish());
    }
    (out, errors)
}

/// `[29 Mar 2023] DSA-5380-1 xorg-server - security update`
fn header(line: &str) -> Result<Advisory, String> {
    let rest = line.strip_prefix('[').ok_or_else(|| format!("expected `[date] DSA-... package - description`, found `{line}`"))?;
    let (date, rest) = rest.split_once(']').ok_or_else(|| format!("unclosed date in `{line}`"))?;
    let date = date_to_rfc3339(date).ok_or_else(|| format!("invalid date `{date}`"))?;
    let rest = rest.trim();
    let (id, rest) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let valid_id = id.len() > 4 && id.contains('-') && id.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
    if !valid_id {
        return Err(format!("invalid advisory id `{id}`"));
    }
    let summary = rest.trim();
    Ok(Advisory {
        id: id.to_owned(),
        aliases: Vec::new(),
        modified: Some(date.clone()),
        published: Some(date),
        withdrawn: None,
        summary: (!summary.is_empty()).then(|| summary.to_owned()),
        affected: Vec::new(),
        severity: Vec::new(),
        references: Vec::new(),
        database_specific: None,
    })
}

/// `{CVE-...}`, `[codename] - package version (note)` or `NOTE: ...`.
fn body(line: &str, pending: &mut Pending) -> Result<(), String> {
    if line.starts_with("NOTE:") {
        return Ok(());
    }
    if let Some(ids) = line.strip_prefix('{') {
        let ids = ids.strip_suffix('}').ok_or_else(|| format!("unclosed `{{` in `{line}`"))?;
        for id in ids.split_whitespace() {
            if !pending.advisory.aliases.iter().any(|a| a == id) {
                pending.advisory.aliases.push(id.to_owned());
            }
        }
        return Ok(());
    }
    let Some(rest) = line.strip_prefix('[') else {
        return Err(format!("expected `{{CVE-...}}`, `[codename] - package version` or `NOTE:`, found `{line}`"));
    };
    let (codename, rest) = rest.split_once(']').ok_or_else(|| format!("unclosed codename in `{line}`"))?;
    let release = release(codename).ok_or_else(|| format!("unknown Debian codename `{codename}`"))?;
    let rest = rest.trim_start().strip_prefix("- ").ok_or_else(|| format!("expected `- package version` after `[{codename}]`"))?;
    let mut words = rest.split_whitespace();
    let (Some(package), Some(version)) = (words.next(), words.next()) else {
        return Err(format!("expected `package version` in `{line}`"));
    };
    // What follows the version is an urgency or a note in parentheses.
    let mut urgency = None;
    if let Some(extra) = words.next() {
        if !extra.starts_with('(') {
            return Err(format!("unexpected `{extra}` after the version in `{line}`"));
        }
        urgency = paren_urgency(rest);
    }
    let event = match version {
        "<not-affected>" | "<end-of-life>" | "<removed>" | "<ignored>" | "<postponed>" => return Ok(()),
        "<unfixed>" => None,
        v if v.starts_with('<') => return Err(format!("unknown version marker `{v}`")),
        v => Some(Event::Fixed(v.to_owned())),
    };
    let (events, entry_urgency) = pending.affected.entry((format!("Debian:{release}"), package.to_owned())).or_default();
    if entry_urgency.is_none() {
        *entry_urgency = urgency;
    }
    if events.is_empty() {
        events.push(Event::Introduced("0".to_owned()));
    }
    if let Some(e) = event {
        if !events.contains(&e) {
            events.push(e);
        }
    }
    Ok(())
}

/// The urgency in `package version (low)` or `(bug #123; medium)`: a parenthesized
/// part, or one of its `;`-separated items, that is one of [`URGENCIES`] (the tracker
/// marks a guessed urgency with trailing `*`s, which are dropped). Notes are not urgencies.
fn paren_urgency(rest: &str) -> Option<String> {
    let inner = rest.split_once('(')?.1.rsplit_once(')')?.0;
    inner.split(';').map(|item| item.trim().trim_end_matches('*')).find(|item| URGENCIES.contains(item)).map(str::to_owned)
}

/// `29 Mar 2023` -> `2023-03-29T00:00:00Z`.
fn date_to_rfc3339(date: &str) -> Option<String> {
    let mut parts = date.split_whitespace();
    let day: u8 = parts.next()?.parse().ok()?;
    let month = match parts.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: u16 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1..=31).contains(&day) || !(1990..=9999).contains(&year) {
        return None;
    }
    Some(format!("{year:04}-{month:02}-{day:02}T00:00:00Z"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = "[29 Mar 2023] DSA-5380-1 xorg-server - security update
\t{CVE-2023-1393 CVE-2023-0001}
\t[bullseye] - xorg-server 2:1.20.11-1+deb11u6
\t[buster] - xorg-server <unfixed>
\tNOTE: fixed in testing at time of DSA
[17 Mar 2023] DSA-5356-2 sox - regression update
        [bullseye] - sox 14.4.2+git20190427-2+deb11u2 (medium)
\t[stretch] - sox <not-affected> (Vulnerable code not present)
";

    #[test]
    fn converts_advisories() {
        let (got, errors) = parse_list(LIST);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(got.len(), 2);
        let xorg = &got[0];
        assert_eq!(xorg.id, "DSA-5380-1");
        assert_eq!(xorg.aliases, ["CVE-2023-1393", "CVE-2023-0001"]);
        assert_eq!(xorg.modified.as_deref(), Some("2023-03-29T00:00:00Z"));
        assert_eq!(xorg.summary.as_deref(), Some("xorg-server - security update"));
        let pkgs: Vec<(&str, &str, &[Event])> = xorg
            .affected
            .iter()
            .map(|a| {
                let p = a.package.as_ref().expect("package");
                (p.ecosystem.as_str(), p.name.as_str(), a.ranges[0].events.as_slice())
            })
            .collect();
        assert_eq!(
            pkgs,
            [
                ("Debian:10", "xorg-server", &[Event::Introduced("0".into())][..]),
                ("Debian:11", "xorg-server", &[Event::Introduced("0".into()), Event::Fixed("2:1.20.11-1+deb11u6".into())][..]),
            ]
        );
        let sox = &got[1];
        assert!(sox.aliases.is_empty());
        assert_eq!(sox.affected.len(), 1, "not-affected adds nothing");
        assert_eq!(sox.affected[0].ranges[0].events[1], Event::Fixed("14.4.2+git20190427-2+deb11u2".into()));
    }

    #[test]
    fn urgencies_are_read_and_notes_are_not() {
        assert_eq!(paren_urgency("sox 1.0 (medium)").as_deref(), Some("medium"));
        assert_eq!(paren_urgency("x 1.0 (bug #332524; low*)").as_deref(), Some("low"));
        assert_eq!(paren_urgency("x 1.0 (not yet assigned)").as_deref(), Some("not yet assigned"));
        assert_eq!(paren_urgency("x <not-affected> (Vulnerable code not present)"), None);
        assert_eq!(paren_urgency("x 1.0 (unclosed"), None);
        let (got, _) = parse_list(LIST);
        let sox = &got[1].affected[0];
        assert_eq!(sox.ecosystem_specific.as_ref().and_then(|s| s.urgency.as_deref()), Some("medium"));
        assert_eq!(got[0].affected[0].ecosystem_specific, None, "no urgency given");
    }

    #[test]
    fn reports_malformed_lines_and_goes_on() {
        let text = "[32 Foo 2023] DSA-1-1 bad - date
\t[bullseye] - bad 1.0
[01 Jan 2020] DSA-2-1 good - ok
\t[hamm] - good 1.0
\t[bullseye] - good
\t{CVE-1
\tgarbage
\t[bullseye] - good 1.0 trailing
\t[bullseye] - good <whatever>
\t[bullseye] - good 2.0
[01 Jan 2020] not-an-id pkg - x
";
        let (got, errors) = parse_list(text);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].id, "DSA-2-1");
        assert_eq!(got[0].affected.len(), 1);
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "line 1: invalid date `32 Foo 2023`",
                "line 4: unknown Debian codename `hamm`",
                "line 5: expected `package version` in `[bullseye] - good`",
                "line 6: unclosed `{` in `{CVE-1`",
                "line 7: expected `{CVE-...}`, `[codename] - package version` or `NOTE:`, found `garbage`",
                "line 8: unexpected `trailing` after the version in `[bullseye] - good 1.0 trailing`",
                "line 9: unknown version marker `<whatever>`",
                "line 11: invalid advisory id `not-an-id`",
            ]
        );
    }
}
