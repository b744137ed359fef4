//! The payment list query: the links' role scope, filters, newest first, keyset pagination on
//! (created_at, id).

use super::{COLUMNS, from_row};
use crate::domain::access::Visibility;
use crate::domain::id::{PaymentId, StoreId};
use crate::domain::payment::Payment;
use crate::domain::{Environment, Timestamp};
use crate::store::conn::{Conn, DbError, Value};

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

/// One page of payments.
#[derive(Clone, Debug)]
pub struct Page {
    pub payments: Vec<Payment>,
    pub has_more: bool,
}

/// Runs the query; `None` when `starting_after` is not a payment in this list's scope.
pub fn run(c: &mut dyn Conn, q: &Query) -> Result<Option<Page>, DbError> {
    let mut values: Vec<Value> = vec![q.store_id.as_str().into(), q.environment.as_str().into()];
    let mut sql = format!("SELECT {COLUMNS} FROM payments WHERE store_id = ?1 AND environment = ?2");
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
        Visibility::Nothing => return Ok(Some(Page { payments: vec![], has_more: false })),
    }
    let filters: [(&str, Option<Value>); 5] = [
        (" AND link_id = #", q.link_id.clone().map(Value::Text)),
        (" AND status = #", q.status.map(Value::from)),
        (" AND method = #", q.method.map(Value::from)),
        (" AND created_at >= #", q.created_from.map(|t| Value::Int(t.micros()))),
        (" AND created_at < #", q.created_to.map(|t| Value::Int(t.micros()))),
    ];
    for (clause, value) in filters {
        if let Some(v) = value {
            and(clause, v, &mut values);
        }
    }
    if let Some(cursor) = &q.starting_after {
        let Some(anchor) = super::get(c, cursor)?.filter(|p| p.store_id == q.store_id && visible(&q.visibility, p))
        else {
            return Ok(None);
        };
        and(" AND (created_at, id) < (#", anchor.created_at.micros().into(), &mut values);
        and(", #)", anchor.id.as_str().into(), &mut values);
    }
    values.push((q.limit + 1).into());
    let sql = format!("{sql} ORDER BY created_at DESC, id DESC LIMIT ?{}", values.len());
    let mut payments = c.query(&sql, &values)?.into_iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    let has_more = payments.len() as i64 > q.limit;
    payments.truncate(q.limit as usize);
    Ok(Some(Page { payments, has_more }))
}

/// Whether a payment is in the scope (its link's branch and creator).
pub fn visible(v: &Visibility, p: &Payment) -> bool {
    v.allows(crate::domain::access::Owned { branch_id: p.branch_id.as_ref(), created_by: &p.link_created_by })
}
