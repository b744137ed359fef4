//! The refund list query: the links' role scope, filters, newest first, keyset pagination on
//! (created_at, id).

use super::{COLUMNS, from_row};
use crate::domain::access::{Owned, Visibility};
use crate::domain::id::{RefundId, StoreId};
use crate::domain::refund::Refund;
use crate::domain::{Environment, Timestamp};
use crate::store::conn::{Conn, DbError, Value};

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

/// One page of refunds.
#[derive(Clone, Debug)]
pub struct Page {
    pub refunds: Vec<Refund>,
    pub has_more: bool,
}

/// Runs the query; `None` when `starting_after` is not a refund in this list's scope.
pub fn run(c: &mut dyn Conn, q: &Query) -> Result<Option<Page>, DbError> {
    let mut values: Vec<Value> = vec![q.store_id.as_str().into(), q.environment.as_str().into()];
    let mut sql = format!("SELECT {COLUMNS} FROM refunds WHERE store_id = ?1 AND environment = ?2");
    let mut and = |clause: &str, v: Value, values: &mut Vec<Value>| {
        values.push(v);
        sql.push_str(&clause.replace('#', &format!("?{}", values.len())));
    };
    match &q.visibility {
        Visibility::All => {}
        Visibility::Branch(b) => and(" AND branch_id = #", b.as_str().into(), &mut values),
        Visibility::Own { branch_id, principal } => {
            and(" AND branch_id = #", branch_id.as_str().into(), &mut values);
            and(" AND link_created_by = #", principal.as_str().into(), &mut values);
        }
        Visibility::Nothing => return Ok(Some(Page { refunds: vec![], has_more: false })),
    }
    let filters: [(&str, Option<Value>); 6] = [
        (" AND payment_id = #", q.payment_id.clone().map(Value::Text)),
        (" AND link_id = #", q.link_id.clone().map(Value::Text)),
        (" AND status = #", q.status.map(Value::from)),
        (" AND requested_by = #", q.requested_by.clone().map(Value::Text)),
        (" AND created_at >= #", q.created_from.map(|t| Value::Int(t.micros()))),
        (" AND created_at < #", q.created_to.map(|t| Value::Int(t.micros()))),
    ];
    for (clause, value) in filters {
        if let Some(v) = value {
            and(clause, v, &mut values);
        }
    }
    if let Some(cursor) = &q.starting_after {
        let anchor = super::get(c, &q.store_id, q.environment, cursor)?.filter(|r| visible(&q.visibility, r));
        let Some(anchor) = anchor else { return Ok(None) };
        and(" AND (created_at, id) < (#", anchor.created_at.micros().into(), &mut values);
        and(", #)", anchor.id.as_str().into(), &mut values);
    }
    values.push((q.limit + 1).into());
    let sql = format!("{sql} ORDER BY created_at DESC, id DESC LIMIT ?{}", values.len());
    let mut refunds = c.query(&sql, &values)?.into_iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    let has_more = refunds.len() as i64 > q.limit;
    refunds.truncate(q.limit as usize);
    Ok(Some(Page { refunds, has_more }))
}

/// Whether a refund is in the scope (its link's branch and creator).
pub fn visible(v: &Visibility, r: &Refund) -> bool {
    v.allows(Owned { branch_id: r.branch_id.as_ref(), created_by: &r.link_created_by })
}
