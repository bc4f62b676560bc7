//! A secret access key that was found, kept only in redacted form.

use serde::{Serialize, Serializer};
use std::fmt;

/// How many leading characters of a secret are kept.
pub const KEPT_CHARS: usize = 4;

/// A secret access key, redacted at construction: only its first [`KEPT_CHARS`]
/// characters are stored, so no `Debug`, `Display` or serde output can leak the rest.
///
/// Renders as `wJal…` everywhere.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RedactedSecret {
    prefix: String,
}

impl RedactedSecret {
    /// Keeps the first [`KEPT_CHARS`] bytes of `secret` and drops the rest. Secret access keys
    /// are ASCII; any other byte is replaced so the prefix is always valid text.
    pub fn new(secret: &[u8]) -> Self {
        let prefix = secret
            .iter()
            .take(KEPT_CHARS)
            .map(|&b| if b.is_ascii_graphic() { b as char } else { '?' })
            .collect();
        RedactedSecret { prefix }
    }

    /// The kept characters, without the ellipsis.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }
}

impl fmt::Display for RedactedSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}…", self.prefix)
    }
}

impl fmt::Debug for RedactedSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RedactedSecret({self})")
    }
}

impl Serialize for RedactedSecret {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_four_chars_only() {
        let r = RedactedSecret::new(b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        assert_eq!(r.to_string(), "wJal…");
        assert_eq!(format!("{r:?}"), "RedactedSecret(wJal…)");
        assert_eq!(format!("{r:#?}"), "RedactedSecret(wJal…)");
        assert_eq!(serde_json::to_string(&r).unwrap(), "\"wJal…\"");
        assert_eq!(r.prefix(), "wJal");
        assert_eq!(RedactedSecret::new(b"ab").to_string(), "ab…");
    }
}
