//! An agent's upload is outside input from the network (`POST /api/v1/agents/telemetry`):
//! decoding it must never panic nor inflate past its bound, whatever the body and its
//! `Content-Encoding`; a document it accepts names its host and encodes back to an upload
//! that decodes to the same document.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_host::upload::{decode, encode, host_id, Limits};

const LIMITS: Limits = Limits { compressed: 64 << 10, json: 256 << 10 };

fuzz_target!(|data: &[u8]| {
    // The first byte picks the encoding header the body came with.
    let Some((&pick, body)) = data.split_first() else { return };
    let encoding = match pick % 4 {
        0 => None,
        1 => Some("gzip"),
        2 => Some("identity"),
        _ => Some("deflate"),
    };
    match decode(body, encoding, &LIMITS) {
        Ok(t) => {
            assert!(host_id(&t).is_some());
            let again = encode(&t, &rampart_host::upload::LIMITS).expect("a decoded document encodes");
            assert_eq!(decode(&again, Some("gzip"), &rampart_host::upload::LIMITS).expect("round trip"), t);
        }
        Err(e) => {
            assert!(!e.to_string().is_empty());
        }
    }
});
