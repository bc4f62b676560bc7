//! Rust crates from `Cargo.lock`: its `[[package]]` tables.

use crate::error::EntryError;

/// A locked crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockedCrate {
    pub name: String,
    pub version: String,
    /// `registry+https://github.com/rust-lang/crates.io-index`, `git+...`; `None` for
    /// path (workspace) crates.
    pub source: Option<String>,
}

/// Parses a Cargo.lock: the crates, and the `[[package]]` entries that are unusable.
pub fn parse(text: &str) -> Result<(Vec<LockedCrate>, Vec<EntryError>), EntryError> {
    let doc: toml::Table = toml::from_str(text)
        .map_err(|e| EntryError::whole(format!("not valid TOML: {}", e.message())))?;
    let Some(packages) = doc.get("package") else {
        return Ok((Vec::new(), Vec::new()));
    };
    let packages = packages
        .as_array()
        .ok_or_else(|| EntryError::whole("`package` is not an array of tables"))?;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (k, p) in packages.iter().enumerate() {
        let s = |key: &str| {
            p.get(key)
                .and_then(toml::Value::as_str)
                .filter(|s| !s.is_empty())
        };
        let entry = s("name")
            .map(str::to_owned)
            .unwrap_or_else(|| format!("package #{}", k + 1));
        match (s("name"), s("version")) {
            (Some(name), Some(version)) => out.push(LockedCrate {
                name: name.to_owned(),
                version: version.to_owned(),
                source: s("source").map(str::to_owned),
            }),
            (None, _) => errors.push(EntryError::new(entry, "no `name`")),
            (_, None) => errors.push(EntryError::new(entry, "no `version`")),
        }
    }
    Ok((out, errors))
}

/// Whether a lockfile `source` is crates.io (the git index or the sparse one).
pub fn is_crates_io(source: &str) -> bool {
    matches!(
        source,
        "registry+https://github.com/rust-lang/crates.io-index" | "sparse+https://index.crates.io/"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_packages() {
        let text = r#"
version = 3

[[package]]
name = "app"
version = "0.1.0"
dependencies = ["smallvec"]

[[package]]
name = "smallvec"
version = "1.6.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "abc"

[[package]]
name = "noversion"
"#;
        let (crates, errors) = parse(text).unwrap();
        assert_eq!(crates.len(), 2);
        assert_eq!(crates[0].source, None);
        assert_eq!(crates[1].name, "smallvec");
        assert!(crates[1]
            .source
            .as_deref()
            .unwrap()
            .starts_with("registry+"));
        assert_eq!(errors[0].to_string(), "entry `noversion`: no `version`");
        assert!(parse("[[package]\n").is_err());
        assert!(parse("package = 3").is_err());
    }

    #[test]
    fn parses_this_workspace_lockfile() {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../Cargo.lock"))
                .unwrap();
        let (crates, errors) = parse(&text).unwrap();
        assert!(errors.is_empty(), "{errors:?}");
        assert!(crates
            .iter()
            .any(|c| c.name == "serde" && c.source.is_some()));
        assert!(crates
            .iter()
            .any(|c| c.name == "rampart-host" && c.source.is_none()));
    }
}
