//! What bytes are, before the detector sees them: UTF-8 (or any ASCII-compatible text),
//! UTF-16 (decoded to UTF-8), or binary.
//!
//! UTF-16 is what Windows tools (PowerShell's `>` before 6.0, `Out-File`, regedit exports)
//! write by default, so a credentials file from Windows is often UTF-16LE with a byte-order
//! mark. It is recognised by its BOM (`FF FE` little-endian, `FE FF` big-endian, Unicode
//! §23.8) or, without one, by the pattern Latin text takes in it: a NUL in (nearly) every other
//! byte of the first [`BINARY_PROBE`](crate::BINARY_PROBE) bytes. Positions in decoded text are
//! lines (unchanged) and byte columns of the UTF-8 decoding.

use crate::BINARY_PROBE;
use std::borrow::Cow;

/// The text to scan, or `None` for binary data (a NUL in the probe that is not UTF-16).
pub fn decode(data: &[u8]) -> Option<Cow<'_, [u8]>> {
    let probe = &data[..data.len().min(BINARY_PROBE)];
    let le = match probe {
        [0xff, 0xfe, ..] => Some((true, 2)),
        [0xfe, 0xff, ..] => Some((false, 2)),
        _ => nul_pattern(probe).map(|le| (le, 0)),
    };
    if let Some((le, skip)) = le {
        let units =
            data[skip..].chunks_exact(2).map(|p| if le { u16::from_le_bytes([p[0], p[1]]) } else { u16::from_be_bytes([p[0], p[1]]) });
        let text: String = char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect();
        return Some(Cow::Owned(text.into_bytes()));
    }
    if memchr::memchr(0, probe).is_some() {
        return None;
    }
    Some(Cow::Borrowed(data))
}

/// `Some(little_endian)` when the probe is mostly Latin-1-range UTF-16: at least 90% of its
/// code units (and at least 4) have a zero high byte and a non-zero low byte, and none has
/// the opposite order.
fn nul_pattern(probe: &[u8]) -> Option<bool> {
    let pairs = probe.len() / 2;
    if pairs < 4 {
        return None;
    }
    let le = probe.chunks_exact(2).filter(|p| p[1] == 0 && p[0] != 0).count();
    let be = probe.chunks_exact(2).filter(|p| p[0] == 0 && p[1] != 0).count();
    if le * 10 >= pairs * 9 && be == 0 {
        Some(true)
    } else if be * 10 >= pairs * 9 && le == 0 {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(s: &str, le: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend(if le { [0xff, 0xfe] } else { [0xfe, 0xff] });
        }
        for u in s.encode_utf16() {
            out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        out
    }

    #[test]
    fn utf16_in_all_four_shapes_and_binary() {
        for le in [true, false] {
            for bom in [true, false] {
                assert_eq!(decode(&utf16("key = é\r\nx", le, bom)).unwrap().as_ref(), "key = é\r\nx".as_bytes(), "le {le} bom {bom}");
            }
        }
        assert_eq!(decode(b"plain").unwrap().as_ref(), b"plain");
        assert_eq!(decode(b"\x7fELF\0\0\x01\x02rest"), None);
        assert_eq!(decode(b"a\0"), None, "too short to be UTF-16 by pattern");
    }
}
