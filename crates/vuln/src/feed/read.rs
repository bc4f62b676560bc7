//! Reading advisories from files and directories of any supported feed.

use std::path::{Path, PathBuf};

use super::{alpine, archive, debian};
use crate::db::ImportError;
use crate::osv::{self, Advisory, Format};

/// Where advisories come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Feed {
    /// OSV records: JSON or YAML files, or an OSV `all.zip` export.
    Osv,
    /// The Debian security tracker's DSA / DLA lists.
    DebianTracker,
    /// Alpine's secdb.
    AlpineSecdb,
}

impl Feed {
    /// The name a store records as the advisories' source.
    pub fn as_str(self) -> &'static str {
        match self {
            Feed::Osv => "osv",
            Feed::DebianTracker => "debian-security-tracker",
            Feed::AlpineSecdb => "alpine-secdb",
        }
    }
}

/// The advisories of one feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// Where they come from.
    pub feed: Feed,
    /// The advisories, in file order.
    pub advisories: Vec<Advisory>,
}

/// What [`read_path`] read.
#[derive(Debug, Default)]
pub struct Imported {
    /// One batch per feed found, in [`Feed`] order.
    pub batches: Vec<Batch>,
    /// The files, members and entries that could not be read; the rest was.
    pub errors: Vec<ImportError>,
    /// The number of files read.
    pub files: usize,
}

impl Imported {
    /// The number of advisories read.
    pub fn advisories(&self) -> usize {
        self.batches.iter().map(|b| b.advisories.len()).sum()
    }

    fn push(&mut self, feed: Feed, advisories: Vec<Advisory>) {
        match self.batches.iter_mut().find(|b| b.feed == feed) {
            Some(b) => b.advisories.extend(advisories),
            None => {
                self.batches.push(Batch { feed, advisories });
                self.batches.sort_by_key(|b| b.feed);
            }
        }
    }
}

/// What a file holds, from its name (and for JSON / YAML, its first bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Zip,
    DebianList,
    Document(Format),
}

fn kind(path: &Path) -> Option<Kind> {
    let ext = path.extension().and_then(|e| e.to_str());
    match ext {
        Some("zip") => return Some(Kind::Zip),
        Some("json") => return Some(Kind::Document(Format::Json)),
        Some("yaml" | "yml") => return Some(Kind::Document(Format::Yaml)),
        _ => {}
    }
    let parent = path
        .parent()
        .and_then(Path::file_name)
        .and_then(|n| n.to_str());
    let name = path.file_name().and_then(|n| n.to_str());
    (name == Some("list") && matches!(parent, Some("DSA" | "DLA" | "DTSA")))
        .then_some(Kind::DebianList)
}

/// Reads advisories from `path`: a file or, recursively and in path order, a
/// directory of OSV records (`.json`, `.yaml`, `.yml`), OSV `all.zip` exports, Debian
/// security tracker lists (`data/DSA/list`, `data/DLA/list`) and Alpine secdb
/// documents (`v3.x/main.yaml` or `.json`). In a directory other files are skipped; a
/// file given by name that is none of these is an error. Nothing here fails as a
/// whole: each file, archive member or entry that cannot be read is an error.
pub fn read_path(path: &Path) -> Imported {
    let mut imported = Imported::default();
    let mut files = Vec::new();
    if path.is_dir() {
        collect(path, &mut files, &mut imported.errors);
        files.sort_by(|a, b| a.0.cmp(&b.0));
    } else {
        match kind(path) {
            Some(k) => files.push((path.to_owned(), k)),
            None => imported.errors.push(ImportError::Unsupported {
                path: path.to_owned(),
            }),
        }
    }
    for (file, kind) in files {
        read_file(&file, kind, &mut imported);
    }
    imported
}

fn read_file(path: &Path, kind: Kind, imported: &mut Imported) {
    let io = |source| ImportError::Io {
        path: path.to_owned(),
        source,
    };
    let entry_errors = |errors: Vec<super::EntryError>| {
        errors.into_iter().map(|e| ImportError::Entry {
            path: path.to_owned(),
            location: e.location,
            message: e.message,
        })
    };
    imported.files += 1;
    match kind {
        Kind::Zip => {
            let file = match std::fs::File::open(path) {
                Ok(f) => f,
                Err(e) => return imported.errors.push(io(e)),
            };
            match archive::read_zip(std::io::BufReader::new(file)) {
                Ok((advisories, errors)) => {
                    imported.push(Feed::Osv, advisories);
                    imported.errors.extend(entry_errors(errors));
                }
                Err(source) => imported.errors.push(ImportError::Archive {
                    path: path.to_owned(),
                    source,
                }),
            }
        }
        Kind::DebianList => {
            let bytes = match std::fs::read(path) {
                Ok(b) => b,
                Err(e) => return imported.errors.push(io(e)),
            };
            let (advisories, errors) = debian::parse_list(&String::from_utf8_lossy(&bytes));
            imported.push(Feed::DebianTracker, advisories);
            imported.errors.extend(entry_errors(errors));
        }
        Kind::Document(format) => {
            let bytes = match std::fs::read(path) {
                Ok(b) => b,
                Err(e) => return imported.errors.push(io(e)),
            };
            if alpine::looks_like_secdb(&bytes) {
                let (advisories, errors) = alpine::parse_secdb(&bytes, format);
                imported.push(Feed::AlpineSecdb, advisories);
                imported.errors.extend(entry_errors(errors));
            } else {
                match osv::parse(&bytes, format) {
                    Ok(a) => imported.push(Feed::Osv, vec![a]),
                    Err(source) => imported.errors.push(ImportError::Parse {
                        path: path.to_owned(),
                        source,
                    }),
                }
            }
        }
    }
}

fn collect(dir: &Path, files: &mut Vec<(PathBuf, Kind)>, errors: &mut Vec<ImportError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(source) => {
            errors.push(ImportError::Io {
                path: dir.to_owned(),
                source,
            });
            return;
        }
    };
    for entry in entries {
        let path = match entry {
            Ok(e) => e.path(),
            Err(source) => {
                errors.push(ImportError::Io {
                    path: dir.to_owned(),
                    source,
                });
                continue;
            }
        };
        if path.is_dir() {
            collect(&path, files, errors);
        } else if let Some(k) = kind(&path) {
            files.push((path, k));
        }
    }
}
