//! CloudTrail events in any shape `rampart investigate ingest cloudtrail` reads (a log file,
//! a LookupEvents response, EventBridge events, bare records; gzip or plain): reading must
//! never panic or inflate without bound, every malformed record names its file, and every
//! event read summarises into the graph without panicking.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut sum = rampart_graph::Summariser::new(64);
    let _ = rampart_cloudtrail::read_events("fuzz.json", data, 1 << 20, &mut |r| match r {
        Ok(e) => {
            rampart_graph::observe(&e, &mut sum);
            if sum.is_full() {
                sum.drain();
            }
        }
        Err(m) => assert_eq!(m.file, "fuzz.json"),
    });
});
