//! sshd_config from untrusted roots, with an Include of itself: never panics, and
//! the defaults are always present.
#![no_main]

use std::path::{Path, PathBuf};

use libfuzzer_sys::fuzz_target;
use rampart_host::sshd::parse;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let mut read = |_: &Path| Ok(text.clone());
    let mut glob = |p: &Path| vec![PathBuf::from(p)];
    let (cfg, _errors) =
        parse(Path::new("/etc/ssh/sshd_config"), &mut read, &mut glob).expect("read succeeds");
    assert!(cfg.settings.contains_key("permitrootlogin"));
});
