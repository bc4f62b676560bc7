//! Imports advisory feeds into a fresh vulnerability database in a temporary
//! directory and prints the read and import rates and what the database holds.
//!
//! ```text
//! cargo run --release -p rampart-hub --example vulndb_import [-- PATH...]
//! ```
//!
//! Without paths: the project's shared data (`../shared/data/{osv,debian-security-tracker,alpine-secdb}`
//! beside the repository). Then imports everything again (all unchanged) and times
//! `load_for` of every package name the database knows.

use std::path::PathBuf;
use std::time::Instant;

use rampart_hub::VulnStore;
use rampart_model::Timestamp;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if paths.is_empty() {
        let shared = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
        paths = ["osv", "debian-security-tracker", "alpine-secdb"]
            .iter()
            .map(|d| shared.join(d))
            .collect();
    }
    let dir = tempfile::tempdir()?;
    let mut store = VulnStore::open(&dir.path().join("vulndb.db"))?;
    let now = Timestamp::now_utc();

    for round in ["first import", "second import (unchanged)"] {
        let mut read_secs = 0.0;
        let mut import_secs = 0.0;
        let mut records = 0;
        let mut errors = 0;
        for path in &paths {
            let start = Instant::now();
            let imported = rampart_vuln::read_path(path);
            read_secs += start.elapsed().as_secs_f64();
            errors += imported.errors.len();
            for e in imported.errors.iter().take(20) {
                println!("  error: {e}");
            }
            let start = Instant::now();
            for batch in imported.batches {
                let n = batch.advisories.len();
                let stats = store.import(batch.advisories, batch.feed.as_str(), now)?;
                records += n;
                println!(
                    "  {:<24} {:>6} records: {} inserted, {} updated, {} unchanged, {} older",
                    batch.feed.as_str(),
                    n,
                    stats.inserted,
                    stats.updated,
                    stats.unchanged,
                    stats.older
                );
            }
            import_secs += start.elapsed().as_secs_f64();
        }
        println!(
            "{round}: {records} records ({errors} errors); read {:.2} s ({:.0} records/s), store {:.2} s ({:.0} records/s), total {:.0} records/s",
            read_secs,
            records as f64 / read_secs,
            import_secs,
            records as f64 / import_secs,
            records as f64 / (read_secs + import_secs)
        );
    }

    let meta = store.meta()?;
    println!(
        "database: {} advisories, schema {}, {} bytes",
        meta.advisories,
        meta.schema_version,
        std::fs::metadata(dir.path().join("vulndb.db"))?.len()
    );
    for s in &meta.sources {
        println!("  {:<24} {:>6} advisories", s.source, s.advisories);
    }

    // Every (ecosystem, package) the database knows, loaded back by pairs.
    let all = rampart_vuln::read_path(&paths[0]);
    let mut pairs: Vec<(String, String)> = all
        .batches
        .iter()
        .flat_map(|b| &b.advisories)
        .flat_map(|a| &a.affected)
        .filter_map(|e| e.package.as_ref())
        .map(|p| (p.ecosystem.clone(), p.name.clone()))
        .collect();
    pairs.sort();
    pairs.dedup();
    pairs.truncate(2_000);
    let start = Instant::now();
    let loaded = store.load_for(pairs.iter().map(|(e, n)| (e.as_str(), n.as_str())))?;
    println!(
        "load_for: {} (ecosystem, package) pairs -> {} advisories in {:.1} ms",
        pairs.len(),
        loaded.len(),
        start.elapsed().as_secs_f64() * 1e3
    );
    Ok(())
}
