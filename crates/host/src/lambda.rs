//! Function deployment packages (AWS Lambda `.zip`s and layer zips): the zip's
//! entries become an [`ImageFs`] rooted at the zip's root (what Lambda unpacks at
//! `/var/task`, or `/opt` for a layer), and [`scan`] collects its packages through
//! the same walk as a host: Python `*.dist-info` / `*.egg-info` (at the root or in
//! the `python/` layer layout), `node_modules/*/package.json` and
//! `package-lock.json`, `Cargo.lock`, and Go build info of ELF executables (the
//! `bootstrap` of a custom runtime). Nothing is extracted to disk.
//!
//! **Bounds** (zip bombs): only the members the collectors read are decompressed
//! ([`memfs::wanted`]), each up to its size cap and never past the size its entry
//! declares; at most [`memfs::MAX_ENTRIES`] entries and [`memfs::MAX_KEPT`] kept
//! bytes. Nested archives (jars, inner zips) are not expanded. Names with `..` or
//! absolute names are refused; symbolic links resolve inside the package.
//!
//! **Identity:** a package is its zip's sha256, as AWS reports it in a function's
//! `CodeSha256` (base64 of the digest), whatever path it was read from.

use std::io::{Read, Seek};
use std::path::Path;

use base64::Engine as _;

use time::OffsetDateTime;

use crate::digest::Digest;
use crate::image::ImageError;
use crate::memfs::{self, Budget, ImageFs, Kept};
use crate::root::{EntryKind, Root, Stat};
use crate::telemetry::{Problem, Telemetry};
use crate::Options;

/// `S_IFMT` and the link type in a zip entry's unix mode.
const S_IFMT: u32 = 0o170000;
const S_IFLNK: u32 = 0o120000;

/// A deployment package read whole: its tree, identity and what was odd in it.
#[derive(Debug)]
pub struct Package {
    pub fs: ImageFs,
    /// The zip's sha256 as AWS Lambda's `CodeSha256` gives it (base64).
    pub code_sha256: String,
    /// Entries skipped or files not read (over a size cap), each naming the entry.
    pub problems: Vec<Problem>,
}

impl Package {
    /// The telemetry's root (and so the finding's resource id): `lambda:<CodeSha256>`.
    pub fn label(&self) -> String {
        format!("lambda:{}", self.code_sha256)
    }
}

/// Reads the deployment package at `path`.
pub fn read_zip(path: &Path) -> Result<Package, ImageError> {
    let io = |cause| ImageError::Io {
        path: path.to_path_buf(),
        cause,
    };
    // The digest first, in one streaming pass (the zip reader seeks, so it cannot
    // hash as it goes).
    let mut hasher = Digest::sha256_of(b"").hasher();
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    let file = std::fs::File::open(path).map_err(io)?;
    let (fs, problems) = read_from(std::io::BufReader::new(file), &path.display().to_string())?;
    Ok(Package {
        fs,
        code_sha256: code_sha256(&hasher.finish()),
        problems,
    })
}

/// [`read_zip`] over the bytes of a zip named `name` (for messages).
pub fn read_zip_bytes(name: &str, bytes: &[u8]) -> Result<Package, ImageError> {
    let (fs, problems) = read_from(std::io::Cursor::new(bytes), name)?;
    Ok(Package {
        fs,
        code_sha256: code_sha256(&Digest::sha256_of(bytes)),
        problems,
    })
}

/// Lambda's `CodeSha256`: the base64 (RFC 4648, padded) of the zip's sha256.
fn code_sha256(digest: &Digest) -> String {
    let hex = digest.hex();
    let bytes: Vec<u8> = (0..hex.len() / 2)
        .filter_map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
        .collect();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Reads the package at `path` and collects its packages; every other section is
/// `Unknown(`[`crate::NOT_FUNCTION`]`)`. The telemetry's root is [`Package::label`];
/// the zip's problems come first.
pub fn scan(path: &Path, now: OffsetDateTime, options: &Options) -> Result<Telemetry, ImageError> {
    let package = read_zip(path)?;
    let label = package.label();
    let mut t = crate::collect_root(&Root::function(package.fs, label), now, options);
    let mut problems = package.problems;
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
    let limit = |entry: &str, problem: String| ImageError::Limit {
        file: label.to_owned(),
        entry: entry.to_owned(),
        problem,
    };
    if zip.len() > memfs::MAX_ENTRIES {
        return Err(limit(
            "(central directory)",
            format!(
                "{} entries is more than {}: refused as a zip bomb",
                zip.len(),
                memfs::MAX_ENTRIES
            ),
        ));
    }
    let mut budget = Budget::default();
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
        let mut skipped = None;
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
                match memfs::capture_member(&path, &stat, &mut entry, &mut budget) {
                    Ok(Kept::Nothing) => {}
                    Ok(Kept::Content(c)) => content = Some(c),
                    Ok(Kept::Skipped(why)) => {
                        problems.push(problem(format!("{at}: {why}")));
                        skipped = Some(why);
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::OutOfMemory => {
                        return Err(limit(&name, e.to_string()))
                    }
                    // A member that cannot be decompressed, or holds more than it
                    // declares: the package is damaged or a bomb; not a partial answer.
                    Err(e) => {
                        return Err(ImageError::Malformed {
                            file: label.to_owned(),
                            entry: name,
                            problem: e.to_string(),
                        })
                    }
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
        if let Some(why) = skipped {
            fs.mark_skipped(&path, &why);
        }
    }
    Ok((fs, problems))
}
