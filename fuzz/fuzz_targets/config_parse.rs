//! The configuration file (`rampart --config`), checked against the real check registry:
//! never panics, an error always names the file and a position, and a file that parses names
//! only registered checks in its suppressions.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use rampart_config::Config;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match Config::parse(text, Path::new("rampart.toml"), &rampart_checks::KNOWN) {
        Ok(config) => {
            for rule in &config.suppress {
                for id in &rule.checks {
                    assert!(rampart_checks::check(id).is_some(), "accepted unknown check `{id}`");
                }
            }
        }
        Err(e) => assert!(e.to_string().starts_with("rampart.toml:"), "{e}"),
    }
});
