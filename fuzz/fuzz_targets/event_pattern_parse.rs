//! Event patterns from the outside (a rule a user types, an API body): parsing must never
//! panic, and a parsed pattern must match any JSON event without panicking. The input is
//! split at the first NUL: a pattern, then an event.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_events::Pattern;

fuzz_target!(|data: &[u8]| {
    let (pattern, event) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b"{}"[..]),
    };
    let (Ok(pattern), Ok(event)) = (std::str::from_utf8(pattern), std::str::from_utf8(event)) else {
        return;
    };
    if let Ok(p) = Pattern::parse_str(pattern) {
        if let Ok(ev) = serde_json::from_str::<serde_json::Value>(event) {
            let _ = p.matches(&ev);
        }
    }
});
