//! The threat detections over records an attacker shapes (anyone who can call an API writes
//! the request parameters CloudTrail records: policy documents, ids, user agents): reading
//! them in any shape and running every detection must never panic, and every finding must
//! carry its technique and the eventIDs of records that were read.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut events = Vec::new();
    let _ = rampart_cloudtrail::read_events("fuzz.json", data, 1 << 20, &mut |r| {
        if let Ok(e) = r {
            events.push(e);
        }
    });
    // A tiny window and thresholds of one: every burst path runs.
    let t = rampart_detect::Thresholds {
        window_minutes: 1,
        secrets_read: 1,
        password_data_instances: 1,
        denied_calls: 1,
        deleted_objects: 1,
        trusted_accounts: vec!["111122223333".into()],
        pentest_user_agents: vec!["x".into()],
    };
    for f in rampart_detect::detect(&events, &t) {
        assert_eq!(rampart_detect::ttps(&f).count(), 1);
        assert!(f.id.starts_with("rampart/threat_"));
    }
});
