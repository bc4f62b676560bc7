//! Debian security tracker lists (DSA/DLA) from untrusted files: parsing never panics,
//! every advisory it returns has an id and only `Debian:` ecosystems.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_vuln::feed::debian::parse_list;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (advisories, _errors) = parse_list(&text);
    for a in &advisories {
        assert!(!a.id.is_empty());
        for entry in &a.affected {
            let Some(pkg) = &entry.package else { continue };
            assert!(pkg.ecosystem.starts_with("Debian:"));
            for range in &entry.ranges {
                for event in &range.events {
                    let _ = rampart_vuln::affected(a, &pkg.ecosystem, &pkg.name, event.version());
                }
            }
        }
    }
});
