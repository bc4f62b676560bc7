//! Content digests of image blobs (`sha256:<hex>`), checked while the blob streams by.
//!
//! The OCI image spec (`descriptor.md`, "Digests") registers `sha256` (64 lowercase hex
//! digits) and `sha512` (128); a digest of any other form cannot be verified and is
//! refused rather than trusted. Docker's `docker save` format names each layer's
//! `diff_id` (the sha256 of the uncompressed tar) in the image config's
//! `rootfs.diff_ids`.

use std::cell::RefCell;
use std::io::{self, Read};
use std::rc::Rc;

use sha2::{Digest as _, Sha256, Sha512};

/// A parsed `algorithm:hex` digest of a registered algorithm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    alg: Alg,
    hex: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Alg {
    Sha256,
    Sha512,
}

impl Digest {
    /// `sha256:<64 lowercase hex>` or `sha512:<128 lowercase hex>`; `Err` says why not.
    pub fn parse(s: &str) -> Result<Digest, String> {
        let (alg, hex) = s
            .split_once(':')
            .ok_or_else(|| format!("`{s}` is not an `algorithm:hex` digest"))?;
        let (alg, len) = match alg {
            "sha256" => (Alg::Sha256, 64),
            "sha512" => (Alg::Sha512, 128),
            _ => {
                return Err(format!(
                    "digest algorithm `{alg}` cannot be verified (only sha256 and sha512)"
                ))
            }
        };
        let lower_hex = hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if hex.len() != len || !lower_hex {
            return Err(format!("`{s}` is not a {len}-digit lowercase hex digest"));
        }
        Ok(Digest {
            alg,
            hex: hex.to_owned(),
        })
    }

    /// The sha256 digest of `bytes`.
    pub fn sha256_of(bytes: &[u8]) -> Digest {
        let mut h = Hasher::new(Alg::Sha256);
        h.update(bytes);
        h.finish()
    }

    /// The hex part.
    pub fn hex(&self) -> &str {
        &self.hex
    }

    /// Where the blob is in an OCI layout: `blobs/<alg>/<hex>`.
    pub fn blob_path(&self) -> String {
        format!("blobs/{}/{}", self.alg_name(), self.hex)
    }

    fn alg_name(&self) -> &'static str {
        match self.alg {
            Alg::Sha256 => "sha256",
            Alg::Sha512 => "sha512",
        }
    }

    /// A hasher of this digest's algorithm.
    pub fn hasher(&self) -> Hasher {
        Hasher::new(self.alg)
    }
}

impl std::fmt::Display for Digest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.alg_name(), self.hex)
    }
}

/// A running hash and byte count.
pub enum Hasher {
    Sha256(Sha256, u64),
    Sha512(Sha512, u64),
}

impl Hasher {
    fn new(alg: Alg) -> Hasher {
        match alg {
            Alg::Sha256 => Hasher::Sha256(Sha256::new(), 0),
            Alg::Sha512 => Hasher::Sha512(Sha512::new(), 0),
        }
    }

    pub fn update(&mut self, bytes: &[u8]) {
        match self {
            Hasher::Sha256(h, n) => {
                h.update(bytes);
                *n += bytes.len() as u64;
            }
            Hasher::Sha512(h, n) => {
                h.update(bytes);
                *n += bytes.len() as u64;
            }
        }
    }

    /// How many bytes went in.
    pub fn count(&self) -> u64 {
        match self {
            Hasher::Sha256(_, n) | Hasher::Sha512(_, n) => *n,
        }
    }

    pub fn finish(self) -> Digest {
        let (alg, bytes) = match self {
            Hasher::Sha256(h, _) => (Alg::Sha256, h.finalize().to_vec()),
            Hasher::Sha512(h, _) => (Alg::Sha512, h.finalize().to_vec()),
        };
        Digest {
            alg,
            hex: bytes.iter().map(|b| format!("{b:02x}")).collect(),
        }
    }
}

/// A reader that feeds what it reads to a shared [`Hasher`] (shared so that the hash
/// can be taken after the reader has been moved into a decoder and a tar reader).
pub struct Hashing<R> {
    inner: R,
    hasher: Rc<RefCell<Hasher>>,
}

impl<R: Read> Hashing<R> {
    pub fn new(inner: R, hasher: Rc<RefCell<Hasher>>) -> Self {
        Hashing { inner, hasher }
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.borrow_mut().update(&buf[..n]);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_registered_algorithms_only() {
        let empty = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert_eq!(Digest::sha256_of(b"").to_string(), empty);
        assert_eq!(Digest::parse(empty).unwrap().to_string(), empty);
        assert!(Digest::parse("sha256:E3B0").is_err());
        assert!(Digest::parse(&empty.to_uppercase()).is_err());
        assert!(Digest::parse("md5:d41d8cd98f00b204e9800998ecf8427e")
            .unwrap_err()
            .contains("cannot be verified"));
        let mut h = Digest::parse(&format!("sha512:{}", "0".repeat(128)))
            .unwrap()
            .hasher();
        h.update(b"abc");
        assert_eq!(h.count(), 3);
        assert!(h.finish().to_string().starts_with("sha512:ddaf35a1"));
    }
}
