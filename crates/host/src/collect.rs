//! Collection of a whole [`Telemetry`] document from a root.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rampart_model::Observed;
use time::OffsetDateTime;

use crate::packages::WalkOptions;
use crate::root::Root;
use crate::telemetry::*;
use crate::{accounts, files, osrelease, packages, sockets, sshd, system};

/// The reason of every `/proc`-derived gap under a mounted root.
pub const NOT_LIVE: &str = "not available for a mounted root";
/// The reason of the same gaps in a container image.
pub const NOT_IMAGE: &str = "not available for an image";
/// The reason of every gap but packages in a function deployment package.
pub const NOT_FUNCTION: &str = "not available for a function package";

/// What a collection covers beyond the defaults.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The language-package walk.
    pub walk: WalkOptions,
    /// Told what is being read, for a progress line (the library never prints).
    pub progress: Option<Progress>,
}

/// A callback told `(stage, count)` while packages are read: `("dpkg", 1234)` once a
/// database is read, `("searching for language packages", entries)` every few thousand
/// entries of the walk, which is what takes long on a large root. Called on the
/// collecting thread: it should return at once.
#[derive(Clone)]
pub struct Progress(pub std::sync::Arc<ProgressFn>);

/// What [`Progress`] calls: `(stage, count)`.
pub type ProgressFn = dyn Fn(&str, usize) + Send + Sync;

impl Progress {
    pub(crate) fn report(&self, stage: &str, count: usize) {
        (self.0)(stage, count)
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

/// Collects the telemetry of the root at `root` (`/` for the running host), stamped
/// `now`. Only reads; never fails as a whole: what could not be read is `Unknown`
/// with the reason, and partial failures are in [`Telemetry::problems`].
pub fn collect(root: &Path, now: OffsetDateTime) -> Telemetry {
    collect_with(root, now, &Options::default())
}

/// [`collect`] with options.
pub fn collect_with(root: &Path, now: OffsetDateTime, options: &Options) -> Telemetry {
    collect_root(&Root::new(root), now, options)
}

/// [`collect_with`] over any [`Root`]: a directory, or the in-memory tree of an image
/// ([`crate::image::read_image`]) or a function package ([`crate::lambda::read_zip`]).
/// A function package has packages only: every other section is
/// `Unknown(`[`NOT_FUNCTION`]`)`.
pub fn collect_root(root: &Root, now: OffsetDateTime, options: &Options) -> Telemetry {
    if root.packages_only() {
        return packages_only(root, now, options);
    }
    let live = root.is_live();
    let not_live = root.system_gap().unwrap_or(NOT_LIVE);
    let mut problems: Vec<Problem> = Vec::new();
    let mut note = |section: &str, messages: Vec<String>| {
        problems.extend(messages.into_iter().map(|message| Problem {
            section: section.to_owned(),
            message,
        }))
    };

    let host = identity(root);

    let mut msgs = Vec::new();
    let packages = PackageSources(packages::collect(
        root,
        &options.walk,
        options.progress.as_ref(),
        &mut msgs,
    ));
    note("packages", msgs);

    let (users, msgs) = read_parsed(root, "/etc/passwd", accounts::parse_passwd);
    note("users", msgs);
    let (groups, msgs) = read_parsed(root, "/etc/group", accounts::parse_group);
    note("groups", msgs);
    let (shadow, msgs) = read_parsed(root, "/etc/shadow", accounts::parse_shadow);
    note("shadow", msgs);
    let login_defs = match root.read_text(Path::new("/etc/login.defs")) {
        Ok(t) => Observed::Known(accounts::parse_login_defs(&t)),
        Err(e) => Observed::Unknown(format!("cannot read `/etc/login.defs`: {e}")),
    };
    let uid_names: BTreeMap<u32, String> = users
        .known()
        .map(|u| u.iter().map(|u| (u.uid, u.name.clone())).collect())
        .unwrap_or_default();

    let listening = if live {
        let mut msgs = Vec::new();
        let r = into_observed(sockets::collect(Path::new("/proc"), &uid_names, &mut msgs));
        note("listening", msgs);
        r
    } else {
        Observed::Unknown(not_live.to_owned())
    };

    let (sshd, msgs) = sshd_config(root);
    note("sshd", msgs);

    let sysctl = if live {
        Observed::Known(
            system::SYSCTL_KEYS
                .iter()
                .map(|k| {
                    let path = Path::new("/proc/sys").join(system::sysctl_path(k));
                    let v = match std::fs::read_to_string(&path) {
                        Ok(v) => Observed::Known(v.trim().to_owned()),
                        Err(e) => {
                            Observed::Unknown(format!("cannot read `{}`: {e}", path.display()))
                        }
                    };
                    ((*k).to_owned(), v)
                })
                .collect(),
        )
    } else {
        Observed::Unknown(not_live.to_owned())
    };

    let file_modes = files::RULE_FILES
        .iter()
        .map(|p| ((*p).to_owned(), files::stat(root, Path::new(p))))
        .collect();

    let mounts = if live {
        let (m, msgs) = read_parsed(&Root::new("/"), "/proc/mounts", system::parse_mounts);
        note("mounts", msgs);
        m
    } else {
        Observed::Unknown(not_live.to_owned())
    };
    let fstab = match root.read_text(Path::new("/etc/fstab")) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Observed::Known(Vec::new()),
        Err(e) => Observed::Unknown(format!("cannot read `/etc/fstab`: {e}")),
        Ok(t) => {
            let (m, errors) = system::parse_mounts(&t);
            note(
                "fstab",
                errors
                    .iter()
                    .map(|e| format!("`/etc/fstab`: {e}"))
                    .collect(),
            );
            Observed::Known(m)
        }
    };

    let world_writable = Observed::Known(files::world_writable(
        root,
        files::SYSTEM_PATHS,
        files::WALK_LIMIT,
    ));

    let (core, msgs) = core_dumps(root);
    note("core_dumps", msgs);

    Telemetry {
        tags: BTreeMap::new(),
        schema_version: SCHEMA_VERSION,
        collected_at: now,
        root: root.label(),
        host,
        packages,
        listening,
        sshd,
        sysctl,
        users,
        groups,
        shadow,
        login_defs,
        files: file_modes,
        mounts,
        fstab,
        world_writable,
        core_dumps: core,
        problems,
    }
}

fn packages_only(root: &Root, now: OffsetDateTime, options: &Options) -> Telemetry {
    fn gap<T>() -> Observed<T> {
        Observed::Unknown(NOT_FUNCTION.to_owned())
    }
    let mut msgs = Vec::new();
    let packages = PackageSources(packages::collect(
        root,
        &options.walk,
        options.progress.as_ref(),
        &mut msgs,
    ));
    Telemetry {
        tags: BTreeMap::new(),
        schema_version: SCHEMA_VERSION,
        collected_at: now,
        root: root.label(),
        host: HostIdentity {
            hostname: gap(),
            os: gap(),
            kernel_release: gap(),
            ec2_instance_id: gap(),
        },
        packages,
        listening: gap(),
        sshd: gap(),
        sysctl: gap(),
        users: gap(),
        groups: gap(),
        shadow: gap(),
        login_defs: gap(),
        files: BTreeMap::new(),
        mounts: gap(),
        fstab: gap(),
        world_writable: gap(),
        core_dumps: gap(),
        problems: msgs
            .into_iter()
            .map(|message| Problem {
                section: "packages".to_owned(),
                message,
            })
            .collect(),
    }
}

fn into_observed<T>(r: Result<T, String>) -> Observed<T> {
    match r {
        Ok(t) => Observed::Known(t),
        Err(e) => Observed::Unknown(e),
    }
}

/// Reads and parses a file that must exist: unreadable or missing ⇒ `Unknown`.
fn read_parsed<T>(
    root: &Root,
    path: &str,
    parse: impl FnOnce(&str) -> (Vec<T>, Vec<crate::error::EntryError>),
) -> (Observed<Vec<T>>, Vec<String>) {
    match root.read_text(Path::new(path)) {
        Err(e) => (
            Observed::Unknown(format!("cannot read `{path}`: {e}")),
            Vec::new(),
        ),
        Ok(text) => {
            let (items, errors) = parse(&text);
            (
                Observed::Known(items),
                errors.iter().map(|e| format!("`{path}`: {e}")).collect(),
            )
        }
    }
}

fn identity(root: &Root) -> HostIdentity {
    let hostname_path = if root.is_live() {
        "/proc/sys/kernel/hostname"
    } else {
        "/etc/hostname"
    };
    let hostname = match root.read_text(Path::new(hostname_path)) {
        Ok(h) if !h.trim().is_empty() => Observed::Known(h.trim().to_owned()),
        Ok(_) => Observed::Unknown(format!("`{hostname_path}` is empty")),
        Err(e) => Observed::Unknown(format!("cannot read `{hostname_path}`: {e}")),
    };
    let os = match root
        .read_text(Path::new("/etc/os-release"))
        .or_else(|_| root.read_text(Path::new("/usr/lib/os-release")))
    {
        Ok(t) => Observed::Known(osrelease::parse(&t)),
        Err(e) => Observed::Unknown(format!(
            "cannot read `/etc/os-release` or `/usr/lib/os-release`: {e}"
        )),
    };
    let kernel_release = if root.is_live() {
        match std::fs::read_to_string("/proc/sys/kernel/osrelease") {
            Ok(r) => Observed::Known(r.trim().to_owned()),
            Err(e) => Observed::Unknown(format!("cannot read `/proc/sys/kernel/osrelease`: {e}")),
        }
    } else {
        Observed::Unknown(root.system_gap().unwrap_or(NOT_LIVE).to_owned())
    };
    HostIdentity {
        hostname,
        os,
        kernel_release,
        ec2_instance_id: Observed::Known(ec2_instance_id(root)),
    }
}

/// The EC2 instance id from cloud-init's record or (live host) the Nitro DMI asset tag.
fn ec2_instance_id(root: &Root) -> Option<String> {
    let is_id = |s: &str| {
        s.strip_prefix("i-").is_some_and(|h| (8..=17).contains(&h.len()) && h.bytes().all(|b| b.is_ascii_hexdigit()))
    };
    let mut candidates = vec![root.read_text(Path::new("/var/lib/cloud/data/instance-id")).ok()];
    if root.is_live() {
        candidates.push(std::fs::read_to_string("/sys/devices/virtual/dmi/id/board_asset_tag").ok());
    }
    candidates.into_iter().flatten().map(|s| s.trim().to_owned()).find(|s| is_id(s))
}

fn sshd_config(root: &Root) -> (Observed<Option<SshdConfig>>, Vec<String>) {
    let main = Path::new("/etc/ssh/sshd_config");
    let mut read = |p: &Path| root.read_text(p);
    let mut glob = |pattern: &Path| -> Vec<PathBuf> {
        let (Some(dir), Some(pat)) = (
            pattern.parent(),
            pattern.file_name().and_then(|n| n.to_str()),
        ) else {
            return Vec::new();
        };
        if !pat.contains(['*', '?']) {
            return vec![pattern.to_path_buf()];
        }
        root.read_dir(dir)
            .unwrap_or_default()
            .into_iter()
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| sshd::glob_match(pat, n))
            })
            .collect()
    };
    match sshd::parse(main, &mut read, &mut glob) {
        Ok((cfg, errors)) => (
            Observed::Known(Some(cfg)),
            errors.iter().map(ToString::to_string).collect(),
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Observed::Known(None), Vec::new()),
        Err(e) => (
            Observed::Unknown(format!("cannot read `{}`: {e}", main.display())),
            Vec::new(),
        ),
    }
}

fn core_dumps(root: &Root) -> (Observed<CoreDumps>, Vec<String>) {
    let mut msgs = Vec::new();
    let mut core = CoreDumps::default();
    let mut files = vec![PathBuf::from("/etc/security/limits.conf")];
    files.extend(
        root.read_dir(Path::new("/etc/security/limits.d"))
            .unwrap_or_default()
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "conf")),
    );
    for f in files {
        match root.read_text(&f) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return (
                    Observed::Unknown(format!("cannot read `{}`: {e}", f.display())),
                    msgs,
                );
            }
            Ok(t) => {
                let (limits, errors) = system::parse_limits(&t, &f.display().to_string());
                core.limits.extend(limits);
                msgs.extend(errors.iter().map(ToString::to_string));
            }
        }
    }
    if let Ok(t) = root.read_text(Path::new("/etc/systemd/coredump.conf")) {
        core.systemd = system::parse_coredump_conf(&t);
    }
    (Observed::Known(core), msgs)
}
