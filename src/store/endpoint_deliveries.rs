//! One webhook endpoint's delivery log: its deliveries newest first (filtered by status and
//! creation time, a keyset page on the delivery's id), and one delivery with every attempt. A
//! delivery is named by its endpoint and event (`deliveries_once`), so no internal row id leaves
//! the store. The caller has checked the endpoint is the actor's.

use super::conn::{Conn, DbError, Value};
use super::delivery_log::{AttemptCol, DeliveryCol, DeliveryRecord, attempt_from_row, delivery_from_row};
use super::keyset::Page;
use crate::domain::Timestamp;
use crate::params;

/// A checked delivery list request.
#[derive(Clone, Debug)]
pub struct Query {
    pub endpoint_id: String,
    /// `pending`, `delivered` or `failed`.
    pub status: Option<String>,
    pub created_from: Option<Timestamp>,
    pub created_to: Option<Timestamp>,
    pub limit: i64,
    /// Cursor: the event id of the previous page's last delivery.
    pub starting_after: Option<String>,
}

const FROM: &str = "FROM deliveries d JOIN events e ON e.id = d.event_id \
                    LEFT JOIN webhook_endpoints w ON w.id = d.endpoint_id";

/// A page of the endpoint's deliveries, newest first (without attempts); `None` when the cursor
/// names no delivery of this endpoint.
pub fn list(c: &mut dyn Conn, q: &Query) -> Result<Option<Page<DeliveryRecord>>, DbError> {
    let mut values: Vec<Value> = vec![q.endpoint_id.as_str().into()];
    let mut sql = format!("SELECT {} {FROM} WHERE d.endpoint_id = ?1", DeliveryCol::LIST);
    let mut and = |clause: &str, v: Value| {
        values.push(v);
        sql.push_str(&clause.replace('#', &format!("?{}", values.len())));
    };
    if let Some(s) = &q.status {
        and(" AND d.status = #", s.as_str().into());
    }
    if let Some(from) = q.created_from {
        and(" AND d.created_at >= #", from.micros().into());
    }
    if let Some(to) = q.created_to {
        and(" AND d.created_at < #", to.micros().into());
    }
    if let Some(after) = &q.starting_after {
        let Some(id) = id_of(c, &q.endpoint_id, after)? else { return Ok(None) };
        and(" AND d.id < #", id.into());
    }
    sql.push_str(&format!(" ORDER BY d.id DESC LIMIT {}", q.limit + 1));
    let rows = c.query(&sql, &values)?.into_iter().map(delivery_from_row).collect::<Result<Vec<_>, _>>()?;
    Ok(Some(Page::of_one_more(rows, q.limit)))
}

/// The row id of the endpoint's delivery of `event_id`.
fn id_of(c: &mut dyn Conn, endpoint_id: &str, event_id: &str) -> Result<Option<i64>, DbError> {
    let row = c.query_opt(
        "SELECT id FROM deliveries WHERE endpoint_id = ?1 AND event_id = ?2",
        params![endpoint_id, event_id],
    )?;
    row.map(|r| r.i64(super::columns::Only)).transpose()
}

/// The endpoint's delivery of `event_id`, with every attempt (oldest first).
pub fn one(c: &mut dyn Conn, endpoint_id: &str, event_id: &str) -> Result<Option<DeliveryRecord>, DbError> {
    let sql = format!("SELECT {} {FROM} WHERE d.endpoint_id = ?1 AND d.event_id = ?2", DeliveryCol::LIST);
    let Some(row) = c.query_opt(&sql, params![endpoint_id, event_id])? else { return Ok(None) };
    let mut delivery = delivery_from_row(row)?;
    let attempts =
        format!("SELECT {} FROM delivery_attempts a WHERE a.delivery_id = ?1 ORDER BY a.id", AttemptCol::LIST);
    for r in c.query(&attempts, params![delivery.id])? {
        delivery.tries.push(attempt_from_row(r)?.1);
    }
    Ok(Some(delivery))
}
