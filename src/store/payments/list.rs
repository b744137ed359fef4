//! The payment list query: the links' role scope, filters, newest first, keyset pagination on
//! (created_at, id).

use super::{COLUMNS, from_row};
use crate::domain::access::Visibility;
use crate::domain::id::{PaymentId, StoreId};
use crate::domain::payment::Payment;
use crate::domain::{Environment, Timestamp};
use crate::store::conn::{Conn, DbError, Value};
use crate::store::keyset::{Page, ScopedList};

/// A checked payment list request.
#[derive(Clone, Debug)]
pub struct Query {
    pub store_id: StoreId,
    pub environment: Environment,
    pub visibility: Visibility,
    pub link_id: Option<String>,
    pub status: Option<&'static str>,
    pub method: Option<&'static str>,
    pub created_from: Option<Timestamp>,
    pub created_to: Option<Timestamp>,
    pub limit: i64,
    pub starting_after: Option<PaymentId>,
}

/// Runs the query; `None` when `starting_after` is not a payment in this list's scope.
pub fn run(c: &mut dyn Conn, q: &Query) -> Result<Option<Page<Payment>>, DbError> {
    let scope = (&q.store_id, q.environment);
    let Some(mut list) = ScopedList::new(COLUMNS, "payments", scope, &q.visibility) else {
        return Ok(Some(Page::empty()));
    };
    list.filters([
        (" AND link_id = #", q.link_id.clone().map(Value::Text)),
        (" AND status = #", q.status.map(Value::from)),
        (" AND method = #", q.method.map(Value::from)),
        (" AND created_at >= #", q.created_from.map(|t| Value::Int(t.micros()))),
        (" AND created_at < #", q.created_to.map(|t| Value::Int(t.micros()))),
    ]);
    if let Some(cursor) = &q.starting_after {
        let Some(anchor) = super::get(c, cursor)?.filter(|p| p.store_id == q.store_id && visible(&q.visibility, p))
        else {
            return Ok(None);
        };
        list.after(anchor.created_at, anchor.id.as_str());
    }
    list.page(c, q.limit, from_row).map(Some)
}

/// Whether a payment is in the scope (its link's branch and creator).
pub fn visible(v: &Visibility, p: &Payment) -> bool {
    v.allows(crate::domain::access::Owned { branch_id: p.branch_id.as_ref(), created_by: &p.link_created_by })
}
