//! Alpine secdb documents (YAML and JSON) from untrusted files: parsing never panics,
//! and what it returns can be matched.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_vuln::feed::alpine::{looks_like_secdb, parse_secdb};
use rampart_vuln::osv::Format;

fuzz_target!(|data: &[u8]| {
    let _ = looks_like_secdb(data);
    for format in [Format::Yaml, Format::Json] {
        let (advisories, _errors) = parse_secdb(data, format);
        for a in &advisories {
            for entry in &a.affected {
                let Some(pkg) = &entry.package else { continue };
                for range in &entry.ranges {
                    for event in &range.events {
                        let _ = rampart_vuln::affected(a, &pkg.ecosystem, &pkg.name, event.version());
                    }
                }
            }
        }
    }
});
