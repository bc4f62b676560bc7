//! The secrets detector over arbitrary bytes: never panics, positions are in bounds, and no
//! output holds more than 4 characters of a secret.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_secrets::{detect, DetectOptions};

fuzz_target!(|data: &[u8]| {
    let lines = data.iter().filter(|&&b| b == b'\n').count() + 1;
    for include_examples in [false, true] {
        for m in detect(data, &DetectOptions { include_examples }) {
            assert!(m.line >= 1 && m.line as usize <= lines);
            assert!(m.column >= 1);
            if let Some(k) = &m.key_id {
                assert_eq!(k.len(), rampart_secrets::KEY_ID_LEN);
            }
            if let Some(s) = &m.secret {
                assert!(s.prefix().len() <= 4);
            }
            assert!(m.key_id.is_some() || m.secret.is_some());
        }
    }
});
