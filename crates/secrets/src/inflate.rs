//! Bounded gzip decompression of configuration text that AWS stores compressed (EC2 user
//! data: cloud-init accepts a gzip stream). A stream is inflated up to a limit and no further,
//! so a small compressed bomb costs at most the limit in memory; a stream that is corrupt or
//! larger than the limit is an error, never an empty (clean) text.

use std::io::Read;

/// The two bytes every gzip member starts with (RFC 1952, 2.3.1).
pub const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Whether `bytes` start like a gzip stream.
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&GZIP_MAGIC)
}

/// Why a gzip stream was not inflated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InflateError {
    #[error("corrupt gzip stream ({0})")]
    Corrupt(String),
    #[error("the gzip stream inflates to more than {limit} bytes (the limit)")]
    TooLarge { limit: usize },
}

/// Inflates the gzip stream `bytes` (every member of it, as `gunzip` does) to at most `limit`
/// bytes.
pub fn gunzip_bounded(bytes: &[u8], limit: usize) -> Result<Vec<u8>, InflateError> {
    let mut out = Vec::new();
    // One byte past the limit tells "exactly the limit" from "more".
    let taken = flate2::read::MultiGzDecoder::new(bytes)
        .take(limit as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| InflateError::Corrupt(e.to_string()))?;
    if taken > limit {
        return Err(InflateError::TooLarge { limit });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn inflates_within_the_limit() {
        let z = gzip(b"#!/bin/bash\necho hi\n");
        assert!(is_gzip(&z) && !is_gzip(b"#!/bin/bash"));
        assert_eq!(gunzip_bounded(&z, 1024).unwrap(), b"#!/bin/bash\necho hi\n");
        assert_eq!(gunzip_bounded(&gzip(&[7; 100]), 100).unwrap().len(), 100, "exactly the limit is fine");
    }

    /// 64 MiB of zeros compress to about 64 KiB; inflating stops at the limit.
    #[test]
    fn a_bomb_stops_at_the_limit() {
        let bomb = gzip(&vec![0; 64 << 20]);
        assert!(bomb.len() < 100 << 10);
        assert_eq!(gunzip_bounded(&bomb, 1 << 20), Err(InflateError::TooLarge { limit: 1 << 20 }));
    }

    #[test]
    fn corrupt_and_truncated_streams_are_errors() {
        let mut z = gzip(&[b'a'; 4096]);
        assert!(matches!(gunzip_bounded(&z[..z.len() / 2], 1 << 20), Err(InflateError::Corrupt(_))));
        z[12] ^= 0xff;
        assert!(matches!(gunzip_bounded(&z, 1 << 20), Err(InflateError::Corrupt(_))));
        assert!(matches!(gunzip_bounded(&[0x1f, 0x8b, 0, 1, 2], 1 << 20), Err(InflateError::Corrupt(_))));
    }
}
