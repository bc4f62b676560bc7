//! Policy variables: `${aws:username}`, `${aws:PrincipalTag/team}`, a default
//! (`${aws:username, 'nobody'}`) and the escapes `${*}`, `${?}`, `${$}`.
//!
//! IAM User Guide, "IAM policy elements: Variables and tags": variables are
//! replaced in `Resource` / `NotResource` and in string and ARN condition
//! values; a variable whose key the request lacks, with no default, makes
//! that value match nothing.

use crate::context::Context;

/// How the substituted text will be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// A wildcard pattern: the escapes stay (the glob reads them as literal
    /// characters) and `*`, `?`, `$` in a substituted value are escaped so
    /// they stay literal too.
    Pattern,
    /// A literal value: escapes become their character, values go in as is.
    Literal,
}

/// The text with every variable replaced, or `None` when a variable's key is
/// absent from the request and has no default (that key is pushed to
/// `missing`).
pub(crate) fn substitute(text: &str, ctx: &Context, mode: Mode, missing: &mut Vec<String>) -> Option<String> {
    if !text.contains("${") {
        return Some(text.to_string());
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut resolved = true;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            // An unterminated `${` is plain text.
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let inner = &after[..end];
        rest = &after[end + 1..];
        if let "*" | "?" | "$" = inner {
            match mode {
                Mode::Pattern => {
                    out.push_str("${");
                    out.push_str(inner);
                    out.push('}');
                }
                Mode::Literal => out.push_str(inner),
            }
            continue;
        }
        let (key, default) = match inner.split_once(',') {
            Some((k, d)) => (k.trim(), Some(unquote(d.trim()))),
            None => (inner.trim(), None),
        };
        let value = ctx.single(key).map(str::to_string).or(default.map(str::to_string));
        match value {
            Some(v) => match mode {
                Mode::Pattern => {
                    for c in v.chars() {
                        match c {
                            '*' | '?' | '$' => {
                                out.push_str("${");
                                out.push(c);
                                out.push('}');
                            }
                            c => out.push(c),
                        }
                    }
                }
                Mode::Literal => out.push_str(&v),
            },
            None => {
                missing.push(key.to_string());
                resolved = false;
            }
        }
    }
    out.push_str(rest);
    resolved.then_some(out)
}

fn unquote(s: &str) -> &str {
    s.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Context {
        let mut c = Context::new();
        c.insert("aws:username", "alice");
        c.insert("aws:PrincipalTag/team", "red");
        c.insert("aws:userid", "AIDA*X");
        c
    }

    #[test]
    fn variables_defaults_and_escapes() {
        let c = ctx();
        let mut m = Vec::new();
        let lit = |t: &str, m: &mut Vec<String>| substitute(t, &c, Mode::Literal, m);
        assert_eq!(lit("home/${aws:username}/*", &mut m).as_deref(), Some("home/alice/*"));
        assert_eq!(lit("${AWS:UserName}", &mut m).as_deref(), Some("alice"));
        assert_eq!(lit("t/${aws:PrincipalTag/team}", &mut m).as_deref(), Some("t/red"));
        assert_eq!(lit("a${*}b${?}c${$}", &mut m).as_deref(), Some("a*b?c$"));
        assert_eq!(lit("${aws:FederatedProvider, 'none'}", &mut m).as_deref(), Some("none"));
        assert!(m.is_empty());
        assert_eq!(lit("x/${aws:SourceVpc}", &mut m), None);
        assert_eq!(m, vec!["aws:SourceVpc".to_string()]);
        let mut m = Vec::new();
        // Pattern mode keeps escapes and escapes wildcards inside values.
        assert_eq!(substitute("u/${aws:userid}/${*}", &c, Mode::Pattern, &mut m).as_deref(), Some("u/AIDA${*}X/${*}"));
        assert_eq!(lit("unterminated ${aws:username", &mut m).as_deref(), Some("unterminated ${aws:username"));
    }
}
