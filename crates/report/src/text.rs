//! Small string helpers shared by the renderers.

use rampart_model::Timestamp;
use std::borrow::Cow;

/// Cuts `s` to at most `max` characters (not bytes), ending with `…` when cut.
pub fn truncate_chars(s: &str, max: usize) -> Cow<'_, str> {
    if max == 0 {
        return Cow::Borrowed("");
    }
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some(_) => {
            // Keep `max - 1` characters and the ellipsis.
            let end = s.char_indices().nth(max - 1).map_or(s.len(), |(i, _)| i);
            Cow::Owned(format!("{}…", &s[..end]))
        }
    }
}

/// RFC 3339 in UTC with milliseconds, as ASFF wants: `2026-11-27T23:57:00.000Z`.
pub fn rfc3339_millis(t: Timestamp) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// Milliseconds since the Unix epoch, as OCSF's `timestamp_t`.
pub fn epoch_millis(t: Timestamp) -> i64 {
    // i128 nanoseconds / 1e6 fits i64 for any year `time` can represent.
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// Replaces control characters (including ESC) so that text from an account, such as
/// a resource name or an error message, cannot move the cursor or recolor a terminal.
pub fn terminal_safe(s: &str) -> Cow<'_, str> {
    if s.chars().any(char::is_control) {
        Cow::Owned(
            s.chars()
                .map(|c| if c.is_control() { '?' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(s)
    }
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn html_escape(s: &str) -> Cow<'_, str> {
    if !s.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The finding title without the ` (<detail>)` suffix that `Finding::from_result` adds,
/// i.e. the check's title.
pub fn check_title<'a>(title: &'a str, detail: &str) -> &'a str {
    if detail.is_empty() {
        return title;
    }
    title
        .strip_suffix(')')
        .and_then(|t| t.strip_suffix(detail))
        .and_then(|t| t.strip_suffix(" ("))
        .unwrap_or(title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_counts_characters_and_respects_boundaries() {
        assert_eq!(truncate_chars("abc", 3), "abc");
        assert_eq!(truncate_chars("abcd", 3), "ab…");
        assert_eq!(truncate_chars("ééééé", 3), "éé…");
        assert_eq!(truncate_chars("🦀🦀🦀🦀", 2).chars().count(), 2);
        assert_eq!(truncate_chars("x", 0), "");
    }

    #[test]
    fn timestamps() {
        let t = time::macros::datetime!(2026-11-27 23:57:00.042 UTC);
        assert_eq!(rfc3339_millis(t), "2026-11-27T23:57:00.042Z");
        let t = time::macros::datetime!(2026-11-28 00:57:00 +01:00);
        assert_eq!(rfc3339_millis(t), "2026-11-27T23:57:00.000Z");
        assert_eq!(
            epoch_millis(time::macros::datetime!(1970-01-01 00:00:01.5 UTC)),
            1500
        );
    }

    #[test]
    fn escaping() {
        assert_eq!(html_escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
        assert!(matches!(html_escape("plain"), Cow::Borrowed(_)));
        assert_eq!(terminal_safe("a\x1b[31mb\n"), "a?[31mb?");
    }

    #[test]
    fn check_title_strips_the_detail_suffix() {
        assert_eq!(check_title("Open SSH (tcp/22)", "tcp/22"), "Open SSH");
        assert_eq!(check_title("Open SSH", ""), "Open SSH");
        assert_eq!(check_title("Renamed", "tcp/22"), "Renamed");
    }
}
