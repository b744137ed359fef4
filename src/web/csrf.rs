//! Signed double-submit CSRF tokens for the page forms. A GET sets the `pl_csrf` cookie (a random
//! nonce, HttpOnly, SameSite=Strict) and puts `base64url(issued_at) "." HMAC(page_key,
//! nonce|link_id|issued_at)` in a hidden field; a POST must bring both, for the same link, within
//! two hours. The MAC binds the field to the cookie, so an attacker who can plant a cookie still
//! cannot mint a field without the instance key.

use crate::domain::Timestamp;
use axum::http::HeaderMap;
use axum::http::header::COOKIE;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The cookie's name.
pub const COOKIE_NAME: &str = "pl_csrf";
/// How long a rendered form stays valid.
const MAX_AGE_SECS: i64 = 2 * 3600;
/// Clock skew tolerated between instances for a token "from the future".
const SKEW_SECS: i64 = 60;

/// The browser's CSRF nonce: the one its cookie carries, or a fresh one to set.
pub struct Nonce {
    value: String,
    fresh: bool,
}

impl Nonce {
    /// The nonce in the request's cookie, or a new one (which [`Nonce::set_cookie`] then sets).
    pub fn from_headers(headers: &HeaderMap) -> Nonce {
        match cookie_nonce(headers) {
            Some(value) => Nonce { value, fresh: false },
            None => Nonce { value: B64.encode(crate::service::secrets::random_bytes::<16>()), fresh: true },
        }
    }

    /// The hidden-field token for a form about `link_id`, issued `now`.
    pub fn token(&self, key: &[u8; 32], link_id: &str, now: Timestamp) -> String {
        let issued = now.micros().div_euclid(1_000_000);
        format!("{}.{}", B64.encode(issued.to_be_bytes()), B64.encode(mac(key, &self.value, link_id, issued)))
    }

    /// The `Set-Cookie` value when the nonce is new (`Secure` on an https deployment).
    pub fn set_cookie(&self, secure: bool) -> Option<String> {
        let secure = if secure { "; Secure" } else { "" };
        self.fresh.then(|| format!("{COOKIE_NAME}={}; Path=/; HttpOnly; SameSite=Strict{secure}", self.value))
    }
}

/// Whether `token` was issued for this browser's cookie and `link_id` less than two hours ago.
pub fn verify(key: &[u8; 32], headers: &HeaderMap, link_id: &str, token: &str, now: Timestamp) -> bool {
    let Some(nonce) = cookie_nonce(headers) else { return false };
    let Some((issued, tag)) = token.split_once('.') else { return false };
    let issued = match B64.decode(issued).ok().and_then(|b| <[u8; 8]>::try_from(b).ok()) {
        Some(bytes) => i64::from_be_bytes(bytes),
        None => return false,
    };
    let age = now.micros().div_euclid(1_000_000) - issued;
    if !(-SKEW_SECS..=MAX_AGE_SECS).contains(&age) {
        return false;
    }
    let Ok(tag) = B64.decode(tag) else { return false };
    let mut expected = hmac(key);
    expected.update(message(&nonce, link_id, issued).as_bytes());
    expected.verify_slice(&tag).is_ok()
}

fn hmac(key: &[u8; 32]) -> Hmac<Sha256> {
    Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length")
}

fn message(nonce: &str, link_id: &str, issued: i64) -> String {
    format!("{nonce}|{link_id}|{issued}")
}

fn mac(key: &[u8; 32], nonce: &str, link_id: &str, issued: i64) -> Vec<u8> {
    let mut m = hmac(key);
    m.update(message(nonce, link_id, issued).as_bytes());
    m.finalize().into_bytes().to_vec()
}

/// The well-formed `pl_csrf` value among the request's cookies.
fn cookie_nonce(headers: &HeaderMap) -> Option<String> {
    let well_formed = |v: &str| {
        (16..=64).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .flat_map(|h| h.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == COOKIE_NAME && well_formed(value))
        .map(|(_, value)| value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    const KEY: [u8; 32] = [7; 32];

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_micros(secs * 1_000_000)
    }

    fn with_cookie(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(COOKIE, HeaderValue::from_str(&format!("other=1; {COOKIE_NAME}={value}")).unwrap());
        h
    }

    #[test]
    fn a_fresh_nonce_sets_a_strict_http_only_cookie_and_its_token_verifies() {
        let nonce = Nonce::from_headers(&HeaderMap::new());
        let cookie = nonce.set_cookie(true).unwrap();
        assert!(cookie.ends_with("; Path=/; HttpOnly; SameSite=Strict; Secure"), "{cookie}");
        let token = nonce.token(&KEY, "pl_1", at(1_000));
        assert!(verify(&KEY, &with_cookie(&nonce.value), "pl_1", &token, at(1_000 + 7_199)));
    }

    #[test]
    fn an_existing_cookie_is_reused_and_not_set_again() {
        let nonce = Nonce::from_headers(&with_cookie("abcdefghijklmnop"));
        assert_eq!(nonce.value, "abcdefghijklmnop");
        assert_eq!(nonce.set_cookie(false), None);
    }

    #[test]
    fn tokens_fail_for_another_cookie_link_key_or_when_too_old() {
        let nonce = Nonce::from_headers(&with_cookie("abcdefghijklmnop"));
        let token = nonce.token(&KEY, "pl_1", at(1_000));
        let headers = with_cookie("abcdefghijklmnop");
        assert!(!verify(&KEY, &with_cookie("zzzzzzzzzzzzzzzz"), "pl_1", &token, at(1_000)));
        assert!(!verify(&KEY, &headers, "pl_2", &token, at(1_000)));
        assert!(!verify(&[8; 32], &headers, "pl_1", &token, at(1_000)));
        assert!(!verify(&KEY, &headers, "pl_1", &token, at(1_000 + 7_201)));
        assert!(!verify(&KEY, &HeaderMap::new(), "pl_1", &token, at(1_000)));
        assert!(!verify(&KEY, &headers, "pl_1", "garbage", at(1_000)));
    }
}
