//! Python core metadata (METADATA, PKG-INFO): never panics; a result has a name and
//! a version.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_host::python::parse_metadata;

fuzz_target!(|data: &[u8]| {
    if let Ok((name, version)) = parse_metadata(&String::from_utf8_lossy(data)) {
        assert!(!name.is_empty() && !version.is_empty());
    }
});
