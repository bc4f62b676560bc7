//! The detector: AWS access key ids and secret access keys in a byte buffer. Pure: no I/O.
//!
//! - An **access key id** is 20 characters of `[A-Z2-7]` starting with `AKIA` (a long-term IAM
//!   user or root key) or `ASIA` (a temporary STS key), not preceded or followed by an ASCII
//!   letter or digit. Other AWS unique-id prefixes (`AIDA` user, `AROA` role, `ANPA` policy, ...)
//!   name entities, not credentials, and are not reported.
//! - A **secret access key** is a run of exactly 40 characters of `[A-Za-z0-9/+]` (unpadded
//!   base64 of 30 bytes, so `=` ends a run rather than belonging to it) that mixes upper and
//!   lower case and has a digit, `/` or `+` (this rules out git object ids and words). A run
//!   is only a secret when it is within [`NEAR_LINES`] lines of an access key id, or when it
//!   is the value of a label such as `aws_secret_access_key`, `SecretAccessKey` or
//!   `secret_key`: the next such run after the label, at most [`NEAR_LINES`] lines below it,
//!   with only blanks, quotes and `:=,>()[]{}` in between.
//! - Each key id gives one [`Match`], paired with the nearest secret (same line first, then
//!   the following lines). A labelled secret that no key id claimed gives a [`Match`] of its own.
//! - AWS's documentation examples (key ids ending in `EXAMPLE`, secrets ending in `EXAMPLEKEY`,
//!   such as [`EXAMPLE_KEY_ID`] and [`EXAMPLE_SECRET_PREFIX`]`…`) are dropped unless
//!   [`DetectOptions::include_examples`] asks for them, and then flagged `example`.

use crate::redact::RedactedSecret;
use memchr::memmem;
use serde::Serialize;

/// Length of an access key id.
pub const KEY_ID_LEN: usize = 20;
/// Length of a secret access key.
pub const SECRET_LEN: usize = 40;
/// How many lines apart a secret may be from its key id or label.
pub const NEAR_LINES: usize = 3;
/// AWS's documented example access key id.
pub const EXAMPLE_KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
/// The first characters of AWS's documented example secret access key (the whole value is in
/// AWS's documentation; it is not repeated here so that this crate's own source has no secret).
pub const EXAMPLE_SECRET_PREFIX: &str = "wJal";
/// Unique-id prefixes of AWS entities that are not credentials (IAM users, roles, groups,
/// policies, instance profiles, certificates, public keys, ...): never reported.
pub const NON_CREDENTIAL_PREFIXES: [&str; 9] = ["ABIA", "ACCA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA", "APKA"];

/// What an access key id is, by its prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyKind {
    /// `AKIA`: an IAM user's (or the root user's) long-term access key.
    LongTerm,
    /// `ASIA`: temporary credentials from STS; they expire on their own.
    Temporary,
}

impl KeyKind {
    /// The kind of an access key id, `None` when its prefix is not a credential's.
    pub fn of(key_id: &str) -> Option<KeyKind> {
        match key_id.get(..4) {
            Some("AKIA") => Some(KeyKind::LongTerm),
            Some("ASIA") => Some(KeyKind::Temporary),
            _ => None,
        }
    }
}

/// What the detector looks for besides real keys.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DetectOptions {
    /// Report AWS's documentation example keys (flagged `example`) instead of dropping them.
    pub include_examples: bool,
}

/// One finding of the detector in a buffer. Holds no full secret.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Match {
    /// The access key id in full (key ids are not secret); `None` for a labelled secret
    /// without a key id near it.
    pub key_id: Option<String>,
    pub key_kind: Option<KeyKind>,
    /// The secret access key found with the key id (or alone), redacted.
    pub secret: Option<RedactedSecret>,
    /// 1-based line of the key id, or of the secret when there is no key id.
    pub line: u32,
    /// 1-based byte column within that line.
    pub column: u32,
    /// An AWS documentation example value.
    pub example: bool,
}

/// Finds access key ids and secret access keys in `data`. Deterministic: matches are ordered
/// by position.
pub fn detect(data: &[u8], opts: &DetectOptions) -> Vec<Match> {
    let key_ids = find_key_ids(data);
    let labels = find_labels(data);
    if key_ids.is_empty() && labels.is_empty() {
        return Vec::new();
    }
    let lines = LineIndex::new(data);

    // Secret candidates, only in the line windows around anchors.
    let mut windows: Vec<(usize, usize)> = Vec::with_capacity(key_ids.len() + labels.len());
    for &k in &key_ids {
        let l = lines.line_of(k);
        windows.push(lines.span(l.saturating_sub(NEAR_LINES), l + NEAR_LINES));
    }
    for &(b, _) in &labels {
        let l = lines.line_of(b);
        windows.push(lines.span(l, l + NEAR_LINES));
    }
    let tokens = find_secrets(data, windows);
    let token_lines: Vec<usize> = tokens.iter().map(|&t| lines.line_of(t)).collect();
    let mut taken = vec![false; tokens.len()];

    let mut out = Vec::new();
    for &k in &key_ids {
        let kl = lines.line_of(k);
        let (lo, hi) = lines.span(kl.saturating_sub(NEAR_LINES), kl + NEAR_LINES);
        let first = tokens.partition_point(|&t| t < lo);
        let last = tokens.partition_point(|&t| t < hi);
        let key_id = &data[k..k + KEY_ID_LEN];
        // A documentation example pairs only with an example, a real key only with a real one.
        let example = key_id.ends_with(b"EXAMPLE");
        let best = (first..last)
            .filter(|&i| !taken[i] && is_example_secret(&data[tokens[i]..tokens[i] + SECRET_LEN]) == example)
            // Nearest line first; on a tie the secret after the key id; then the nearest byte.
            .min_by_key(|&i| (token_lines[i].abs_diff(kl), tokens[i] < k, tokens[i].abs_diff(k)));
        let secret = best.map(|i| {
            taken[i] = true;
            &data[tokens[i]..tokens[i] + SECRET_LEN]
        });
        out.push((k, key_id_match(key_id, secret, &lines, k)));
    }
    for &(b, end) in &labels {
        let bl = lines.line_of(b);
        let first = tokens.partition_point(|&t| t < end);
        let (_, hi) = lines.span(bl, bl + NEAR_LINES);
        // The label's value: the next secret-like run, with nothing but punctuation between.
        if first < tokens.len() && tokens[first] < hi && !taken[first] && is_assignment(&data[end..tokens[first]]) {
            let i = first;
            taken[i] = true;
            let t = tokens[i];
            let secret = &data[t..t + SECRET_LEN];
            let (line, column) = lines.position(t);
            out.push((
                t,
                Match {
                    key_id: None,
                    key_kind: None,
                    secret: Some(RedactedSecret::new(secret)),
                    line,
                    column,
                    example: is_example_secret(secret),
                },
            ));
        }
    }
    out.sort_by_key(|(off, _)| *off);
    out.into_iter().map(|(_, m)| m).filter(|m| opts.include_examples || !m.example).collect()
}

fn key_id_match(key_id: &[u8], secret: Option<&[u8]>, lines: &LineIndex, at: usize) -> Match {
    // Key ids are ASCII by construction (checked in `find_key_ids`).
    let key_id = String::from_utf8_lossy(key_id).into_owned();
    let (line, column) = lines.position(at);
    Match {
        key_kind: KeyKind::of(&key_id),
        example: key_id.ends_with("EXAMPLE"),
        secret: secret.map(RedactedSecret::new),
        key_id: Some(key_id),
        line,
        column,
    }
}

fn is_example_secret(secret: &[u8]) -> bool {
    secret.ends_with(b"EXAMPLEKEY")
}

fn is_key_id_char(b: u8) -> bool {
    b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)
}

fn is_secret_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'/' || b == b'+'
}

/// Offsets of access key ids with the credential prefixes, sorted.
fn find_key_ids(data: &[u8]) -> Vec<usize> {
    let mut found = Vec::new();
    for prefix in [&b"AKIA"[..], &b"ASIA"[..]] {
        for at in memmem::find_iter(data, prefix) {
            let Some(id) = data.get(at..at + KEY_ID_LEN) else { continue };
            let before_ok = at == 0 || !data[at - 1].is_ascii_alphanumeric();
            let after_ok = !data.get(at + KEY_ID_LEN).is_some_and(|b| b.is_ascii_alphanumeric());
            if before_ok && after_ok && id[4..].iter().all(|&b| is_key_id_char(b)) {
                found.push(at);
            }
        }
    }
    found.sort_unstable();
    found
}

/// Whether the bytes between a label and a value are an assignment: the rest of the label's
/// identifier (`secret_key_prod`), then only blanks, quotes and `:=,>()[]{}`.
fn is_assignment(between: &[u8]) -> bool {
    let ident = between.iter().take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-')).count();
    between[ident..]
        .iter()
        .all(|b| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'`' | b':' | b'=' | b',' | b'>' | b'(' | b')' | b'[' | b']' | b'{' | b'}'))
}

/// Offsets of secret-key labels (`secret_access_key`, `SecretAccessKey`, `secret-key`,
/// `SECRET_KEY`, ...; `aws_secret_access_key` contains one) and of their ends, sorted.
fn find_labels(data: &[u8]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    for needle in [&b"ecret"[..], &b"ECRET"[..]] {
        for at in memmem::find_iter(data, needle) {
            if at == 0 || !matches!(data[at - 1], b's' | b'S') {
                continue;
            }
            let mut rest = &data[at + needle.len()..];
            rest = skip_separator(rest);
            if starts_with_ignore_case(rest, b"access") {
                rest = skip_separator(&rest[b"access".len()..]);
            }
            if starts_with_ignore_case(rest, b"key") {
                let end = data.len() - rest.len() + b"key".len();
                found.push((at - 1, end));
            }
        }
    }
    found.sort_unstable();
    found
}

fn skip_separator(s: &[u8]) -> &[u8] {
    match s.first() {
        Some(b'_' | b'-' | b'.' | b' ') => &s[1..],
        _ => s,
    }
}

fn starts_with_ignore_case(s: &[u8], word: &[u8]) -> bool {
    s.len() >= word.len() && s[..word.len()].eq_ignore_ascii_case(word)
}

/// Offsets of secret-looking 40-character runs within the given byte windows, sorted and
/// unique.
fn find_secrets(data: &[u8], mut windows: Vec<(usize, usize)>) -> Vec<usize> {
    windows.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(windows.len());
    for (lo, hi) in windows {
        match merged.last_mut() {
            Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
            _ => merged.push((lo, hi)),
        }
    }
    let mut found = Vec::new();
    for (lo, hi) in merged {
        // Windows are whole lines and runs never span a newline, so runs are not cut.
        let mut i = lo;
        while i < hi {
            if !is_secret_char(data[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < hi && is_secret_char(data[i]) {
                i += 1;
            }
            let run = &data[start..i];
            if run.len() == SECRET_LEN && looks_random(run) {
                found.push(start);
            }
        }
    }
    found
}

fn looks_random(run: &[u8]) -> bool {
    run.iter().any(u8::is_ascii_uppercase)
        && run.iter().any(u8::is_ascii_lowercase)
        && run.iter().any(|&b| b.is_ascii_digit() || b == b'/' || b == b'+')
}

/// Line starts of a buffer, for turning offsets into 1-based lines and columns.
struct LineIndex {
    /// Offsets of the `\n` bytes.
    newlines: Vec<usize>,
    len: usize,
}

impl LineIndex {
    fn new(data: &[u8]) -> Self {
        LineIndex { newlines: memchr::memchr_iter(b'\n', data).collect(), len: data.len() }
    }

    /// 0-based line of an offset.
    fn line_of(&self, at: usize) -> usize {
        self.newlines.partition_point(|&n| n < at)
    }

    fn line_start(&self, line: usize) -> usize {
        match line {
            0 => 0,
            l => self.newlines.get(l - 1).map_or(self.len, |&n| n + 1),
        }
    }

    /// Byte range from the start of line `from` to the end of line `to` (0-based, inclusive).
    fn span(&self, from: usize, to: usize) -> (usize, usize) {
        let end = self.newlines.get(to).copied().unwrap_or(self.len);
        (self.line_start(from).min(end), end)
    }

    /// 1-based line and byte column, saturated to `u32`.
    fn position(&self, at: usize) -> (u32, u32) {
        let line = self.line_of(at);
        let column = at - self.line_start(line);
        (saturate(line + 1), saturate(column + 1))
    }
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Made-up keys in AWS's formats; none is real.
    pub(crate) const KEY: &str = "AKIA2E3FVJ5N7QZXWL4D";
    pub(crate) const SECRET: &str = "q8Vz3kP1mR7tYw2Ls9Xc4Nb6Hf0Jd5Ga+Ue/Io8T";
    const EXAMPLE_SECRET: &str = concat!("wJalrXUtnFEMI/K7MDENG/bPxRfiCY", "EXAMPLEKEY");

    fn check(text: &str, expect: &[(&str, Option<&str>, u32, u32)]) {
        let got: Vec<_> = detect(text.as_bytes(), &DetectOptions::default())
            .into_iter()
            .map(|m| (m.key_id.unwrap_or_default(), m.secret.map(|s| s.to_string()), m.line, m.column))
            .collect();
        let want: Vec<_> = expect
            .iter()
            .map(|(k, s, l, c)| (k.to_string(), s.map(str::to_string), *l, *c))
            .collect();
        assert_eq!(got, want, "in {text:?}");
    }

    #[test]
    fn credentials_file() {
        let text = format!("[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n");
        check(&text, &[(KEY, Some("q8Vz…"), 2, 21)]);
    }

    #[test]
    fn env_file_and_json() {
        check(&format!("export AWS_ACCESS_KEY_ID={KEY}\nexport AWS_SECRET_ACCESS_KEY={SECRET}"), &[(KEY, Some("q8Vz…"), 1, 26)]);
        check(
            &format!("{{\"AccessKey\": {{\"AccessKeyId\": \"{KEY}\", \"SecretAccessKey\": \"{SECRET}\"}}}}"),
            &[(KEY, Some("q8Vz…"), 1, 32)],
        );
    }

    #[test]
    fn key_id_alone_and_temporary() {
        check(&format!("id: {KEY}"), &[(KEY, None, 1, 5)]);
        let temp = "ASIAY34FZKBOKMUTVV7A";
        let m = detect(temp.as_bytes(), &DetectOptions::default());
        assert_eq!(m[0].key_kind, Some(KeyKind::Temporary));
        assert_eq!(m[0].key_id.as_deref(), Some(temp));
    }

    #[test]
    fn other_prefixes_and_bad_shapes_are_not_keys() {
        check("AIDAJQABLZS4A3QDU576Q AROA2E3FVJ5N7QZXWL4D ANPA2E3FVJ5N7QZXWL4D", &[]);
        // Too long, too short, inside a word, lowercase, digits outside base32 (0, 1, 8, 9).
        check("AKIA2E3FVJ5N7QZXWL4DX AKIA2E3FVJ5N7QZXWL4 XAKIA2E3FVJ5N7QZXWL4D akia2e3fvj5n7qzxwl4d AKIA2E3FVJ5N7QZXWL41", &[]);
    }

    #[test]
    fn labelled_secret_without_key_id() {
        check(&format!("secret_key: {SECRET}\n"), &[("", Some("q8Vz…"), 1, 13)]);
        check(&format!("SECRET_KEY=\n  {SECRET}\n"), &[("", Some("q8Vz…"), 2, 3)]);
        // No label, no key id: a 40-character run is not a secret.
        check(&format!("token: {SECRET}\n"), &[]);
        // Too far below the label.
        check(&format!("secretKey:\n\n\n\n{SECRET}\n"), &[]);
        // The label is not assigned this value.
        check(&format!("name = get(\"SECRET_KEY_NAME\")\ntoken = \"{SECRET}\"\n"), &[]);
        // Labels in XML, with a suffix, and in Ruby.
        check(&format!("<SecretAccessKey>{SECRET}</SecretAccessKey>"), &[("", Some("q8Vz…"), 1, 18)]);
        check(&format!("aws_secret_access_key_prod = '{SECRET}'"), &[("", Some("q8Vz…"), 1, 31)]);
        check(&format!(":secret_key => \"{SECRET}\""), &[("", Some("q8Vz…"), 1, 17)]);
    }

    #[test]
    fn git_object_ids_and_words_are_not_secrets() {
        check(&format!("{KEY}\nda39a3ee5e6b4b0d3255bfef95601890afd80709\nsecret_key=ThisIsAVeryLongIdentifierWithoutAnyDigit"), &[(KEY, None, 1, 1)]);
    }

    #[test]
    fn padding_ends_a_secret() {
        check(&format!("{KEY}\nsecret_key={SECRET}==\n"), &[(KEY, Some("q8Vz…"), 1, 1)]);
    }

    #[test]
    fn two_profiles_pair_each_key_with_its_secret() {
        let other_key = "AKIAQ4XN6P2W3YHJ7KEM";
        let other_secret = "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";
        let text = format!(
            "[a]\naws_access_key_id={KEY}\naws_secret_access_key={SECRET}\n[b]\naws_access_key_id={other_key}\naws_secret_access_key={other_secret}\n"
        );
        check(&text, &[(KEY, Some("q8Vz…"), 2, 19), (other_key, Some("Zt5r…"), 5, 19)]);
    }

    #[test]
    fn examples_skipped_unless_asked() {
        let text = format!("aws_access_key_id = {EXAMPLE_KEY_ID}\naws_secret_access_key = {EXAMPLE_SECRET}\nsecret_key = {EXAMPLE_SECRET}\n");
        check(&text, &[]);
        let m = detect(text.as_bytes(), &DetectOptions { include_examples: true });
        assert_eq!(m.len(), 2);
        assert!(m.iter().all(|m| m.example));
        assert_eq!(m[0].key_id.as_deref(), Some(EXAMPLE_KEY_ID));
        assert_eq!(m[0].secret.as_ref().map(|s| s.prefix()), Some(EXAMPLE_SECRET_PREFIX));
        assert_eq!(m[1].key_id, None);
        // A real key next to the example secret is still reported.
        check(&format!("{KEY} {EXAMPLE_SECRET}"), &[(KEY, None, 1, 1)]);
    }

    #[test]
    fn crlf_and_edges() {
        check(&format!("{KEY}\r\n{SECRET}\r\n"), &[(KEY, Some("q8Vz…"), 1, 1)]);
        check(KEY, &[(KEY, None, 1, 1)]);
        check("", &[]);
        check("AKIA", &[]);
    }

    #[test]
    fn output_never_contains_the_full_secret() {
        let text = format!("{KEY}\naws_secret_access_key={SECRET}\nsecret_key={}\n", SECRET.replace('q', "r"));
        let m = detect(text.as_bytes(), &DetectOptions::default());
        assert_eq!(m.len(), 2);
        let rendered = format!("{m:?} {m:#?} {}", serde_json::to_string(&m).unwrap());
        assert!(!rendered.contains(&SECRET[..5]), "{rendered}");
        assert!(!rendered.contains(&SECRET[4..]), "{rendered}");
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_positions_are_in_bounds(data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512)) {
            let lines = data.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
            for m in detect(&data, &DetectOptions { include_examples: true }) {
                proptest::prop_assert!(m.line >= 1 && m.line <= lines);
                proptest::prop_assert!(m.column >= 1);
            }
        }

        #[test]
        fn finds_a_planted_key_anywhere(prefix in "[a-z \n]{0,200}", suffix in "[a-z \n]{0,200}") {
            let text = format!("{prefix} {KEY}\n{SECRET} {suffix}");
            let m = detect(text.as_bytes(), &DetectOptions::default());
            proptest::prop_assert_eq!(m.len(), 1);
            proptest::prop_assert_eq!(m[0].key_id.as_deref(), Some(KEY));
            proptest::prop_assert_eq!(m[0].secret.as_ref().map(|s| s.prefix()), Some(&SECRET[..4]));
        }
    }
}
