//! Function deployment packages (AWS Lambda `.zip`s and layer zips): the zip's
//! entries become an [`ImageFs`] rooted at the zip's root (what Lambda unpacks at
//! `/var/task`, or `/opt` for a layer), and [`scan`] collects its packages through
//! the same walk as a host: Python `*.dist-info` / `*.egg-info` (at the root or in
//! the `python/` layer layout), `node_modules/*/package.json` and
//! `package-lock.json`, `Cargo.lock`, and Go build info of ELF executables (the
//! `bootstrap` of a custom runtime). Nothing is extracted to disk.

use std::io::{Read, Seek};
use std::path::Path;

use time::OffsetDateTime;

use crate::image::ImageError;
use crate::memfs::{self, ImageFs};
use crate::root::{EntryKind, Root, Stat};
use crate::telemetry::{Problem, Telemetry};
use crate::Options;

/// `S_IFMT` and the link type in a zip entry's unix mode.
const S_IFMT: u32 = 0o170000;
const S_IFLNK: u32 = 0o120000;

/// Reads the deployment package at `path`: its file tree and what was read only in
/// part (bad entries, each naming the zip and the entry).
pub fn read_zip(path: &Path) -> Result<(ImageFs, Vec<Problem>), ImageError> {
    let file = std::fs::File::open(path).map_err(|source| ImageError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    read_from(std::io::BufReader::new(file), &path.display().to_string())
}

/// [`read_zip`] over the bytes of a zip named `name` (for messages).
pub fn read_zip_bytes(name: &str, bytes: &[u8]) -> Result<(ImageFs, Vec<Problem>), ImageError> {
    read_from(std::io::Cursor::new(bytes), name)
}

/// Reads the package at `path` and collects its packages; every other section is
/// `Unknown(`[`crate::NOT_FUNCTION`]`)`. The zip's problems come first.
pub fn scan(path: &Path, now: OffsetDateTime, options: &Options) -> Result<Telemetry, ImageError> {
    let (fs, mut problems) = read_zip(path)?;
    let mut t = crate::collect_root(
        &Root::function(fs, format!("lambda:{}", path.display())),
        now,
        options,
    );
    problems.append(&mut t.problems);
    t.problems = problems;
    Ok(t)
}

fn problem(message: String) -> Problem {
    Problem {
        section: "lambda".to_owned(),
        message,
    }
}

fn read_from<R: Read + Seek>(r: R, label: &str) -> Result<(ImageFs, Vec<Problem>), ImageError> {
    let mut zip = zip::ZipArchive::new(r).map_err(|e| ImageError::Malformed {
        file: label.to_owned(),
        entry: "(central directory)".to_owned(),
        problem: e.to_string(),
    })?;
    let mut fs = ImageFs::new();
    let mut problems = Vec::new();
    for i in 0..zip.len() {
        let mut entry = match zip.by_index(i) {
            Ok(e) => e,
            Err(e) => {
                problems.push(problem(format!("`{label}`: entry #{i}: {e}: skipped")));
                continue;
            }
        };
        let name = entry.name().to_owned();
        let at = format!("`{label}`: entry `{name}`");
        let path = match entry.enclosed_name().map(|p| memfs::normalize(&p)) {
            Some(Ok(Some(p))) => p,
            Some(Ok(None)) => continue,
            _ => {
                problems.push(problem(format!("{at}: name leaves the package: skipped")));
                continue;
            }
        };
        let unix = entry.unix_mode();
        let is_link = unix.is_some_and(|m| m & S_IFMT == S_IFLNK);
        let kind = if entry.is_dir() {
            EntryKind::Dir
        } else if is_link {
            EntryKind::Symlink
        } else {
            EntryKind::File
        };
        let mut stat = Stat {
            kind,
            mode: unix.map_or(if kind == EntryKind::Dir { 0o755 } else { 0o644 }, |m| {
                m & 0o7777
            }),
            uid: 0,
            gid: 0,
            len: if kind == EntryKind::File {
                entry.size()
            } else {
                0
            },
        };
        let mut link = None;
        let mut content = None;
        match kind {
            EntryKind::Symlink => {
                let mut target = String::new();
                if let Err(e) = (&mut entry).take(4096).read_to_string(&mut target) {
                    problems.push(problem(format!(
                        "{at}: cannot read the link target: {e}: skipped"
                    )));
                    continue;
                }
                link = Some(target.into());
            }
            EntryKind::File => {
                // Zips made without unix modes: an ELF file is taken as executable
                // (Lambda runs `bootstrap` whatever the zip says).
                if unix.is_none() {
                    stat.mode = 0o755;
                }
                match memfs::capture(&path, &stat, &mut entry) {
                    Ok(c) => content = c,
                    Err(e) => problems.push(problem(format!("{at}: {e}"))),
                }
            }
            _ => {}
        }
        if let Err(e) = fs.insert(&path, stat, link, content) {
            return Err(ImageError::Malformed {
                file: label.to_owned(),
                entry: name,
                problem: e,
            });
        }
    }
    Ok((fs, problems))
}
