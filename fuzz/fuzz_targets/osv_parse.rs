//! OSV records (JSON and YAML) from untrusted files: parsing and matching never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_vuln::osv::{parse, Format};

fuzz_target!(|data: &[u8]| {
    for format in [Format::Json, Format::Yaml] {
        if let Ok(advisory) = parse(data, format) {
            for entry in &advisory.affected {
                let Some(pkg) = &entry.package else { continue };
                for range in &entry.ranges {
                    for event in &range.events {
                        let _ = rampart_vuln::affected(&advisory, &pkg.ecosystem, &pkg.name, event.version());
                    }
                }
            }
            let db = rampart_vuln::Database::from_records([advisory]);
            let _ = db.len();
        }
    }
    // The version orderings see the same bytes as versions.
    let (a, b) = data.split_at(data.len() / 2);
    if let (Ok(a), Ok(b)) = (std::str::from_utf8(a), std::str::from_utf8(b)) {
        for scheme in [
            rampart_vuln::Scheme::Dpkg,
            rampart_vuln::Scheme::Rpm,
            rampart_vuln::Scheme::Apk,
            rampart_vuln::Scheme::Pep440,
            rampart_vuln::Scheme::Semver,
            rampart_vuln::Scheme::Go,
        ] {
            let _ = scheme.compare(a, b);
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = rampart_vuln::cvss::base_score(text);
    }
});
