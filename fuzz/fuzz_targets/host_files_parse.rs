//! The small host file parsers (passwd, group, shadow, os-release, /proc/net, mounts,
//! limits.conf): never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_host::{accounts, osrelease, sockets, system};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = accounts::parse_passwd(&text);
    let _ = accounts::parse_group(&text);
    let _ = accounts::parse_shadow(&text);
    let _ = accounts::parse_login_defs(&text);
    let _ = osrelease::parse(&text);
    let _ = sockets::parse_table(&text, false);
    let _ = sockets::parse_table(&text, true);
    let _ = system::parse_mounts(&text);
    let _ = system::parse_limits(&text, "limits.conf");
    let _ = system::parse_coredump_conf(&text);
});
