//! The refund list query: the links' role scope, filters, newest first, keyset pagination on
//! (created_at, id).

use super::{COLUMNS, from_row};
use crate::domain::access::{Owned, Visibility};
use crate::domain::id::{RefundId, StoreId};
use crate::domain::refund::Refund;
use crate::domain::{Environment, Timestamp};
use crate::store::conn::{Conn, DbError, Value};
use crate::store::keyset::{Page, ScopedList};

/// A checked refund list request.
#[derive(Clone, Debug)]
pub struct Query {
    pub store_id: StoreId,
    pub environment: Environment,
    pub visibility: Visibility,
    pub payment_id: Option<String>,
    pub link_id: Option<String>,
    pub status: Option<&'static str>,
    pub requested_by: Option<String>,
    pub created_from: Option<Timestamp>,
    pub created_to: Option<Timestamp>,
    pub limit: i64,
    pub starting_after: Option<RefundId>,
}

/// Runs the query; `None` when `starting_after` is not a refund in this list's scope.
pub fn run(c: &mut dyn Conn, q: &Query) -> Result<Option<Page<Refund>>, DbError> {
    let Some(mut list) = filtered(q) else {
        return Ok(Some(Page::empty()));
    };
    if let Some(cursor) = &q.starting_after {
        let anchor = super::get(c, &q.store_id, q.environment, cursor)?.filter(|r| visible(&q.visibility, r));
        let Some(anchor) = anchor else { return Ok(None) };
        list.after(anchor.created_at, anchor.id.as_str());
    }
    list.page(c, q.limit, from_row).map(Some)
}

/// Runs the query from row `offset` (limit/offset paging; `starting_after` is not used):
/// the page, with how many refunds match in all.
pub fn run_offset(c: &mut dyn Conn, q: &Query, offset: i64) -> Result<Page<Refund>, DbError> {
    match filtered(q) {
        Some(list) => list.offset_page(c, q.limit, offset, from_row),
        None => Ok(Page::counted(vec![], offset, 0)),
    }
}

/// The scoped select with the query's filters; `None` when the scope holds nothing.
fn filtered(q: &Query) -> Option<ScopedList> {
    let mut list = ScopedList::new(COLUMNS, "refunds", (&q.store_id, q.environment), &q.visibility)?;
    list.filters([
        (" AND payment_id = #", q.payment_id.clone().map(Value::Text)),
        (" AND link_id = #", q.link_id.clone().map(Value::Text)),
        (" AND status = #", q.status.map(Value::from)),
        (" AND requested_by = #", q.requested_by.clone().map(Value::Text)),
        (" AND created_at >= #", q.created_from.map(|t| Value::Int(t.micros()))),
        (" AND created_at < #", q.created_to.map(|t| Value::Int(t.micros()))),
    ]);
    Some(list)
}

/// Whether a refund is in the scope (its link's branch and creator).
pub fn visible(v: &Visibility, r: &Refund) -> bool {
    v.allows(Owned { branch_id: r.branch_id.as_ref(), created_by: &r.link_created_by })
}
