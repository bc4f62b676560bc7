//! CloudTrail log files from a trail's bucket (anyone who can write to the bucket controls
//! them): reading one must never panic or inflate without bound, and every event read must
//! classify without panicking. The input is also taken as an S3 key.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(key) = std::str::from_utf8(data) {
        if let rampart_cloudtrail::KeyKind::Log(k) = rampart_cloudtrail::parse_key(key) {
            assert!(key.starts_with(&k.region_prefix()));
        }
    }
    if let Ok(log) = rampart_cloudtrail::parse_log_with_limit("fuzz.json.gz", data, 1 << 20) {
        for e in &log.events {
            let _ = rampart_cloudtrail::classify(e);
        }
        for m in &log.malformed {
            assert_eq!(m.file, "fuzz.json.gz");
        }
    }
});
