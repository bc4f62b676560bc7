//! Lambda deployment zips: reading must never panic, and a tree it returns must be
//! scannable.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_host::{lambda, Options, Root};

fuzz_target!(|data: &[u8]| {
    if let Ok((fs, _problems)) = lambda::read_zip_bytes("fuzz.zip", data) {
        let _ = rampart_host::collect_root(
            &Root::function(fs, "lambda:fuzz.zip"),
            time::OffsetDateTime::UNIX_EPOCH,
            &Options::default(),
        );
    }
});
