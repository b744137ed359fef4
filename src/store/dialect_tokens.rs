//! Dialect auth tokens (an API key traded for a bearer token): only the token's digest is kept, with
//! the API key it stands for and when it stops working.

use super::columns::Only;
use super::conn::{Conn, DbError};
use crate::domain::Timestamp;
use crate::domain::id::KeyId;
use crate::params;

/// Stores a new token's digest.
pub fn insert(
    c: &mut dyn Conn,
    digest: &str,
    key: &KeyId,
    expires_at: Timestamp,
    now: Timestamp,
) -> Result<(), DbError> {
    let sql = "INSERT INTO dialect_tokens (digest, key_id, expires_at, created_at) VALUES (?1, ?2, ?3, ?4)";
    c.execute(sql, params![digest, key.as_str(), expires_at.micros(), now.micros()]).map(|_| ())
}

/// The key a token stands for, if the token exists and has not expired at `now`.
pub fn key_of(c: &mut dyn Conn, digest: &str, now: Timestamp) -> Result<Option<KeyId>, DbError> {
    let sql = "SELECT key_id FROM dialect_tokens WHERE digest = ?1 AND expires_at > ?2";
    let row = c.query_opt(sql, params![digest, now.micros()])?;
    row.map(|mut r| r.take_text(Only).map(KeyId::from_trusted)).transpose()
}

/// Deletes tokens that expired before `now`; returns how many.
pub fn prune(c: &mut dyn Conn, now: Timestamp) -> Result<u64, DbError> {
    c.execute("DELETE FROM dialect_tokens WHERE expires_at <= ?1", params![now.micros()])
}
