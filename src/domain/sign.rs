//! Standard Webhooks signing (<https://www.standardwebhooks.com>): `webhook-signature` carries
//! `v1,` and the base64 HMAC-SHA256 of `{id}.{timestamp}.{body}` under the secret's key bytes;
//! secrets are shown as `whsec_` and the base64 of those bytes. Secrets are derived from the
//! instance's signing key and a stored nonce, so no secret is ever stored.
//!
//! Dialects sign with the same secrets in their providers' own schemes, from the primitives here
//! ([`hmac_sha256`], [`hmac_sha512_hex`]) and the [`Signer`] a delivery attempt hands them.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::{Sha256, Sha512};

/// The key bytes of a signing secret.
pub type SecretKey = [u8; 32];

fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().into()
}

/// The secret of a webhook endpoint with this nonce.
pub fn endpoint_secret(signing_key: &[u8; 32], nonce: &str) -> SecretKey {
    hmac(signing_key, &[b"endpoint:", nonce.as_bytes()])
}

/// The callback secret of a store with this nonce.
pub fn callback_secret(signing_key: &[u8; 32], nonce: &str) -> SecretKey {
    hmac(signing_key, &[b"callback:", nonce.as_bytes()])
}

/// The nonce of a store's callback secret before its first rotation.
pub fn initial_callback_nonce(store_id: &str, environment: &str) -> String {
    format!("{store_id}:{environment}")
}

/// The secret as shown to the merchant.
pub fn whsec(key: &SecretKey) -> String {
    format!("whsec_{}", STANDARD.encode(key))
}

/// One `v1,…` signature.
pub fn sign(key: &SecretKey, id: &str, timestamp: i64, body: &[u8]) -> String {
    let ts = timestamp.to_string();
    let mac = hmac(key, &[id.as_bytes(), b".", ts.as_bytes(), b".", body]);
    format!("v1,{}", STANDARD.encode(mac))
}

/// The `webhook-signature` header: one signature per key, space-separated (during a rotation
/// the receiver may hold either secret).
pub fn signature_header(keys: &[SecretKey], id: &str, timestamp: i64, body: &[u8]) -> String {
    keys.iter().map(|k| sign(k, id, timestamp, body)).collect::<Vec<_>>().join(" ")
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// HMAC-SHA256 of `parts` (concatenated) under `key`.
pub fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    hmac(key, parts)
}

/// Lowercase hex HMAC-SHA512 of `text` under `key`.
pub fn hmac_sha512_hex(key: &[u8], text: &[u8]) -> String {
    let mut mac = Hmac::<Sha512>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(text);
    hex(&mac.finalize().into_bytes())
}

/// The secrets that sign one attempt of a delivery (the current one first, then the previous
/// one during its grace period) and the attempt's time, for whoever shapes the request: the
/// Standard Webhooks headers, or a dialect's own scheme over the same secrets.
#[derive(Clone, Debug)]
pub struct Signer {
    pub keys: Vec<SecretKey>,
    /// Unix seconds of the attempt.
    pub timestamp: i64,
}

impl Signer {
    /// The Standard Webhooks headers of `body` for the event `event_id`.
    pub fn standard_headers(&self, event_id: &str, body: &[u8]) -> Vec<(std::borrow::Cow<'static, str>, String)> {
        vec![
            ("webhook-id".into(), event_id.to_owned()),
            ("webhook-timestamp".into(), self.timestamp.to_string()),
            ("webhook-signature".into(), signature_header(&self.keys, event_id, self.timestamp, body)),
        ]
    }

    /// The secrets as the merchant sees them (`whsec_…`), current first.
    pub fn secret_texts(&self) -> Vec<String> {
        self.keys.iter().map(whsec).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_matches_the_standard_webhooks_test_vector() {
        // From the Standard Webhooks reference libraries' tests.
        let key: Vec<u8> = STANDARD.decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let body = br#"{"test": 2432232314}"#;
        let mac = hmac(&key, &[b"msg_p5jXN8AQM9LWM0D4loKWxJek", b".", b"1614265330", b".", body]);
        assert_eq!(format!("v1,{}", STANDARD.encode(mac)), "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn every_key_signs_during_a_rotation() {
        let (a, b) = ([1u8; 32], [2u8; 32]);
        let header = signature_header(&[a, b], "evt_1", 1_700_000_000, b"{}");
        let parts: Vec<&str> = header.split(' ').collect();
        assert_eq!(parts, [sign(&a, "evt_1", 1_700_000_000, b"{}"), sign(&b, "evt_1", 1_700_000_000, b"{}")]);
        assert!(whsec(&a).starts_with("whsec_"));
    }

    #[test]
    fn the_macs_match_rfc_4231_test_case_2() {
        // RFC 4231 §4.3: key "Jefe", data "what do ya want for nothing?".
        let data = b"what do ya want for nothing?";
        assert_eq!(
            hex(&hmac_sha256(b"Jefe", &[data])),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            hmac_sha512_hex(b"Jefe", data),
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
        );
    }
}
