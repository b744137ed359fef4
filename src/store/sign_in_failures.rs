//! Failed sign-ins, counted per subject (an e-mail as typed, or a client address) in a window.
//! One guarded upsert counts a failure and, at the limit, locks the subject; concurrent failures
//! each count, so a burst of guesses cannot slip past the limit.

use super::columns::columns;
use super::conn::{Conn, DbError};
use crate::domain::Timestamp;
use crate::params;

/// What failures are counted against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The e-mail typed (lowercased), whether or not a user has it.
    Account,
    /// The client's address.
    Address,
}

impl Scope {
    fn as_str(self) -> &'static str {
        match self {
            Scope::Account => "account",
            Scope::Address => "address",
        }
    }
}

/// The counting rule.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub failures: i64,
    pub window_secs: i64,
    pub lockout_secs: i64,
}

/// Whether `subject` is locked at `now`.
pub fn locked(c: &mut dyn Conn, scope: Scope, subject: &str, now: Timestamp) -> Result<bool, DbError> {
    columns! {
        enum L { Until = "locked_until" }
        const SQL = "SELECT " + COLUMNS + " FROM sign_in_failures WHERE scope = ?1 AND subject = ?2";
    }
    let row = c.query_opt(SQL, params![scope.as_str(), subject])?;
    Ok(row.map(|r| r.opt_i64(L::Until)).transpose()?.flatten().is_some_and(|until| until > now.micros()))
}

/// Counts one failure; `true` when it locked the subject (the failure that reached the limit).
pub fn record(c: &mut dyn Conn, scope: Scope, subject: &str, limit: Limit, now: Timestamp) -> Result<bool, DbError> {
    columns! {
        enum F { Failures = "failures", Until = "locked_until" }
        const SQL = "INSERT INTO sign_in_failures (scope, subject, failures, window_start, locked_until) \
            VALUES (?1, ?2, 1, CAST(?3 AS BIGINT), \
            CASE WHEN CAST(?4 AS BIGINT) <= 1 THEN CAST(?5 AS BIGINT) ELSE NULL END) \
            ON CONFLICT (scope, subject) DO UPDATE SET \
            failures = CASE WHEN sign_in_failures.window_start <= CAST(?6 AS BIGINT) THEN 1 \
            ELSE sign_in_failures.failures + 1 END, \
            window_start = CASE WHEN sign_in_failures.window_start <= CAST(?6 AS BIGINT) THEN CAST(?3 AS BIGINT) \
            ELSE sign_in_failures.window_start END, \
            locked_until = CASE WHEN (CASE WHEN sign_in_failures.window_start <= CAST(?6 AS BIGINT) THEN 1 \
            ELSE sign_in_failures.failures + 1 END) >= CAST(?4 AS BIGINT) THEN CAST(?5 AS BIGINT) \
            ELSE sign_in_failures.locked_until END \
            RETURNING " + COLUMNS;
    }
    let (now_us, lock_end) = (now.micros(), now.plus_secs(limit.lockout_secs).micros());
    let window_open = now.plus_secs(-limit.window_secs).micros();
    let values = params![scope.as_str(), subject, now_us, limit.failures, lock_end, window_open];
    let row = c.query_opt(SQL, values)?.ok_or_else(|| DbError::Other("failure count vanished".into()))?;
    Ok(row.i64(F::Failures)? == limit.failures && row.opt_i64(F::Until)? == Some(lock_end))
}

/// Forgets the failures of a subject (after a successful sign-in).
pub fn clear(c: &mut dyn Conn, scope: Scope, subject: &str) -> Result<(), DbError> {
    c.execute("DELETE FROM sign_in_failures WHERE scope = ?1 AND subject = ?2", params![scope.as_str(), subject])
        .map(|_| ())
}
