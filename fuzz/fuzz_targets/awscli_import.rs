//! `rampart import aws-cli`: recognising, parsing and importing one file of AWS CLI JSON
//! output never panics, whatever the bytes (UTF-8, UTF-16 with BOM, truncated, wrong shapes).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_import_awscli::{import_files, parse_file, ImportOptions};
use std::path::{Path, PathBuf};

fuzz_target!(|data: &[u8]| {
    if let Ok(file) = parse_file(data) {
        let _ = (file.keys(), file.unknown_keys(), file.skipped());
    }
    let opts = ImportOptions {
        account: Some("123456789012".into()),
        region: None,
    };
    let now = time::OffsetDateTime::UNIX_EPOCH;
    for path in ["dump/us-east-1/out.json", "dump/out.json"] {
        let _ = import_files(
            Path::new("dump"),
            vec![(PathBuf::from(path), data.to_vec())],
            &opts,
            now,
        );
    }
});
