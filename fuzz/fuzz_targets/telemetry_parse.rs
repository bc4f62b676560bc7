//! A telemetry document is outside input (what agents upload; schema 1 and 2): reading it
//! must never panic, its package sources must answer every question, and whatever it reads
//! writes back and reads again to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(t) = rampart_host::Telemetry::from_json(text) {
        let read = t.packages.read().len();
        let unread = t.packages.unread().count();
        assert_eq!(t.packages.known().is_some(), unread == 0);
        assert!(t.packages.known().map_or(true, |all| all.len() == read));
        for s in &t.packages.0 {
            let _ = s.describe();
        }
        let again = rampart_host::Telemetry::from_json(&t.to_json()).expect("round trip");
        assert_eq!(again, t);
    }
});
