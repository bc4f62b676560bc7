//! Alpine's installed database from untrusted roots: never panics; every package has
//! a name and a version.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_host::apk::parse_installed;

fuzz_target!(|data: &[u8]| {
    let (packages, _errors) = parse_installed(&String::from_utf8_lossy(data));
    for p in packages {
        assert!(!p.name.is_empty() && !p.version.is_empty(), "{p:?}");
    }
});
