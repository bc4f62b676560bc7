//! Installed Alpine packages: `/lib/apk/db/installed`, stanzas of `X:value` lines
//! (`P:` name, `V:` version, `A:` arch, `o:` origin, the source package).

use crate::error::EntryError;

/// One installed apk package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApkPackage {
    pub name: String,
    pub version: String,
    pub arch: Option<String>,
    /// The origin (source) package, when given.
    pub origin: Option<String>,
}

/// Parses the installed database: the packages, and the stanzas that are not
/// usable (entry `line N` or the package name).
pub fn parse_installed(text: &str) -> (Vec<ApkPackage>, Vec<EntryError>) {
    let mut packages = Vec::new();
    let mut errors = Vec::new();
    let mut stanza: Vec<(usize, char, &str)> = Vec::new();
    let flush = |stanza: &mut Vec<(usize, char, &str)>,
                 packages: &mut Vec<ApkPackage>,
                 errors: &mut Vec<EntryError>| {
        if stanza.is_empty() {
            return;
        }
        let first = stanza[0].0;
        let get = |k: char| {
            stanza
                .iter()
                .find(|(_, c, _)| *c == k)
                .map(|(_, _, v)| v.trim())
                .filter(|v| !v.is_empty())
        };
        let entry = get('P')
            .map(str::to_owned)
            .unwrap_or_else(|| format!("line {first}"));
        match (get('P'), get('V')) {
            (Some(name), Some(version)) => packages.push(ApkPackage {
                name: name.to_owned(),
                version: version.to_owned(),
                arch: get('A').map(str::to_owned),
                origin: get('o').map(str::to_owned),
            }),
            (None, _) => errors.push(EntryError::new(entry, "missing `P:`")),
            (_, None) => errors.push(EntryError::new(entry, "missing `V:`")),
        }
        stanza.clear();
    };
    for (k, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            flush(&mut stanza, &mut packages, &mut errors);
            continue;
        }
        let mut chars = line.chars();
        match (chars.next(), chars.next()) {
            (Some(c), Some(':')) => stanza.push((k + 1, c, &line[c.len_utf8() + 1..])),
            _ => errors.push(EntryError::new(
                format!("line {}", k + 1),
                "line is not `X:value`",
            )),
        }
    }
    flush(&mut stanza, &mut packages, &mut errors);
    (packages, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_stanzas() {
        let text = "C:Q1abc=\nP:musl\nV:1.2.4-r2\nA:x86_64\no:musl\nF:lib\nR:ld-musl-x86_64.so.1\n\nP:busybox-binsh\nV:1.36.1-r15\nA:x86_64\no:busybox\n\nP:broken\nA:x86_64\n\nnonsense\n";
        let (pkgs, errors) = parse_installed(text);
        assert_eq!(pkgs.len(), 2);
        assert_eq!(pkgs[1].origin.as_deref(), Some("busybox"));
        assert_eq!(pkgs[0].version, "1.2.4-r2");
        let msgs: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            msgs,
            [
                "entry `broken`: missing `V:`",
                "entry `line 17`: line is not `X:value`"
            ]
        );
    }
}
