//! The home page's figures, aggregated in SQL over one scope: what was collected (succeeded
//! payments, by currency) since an instant, and the refunds waiting for a decision. Scopes are
//! `keyset::ScopedList`'s, the same the payments and refunds lists use.

use crate::domain::access::Visibility;
use crate::domain::id::StoreId;
use crate::domain::{Environment, Timestamp};
use crate::store::conn::{Conn, DbError};
use crate::store::keyset::ScopedList;

/// Succeeded payments completed since an instant, in one currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Collected {
    /// ISO 4217 code.
    pub currency: String,
    /// The sum, in minor units.
    pub minor: i64,
    /// How many payments.
    pub count: i64,
}

/// The succeeded payments in `scope` completed at or after `since`, by currency.
pub fn collected(
    c: &mut dyn Conn,
    at: (&StoreId, Environment),
    scope: &Visibility,
    since: Timestamp,
) -> Result<Vec<Collected>, DbError> {
    // PostgreSQL sums BIGINT as NUMERIC: cast back so both backends answer an integer.
    let columns = "currency, CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT), COUNT(*)";
    let Some(mut q) = ScopedList::new(columns, "payments", at, scope) else { return Ok(vec![]) };
    q.and(" AND status = #", "succeeded".into());
    q.and(" AND completed_at >= #", since.micros().into());
    let rows = q.rows(c, " GROUP BY currency ORDER BY currency")?;
    rows.iter()
        .map(|r| Ok(Collected { currency: r.text(0usize)?, minor: r.i64(1usize)?, count: r.i64(2usize)? }))
        .collect()
}

/// The refunds in `scope` waiting for approval that `principal` did not ask for, up to
/// `max_minor` when the decider has a limit.
pub fn refunds_waiting(
    c: &mut dyn Conn,
    at: (&StoreId, Environment),
    scope: &Visibility,
    principal: &str,
    max_minor: Option<i64>,
) -> Result<i64, DbError> {
    let Some(mut q) = ScopedList::new("COUNT(*)", "refunds", at, scope) else { return Ok(0) };
    q.and(" AND status = #", "pending_approval".into());
    q.and(" AND requested_by <> #", principal.into());
    q.filters([(" AND amount_minor <= #", max_minor.map(Into::into))]);
    q.rows(c, "")?.first().map_or(Ok(0), |r| r.i64(0usize))
}
