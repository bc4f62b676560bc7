//! Installed packages of every kind under a root: OS package databases (dpkg, rpm,
//! apk) and language packages found by a bounded walk (Python metadata, npm lockfiles
//! and `node_modules`, `Cargo.lock`, Go binaries).

use std::path::{Path, PathBuf};

use crate::root::{EntryKind, Root};
use crate::telemetry::{Package, PackageKind, PackageSource, SourcePackage};
use crate::{apk, cargo_lock, dpkg, gobin, npm, python, rpm};
use crate::{Observed, Progress};

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

/// Where OS package databases are looked for (the message of a root without any names them).
pub const OS_DATABASES: &[&str] = &[
    "/var/lib/dpkg/status",
    "/var/lib/dpkg/status.d/",
    "/var/lib/rpm/rpmdb.sqlite",
    "/usr/lib/sysimage/rpm/rpmdb.sqlite",
    "/var/lib/rpm/Packages",
    "/lib/apk/db/installed",
];

/// The package sources under `root`, each read on its own: a database or manifest that
/// cannot be read is an `Unknown` source naming itself, and every other source is still
/// read. `problems` gets the bad entries of sources that were read. No source at all: no
/// database, manifest or Go binary was found.
pub fn collect(
    root: &Root,
    walk: &WalkOptions,
    progress: Option<&Progress>,
    problems: &mut Vec<String>,
) -> Vec<PackageSource> {
    let mut sources = Vec::new();
    dpkg_sources(root, &mut sources, problems);
    sources.extend(rpm_source(root, problems));
    sources.extend(apk_source(root, problems));
    if let Some(p) = progress {
        for s in &sources {
            p.report(s.reader(), s.packages.known().map_or(0, Vec::len));
        }
    }
    language_sources(root, walk, progress, &mut sources, problems);
    mark_dpkg_managed(root, &mut sources, problems);
    for s in &mut sources {
        if let Observed::Known(p) = &mut s.packages {
            p.sort();
            p.dedup();
        }
    }
    sources
}

fn unread(kind: Option<PackageKind>, location: impl Into<String>, why: String) -> PackageSource {
    PackageSource {
        kind,
        location: location.into(),
        packages: Observed::Unknown(why),
    }
}

/// `status` and `status.d/` are two sources; a file of `status.d/` that cannot be read is
/// a third (the rest of the directory is still read).
fn dpkg_sources(root: &Root, sources: &mut Vec<PackageSource>, problems: &mut Vec<String>) {
    let mut status_d: Option<Vec<Package>> = None;
    for f in dpkg::read_files(root) {
        let location = f.path.display().to_string();
        problems.extend(f.entry_errors.iter().map(|e| format!("`{location}`: {e}")));
        let debs = match f.read {
            Err(e) => {
                sources.push(unread(
                    Some(PackageKind::Deb),
                    location,
                    format!("cannot read it: {e}"),
                ));
                continue;
            }
            Ok(debs) => debs,
        };
        let pkgs: Vec<Package> = debs
            .into_iter()
            .map(|d| Package {
                kind: PackageKind::Deb,
                name: d.name,
                version: d.version,
                arch: d.architecture,
                source: Some(SourcePackage {
                    name: d.source,
                    version: d.source_version,
                }),
                location: location.clone(),
                managed_by: None,
            })
            .collect();
        if f.in_status_d {
            status_d.get_or_insert_with(Vec::new).extend(pkgs);
        } else {
            sources.push(PackageSource {
                kind: Some(PackageKind::Deb),
                location,
                packages: Observed::Known(pkgs),
            });
        }
    }
    if let Some(pkgs) = status_d {
        sources.push(PackageSource {
            kind: Some(PackageKind::Deb),
            location: "/var/lib/dpkg/status.d".to_owned(),
            packages: Observed::Known(pkgs),
        });
    }
}

/// Whether `path` exists in the root: a lookup that fails otherwise than "not found" (a
/// symbolic-link loop, a permission) is an error, not an absence.
fn exists(root: &Root, path: &str) -> Result<bool, String> {
    match root.metadata(Path::new(path)) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(format!("cannot read it: {e}")),
    }
}

fn rpm_source(root: &Root, problems: &mut Vec<String>) -> Option<PackageSource> {
    let rpm = |location: &str, packages| PackageSource {
        kind: Some(PackageKind::Rpm),
        location: location.to_owned(),
        packages,
    };
    for db in RPMDB {
        match exists(root, db) {
            Ok(false) => continue,
            Err(why) => return Some(rpm(db, Observed::Unknown(why))),
            Ok(true) => {}
        }
        let read = match root.disk_path(Path::new(db)) {
            Some(Ok(real)) => rpm::read_sqlite(&real),
            Some(Err(e)) => {
                return Some(rpm(
                    db,
                    Observed::Unknown(format!("cannot resolve it: {e}")),
                ))
            }
            None => match root.read(Path::new(db)) {
                Ok(bytes) => rpm::read_sqlite_bytes(&bytes),
                Err(e) => return Some(rpm(db, Observed::Unknown(format!("cannot read it: {e}")))),
            },
        };
        let (headers, errors) = match read {
            Ok(r) => r,
            Err(e) => return Some(rpm(db, Observed::Unknown(format!("cannot read it: {e}")))),
        };
        problems.extend(errors.iter().map(|e| format!("`{db}`: {e}")));
        let pkgs = headers
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
            })
            .collect();
        return Some(rpm(db, Observed::Known(pkgs)));
    }
    let bdb = "/var/lib/rpm/Packages";
    match exists(root, bdb) {
        Ok(false) => None,
        Err(why) => Some(rpm(bdb, Observed::Unknown(why))),
        Ok(true) => Some(rpm(bdb, Observed::Unknown(bdb_reason(root, bdb)))),
    }
}

/// Why `/var/lib/rpm/Packages` is not read: a Berkeley DB file (its hash or btree magic
/// at byte 12, either byte order: db's `dbmeta.h`) is the format RHEL ≤ 8 and Amazon
/// Linux 2 use, not supported yet; anything else is no rpm database format at all.
fn bdb_reason(root: &Root, path: &str) -> String {
    const MAGIC: [u32; 2] = [0x0006_1561, 0x0005_3162]; // DB_HASHMAGIC, DB_BTREEMAGIC
    let magic = root
        .open(Path::new(path))
        .and_then(|f| f.read_at(12, 4))
        .ok()
        .and_then(|b| <[u8; 4]>::try_from(b).ok());
    match magic {
        Some(m) if MAGIC.iter().any(|x| *x == u32::from_le_bytes(m) || *x == u32::from_be_bytes(m)) => {
            "a BerkeleyDB rpm database (RHEL ≤ 8, Amazon Linux 2), which is not supported yet".to_owned()
        }
        _ => "neither an rpm SQLite nor a BerkeleyDB database: not an rpm database this version reads"
            .to_owned(),
    }
}

fn apk_source(root: &Root, problems: &mut Vec<String>) -> Option<PackageSource> {
    let installed = "/lib/apk/db/installed";
    let packages = match root.read_text(Path::new(installed)) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => Observed::Unknown(format!("cannot read it: {e}")),
        Ok(text) => {
            let (pkgs, errors) = apk::parse_installed(&text);
            problems.extend(errors.iter().map(|e| format!("`{installed}`: {e}")));
            Observed::Known(
                pkgs.into_iter()
                    .map(|p| Package {
                        kind: PackageKind::Apk,
                        source: p.origin.map(|o| SourcePackage {
                            name: o,
                            version: p.version.clone(),
                        }),
                        name: p.name,
                        version: p.version,
                        arch: p.arch,
                        location: installed.to_owned(),
                        managed_by: None,
                    })
                    .collect(),
            )
        }
    };
    Some(PackageSource {
        kind: Some(PackageKind::Apk),
        location: installed.to_owned(),
        packages,
    })
}

/// Python packages that dpkg installed (their metadata under `/usr/lib/python3*/` is in
/// a package's file list, `/var/lib/dpkg/info/<pkg>.list`) are marked with their Debian
/// package: Debian backports fixes without changing the upstream version, so matching them
/// against PyPI advisories would report fixed vulnerabilities. pip-installed packages
/// (`/usr/local/lib/...`, virtualenvs) are not in any list and stay matched as PyPI.
fn mark_dpkg_managed(root: &Root, sources: &mut [PackageSource], problems: &mut Vec<String>) {
    let python = |p: &&mut Package| p.kind == PackageKind::Python;
    let all = || sources.iter().filter_map(|s| s.packages.known()).flatten();
    let candidates: std::collections::HashSet<String> = all()
        .filter(|p| p.kind == PackageKind::Python && p.location.starts_with("/usr/lib/python3"))
        .map(|p| p.location.clone())
        .collect();
    if candidates.is_empty() {
        return;
    }
    let candidates: std::collections::HashSet<&str> =
        candidates.iter().map(String::as_str).collect();
    let owners = match dpkg::owners_in(root, &candidates) {
        Ok(o) => o,
        Err(e) => {
            problems.push(format!("dpkg file lists: {e}; Python packages under /usr/lib/python3 are matched as PyPI packages"));
            return;
        }
    };
    for p in sources
        .iter_mut()
        .filter_map(|s| s.packages.known_mut())
        .flatten()
        .filter(python)
    {
        if let Some(owner) = owners.get(p.location.as_str()) {
            p.managed_by = Some(format!("deb:{owner}"));
        }
    }
}

/// The language packages the walk finds, one source per kind (its location: the walked
/// directories); a manifest or binary that cannot be read is a source of its own, and a
/// directory that cannot be listed or a walk stopped at its bound is an `Unknown` source of
/// any kind.
fn language_sources(
    root: &Root,
    walk: &WalkOptions,
    progress: Option<&Progress>,
    sources: &mut Vec<PackageSource>,
    problems: &mut Vec<String>,
) {
    let mut found = Vec::new();
    let mut unread = Vec::new();
    language_packages(root, walk, progress, (&mut found, &mut unread), problems);
    let walked = walk
        .paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let mut by_kind: std::collections::BTreeMap<PackageKind, Vec<Package>> = Default::default();
    for p in found {
        by_kind.entry(p.kind).or_default().push(p);
    }
    sources.extend(by_kind.into_iter().map(|(kind, pkgs)| PackageSource {
        kind: Some(kind),
        location: walked.clone(),
        packages: Observed::Known(pkgs),
    }));
    sources.extend(unread);
}

fn language_packages(
    root: &Root,
    walk: &WalkOptions,
    progress: Option<&Progress>,
    (out, unread): (&mut Vec<Package>, &mut Vec<PackageSource>),
    problems: &mut Vec<String>,
) {
    let mut examined = 0usize;
    let mut stack: Vec<PathBuf> = walk.paths.iter().rev().cloned().collect();
    while let Some(dir) = stack.pop() {
        if WALK_EXCLUDE.iter().any(|x| Path::new(x) == dir) {
            continue;
        }
        let children = match root.entries(&dir) {
            Ok(children) => children,
            // A walked directory that is absent (no `/opt`) holds nothing.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            // One that cannot be listed may hold anything: a source of any kind, not read.
            Err(e) => {
                unread.push(self::unread(
                    None,
                    dir.display().to_string(),
                    format!("the directory could not be listed ({e}): Python, npm, Cargo and Go packages under it were not read"),
                ));
                continue;
            }
        };
        for (path, stat) in children {
            examined += 1;
            if let Some(p) = progress.filter(|_| examined.is_multiple_of(4096)) {
                p.report("searching for language packages", examined);
            }
            if examined > walk.max_entries {
                unread.push(PackageSource {
                    kind: None,
                    location: walk
                        .paths
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                    packages: Observed::Unknown(format!(
                        "the language-package search stopped after {} entries: packages beyond were not read",
                        walk.max_entries
                    )),
                });
                return;
            }
            let stat = match stat {
                Ok(stat) => stat,
                // Listed but not examined (vanished meanwhile: nothing lost).
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => {
                    unread.push(self::unread(
                        None,
                        path.display().to_string(),
                        format!("could not be examined ({e}): packages in it were not read"),
                    ));
                    continue;
                }
            };
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
                    python_package(root, &path.join(meta), &location, out, unread, problems);
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
                    python_package(root, &path, &location, out, unread, problems)
                }
                "package-lock.json" if !location.contains("/node_modules/") => read_then(
                    root,
                    (PackageKind::Npm, &path, &location),
                    (unread, problems),
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
                    (PackageKind::Npm, &path, &location),
                    (unread, problems),
                    |text| {
                        let (n, v) = npm::parse_package_json(text)?;
                        Ok((vec![lang(PackageKind::Npm, n, v, &location)], Vec::new()))
                    },
                    out,
                ),
                "Cargo.lock" if !location.contains("/.cargo/registry/") => read_then(
                    root,
                    (PackageKind::Cargo, &path, &location),
                    (unread, problems),
                    |text| {
                        let (crates, errors) = cargo_lock::parse(text)?;
                        Ok((
                            crates
                                .into_iter()
                                // Only crates.io releases: path (workspace) and git crates
                                // are not what a crates.io advisory names, even under the
                                // same name (cargo-audit agrees).
                                .filter(|c| {
                                    c.source.as_deref().is_some_and(cargo_lock::is_crates_io)
                                })
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
                        go_binary(root, &path, &location, out, unread);
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

/// Reads and parses one manifest: a file that cannot be read or parsed as a whole is an
/// `Unknown` source; bad entries of one that was are problems.
fn read_then(
    root: &Root,
    (kind, path, location): (PackageKind, &Path, &str),
    (unread, problems): (&mut Vec<PackageSource>, &mut Vec<String>),
    parse: impl FnOnce(&str) -> Parsed,
    out: &mut Vec<Package>,
) {
    let text = match root.read(path) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) => {
            unread.push(self::unread(
                Some(kind),
                location,
                format!("cannot read it: {e}"),
            ));
            return;
        }
    };
    match parse(&text) {
        Ok((pkgs, errors)) => {
            out.extend(pkgs);
            problems.extend(errors.iter().map(|e| format!("`{location}`: {e}")));
        }
        Err(e) => unread.push(self::unread(Some(kind), location, e.to_string())),
    }
}

fn python_package(
    root: &Root,
    path: &Path,
    location: &str,
    out: &mut Vec<Package>,
    unread: &mut Vec<PackageSource>,
    problems: &mut Vec<String>,
) {
    read_then(
        root,
        (PackageKind::Python, path, location),
        (unread, problems),
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
    unread: &mut Vec<PackageSource>,
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
        unread.push(self::unread(
            Some(PackageKind::Go),
            location,
            "cannot read its `.go.buildinfo` section".to_owned(),
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
        Err(e) => unread.push(self::unread(Some(PackageKind::Go), location, e.to_string())),
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
        let sources =
            crate::PackageSources(collect(&root, &WalkOptions::default(), None, &mut problems));
        let pkgs = sources.read();
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
        // A manifest that cannot be read is a source of its own, not a silent omission.
        let unread: Vec<String> = sources
            .unread()
            .map(|(s, why)| format!("{}: {why}", s.describe()))
            .collect();
        assert_eq!(
            unread,
            ["Python `/usr/lib/python3/dist-packages/broken.dist-info`: metadata has no `Name:`"]
        );
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn python_packages_dpkg_installed_are_marked_with_their_debian_package() {
        let dir = crate::testutil::TempDir::new("pkgs-owned");
        dir.write("var/lib/dpkg/status", "Package: python3-yaml\nStatus: install ok installed\nArchitecture: amd64\nSource: pyyaml\nVersion: 6.0-3+b2\n");
        dir.write(
            "var/lib/dpkg/info/python3-yaml:amd64.list",
            "/.\n/usr\n/usr/lib/python3/dist-packages\n/usr/lib/python3/dist-packages/PyYAML-6.0.dist-info\n/usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA\n",
        );
        dir.write(
            "var/lib/dpkg/info/python3-six.list",
            "/usr/lib/python3/dist-packages/six-1.16.0.egg-info\n",
        );
        dir.write(
            "var/lib/dpkg/info/python3-six.md5sums",
            "/usr/lib/python3/dist-packages/requests-2.28.1.dist-info\n",
        );
        dir.write(
            "usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA",
            "Name: PyYAML\nVersion: 6.0\n",
        );
        dir.write(
            "usr/lib/python3/dist-packages/six-1.16.0.egg-info",
            "Name: six\nVersion: 1.16.0\n",
        );
        // In Debian's directory but in no package's list (pip --break-system-packages).
        dir.write(
            "usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA",
            "Name: requests\nVersion: 2.28.1\n",
        );
        dir.write(
            "usr/local/lib/python3.11/dist-packages/urllib3-1.26.0.dist-info/METADATA",
            "Name: urllib3\nVersion: 1.26.0\n",
        );
        let mut problems = Vec::new();
        let sources = crate::PackageSources(collect(
            &Root::new(dir.path()),
            &WalkOptions::default(),
            None,
            &mut problems,
        ));
        let pkgs = sources.known().unwrap();
        let got: Vec<(&str, Option<&str>)> = pkgs
            .iter()
            .filter(|p| p.kind == PackageKind::Python)
            .map(|p| (p.name.as_str(), p.managed_by.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("PyYAML", Some("deb:python3-yaml")),
                ("requests", None),
                ("six", Some("deb:python3-six")),
                ("urllib3", None)
            ]
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
        let sources = crate::PackageSources(collect(
            &Root::image(fs, "image:t"),
            &WalkOptions::default(),
            None,
            &mut problems,
        ));
        let pkgs = sources.known().unwrap();
        assert_eq!(problems, Vec::<String>::new());
        let got: Vec<_> = pkgs
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str()))
            .collect();
        assert_eq!(got, [("stdlib", "1.22.1")]);
    }

    fn no_walk() -> WalkOptions {
        WalkOptions {
            paths: vec![],
            ..Default::default()
        }
    }

    /// (source, packages or why not) of each source.
    fn sources_of(dir: &crate::testutil::TempDir, walk: &WalkOptions) -> Vec<String> {
        collect(&Root::new(dir.path()), walk, None, &mut Vec::new())
            .iter()
            .map(|s| match &s.packages {
                Observed::Known(p) => format!(
                    "{}: {}",
                    s.describe(),
                    p.iter()
                        .map(|p| p.name.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
                Observed::Unknown(why) => format!("{}: not read: {why}", s.describe()),
            })
            .collect()
    }

    const LIBSSL: &str = "Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\nVersion: 3.0.11-1\n";
    const SMALLVEC: &str = "[[package]]\nname = \"smallvec\"\nversion = \"1.6.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n";

    #[test]
    fn an_unsupported_rpm_database_fails_alone() {
        let dir = crate::testutil::TempDir::new("pkgs-bdb");
        // A Berkeley DB hash file's metadata page: the magic at byte 12.
        dir.write(
            "var/lib/rpm/Packages",
            b"\0\0\0\0\0\0\0\0\0\0\0\0\x61\x15\x06\0\x09\0\0\0",
        );
        dir.write("var/lib/dpkg/status", LIBSSL);
        dir.write("srv/Cargo.lock", SMALLVEC);
        assert_eq!(
            sources_of(&dir, &WalkOptions { paths: vec![PathBuf::from("/srv")], ..Default::default() }),
            [
                "dpkg `/var/lib/dpkg/status`: libssl3",
                "rpm `/var/lib/rpm/Packages`: not read: a BerkeleyDB rpm database (RHEL ≤ 8, Amazon Linux 2), which is not supported yet",
                "Cargo `/srv`: smallvec",
            ]
        );
        dir.write("var/lib/rpm/Packages", "stray text");
        assert_eq!(
            sources_of(&dir, &no_walk())[1],
            "rpm `/var/lib/rpm/Packages`: not read: neither an rpm SQLite nor a BerkeleyDB database: not an rpm database this version reads"
        );
    }

    #[test]
    fn a_looping_status_d_fails_alone() {
        let dir = crate::testutil::TempDir::new("pkgs-loop-d");
        dir.write("var/lib/dpkg/status", LIBSSL);
        std::os::unix::fs::symlink("status.d", dir.path().join("var/lib/dpkg/status.d")).unwrap();
        let got = sources_of(&dir, &no_walk());
        assert_eq!(got[0], "dpkg `/var/lib/dpkg/status`: libssl3");
        assert!(got[1].starts_with("dpkg `/var/lib/dpkg/status.d`: not read: cannot read it: too many levels of symbolic links"), "{got:?}");
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn a_looping_status_fails_alone_and_status_d_files_fail_each_alone() {
        let dir = crate::testutil::TempDir::new("pkgs-loop");
        std::fs::create_dir_all(dir.path().join("var/lib/dpkg/status.d")).unwrap();
        std::os::unix::fs::symlink(
            "/var/lib/dpkg/status",
            dir.path().join("var/lib/dpkg/status"),
        )
        .unwrap();
        dir.write(
            "var/lib/dpkg/status.d/base",
            "Package: base-files\nVersion: 12.4\n",
        );
        std::os::unix::fs::symlink("loop", dir.path().join("var/lib/dpkg/status.d/loop")).unwrap();
        dir.write("lib/apk/db/installed", "P:musl\nV:1.2.4-r2\n");
        let got = sources_of(&dir, &no_walk());
        assert_eq!(got.len(), 4, "{got:?}");
        assert!(
            got[0].starts_with(
                "dpkg `/var/lib/dpkg/status`: not read: cannot read it: too many levels"
            ),
            "{got:?}"
        );
        assert!(
            got[1].starts_with(
                "dpkg `/var/lib/dpkg/status.d/loop`: not read: cannot read it: too many levels"
            ),
            "{got:?}"
        );
        assert_eq!(
            got[2..],
            [
                "dpkg `/var/lib/dpkg/status.d`: base-files",
                "apk `/lib/apk/db/installed`: musl"
            ]
        );
    }

    #[test]
    fn a_looping_rpm_database_is_not_an_absent_one() {
        let dir = crate::testutil::TempDir::new("pkgs-rpm-loop");
        std::fs::create_dir_all(dir.path().join("var/lib/rpm")).unwrap();
        std::os::unix::fs::symlink("rpmdb.sqlite", dir.path().join("var/lib/rpm/rpmdb.sqlite"))
            .unwrap();
        let got = sources_of(&dir, &no_walk());
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].starts_with(
                "rpm `/var/lib/rpm/rpmdb.sqlite`: not read: cannot read it: too many levels"
            ),
            "{got:?}"
        );
    }

    #[test]
    fn unreadable_manifests_and_a_truncated_walk_are_sources_not_read() {
        let dir = crate::testutil::TempDir::new("pkgs-lang");
        dir.write("srv/a/Cargo.lock", SMALLVEC);
        dir.write("srv/b/Cargo.lock", "[[package]]\nname = ");
        let got = sources_of(
            &dir,
            &WalkOptions {
                paths: vec![PathBuf::from("/srv")],
                ..Default::default()
            },
        );
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0], "Cargo `/srv`: smallvec");
        assert!(
            got[1].starts_with("Cargo `/srv/b/Cargo.lock`: not read: "),
            "{got:?}"
        );
        let got = sources_of(
            &dir,
            &WalkOptions {
                paths: vec![PathBuf::from("/srv")],
                max_entries: 2,
                ..Default::default()
            },
        );
        assert!(got.iter().any(|s| s == "`/srv` (any kind): not read: the language-package search stopped after 2 entries: packages beyond were not read"), "{got:?}");
    }

    #[test]
    fn progress_is_told_the_database_counts_and_the_walk() {
        let dir = crate::testutil::TempDir::new("pkgs-progress");
        dir.write("var/lib/dpkg/status", LIBSSL);
        for i in 0..4100 {
            dir.write(&format!("srv/f{i}"), "");
        }
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = seen.clone();
        let progress = Progress(std::sync::Arc::new(move |stage: &str, n: usize| {
            log.lock().unwrap().push(format!("{stage} {n}"))
        }));
        collect(
            &Root::new(dir.path()),
            &WalkOptions::default(),
            Some(&progress),
            &mut Vec::new(),
        );
        let seen = seen.lock().unwrap();
        assert_eq!(*seen, ["dpkg 1", "searching for language packages 4096"]);
    }

    #[test]
    fn a_root_without_any_database_has_no_source() {
        let dir = crate::testutil::TempDir::new("pkgs-none");
        dir.write("etc/hostname", "x\n");
        assert_eq!(
            sources_of(&dir, &WalkOptions::default()),
            Vec::<String>::new()
        );
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
