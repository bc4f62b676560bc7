//! The vulnerability database: OSV advisories (from any feed `rampart_vuln` reads)
//! kept in SQLite, indexed by (ecosystem, normalized package name) so that matching a
//! host loads only the advisories about its packages.
//!
//! By default it is a file of its own, `$RAMPART_VULNDB` or
//! `<data dir>/rampart/vulndb.db`: it is replaced wholesale now and then, and is
//! large, while the findings store is precious and small. It holds only the `vulndb`
//! store (see `schema/vulndb.rs`); a file can hold it beside the findings store, so
//! pointing both at one file also works.
//!
//! Each advisory is stored as its OSV JSON plus the columns queries need; the
//! affected entries are rows of their own. An import is one transaction that upserts
//! by id and keeps the record with the newest `modified` (a record without one is
//! older than any with one; on a tie the imported one wins, so re-importing corrected
//! data of the same date takes effect).

use crate::error::{sql, StoreError};
use crate::{codec, schema};
use rampart_model::Timestamp;
use rampart_vuln::ecosystem::normalize_name;
use rampart_vuln::{Advisory, ImportError, Package};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use time::format_description::well_known::Rfc3339;

/// A vulnerability database: one SQLite file (or memory) holding the `vulndb` store,
/// migrated to its latest schema.
pub struct VulnStore {
    conn: Connection,
    path: PathBuf,
    version: u32,
}

/// What one import did. Every record read is counted in exactly one of `inserted`,
/// `updated`, `unchanged` and `older`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportStats {
    /// Records read.
    pub read: usize,
    /// New ids.
    pub inserted: usize,
    /// Known ids whose record changed (same or newer `modified`).
    pub updated: usize,
    /// Known ids whose record is the same.
    pub unchanged: usize,
    /// Known ids skipped because the store holds a newer `modified`.
    pub older: usize,
}

impl std::ops::AddAssign for ImportStats {
    fn add_assign(&mut self, o: Self) {
        self.read += o.read;
        self.inserted += o.inserted;
        self.updated += o.updated;
        self.unchanged += o.unchanged;
        self.older += o.older;
    }
}

/// The last import of one source.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceMeta {
    /// The feed (`osv`, `debian-security-tracker`, `alpine-secdb`, or what the caller
    /// named it).
    pub source: String,
    /// When it was last imported.
    pub imported_at: Timestamp,
    /// What that import did.
    pub last_import: ImportStats,
    /// The advisories of this source the store holds now.
    pub advisories: usize,
}

/// What the database holds.
#[derive(Debug, Clone, PartialEq)]
pub struct VulnMeta {
    /// The schema version of the file.
    pub schema_version: u32,
    /// The newest import of any source; `None` for an empty database.
    pub imported_at: Option<Timestamp>,
    /// All advisories, withdrawn ones included.
    pub advisories: usize,
    /// Per source, by name.
    pub sources: Vec<SourceMeta>,
}

impl VulnStore {
    /// `$RAMPART_VULNDB` if set, otherwise `<data dir>/rampart/vulndb.db`
    /// (`~/.local/share/rampart/vulndb.db` on Linux), or `vulndb.db` in the current
    /// directory when the platform has no data directory.
    pub fn default_path() -> PathBuf {
        schema::default_path("RAMPART_VULNDB", "vulndb.db")
    }

    /// Opens the database at `path`, creating it and its parent directory if missing,
    /// and migrates it to the latest schema.
    pub fn open(path: &Path) -> Result<VulnStore, StoreError> {
        let (conn, path, versions) = schema::open(Some(path), schema::Mode::Create, schema::VULNDB)?;
        Ok(VulnStore { conn, path, version: versions.first().map_or(0, |(_, v)| *v) })
    }

    /// Opens an existing database read-only, creating nothing: for reporting what it
    /// holds and matching against it. See [`crate::Store::open_read_only`].
    pub fn open_read_only(path: &Path) -> Result<VulnStore, StoreError> {
        let (conn, path, versions) = schema::open(Some(path), schema::Mode::ReadOnly, schema::VULNDB)?;
        Ok(VulnStore { conn, path, version: versions.first().map_or(0, |(_, v)| *v) })
    }

    /// A database that lives as long as the value: for tests and one-shot scans.
    pub fn open_in_memory() -> Result<VulnStore, StoreError> {
        let (conn, path, versions) = schema::open(None, schema::Mode::Create, schema::VULNDB)?;
        Ok(VulnStore { conn, path, version: versions.first().map_or(0, |(_, v)| *v) })
    }

    /// Where the database lives (`:memory:` for an in-memory one).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the `vulndb` store.
    pub fn schema_version(&self) -> u32 {
        self.version
    }

    /// Imports advisories from `source` in one transaction: upserts by id, keeping the
    /// newest `modified` (see the module documentation), and records the import in the
    /// source's metadata. On error nothing is stored.
    pub fn import(
        &mut self,
        advisories: impl IntoIterator<Item = Advisory>,
        source: &str,
        now: Timestamp,
    ) -> Result<ImportStats, StoreError> {
        let path = self.path.as_path();
        let err = sql(path);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(&err)?;
        let mut stats = ImportStats::default();
        {
            let mut existing = tx
                .prepare("SELECT modified, source, record FROM vuln_advisories WHERE id = ?1")
                .map_err(&err)?;
            let mut upsert = tx
                .prepare(
                    "INSERT INTO vuln_advisories
                        (id, modified, withdrawn, aliases, summary, severity, cvss_score, source, record)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                     ON CONFLICT (id) DO UPDATE SET modified = ?2, withdrawn = ?3, aliases = ?4,
                        summary = ?5, severity = ?6, cvss_score = ?7, source = ?8, record = ?9",
                )
                .map_err(&err)?;
            let mut clear = tx
                .prepare("DELETE FROM vuln_affected WHERE advisory_id = ?1")
                .map_err(&err)?;
            let mut clear_aliases = tx
                .prepare("DELETE FROM vuln_aliases WHERE advisory_id = ?1")
                .map_err(&err)?;
            let mut alias = tx
                .prepare("INSERT OR IGNORE INTO vuln_aliases (alias, advisory_id) VALUES (?1, ?2)")
                .map_err(&err)?;
            let mut affected = tx
                .prepare(
                    "INSERT INTO vuln_affected (advisory_id, seq, ecosystem, package, ranges, versions)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .map_err(&err)?;
            for advisory in advisories {
                stats.read += 1;
                let record = to_json(&advisory);
                let known: Option<(Option<String>, String, String)> = existing
                    .query_row([&advisory.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                    .optional()
                    .map_err(&err)?;
                if let Some((modified, old_source, old_record)) = &known {
                    if compare_modified(modified.as_deref(), advisory.modified.as_deref())
                        == Ordering::Greater
                    {
                        stats.older += 1;
                        continue;
                    }
                    if *old_record == record && old_source == source {
                        stats.unchanged += 1;
                        continue;
                    }
                    clear.execute([&advisory.id]).map_err(&err)?;
                    clear_aliases.execute([&advisory.id]).map_err(&err)?;
                    stats.updated += 1;
                } else {
                    stats.inserted += 1;
                }
                let cvss = rampart_vuln::best_cvss(&advisory).map(|(_, c)| c.score);
                let severity = cvss.map(|s| rampart_vuln::cvss::severity(s).label());
                upsert
                    .execute(params![
                        advisory.id,
                        advisory.modified,
                        advisory.withdrawn,
                        codec::strings_to_json(&advisory.aliases),
                        advisory.summary,
                        severity,
                        cvss,
                        source,
                        record,
                    ])
                    .map_err(&err)?;
                for a in &advisory.aliases {
                    alias.execute(params![a, advisory.id]).map_err(&err)?;
                }
                let entries = advisory
                    .affected
                    .iter()
                    .filter_map(|a| Some((a.package.as_ref()?, a)));
                for (seq, (pkg, entry)) in entries.enumerate() {
                    affected
                        .execute(params![
                            advisory.id,
                            seq as i64,
                            pkg.ecosystem,
                            normalize_name(&pkg.ecosystem, &pkg.name),
                            to_json(&entry.ranges),
                            codec::strings_to_json(&entry.versions),
                        ])
                        .map_err(&err)?;
                }
            }
        }
        tx.execute(
            "INSERT INTO vulndb_meta (source, imported_at, read, inserted, updated, unchanged, older, advisories)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0)
             ON CONFLICT (source) DO UPDATE SET imported_at = ?2, read = ?3, inserted = ?4,
                updated = ?5, unchanged = ?6, older = ?7",
            params![
                source,
                codec::time_to_text(now),
                stats.read as i64,
                stats.inserted as i64,
                stats.updated as i64,
                stats.unchanged as i64,
                stats.older as i64,
            ],
        )
        .map_err(&err)?;
        // A record may have moved from one source to another: recount them all.
        tx.execute(
            "UPDATE vulndb_meta SET advisories =
                (SELECT count(*) FROM vuln_advisories a WHERE a.source = vulndb_meta.source)",
            [],
        )
        .map_err(&err)?;
        tx.commit().map_err(&err)?;
        tracing::debug!(
            source,
            read = stats.read,
            inserted = stats.inserted,
            updated = stats.updated,
            "imported advisories"
        );
        Ok(stats)
    }

    /// Reads advisories from `path` (see [`rampart_vuln::read_path`]: OSV files and
    /// directories, OSV `all.zip` exports, Debian tracker lists, Alpine secdb) and
    /// imports each feed found as its source. Returns the summed statistics and what
    /// could not be read; an `Err` only when the database fails.
    pub fn import_path(
        &mut self,
        path: &Path,
        now: Timestamp,
    ) -> Result<(ImportStats, Vec<ImportError>), StoreError> {
        let imported = rampart_vuln::read_path(path);
        let mut stats = ImportStats::default();
        for batch in imported.batches {
            stats += self.import(batch.advisories, batch.feed.as_str(), now)?;
        }
        Ok((stats, imported.errors))
    }

    /// The advisories, withdrawn ones excepted, with an affected entry for one of the
    /// `(ecosystem, package name)` pairs (names compare after normalization), by id.
    pub fn load_for<'a>(
        &self,
        packages: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Vec<Advisory>, StoreError> {
        let path = self.path.as_path();
        let err = sql(path);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT a.id, a.record FROM vuln_affected f JOIN vuln_advisories a ON a.id = f.advisory_id
                 WHERE f.ecosystem = ?1 AND f.package = ?2 AND a.withdrawn IS NULL",
            )
            .map_err(&err)?;
        let mut found: BTreeMap<String, Advisory> = BTreeMap::new();
        for (ecosystem, name) in packages {
            let name = normalize_name(ecosystem, name);
            let mut rows = stmt.query(params![ecosystem, name]).map_err(&err)?;
            while let Some(row) = rows.next().map_err(&err)? {
                let id: String = row.get(0).map_err(&err)?;
                if found.contains_key(&id) {
                    continue;
                }
                let record: String = row.get(1).map_err(&err)?;
                let advisory = serde_json::from_str(&record).map_err(|_| StoreError::Corrupt {
                    path: path.to_path_buf(),
                    what: "advisory record",
                    value: id.clone(),
                })?;
                found.insert(id, advisory);
            }
        }
        Ok(found.into_values().collect())
    }

    /// [`VulnStore::load_for`] the packages a scan found, by the name matching uses:
    /// the source package when there is one. Then
    /// `rampart_vuln::Database::from_records(advisories).matches(packages)`.
    pub fn load_for_packages(&self, packages: &[Package]) -> Result<Vec<Advisory>, StoreError> {
        self.load_for(packages.iter().map(|p| {
            let name = p
                .source
                .as_ref()
                .map_or(p.name.as_str(), |s| s.name.as_str());
            (p.ecosystem.as_str(), name)
        }))
    }

    /// The advisories, withdrawn ones excepted, that are one of `ids` or name one of
    /// them as an alias: other sources' records of the vulnerabilities a matched
    /// advisory names, whose CVSS can rate it (see `rampart_vuln::rating`). By id.
    pub fn load_related<'a>(&self, ids: impl IntoIterator<Item = &'a str>) -> Result<Vec<Advisory>, StoreError> {
        let path = self.path.as_path();
        let err = sql(path);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, record FROM vuln_advisories WHERE id = ?1 AND withdrawn IS NULL
                 UNION
                 SELECT a.id, a.record FROM vuln_aliases x JOIN vuln_advisories a ON a.id = x.advisory_id
                 WHERE x.alias = ?1 AND a.withdrawn IS NULL",
            )
            .map_err(&err)?;
        let mut found: BTreeMap<String, Advisory> = BTreeMap::new();
        for id in ids {
            let mut rows = stmt.query([id]).map_err(&err)?;
            while let Some(row) = rows.next().map_err(&err)? {
                let id: String = row.get(0).map_err(&err)?;
                if found.contains_key(&id) {
                    continue;
                }
                let record: String = row.get(1).map_err(&err)?;
                let advisory = serde_json::from_str(&record).map_err(|_| StoreError::Corrupt {
                    path: path.to_path_buf(),
                    what: "advisory record",
                    value: id.clone(),
                })?;
                found.insert(id, advisory);
            }
        }
        Ok(found.into_values().collect())
    }

    /// The in-memory database that matches `packages`: the advisories about them, and
    /// every other record of the vulnerabilities those advisories name (by id and alias),
    /// which rates the ones without a CVSS of their own. Then `.matches(packages)`.
    pub fn database_for(&self, packages: &[Package]) -> Result<rampart_vuln::Database, StoreError> {
        let advisories = self.load_for_packages(packages)?;
        let ids: std::collections::BTreeSet<&str> = advisories
            .iter()
            .flat_map(|a| std::iter::once(&a.id).chain(&a.aliases))
            .map(String::as_str)
            .collect();
        let related = self.load_related(ids)?;
        let mut db = rampart_vuln::Database::from_records(advisories);
        for r in &related {
            db.add_related(r);
        }
        Ok(db)
    }

    /// What the database holds and when each source was imported.
    pub fn meta(&self) -> Result<VulnMeta, StoreError> {
        let path = self.path.as_path();
        let err = sql(path);
        let advisories: i64 = self
            .conn
            .query_row("SELECT count(*) FROM vuln_advisories", [], |r| r.get(0))
            .map_err(&err)?;
        let mut stmt = self
            .conn
            .prepare(
                "SELECT source, imported_at, read, inserted, updated, unchanged, older, advisories
                 FROM vulndb_meta ORDER BY source",
            )
            .map_err(&err)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    [
                        r.get::<_, i64>(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                    ],
                ))
            })
            .map_err(&err)?;
        let count = |n: i64| usize::try_from(n).unwrap_or(0);
        let mut sources = Vec::new();
        for row in rows {
            let (source, imported_at, [read, inserted, updated, unchanged, older, held]) =
                row.map_err(&err)?;
            let imported_at = codec::time_from_text(&imported_at).map_err(|(what, value)| {
                StoreError::Corrupt {
                    path: path.to_path_buf(),
                    what,
                    value,
                }
            })?;
            sources.push(SourceMeta {
                source,
                imported_at,
                last_import: ImportStats {
                    read: count(read),
                    inserted: count(inserted),
                    updated: count(updated),
                    unchanged: count(unchanged),
                    older: count(older),
                },
                advisories: count(held),
            });
        }
        Ok(VulnMeta {
            schema_version: self.version,
            imported_at: sources.iter().map(|s| s.imported_at).max(),
            advisories: count(advisories),
            sources,
        })
    }
}

fn to_json<T: serde::Serialize>(v: &T) -> String {
    // Invariant: OSV model values are strings, lists, options and fieldless enums,
    // which always serialize to JSON.
    serde_json::to_string(v).expect("an OSV value serializes")
}

/// Orders two `modified` values: parsed as RFC 3339 when both parse, else as text; no
/// value is older than any.
fn compare_modified(a: Option<&str>, b: Option<&str>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(a), Some(b)) => {
            match (Timestamp::parse(a, &Rfc3339), Timestamp::parse(b, &Rfc3339)) {
                (Ok(x), Ok(y)) => x.cmp(&y),
                _ => a.cmp(b),
            }
        }
    }
}
