//! The severity of a matched advisory, from the best real source there is, and
//! "unknown" when there is none: a severity is never invented.
//!
//! The order, first that rates wins:
//! 1. a CVSS v3.x / v4.0 vector of the record (`severity`, else the affected entry's),
//!    scored by [`crate::cvss`] and rated by the CVSS v3.1 specification's qualitative
//!    scale (section 5: none 0.0, low 0.1–3.9, medium 4.0–6.9, high 7.0–8.9, critical
//!    9.0–10.0);
//! 2. the database's own rating carried by the record: GitHub's `database_specific.severity`
//!    (`LOW`, `MODERATE`, `HIGH`, `CRITICAL`), Ubuntu's `severity` entry of type `Ubuntu`
//!    (`negligible` … `critical`), an `ecosystem_specific` / `database_specific` `severity`;
//! 3. a CVSS vector of another record of the same vulnerability (joined by id and alias at
//!    match time: a Debian advisory names CVEs, another feed may hold their CVSS); the
//!    highest of them when the advisory names several vulnerabilities, as it fixes them all;
//! 4. the distribution's urgency (Debian's `unimportant`, `low`, `medium`, `high`): a
//!    triage priority of the distribution, less specific than a score, hence after one.
//!
//! Otherwise the severity is `None` and the vendor's word, if any (`not yet assigned`),
//! is kept as written.

use rampart_model::Severity;

use crate::cvss::{self, Cvss};
use crate::osv::{Advisory, Affected};

/// What rated a matched advisory.
#[derive(Debug, Clone, PartialEq)]
pub struct Rating {
    /// `None`: unknown.
    pub severity: Option<Severity>,
    /// How it was rated, in words; empty when unknown.
    pub source: String,
    /// The vendor's own word as written (`MODERATE`, `low`, `not yet assigned`).
    pub vendor_severity: Option<String>,
    /// The scored vector that rated it (or that was found), with the record it is from.
    pub cvss: Option<ScoredVector>,
}

/// A scored CVSS vector and the record it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoredVector {
    pub vector: String,
    pub cvss: Cvss,
    pub record: String,
}

/// A rating word of a vendor as a severity: `None` for words that rate nothing
/// (`not yet assigned`, `untriaged`, `unknown`) or that are not ratings at all.
pub fn vendor_word(word: &str) -> Option<Severity> {
    Some(match word.trim().trim_end_matches('*').to_ascii_lowercase().as_str() {
        "critical" => Severity::Critical,
        // Red Hat's `important` is its second level.
        "high" | "important" => Severity::High,
        "moderate" | "medium" => Severity::Medium,
        // Debian's `unimportant` ("no security impact in Debian", yet listed) and
        // Ubuntu's `negligible` are the lowest level that still reports the package.
        "low" | "negligible" | "unimportant" => Severity::Low,
        _ => return None,
    })
}

/// The vendor's rating word of a record for one affected entry: GitHub's, Ubuntu's,
/// then the entry's own.
fn vendor_severity(advisory: &Advisory, entry: Option<&Affected>) -> Option<String> {
    let record = advisory.database_specific.as_ref().and_then(|s| s.severity.clone());
    let ubuntu = advisory.severity.iter().find(|v| v.kind == "Ubuntu").map(|v| v.score.clone());
    let own = entry.and_then(|e| {
        e.ecosystem_specific.as_ref().and_then(|s| s.severity.clone()).or_else(|| e.database_specific.as_ref()?.severity.clone())
    });
    record.or(ubuntu).or(own)
}

/// The distribution's urgency for one affected entry, else the record's.
fn urgency(advisory: &Advisory, entry: Option<&Affected>) -> Option<String> {
    entry
        .and_then(|e| {
            e.ecosystem_specific.as_ref().and_then(|s| s.urgency.clone()).or_else(|| e.database_specific.as_ref()?.urgency.clone())
        })
        .or_else(|| advisory.database_specific.as_ref()?.urgency.clone())
}

/// Rates `advisory` as matched through `entry` (the affected entry of the installed
/// package), given its own best vector and the vectors of other records of the same
/// vulnerability (`related`, in the advisory's alias order).
pub fn rate(advisory: &Advisory, entry: Option<&Affected>, own: Option<&(String, Cvss)>, related: &[ScoredVector]) -> Rating {
    let vendor = vendor_severity(advisory, entry);
    let urgency = urgency(advisory, entry);
    let vendor_said = vendor.clone().or_else(|| urgency.clone());
    if let Some((vector, c)) = own {
        return Rating {
            severity: Some(cvss::severity(c.score)),
            source: format!("CVSS {} score {:.1} of {}", version(c), c.score, advisory.id),
            vendor_severity: vendor_said,
            cvss: Some(ScoredVector { vector: vector.clone(), cvss: *c, record: advisory.id.clone() }),
        };
    }
    let best_related = best_of(related);
    if let Some(word) = &vendor {
        if let Some(s) = vendor_word(word) {
            return Rating {
                severity: Some(s),
                source: format!("{} severity `{word}`", advisory.id),
                vendor_severity: vendor_said,
                cvss: best_related.cloned(),
            };
        }
    }
    if let Some(v) = best_related {
        return Rating {
            severity: Some(cvss::severity(v.cvss.score)),
            source: format!("CVSS {} score {:.1} of {}", version(&v.cvss), v.cvss.score, v.record),
            vendor_severity: vendor_said,
            cvss: Some(v.clone()),
        };
    }
    if let Some(word) = &urgency {
        if let Some(s) = vendor_word(word) {
            return Rating {
                severity: Some(s),
                source: format!("{} urgency `{word}`", advisory.id),
                vendor_severity: vendor_said,
                cvss: None,
            };
        }
    }
    Rating { severity: None, source: String::new(), vendor_severity: vendor_said, cvss: None }
}

/// The highest-scored vector, v3 before v4 as [`crate::best_cvss`] ranks them (scores of
/// the two versions are not comparable); the first on a tie.
fn best_of(related: &[ScoredVector]) -> Option<&ScoredVector> {
    let mut best: Option<&ScoredVector> = None;
    for v in related {
        let better = match best {
            None => true,
            Some(b) => {
                let (bv4, vv4) = (b.cvss.version == cvss::Version::V4_0, v.cvss.version == cvss::Version::V4_0);
                (bv4 && !vv4) || (bv4 == vv4 && v.cvss.score > b.cvss.score)
            }
        };
        if better {
            best = Some(v);
        }
    }
    best
}

/// `3.0`, `3.1`, `4.0`.
pub fn version(c: &Cvss) -> &'static str {
    match c.version {
        cvss::Version::V3_0 => "3.0",
        cvss::Version::V3_1 => "3.1",
        cvss::Version::V4_0 => "4.0",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::osv::{parse, Format};

    const V75: &str = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H";

    fn adv(json: &str) -> Advisory {
        parse(json.as_bytes(), Format::Json).expect("valid test record")
    }

    fn scored(record: &str, vector: &str) -> ScoredVector {
        ScoredVector { vector: vector.into(), cvss: cvss::base_score(vector).expect("valid vector"), record: record.into() }
    }

    #[test]
    fn order_of_sources() {
        let plain = adv(r#"{"id":"DSA-1"}"#);
        let unknown = rate(&plain, None, None, &[]);
        assert_eq!(unknown.severity, None);
        assert_eq!(unknown.source, "");

        // A related record's CVSS rates it.
        let r = rate(&plain, None, None, &[scored("GHSA-x", V75)]);
        assert_eq!(r.severity, Some(Severity::High));
        assert_eq!(r.source, "CVSS 3.1 score 7.5 of GHSA-x");

        // The highest of several related vectors; v3 before v4.
        let low = "CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N";
        let v4crit = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H";
        let r = rate(&plain, None, None, &[scored("A", low), scored("B", V75), scored("C", v4crit)]);
        assert_eq!(r.cvss.unwrap().record, "B");

        // The record's own vendor word beats a related CVSS; GitHub's MODERATE is medium.
        let ghsa = adv(r#"{"id":"GHSA-1","database_specific":{"severity":"MODERATE","cwe_ids":[]}}"#);
        let r = rate(&ghsa, None, None, &[scored("X", V75)]);
        assert_eq!(r.severity, Some(Severity::Medium));
        assert_eq!(r.vendor_severity.as_deref(), Some("MODERATE"));

        // Its own CVSS beats its vendor word.
        let own = ("v".to_owned(), cvss::base_score(V75).unwrap());
        let r = rate(&ghsa, None, Some(&own), &[]);
        assert_eq!(r.severity, Some(Severity::High));

        // Ubuntu's severity entry.
        let ubuntu = adv(r#"{"id":"UBUNTU-CVE-1","severity":[{"type":"Ubuntu","score":"negligible"}]}"#);
        assert_eq!(rate(&ubuntu, None, None, &[]).severity, Some(Severity::Low));
    }

    #[test]
    fn urgency_comes_after_related_cvss_and_unassigned_is_unknown() {
        let a = adv(r#"{"id":"DEBIAN-CVE-1","affected":[{"package":{"ecosystem":"Debian:11","name":"p"},
               "ecosystem_specific":{"urgency":"low"}},
               {"package":{"ecosystem":"Debian:12","name":"p"},
               "ecosystem_specific":{"urgency":"not yet assigned"}}]}"#);
        let r = rate(&a, Some(&a.affected[0]), None, &[]);
        assert_eq!(r.severity, Some(Severity::Low));
        assert_eq!(r.source, "DEBIAN-CVE-1 urgency `low`");
        let r = rate(&a, Some(&a.affected[0]), None, &[scored("CVE-1", V75)]);
        assert_eq!(r.severity, Some(Severity::High), "a score before an urgency");
        let r = rate(&a, Some(&a.affected[1]), None, &[]);
        assert_eq!(r.severity, None);
        assert_eq!(r.vendor_severity.as_deref(), Some("not yet assigned"));
    }

    #[test]
    fn vendor_words() {
        for (w, s) in [
            ("CRITICAL", Some(Severity::Critical)),
            ("important", Some(Severity::High)),
            ("MODERATE", Some(Severity::Medium)),
            ("medium**", Some(Severity::Medium)),
            ("unimportant", Some(Severity::Low)),
            ("not yet assigned", None),
            ("untriaged", None),
            ("", None),
        ] {
            assert_eq!(vendor_word(w), s, "{w}");
        }
    }
}
