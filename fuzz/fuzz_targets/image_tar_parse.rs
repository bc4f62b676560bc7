//! Image tarballs (`docker save` / OCI layout, layers plain or gzip): reading must
//! never panic, and a tree it returns must be scannable.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_host::{image, Options, Root};

fuzz_target!(|data: &[u8]| {
    if let Ok((fs, _problems)) = image::read_image_bytes("fuzz.tar", data) {
        let _ = rampart_host::collect_root(
            &Root::image(fs, "image:fuzz.tar"),
            time::OffsetDateTime::UNIX_EPOCH,
            &Options::default(),
        );
    }
});
