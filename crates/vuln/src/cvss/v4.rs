//! CVSS v4.0 scores, computed as the FIRST specification defines them (section 8,
//! "CVSS v4.0 Scoring"):
//!
//! 1. The effective value of every metric: a modified base metric (`MAV` … `MSA`)
//!    other than `X` replaces its base metric; an unset or `X` Exploit Maturity counts
//!    as `A` (Attacked) and unset or `X` security requirements (`CR`, `IR`, `AR`) as
//!    `H` (High).
//! 2. The six equivalence sets EQ1–EQ6 of those values form the MacroVector, whose
//!    score is the specification's lookup table ([`MACRO_SCORES`]).
//! 3. Within the MacroVector the score is interpolated: for each equivalence set whose
//!    next lower MacroVector exists, the score gap to it times the vector's severity
//!    distance from the MacroVector's highest-severity vectors ([`EQ1_MAX`] …), divided
//!    by the MacroVector's depth ([`EQ1_DEPTH`] …); the mean of those is subtracted.
//! 4. The result is clamped to 0–10 and rounded half up to one decimal.
//!
//! A vector with no impact at all (every effective `VC` … `SA` is `N`) scores 0.0.
//! Supplemental metrics (`S`, `AU`, `R`, `V`, `RE`, `U`) are validated but never change
//! the score. All arithmetic is exact (integers in tenths of a point, the interpolation
//! over a common denominator), so no floating-point rounding can move a score across a
//! decimal.

use super::CvssError;

/// Every v4.0 metric in the specification's order (Table 23), with its allowed values.
/// The first eleven are the mandatory base metrics; every other one may be absent,
/// which means the same as `X` (Not Defined).
const METRICS: [(&str, &[&str]); 32] = [
    ("AV", &["N", "A", "L", "P"]),
    ("AC", &["L", "H"]),
    ("AT", &["N", "P"]),
    ("PR", &["N", "L", "H"]),
    ("UI", &["N", "P", "A"]),
    ("VC", &["H", "L", "N"]),
    ("VI", &["H", "L", "N"]),
    ("VA", &["H", "L", "N"]),
    ("SC", &["H", "L", "N"]),
    ("SI", &["H", "L", "N"]),
    ("SA", &["H", "L", "N"]),
    ("E", &["X", "A", "P", "U"]),
    ("CR", &["X", "H", "M", "L"]),
    ("IR", &["X", "H", "M", "L"]),
    ("AR", &["X", "H", "M", "L"]),
    ("MAV", &["X", "N", "A", "L", "P"]),
    ("MAC", &["X", "L", "H"]),
    ("MAT", &["X", "N", "P"]),
    ("MPR", &["X", "N", "L", "H"]),
    ("MUI", &["X", "N", "P", "A"]),
    ("MVC", &["X", "H", "L", "N"]),
    ("MVI", &["X", "H", "L", "N"]),
    ("MVA", &["X", "H", "L", "N"]),
    ("MSC", &["X", "H", "L", "N"]),
    ("MSI", &["X", "S", "H", "L", "N"]),
    ("MSA", &["X", "S", "H", "L", "N"]),
    ("S", &["X", "N", "P"]),
    ("AU", &["X", "N", "Y"]),
    ("R", &["X", "A", "U", "I"]),
    ("V", &["X", "D", "C"]),
    ("RE", &["X", "L", "M", "H"]),
    ("U", &["X", "Clear", "Green", "Amber", "Red"]),
];

/// The number of mandatory base metrics, the first entries of [`METRICS`].
const BASE: usize = 11;
/// `M<metric>` is at the base metric's index plus this in [`METRICS`].
const MODIFIED: usize = 15;

// Indices of the scored metrics, in [`METRICS`] and in the effective levels.
const AV: usize = 0;
const AC: usize = 1;
const AT: usize = 2;
const PR: usize = 3;
const UI: usize = 4;
const VC: usize = 5;
const VI: usize = 6;
const VA: usize = 7;
const SC: usize = 8;
const SI: usize = 9;
const SA: usize = 10;
const E: usize = 11;
const CR: usize = 12;
const IR: usize = 13;
const AR: usize = 14;

/// The severity order of each scored metric's values: a value's position is its
/// level, 0 the most severe (the specification's severity distances in steps of one).
/// The subsequent-system impacts share one order, in which `S` (Safety, only reachable
/// through `MSI`/`MSA`) is above `H`.
const LEVELS: [&str; 15] = [
    "NALP", "LH", "NP", "NLH", "NPA", "HLN", "HLN", "HLN", "SHLN", "SHLN", "SHLN", "APU", "HML",
    "HML", "HML",
];

/// The MacroVector scores of the specification, in tenths of a point: EQ1 … EQ6
/// levels as six digits. EQ3 level 2 (no high vulnerable-system impact) only exists
/// with EQ6 level 1, hence 270 entries rather than 324.
#[rustfmt::skip]
pub(super) const MACRO_SCORES: [(&str, u8); 270] = [
    ("000000", 100), ("000001", 99), ("000010", 98), ("000011", 95), ("000020", 95), ("000021", 92),
    ("000100", 100), ("000101", 96), ("000110", 93), ("000111", 87), ("000120", 91), ("000121", 81),
    ("000200", 93), ("000201", 90), ("000210", 89), ("000211", 80), ("000220", 81), ("000221", 68),
    ("001000", 98), ("001001", 95), ("001010", 95), ("001011", 92), ("001020", 90), ("001021", 84),
    ("001100", 93), ("001101", 92), ("001110", 89), ("001111", 81), ("001120", 81), ("001121", 65),
    ("001200", 88), ("001201", 80), ("001210", 78), ("001211", 70), ("001220", 69), ("001221", 48),
    ("002001", 92), ("002011", 82), ("002021", 72), ("002101", 79), ("002111", 69), ("002121", 50),
    ("002201", 69), ("002211", 55), ("002221", 27), ("010000", 99), ("010001", 97), ("010010", 95),
    ("010011", 92), ("010020", 92), ("010021", 85), ("010100", 95), ("010101", 91), ("010110", 90),
    ("010111", 83), ("010120", 84), ("010121", 71), ("010200", 92), ("010201", 81), ("010210", 82),
    ("010211", 71), ("010220", 72), ("010221", 53), ("011000", 95), ("011001", 93), ("011010", 92),
    ("011011", 85), ("011020", 85), ("011021", 73), ("011100", 92), ("011101", 82), ("011110", 80),
    ("011111", 72), ("011120", 70), ("011121", 59), ("011200", 84), ("011201", 70), ("011210", 71),
    ("011211", 52), ("011220", 50), ("011221", 30), ("012001", 86), ("012011", 75), ("012021", 52),
    ("012101", 71), ("012111", 52), ("012121", 29), ("012201", 63), ("012211", 29), ("012221", 17),
    ("100000", 98), ("100001", 95), ("100010", 94), ("100011", 87), ("100020", 91), ("100021", 81),
    ("100100", 94), ("100101", 89), ("100110", 86), ("100111", 74), ("100120", 77), ("100121", 64),
    ("100200", 87), ("100201", 75), ("100210", 74), ("100211", 63), ("100220", 63), ("100221", 49),
    ("101000", 94), ("101001", 89), ("101010", 88), ("101011", 77), ("101020", 76), ("101021", 67),
    ("101100", 86), ("101101", 76), ("101110", 74), ("101111", 58), ("101120", 59), ("101121", 50),
    ("101200", 72), ("101201", 57), ("101210", 57), ("101211", 52), ("101220", 52), ("101221", 25),
    ("102001", 83), ("102011", 70), ("102021", 54), ("102101", 65), ("102111", 58), ("102121", 26),
    ("102201", 53), ("102211", 21), ("102221", 13), ("110000", 95), ("110001", 90), ("110010", 88),
    ("110011", 76), ("110020", 76), ("110021", 70), ("110100", 90), ("110101", 77), ("110110", 75),
    ("110111", 62), ("110120", 61), ("110121", 53), ("110200", 77), ("110201", 66), ("110210", 68),
    ("110211", 59), ("110220", 52), ("110221", 30), ("111000", 89), ("111001", 78), ("111010", 76),
    ("111011", 67), ("111020", 62), ("111021", 58), ("111100", 74), ("111101", 59), ("111110", 57),
    ("111111", 57), ("111120", 47), ("111121", 23), ("111200", 61), ("111201", 52), ("111210", 57),
    ("111211", 29), ("111220", 24), ("111221", 16), ("112001", 71), ("112011", 59), ("112021", 30),
    ("112101", 58), ("112111", 26), ("112121", 15), ("112201", 23), ("112211", 13), ("112221", 6),
    ("200000", 93), ("200001", 87), ("200010", 86), ("200011", 72), ("200020", 75), ("200021", 58),
    ("200100", 86), ("200101", 74), ("200110", 74), ("200111", 61), ("200120", 56), ("200121", 34),
    ("200200", 70), ("200201", 54), ("200210", 52), ("200211", 40), ("200220", 40), ("200221", 22),
    ("201000", 85), ("201001", 75), ("201010", 74), ("201011", 55), ("201020", 62), ("201021", 51),
    ("201100", 72), ("201101", 57), ("201110", 55), ("201111", 41), ("201120", 46), ("201121", 19),
    ("201200", 53), ("201201", 36), ("201210", 34), ("201211", 19), ("201220", 19), ("201221", 8),
    ("202001", 64), ("202011", 51), ("202021", 20), ("202101", 47), ("202111", 21), ("202121", 11),
    ("202201", 24), ("202211", 9), ("202221", 4), ("210000", 88), ("210001", 75), ("210010", 73),
    ("210011", 53), ("210020", 60), ("210021", 50), ("210100", 73), ("210101", 55), ("210110", 59),
    ("210111", 40), ("210120", 41), ("210121", 20), ("210200", 54), ("210201", 43), ("210210", 45),
    ("210211", 22), ("210220", 20), ("210221", 11), ("211000", 75), ("211001", 55), ("211010", 58),
    ("211011", 45), ("211020", 40), ("211021", 21), ("211100", 61), ("211101", 51), ("211110", 48),
    ("211111", 18), ("211120", 20), ("211121", 9), ("211200", 46), ("211201", 18), ("211210", 17),
    ("211211", 7), ("211220", 8), ("211221", 2), ("212001", 53), ("212011", 24), ("212021", 14),
    ("212101", 24), ("212111", 12), ("212121", 5), ("212201", 10), ("212211", 3), ("212221", 1),
];

/// How many levels each equivalence set has: EQ1 … EQ6.
const EQ_LEVELS: [usize; 6] = [3, 2, 3, 3, 3, 2];

/// [`MACRO_SCORES`] indexed by MacroVector (mixed radix [`EQ_LEVELS`]); 0 marks a
/// MacroVector that does not exist (every real score is at least 0.1). Built at
/// compile time; a malformed or repeated entry fails the build.
const DENSE: [u8; 324] = {
    let mut dense = [0u8; 324];
    let mut k = 0;
    while k < MACRO_SCORES.len() {
        let digits = MACRO_SCORES[k].0.as_bytes();
        assert!(digits.len() == 6, "a MacroVector has six digits");
        let mut index = 0;
        let mut j = 0;
        while j < 6 {
            let d = digits[j].wrapping_sub(b'0') as usize;
            assert!(d < EQ_LEVELS[j], "an EQ level is out of range");
            index = index * EQ_LEVELS[j] + d;
            j += 1;
        }
        assert!(dense[index] == 0, "a MacroVector is listed twice");
        assert!(
            MACRO_SCORES[k].1 > 0 && MACRO_SCORES[k].1 <= 100,
            "a score is out of range"
        );
        dense[index] = MACRO_SCORES[k].1;
        k += 1;
    }
    dense
};

/// The score of a MacroVector in tenths, `None` if it does not exist (including an EQ
/// level one past the last).
pub(super) fn macro_score(eq: [usize; 6]) -> Option<i64> {
    let mut index = 0;
    for (level, radix) in eq.into_iter().zip(EQ_LEVELS) {
        if level >= radix {
            return None;
        }
        index = index * radix + level;
    }
    match DENSE[index] {
        0 => None,
        s => Some(i64::from(s)),
    }
}

/// The highest-severity vectors of each EQ1 level (specification data).
pub(super) const EQ1_MAX: [&[&str]; 3] = [
    &["AV:N/PR:N/UI:N"],
    &["AV:A/PR:N/UI:N", "AV:N/PR:L/UI:N", "AV:N/PR:N/UI:P"],
    &["AV:P/PR:N/UI:N", "AV:A/PR:L/UI:P"],
];
/// The highest-severity vectors of each EQ2 level.
pub(super) const EQ2_MAX: [&[&str]; 2] = [&["AC:L/AT:N"], &["AC:H/AT:N", "AC:L/AT:P"]];
/// The highest-severity vectors of each EQ3 level (outer) and EQ6 level (inner),
/// which the specification scores jointly. EQ3 level 2 has no EQ6 level 0.
pub(super) const EQ3_EQ6_MAX: [[&[&str]; 2]; 3] = [
    [
        &["VC:H/VI:H/VA:H/CR:H/IR:H/AR:H"],
        &[
            "VC:H/VI:H/VA:L/CR:M/IR:M/AR:H",
            "VC:H/VI:H/VA:H/CR:M/IR:M/AR:M",
        ],
    ],
    [
        &[
            "VC:L/VI:H/VA:H/CR:H/IR:H/AR:H",
            "VC:H/VI:L/VA:H/CR:H/IR:H/AR:H",
        ],
        &[
            "VC:L/VI:H/VA:L/CR:H/IR:M/AR:H",
            "VC:L/VI:H/VA:H/CR:H/IR:M/AR:M",
            "VC:H/VI:L/VA:H/CR:M/IR:H/AR:M",
            "VC:H/VI:L/VA:L/CR:M/IR:H/AR:H",
            "VC:L/VI:L/VA:H/CR:H/IR:H/AR:M",
        ],
    ],
    [&[], &["VC:L/VI:L/VA:L/CR:H/IR:H/AR:H"]],
];
/// The highest-severity vectors of each EQ4 level.
pub(super) const EQ4_MAX: [&[&str]; 3] = [
    &["SC:H/SI:S/SA:S"],
    &["SC:H/SI:H/SA:H"],
    &["SC:L/SI:L/SA:L"],
];

/// The depth of each EQ level: its maximal severity distance plus one (specification
/// data). EQ5 needs none: its distance within a level is always 0.
const EQ1_DEPTH: [i64; 3] = [1, 4, 5];
const EQ2_DEPTH: [i64; 2] = [1, 2];
const EQ3_EQ6_DEPTH: [[i64; 2]; 3] = [[7, 6], [8, 8], [0, 10]];
const EQ4_DEPTH: [i64; 3] = [6, 5, 4];
/// A common multiple of every depth, so the interpolation is exact in integers.
const DENOMINATOR: i64 = 2520;

/// The level of `value` in `order`, `None` for a value outside it.
fn level(order: &str, value: &str) -> Option<u8> {
    let &[b] = value.as_bytes() else { return None };
    order.bytes().position(|o| o == b).map(|p| p as u8)
}

/// The severity distance of effective levels `l` from one highest-severity vector
/// (`None` if the vector is malformed), summed; and whether every metric is at or
/// below the vector's severity.
fn distance(l: &[u8; 15], max: &str) -> Option<(i64, bool)> {
    let mut sum = 0;
    let mut dominated = true;
    for pair in max.split('/') {
        let (name, value) = pair.split_once(':')?;
        let k = METRICS[..15].iter().position(|(n, _)| *n == name)?;
        let d = i64::from(l[k]) - i64::from(level(LEVELS[k], value)?);
        dominated &= d >= 0;
        sum += d;
    }
    Some((sum, dominated))
}

/// The distance from the first of `maxes` whose severity is at or above the vector's
/// in every metric. Some always is (a unit test enumerates every combination); were
/// none, the last one counts, as in the reference calculator.
fn distance_from(l: &[u8; 15], maxes: &[&str]) -> Option<i64> {
    let mut last = None;
    for max in maxes {
        let (d, dominated) = distance(l, max)?;
        if dominated {
            return Some(d);
        }
        last = Some(d);
    }
    last
}

/// The MacroVector (EQ1 … EQ6 levels) of effective levels `l`.
pub(super) fn macro_vector(l: &[u8; 15]) -> [usize; 6] {
    let eq1 = if l[AV] == 0 && l[PR] == 0 && l[UI] == 0 {
        0
    } else if (l[AV] == 0 || l[PR] == 0 || l[UI] == 0) && l[AV] != 3 {
        1
    } else {
        2
    };
    let eq2 = usize::from(!(l[AC] == 0 && l[AT] == 0));
    let eq3 = if l[VC] == 0 && l[VI] == 0 {
        0
    } else if l[VC] == 0 || l[VI] == 0 || l[VA] == 0 {
        1
    } else {
        2
    };
    // S (level 0) is only reachable through MSI/MSA; H is level 1 for SC, SI and SA.
    let eq4 = if l[SI] == 0 || l[SA] == 0 {
        0
    } else if l[SC] == 1 || l[SI] == 1 || l[SA] == 1 {
        1
    } else {
        2
    };
    let eq5 = usize::from(l[E]);
    let eq6 = usize::from(
        !((l[CR] == 0 && l[VC] == 0) || (l[IR] == 0 && l[VI] == 0) || (l[AR] == 0 && l[VA] == 0)),
    );
    [eq1, eq2, eq3, eq4, eq5, eq6]
}

/// The score in tenths of a point of effective levels `l`, `None` only if the
/// specification's data had a gap (which unit tests rule out).
pub(super) fn score_levels(l: &[u8; 15]) -> Option<i64> {
    if l[VC] == 2 && l[VI] == 2 && l[VA] == 2 && l[SC] == 3 && l[SI] == 3 && l[SA] == 3 {
        return Some(0);
    }
    let mv = macro_vector(l);
    let [eq1, eq2, eq3, eq4, _, eq6] = mv;
    let value = macro_score(mv)?;
    let lower = |i: usize| {
        let mut next = mv;
        next[i] += 1;
        macro_score(next)
    };
    let lower_eq3_eq6 = match (eq3, eq6) {
        (0, 0) => lower(2).max(lower(5)),
        (0, 1) | (1, 1) => lower(2),
        (1, 0) => lower(5),
        _ => None,
    };

    let d1 = distance_from(l, EQ1_MAX[eq1])?;
    let d2 = distance_from(l, EQ2_MAX[eq2])?;
    let d36 = distance_from(l, EQ3_EQ6_MAX[eq3][eq6])?;
    let d4 = distance_from(l, EQ4_MAX[eq4])?;
    let depth36 = EQ3_EQ6_DEPTH[eq3][eq6];
    if depth36 == 0 {
        return None;
    }

    // Each term: the score gap to the next lower MacroVector times the proportion
    // distance / depth, scaled by DENOMINATOR. EQ5's proportion is always 0, but an
    // existing lower EQ5 MacroVector still counts in the mean.
    let mut sum = 0;
    let mut n = 0;
    for (next, distance, depth) in [
        (lower(0), d1, EQ1_DEPTH[eq1]),
        (lower(1), d2, EQ2_DEPTH[eq2]),
        (lower_eq3_eq6, d36, depth36),
        (lower(3), d4, EQ4_DEPTH[eq4]),
        (lower(4), 0, 1),
    ] {
        let Some(next) = next else { continue };
        let available = value - next;
        if available >= 0 {
            n += 1;
            sum += available * distance * (DENOMINATOR / depth);
        }
    }
    if n == 0 {
        return Some(value);
    }
    // value - sum / (DENOMINATOR n), clamped to 0..=100 and rounded half up.
    let scale = DENOMINATOR * n;
    let exact = (value * scale - sum).clamp(0, 100 * scale);
    Some((2 * exact + scale) / (2 * scale))
}

/// Scores the metrics after `CVSS:4.0/` of `vector`.
pub(super) fn score(vector: &str, metrics: &str) -> Result<f64, CvssError> {
    let mut values: [Option<&str>; 32] = [None; 32];
    for field in metrics.split('/') {
        let bad_field = || CvssError::Field {
            vector: vector.to_owned(),
            field: field.to_owned(),
        };
        let (name, value) = field.split_once(':').ok_or_else(bad_field)?;
        let k = METRICS
            .iter()
            .position(|(n, _)| *n == name)
            .ok_or_else(bad_field)?;
        if values[k].is_some() {
            return Err(bad_field());
        }
        if !METRICS[k].1.contains(&value) {
            return Err(bad(vector, METRICS[k].0));
        }
        values[k] = Some(value);
    }
    let mut l = [0u8; 15];
    for (k, slot) in l.iter_mut().enumerate() {
        let value = if k < BASE {
            match values[k + MODIFIED] {
                Some(m) if m != "X" => Some(m),
                _ => values[k],
            }
        } else {
            match values[k] {
                Some(v) if v != "X" => Some(v),
                _ if k == E => Some("A"),
                _ => Some("H"),
            }
        };
        let value = value.ok_or_else(|| bad(vector, METRICS[k].0))?;
        *slot = level(LEVELS[k], value).ok_or_else(|| bad(vector, METRICS[k].0))?;
    }
    let tenths = score_levels(&l).ok_or_else(|| bad(vector, "VC"))?;
    Ok(tenths as f64 / 10.0)
}

fn bad(vector: &str, metric: &'static str) -> CvssError {
    CvssError::Metric {
        vector: vector.to_owned(),
        metric,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_every_macro_vector_but_eq3_2_with_eq6_0() {
        let mut n = 0;
        for index in 0..324 {
            let mut rest = index;
            let mut eq = [0; 6];
            for j in (0..6).rev() {
                eq[j] = rest % EQ_LEVELS[j];
                rest /= EQ_LEVELS[j];
            }
            let exists = macro_score(eq).is_some();
            assert_eq!(exists, !(eq[2] == 2 && eq[5] == 0), "{eq:?}");
            n += usize::from(exists);
        }
        assert_eq!(n, 270);
        assert_eq!(macro_score([0; 6]), Some(100));
        assert_eq!(macro_score([2, 1, 2, 2, 2, 1]), Some(1));
        assert_eq!(macro_score([3, 0, 0, 0, 0, 0]), None);
    }

    /// Every combination of effective values of each equivalence set's metrics lands
    /// in a level with a highest-severity vector at or above it in every metric (the
    /// sets' metrics are disjoint, so checking them one set at a time covers all).
    #[test]
    fn every_effective_combination_has_a_dominating_max_vector() {
        let groups: [&[usize]; 4] = [
            &[AV, PR, UI],
            &[AC, AT],
            &[VC, VI, VA, CR, IR, AR],
            &[SC, SI, SA],
        ];
        for group in groups {
            let mut l = [0u8; 15];
            l[SC] = 1; // SC cannot be S
            loop {
                let mv = macro_vector(&l);
                let [eq1, eq2, eq3, eq4, _, eq6] = mv;
                assert!(macro_score(mv).is_some(), "{mv:?} exists");
                for (maxes, what) in [
                    (EQ1_MAX[eq1], "EQ1"),
                    (EQ2_MAX[eq2], "EQ2"),
                    (EQ3_EQ6_MAX[eq3][eq6], "EQ3/EQ6"),
                    (EQ4_MAX[eq4], "EQ4"),
                ] {
                    assert!(
                        maxes
                            .iter()
                            .any(|m| distance(&l, m).expect("well-formed").1),
                        "{what} of {l:?} ({mv:?}) has no max vector above it"
                    );
                }
                let s = score_levels(&l).expect("scored");
                assert!((0..=100).contains(&s), "{l:?}: {s}");
                // The next combination of the group's levels.
                let mut carry = true;
                for &k in group {
                    l[k] += 1;
                    if usize::from(l[k]) < LEVELS[k].len() {
                        carry = false;
                        break;
                    }
                    l[k] = if k == SC { 1 } else { 0 };
                }
                if carry {
                    break;
                }
            }
        }
    }
}
