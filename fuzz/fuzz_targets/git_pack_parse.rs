//! The git pack reader over arbitrary bytes: `.idx` parsing, entry headers, OFS/REF deltas
//! and zlib streams never panic, never allocate past the size limit, and every object read
//! is exactly as long as the pack says.
//!
//! Input: one byte `n` (objects, at most 16), `n` big-endian u32 offsets, then the pack. The
//! target writes a valid version-2 index for those offsets (ids 1..=n in their first byte),
//! so the fuzzer reaches the pack parser; the rest of the input also goes to the index parser
//! as an index of its own.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_secrets::git::object::Oid;
use rampart_secrets::git::pack::{parse_index, Pack};

const LIMIT: u64 = 1 << 20;

fn index(offsets: &[u32]) -> Vec<u8> {
    let mut idx = vec![0xff, b't', b'O', b'c', 0, 0, 0, 2];
    for b in 0..256u32 {
        // Object i has id [i + 1, 0, ...]: fanout[b] counts ids whose first byte <= b.
        idx.extend((offsets.len() as u32).min(b).to_be_bytes());
    }
    for i in 0..offsets.len() {
        let mut id = [0u8; 20];
        id[0] = i as u8 + 1;
        idx.extend(id);
    }
    idx.extend(std::iter::repeat(0).take(offsets.len() * 4));
    for o in offsets {
        idx.extend(o.to_be_bytes());
    }
    idx.extend([0u8; 40]);
    idx
}

fuzz_target!(|data: &[u8]| {
    let _ = parse_index(data, u64::MAX);
    let Some((&n, rest)) = data.split_first() else { return };
    let n = usize::from(n % 17);
    if rest.len() < n * 4 {
        return;
    }
    let (offs, pack) = rest.split_at(n * 4);
    let offsets: Vec<u32> = offs.chunks_exact(4).map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]])).collect();
    let Ok(mut p) = Pack::new(Box::new(pack.to_vec()), pack.len() as u64, &index(&offsets)) else { return };
    for r in p.list() {
        if let Ok(o) = r {
            if let Ok((kind, bytes)) = p.read_at(o.offset, LIMIT) {
                assert_eq!(kind, o.kind);
                assert_eq!(bytes.len() as u64, o.size);
                assert!(bytes.len() as u64 <= LIMIT);
            }
        }
    }
    let _ = p.offset_of(&Oid([1; 20]));
});
