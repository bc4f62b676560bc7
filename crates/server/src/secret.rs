//! Credentials: argon2id password hashes, random tokens and their SHA-256 digests.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sha2::{Digest, Sha256};

/// Prefix of API tokens, so a leaked one is recognisable (by people and secret scanners).
pub const TOKEN_PREFIX: &str = "rampart_";

/// An argon2id PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) of `password`, with
/// a random salt and the argon2 crate's default parameters (OWASP's minimum for argon2id).
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).map_err(|e| anyhow::anyhow!("no randomness from the system: {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))?
        .to_string())
}

/// Whether `password` matches a PHC string from [`hash_password`]; `false` for a malformed one.
pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// 32 random bytes as 64 lowercase hex digits.
pub fn random_hex() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness from the system: {e}"))?;
    Ok(hex(&bytes))
}

/// A one-time password: 20 characters of an alphabet without look-alikes (about 100
/// bits), in groups of five for reading it off a terminal.
pub fn one_time_password() -> anyhow::Result<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut out = String::new();
    let mut bytes = [0u8; 64];
    getrandom::getrandom(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness from the system: {e}"))?;
    // Rejection sampling keeps every character equally likely.
    let limit = 256 - 256 % ALPHABET.len();
    for b in bytes.iter().map(|b| *b as usize).filter(|b| *b < limit) {
        if out.len() == 23 {
            break;
        }
        if out.len() % 6 == 5 {
            out.push('-');
        }
        out.push(ALPHABET[b % ALPHABET.len()] as char);
    }
    if out.len() < 23 {
        return one_time_password();
    }
    Ok(out)
}

/// A new API token: the prefix and 256 random bits.
pub fn new_token() -> anyhow::Result<String> {
    Ok(format!("{TOKEN_PREFIX}{}", random_hex()?))
}

/// SHA-256 of `secret` in hex: how tokens and session ids are kept.
pub fn digest(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// The CSRF token of a session: derived from the session id (which only the browser that
/// holds the cookie knows), so nothing more is kept and a page from another origin cannot
/// compute it.
pub fn csrf_for(session: &str) -> String {
    hex(&Sha256::digest(format!("rampart csrf\0{session}").as_bytes()))
}

/// Constant-time equality of two strings (of public length).
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let h = super::hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(!h.contains("correct horse"));
        assert!(super::verify_password("correct horse", &h));
        assert!(!super::verify_password("correct horsf", &h));
        assert!(!super::verify_password("correct horse", "not a hash"));
        assert_ne!(h, super::hash_password("correct horse").unwrap(), "salted");
    }

    #[test]
    fn one_time_passwords_are_long_random_and_readable() {
        let (a, b) = (super::one_time_password().unwrap(), super::one_time_password().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.len(), 23, "{a}");
        assert_eq!(a.split('-').count(), 4, "{a}");
        assert!(a.chars().all(|c| c == '-' || (c.is_ascii_alphanumeric() && !"01lIoOB".contains(c))), "{a}");
    }

    #[test]
    fn tokens_are_random_and_kept_as_digests() {
        let (a, b) = (super::new_token().unwrap(), super::new_token().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.len(), super::TOKEN_PREFIX.len() + 64);
        assert_eq!(super::digest(&a).len(), 64);
        assert_ne!(super::digest(&a), super::digest(&b));
        assert!(super::same("abc", "abc") && !super::same("abc", "abd") && !super::same("ab", "abc"));
    }
}
