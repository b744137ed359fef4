//! Sealing small secrets that must be read back (a user's TOTP secret): ChaCha20-Poly1305 (ring)
//! under a key derived from the instance's signing key, a fresh random nonce each time, stored as
//! base64 of nonce ‖ ciphertext ‖ tag. A database copy alone does not reveal them.

use super::secrets;
use crate::domain::sign;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};

fn key(signing_key: &[u8; 32], purpose: &str) -> LessSafeKey {
    let bytes = sign::hmac_sha256(signing_key, &[b"seal:", purpose.as_bytes()]);
    LessSafeKey::new(UnboundKey::new(&CHACHA20_POLY1305, &bytes).expect("a 32-byte key fits ChaCha20-Poly1305"))
}

/// `plain` sealed for `purpose` (the purpose is bound in as associated data).
pub fn seal(signing_key: &[u8; 32], purpose: &str, plain: &[u8]) -> String {
    let nonce = secrets::random_bytes::<NONCE_LEN>();
    let mut data = plain.to_vec();
    key(signing_key, purpose)
        .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(purpose.as_bytes()), &mut data)
        .expect("sealing a short secret cannot fail");
    let mut out = nonce.to_vec();
    out.extend_from_slice(&data);
    STANDARD.encode(out)
}

/// The plain bytes of a sealed value, or `None` when it was not sealed with this key and purpose.
pub fn open(signing_key: &[u8; 32], purpose: &str, sealed: &str) -> Option<Vec<u8>> {
    let raw = STANDARD.decode(sealed).ok()?;
    let (nonce, rest) = raw.split_at_checked(NONCE_LEN)?;
    let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
    let mut data = rest.to_vec();
    let plain = key(signing_key, purpose).open_in_place(nonce, Aad::from(purpose.as_bytes()), &mut data).ok()?;
    Some(plain.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_purpose() {
        let k = [7u8; 32];
        let sealed = seal(&k, "totp", b"secret bytes");
        assert_eq!(open(&k, "totp", &sealed).as_deref(), Some(&b"secret bytes"[..]));
        assert_eq!(open(&[8u8; 32], "totp", &sealed), None);
        assert_eq!(open(&k, "other", &sealed), None);
        assert_ne!(seal(&k, "totp", b"secret bytes"), sealed, "a fresh nonce each time");
    }
}
