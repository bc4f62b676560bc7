//! Scanning files and directories on disk, never leaving the directories given.

use crate::{detect, Error, Hit, ScanOptions, ScanReport, SkipReason, Skipped};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Scans files and directories (recursively). Inside directories, `.git` directories and
/// symbolic links are not followed (history is [`crate::scan_git_history`]'s job; a link
/// could loop, or lead outside the directory given): a link to inside the directory is
/// scanned at its real path anyway, a link to outside is reported as
/// [`SkipReason::Outside`], a dangling one as unreadable. A path given explicitly is
/// followed. Files are scanned in parallel.
///
/// Fails only when a given path cannot be read at all (missing, permission denied, a FIFO or
/// device); anything unreadable below a directory is recorded in [`ScanReport::skipped`] and
/// makes the report [`ScanReport::incomplete`].
pub fn scan_paths<P: AsRef<Path>>(paths: &[P], opts: &ScanOptions) -> Result<ScanReport, Error> {
    let mut report = ScanReport::default();
    let mut files = Vec::new();
    for root in paths {
        let root = root.as_ref();
        let meta = std::fs::metadata(root).map_err(|source| Error::Path { path: root.to_path_buf(), source })?;
        if meta.is_dir() {
            // The directory itself must be listable: an unreadable root is an input error.
            std::fs::read_dir(root).map_err(|source| Error::Path { path: root.to_path_buf(), source })?;
            let real = root.canonicalize().map_err(|source| Error::Path { path: root.to_path_buf(), source })?;
            walk(root, &real, opts, &mut files, &mut report.skipped);
        } else if meta.is_file() {
            consider(root.to_path_buf(), meta.len(), opts, &mut files, &mut report.skipped);
        } else {
            return Err(Error::NotAFile { path: root.to_path_buf(), kind: special_kind(&meta.file_type()) });
        }
    }
    files.sort();
    files.dedup();
    tracing::debug!(files = files.len(), "scanning files");

    let threads = match opts.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
    .min(files.len())
    .max(1);
    let next = AtomicUsize::new(0);
    let merged = Mutex::new(ScanReport::default());
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let mut local = ScanReport::default();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(i) else { break };
                    scan_file(path, opts, &mut local);
                }
                // A worker that panicked poisons the lock; its partial results still count.
                let mut m = merged.lock().unwrap_or_else(|e| e.into_inner());
                m.hits.append(&mut local.hits);
                m.skipped.append(&mut local.skipped);
                m.scanned += local.scanned;
                m.bytes += local.bytes;
            });
        }
    });
    let mut m = merged.into_inner().unwrap_or_else(|e| e.into_inner());
    report.hits.append(&mut m.hits);
    report.skipped.append(&mut m.skipped);
    report.scanned += m.scanned;
    report.bytes += m.bytes;
    report.sort();
    Ok(report)
}

fn walk(dir: &Path, root: &Path, opts: &ScanOptions, files: &mut Vec<PathBuf>, skipped: &mut Vec<Skipped>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            skipped.push(unreadable(dir, &e));
            return;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                skipped.push(unreadable(dir, &e));
                continue;
            }
        };
        let path = entry.path();
        // `file_type` does not follow symbolic links.
        let kind = match entry.file_type() {
            Ok(k) => k,
            Err(e) => {
                skipped.push(unreadable(&path, &e));
                continue;
            }
        };
        if kind.is_dir() {
            if entry.file_name() != ".git" {
                walk(&path, root, opts, files, skipped);
            }
        } else if kind.is_file() {
            match entry.metadata() {
                Ok(m) => consider(path, m.len(), opts, files, skipped),
                Err(e) => skipped.push(unreadable(&path, &e)),
            }
        } else if kind.is_symlink() {
            match path.canonicalize() {
                // Inside the directory: scanned at its real path (or deliberately not, `.git`).
                Ok(target) if target.starts_with(root) => {}
                Ok(target) => skipped.push(Skipped {
                    path: path.display().to_string(),
                    reason: SkipReason::Outside { target: target.display().to_string() },
                }),
                Err(e) => skipped.push(Skipped {
                    path: path.display().to_string(),
                    reason: SkipReason::Unreadable { message: format!("a symbolic link that leads nowhere ({e})") },
                }),
            }
        } else {
            skipped.push(Skipped {
                path: path.display().to_string(),
                reason: SkipReason::Unreadable { message: format!("{}, not a regular file", special_kind(&kind)) },
            });
        }
    }
}

/// What a file that is neither a regular file, a directory nor a link is.
fn special_kind(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    let _ = kind;
    "a special file"
}

fn consider(path: PathBuf, size: u64, opts: &ScanOptions, files: &mut Vec<PathBuf>, skipped: &mut Vec<Skipped>) {
    if size > opts.max_file_size {
        skipped.push(Skipped { path: path.display().to_string(), reason: SkipReason::TooLarge { size, limit: opts.max_file_size } });
    } else {
        files.push(path);
    }
}

fn unreadable(path: &Path, e: &std::io::Error) -> Skipped {
    Skipped { path: path.display().to_string(), reason: SkipReason::Unreadable { message: e.to_string() } }
}

fn scan_file(path: &Path, opts: &ScanOptions, out: &mut ScanReport) {
    // Read at most one byte past the limit: enough to tell that the file has grown past it.
    let mut data = Vec::new();
    let read = std::fs::File::open(path).and_then(|f| f.take(opts.max_file_size.saturating_add(1)).read_to_end(&mut data));
    if let Err(e) = read {
        out.skipped.push(unreadable(path, &e));
        return;
    }
    // The file may have grown since it was listed.
    if data.len() as u64 > opts.max_file_size {
        out.skipped.push(Skipped {
            path: path.display().to_string(),
            reason: SkipReason::TooLarge {
                size: std::fs::metadata(path).map_or(data.len() as u64, |m| m.len()),
                limit: opts.max_file_size,
            },
        });
        return;
    }
    let Some(text) = crate::text::decode(&data) else {
        out.skipped.push(Skipped { path: path.display().to_string(), reason: SkipReason::Binary });
        return;
    };
    out.scanned += 1;
    out.bytes += data.len() as u64;
    let display = path.display().to_string();
    for m in detect(&text, &opts.detect_options()) {
        out.hits.push(Hit::new(display.clone(), None, m));
    }
}
