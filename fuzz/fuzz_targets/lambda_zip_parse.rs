//! Lambda deployment zips: reading must never panic (declared sizes that lie, many
//! entries, `..` and absolute names, links), and a tree it returns must be scannable.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_host::{lambda, Options, Root};

fuzz_target!(|data: &[u8]| {
    if let Ok(pkg) = lambda::read_zip_bytes("fuzz.zip", data) {
        let label = pkg.label();
        let _ = rampart_host::collect_root(
            &Root::function(pkg.fs, label),
            time::OffsetDateTime::UNIX_EPOCH,
            &Options::default(),
        );
    }
});
