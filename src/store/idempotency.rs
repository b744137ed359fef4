//! Idempotency keys, scoped per store and environment. A request first claims its key with an
//! insert that only one caller can win; the winner stores its response when done. A claim whose
//! holder died is taken over once its lease has passed.

use super::columns::columns;
use super::conn::{Conn, DbError};
use crate::domain::id::StoreId;
use crate::domain::{Environment, Timestamp};
use crate::params;

/// What claiming a key found.
#[derive(Debug, PartialEq, Eq)]
pub enum Claim {
    /// The caller owns the key and must complete or release it.
    Acquired,
    /// The same request already finished: here is its response.
    Replay { status: u16, body: String },
    /// The same request is still running elsewhere.
    InFlight,
    /// The key was used with a different request.
    Mismatch,
}

/// The key's identity.
pub struct Key<'a> {
    pub store_id: &'a StoreId,
    pub environment: Environment,
    pub key: &'a str,
}

columns! {
    /// What a claim reads of a key that is already held.
    enum HeldCol {
        RequestHash = "request_hash", StatusCode = "status_code", ResponseBody = "response_body",
        LockedUntil = "locked_until",
    }
    const HELD = "SELECT " + COLUMNS + " FROM idempotency_keys WHERE store_id = ?1 AND environment = ?2 AND key = ?3";
}

/// Claims `key` for a request with this hash, holding it until `lease_until`.
pub fn claim(
    c: &mut dyn Conn,
    k: &Key<'_>,
    hash: &str,
    now: Timestamp,
    lease_until: Timestamp,
) -> Result<Claim, DbError> {
    let (store, env) = (k.store_id.as_str(), k.environment.as_str());
    let inserted = c.execute(
        "INSERT INTO idempotency_keys (store_id, environment, key, request_hash, status_code, response_body, locked_until, created_at) \
         VALUES (?1, ?2, ?3, ?4, NULL, NULL, ?5, ?6) ON CONFLICT (store_id, environment, key) DO NOTHING",
        params![store, env, k.key, hash, lease_until.micros(), now.micros()],
    )?;
    if inserted == 1 {
        return Ok(Claim::Acquired);
    }
    let row =
        c.query_opt(HELD, params![store, env, k.key])?.ok_or(DbError::Other("idempotency row vanished".into()))?;
    if row.text(HeldCol::RequestHash)? != hash {
        return Ok(Claim::Mismatch);
    }
    if let Some(status) = row.opt_i64(HeldCol::StatusCode)? {
        let body = row.opt_text(HeldCol::ResponseBody)?.unwrap_or_default();
        return Ok(Claim::Replay { status: status as u16, body });
    }
    if row.i64(HeldCol::LockedUntil)? > now.micros() {
        return Ok(Claim::InFlight);
    }
    let taken = c.execute(
        "UPDATE idempotency_keys SET locked_until = ?4 WHERE store_id = ?1 AND environment = ?2 AND key = ?3 \
         AND status_code IS NULL AND locked_until <= ?5",
        params![store, env, k.key, lease_until.micros(), now.micros()],
    )?;
    Ok(if taken == 1 { Claim::Acquired } else { Claim::InFlight })
}

/// Stores the response of a claimed request.
pub fn complete(c: &mut dyn Conn, k: &Key<'_>, status: u16, body: &str) -> Result<(), DbError> {
    c.execute(
        "UPDATE idempotency_keys SET status_code = ?4, response_body = ?5 WHERE store_id = ?1 AND environment = ?2 AND key = ?3",
        params![k.store_id.as_str(), k.environment.as_str(), k.key, status as i64, body],
    )
    .map(|_| ())
}

/// Gives a claim up (the request failed in a way that a retry should redo).
pub fn release(c: &mut dyn Conn, k: &Key<'_>) -> Result<(), DbError> {
    c.execute(
        "DELETE FROM idempotency_keys WHERE store_id = ?1 AND environment = ?2 AND key = ?3 AND status_code IS NULL",
        params![k.store_id.as_str(), k.environment.as_str(), k.key],
    )
    .map(|_| ())
}

/// Deletes finished keys created before `before` (kept at least 24 h).
pub fn purge(c: &mut dyn Conn, before: Timestamp) -> Result<u64, DbError> {
    c.execute("DELETE FROM idempotency_keys WHERE created_at < ?1", params![before.micros()])
}
