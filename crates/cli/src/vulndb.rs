//! `rampart vulndb`: import advisories, download OSV's exports, and report what the
//! database holds — in sentences, not the store's types.

use crate::cli::VulndbAction;
use anyhow::{bail, Result};
use rampart_hub::{ImportStats, VulnMeta, VulnStore};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// `--vulndb`, a SQLite file (never a `postgres://` URL: refused before anything is read).
fn db_path(db: Option<PathBuf>) -> Result<PathBuf> {
    let path = db.unwrap_or_else(VulnStore::default_path);
    rampart_app::db::vulndb_file(&path)?;
    Ok(path)
}

pub fn main(action: VulndbAction) -> Result<ExitCode> {
    match action {
        VulndbAction::Import { paths, db } => {
            let path = db_path(db)?;
            // Each path is read before the database is opened: paths with nothing
            // importable create no database. One path at a time: an export can be large.
            let mut store: Option<VulnStore> = None;
            let now = time::OffsetDateTime::now_utc();
            let (mut bad, mut read) = (0, 0);
            let progress = crate::progress::Progress::on_stderr();
            for p in &paths {
                progress.show(format_args!("reading {}", p.display()));
                let imported = rampart_vuln::read_path(p);
                progress.clear();
                for e in &imported.errors {
                    eprintln!("warning: {e}");
                }
                bad += imported.errors.len();
                let mut stats = ImportStats::default();
                for batch in imported.batches {
                    if store.is_none() {
                        store = Some(crate::hints::write_vulndb(&path)?);
                    }
                    if let Some(store) = store.as_mut() {
                        progress.show(format_args!("importing {}: {} advisories", p.display(), crate::progress::thousands(batch.advisories.len() as u64)));
                        stats += store.import(batch.advisories, batch.feed.as_str(), now)?;
                        progress.clear();
                    }
                }
                read += stats.read;
                eprintln!("{}: {}", p.display(), describe(&stats));
            }
            let Some(store) = store.filter(|_| read > 0) else {
                let what = if bad > 0 { format!("{bad} record(s) could not be read (listed above) and nothing else was found") } else { "nothing importable was found".to_string() };
                bail!(
                    "{what} in {}: give OSV JSON/YAML files or folders, OSV `all.zip` exports, the Debian security tracker's DSA/DLA lists or Alpine secdb files",
                    paths.iter().map(|p| format!("`{}`", crate::hints::shown(&p.display().to_string()))).collect::<Vec<_>>().join(", ")
                );
            };
            let meta = store.meta()?;
            eprintln!("{}: {} advisories", path.display(), meta.advisories);
            if bad > 0 {
                eprintln!("{bad} record(s) could not be read and were skipped (listed above); everything else was imported");
            }
            Ok(ExitCode::SUCCESS)
        }
        VulndbAction::Update { ecosystems, mirror, db } => {
            let path = db_path(db)?;
            let mut store = crate::hints::write_vulndb(&path)?;
            let ecosystems: Vec<String> = if ecosystems.is_empty() {
                crate::vulndb_update::DEFAULT_ECOSYSTEMS.iter().map(|e| e.to_string()).collect()
            } else {
                ecosystems
            };
            let failed = crate::vulndb_update::update(&mut store, &path, &mirror, &ecosystems)?;
            let meta = store.meta()?;
            eprintln!("{}: {} advisories", path.display(), meta.advisories);
            if failed > 0 {
                bail!("{failed} of {} ecosystem export(s) could not be downloaded (listed above); the others were imported", ecosystems.len());
            }
            Ok(ExitCode::SUCCESS)
        }
        VulndbAction::Status { db } => {
            let path = db_path(db)?;
            let store = crate::hints::read_vulndb(&path)?;
            let mut out = std::io::stdout().lock();
            write_status(&mut out, &path.display().to_string(), &store.meta()?)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// One import in words: `1234 records read: 1200 new, 30 updated, 4 unchanged`.
pub fn describe(s: &ImportStats) -> String {
    let mut parts = vec![format!("{} new", s.inserted), format!("{} updated", s.updated), format!("{} unchanged", s.unchanged)];
    if s.older > 0 {
        parts.push(format!("{} skipped (the database holds a newer version)", s.older));
    }
    format!("{} record(s) read: {}", s.read, parts.join(", "))
}

fn write_status(out: &mut dyn Write, path: &str, meta: &VulnMeta) -> std::io::Result<()> {
    let when = meta.imported_at.map_or_else(|| "never imported".to_string(), |t| format!("last import {}", rampart_model::rfc3339(t)));
    writeln!(out, "{path}: {} advisories, {when} (schema {})", meta.advisories, meta.schema_version)?;
    for s in &meta.sources {
        writeln!(
            out,
            "  {:<26} {:>8} advisories, imported {} ({})",
            s.source,
            s.advisories,
            rampart_model::rfc3339(s.imported_at),
            describe(&s.last_import)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_is_sentences_not_debug_output() {
        let t = time::macros::datetime!(2026-03-01 08:00:00 UTC);
        let meta = VulnMeta {
            schema_version: 3,
            imported_at: Some(t),
            advisories: 42,
            sources: vec![rampart_hub::SourceMeta {
                source: "osv".into(),
                imported_at: t,
                last_import: ImportStats { read: 40, inserted: 38, updated: 1, unchanged: 1, older: 0 },
                advisories: 42,
            }],
        };
        let mut out = Vec::new();
        write_status(&mut out, "/v.db", &meta).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "/v.db: 42 advisories, last import 2026-03-01T08:00:00Z (schema 3)\n  osv                              42 advisories, imported 2026-03-01T08:00:00Z (40 record(s) read: 38 new, 1 updated, 1 unchanged)\n"
        );
        assert!(!text.contains('{') && !text.contains("VulnMeta"));
    }
}
