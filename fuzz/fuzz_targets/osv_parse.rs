//! OSV records (JSON and YAML) from untrusted files: parsing, matching, rating and the
//! vulnerability detail never panic, and a record survives the store's JSON round trip
//! (the vulnerability database keeps records as this crate serializes them).
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
            let json = serde_json::to_vec(&advisory).expect("a parsed record serializes");
            let back = parse(&json, Format::Json).expect("a serialized record parses");
            assert_eq!(back, advisory, "store round trip");
            let packages: Vec<rampart_vuln::Package> = advisory
                .affected
                .iter()
                .filter_map(|e| e.package.as_ref().map(|p| (p, e)))
                .flat_map(|(p, e)| {
                    e.ranges.iter().flat_map(|r| r.events.iter()).map(move |ev| rampart_vuln::Package {
                        ecosystem: p.ecosystem.clone(),
                        name: p.name.clone(),
                        version: ev.version().to_owned(),
                        source: None,
                    })
                })
                .take(64)
                .collect();
            let mut db = rampart_vuln::Database::from_records([advisory.clone()]);
            // The record also rates itself through its aliases, as another source's would.
            let mut other = advisory;
            other.id.push_str("-other");
            db.add_related(&other);
            for m in db.matches(&packages) {
                let p = &packages[m.package];
                let _ = rampart_vuln::detail::vulnerability(
                    &m,
                    &rampart_vuln::detail::Installed {
                        kind: rampart_vuln::hostmap::Kind::Deb,
                        ecosystem: &p.ecosystem,
                        name: &p.name,
                        version: &p.version,
                        arch: None,
                        source_name: None,
                        file_path: "",
                    },
                );
            }
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
