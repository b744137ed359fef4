//! RSA keys a dialect signs its callbacks with (RSA-PSS, SHA-256, MGF1-SHA-256, 32-byte salt):
//! one per dialect, store and environment, made on first use and kept in the database so every
//! instance signs with the same key; merchants fetch the public key to verify the signature.
//!
//! The `rsa` crate only generates keys; signing is ring's (constant-time).

use super::{Ctx, Result, ServiceError};
use crate::domain::Environment;
use crate::domain::dialect::DialectName;
use crate::domain::id::StoreId;
use crate::store::dialect_keys::{self, StoredKey};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A loaded signing key with what merchants see of it.
pub struct SigningKey {
    pair: ring::signature::RsaKeyPair,
    /// The public key, SPKI in PEM (`-----BEGIN PUBLIC KEY-----`).
    pub public_pem: String,
    /// SHA-256 of the public key's DER, hex: sent as `X-API-Key`.
    pub fingerprint: String,
}

impl SigningKey {
    /// An RSA-PSS (SHA-256) signature of `message`, base64.
    pub fn sign_base64(&self, message: &[u8]) -> Result<String> {
        let mut signature = vec![0; self.pair.public().modulus_len()];
        let rng = ring::rand::SystemRandom::new();
        self.pair
            .sign(&ring::signature::RSA_PSS_SHA256, &rng, message, &mut signature)
            .map_err(|e| ServiceError::internal_from("RSA-PSS signing failed", e.to_string()))?;
        Ok(STANDARD.encode(signature))
    }
}

/// Loaded keys by dialect, store and environment.
#[derive(Default)]
pub struct KeyCache(Mutex<HashMap<(DialectName, String, Environment), Arc<SigningKey>>>);

const BITS: usize = 2048;

/// The signing key of `dialect` for a store and environment, made (and stored) on first use.
pub async fn signing_key(
    ctx: &Ctx,
    dialect: &DialectName,
    store: &StoreId,
    env: Environment,
) -> Result<Arc<SigningKey>> {
    let slot = (dialect.clone(), store.as_str().to_owned(), env);
    if let Some(hit) = ctx.dialect_keys.0.lock().unwrap_or_else(|p| p.into_inner()).get(&slot) {
        return Ok(hit.clone());
    }
    let (id, name) = (store.clone(), dialect.clone());
    let stored = match ctx.db.read(move |c| dialect_keys::get(c, &id, env, name.as_str())).await? {
        Some(k) => k,
        None => {
            let fresh = tokio::task::spawn_blocking(generate)
                .await
                .map_err(|e| ServiceError::internal_from("key generation", e))??;
            let (id, name, now) = (store.clone(), dialect.clone(), ctx.clock.now());
            ctx.db.write(move |c| dialect_keys::keep_first(c, &id, env, name.as_str(), &fresh, now)).await?
        }
    };
    let key = Arc::new(load(&stored)?);
    ctx.dialect_keys.0.lock().unwrap_or_else(|p| p.into_inner()).insert(slot, key.clone());
    Ok(key)
}

fn load(k: &StoredKey) -> Result<SigningKey> {
    let der =
        STANDARD.decode(&k.private_pkcs8).map_err(|e| ServiceError::internal_from("stored key is not base64", e))?;
    let pair = ring::signature::RsaKeyPair::from_pkcs8(&der)
        .map_err(|e| ServiceError::internal_from("stored key is not usable", e.to_string()))?;
    Ok(SigningKey { pair, public_pem: k.public_pem.clone(), fingerprint: k.fingerprint.clone() })
}

/// A new 2048-bit key pair in its stored form.
fn generate() -> Result<StoredKey> {
    use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey};
    let internal = |e: &dyn std::fmt::Display| ServiceError::internal_from("key generation", e.to_string());
    let private = rsa::RsaPrivateKey::new(&mut rand_core::OsRng, BITS).map_err(|e| internal(&e))?;
    let pkcs8 = private.to_pkcs8_der().map_err(|e| internal(&e))?;
    let spki = private.to_public_key().to_public_key_der().map_err(|e| internal(&e))?;
    Ok(StoredKey {
        private_pkcs8: STANDARD.encode(pkcs8.as_bytes()),
        public_pem: pem("PUBLIC KEY", spki.as_bytes()),
        fingerprint: super::secrets::digest_bytes(spki.as_bytes()),
    })
}

/// PEM armour: base64 in 64-character lines between the labels.
fn pem(label: &str, der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let lines: Vec<&str> = b64.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).unwrap_or_default()).collect();
    format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", lines.join("\n"))
}
