//! Installed Debian packages from dpkg's database: `var/lib/dpkg/status` and, for
//! distroless images, one file per package in `var/lib/dpkg/status.d/`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// An installed binary package.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DpkgPackage {
    /// The binary package name, without an architecture qualifier.
    pub name: String,
    /// The architecture (`amd64`, `all`, ...), when given.
    pub architecture: Option<String>,
    /// The installed version.
    pub version: String,
    /// The source package name (`Source:`, else the binary's name).
    pub source: String,
    /// The source version (`Source: name (version)`, else the binary's version).
    pub source_version: String,
}

/// A stanza that is not a usable package entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("entry at line {line}{}: {problem}", package.as_ref().map(|p| format!(" (`{p}`)")).unwrap_or_default())]
pub struct EntryError {
    /// The first line of the stanza (1-based).
    pub line: usize,
    /// The stanza's `Package:`, when it has one.
    pub package: Option<String>,
    /// What is wrong.
    pub problem: String,
}

/// A file of the database that could not be read or has bad entries.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file exists but could not be read.
    #[error("cannot read `{path}`: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// An entry of the file is malformed; the file's other entries were read.
    #[error("`{path}`: {source}")]
    Entry {
        /// The file.
        path: PathBuf,
        /// The entry and problem.
        source: EntryError,
    },
}

/// Whether entries without a `Status:` field count as installed: they do in
/// `status.d/` (distroless writes none), not in `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingStatus {
    /// Skip entries without `Status:` (dpkg's own `status` file).
    NotInstalled,
    /// Count them as installed (`status.d/` files).
    Installed,
}

/// Parses a dpkg status file: the installed packages, and the entries that could not
/// be read. An entry is installed when its `Status:` is `<want> ok installed` (`install`
/// or `hold`, or `deinstall` before removal: still on disk), as `dpkg-query` reports.
pub fn parse_status(text: &str, missing: MissingStatus) -> (Vec<DpkgPackage>, Vec<EntryError>) {
    let mut packages = Vec::new();
    let mut errors = Vec::new();
    for (line, fields) in stanzas(text, &mut errors) {
        let get = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.trim())
        };
        let package = get("Package").map(str::to_owned);
        let fail = |problem: &str| EntryError {
            line,
            package: package.clone(),
            problem: problem.to_owned(),
        };
        let installed = match get("Status") {
            None => missing == MissingStatus::Installed,
            Some(status) => {
                let words: Vec<&str> = status.split_whitespace().collect();
                if words.len() != 3 {
                    errors.push(fail(&format!("malformed `Status: {status}`")));
                    continue;
                }
                words[1] == "ok" && words[2] == "installed"
            }
        };
        if !installed {
            continue;
        }
        let Some(name) = package.clone().filter(|p| !p.is_empty()) else {
            errors.push(fail("missing `Package`"));
            continue;
        };
        let Some(version) = get("Version").filter(|v| !v.is_empty()).map(str::to_owned) else {
            errors.push(fail("missing `Version`"));
            continue;
        };
        let (source, source_version) = match get("Source") {
            None | Some("") => (name.clone(), version.clone()),
            Some(src) => match src.split_once('(') {
                None => (src.to_owned(), version.clone()),
                Some((n, rest)) => match rest.trim_end().strip_suffix(')') {
                    Some(v) if !n.trim().is_empty() && !v.trim().is_empty() => {
                        (n.trim().to_owned(), v.trim().to_owned())
                    }
                    _ => {
                        errors.push(fail(&format!("malformed `Source: {src}`")));
                        continue;
                    }
                },
            },
        };
        let architecture = get("Architecture")
            .filter(|a| !a.is_empty())
            .map(str::to_owned);
        packages.push(DpkgPackage {
            name,
            architecture,
            version,
            source,
            source_version,
        });
    }
    (packages, errors)
}

/// Splits deb822 text into stanzas of (field, value) with their first line.
fn stanzas<'a>(
    text: &'a str,
    errors: &mut Vec<EntryError>,
) -> Vec<(usize, Vec<(&'a str, &'a str)>)> {
    let mut out = Vec::new();
    let mut current: Vec<(&str, &str)> = Vec::new();
    let mut start = 0;
    let mut bad_lines = 0;
    for (k, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push((start, std::mem::take(&mut current)));
            }
            continue;
        }
        if current.is_empty() && bad_lines == 0 {
            start = k + 1;
        }
        if line.starts_with([' ', '\t']) {
            // A continuation line (Description, Conffiles): no field we read spans lines.
            continue;
        }
        match line.split_once(':') {
            Some((field, value)) if !field.is_empty() && !field.contains(' ') => {
                current.push((field, value))
            }
            _ => {
                bad_lines += 1;
                errors.push(EntryError {
                    line: k + 1,
                    package: current
                        .iter()
                        .find(|(f, _)| *f == "Package")
                        .map(|(_, v)| v.trim().to_owned()),
                    problem: "line is neither `Field: value` nor a continuation".to_owned(),
                });
            }
        }
    }
    if !current.is_empty() {
        out.push((start, current));
    }
    out
}

/// Reads `var/lib/dpkg/status` and `var/lib/dpkg/status.d/*` under `root`, sorted by
/// (name, architecture). Missing files are not errors (not a dpkg system); unreadable
/// ones and bad entries are.
pub fn read_root(root: &Path) -> (Vec<DpkgPackage>, Vec<ReadError>) {
    read_in(&crate::Root::new(root))
}

/// [`read_root`] over any [`Root`](crate::Root) (a directory or an image); the paths
/// in errors are inside the root.
pub fn read_in(root: &crate::Root) -> (Vec<DpkgPackage>, Vec<ReadError>) {
    let mut packages = Vec::new();
    let mut errors = Vec::new();
    for f in read_files(root) {
        match f.read {
            Ok(p) => packages.extend(p),
            Err(source) => errors.push(ReadError::Io {
                path: f.path.clone(),
                source,
            }),
        }
        errors.extend(f.entry_errors.into_iter().map(|source| ReadError::Entry {
            path: f.path.clone(),
            source,
        }));
    }
    packages.sort();
    packages.dedup();
    (packages, errors)
}

/// The status file, the `status.d` directory when it cannot be listed, or one file of it.
#[derive(Debug)]
pub struct DbFile {
    /// The path inside the root.
    pub path: PathBuf,
    /// Whether it is in `status.d` (the rest of that directory was read on its own).
    pub in_status_d: bool,
    /// Its installed packages, or why it could not be read.
    pub read: Result<Vec<DpkgPackage>, std::io::Error>,
    /// Entries of a file that was read which could not be.
    pub entry_errors: Vec<EntryError>,
}

/// Each file of dpkg's database under `root`, read on its own: one that cannot be read
/// (a symbolic-link loop, a directory where a file should be) fails alone and names itself.
/// Files that do not exist are not listed (not a dpkg system).
pub fn read_files(root: &crate::Root) -> Vec<DbFile> {
    let mut out = Vec::new();
    let base = Path::new("/var/lib/dpkg");
    let read = |path: PathBuf, missing: MissingStatus| -> Option<DbFile> {
        let in_status_d = missing == MissingStatus::Installed;
        match root.read(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => Some(DbFile {
                path,
                in_status_d,
                read: Err(e),
                entry_errors: Vec::new(),
            }),
            Ok(bytes) => {
                let (p, entry_errors) = parse_status(&String::from_utf8_lossy(&bytes), missing);
                Some(DbFile {
                    path,
                    in_status_d,
                    read: Ok(p),
                    entry_errors,
                })
            }
        }
    };
    out.extend(read(base.join("status"), MissingStatus::NotInstalled));
    let dir = base.join("status.d");
    match root.read_dir(&dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => out.push(DbFile {
            path: dir,
            in_status_d: true,
            read: Err(e),
            entry_errors: Vec::new(),
        }),
        Ok(entries) => {
            for p in entries {
                if p.extension().is_some_and(|x| x == "md5sums") {
                    continue;
                }
                match root.metadata(&p) {
                    Ok(m) if m.kind != crate::root::EntryKind::File => {}
                    // A link that loops or leads nowhere: named, not skipped.
                    Err(e) => out.push(DbFile {
                        path: p,
                        in_status_d: true,
                        read: Err(e),
                        entry_errors: Vec::new(),
                    }),
                    Ok(_) => out.extend(read(p, MissingStatus::Installed)),
                }
            }
        }
    }
    out
}

/// Which installed package owns each of `paths` (paths inside the root), from the file
/// lists dpkg keeps per package (`/var/lib/dpkg/info/<pkg>[:<arch>].list`, one path per
/// line). Paths no list names are absent from the answer. A root without the directory
/// (no dpkg) owns nothing; an unreadable directory is an error.
pub fn owners_in(
    root: &crate::Root,
    paths: &HashSet<&str>,
) -> Result<HashMap<String, String>, String> {
    let info = Path::new("/var/lib/dpkg/info");
    let entries = match root.entries(info) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(HashMap::new()),
        Err(e) => return Err(format!("cannot list `{}`: {e}", info.display())),
    };
    let mut owners = HashMap::new();
    for (path, _) in entries {
        let Some(file) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some(stem) = file.strip_suffix(".list") else {
            continue;
        };
        let package = stem.split_once(':').map_or(stem, |(name, _arch)| name);
        // An unreadable list only loses ownership: its packages stay matched as PyPI.
        let Ok(bytes) = root.read(&path) else {
            continue;
        };
        for line in String::from_utf8_lossy(&bytes).lines() {
            let line = line.trim_end_matches('/');
            if paths.contains(line) {
                owners.insert(line.to_owned(), package.to_owned());
            }
        }
    }
    Ok(owners)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATUS: &str = "\
Package: libssl3
Status: install ok installed
Priority: optional
Architecture: amd64
Multi-Arch: same
Source: openssl
Version: 3.0.11-1~deb12u2
Description: Secure Sockets Layer toolkit
 This package is part of the OpenSSL project.
 .
 It provides the shared libraries.

Package: libgcc-s1
Status: hold ok installed
Architecture: amd64
Source: gcc-12 (12.2.0-14)
Version: 12.2.0-14+b1

Package: removed
Status: deinstall ok config-files
Version: 1.0-1

Package: broken-status
Status: install ok
Version: 1.0

Package: no-version
Status: install ok installed

Package: bad-source
Status: install ok installed
Version: 1
Source: foo (1.0
";

    #[test]
    fn parses_installed_entries_with_sources() {
        let (pkgs, errors) = parse_status(STATUS, MissingStatus::NotInstalled);
        assert_eq!(
            pkgs,
            [
                DpkgPackage {
                    name: "libssl3".into(),
                    architecture: Some("amd64".into()),
                    version: "3.0.11-1~deb12u2".into(),
                    source: "openssl".into(),
                    source_version: "3.0.11-1~deb12u2".into(),
                },
                DpkgPackage {
                    name: "libgcc-s1".into(),
                    architecture: Some("amd64".into()),
                    version: "12.2.0-14+b1".into(),
                    source: "gcc-12".into(),
                    source_version: "12.2.0-14".into(),
                },
            ]
        );
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "entry at line 23 (`broken-status`): malformed `Status: install ok`",
                "entry at line 27 (`no-version`): missing `Version`",
                "entry at line 30 (`bad-source`): malformed `Source: foo (1.0`",
            ]
        );
    }

    #[test]
    fn status_d_entries_without_status_are_installed() {
        let text = "Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\n";
        assert_eq!(parse_status(text, MissingStatus::Installed).0.len(), 1);
        assert_eq!(parse_status(text, MissingStatus::NotInstalled).0.len(), 0);
    }

    #[test]
    fn garbage_lines_are_reported_and_skipped() {
        let text =
            "Package: a\nthis is not a field\nStatus: install ok installed\nVersion: 1\n\n\n";
        let (pkgs, errors) = parse_status(text, MissingStatus::NotInstalled);
        assert_eq!(pkgs.len(), 1);
        assert_eq!(
            errors[0].to_string(),
            "entry at line 2 (`a`): line is neither `Field: value` nor a continuation"
        );
    }

    #[test]
    fn reads_a_distroless_root() {
        let root = std::env::temp_dir().join(format!("rampart-host-dpkg-{}", std::process::id()));
        let dir = root.join("var/lib/dpkg/status.d");
        std::fs::create_dir_all(&dir).expect("temp dir");
        std::fs::write(
            dir.join("base"),
            "Package: base-files\nVersion: 12.4\nArchitecture: amd64\n",
        )
        .expect("write");
        std::fs::write(
            dir.join("base.md5sums"),
            "d41d8cd98f00b204e9800998ecf8427e  etc/x\n",
        )
        .expect("write");
        std::fs::write(
            dir.join("libc6"),
            "Package: libc6\nVersion: 2.36-9\nSource: glibc\n",
        )
        .expect("write");
        let (pkgs, errors) = read_root(&root);
        std::fs::remove_dir_all(&root).expect("cleanup");
        assert!(errors.is_empty(), "{errors:?}");
        let names: Vec<(&str, &str)> = pkgs
            .iter()
            .map(|p| (p.name.as_str(), p.source.as_str()))
            .collect();
        assert_eq!(names, [("base-files", "base-files"), ("libc6", "glibc")]);
    }
}
