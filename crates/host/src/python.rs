//! Installed Python distributions: the `Name:` and `Version:` headers of
//! `*.dist-info/METADATA` and `*.egg-info/PKG-INFO` (core metadata, RFC 822 style).

use crate::error::EntryError;

/// Parses core metadata: (name, version).
pub fn parse_metadata(text: &str) -> Result<(String, String), EntryError> {
    let mut name = None;
    let mut version = None;
    for line in text.lines() {
        if line.trim().is_empty() {
            break; // the body (long description) starts
        }
        if line.starts_with([' ', '\t']) {
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            let v = v.trim();
            if k.eq_ignore_ascii_case("Name") && name.is_none() && !v.is_empty() {
                name = Some(v.to_owned());
            } else if k.eq_ignore_ascii_case("Version") && version.is_none() && !v.is_empty() {
                version = Some(v.to_owned());
            }
        }
    }
    match (name, version) {
        (Some(n), Some(v)) => Ok((n, v)),
        (None, _) => Err(EntryError::whole("metadata has no `Name:`")),
        (Some(n), None) => Err(EntryError::new(n, "metadata has no `Version:`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_name_and_version_from_headers_only() {
        let text = "Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\nSummary: x\nClassifier: a\n  continued\n\nName: not-this\n";
        assert_eq!(
            parse_metadata(text).unwrap(),
            ("requests".into(), "2.31.0".into())
        );
        assert_eq!(
            parse_metadata("Name: x\n").unwrap_err().to_string(),
            "entry `x`: metadata has no `Version:`"
        );
        assert!(parse_metadata("").is_err());
    }
}
