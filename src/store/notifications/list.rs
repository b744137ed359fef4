//! The notification list: the links' role scope, filters, newest first, keyset pagination on
//! (created_at, id) over `notifications_by_store`.

use super::{COLUMNS, from_row};
use crate::domain::Environment;
use crate::domain::access::{Owned, Visibility};
use crate::domain::id::{NotificationId, StoreId};
use crate::notify::Notification;
use crate::store::conn::{Conn, DbError, Value};

/// A checked list request.
#[derive(Clone, Debug)]
pub struct Query {
    pub store_id: StoreId,
    pub environment: Environment,
    pub visibility: Visibility,
    pub link_id: Option<String>,
    pub channel: Option<&'static str>,
    pub status: Option<&'static str>,
    pub limit: i64,
    pub starting_after: Option<NotificationId>,
}

/// Whether a notification is in the scope (its link's branch and creator).
pub fn visible(v: &Visibility, n: &Notification) -> bool {
    v.allows(Owned { branch_id: n.branch_id.as_ref(), created_by: &n.link_created_by })
}

/// One page, newest first, and whether more follow; `None` when the cursor is not a notification
/// of this list.
pub fn run(c: &mut dyn Conn, q: &Query) -> Result<Option<(Vec<Notification>, bool)>, DbError> {
    let mut values: Vec<Value> = vec![q.store_id.as_str().into(), q.environment.as_str().into()];
    let mut sql = format!("SELECT {COLUMNS} FROM notifications WHERE store_id = ?1 AND environment = ?2");
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
        Visibility::Nothing => return Ok(Some((vec![], false))),
    }
    let filters: [(&str, Option<Value>); 3] = [
        (" AND link_id = #", q.link_id.clone().map(Value::Text)),
        (" AND channel = #", q.channel.map(Value::from)),
        (" AND status = #", q.status.map(Value::from)),
    ];
    for (clause, value) in filters {
        if let Some(v) = value {
            and(clause, v, &mut values);
        }
    }
    if let Some(cursor) = &q.starting_after {
        let anchor = super::get(c, &q.store_id, q.environment, cursor)?.filter(|n| visible(&q.visibility, n));
        let Some(anchor) = anchor else { return Ok(None) };
        and(" AND (created_at, id) < (#", anchor.created_at.micros().into(), &mut values);
        and(", #)", anchor.id.as_str().into(), &mut values);
    }
    values.push((q.limit + 1).into());
    let sql = format!("{sql} ORDER BY created_at DESC, id DESC LIMIT ?{}", values.len());
    let mut rows = c.query(&sql, &values)?.into_iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    let has_more = rows.len() as i64 > q.limit;
    rows.truncate(q.limit as usize);
    Ok(Some((rows, has_more)))
}

/// Notifications of one link, oldest first (tests and the dashboard).
pub fn for_link(c: &mut dyn Conn, link_id: &str) -> Result<Vec<Notification>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM notifications WHERE link_id = ?1 ORDER BY created_at, id");
    c.query(&sql, &[link_id.into()])?.into_iter().map(from_row).collect()
}
