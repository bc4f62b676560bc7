//! dpkg status files from untrusted roots and images: parsing never panics, and every
//! package returned has a name and a version.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_host::dpkg::{parse_status, MissingStatus};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for missing in [MissingStatus::NotInstalled, MissingStatus::Installed] {
        let (packages, _errors) = parse_status(&text, missing);
        for p in packages {
            assert!(!p.name.is_empty() && !p.version.is_empty(), "{p:?}");
        }
    }
});
