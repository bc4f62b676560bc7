//! npm packages: `package-lock.json` (v1 `dependencies` tree; v2/v3 `packages` map)
//! and installed `node_modules/*/package.json`.

use serde_json::Value;

use crate::error::EntryError;

/// The (name, version) pairs of a lockfile and its unusable entries.
pub type Lock = (Vec<(String, String)>, Vec<EntryError>);

/// Parses a package-lock.json: (name, version) of every locked package (the root
/// project and linked workspace folders excluded), and the entries without a usable
/// version.
pub fn parse_lock(text: &str) -> Result<Lock, EntryError> {
    let doc: Value = serde_json::from_str(text)
        .map_err(|e| EntryError::whole(format!("not valid JSON: {e}")))?;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    if let Some(packages) = doc.get("packages").and_then(Value::as_object) {
        for (key, entry) in packages {
            if key.is_empty() || entry.get("link").and_then(Value::as_bool) == Some(true) {
                continue;
            }
            let Some(idx) = key.rfind("node_modules/") else {
                continue; // a workspace folder, not an installed package
            };
            let name = entry
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or(&key[idx + "node_modules/".len()..]);
            match entry.get("version").and_then(Value::as_str) {
                Some(v) if !v.is_empty() => out.push((name.to_owned(), v.to_owned())),
                _ => errors.push(EntryError::new(key.clone(), "no `version`")),
            }
        }
    } else if let Some(deps) = doc.get("dependencies").and_then(Value::as_object) {
        walk_v1(deps, &mut out, &mut errors, 0);
    } else {
        return Err(EntryError::whole("neither `packages` nor `dependencies`"));
    }
    out.sort();
    out.dedup();
    Ok((out, errors))
}

fn walk_v1(
    deps: &serde_json::Map<String, Value>,
    out: &mut Vec<(String, String)>,
    errors: &mut Vec<EntryError>,
    depth: usize,
) {
    if depth > 64 {
        errors.push(EntryError::whole("dependencies nested deeper than 64"));
        return;
    }
    for (name, entry) in deps {
        match entry.get("version").and_then(Value::as_str) {
            // `file:` / `link:` versions are local folders, not registry packages.
            Some(v) if v.starts_with("file:") || v.starts_with("link:") => {}
            Some(v) if !v.is_empty() => out.push((name.clone(), v.to_owned())),
            _ => errors.push(EntryError::new(name.clone(), "no `version`")),
        }
        if let Some(nested) = entry.get("dependencies").and_then(Value::as_object) {
            walk_v1(nested, out, errors, depth + 1);
        }
    }
}

/// Parses an installed package's package.json: (name, version).
pub fn parse_package_json(text: &str) -> Result<(String, String), EntryError> {
    let doc: Value = serde_json::from_str(text)
        .map_err(|e| EntryError::whole(format!("not valid JSON: {e}")))?;
    let name = doc
        .get("name")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| EntryError::whole("no `name`"))?;
    let version = doc
        .get("version")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| EntryError::new(name, "no `version`"))?;
    Ok((name.to_owned(), version.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_v1_tree() {
        let text = r#"{"lockfileVersion":1,"dependencies":{
            "lodash":{"version":"4.17.20"},
            "a":{"version":"1.0.0","dependencies":{"lodash":{"version":"3.10.1"}}},
            "local":{"version":"file:../local"},
            "bad":{"resolved":"x"}}}"#;
        let (pkgs, errors) = parse_lock(text).unwrap();
        assert_eq!(
            pkgs,
            [
                ("a".into(), "1.0.0".into()),
                ("lodash".into(), "3.10.1".into()),
                ("lodash".into(), "4.17.20".into())
            ]
        );
        assert_eq!(errors[0].to_string(), "entry `bad`: no `version`");
    }

    #[test]
    fn lock_v3_packages_map() {
        let text = r#"{"lockfileVersion":3,"packages":{
            "":{"name":"app","version":"1.0.0"},
            "node_modules/@babel/core":{"version":"7.23.0"},
            "node_modules/a/node_modules/minimist":{"version":"0.0.8"},
            "node_modules/alias":{"name":"real-name","version":"2.0.0"},
            "node_modules/ws":{"link":true,"resolved":"packages/ws"},
            "packages/ws":{"version":"0.1.0"}}}"#;
        let (pkgs, errors) = parse_lock(text).unwrap();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            pkgs,
            [
                ("@babel/core".into(), "7.23.0".into()),
                ("minimist".into(), "0.0.8".into()),
                ("real-name".into(), "2.0.0".into())
            ]
        );
    }

    #[test]
    fn malformed() {
        assert!(parse_lock("{")
            .unwrap_err()
            .to_string()
            .starts_with("not valid JSON"));
        assert!(parse_lock("{}").is_err());
        assert_eq!(
            parse_package_json(r#"{"name":"x","version":"1.2.3"}"#).unwrap(),
            ("x".into(), "1.2.3".into())
        );
        assert_eq!(
            parse_package_json(r#"{"name":"x"}"#)
                .unwrap_err()
                .to_string(),
            "entry `x`: no `version`"
        );
    }
}
