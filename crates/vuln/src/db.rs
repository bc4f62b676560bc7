//! An in-memory advisory index and matching of package inventories against it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rampart_model::Severity;

use crate::cvss::{self, Cvss};
use crate::rating::{self, ScoredVector};
use crate::ecosystem::normalize_name;
use crate::matching::{affected, MatchedBy};
use crate::osv::{self, Advisory, Format, SeverityVector};

/// An installed package to match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// The OSV ecosystem (`Debian:12`, `PyPI`, ...).
    pub ecosystem: String,
    /// The package name.
    pub name: String,
    /// The installed version.
    pub version: String,
    /// The source package, for distributions whose advisories name source packages
    /// (Debian, Ubuntu): matching then uses it instead of `name` / `version`.
    pub source: Option<Source>,
}

/// A binary package's source package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The source package name.
    pub name: String,
    /// Its version (differs from the binary's after a binNMU).
    pub version: String,
}

/// One (package, advisory) pair that matched.
#[derive(Debug, Clone, PartialEq)]
pub struct VulnMatch {
    /// The index of the package in the slice given to [`Database::matches`].
    pub package: usize,
    /// The advisory id.
    pub advisory: String,
    /// Its aliases (CVE, GHSA ids).
    pub aliases: Vec<String>,
    /// Its summary.
    pub summary: Option<String>,
    /// The version that was matched (the source version when a source was given).
    pub installed: String,
    /// The version to upgrade to, if one is known.
    pub fixed: Option<String>,
    /// What matched.
    pub by: MatchedBy,
    /// The scored CVSS vector that rated the match (the advisory's own, or one of another
    /// record of the same vulnerability), else the best one found.
    pub cvss: Option<(String, Cvss)>,
    /// The record `cvss` comes from.
    pub cvss_source: Option<String>,
    /// The severity from the best real source (see [`crate::rating`]); `None` when no
    /// source rates it: unknown, never guessed.
    pub severity: Option<Severity>,
    /// How `severity` was decided, in words; empty when unknown.
    pub severity_source: String,
    /// The vendor's own rating word as written (`MODERATE`, `not yet assigned`).
    pub vendor_severity: Option<String>,
    /// The advisory's reference URLs.
    pub references: Vec<String>,
    /// When the advisory was published and last modified (RFC 3339, as given).
    pub published: Option<String>,
    pub modified: Option<String>,
    /// The kind of an informational advisory (`unmaintained`, `unsound`, `notice`): a
    /// warning about the package, not a vulnerability.
    pub informational: Option<String>,
}

/// A record that could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A file or directory could not be read.
    #[error("cannot read `{path}`: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A file is not a valid OSV record.
    #[error("`{path}`: {source}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The problem.
        source: osv::ParseError,
    },
    /// One entry of a file (a line of a Debian list, a package of an Alpine secdb, a
    /// member of a zip) could not be converted; the file's other entries were.
    #[error("`{path}`: {location}: {message}")]
    Entry {
        /// The file.
        path: PathBuf,
        /// Where in the file.
        location: crate::feed::Location,
        /// The problem.
        message: String,
    },
    /// A zip archive could not be read at all.
    #[error("`{path}`: {source}")]
    Archive {
        /// The archive.
        path: PathBuf,
        /// The problem.
        source: crate::feed::archive::ArchiveError,
    },
    /// A file given by name is of no supported kind.
    #[error("`{path}`: not an OSV record (.json, .yaml), OSV export (.zip), Debian tracker list (DSA/list, DLA/list) or Alpine secdb; pass one of those or a directory")]
    Unsupported {
        /// The file.
        path: PathBuf,
    },
}

struct Entry {
    advisory: Advisory,
    cvss: Option<(String, Cvss)>,
}

/// A CVSS vector of a record, found under one of the record's ids.
#[derive(Debug, Clone)]
struct Vector {
    record: String,
    vector: String,
    cvss: Cvss,
}

/// Advisories indexed by (ecosystem, normalized package name), and the CVSS vectors of
/// every record known, by each of its ids (its own and its aliases), to rate advisories
/// that have none (see [`crate::rating`]).
#[derive(Default)]
pub struct Database {
    entries: Vec<Entry>,
    by_id: HashMap<String, usize>,
    index: HashMap<(String, String), Vec<usize>>,
    vectors: HashMap<String, Vec<Vector>>,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database")
            .field("advisories", &self.len())
            .finish()
    }
}

/// The most useful scored vector of an advisory: a v3 score before a v4 one (v3 is
/// what NVD and most feeds rank by, so severities stay comparable across sources),
/// then the record's own before the affected entries'.
pub fn best_cvss(advisory: &Advisory) -> Option<(String, Cvss)> {
    let vectors = advisory
        .severity
        .iter()
        .chain(advisory.affected.iter().flat_map(|a| a.severity.iter()));
    let scored = vectors.filter_map(|SeverityVector { kind, score }| {
        if kind == "CVSS_V3" || kind == "CVSS_V4" {
            cvss::base_score(score).ok().map(|c| (score.clone(), c))
        } else {
            None
        }
    });
    scored.min_by_key(|(_, c)| c.version == cvss::Version::V4_0)
}

impl Database {
    /// Builds a database from records; a later record with the same id replaces an
    /// earlier one.
    pub fn from_records(records: impl IntoIterator<Item = Advisory>) -> Self {
        let mut db = Database::default();
        for r in records {
            db.insert(r);
        }
        db
    }

    /// Reads every `.json`, `.yaml` and `.yml` file under `dir` (recursively, in path
    /// order) as one OSV record. Files that cannot be read or parsed are reported, the
    /// others imported.
    pub fn from_osv_dir(dir: &Path) -> (Self, Vec<ImportError>) {
        let mut files = Vec::new();
        let mut errors = Vec::new();
        collect_files(dir, &mut files, &mut errors);
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let mut db = Database::default();
        for (path, format) in files {
            match std::fs::read(&path) {
                Err(source) => errors.push(ImportError::Io { path, source }),
                Ok(bytes) => match osv::parse(&bytes, format) {
                    Ok(advisory) => db.insert(advisory),
                    Err(source) => errors.push(ImportError::Parse { path, source }),
                },
            }
        }
        (db, errors)
    }

    /// Adds or replaces a record.
    pub fn insert(&mut self, advisory: Advisory) {
        if advisory.withdrawn.is_some() {
            // Never matches; keep it out of the index.
            return;
        }
        let slot = match self.by_id.get(&advisory.id) {
            Some(&k) => {
                let old = &self.entries[k].advisory;
                for pkg in old.affected.iter().filter_map(|a| a.package.as_ref()) {
                    let key = (
                        pkg.ecosystem.clone(),
                        normalize_name(&pkg.ecosystem, &pkg.name),
                    );
                    if let Some(list) = self.index.get_mut(&key) {
                        list.retain(|&x| x != k);
                    }
                }
                k
            }
            None => {
                self.entries.push(Entry {
                    advisory: advisory.clone(),
                    cvss: None,
                });
                self.by_id
                    .insert(advisory.id.clone(), self.entries.len() - 1);
                self.entries.len() - 1
            }
        };
        for pkg in advisory.affected.iter().filter_map(|a| a.package.as_ref()) {
            let key = (
                pkg.ecosystem.clone(),
                normalize_name(&pkg.ecosystem, &pkg.name),
            );
            let list = self.index.entry(key).or_default();
            if list.last() != Some(&slot) {
                list.push(slot);
            }
        }
        let cvss = best_cvss(&advisory);
        self.forget_vectors(&self.entries[slot].advisory.clone());
        self.remember_vectors(&advisory, cvss.as_ref());
        self.entries[slot] = Entry { advisory, cvss };
    }

    /// Adds a record that only rates others: another source's record of a vulnerability
    /// that a matched advisory names as an alias (a CVE record with its CVSS, a GHSA). It
    /// matches no package. A record already present by id is left as it is.
    pub fn add_related(&mut self, advisory: &Advisory) {
        if advisory.withdrawn.is_some() || self.by_id.contains_key(&advisory.id) {
            return;
        }
        let cvss = best_cvss(advisory);
        self.forget_vectors(advisory);
        self.remember_vectors(advisory, cvss.as_ref());
    }

    fn remember_vectors(&mut self, advisory: &Advisory, cvss: Option<&(String, Cvss)>) {
        let Some((vector, cvss)) = cvss else { return };
        for id in std::iter::once(&advisory.id).chain(&advisory.aliases) {
            self.vectors.entry(id.clone()).or_default().push(Vector {
                record: advisory.id.clone(),
                vector: vector.clone(),
                cvss: *cvss,
            });
        }
    }

    fn forget_vectors(&mut self, advisory: &Advisory) {
        for id in std::iter::once(&advisory.id).chain(&advisory.aliases) {
            if let Some(list) = self.vectors.get_mut(id) {
                list.retain(|v| v.record != advisory.id);
            }
        }
    }

    /// The vectors of the other records of `advisory`'s vulnerabilities, in alias order,
    /// one per record.
    fn related_vectors(&self, advisory: &Advisory) -> Vec<ScoredVector> {
        let mut out: Vec<ScoredVector> = Vec::new();
        for id in std::iter::once(&advisory.id).chain(&advisory.aliases) {
            for v in self.vectors.get(id).into_iter().flatten() {
                if v.record != advisory.id && !out.iter().any(|o| o.record == v.record) {
                    out.push(ScoredVector {
                        vector: v.vector.clone(),
                        cvss: v.cvss,
                        record: v.record.clone(),
                    });
                }
            }
        }
        out
    }

    /// The number of advisories.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the database has no advisories.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// A record by id.
    pub fn get(&self, id: &str) -> Option<&Advisory> {
        self.by_id.get(id).map(|&k| &self.entries[k].advisory)
    }

    /// Every (package, advisory) match, ordered by package index then advisory id.
    pub fn matches(&self, packages: &[Package]) -> Vec<VulnMatch> {
        let mut out = Vec::new();
        for (k, pkg) in packages.iter().enumerate() {
            let (name, version) = match &pkg.source {
                Some(s) => (s.name.as_str(), s.version.as_str()),
                None => (pkg.name.as_str(), pkg.version.as_str()),
            };
            let key = (pkg.ecosystem.clone(), normalize_name(&pkg.ecosystem, name));
            let Some(candidates) = self.index.get(&key) else {
                continue;
            };
            let start = out.len();
            for &slot in candidates {
                let entry = &self.entries[slot];
                if let Some(m) = affected(&entry.advisory, &pkg.ecosystem, name, version) {
                    let a = &entry.advisory;
                    let normalized = normalize_name(&pkg.ecosystem, name);
                    let matched_entry = a.affected.iter().find(|e| {
                        e.package.as_ref().is_some_and(|p| {
                            p.ecosystem == pkg.ecosystem
                                && normalize_name(&p.ecosystem, &p.name) == normalized
                        })
                    });
                    let rating = rating::rate(
                        a,
                        matched_entry,
                        entry.cvss.as_ref(),
                        &self.related_vectors(a),
                    );
                    out.push(VulnMatch {
                        package: k,
                        advisory: a.id.clone(),
                        aliases: a.aliases.clone(),
                        summary: a.summary.clone(),
                        installed: version.to_owned(),
                        fixed: m.fixed,
                        by: m.by,
                        cvss: rating.cvss.as_ref().map(|v| (v.vector.clone(), v.cvss)),
                        cvss_source: rating.cvss.map(|v| v.record),
                        severity: rating.severity,
                        severity_source: rating.source,
                        vendor_severity: rating.vendor_severity,
                        references: a.references.iter().map(|r| r.url.clone()).collect(),
                        published: a.published.clone(),
                        modified: a.modified.clone(),
                        informational: a.informational().map(str::to_owned),
                    });
                }
            }
            out[start..].sort_by(|a, b| a.advisory.cmp(&b.advisory));
        }
        out
    }
}

fn collect_files(dir: &Path, files: &mut Vec<(PathBuf, Format)>, errors: &mut Vec<ImportError>) {
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
            collect_files(&path, files, errors);
            continue;
        }
        let format = match path.extension().and_then(|e| e.to_str()) {
            Some("json") => Format::Json,
            Some("yaml" | "yml") => Format::Yaml,
            _ => continue,
        };
        files.push((path, format));
    }
}
