//! Cargo.lock files: never panics; every crate has a name and a version.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_host::cargo_lock::parse;

fuzz_target!(|data: &[u8]| {
    if let Ok((crates, _errors)) = parse(&String::from_utf8_lossy(data)) {
        for c in crates {
            assert!(!c.name.is_empty() && !c.version.is_empty(), "{c:?}");
        }
    }
});
