//! Dashboard sessions. Only the digest of a session's cookie value is stored; a session is read
//! by that digest on every dashboard request and written when it is created, when its stage
//! moves on, when its store or environment changes, and (at most once a minute) when it is seen.

use super::columns::columns;
use super::conn::{Conn, DbError};
use crate::domain::id::{StoreId, UserId};
use crate::domain::session::Stage;
use crate::domain::{Environment, Timestamp};
use crate::params;

/// A stored session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRow {
    pub digest: String,
    pub user_id: UserId,
    pub store_id: StoreId,
    pub environment: Environment,
    pub stage: Stage,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    /// The absolute end.
    pub expires_at: Timestamp,
}

columns! {
    /// The columns a session is read from.
    enum C {
        Digest = "id_digest", UserId = "user_id", StoreId = "store_id", Environment = "environment",
        Stage = "stage", CreatedAt = "created_at", LastSeenAt = "last_seen_at", ExpiresAt = "expires_at",
    }
    const BY_DIGEST = "SELECT " + COLUMNS + " FROM sessions WHERE id_digest = ?1";
}

/// Writes a new session.
pub fn insert(c: &mut dyn Conn, s: &SessionRow) -> Result<(), DbError> {
    let sql = "INSERT INTO sessions (id_digest, user_id, store_id, environment, stage, created_at, last_seen_at, \
               expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)";
    let values = params![
        s.digest.as_str(),
        s.user_id.as_str(),
        s.store_id.as_str(),
        s.environment.as_str(),
        s.stage.as_str(),
        s.created_at.micros(),
        s.expires_at.micros()
    ];
    c.execute(sql, values).map(|_| ())
}

/// Reads a session by its digest.
pub fn get(c: &mut dyn Conn, digest: &str) -> Result<Option<SessionRow>, DbError> {
    let Some(r) = c.query_opt(BY_DIGEST, params![digest])? else { return Ok(None) };
    Ok(Some(SessionRow {
        digest: r.text(C::Digest)?,
        user_id: UserId::from_trusted(r.text(C::UserId)?),
        store_id: StoreId::from_trusted(r.text(C::StoreId)?),
        environment: Environment::parse(&r.text(C::Environment)?).ok_or(DbError::decode(C::Environment))?,
        stage: Stage::parse(&r.text(C::Stage)?).ok_or(DbError::decode(C::Stage))?,
        created_at: Timestamp::from_micros(r.i64(C::CreatedAt)?),
        last_seen_at: Timestamp::from_micros(r.i64(C::LastSeenAt)?),
        expires_at: Timestamp::from_micros(r.i64(C::ExpiresAt)?),
    }))
}

/// Records that the session was used at `now`.
pub fn touch(c: &mut dyn Conn, digest: &str, now: Timestamp) -> Result<(), DbError> {
    let sql = "UPDATE sessions SET last_seen_at = ?2 WHERE id_digest = ?1 AND last_seen_at < ?2";
    c.execute(sql, params![digest, now.micros()]).map(|_| ())
}

/// Moves a session from stage `from` to `to`; `false` when it was not (any longer) at `from`.
pub fn advance(c: &mut dyn Conn, digest: &str, from: Stage, to: Stage) -> Result<bool, DbError> {
    let sql = "UPDATE sessions SET stage = ?3 WHERE id_digest = ?1 AND stage = ?2";
    Ok(c.execute(sql, params![digest, from.as_str(), to.as_str()])? == 1)
}

/// Switches the store and environment a session works in.
pub fn set_scope(c: &mut dyn Conn, digest: &str, store: &StoreId, env: Environment) -> Result<(), DbError> {
    let sql = "UPDATE sessions SET store_id = ?2, environment = ?3 WHERE id_digest = ?1";
    c.execute(sql, params![digest, store.as_str(), env.as_str()]).map(|_| ())
}

/// Ends one session.
pub fn delete(c: &mut dyn Conn, digest: &str) -> Result<(), DbError> {
    c.execute("DELETE FROM sessions WHERE id_digest = ?1", params![digest]).map(|_| ())
}

/// Ends every session of a user, but `keep` (the one that made the change) when given.
pub fn delete_for_user(c: &mut dyn Conn, user: &UserId, keep: Option<&str>) -> Result<u64, DbError> {
    let sql = "DELETE FROM sessions WHERE user_id = ?1 AND id_digest <> COALESCE(?2, '')";
    c.execute(sql, params![user.as_str(), keep])
}

/// Removes sessions past their absolute end (the idle end is checked when one is read).
pub fn delete_expired(c: &mut dyn Conn, now: Timestamp) -> Result<u64, DbError> {
    c.execute("DELETE FROM sessions WHERE expires_at <= ?1", params![now.micros()])
}
