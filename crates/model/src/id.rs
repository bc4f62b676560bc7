use sha2::{Digest, Sha256};

/// A finding's stable id: derived only from the check id, the resource id and a
/// detail that distinguishes several results of one check on one resource (e.g. a port).
///
/// The same (check, resource, detail) gives the same id on every run, so workflow state
/// survives rescans. Format: `rampart/<check>/<first 20 hex digits of SHA-256>`.
pub fn finding_id(check_id: &str, resource_id: &str, detail: &str) -> String {
    let mut h = Sha256::new();
    for part in [check_id, resource_id, detail] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    let digest = h.finalize();
    let mut hex = String::with_capacity(20);
    for b in &digest[..10] {
        hex.push_str(&format!("{b:02x}"));
    }
    format!("rampart/{check_id}/{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_and_distinct() {
        let a = finding_id("s3_bucket_public_read", "arn:aws:s3:::b", "");
        assert_eq!(a, finding_id("s3_bucket_public_read", "arn:aws:s3:::b", ""));
        assert_eq!(a, "rampart/s3_bucket_public_read/".to_string() + &a[30..]);
        assert_ne!(a, finding_id("s3_bucket_public_read", "arn:aws:s3:::c", ""));
        // Length prefixes keep ("ab","c") and ("a","bc") apart.
        assert_ne!(finding_id("x", "ab", "c"), finding_id("x", "a", "bc"));
    }

    #[test]
    fn known_value_never_changes() {
        // A finding id is forever: this value must not change across releases.
        assert_eq!(
            finding_id("iam_root_mfa", "arn:aws:iam::123456789012:root", ""),
            "rampart/iam_root_mfa/fabf7460cc9e91e188da"
        );
    }
}
