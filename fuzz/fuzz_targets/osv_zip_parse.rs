//! OSV `all.zip` exports from untrusted files: a corrupt archive or member is an
//! error, never a panic or an unbounded allocation.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_vuln::feed::archive::read_zip;

fuzz_target!(|data: &[u8]| {
    if let Ok((advisories, _errors)) = read_zip(std::io::Cursor::new(data)) {
        let _ = rampart_vuln::Database::from_records(advisories);
    }
});
