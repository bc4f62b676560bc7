//! Installed packages of every kind under a root: OS package databases (dpkg, rpm,
//! apk) and language packages found by a bounded walk (Python metadata, npm lockfiles
//! and `node_modules`, `Cargo.lock`, Go binaries).

use std::path::{Path, PathBuf};

use crate::root::{EntryKind, Root};
use crate::telemetry::{Package, PackageKind, SourcePackage};
use crate::{apk, cargo_lock, dpkg, gobin, npm, python, rpm};

/// Top-level directories the language walk never enters (pseudo filesystems and
/// container stores, whose images are scanned as images).
pub const WALK_EXCLUDE: &[&str] = &[
    "/dev",
    "/proc",
    "/run",
    "/sys",
    "/var/lib/containerd",
    "/var/lib/docker",
    "/var/lib/containers",
];

/// Where rpm keeps its SQLite database (the second is Fedora ≥ 36's real location).
const RPMDB: &[&str] = &[
    "/var/lib/rpm/rpmdb.sqlite",
    "/usr/lib/sysimage/rpm/rpmdb.sqlite",
];

/// Executables smaller than this are not read as Go binaries (no Go binary is).
pub const MIN_BINARY: u64 = 512 * 1024;

/// What the language walk covers.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Directories (inside the root) to walk; empty: no language packages.
    pub paths: Vec<PathBuf>,
    /// How many directory entries to examine at most.
    pub max_entries: usize,
    /// Files larger than this are not read as Go binaries.
    pub max_binary_size: u64,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            paths: vec![PathBuf::from("/")],
            max_entries: 1_000_000,
            max_binary_size: 512 * 1024 * 1024,
        }
    }
}

/// The packages: `Err` (a gap) when an OS package database exists but cannot be read;
/// `problems` gets what was read only in part.
pub fn collect(
    root: &Root,
    walk: &WalkOptions,
    problems: &mut Vec<String>,
) -> Result<Vec<Package>, String> {
    let mut out = Vec::new();
    os_packages(root, &mut out, problems)?;
    language_packages(root, walk, &mut out, problems);
    mark_dpkg_managed(root, &mut out, problems);
    out.sort();
    out.dedup();
    Ok(out)
}

fn os_packages(
    root: &Root,
    out: &mut Vec<Package>,
    problems: &mut Vec<String>,
) -> Result<(), String> {
    // dpkg
    let (debs, errors) = dpkg::read_in(root);
    for e in errors {
        match e {
            dpkg::ReadError::Io { .. } => return Err(format!("dpkg database: {e}")),
            dpkg::ReadError::Entry { .. } => problems.push(e.to_string()),
        }
    }
    out.extend(debs.into_iter().map(|d| Package {
        kind: PackageKind::Deb,
        name: d.name,
        version: d.version,
        arch: d.architecture,
        source: Some(SourcePackage {
            name: d.source,
            version: d.source_version,
        }),
        location: "/var/lib/dpkg/status".to_owned(),
        managed_by: None,
    }));

    // rpm
    let rpmdb = RPMDB.iter().find(|p| root.metadata(Path::new(p)).is_ok());
    if let Some(db) = rpmdb {
        let read = match root.disk_path(Path::new(db)) {
            Some(real) => {
                let real = real.map_err(|e| format!("cannot resolve `{db}`: {e}"))?;
                rpm::read_sqlite(&real)
            }
            None => {
                let bytes = root
                    .read(Path::new(db))
                    .map_err(|e| format!("cannot read rpm database `{db}`: {e}"))?;
                rpm::read_sqlite_bytes(&bytes)
            }
        };
        let (headers, errors) =
            read.map_err(|e| format!("cannot read rpm database `{db}`: {e}"))?;
        problems.extend(errors.iter().map(|e| format!("`{db}`: {e}")));
        out.extend(
            headers
                .into_iter()
                .filter(|h| h.name != "gpg-pubkey")
                .map(|h| Package {
                    kind: PackageKind::Rpm,
                    version: h.evr(),
                    source: h
                        .source_rpm
                        .as_deref()
                        .and_then(rpm::split_source_rpm)
                        .map(|(name, version)| SourcePackage { name, version }),
                    name: h.name,
                    arch: h.arch,
                    location: (*db).to_owned(),
                    managed_by: None,
                }),
        );
    } else if root.metadata(Path::new("/var/lib/rpm/Packages")).is_ok() {
        return Err("`/var/lib/rpm/Packages` is a BerkeleyDB rpm database (RHEL ≤ 8, Amazon Linux 2): not supported yet".to_owned());
    }

    // apk
    let installed = Path::new("/lib/apk/db/installed");
    match root.read_text(installed) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("cannot read `{}`: {e}", installed.display())),
        Ok(text) => {
            let (pkgs, errors) = apk::parse_installed(&text);
            problems.extend(
                errors
                    .iter()
                    .map(|e| format!("`{}`: {e}", installed.display())),
            );
            out.extend(pkgs.into_iter().map(|p| Package {
                kind: PackageKind::Apk,
                source: p.origin.map(|o| SourcePackage {
                    name: o,
                    version: p.version.clone(),
                }),
                name: p.name,
                version: p.version,
                arch: p.arch,
                location: installed.display().to_string(),
                managed_by: None,
            }));
        }
    }
    Ok(())
}

/// Python packages that dpkg installed (their metadata under `/usr/lib/python3*/` is in
/// a package's file list, `/var/lib/dpkg/info/<pkg>.list`) are marked with their Debian
/// package: Debian backports fixes without changing the upstream version, so matching them
/// against PyPI advisories would report fixed vulnerabilities. pip-installed packages
/// (`/usr/local/lib/...`, virtualenvs) are not in any list and stay matched as PyPI.
fn mark_dpkg_managed(root: &Root, out: &mut [Package], problems: &mut Vec<String>) {
    let candidates: std::collections::HashSet<&str> = out
        .iter()
        .filter(|p| p.kind == PackageKind::Python && p.location.starts_with("/usr/lib/python3"))
        .map(|p| p.location.as_str())
        .collect();
    if candidates.is_empty() {
        return;
    }
    let owners = match dpkg::owners_in(root, &candidates) {
        Ok(o) => o,
        Err(e) => {
            problems.push(format!("dpkg file lists: {e}; Python packages under /usr/lib/python3 are matched as PyPI packages"));
            return;
        }
    };
    for p in out.iter_mut().filter(|p| p.kind == PackageKind::Python) {
        if let Some(owner) = owners.get(p.location.as_str()) {
            p.managed_by = Some(format!("deb:{owner}"));
        }
    }
}

fn language_packages(
    root: &Root,
    walk: &WalkOptions,
    out: &mut Vec<Package>,
    problems: &mut Vec<String>,
) {
    let mut examined = 0usize;
    let mut stack: Vec<PathBuf> = walk.paths.iter().rev().cloned().collect();
    while let Some(dir) = stack.pop() {
        if WALK_EXCLUDE.iter().any(|x| Path::new(x) == dir) {
            continue;
        }
        let Ok(children) = root.entries(&dir) else {
            continue; // unreadable directories are simply not searched
        };
        for (path, stat) in children {
            examined += 1;
            if examined > walk.max_entries {
                problems.push(format!(
                    "language package search stopped after {} entries: results may be incomplete",
                    walk.max_entries
                ));
                return;
            }
            let Ok(stat) = stat else { continue };
            let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
                continue;
            };
            let location = path.display().to_string();
            if stat.kind == EntryKind::Dir {
                if name.ends_with(".dist-info") || name.ends_with(".egg-info") {
                    let meta = if name.ends_with(".dist-info") {
                        "METADATA"
                    } else {
                        "PKG-INFO"
                    };
                    python_package(root, &path.join(meta), &location, out, problems);
                } else {
                    stack.push(path);
                }
                continue;
            }
            if stat.kind != EntryKind::File {
                continue;
            }
            match &*name {
                n if n.ends_with(".egg-info") => {
                    python_package(root, &path, &location, out, problems)
                }
                "package-lock.json" if !location.contains("/node_modules/") => read_then(
                    root,
                    &path,
                    &location,
                    problems,
                    |text| {
                        let (pkgs, errors) = npm::parse_lock(text)?;
                        Ok((
                            pkgs.into_iter()
                                .map(|(n, v)| lang(PackageKind::Npm, n, v, &location))
                                .collect(),
                            errors,
                        ))
                    },
                    out,
                ),
                "package.json" if is_installed_npm(&path) => read_then(
                    root,
                    &path,
                    &location,
                    problems,
                    |text| {
                        let (n, v) = npm::parse_package_json(text)?;
                        Ok((vec![lang(PackageKind::Npm, n, v, &location)], Vec::new()))
                    },
                    out,
                ),
                "Cargo.lock" if !location.contains("/.cargo/registry/") => read_then(
                    root,
                    &path,
                    &location,
                    problems,
                    |text| {
                        let (crates, errors) = cargo_lock::parse(text)?;
                        Ok((
                            crates
                                .into_iter()
                                // Only crates.io releases: path (workspace) and git crates
                                // are not what a crates.io advisory names, even under the
                                // same name (cargo-audit agrees).
                                .filter(|c| c.source.as_deref().is_some_and(cargo_lock::is_crates_io))
                                .map(|c| lang(PackageKind::Cargo, c.name, c.version, &location))
                                .collect(),
                            errors,
                        ))
                    },
                    out,
                ),
                _ => {
                    if stat.mode & 0o111 != 0
                        && stat.len >= MIN_BINARY
                        && stat.len <= walk.max_binary_size
                    {
                        go_binary(root, &path, &location, out, problems);
                    }
                }
            }
        }
    }
}

fn lang(kind: PackageKind, name: String, version: String, location: &str) -> Package {
    Package {
        kind,
        name,
        version,
        arch: None,
        source: None,
        location: location.to_owned(),
        managed_by: None,
    }
}

/// `.../node_modules/<name>/package.json` or `.../node_modules/@scope/<name>/package.json`.
pub(crate) fn is_installed_npm(path: &Path) -> bool {
    let parts: Vec<_> = path.iter().map(|c| c.to_string_lossy()).collect();
    let n = parts.len();
    (n >= 3 && parts[n - 3] == "node_modules")
        || (n >= 4 && parts[n - 3].starts_with('@') && parts[n - 4] == "node_modules")
}

type Parsed = Result<(Vec<Package>, Vec<crate::error::EntryError>), crate::error::EntryError>;

fn read_then(
    root: &Root,
    path: &Path,
    location: &str,
    problems: &mut Vec<String>,
    parse: impl FnOnce(&str) -> Parsed,
    out: &mut Vec<Package>,
) {
    let text = match root.read(path) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) => {
            problems.push(format!("cannot read `{location}`: {e}"));
            return;
        }
    };
    match parse(&text) {
        Ok((pkgs, errors)) => {
            out.extend(pkgs);
            problems.extend(errors.iter().map(|e| format!("`{location}`: {e}")));
        }
        Err(e) => problems.push(format!("`{location}`: {e}")),
    }
}

fn python_package(
    root: &Root,
    path: &Path,
    location: &str,
    out: &mut Vec<Package>,
    problems: &mut Vec<String>,
) {
    read_then(
        root,
        path,
        location,
        problems,
        |text| {
            let (n, v) = python::parse_metadata(text)?;
            Ok((vec![lang(PackageKind::Python, n, v, location)], Vec::new()))
        },
        out,
    )
}

fn go_binary(
    root: &Root,
    path: &Path,
    location: &str,
    out: &mut Vec<Package>,
    problems: &mut Vec<String>,
) {
    // In an image only ELF files with build info kept their (partial) contents.
    let Ok(file) = root.open(path) else {
        return;
    };
    let mut read_at = |off: u64, len: usize| file.read_at(off, len).ok();
    let Some((off, size)) = gobin::elf_section(&mut read_at, ".go.buildinfo") else {
        return;
    };
    let len = size.min(gobin::MAX_LEN as u64) as usize;
    let Some(section) = read_at(off, len) else {
        problems.push(format!(
            "`{location}`: cannot read its `.go.buildinfo` section"
        ));
        return;
    };
    match gobin::parse(&section) {
        Ok(None) => {}
        Ok(Some(info)) => {
            let go = info.go_version.trim_start_matches("go");
            // The standard library, as OSV's Go ecosystem names it.
            out.push(lang(
                PackageKind::Go,
                "stdlib".to_owned(),
                go.to_owned(),
                location,
            ));
            if let Some(m) = info.main_module.filter(|m| m.version != "(devel)") {
                out.push(lang(PackageKind::Go, m.path, m.version, location));
            }
            out.extend(
                info.deps
                    .into_iter()
                    .map(|d| lang(PackageKind::Go, d.path, d.version, location)),
            );
        }
        Err(e) => problems.push(format!("`{location}`: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_kind_in_a_mounted_root() {
        let dir = crate::testutil::TempDir::new("pkgs");
        dir.write("var/lib/dpkg/status", "Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\nVersion: 3.0.11-1\n");
        dir.write(
            "lib/apk/db/installed",
            "P:musl\nV:1.2.4-r2\nA:x86_64\no:musl\n",
        );
        dir.write(
            "usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA",
            "Name: requests\nVersion: 2.31.0\n",
        );
        dir.write(
            "usr/lib/python3/dist-packages/broken.dist-info/METADATA",
            "Summary: no name\n",
        );
        dir.write(
            "usr/lib/python3/dist-packages/six.egg-info",
            "Name: six\nVersion: 1.16.0\n",
        );
        dir.write(
            "srv/app/package-lock.json",
            r#"{"lockfileVersion":3,"packages":{"node_modules/lodash":{"version":"4.17.20"}}}"#,
        );
        dir.write(
            "srv/app/node_modules/@types/node/package.json",
            r#"{"name":"@types/node","version":"20.1.0"}"#,
        );
        dir.write(
            "srv/app/node_modules/x/lib/package.json",
            r#"{"name":"not-a-package"}"#,
        );
        // The workspace's own crate (no source) and a git dependency are not crates.io releases.
        dir.write(
            "srv/rust/Cargo.lock",
            "[[package]]\nname = \"smallvec\"\nversion = \"1.6.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n\
             [[package]]\nname = \"hyper\"\nversion = \"0.14.0\"\n\n\
             [[package]]\nname = \"tokio\"\nversion = \"0.1.0\"\nsource = \"git+https://example.com/tokio#abc\"\n",
        );
        // A Go "binary": an ELF with a .go.buildinfo section is built by hand below.
        let elf = tiny_elf_with_section(
            ".go.buildinfo",
            &gobin::build_blob(
                "go1.21.3",
                "path\tx\nmod\tx\t(devel)\t\ndep\tgolang.org/x/text\tv0.3.7\th1:x\n",
            ),
        );
        let bin = dir.write("usr/local/bin/tool", &elf);
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();

        let root = Root::new(dir.path());
        let mut problems = Vec::new();
        let pkgs = collect(&root, &WalkOptions::default(), &mut problems).unwrap();
        let got: Vec<String> = pkgs
            .iter()
            .map(|p| format!("{:?} {} {} {}", p.kind, p.name, p.version, p.location))
            .collect();
        assert_eq!(
            got,
            [
                "Deb libssl3 3.0.11-1 /var/lib/dpkg/status",
                "Apk musl 1.2.4-r2 /lib/apk/db/installed",
                "Python requests 2.31.0 /usr/lib/python3/dist-packages/requests-2.31.0.dist-info",
                "Python six 1.16.0 /usr/lib/python3/dist-packages/six.egg-info",
                "Npm @types/node 20.1.0 /srv/app/node_modules/@types/node/package.json",
                "Npm lodash 4.17.20 /srv/app/package-lock.json",
                "Cargo smallvec 1.6.0 /srv/rust/Cargo.lock",
                "Go golang.org/x/text v0.3.7 /usr/local/bin/tool",
                "Go stdlib 1.21.3 /usr/local/bin/tool",
            ]
        );
        assert_eq!(pkgs[0].source.as_ref().unwrap().name, "openssl");
        assert_eq!(
            problems,
            ["`/usr/lib/python3/dist-packages/broken.dist-info`: metadata has no `Name:`"]
        );
    }

    #[test]
    fn python_packages_dpkg_installed_are_marked_with_their_debian_package() {
        let dir = crate::testutil::TempDir::new("pkgs-owned");
        dir.write("var/lib/dpkg/status", "Package: python3-yaml\nStatus: install ok installed\nArchitecture: amd64\nSource: pyyaml\nVersion: 6.0-3+b2\n");
        dir.write(
            "var/lib/dpkg/info/python3-yaml:amd64.list",
            "/.\n/usr\n/usr/lib/python3/dist-packages\n/usr/lib/python3/dist-packages/PyYAML-6.0.dist-info\n/usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA\n",
        );
        dir.write("var/lib/dpkg/info/python3-six.list", "/usr/lib/python3/dist-packages/six-1.16.0.egg-info\n");
        dir.write("var/lib/dpkg/info/python3-six.md5sums", "/usr/lib/python3/dist-packages/requests-2.28.1.dist-info\n");
        dir.write("usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA", "Name: PyYAML\nVersion: 6.0\n");
        dir.write("usr/lib/python3/dist-packages/six-1.16.0.egg-info", "Name: six\nVersion: 1.16.0\n");
        // In Debian's directory but in no package's list (pip --break-system-packages).
        dir.write("usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA", "Name: requests\nVersion: 2.28.1\n");
        dir.write("usr/local/lib/python3.11/dist-packages/urllib3-1.26.0.dist-info/METADATA", "Name: urllib3\nVersion: 1.26.0\n");
        let mut problems = Vec::new();
        let pkgs = collect(&Root::new(dir.path()), &WalkOptions::default(), &mut problems).unwrap();
        let got: Vec<(&str, Option<&str>)> = pkgs
            .iter()
            .filter(|p| p.kind == PackageKind::Python)
            .map(|p| (p.name.as_str(), p.managed_by.as_deref()))
            .collect();
        assert_eq!(
            got,
            [("PyYAML", Some("deb:python3-yaml")), ("requests", None), ("six", Some("deb:python3-six")), ("urllib3", None)]
        );
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn go_binaries_in_an_image_keep_only_their_build_info() {
        let elf = tiny_elf_with_section(
            ".go.buildinfo",
            &gobin::build_blob("go1.22.1", "path\tx\nmod\tx\t(devel)\t\n"),
        );
        let stat = crate::root::Stat {
            kind: EntryKind::File,
            mode: 0o755,
            uid: 0,
            gid: 0,
            len: elf.len() as u64,
        };
        let path = Path::new("/app/server");
        let content = crate::memfs::capture(path, &stat, &mut &elf[..]).unwrap();
        let Some(crate::memfs::Content::Ranges(r)) = &content else {
            panic!("{content:?}");
        };
        assert!(r.iter().map(|(_, b)| b.len()).sum::<usize>() < 4096);
        let mut fs = crate::memfs::ImageFs::new();
        fs.insert(path, stat, None, content).unwrap();
        let mut problems = Vec::new();
        let pkgs = collect(
            &Root::image(fs, "image:t"),
            &WalkOptions::default(),
            &mut problems,
        )
        .unwrap();
        assert_eq!(problems, Vec::<String>::new());
        let got: Vec<_> = pkgs
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str()))
            .collect();
        assert_eq!(got, [("stdlib", "1.22.1")]);
    }

    #[test]
    fn unreadable_os_database_is_a_gap() {
        let dir = crate::testutil::TempDir::new("pkgs-bdb");
        dir.write("var/lib/rpm/Packages", "berkeley");
        let err = collect(
            &Root::new(dir.path()),
            &WalkOptions {
                paths: vec![],
                ..Default::default()
            },
            &mut Vec::new(),
        )
        .unwrap_err();
        assert!(err.contains("BerkeleyDB"), "{err}");
    }

    /// A minimal 64-bit little-endian ELF with a null section, `section`, and the
    /// section name table; padded past the Go-binary size threshold.
    pub(crate) fn tiny_elf_with_section(section: &str, content: &[u8]) -> Vec<u8> {
        let mut names = vec![0u8];
        let name_off = names.len() as u32;
        names.extend_from_slice(section.as_bytes());
        names.push(0);
        let shstr_name = names.len() as u32;
        names.extend_from_slice(b".shstrtab\0");
        let mut f = vec![0u8; 64];
        f[..4].copy_from_slice(b"\x7fELF");
        f[4] = 2;
        f[5] = 1;
        f[6] = 1;
        let content_off = f.len() as u64;
        f.extend_from_slice(content);
        let names_off = f.len() as u64;
        f.extend_from_slice(&names);
        while f.len() & 7 != 0 {
            f.push(0);
        }
        let shoff = f.len() as u64;
        let mut sh = |name: u32, off: u64, size: u64| {
            let mut e = vec![0u8; 64];
            e[0..4].copy_from_slice(&name.to_le_bytes());
            e[0x18..0x20].copy_from_slice(&off.to_le_bytes());
            e[0x20..0x28].copy_from_slice(&size.to_le_bytes());
            f.extend_from_slice(&e);
        };
        sh(0, 0, 0);
        sh(name_off, content_off, content.len() as u64);
        sh(shstr_name, names_off, names.len() as u64);
        f[0x28..0x30].copy_from_slice(&shoff.to_le_bytes());
        f[0x3a..0x3c].copy_from_slice(&64u16.to_le_bytes());
        f[0x3c..0x3e].copy_from_slice(&3u16.to_le_bytes());
        f[0x3e..0x40].copy_from_slice(&2u16.to_le_bytes());
        f.resize(600 * 1024, 0);
        f
    }
}
