//! CVSS base scores from vectors, and scores to severities.
//!
//! CVSS v3.0 and v3.1 base scores follow the v3.1 specification (section 7.1 formulas,
//! Appendix A `Roundup`). CVSS v4.0 is **approximated**, not scored: v4's official score
//! needs the MacroVector lookup table, which is not implemented yet. A v4 vector is
//! mapped to the closest v3.1 base metrics, choosing the worse value wherever v4 is
//! finer-grained (`AT:P` = `AC:H`; `UI:P`/`UI:A` = `UI:R`; scope changed when any
//! subsequent-system impact is present; each impact the higher of the vulnerable and
//! subsequent systems'), so the severity errs high, never low. [`Cvss::approximate`]
//! says which kind a score is.

use rampart_model::Severity;

/// A base score computed from a vector.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cvss {
    /// The base score, 0.0 to 10.0.
    pub score: f64,
    /// Whether the score is the conservative v4 approximation.
    pub approximate: bool,
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
}

/// The qualitative rating of a score: critical ≥ 9.0, high ≥ 7.0, medium ≥ 4.0,
/// low > 0.0, informational (CVSS "none") at 0.0.
pub fn severity(score: f64) -> Severity {
    if score >= 9.0 {
        Severity::Critical
    } else if score >= 7.0 {
        Severity::High
    } else if score >= 4.0 {
        Severity::Medium
    } else if score > 0.0 {
        Severity::Low
    } else {
        Severity::Informational
    }
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

/// Computes the base score of a CVSS v3.x or (approximately) v4.0 vector.
pub fn base_score(vector: &str) -> Result<Cvss, CvssError> {
    let vector = vector.trim();
    let (version, rest) = vector
        .split_once('/')
        .ok_or_else(|| CvssError::Prefix(vector.to_owned()))?;
    let m = Metrics {
        vector,
        pairs: rest.split('/').filter_map(|p| p.split_once(':')).collect(),
    };
    match version {
        "CVSS:3.0" | "CVSS:3.1" => {
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
            Ok(Cvss {
                score,
                approximate: false,
            })
        }
        "CVSS:4.0" => {
            let ac = if m.get("AC")? == "H" || m.get("AT")? == "P" {
                0.44
            } else {
                0.77
            };
            m.pick("AC", &AC)?;
            let ui = match m.get("UI")? {
                "N" => 0.85,
                "P" | "A" => 0.62,
                _ => return Err(m.bad("UI")),
            };
            let sub = [
                m.pick("SC", &CIA)?,
                m.pick("SI", &CIA)?,
                m.pick("SA", &CIA)?,
            ];
            let changed = sub.iter().any(|x| *x > 0.0);
            let pr = pr(m.get("PR")?, changed).ok_or_else(|| m.bad("PR"))?;
            let score = v3_score(V3 {
                av: m.pick("AV", &AV)?,
                ac,
                pr,
                ui,
                changed,
                cia: [
                    m.pick("VC", &CIA)?.max(sub[0]),
                    m.pick("VI", &CIA)?.max(sub[1]),
                    m.pick("VA", &CIA)?.max(sub[2]),
                ],
            });
            Ok(Cvss {
                score,
                approximate: true,
            })
        }
        _ => Err(CvssError::Prefix(vector.to_owned())),
    }
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
            assert!(!got.approximate);
        }
    }

    #[test]
    fn roundup_avoids_float_artifacts() {
        assert_eq!(roundup(4.000_000_1), 4.0);
        assert_eq!(roundup(4.02), 4.1);
        assert_eq!(roundup(4.0), 4.0);
    }

    #[test]
    fn v4_is_approximated_conservatively() {
        // Official v4 scores: 9.3 and 5.3 / medium (these approximations may only err high).
        let crit = base_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")
            .expect("valid");
        assert!(crit.approximate);
        assert_eq!(severity(crit.score), Severity::Critical);
        let med = base_score("CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N")
            .expect("valid");
        assert!(severity(med.score) >= Severity::Low);
        let high =
            base_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N/E:P")
                .expect("valid");
        assert!(severity(high.score) >= Severity::High, "official 8.7");
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
