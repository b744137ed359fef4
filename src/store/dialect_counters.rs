//! Integer ids a dialect hands out: one counter row per kind (created by the dialect's
//! migration), advanced by one guarded statement so concurrent callers never share a number.

use super::columns::Only;
use super::conn::{Conn, DbError};
use crate::params;

/// The next number of the counter `name`.
pub fn next(c: &mut dyn Conn, name: &str) -> Result<i64, DbError> {
    let sql = "UPDATE dialect_counters SET last = last + 1 WHERE name = ?1 RETURNING last";
    let row = c.query_opt(sql, params![name])?;
    row.ok_or_else(|| DbError::Other(format!("no dialect counter {name}")))?.i64(Only)
}

/// The payment's number in a dialect that needs integer ids, given on first need and then fixed.
/// Runs inside one write: a concurrent caller that lost the race reads the winner's number.
pub fn payment_number(c: &mut dyn Conn, payment_id: &str, counter: &str) -> Result<i64, DbError> {
    let current = c.query_opt("SELECT dialect_ref FROM payments WHERE id = ?1", params![payment_id])?;
    let Some(mut row) = current else { return Err(DbError::Other(format!("no payment {payment_id}"))) };
    if let Some(n) = row.take_opt_text(Only)?.and_then(|s| s.parse().ok()) {
        return Ok(n);
    }
    let n = next(c, counter)?;
    let set = "UPDATE payments SET dialect_ref = ?1 WHERE id = ?2 AND dialect_ref IS NULL";
    if c.execute(set, params![n.to_string(), payment_id])? == 1 {
        return Ok(n);
    }
    let mut row = c
        .query_opt("SELECT dialect_ref FROM payments WHERE id = ?1", params![payment_id])?
        .ok_or_else(|| DbError::Other(format!("no payment {payment_id}")))?;
    row.take_opt_text(Only)?.and_then(|s| s.parse().ok()).ok_or_else(|| DbError::Other("payment number lost".into()))
}
