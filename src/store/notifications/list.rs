//! The notification list: the links' role scope, filters, newest first, keyset pagination on
//! (created_at, id) over `notifications_by_store`.

use super::{COLUMNS, from_row};
use crate::domain::Environment;
use crate::domain::access::{Owned, Visibility};
use crate::domain::id::{NotificationId, StoreId};
use crate::domain::notification::Notification;
use crate::store::conn::{Conn, DbError, Value};
use crate::store::keyset::{Page, ScopedList};

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

/// One page, newest first; `None` when the cursor is not a notification of this list.
pub fn run(c: &mut dyn Conn, q: &Query) -> Result<Option<Page<Notification>>, DbError> {
    let scope = (&q.store_id, q.environment);
    let Some(mut list) = ScopedList::new(COLUMNS, "notifications", scope, &q.visibility) else {
        return Ok(Some(Page::empty()));
    };
    list.filters([
        (" AND link_id = #", q.link_id.clone().map(Value::Text)),
        (" AND channel = #", q.channel.map(Value::from)),
        (" AND status = #", q.status.map(Value::from)),
    ]);
    if let Some(cursor) = &q.starting_after {
        let anchor = super::get(c, &q.store_id, q.environment, cursor)?.filter(|n| visible(&q.visibility, n));
        let Some(anchor) = anchor else { return Ok(None) };
        list.after(anchor.created_at, anchor.id.as_str());
    }
    list.page(c, q.limit, from_row).map(Some)
}

/// Notifications of one link, oldest first (tests and the dashboard).
pub fn for_link(c: &mut dyn Conn, link_id: &str) -> Result<Vec<Notification>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM notifications WHERE link_id = ?1 ORDER BY created_at, id");
    c.query(&sql, &[link_id.into()])?.into_iter().map(from_row).collect()
}
