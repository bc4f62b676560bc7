//! Matching benchmark: a 2,000-package inventory against >= 100,000 advisories.
//!
//! `cargo bench -p rampart-vuln --bench match` (release build). The advisories are the
//! real records in `testdata/osv`, each cloned under many synthetic package names
//! (renamed, ranges kept) to reach the size of a full OSV export; the inventory names
//! packages that exist in the database, at versions in and out of the ranges.
//! Prints the import rate (parsing the slice from disk, then indexing the clones) and
//! the warm match time (best and median of 20 runs).

use std::path::Path;
use std::time::Instant;

use rampart_vuln::{Database, Package};

const ADVISORIES: usize = 100_000;
const PACKAGES: usize = 2_000;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/osv");
    // The import rate on a bigger directory of OSV files when given (e.g. the full
    // RustSec, PyPA and Go exports), else on the test slice.
    let import_dir = std::env::var_os("RAMPART_BENCH_OSV_DIR").map_or(dir.clone(), Into::into);
    let start = Instant::now();
    let (imported, errors) = Database::from_osv_dir(&import_dir);
    let import_time = start.elapsed();
    println!(
        "import: {} records from `{}` in {:.0} ms ({:.0} records/s), {} files rejected",
        imported.len(),
        import_dir.display(),
        import_time.as_secs_f64() * 1e3,
        imported.len() as f64 / import_time.as_secs_f64(),
        errors.len()
    );
    drop(imported);

    // The real records, by walking the slice again with serde through the public API.
    let records = real_records(&dir);
    assert!(!records.is_empty());
    let names_per_record = ADVISORIES.div_ceil(records.len());
    let mut synthetic = Vec::with_capacity(ADVISORIES);
    'outer: for k in 0..names_per_record {
        for r in &records {
            if synthetic.len() == ADVISORIES {
                break 'outer;
            }
            let mut a = r.clone();
            a.id = format!("{}-S{k}", a.id);
            for entry in &mut a.affected {
                if let Some(p) = &mut entry.package {
                    p.name = format!("{}-{}", p.name, k % 20_000);
                }
            }
            synthetic.push(a);
        }
    }
    let start = Instant::now();
    let db = Database::from_records(synthetic.iter().cloned());
    let index_time = start.elapsed();
    assert!(db.len() >= ADVISORIES, "{}", db.len());

    // An inventory of packages the database knows, at several versions.
    let versions = ["0.1.0", "1.0.0", "2.2.1", "4.0.0", "1.5.0", "0.2.7"];
    let mut packages = Vec::with_capacity(PACKAGES);
    'fill: for (k, a) in synthetic.iter().enumerate() {
        for entry in &a.affected {
            if let Some(p) = &entry.package {
                if packages.len() == PACKAGES {
                    break 'fill;
                }
                packages.push(Package {
                    ecosystem: p.ecosystem.clone(),
                    name: p.name.clone(),
                    version: versions[k % versions.len()].to_owned(),
                    source: None,
                });
            }
        }
    }

    let mut times = Vec::new();
    let mut found = 0;
    for _ in 0..20 {
        let start = Instant::now();
        found = db.matches(&packages).len();
        times.push(start.elapsed());
    }
    times.sort();
    println!(
        "index: {} advisories in {:.1} ms ({:.0} advisories/s)",
        db.len(),
        index_time.as_secs_f64() * 1e3,
        db.len() as f64 / index_time.as_secs_f64()
    );
    println!(
        "match: {} packages against {} advisories: {found} matches; warm best {:.2} ms, median {:.2} ms (goal <= 200 ms)",
        packages.len(),
        db.len(),
        times[0].as_secs_f64() * 1e3,
        times[times.len() / 2].as_secs_f64() * 1e3
    );
}

fn real_records(dir: &Path) -> Vec<rampart_vuln::Advisory> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("testdata").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let format = match p.extension().and_then(|x| x.to_str()) {
                Some("json") => rampart_vuln::osv::Format::Json,
                Some("yaml") => rampart_vuln::osv::Format::Yaml,
                _ => continue,
            };
            let bytes = std::fs::read(&p).expect("readable");
            if let Ok(a) = rampart_vuln::osv::parse(&bytes, format) {
                if a.withdrawn.is_none() {
                    out.push(a);
                }
            }
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}
