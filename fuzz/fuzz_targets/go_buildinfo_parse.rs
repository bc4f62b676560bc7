//! Go build info and ELF section lookup over untrusted binaries: never panics, never
//! reads out of bounds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_host::gobin::{elf_section, parse, MAGIC};

fuzz_target!(|data: &[u8]| {
    let _ = parse(data);
    // The same bytes after the magic, so the fuzzer reaches the string decoding.
    let mut with_magic = MAGIC.to_vec();
    with_magic.extend_from_slice(data);
    let _ = parse(&with_magic);
    let mut read_at = |off: u64, len: usize| {
        let off = usize::try_from(off).ok()?;
        data.get(off..off.checked_add(len)?).map(<[u8]>::to_vec)
    };
    if let Some((off, size)) = elf_section(&mut read_at, ".go.buildinfo") {
        let _ = (off, size);
    }
});
