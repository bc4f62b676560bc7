//! RPM header blobs from untrusted rpmdb.sqlite files: parsing never panics, and a
//! parsed header has a name, version and release.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_host::rpm::parse_header;

fuzz_target!(|data: &[u8]| {
    if let Ok(h) = parse_header(data) {
        assert!(!h.name.is_empty() && !h.version.is_empty() && !h.release.is_empty());
        if let Some(s) = &h.source_rpm {
            let _ = rampart_host::rpm::split_source_rpm(s);
        }
    }
});
