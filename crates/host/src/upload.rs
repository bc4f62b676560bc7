//! A telemetry document as an agent uploads it: gzip-compressed JSON, bounded in size
//! compressed and decompressed. [`encode`] is the agent's side, [`decode`] the server's;
//! both pure (bytes in, bytes or a document out), so the server's decoder is fuzzed
//! (`fuzz/fuzz_targets/agent_upload_decode.rs`).
//!
//! The decoder never inflates more than [`Limits::json`] bytes (a gzip bomb stops there),
//! reads the document with [`Telemetry::from_json`] (the reader of `rampart scan host
//! --telemetry`), and requires a document that names its host ([`host_id`]): the server
//! binds an agent's token to it.

use crate::{Telemetry, TelemetryError};
use std::io::Read;

/// Size bounds of an upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The body as sent (gzip-compressed).
    pub compressed: usize,
    /// The JSON document once inflated.
    pub json: usize,
}

/// The bounds the agent and the server use: a host with tens of thousands of packages
/// writes a few MiB of JSON, which gzip makes ten times smaller.
pub const LIMITS: Limits = Limits { compressed: 8 << 20, json: 64 << 20 };

/// Why an upload was refused. [`UploadError::too_large`] tells the 413 cases from the 400s.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("the upload is larger than {limit} bytes compressed: collect less (fewer language-package roots) or raise the server's limit")]
    CompressedTooLarge { limit: usize },
    #[error("the document is larger than {limit} bytes once decompressed")]
    JsonTooLarge { limit: usize },
    #[error("unsupported Content-Encoding `{0}`: send gzip (or no encoding for plain JSON)")]
    Encoding(String),
    #[error("the body is not valid gzip: {0}")]
    Gzip(String),
    #[error("the body is not UTF-8 JSON: {0}")]
    Utf8(String),
    #[error("{0}")]
    Document(#[from] TelemetryError),
    #[error("the document names no host (neither an EC2 instance id nor a hostname was read)")]
    NoHost,
}

impl UploadError {
    /// Whether the refusal is about size (HTTP 413) rather than content (HTTP 400).
    pub fn too_large(&self) -> bool {
        matches!(self, UploadError::CompressedTooLarge { .. } | UploadError::JsonTooLarge { .. })
    }
}

/// Who a document's host is, for binding an agent to it: the EC2 instance id when it was
/// read (`i-...`), else the hostname; `None` when neither was read.
pub fn host_id(t: &Telemetry) -> Option<String> {
    if let Some(Some(id)) = t.host.ec2_instance_id.known() {
        if !id.trim().is_empty() {
            return Some(id.trim().to_string());
        }
    }
    t.host.hostname.known().map(|h| h.trim().to_string()).filter(|h| !h.is_empty())
}

/// The document as an upload body: its JSON gzip-compressed. Refused (with the error the
/// server would answer) when the JSON or the compressed body is over `limits`.
pub fn encode(t: &Telemetry, limits: &Limits) -> Result<Vec<u8>, UploadError> {
    let json = serde_json::to_vec(t).expect("telemetry serializes");
    if json.len() > limits.json {
        return Err(UploadError::JsonTooLarge { limit: limits.json });
    }
    let mut enc = flate2::write::GzEncoder::new(Vec::with_capacity(json.len() / 8), flate2::Compression::default());
    std::io::Write::write_all(&mut enc, &json).expect("writing to memory");
    let body = enc.finish().expect("writing to memory");
    if body.len() > limits.compressed {
        return Err(UploadError::CompressedTooLarge { limit: limits.compressed });
    }
    Ok(body)
}

/// Reads an upload: `body` as sent with its `Content-Encoding` (`gzip`, or none / `identity`
/// for plain JSON). The document is checked as `rampart scan host --telemetry` checks a file,
/// and must name its host.
pub fn decode(body: &[u8], content_encoding: Option<&str>, limits: &Limits) -> Result<Telemetry, UploadError> {
    if body.len() > limits.compressed {
        return Err(UploadError::CompressedTooLarge { limit: limits.compressed });
    }
    let json = match content_encoding.map(|e| e.trim().to_ascii_lowercase()).as_deref() {
        None | Some("") | Some("identity") => {
            if body.len() > limits.json {
                return Err(UploadError::JsonTooLarge { limit: limits.json });
            }
            body.to_vec()
        }
        Some("gzip" | "x-gzip") => inflate(body, limits.json)?,
        Some(other) => return Err(UploadError::Encoding(other.chars().take(40).collect())),
    };
    let text = std::str::from_utf8(&json).map_err(|e| UploadError::Utf8(e.to_string()))?;
    let t = Telemetry::from_json(text)?;
    if host_id(&t).is_none() {
        return Err(UploadError::NoHost);
    }
    Ok(t)
}

/// Inflates one gzip member (and any that follow, as `gzip -d` does), at most `limit` bytes.
fn inflate(body: &[u8], limit: usize) -> Result<Vec<u8>, UploadError> {
    let mut out = Vec::with_capacity(body.len().saturating_mul(8).min(limit));
    let mut dec = flate2::read::MultiGzDecoder::new(body).take(limit as u64 + 1);
    dec.read_to_end(&mut out).map_err(|e| UploadError::Gzip(e.to_string()))?;
    if out.len() > limit {
        return Err(UploadError::JsonTooLarge { limit });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rampart_model::Observed;

    fn doc(host: &str) -> Telemetry {
        let mut t: Telemetry =
            Telemetry::from_json(r#"{"schema_version":2,"collected_at":"2026-12-07T10:00:00Z","root":"/","host":{}}"#).unwrap();
        t.host.hostname = Observed::Known(host.to_string());
        t
    }

    #[test]
    fn a_document_round_trips_through_gzip() {
        let t = doc("web-1");
        let body = encode(&t, &LIMITS).unwrap();
        assert_eq!(&body[..2], &[0x1f, 0x8b], "gzip magic");
        assert_eq!(decode(&body, Some("gzip"), &LIMITS).unwrap(), t);
        assert_eq!(decode(t.to_json().as_bytes(), None, &LIMITS).unwrap(), t, "plain JSON without an encoding");
    }

    #[test]
    fn the_host_is_the_instance_id_else_the_hostname() {
        let mut t = doc("web-1");
        assert_eq!(host_id(&t).as_deref(), Some("web-1"));
        t.host.ec2_instance_id = Observed::Known(Some("i-0abc".into()));
        assert_eq!(host_id(&t).as_deref(), Some("i-0abc"));
        t.host.ec2_instance_id = Observed::Known(None);
        t.host.hostname = Observed::Unknown("unreadable".into());
        assert_eq!(host_id(&t), None);
        let body = encode(&t, &LIMITS).unwrap();
        assert!(matches!(decode(&body, Some("gzip"), &LIMITS), Err(UploadError::NoHost)));
    }

    #[test]
    fn sizes_are_bounded_before_and_after_inflating() {
        let small = Limits { compressed: 1 << 10, json: 4 << 10 };
        // A bomb: 1 MiB of spaces compresses to about 1 KiB.
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut enc, &vec![b' '; 1 << 20]).unwrap();
        let bomb = enc.finish().unwrap();
        let e = decode(&bomb, Some("gzip"), &Limits { compressed: 1 << 20, json: 4 << 10 }).unwrap_err();
        assert!(matches!(e, UploadError::JsonTooLarge { limit: 4096 }) && e.too_large(), "{e}");
        let e = decode(&vec![0u8; 2 << 10], Some("gzip"), &small).unwrap_err();
        assert!(matches!(e, UploadError::CompressedTooLarge { limit: 1024 }) && e.too_large(), "{e}");
        let e = decode(&vec![b' '; 3 << 10], Some("gzip"), &Limits { compressed: 4 << 10, json: 1 << 10 }).unwrap_err();
        assert!(!e.too_large(), "not gzip is a content error: {e}");
        let mut big = doc("web-1");
        big.root = "x".repeat(8 << 10);
        assert!(matches!(encode(&big, &small), Err(UploadError::JsonTooLarge { .. })));
    }

    #[test]
    fn malformed_bodies_are_refused_with_what_is_wrong() {
        let e = decode(b"\x1f\x8b\x08garbage", Some("gzip"), &LIMITS).unwrap_err();
        assert!(e.to_string().starts_with("the body is not valid gzip"), "{e}");
        let e = decode(b"{\"schema_version\": 2", None, &LIMITS).unwrap_err();
        assert!(e.to_string().starts_with("telemetry is not valid JSON"), "{e}");
        let e = decode(b"{}", Some("br"), &LIMITS).unwrap_err();
        assert!(e.to_string().contains("unsupported Content-Encoding `br`"), "{e}");
        let e = decode(b"\xff\xfe", None, &LIMITS).unwrap_err();
        assert!(matches!(e, UploadError::Utf8(_)), "{e}");
        let newer = doc("h").to_json().replace("\"schema_version\": 2", "\"schema_version\": 99");
        let e = decode(newer.as_bytes(), None, &LIMITS).unwrap_err();
        assert!(e.to_string().contains("newer than this build reads"), "{e}");
        assert!(!e.too_large());
    }
}
