//! The agent's spool: upload bodies waiting for the server, one file each, named so that
//! name order is collection order (`<unix seconds, 20 digits>-<nanoseconds>-<sequence>.json.gz`).
//! Bounded by count and total size: pushing past either drops the oldest (the caller warns).
//! A body is written to a temporary name and renamed, so a crash never leaves half a body
//! under a spooled name.

use anyhow::{Context, Result};
use rampart_model::Timestamp;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

const SUFFIX: &str = ".json.gz";

pub struct Spool {
    dir: PathBuf,
    pub max_files: usize,
    pub max_bytes: u64,
    seq: AtomicU64,
}

impl Spool {
    /// A week of hourly documents, at most 256 MiB.
    pub const DEFAULT_MAX_FILES: usize = 168;
    pub const DEFAULT_MAX_BYTES: u64 = 256 << 20;

    /// The spool at `dir`, created (mode 0700) if missing. An existing directory is used as
    /// it is (its mode is never changed: `--spool /var/tmp` must not lose its sticky bit),
    /// and refused when group or others can write to it: they could plant or remove bodies.
    pub fn open(dir: &Path, max_files: usize, max_bytes: u64) -> Result<Spool> {
        let existed = dir.is_dir();
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the spool `{}`: give --spool a directory this user can write", dir.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            if existed {
                let mode =
                    std::fs::metadata(dir).with_context(|| format!("cannot read the spool `{}`", dir.display()))?.permissions().mode();
                if mode & 0o022 != 0 {
                    anyhow::bail!(
                        "the spool `{}` can be written by other users (mode {:o}): give --spool a directory of its own (it is created mode 0700), or `chmod go-w` it",
                        dir.display(),
                        mode & 0o7777
                    );
                }
            } else {
                std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
                    .with_context(|| format!("cannot make the spool `{}` private (mode 0700)", dir.display()))?;
            }
        }
        Ok(Spool { dir: dir.to_path_buf(), max_files: max_files.max(1), max_bytes, seq: AtomicU64::new(0) })
    }

    /// The default spool: `$XDG_STATE_HOME/rampart/agent-spool` (`~/.local/state/...`), else
    /// under the data directory.
    pub fn default_dir() -> PathBuf {
        dirs::state_dir().or_else(dirs::data_local_dir).unwrap_or_else(|| PathBuf::from(".")).join("rampart").join("agent-spool")
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The spooled bodies, oldest first.
    pub fn list(&self) -> Result<Vec<PathBuf>> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(&self.dir).with_context(|| format!("cannot list the spool `{}`", self.dir.display()))? {
            let e = e.with_context(|| format!("cannot list the spool `{}`", self.dir.display()))?;
            let name = e.file_name();
            let name = name.to_string_lossy();
            if name.ends_with(SUFFIX) && !name.starts_with('.') {
                out.push(e.path());
            }
        }
        out.sort();
        Ok(out)
    }

    /// Adds a body collected at `at`; returns the files dropped to stay within bounds.
    pub fn push(&self, body: &[u8], at: Timestamp) -> Result<Vec<PathBuf>> {
        let seq = self.seq.fetch_add(1, Ordering::Relaxed);
        let name = format!("{:020}-{:09}-{:06}{SUFFIX}", at.unix_timestamp().max(0), at.nanosecond(), seq % 1_000_000);
        let tmp = self.dir.join(format!(".{name}.tmp"));
        std::fs::write(&tmp, body)
            .with_context(|| format!("cannot write to the spool `{}`: check free space and permissions", self.dir.display()))?;
        std::fs::rename(&tmp, self.dir.join(&name)).with_context(|| format!("cannot write to the spool `{}`", self.dir.display()))?;
        let mut files: Vec<(PathBuf, u64)> =
            self.list()?.into_iter().map(|p| (std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0), p)).map(|(n, p)| (p, n)).collect();
        let mut total: u64 = files.iter().map(|(_, n)| n).sum();
        let mut dropped = Vec::new();
        // Never drop the body just written, even when it alone is over the size bound.
        while files.len() > 1 && (files.len() > self.max_files || total > self.max_bytes) {
            let (oldest, n) = files.remove(0);
            self.remove(&oldest)?;
            total -= n;
            dropped.push(oldest);
        }
        Ok(dropped)
    }

    /// Removes a delivered (or dropped) body.
    pub fn remove(&self, file: &Path) -> Result<()> {
        match std::fs::remove_file(file) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e).with_context(|| format!("cannot remove `{}` from the spool", file.display())),
        }
    }
}
