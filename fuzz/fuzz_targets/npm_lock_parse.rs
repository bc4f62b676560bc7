//! package-lock.json (v1–v3) and package.json: never panics (deep nesting included);
//! every package has a name and a version.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_host::npm::{parse_lock, parse_package_json};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok((packages, _errors)) = parse_lock(&text) {
        for (name, version) in packages {
            assert!(!name.is_empty() && !version.is_empty());
        }
    }
    let _ = parse_package_json(&text);
});
