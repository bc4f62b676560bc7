//! Certificate bodies from IAM (PEM) and from origins' TLS handshakes (DER): errors, never panics.
#![no_main]

#[path = "../../crates/collect-aws/src/certparse.rs"]
#[allow(dead_code)]
mod certparse;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = certparse::served("fuzz:443", data, String::new());
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = certparse::certificate_body(text);
    }
});
