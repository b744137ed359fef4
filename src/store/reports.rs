//! Report groups summed in SQL (`domain::report`), one day at a time: succeeded payments and
//! refunds by method, place and branch, links created by branch. Each day is one range read of an
//! index that holds every column it needs (migration 0016), grouped over that day's rows only, in
//! the lists' scope. Day boundaries come from the store's time zone (`domain::zone`).

use super::conn::{Conn, DbError, Row};
use super::keyset::ScopedList;
use crate::domain::access::Visibility;
use crate::domain::id::StoreId;
use crate::domain::report::{Groups, LinkGroup, MoneyGroup};
use crate::domain::{Environment, Timestamp};

/// What a report covers.
#[derive(Clone, Copy)]
pub struct Window<'a> {
    pub at: (&'a StoreId, Environment),
    pub scope: &'a Visibility,
    pub currency: &'a str,
    /// From this instant (included) …
    pub from: Timestamp,
    /// … to this one (excluded).
    pub to: Timestamp,
    /// Only this branch.
    pub branch: Option<&'a str>,
    /// Only links this principal created (a cashier's day).
    pub creator: Option<&'a str>,
}

/// Every group of the days whose first instants are `starts` (the last element ends the last
/// day; `w.from`/`w.to` are ignored). Grouping a day at a time keeps each sort to one day's rows
/// and the rows handed back to the groups themselves: a single range query grouped by quarter
/// hour sorted and decoded every payment of the month (the bench's reports scenario).
pub fn groups(c: &mut dyn Conn, w: &Window<'_>, starts: &[Timestamp]) -> Result<Groups, DbError> {
    let mut all = Groups::default();
    for (day, span) in starts.windows(2).enumerate() {
        let w = Window { from: span[0], to: span[1], ..*w };
        all.payments.extend(payments(c, &w, day)?);
        all.refunds.extend(refunds(c, &w, day)?);
        all.links.extend(links(c, &w, day)?);
    }
    Ok(all)
}

fn payments(c: &mut dyn Conn, w: &Window<'_>, day: usize) -> Result<Vec<MoneyGroup>, DbError> {
    let columns = "method, CASE WHEN connector = 'offline' THEN 1 ELSE 0 END, branch_id, \
                   CAST(SUM(amount_minor) AS BIGINT), COUNT(*)";
    money_groups(c, w, columns, "payments", day)
}

fn refunds(c: &mut dyn Conn, w: &Window<'_>, day: usize) -> Result<Vec<MoneyGroup>, DbError> {
    // A refund's method is its payment's: joined once per refund (refunds are few). The join sits
    // in a derived table so the scope's unqualified columns stay the refund's; both planners
    // flatten it and read `refunds_for_reports`.
    let columns = "method, CASE WHEN kind = 'cash' THEN 1 ELSE 0 END, branch_id, \
                   CAST(SUM(amount_minor) AS BIGINT), COUNT(*)";
    let table = "(SELECT r.store_id, r.environment, r.completed_at, r.currency, r.branch_id, r.link_created_by, \
                 r.amount_minor, r.kind, r.status, p.method FROM refunds r JOIN payments p ON p.id = r.payment_id) refunds";
    money_groups(c, w, columns, table, day)
}

fn money_groups(
    c: &mut dyn Conn,
    w: &Window<'_>,
    columns: &str,
    table: &str,
    day: usize,
) -> Result<Vec<MoneyGroup>, DbError> {
    let Some(q) = scoped(w, columns, table, "link_created_by", "completed_at") else { return Ok(vec![]) };
    let rows = q.rows(c, " AND status = 'succeeded' GROUP BY 1, 2, 3")?;
    let group = |r: &Row| {
        Ok(MoneyGroup {
            day,
            method: r.opt_text(0usize)?.unwrap_or_default(),
            at_branch: r.i64(1usize)? == 1,
            branch_id: r.opt_text(2usize)?,
            minor: r.i64(3usize)?,
            count: r.i64(4usize)?,
        })
    };
    rows.iter().map(group).collect()
}

fn links(c: &mut dyn Conn, w: &Window<'_>, day: usize) -> Result<Vec<LinkGroup>, DbError> {
    let columns = "branch_id, COUNT(*), CAST(SUM(CASE WHEN payments_count > 0 THEN 1 ELSE 0 END) AS BIGINT)";
    let Some(q) = scoped(w, columns, "payment_links", "created_by", "created_at") else { return Ok(vec![]) };
    let rows = q.rows(c, " GROUP BY 1")?;
    let group =
        |r: &Row| Ok(LinkGroup { day, branch_id: r.opt_text(0usize)?, created: r.i64(1usize)?, paid: r.i64(2usize)? });
    rows.iter().map(group).collect()
}

/// The window's filters over `table`, its time in `time_column`.
fn scoped(w: &Window<'_>, columns: &str, table: &str, creator: &str, time_column: &str) -> Option<ScopedList> {
    let mut q = ScopedList::with_creator(columns, table, w.at, w.scope, creator)?;
    q.and(&format!(" AND {time_column} >= #"), w.from.micros().into());
    q.and(&format!(" AND {time_column} < #"), w.to.micros().into());
    q.and(" AND currency = #", w.currency.into());
    q.filters([(" AND branch_id = #", w.branch.map(Into::into))]);
    q.filters([(&format!(" AND {creator} = #") as &str, w.creator.map(Into::into))]);
    Some(q)
}

/// A succeeded payment or refund as the range exports write it.
#[derive(Clone, Debug)]
pub struct ExportRow {
    pub id: String,
    pub completed_at: Timestamp,
    /// The payment of a refund; the link of a payment.
    pub parent_id: String,
    pub link_id: String,
    pub amount_minor: i64,
    pub currency: String,
    /// The payment's method, or a refund's kind (`connector`, `cash`).
    pub method: String,
    /// The payment's connector (`offline` at a branch); a refund's reason.
    pub detail: Option<String>,
    pub branch_id: Option<String>,
    pub creator: String,
}

/// Which rows an export walks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportKind {
    Payments,
    Refunds,
}

/// Up to `limit` rows of the window after the cursor `(completed_at, id)`, oldest first.
pub fn export_page(
    c: &mut dyn Conn,
    w: &Window<'_>,
    kind: ExportKind,
    after: Option<(Timestamp, String)>,
    limit: i64,
) -> Result<Vec<ExportRow>, DbError> {
    let (columns, table) = match kind {
        ExportKind::Payments => (
            "id, completed_at, link_id, link_id, amount_minor, currency, method, connector, branch_id, link_created_by",
            "payments",
        ),
        ExportKind::Refunds => (
            "id, completed_at, payment_id, link_id, amount_minor, currency, kind, reason, branch_id, link_created_by",
            "refunds",
        ),
    };
    let Some(mut q) = scoped(w, columns, table, "link_created_by", "completed_at") else { return Ok(vec![]) };
    if let Some((at, id)) = after {
        q.and(" AND (completed_at > #", at.micros().into());
        q.and(" OR (completed_at = #", at.micros().into());
        q.and(" AND id > #))", id.into());
    }
    q.and(" AND status = 'succeeded' ORDER BY completed_at, id LIMIT #", limit.into());
    q.rows(c, "")?.iter().map(export_row).collect()
}

fn export_row(r: &Row) -> Result<ExportRow, DbError> {
    Ok(ExportRow {
        id: r.text(0usize)?,
        completed_at: Timestamp::from_micros(r.i64(1usize)?),
        parent_id: r.text(2usize)?,
        link_id: r.text(3usize)?,
        amount_minor: r.i64(4usize)?,
        currency: r.text(5usize)?,
        method: r.text(6usize)?,
        detail: r.opt_text(7usize)?,
        branch_id: r.opt_text(8usize)?,
        creator: r.text(9usize)?,
    })
}
