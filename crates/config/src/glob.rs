/// Matches `text` against `pattern`, where `*` matches any run of characters (also `/` and
/// `:`, so `arn:aws:s3:::logs-*` matches every bucket starting with `logs-`) and `?` exactly
/// one character. Case-sensitive, as ARNs are.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    // Where the last `*` was and which text position it is currently assumed to reach.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            // Let the last `*` swallow one more character and retry.
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn globs() {
        let cases = [
            ("arn:aws:s3:::logs-*", "arn:aws:s3:::logs-2024", true),
            ("arn:aws:s3:::logs-*", "arn:aws:s3:::log-2024", false),
            ("*", "", true),
            ("*", "anything:at/all", true),
            ("", "", true),
            ("", "x", false),
            ("eu-*-1", "eu-west-1", true),
            ("eu-*-1", "eu-west-2", false),
            ("us-east-?", "us-east-1", true),
            ("us-east-?", "us-east-12", false),
            ("a*b*c", "aXXbYYc", true),
            ("a*b*c", "aXXbYY", false),
            (
                "*:role/admin*",
                "arn:aws:iam::111122223333:role/admin-ops",
                true,
            ),
            ("ARN:*", "arn:aws", false),
            ("111122223333", "111122223333", true),
            ("111122223333", "111122223334", false),
            ("**a", "bba", true),
            ("ü?", "üx", true),
        ];
        for (p, t, want) in cases {
            assert_eq!(glob_match(p, t), want, "{p:?} vs {t:?}");
        }
    }
}
