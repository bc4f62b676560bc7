//! Line breaks in identifiers (ARNs, resource ids, check ids, regions).
//!
//! The rule of the report: no horizontal scrolling, and no break inside a word. An
//! identifier gets a `<wbr>` (a break opportunity that adds no character when copied) after
//! each separator `/ : - _ . , @ = |`, so `arn:aws:s3:::my-bucket/logs` may wrap only as
//! `arn:aws:s3:::my-` / `bucket/logs`. The stylesheet adds `overflow-wrap: break-word`,
//! which breaks inside a segment only when that segment alone is wider than its cell —
//! where a break is unavoidable — and, unlike `overflow-wrap: anywhere` or
//! `word-break: break-all`, does not let a table squeeze a column below its longest segment.
//! `report.js` applies the same rule to the rows it builds (`ident`).

use crate::text::html_escape as esc;

/// Separators after which an identifier may wrap.
const SEPARATORS: [char; 10] = ['/', ':', '-', '_', '.', ',', '@', '=', '|', '+'];

/// `s` escaped for HTML text, with a `<wbr>` after each separator run (`:::` gets one).
pub(super) fn ident(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    let mut chars = s.chars().peekable();
    let mut buf = [0u8; 4];
    while let Some(c) = chars.next() {
        out.push_str(&esc(c.encode_utf8(&mut buf)));
        let next_is_sep = chars.peek().is_some_and(|n| SEPARATORS.contains(n));
        if SEPARATORS.contains(&c) && !next_is_sep && chars.peek().is_some() {
            out.push_str("<wbr>");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::ident;

    #[test]
    fn breaks_only_after_separators_and_escapes() {
        assert_eq!(
            ident("arn:aws:s3:::my-bucket"),
            "arn:<wbr>aws:<wbr>s3:::<wbr>my-<wbr>bucket"
        );
        assert_eq!(
            ident("s3_bucket_public_read"),
            "s3_<wbr>bucket_<wbr>public_<wbr>read"
        );
        assert_eq!(
            ident("i-0abc/"),
            "i-<wbr>0abc/",
            "no break opportunity at the end"
        );
        assert_eq!(ident("<x>\"'&"), "&lt;x&gt;&quot;&#39;&amp;");
        assert_eq!(ident("a-<b>"), "a-<wbr>&lt;b&gt;");
        assert_eq!(ident("plainword"), "plainword");
    }
}
