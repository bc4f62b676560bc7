//! `os-release(5)`: shell-style `KEY=value` lines.

use crate::telemetry::OsRelease;

/// Parses os-release text; unknown keys and malformed lines are ignored, as systemd
/// does.
pub fn parse(text: &str) -> OsRelease {
    let mut os = OsRelease::default();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let value = unquote(value.trim());
        let slot = match key.trim() {
            "ID" => &mut os.id,
            "VERSION_ID" => &mut os.version_id,
            "VERSION_CODENAME" => &mut os.version_codename,
            "PRETTY_NAME" => &mut os.pretty_name,
            "ID_LIKE" => {
                os.id_like = value.split_whitespace().map(str::to_owned).collect();
                continue;
            }
            _ => continue,
        };
        if !value.is_empty() {
            *slot = Some(value);
        }
    }
    os
}

/// Removes shell quoting: `"..."` (with `\` escapes) or `'...'`.
fn unquote(v: &str) -> String {
    if let Some(inner) = v.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            } else {
                out.push(c);
            }
        }
        out
    } else if let Some(inner) = v.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
        inner.to_owned()
    } else {
        v.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_quoted_and_bare_values() {
        let os = parse(
            "PRETTY_NAME=\"Amazon Linux 2023.4.20240416\"\nID=\"amzn\"\nID_LIKE=\"fedora\"\nVERSION_ID='2023'\n# c\nbogus\nVERSION_CODENAME=\n",
        );
        assert_eq!(os.id.as_deref(), Some("amzn"));
        assert_eq!(os.id_like, ["fedora"]);
        assert_eq!(os.version_id.as_deref(), Some("2023"));
        assert_eq!(os.version_codename, None);
        assert_eq!(
            os.pretty_name.as_deref(),
            Some("Amazon Linux 2023.4.20240416")
        );
    }

    #[test]
    fn parses_this_machine() {
        let text = std::fs::read_to_string("/etc/os-release")
            .or_else(|_| std::fs::read_to_string("/usr/lib/os-release"))
            .expect("this machine has an os-release");
        let os = parse(&text);
        assert!(os.id.is_some(), "{os:?}");
        assert!(os.pretty_name.is_some(), "{os:?}");
    }
}
