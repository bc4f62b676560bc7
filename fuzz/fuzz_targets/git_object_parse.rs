//! The git object parsers over arbitrary bytes: loose objects (raw and zlib-compressed),
//! trees, commits, tags, deltas and `packed-refs` never panic, and a loose object read within
//! the size limit is exactly as long as its header says.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_secrets::git::object::{parse_commit, parse_loose, parse_tag, parse_tree};
use rampart_secrets::git::odb::read_loose_from;
use rampart_secrets::git::pack::apply_delta;
use rampart_secrets::git::refs::parse_packed_refs;

const LIMIT: u64 = 1 << 20;

fuzz_target!(|data: &[u8]| {
    if let Ok((_, content)) = parse_loose(data) {
        let _ = parse_tree(content);
    }
    if let Ok((_, content)) = read_loose_from(data, LIMIT) {
        assert!(content.len() as u64 <= LIMIT);
    }
    if let Ok(entries) = parse_tree(data) {
        for e in entries {
            assert!(!e.name.is_empty() && !e.name.contains(&b'/'));
        }
    }
    let _ = parse_commit(data);
    let _ = parse_tag(data);
    let _ = parse_packed_refs(data);
    // The first half as a delta base, the rest as the delta.
    let (base, delta) = data.split_at(data.len() / 2);
    if let Ok(out) = apply_delta(base, delta, LIMIT) {
        assert!(out.len() as u64 <= LIMIT);
    }
});
