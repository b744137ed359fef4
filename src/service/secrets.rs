//! Randomness and digests: id generation, API key secrets (stored only as SHA-256 digests),
//! passwords (argon2id), per-link secrets and short codes.

use crate::domain::Timestamp;
use sha2::{Digest, Sha256};

/// Fills a buffer from the operating system's CSPRNG.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).expect("the operating system's random source failed");
    buf
}

/// The randomness for a new id.
pub fn id_parts(now: Timestamp) -> (u64, [u8; 10]) {
    (now.millis(), random_bytes())
}

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `len` characters of base62 from the CSPRNG (rejection sampling keeps it uniform).
pub fn base62(len: usize) -> String {
    let mut out = String::with_capacity(len);
    while out.len() < len {
        for b in random_bytes::<32>() {
            if b < 248 && out.len() < len {
                out.push(BASE62[(b % 62) as usize] as char);
            }
        }
    }
    out
}

/// A new API key secret: the environment prefix and 40 base62 characters (≈238 bits).
pub fn new_key_secret(prefix: &str) -> String {
    format!("{prefix}{}", base62(40))
}

/// The stored digest of a key secret.
pub fn digest(secret: &str) -> String {
    let hash = Sha256::digest(secret.as_bytes());
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

/// The hex SHA-256 digest of some bytes.
pub fn digest_bytes(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Hex HMAC-SHA256 of `message` under `key`.
pub fn hmac_hex(key: &[u8], message: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(message);
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// A generated password for a new user (shown once).
pub fn new_password() -> String {
    base62(20)
}

/// An argon2id hash of a password.
pub fn hash_password(password: &str) -> String {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let salt = SaltString::encode_b64(&random_bytes::<16>()).expect("16 bytes is a valid salt length");
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .expect("argon2 hashing with default parameters cannot fail")
}

/// Whether a password matches a stored argon2 hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(hash).is_ok_and(|h| argon2::Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A per-link secret (signs the page's redirects; some dialects' callbacks carry it), UUID-shaped.
pub fn new_link_secret() -> String {
    let b = random_bytes::<16>();
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-4{}-a{}-{}", &hex[0..8], &hex[8..12], &hex[13..16], &hex[17..20], &hex[20..32])
}

/// An unguessable short code for `/l/{code}` (10 base62 characters ≈ 59 bits).
pub fn new_short_code() -> String {
    base62(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_secrets_carry_their_environment_and_digest_stably() {
        let s = new_key_secret("sk_test_");
        assert!(s.starts_with("sk_test_") && s.len() == 48);
        assert_eq!(digest(&s), digest(&s));
        assert_ne!(digest(&s), digest(&new_key_secret("sk_test_")));
    }

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let h = hash_password("correct horse");
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong", &h));
    }
}
