//! What signing staff in needs beyond their user record: the password hash, the sealed TOTP
//! secret and the last code step used, and the single-use recovery codes. Read only by the
//! sign-in and profile services, never listed.

use super::columns::columns;
use super::conn::{Conn, DbError, Value};
use super::tenancy::{USER_COLUMNS, user_from_row};
use crate::domain::Timestamp;
use crate::domain::id::UserId;
use crate::domain::link::Language;
use crate::domain::tenancy::User;
use crate::params;

/// A user with their sign-in secrets.
#[derive(Clone, Debug)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
    /// The sealed TOTP secret: enrolled when `user.two_factor_since` is set, pending otherwise.
    pub totp_secret: Option<String>,
    pub totp_last_step: Option<i64>,
}

columns! {
    /// The secrets read beside a user's columns (after them).
    enum S { PasswordHash = "password_hash", TotpSecret = "totp_secret", TotpLastStep = "totp_last_step" }
}

fn credentials_from_row(r: &super::conn::Row) -> Result<Credentials, DbError> {
    let at = |c: S| super::tenancy::UserCol::COUNT + c as usize;
    Ok(Credentials {
        user: user_from_row(r)?,
        password_hash: r.text(at(S::PasswordHash))?,
        totp_secret: r.opt_text(at(S::TotpSecret))?,
        totp_last_step: r.opt_i64(at(S::TotpLastStep))?,
    })
}

/// Every enabled user with this e-mail (any merchant), oldest first.
pub fn by_email(c: &mut dyn Conn, email: &str) -> Result<Vec<Credentials>, DbError> {
    let sql = format!(
        "SELECT {USER_COLUMNS}, {} FROM users WHERE lower(email) = lower(?1) AND disabled_at IS NULL \
         ORDER BY created_at, id",
        S::LIST
    );
    c.query(&sql, params![email])?.iter().map(credentials_from_row).collect()
}

/// A user with their secrets, by id.
pub fn by_id(c: &mut dyn Conn, id: &UserId) -> Result<Option<Credentials>, DbError> {
    let sql = format!("SELECT {USER_COLUMNS}, {} FROM users WHERE id = ?1", S::LIST);
    c.query_opt(&sql, params![id.as_str()])?.as_ref().map(credentials_from_row).transpose()
}

/// Sets a new password hash (and whether it must be changed at the next sign-in).
pub fn set_password(
    c: &mut dyn Conn,
    id: &UserId,
    hash: &str,
    must_change: bool,
    now: Timestamp,
) -> Result<(), DbError> {
    let sql = "UPDATE users SET password_hash = ?2, must_change_password = ?3, updated_at = ?4 WHERE id = ?1";
    c.execute(sql, params![id.as_str(), hash, must_change, now.micros()]).map(|_| ())
}

/// Sets the dashboard language of a user.
pub fn set_language(c: &mut dyn Conn, id: &UserId, lang: Language) -> Result<(), DbError> {
    c.execute("UPDATE users SET language = ?2 WHERE id = ?1", params![id.as_str(), lang.as_str()]).map(|_| ())
}

/// Sets (or clears) the sealed TOTP secret and when it was enabled (`None`: pending or off).
pub fn set_totp(c: &mut dyn Conn, id: &UserId, sealed: Option<&str>, since: Option<Timestamp>) -> Result<(), DbError> {
    let sql = "UPDATE users SET totp_secret = ?2, totp_enabled_at = ?3, totp_last_step = NULL WHERE id = ?1";
    c.execute(sql, params![id.as_str(), sealed, since.map(|t| t.micros())]).map(|_| ())
}

/// Turns a pending TOTP secret on; `false` when there is none or it is on already (a guarded
/// update, so two confirmations racing cannot both succeed).
pub fn enable_totp(c: &mut dyn Conn, id: &UserId, now: Timestamp) -> Result<bool, DbError> {
    let sql = "UPDATE users SET totp_enabled_at = ?2, totp_last_step = NULL \
               WHERE id = ?1 AND totp_enabled_at IS NULL AND totp_secret IS NOT NULL";
    Ok(c.execute(sql, params![id.as_str(), now.micros()])? == 1)
}

/// Records that a code of time step `step` was accepted; `false` when that step (or a later
/// one) was used already, so a code is never accepted twice, however many requests race.
pub fn take_totp_step(c: &mut dyn Conn, id: &UserId, step: i64) -> Result<bool, DbError> {
    let sql = "UPDATE users SET totp_last_step = ?2 WHERE id = ?1 AND (totp_last_step IS NULL OR totp_last_step < ?2)";
    Ok(c.execute(sql, params![id.as_str(), step])? == 1)
}

/// Replaces a user's recovery codes with these digests.
pub fn replace_recovery_codes(c: &mut dyn Conn, id: &UserId, digests: &[String]) -> Result<(), DbError> {
    c.execute("DELETE FROM recovery_codes WHERE user_id = ?1", params![id.as_str()])?;
    for d in digests {
        c.execute(
            "INSERT INTO recovery_codes (user_id, digest, used_at) VALUES (?1, ?2, NULL)",
            params![id.as_str(), d],
        )?;
    }
    Ok(())
}

/// Uses a recovery code; `false` when the user has no such unused code.
pub fn use_recovery_code(c: &mut dyn Conn, id: &UserId, digest: &str, now: Timestamp) -> Result<bool, DbError> {
    let sql = "UPDATE recovery_codes SET used_at = ?3 WHERE user_id = ?1 AND digest = ?2 AND used_at IS NULL";
    Ok(c.execute(sql, params![id.as_str(), digest, now.micros()])? == 1)
}

/// How many unused recovery codes a user has.
pub fn recovery_codes_left(c: &mut dyn Conn, id: &UserId) -> Result<i64, DbError> {
    let sql = "SELECT count(*) FROM recovery_codes WHERE user_id = ?1 AND used_at IS NULL";
    let values: Vec<Value> = vec![id.as_str().into()];
    c.query_opt(sql, &values)?.map_or(Ok(0), |r| r.i64(super::columns::Only))
}
