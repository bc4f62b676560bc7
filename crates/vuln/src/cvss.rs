//! CVSS base scores from vectors, and scores to severities.
//!
//! CVSS v3.0 and v3.1 base scores follow the v3.1 specification (section 7.1 formulas,
//! Appendix A `Roundup`). CVSS v4.0 scores follow the v4.0 specification (section 8:
//! equivalence sets EQ1–EQ6 → MacroVector → lookup score, interpolated by severity
//! distance within the MacroVector, rounded to one decimal; see `cvss/v4.rs`). A v4 vector
//! is scored as written: CVSS-B for base metrics only, CVSS-BT / CVSS-BE / CVSS-BTE
//! when it also sets threat or environmental metrics, unset ones taking their `X`
//! defaults, as FIRST's calculator does. Supplemental metrics never change a score.
//!
//! Every score is exact; [`Cvss::version`] says which specification computed it.
//! [`base_score`] is total: any string gives a score or a [`CvssError`], never a panic.

use rampart_model::Severity;

mod v4;

/// The CVSS specification version a vector names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Version {
    /// `CVSS:3.0/`.
    V3_0,
    /// `CVSS:3.1/`.
    V3_1,
    /// `CVSS:4.0/`.
    V4_0,
}

/// A score computed from a vector.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cvss {
    /// The score, 0.0 to 10.0: the v3 base score, or the v4 score of the metrics the
    /// vector sets (CVSS-B, -BT, -BE or -BTE).
    pub score: f64,
    /// The specification that scored the vector.
    pub version: Version,
}

/// Why a vector could not be scored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CvssError {
    /// The vector does not start with a supported `CVSS:3.x/` or `CVSS:4.0/` prefix.
    #[error("unsupported cvss vector prefix in `{0}`")]
    Prefix(String),
    /// A metric is missing or has an unknown value.
    #[error("cvss vector `{vector}` lacks a valid `{metric}` metric")]
    Metric {
        /// The whole vector.
        vector: String,
        /// The metric's abbreviation.
        metric: &'static str,
    },
    /// A v4 vector has a field that is not `METRIC:VALUE` of a known metric, or names
    /// a metric twice.
    #[error("cvss vector `{vector}` has an unknown, repeated or malformed field `{field}`")]
    Field {
        /// The whole vector.
        vector: String,
        /// The offending field.
        field: String,
    },
}

/// The qualitative rating of a score: critical ≥ 9.0, high ≥ 7.0, medium ≥ 4.0,
/// low > 0.0, informational (CVSS "none") at 0.0 ([`Severity::from_cvss`]).
pub fn severity(score: f64) -> Severity {
    Severity::from_cvss(score)
}

/// CVSS v3.1 `Roundup`: the smallest one-decimal number not below `x`, computed on
/// integers to avoid floating-point artifacts.
fn roundup(x: f64) -> f64 {
    let int = (x * 100_000.0).round() as i64;
    if int % 10_000 == 0 {
        int as f64 / 100_000.0
    } else {
        ((int / 10_000) + 1) as f64 / 10.0
    }
}

struct Metrics<'a> {
    vector: &'a str,
    pairs: Vec<(&'a str, &'a str)>,
}

impl<'a> Metrics<'a> {
    fn get(&self, metric: &'static str) -> Result<&'a str, CvssError> {
        self.pairs
            .iter()
            .find(|(k, _)| *k == metric)
            .map(|(_, v)| *v)
            .ok_or_else(|| self.bad(metric))
    }
    fn bad(&self, metric: &'static str) -> CvssError {
        CvssError::Metric {
            vector: self.vector.to_owned(),
            metric,
        }
    }
    fn pick(&self, metric: &'static str, table: &[(&str, f64)]) -> Result<f64, CvssError> {
        let v = self.get(metric)?;
        table
            .iter()
            .find(|(k, _)| *k == v)
            .map(|(_, x)| *x)
            .ok_or_else(|| self.bad(metric))
    }
}

/// CVSS v3.1 base metric weights.
struct V3 {
    av: f64,
    ac: f64,
    pr: f64,
    ui: f64,
    changed: bool,
    cia: [f64; 3],
}

fn v3_score(m: V3) -> f64 {
    let V3 {
        av,
        ac,
        pr,
        ui,
        changed,
        cia: [c, i, a],
    } = m;
    let iss = 1.0 - (1.0 - c) * (1.0 - i) * (1.0 - a);
    let impact = if changed {
        7.52 * (iss - 0.029) - 3.25 * (iss - 0.02).powi(15)
    } else {
        6.42 * iss
    };
    let exploitability = 8.22 * av * ac * pr * ui;
    if impact <= 0.0 {
        0.0
    } else if changed {
        roundup((1.08 * (impact + exploitability)).min(10.0))
    } else {
        roundup((impact + exploitability).min(10.0))
    }
}

const AV: [(&str, f64); 4] = [("N", 0.85), ("A", 0.62), ("L", 0.55), ("P", 0.2)];
const AC: [(&str, f64); 2] = [("L", 0.77), ("H", 0.44)];
const UI: [(&str, f64); 2] = [("N", 0.85), ("R", 0.62)];
const CIA: [(&str, f64); 3] = [("H", 0.56), ("L", 0.22), ("N", 0.0)];

fn pr(value: &str, changed: bool) -> Option<f64> {
    Some(match (value, changed) {
        ("N", _) => 0.85,
        ("L", false) => 0.62,
        ("L", true) => 0.68,
        ("H", false) => 0.27,
        ("H", true) => 0.5,
        _ => return None,
    })
}

/// Computes the score of a CVSS v3.0, v3.1 or v4.0 vector.
///
/// v3 vectors are read leniently (unknown fields are ignored, the first of repeated
/// metrics counts); v4 vectors strictly (every field must be a known metric with a
/// valid value, each at most once, in any order).
pub fn base_score(vector: &str) -> Result<Cvss, CvssError> {
    let vector = vector.trim();
    let (prefix, rest) = vector
        .split_once('/')
        .ok_or_else(|| CvssError::Prefix(vector.to_owned()))?;
    let version = match prefix {
        "CVSS:3.0" => Version::V3_0,
        "CVSS:3.1" => Version::V3_1,
        "CVSS:4.0" => {
            return Ok(Cvss {
                score: v4::score(vector, rest)?,
                version: Version::V4_0,
            })
        }
        _ => return Err(CvssError::Prefix(vector.to_owned())),
    };
    let m = Metrics {
        vector,
        pairs: rest.split('/').filter_map(|p| p.split_once(':')).collect(),
    };
    let changed = match m.get("S")? {
        "U" => false,
        "C" => true,
        _ => return Err(m.bad("S")),
    };
    let pr = pr(m.get("PR")?, changed).ok_or_else(|| m.bad("PR"))?;
    let score = v3_score(V3 {
        av: m.pick("AV", &AV)?,
        ac: m.pick("AC", &AC)?,
        pr,
        ui: m.pick("UI", &UI)?,
        changed,
        cia: [m.pick("C", &CIA)?, m.pick("I", &CIA)?, m.pick("A", &CIA)?],
    });
    Ok(Cvss { score, version })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v3_scores_match_the_nvd_calculator() {
        for (vector, want) in [
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
            ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5),
            ("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8),
            ("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 5.9),
            ("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.6),
            ("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N", 5.3),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0),
            ("CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 6.5),
            ("CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H", 8.2),
        ] {
            let got = base_score(vector).expect("valid vector");
            assert_eq!(got.score, want, "{vector}");
            assert_ne!(got.version, Version::V4_0);
        }
    }

    #[test]
    fn roundup_avoids_float_artifacts() {
        assert_eq!(roundup(4.000_000_1), 4.0);
        assert_eq!(roundup(4.02), 4.1);
        assert_eq!(roundup(4.0), 4.0);
    }

    /// Official scores (FIRST's calculator; the differential test in
    /// `tests/cvss4_differential.rs` checks thousands more against an independent
    /// implementation).
    #[test]
    fn v4_scores_match_the_first_calculator() {
        for (vector, want) in [
            ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3),
            ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 10.0),
            ("CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N", 2.3),
            ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N/E:P", 7.7),
            ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N", 8.7),
            ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N", 6.9),
            ("CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 7.3),
            ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N/E:P", 5.5),
            ("CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N", 2.3),
            ("CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N", 1.0),
            ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", 0.0),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U/CR:L/IR:L/AR:L",
                6.5,
            ),
            (
                "CVSS:4.0/AV:L/AC:H/AT:N/PR:L/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N/MSI:S/MSA:S",
                6.7,
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MAV:P/MPR:H/MUI:A",
                7.0,
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/S:P/AU:Y/R:I/V:C/RE:H/U:Red",
                9.3,
            ),
        ] {
            let got = base_score(vector).expect("valid vector");
            assert_eq!((got.score, got.version), (want, Version::V4_0), "{vector}");
        }
    }

    #[test]
    fn v4_rejects_malformed_vectors() {
        const BASE: &str = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";
        for (suffix, want) in [
            ("/E:Q", "lacks a valid `E` metric"),
            ("/MSC:S", "lacks a valid `MSC` metric"),
            (
                "/XX:Y",
                "has an unknown, repeated or malformed field `XX:Y`",
            ),
            (
                "/AV:N",
                "has an unknown, repeated or malformed field `AV:N`",
            ),
            ("/", "has an unknown, repeated or malformed field ``"),
            ("/E", "has an unknown, repeated or malformed field `E`"),
        ] {
            let vector = format!("{BASE}{suffix}");
            let e = base_score(&vector).expect_err(&vector).to_string();
            assert!(e.ends_with(want), "{vector}: {e}");
        }
        let e = base_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N")
            .expect_err("no SA");
        assert!(e.to_string().ends_with("lacks a valid `SA` metric"), "{e}");
        assert!(base_score("CVSS:4.0/").is_err());
        assert!(
            base_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:\u{e9}/SC:N/SI:N/SA:N")
                .is_err()
        );
    }

    #[test]
    fn errors_name_the_metric() {
        let e = base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H").expect_err("no A");
        assert_eq!(
            e.to_string(),
            "cvss vector `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H` lacks a valid `A` metric"
        );
        assert!(matches!(base_score("AV:N/AC:L"), Err(CvssError::Prefix(_))));
        assert!(matches!(
            base_score("CVSS:2.0/AV:N"),
            Err(CvssError::Prefix(_))
        ));
    }

    proptest::proptest! {
        /// Scoring is total: arbitrary text after a v4 (or v3) prefix gives a score in
        /// range or an error, never a panic.
        #[test]
        fn base_score_is_total(
            prefix in "CVSS:(4\\.0|3\\.1)/",
            fields in proptest::collection::vec("(M?[ACEIPRSUV][ACITRV]?|[A-Z]{0,3}):?[A-Za-z]{0,2}", 0..40),
        ) {
            if let Ok(c) = base_score(&format!("{prefix}{}", fields.join("/"))) {
                proptest::prop_assert!((0.0..=10.0).contains(&c.score));
            }
        }
    }

    #[test]
    fn severities() {
        assert_eq!(severity(9.0), Severity::Critical);
        assert_eq!(severity(8.9), Severity::High);
        assert_eq!(severity(7.0), Severity::High);
        assert_eq!(severity(4.0), Severity::Medium);
        assert_eq!(severity(3.9), Severity::Low);
        assert_eq!(severity(0.1), Severity::Low);
        assert_eq!(severity(0.0), Severity::Informational);
    }
}
