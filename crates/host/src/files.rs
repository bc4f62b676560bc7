//! Owner and mode of the files the rules read, and world-writable entries under the
//! system paths (a bounded walk that never follows symbolic links).

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use rampart_model::Observed;

use crate::root::{EntryKind, Root, Stat};
use crate::telemetry::{FileMeta, WorldWritable, WorldWritableEntry};

/// The files and directories whose owner and mode the CIS rules check.
pub const RULE_FILES: &[&str] = &[
    "/boot/grub/grub.cfg",
    "/boot/grub2/grub.cfg",
    "/etc/at.allow",
    "/etc/at.deny",
    "/etc/cron.allow",
    "/etc/cron.d",
    "/etc/cron.daily",
    "/etc/cron.deny",
    "/etc/cron.hourly",
    "/etc/cron.monthly",
    "/etc/cron.weekly",
    "/etc/crontab",
    "/etc/group",
    "/etc/group-",
    "/etc/gshadow",
    "/etc/gshadow-",
    "/etc/issue",
    "/etc/issue.net",
    "/etc/motd",
    "/etc/passwd",
    "/etc/passwd-",
    "/etc/security/opasswd",
    "/etc/shadow",
    "/etc/shadow-",
    "/etc/ssh/sshd_config",
];

/// The system paths searched for world-writable entries.
pub const SYSTEM_PATHS: &[&str] = &["/bin", "/etc", "/sbin", "/usr/bin", "/usr/sbin"];

/// How many entries the world-writable walk examines at most.
pub const WALK_LIMIT: usize = 200_000;
/// How deep it descends.
pub const WALK_DEPTH: usize = 12;

/// A file's kind, owner and mode.
pub fn meta(m: &std::fs::Metadata) -> FileMeta {
    let ft = m.file_type();
    FileMeta {
        kind: if ft.is_symlink() {
            "symlink"
        } else if ft.is_dir() {
            "dir"
        } else if ft.is_file() {
            "file"
        } else {
            "other"
        }
        .to_owned(),
        mode: m.permissions().mode() & 0o7777,
        uid: m.uid(),
        gid: m.gid(),
    }
}

/// A file's kind, owner and mode from a [`Root`]'s metadata.
pub fn meta_of(s: &Stat) -> FileMeta {
    FileMeta {
        kind: match s.kind {
            EntryKind::Symlink => "symlink",
            EntryKind::Dir => "dir",
            EntryKind::File => "file",
            EntryKind::Other => "other",
        }
        .to_owned(),
        mode: s.mode,
        uid: s.uid,
        gid: s.gid,
    }
}

/// The owner and mode of `path` inside the root, following symbolic links inside the
/// root: `Known(None)` when it does not exist.
pub fn stat(root: &Root, path: &Path) -> Observed<Option<FileMeta>> {
    match root.metadata(path) {
        Ok(m) => Observed::Known(Some(meta_of(&m))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Observed::Known(None),
        Err(e) => Observed::Unknown(format!("cannot stat `{}`: {e}", path.display())),
    }
}

/// Whether an entry counts: a world-writable file, or a world-writable directory
/// without the sticky bit. Symbolic links (always 0777) never count.
pub fn is_world_writable(m: &FileMeta) -> bool {
    m.mode & 0o002 != 0
        && match m.kind.as_str() {
            "file" => true,
            "dir" => m.mode & 0o1000 == 0,
            _ => false,
        }
}

/// Walks `paths` inside the root (a path that is itself a symbolic link, like `/bin`
/// on merged-/usr systems, is skipped: its target is walked under its own name).
pub fn world_writable(root: &Root, paths: &[&str], limit: usize) -> WorldWritable {
    let mut out = WorldWritable {
        paths: paths.iter().map(|p| (*p).to_owned()).collect(),
        ..WorldWritable::default()
    };
    let mut stack: Vec<(PathBuf, usize)> = Vec::new();
    for p in paths.iter().rev() {
        match root.symlink_metadata(Path::new(p)) {
            Ok(m) if m.kind == EntryKind::Dir => stack.push((PathBuf::from(p), 0)),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => out.unreadable.push(format!("{p}: {e}")),
        }
    }
    while let Some((dir, depth)) = stack.pop() {
        let children = match root.entries(&dir) {
            Ok(e) => e,
            Err(e) => {
                out.unreadable.push(format!("{}: {e}", dir.display()));
                continue;
            }
        };
        for (path, m) in children {
            if out.examined >= limit {
                out.truncated = true;
                return out;
            }
            out.examined += 1;
            let Ok(m) = m else {
                out.unreadable.push(path.display().to_string());
                continue;
            };
            let fm = meta_of(&m);
            if is_world_writable(&fm) {
                out.entries.push(WorldWritableEntry {
                    path: path.display().to_string(),
                    meta: fm.clone(),
                });
            }
            if fm.kind == "dir" {
                if depth + 1 < WALK_DEPTH {
                    stack.push((path, depth + 1));
                } else {
                    out.truncated = true;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_world_writable_files_not_sticky_dirs_or_links() {
        let dir = crate::testutil::TempDir::new("ww");
        let f = dir.write("usr/bin/evil", "x");
        dir.write("usr/bin/fine", "x");
        dir.write("etc/tmpish/keep", "x");
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o777)).unwrap();
        std::fs::set_permissions(
            dir.path().join("etc/tmpish"),
            std::fs::Permissions::from_mode(0o1777),
        )
        .unwrap();
        std::fs::create_dir_all(dir.path().join("etc/open")).unwrap();
        std::fs::set_permissions(
            dir.path().join("etc/open"),
            std::fs::Permissions::from_mode(0o777),
        )
        .unwrap();
        std::os::unix::fs::symlink("/usr/bin/fine", dir.path().join("usr/bin/link")).unwrap();
        std::os::unix::fs::symlink("usr/bin", dir.path().join("bin")).unwrap();
        let root = Root::new(dir.path());
        let ww = world_writable(&root, SYSTEM_PATHS, WALK_LIMIT);
        let paths: Vec<&str> = ww.entries.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["/etc/open", "/usr/bin/evil"]);
        assert!(!ww.truncated);
        let small = world_writable(&root, SYSTEM_PATHS, 2);
        assert!(small.truncated);
        assert_eq!(
            stat(&root, Path::new("/etc/missing")),
            Observed::Known(None)
        );
        assert_eq!(
            stat(&root, Path::new("/usr/bin/evil"))
                .known()
                .unwrap()
                .as_ref()
                .unwrap()
                .mode,
            0o777
        );
    }
}
