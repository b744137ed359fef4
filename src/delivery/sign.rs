//! Standard Webhooks signing (<https://www.standardwebhooks.com>): `webhook-signature` carries
//! `v1,` and the base64 HMAC-SHA256 of `{id}.{timestamp}.{body}` under the secret's key bytes;
//! secrets are shown as `whsec_` and the base64 of those bytes. Secrets are derived from the
//! instance's signing key and a stored nonce, so no secret is ever stored.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

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

/// The `secret` of an Amwal Exchange invoice (a UUID, shown on creation and sent in the paid
/// callback): derived from the invoice id, so it is never stored.
pub fn invoice_secret(signing_key: &[u8; 32], invoice_id: &str) -> String {
    let mac = hmac(signing_key, &[b"exchange-invoice:", invoice_id.as_bytes()]);
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&mac[..16]);
    crate::domain::dialect::uuid_v4_from(bytes)
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
}
