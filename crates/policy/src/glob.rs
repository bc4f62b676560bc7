//! IAM wildcard matching: `*` matches any run of characters, `?` exactly one.
//!
//! Besides matching a pattern against a concrete value, the analyses need to
//! compare two patterns: "does this `Deny` resource pattern cover every resource
//! that `Allow` pattern can name?" ([`covers`]) and "could these two patterns
//! name a common resource?" ([`may_overlap`]). Both answer conservatively:
//! `covers` may say `false` for a real inclusion and `may_overlap` may say
//! `true` for disjoint patterns, never the reverse.

/// Whether an IAM action pattern (`s3:Get*`, `*`, `s3:GetObject`) matches an
/// action name. Case-insensitive, as IAM compares actions; `action` is taken
/// literally (a `*` in it is just a character).
#[must_use]
pub fn action_matches(pattern: &str, action: &str) -> bool {
    matches(
        &tokens(pattern, Case::Insensitive),
        &literal(action, Case::Insensitive),
    )
}

/// Whether a resource pattern matches a concrete resource ARN. Case-sensitive,
/// as IAM compares resources (object keys are case-sensitive). The analyses
/// compare patterns with [`covers`]; this is their oracle in tests, and the
/// evaluation engine (`rampart-iam`) matches `Resource` elements and the
/// `...Like` condition operators with it.
#[must_use]
pub fn resource_matches(pattern: &str, resource: &str) -> bool {
    matches(
        &tokens(pattern, Case::Sensitive),
        &literal(resource, Case::Sensitive),
    )
}

/// Whether every resource `inner` can match is also matched by `outer`
/// (case-sensitive). Sound, not complete: `true` is always right.
pub fn covers(outer: &str, inner: &str) -> bool {
    matches(
        &tokens(outer, Case::Sensitive),
        &tokens(inner, Case::Sensitive),
    )
}

/// [`covers`] for action patterns (case-insensitive).
pub fn action_covers(outer: &str, inner: &str) -> bool {
    matches(
        &tokens(outer, Case::Insensitive),
        &tokens(inner, Case::Insensitive),
    )
}

/// Whether some resource could match both patterns (case-sensitive). `false`
/// is always right; `true` may be wrong. Compares the literal heads and tails.
pub(crate) fn may_overlap(a: &str, b: &str) -> bool {
    overlap(&tokens(a, Case::Sensitive), &tokens(b, Case::Sensitive))
}

/// [`may_overlap`] for action patterns (case-insensitive).
pub(crate) fn action_may_overlap(a: &str, b: &str) -> bool {
    overlap(&tokens(a, Case::Insensitive), &tokens(b, Case::Insensitive))
}

fn overlap(a: &[Tok], b: &[Tok]) -> bool {
    if literal_clash(a.iter().zip(b)) || literal_clash(a.iter().rev().zip(b.iter().rev())) {
        return false;
    }
    let fixed_len = |t: &[Tok]| (!t.contains(&Tok::Many)).then_some(t.len());
    let min_len = |t: &[Tok]| t.iter().filter(|x| **x != Tok::Many).count();
    match (fixed_len(a), fixed_len(b)) {
        (Some(x), _) if x < min_len(b) => false,
        (_, Some(y)) if y < min_len(a) => false,
        (Some(x), Some(y)) if x != y => false,
        _ => true,
    }
}

/// Whether two token runs, read in step while both are literals, differ.
fn literal_clash<'a>(pairs: impl Iterator<Item = (&'a Tok, &'a Tok)>) -> bool {
    pairs
        .take_while(|(x, y)| matches!((x, y), (Tok::Lit(_), Tok::Lit(_))))
        .any(|(x, y)| x != y)
}

/// Whether `value` contains an IAM wildcard or a policy variable, i.e. is not
/// a "fixed value" in the sense of S3's definition of public.
pub fn is_fixed(value: &str) -> bool {
    !value.contains(['*', '?']) && !value.contains("${")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Lit(char),
    One,
    Many,
}

#[derive(Debug, Clone, Copy)]
enum Case {
    Sensitive,
    Insensitive,
}

fn push_char(out: &mut Vec<Tok>, c: char, case: Case) {
    match case {
        Case::Sensitive => out.push(Tok::Lit(c)),
        Case::Insensitive => out.extend(c.to_lowercase().map(Tok::Lit)),
    }
}

fn literal(text: &str, case: Case) -> Vec<Tok> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        push_char(&mut out, c, case);
    }
    out
}

/// Pattern tokens. The IAM escapes `${*}`, `${?}` and `${$}` stand for the
/// literal character; other `${...}` policy variables stay literal text, which
/// only ever matches the same variable written the same way.
fn tokens(pattern: &str, case: Case) -> Vec<Tok> {
    let mut out = Vec::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(c) = rest.chars().next() {
        const ESCAPES: [(&str, char); 3] = [("${*}", '*'), ("${?}", '?'), ("${$}", '$')];
        if let Some((esc, lit)) = ESCAPES.iter().find(|(esc, _)| rest.starts_with(esc)) {
            out.push(Tok::Lit(*lit));
            rest = &rest[esc.len()..];
            continue;
        }
        match c {
            '*' => {
                if out.last() != Some(&Tok::Many) {
                    out.push(Tok::Many);
                }
            }
            '?' => out.push(Tok::One),
            c => push_char(&mut out, c, case),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Glob matching where the subject may itself hold wildcards: an outer `*`
/// absorbs any run of subject tokens, an outer `?` one literal or one `?`, a
/// literal only the same literal. Greedy with one backtrack point, so linear
/// in practice and never recursive (safe on fuzzed input).
fn matches(outer: &[Tok], subject: &[Tok]) -> bool {
    let (mut o, mut s) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while s < subject.len() {
        match outer.get(o) {
            Some(Tok::Many) => {
                backtrack = Some((o + 1, s));
                o += 1;
                continue;
            }
            Some(&tok) if step(tok, subject[s]) => {
                o += 1;
                s += 1;
                continue;
            }
            _ => {}
        }
        match backtrack {
            Some((after_star, from)) => {
                o = after_star;
                s = from + 1;
                backtrack = Some((after_star, from + 1));
            }
            None => return false,
        }
    }
    outer[o..].iter().all(|t| *t == Tok::Many)
}

fn step(outer: Tok, subject: Tok) -> bool {
    match (outer, subject) {
        (Tok::Lit(a), Tok::Lit(b)) => a == b,
        (Tok::One, Tok::Lit(_) | Tok::One) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn action_patterns() {
        let cases = [
            ("*", "s3:GetObject", true),
            ("s3:*", "s3:GetObject", true),
            ("s3:*", "s3express:CreateSession", false),
            ("S3:getobject", "s3:GetObject", true),
            ("s3:Get*", "s3:GetObjectVersion", true),
            ("s3:Get*", "s3:PutObject", false),
            ("s3:Get*", "s3:Get", true),
            ("s3:*Object", "s3:GetObject", true),
            ("s3:*Object", "s3:GetObjectAcl", false),
            ("s3:*Object*", "s3:PutObjectAcl", true),
            ("s3:GetObjec?", "s3:GetObject", true),
            ("s3:GetObjec?", "s3:GetObjec", false),
            ("s3:?etObject", "s3:GetObject", true),
            ("s3:GetObject", "s3:GetObjectVersion", false),
            ("s3:GetObject", "s3:GetObject", true),
            ("iam:*", "s3:GetObject", false),
            ("*:GetObject", "s3:GetObject", true),
            ("s3*", "s3:ListBucket", true),
            ("", "s3:GetObject", false),
            ("", "", true),
            ("**", "", true),
            ("s3:List*Bucket*", "s3:ListBucketMultipartUploads", true),
            ("a*b*c", "aXbYbZc", true),
            ("a*b*c", "aXbYbZ", false),
        ];
        for (pattern, action, expected) in cases {
            assert_eq!(
                action_matches(pattern, action),
                expected,
                "{pattern} vs {action}"
            );
        }
        // The action is literal: a `*` in it does not match other characters.
        assert!(!action_matches("s3:GetObject", "s3:*"));
        assert!(action_matches("s3:*", "s3:*"));
    }

    #[test]
    fn resources_are_case_sensitive_and_escapes_are_literal() {
        assert!(resource_matches("arn:aws:s3:::b/*", "arn:aws:s3:::b/Key"));
        assert!(!resource_matches("arn:aws:s3:::B/*", "arn:aws:s3:::b/key"));
        assert!(resource_matches("arn:aws:s3:::b/${*}", "arn:aws:s3:::b/*"));
        assert!(!resource_matches("arn:aws:s3:::b/${*}", "arn:aws:s3:::b/x"));
    }

    #[test]
    fn pattern_inclusion() {
        let cases = [
            ("*", "arn:aws:s3:::b/*", true),
            ("arn:aws:s3:::b/*", "arn:aws:s3:::b/*", true),
            ("arn:aws:s3:::b/*", "arn:aws:s3:::b/public/*", true),
            ("arn:aws:s3:::b/*", "arn:aws:s3:::b", false),
            ("arn:aws:s3:::b*", "arn:aws:s3:::b", true),
            ("arn:aws:s3:::b/private/*", "arn:aws:s3:::b/*", false),
            ("arn:aws:s3:::b/?", "arn:aws:s3:::b/*", false),
            ("arn:aws:s3:::b/*", "arn:aws:s3:::b/?", true),
            ("arn:aws:s3:::b/a?c", "arn:aws:s3:::b/a?c", true),
            (
                "arn:aws:s3:::b/${aws:username}/*",
                "arn:aws:s3:::b/${aws:username}/*",
                true,
            ),
        ];
        for (outer, inner, expected) in cases {
            assert_eq!(covers(outer, inner), expected, "{outer} covers {inner}");
        }
    }

    #[test]
    fn overlap() {
        assert!(may_overlap("arn:aws:s3:::b/*", "arn:aws:s3:::b/x"));
        assert!(may_overlap("*", "anything"));
        assert!(!may_overlap("arn:aws:s3:::a/*", "arn:aws:s3:::b/*"));
        assert!(!may_overlap("*.jpg", "*.png"));
        assert!(!may_overlap("ab", "abc*"));
        assert!(!may_overlap("ab?", "ab"));
        assert!(may_overlap("a*c", "ab*"));
    }

    fn small_pattern() -> impl Strategy<Value = String> {
        proptest::string::string_regex("[ab*?]{0,6}").expect("valid regex")
    }

    /// Every concrete string made of the alphabet, up to length `n`.
    fn all_strings(n: usize) -> Vec<String> {
        let mut out = vec![String::new()];
        let mut layer = vec![String::new()];
        for _ in 0..n {
            layer = layer
                .iter()
                .flat_map(|s| ["a", "b"].map(|c| format!("{s}{c}")))
                .collect();
            out.extend(layer.iter().cloned());
        }
        out
    }

    /// A brute-force oracle for `*` and `?` matching.
    fn oracle(p: &[char], s: &[char]) -> bool {
        match p.split_first() {
            None => s.is_empty(),
            Some(('*', rest)) => (0..=s.len()).any(|i| oracle(rest, &s[i..])),
            Some(('?', rest)) => !s.is_empty() && oracle(rest, &s[1..]),
            Some((c, rest)) => s.first() == Some(c) && oracle(rest, &s[1..]),
        }
    }

    proptest! {
        #[test]
        fn matching_agrees_with_the_oracle(p in small_pattern(), s in "[ab]{0,7}") {
            let pc: Vec<char> = p.chars().collect();
            let sc: Vec<char> = s.chars().collect();
            prop_assert_eq!(resource_matches(&p, &s), oracle(&pc, &sc));
            prop_assert_eq!(action_matches(&p.to_uppercase(), &s), oracle(&pc, &sc));
        }

        #[test]
        fn covers_is_sound(outer in small_pattern(), inner in small_pattern()) {
            if covers(&outer, &inner) {
                for s in all_strings(7) {
                    if resource_matches(&inner, &s) {
                        prop_assert!(resource_matches(&outer, &s), "{} covers {} but not {}", outer, inner, s);
                    }
                }
            }
        }

        #[test]
        fn overlap_is_sound(a in small_pattern(), b in small_pattern()) {
            if !may_overlap(&a, &b) {
                for s in all_strings(7) {
                    prop_assert!(!(resource_matches(&a, &s) && resource_matches(&b, &s)),
                        "{} and {} both match {}", a, b, s);
                }
            }
        }

        #[test]
        fn every_pattern_covers_itself(p in "[ab*?$]{0,8}") {
            prop_assert!(covers(&p, &p));
        }
    }
}
