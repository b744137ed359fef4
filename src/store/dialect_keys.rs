//! The asymmetric keys dialects sign with, one per store, environment and dialect.

use super::columns::columns;
use super::conn::{Conn, DbError, Row};
use crate::domain::id::StoreId;
use crate::domain::{Environment, Timestamp};
use crate::params;

/// A stored key pair: the private key (PKCS#8 DER, base64), the public key (SPKI PEM) and its
/// fingerprint (SHA-256 of the SPKI DER, hex).
#[derive(Clone, Debug)]
pub struct StoredKey {
    pub private_pkcs8: String,
    pub public_pem: String,
    pub fingerprint: String,
}

/// The key of a store, environment and dialect, if made.
pub fn get(c: &mut dyn Conn, store: &StoreId, env: Environment, dialect: &str) -> Result<Option<StoredKey>, DbError> {
    columns! {
        enum KeyCol { Private = "private_pkcs8", Public = "public_pem", Fingerprint = "fingerprint" }
        const SQL = "SELECT " + COLUMNS + " FROM dialect_keys \
            WHERE store_id = ?1 AND environment = ?2 AND dialect = ?3";
    }
    let key = |mut r: Row| {
        let (private_pkcs8, public_pem) = (r.take_text(KeyCol::Private)?, r.take_text(KeyCol::Public)?);
        Ok(StoredKey { private_pkcs8, public_pem, fingerprint: r.take_text(KeyCol::Fingerprint)? })
    };
    c.query_opt(SQL, params![store.as_str(), env.as_str(), dialect])?.map(key).transpose()
}

/// Stores `key` unless one exists already (two instances making one at once: the first wins),
/// and returns the stored one.
pub fn keep_first(
    c: &mut dyn Conn,
    store: &StoreId,
    env: Environment,
    dialect: &str,
    key: &StoredKey,
    now: Timestamp,
) -> Result<StoredKey, DbError> {
    c.execute(
        "INSERT INTO dialect_keys (store_id, environment, dialect, private_pkcs8, public_pem, fingerprint, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (store_id, environment, dialect) DO NOTHING",
        params![
            store.as_str(),
            env.as_str(),
            dialect,
            key.private_pkcs8.as_str(),
            key.public_pem.as_str(),
            key.fingerprint.as_str(),
            now.micros()
        ],
    )?;
    get(c, store, env, dialect)?.ok_or_else(|| DbError::Other("dialect key vanished".into()))
}
