//! The sandbox connector's ledger: what a remote provider would remember about each charge. Every
//! transition is a guarded update, so concurrent queries, OTP entries and cancels agree.

use super::columns::{Only, columns};
use super::conn::{Conn, DbError, Row};
use crate::params;

/// A charge as the sandbox remembers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChargeRow {
    pub attempt_id: String,
    pub status: String,
    pub decline_code: Option<String>,
    pub ready_at: Option<i64>,
}

/// A charge to record.
pub struct NewCharge {
    pub attempt_id: String,
    pub reference: String,
    /// Brand and last 4, or the phone number: never a card number.
    pub instrument: String,
    pub amount_minor: i64,
    pub currency: &'static str,
    pub status: &'static str,
    pub final_status: &'static str,
    pub decline_code: Option<&'static str>,
    pub ready_at: Option<i64>,
    /// Every refund of this charge fails (a documented test card).
    pub refunds_fail: bool,
}

columns! {
    /// The columns a charge is read from.
    enum ChargeCol { AttemptId = "attempt_id", Status = "status", DeclineCode = "decline_code", ReadyAt = "ready_at" }
    const GET = "SELECT " + COLUMNS + " FROM sandbox_charges WHERE attempt_id = ?1";
}

fn from_row(mut r: Row) -> Result<ChargeRow, DbError> {
    use ChargeCol as C;
    Ok(ChargeRow {
        attempt_id: r.take_text(C::AttemptId)?,
        status: r.take_text(C::Status)?,
        decline_code: r.take_opt_text(C::DeclineCode)?,
        ready_at: r.opt_i64(C::ReadyAt)?,
    })
}

/// Records a charge unless one with this attempt id exists; returns the stored charge.
pub fn insert(c: &mut dyn Conn, ch: &NewCharge, now: i64) -> Result<ChargeRow, DbError> {
    c.execute(
        "INSERT INTO sandbox_charges (attempt_id, reference, instrument, amount_minor, currency, status, final_status, \
         decline_code, ready_at, otp_attempts, refunded_minor, created_at, updated_at, refunds_fail) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, 0, ?10, ?10, ?11) ON CONFLICT (attempt_id) DO NOTHING",
        params![
            ch.attempt_id.as_str(),
            ch.reference.as_str(),
            ch.instrument.as_str(),
            ch.amount_minor,
            ch.currency,
            ch.status,
            ch.final_status,
            ch.decline_code,
            ch.ready_at,
            now,
            ch.refunds_fail
        ],
    )?;
    get(c, &ch.attempt_id)?.ok_or_else(|| DbError::Other("sandbox charge vanished".into()))
}

/// Reads a charge.
pub fn get(c: &mut dyn Conn, attempt_id: &str) -> Result<Option<ChargeRow>, DbError> {
    c.query_opt(GET, params![attempt_id])?.map(from_row).transpose()
}

/// Moves a waiting charge whose time has come to its final status.
pub fn settle_if_ready(c: &mut dyn Conn, attempt_id: &str, now: i64) -> Result<(), DbError> {
    c.execute(
        "UPDATE sandbox_charges SET status = final_status, updated_at = ?2 WHERE attempt_id = ?1 \
         AND status IN ('processing', 'awaiting_approval') AND ready_at IS NOT NULL AND ready_at <= ?2",
        params![attempt_id, now],
    )
    .map(|_| ())
}

/// Applies one OTP entry: the right code succeeds; the `tries`-th wrong one declines.
pub fn enter_otp(c: &mut dyn Conn, attempt_id: &str, correct: bool, tries: i64, now: i64) -> Result<(), DbError> {
    let sql = if correct {
        "UPDATE sandbox_charges SET status = final_status, updated_at = ?2 WHERE attempt_id = ?1 \
         AND status = 'requires_otp' AND ?3 > 0"
    } else {
        "UPDATE sandbox_charges SET otp_attempts = otp_attempts + 1, updated_at = ?2, \
         status = CASE WHEN otp_attempts + 1 >= ?3 THEN 'declined' ELSE status END, \
         decline_code = CASE WHEN otp_attempts + 1 >= ?3 THEN 'otp_failed' ELSE decline_code END \
         WHERE attempt_id = ?1 AND status = 'requires_otp'"
    };
    c.execute(sql, params![attempt_id, now, tries]).map(|_| ())
}

/// Cancels a charge that has not happened yet.
pub fn cancel(c: &mut dyn Conn, attempt_id: &str, now: i64) -> Result<(), DbError> {
    c.execute(
        "UPDATE sandbox_charges SET status = 'cancelled', updated_at = ?2 WHERE attempt_id = ?1 \
         AND status IN ('processing', 'requires_otp', 'awaiting_approval')",
        params![attempt_id, now],
    )
    .map(|_| ())
}

/// Refunds part of a succeeded charge, once per refund id; `false` when it would exceed the
/// charge (or the charge did not succeed).
pub fn refund(c: &mut dyn Conn, refund_id: &str, attempt_id: &str, amount: i64, now: i64) -> Result<bool, DbError> {
    let seen = c.query_opt("SELECT attempt_id FROM sandbox_refunds WHERE refund_id = ?1", params![refund_id])?;
    if let Some(row) = seen {
        return Ok(row.text(Only)? == attempt_id);
    }
    let changed = c.execute(
        "UPDATE sandbox_charges SET refunded_minor = refunded_minor + ?2, updated_at = ?3 WHERE attempt_id = ?1 \
         AND status = 'succeeded' AND refunded_minor + ?2 <= amount_minor AND refunds_fail = ?4",
        params![attempt_id, amount, now, false],
    )?;
    if changed == 1 {
        c.execute(
            "INSERT INTO sandbox_refunds (refund_id, attempt_id, amount_minor, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![refund_id, attempt_id, amount, now],
        )?;
    }
    Ok(changed == 1)
}

/// Charges the sandbox received for a reference, and how many of them succeeded (tests count
/// what reached the connector per link with it).
pub fn charges_for(c: &mut dyn Conn, reference: &str) -> Result<(i64, i64), DbError> {
    columns! {
        enum Counted {
            All = "count(*)",
            Succeeded = "coalesce(sum(CASE WHEN status = 'succeeded' THEN 1 ELSE 0 END), 0)",
        }
        const SQL = "SELECT " + COLUMNS + " FROM sandbox_charges WHERE reference = ?1";
    }
    let row = c.query_opt(SQL, params![reference])?;
    row.map_or(Ok((0, 0)), |r| Ok((r.i64(Counted::All)?, r.i64(Counted::Succeeded)?)))
}
