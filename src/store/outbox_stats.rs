//! The outbox at a glance, for `/metrics`: how many deliveries and messages wait, per kind, and
//! when the oldest of each kind fell due. Both statements read only the rows still waiting,
//! through the partial indexes the workers claim with (`deliveries_due`, `notifications_due`),
//! so a scrape costs as much as the backlog, never as much as the tables' history.

use super::columns::columns;
use super::conn::{Conn, DbError};

/// The waiting items of one kind: `webhook`, `callback`, `dialect_callback`, `sms` or `email`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiting {
    pub kind: String,
    pub count: i64,
    /// The earliest `next_attempt_at` of the kind (microseconds). A leased item's is its lease's
    /// end, in the future, so it does not count as overdue while it is being sent.
    pub earliest: i64,
}

columns! {
    /// Pending deliveries by kind: the target column says `callback`, an endpoint id (`we_…`),
    /// or a dialect's name (that dialect's callback).
    enum DeliveryCol {
        Kind = "CASE WHEN endpoint_id = 'callback' THEN 'callback' WHEN substr(endpoint_id, 1, 3) = 'we_' \
                THEN 'webhook' ELSE 'dialect_callback' END",
        Count = "count(*)",
        Earliest = "min(next_attempt_at)",
    }
    const DELIVERIES = "SELECT " + COLUMNS + " FROM deliveries WHERE status = 'pending' \
                        AND next_attempt_at > ?1 GROUP BY 1";
}

columns! {
    /// Queued messages by channel (`sms`, `email`).
    enum MessageCol { Kind = "channel", Count = "count(*)", Earliest = "min(next_attempt_at)" }
    const MESSAGES = "SELECT " + COLUMNS + " FROM notifications WHERE status = 'queued' \
                      AND next_attempt_at > ?1 GROUP BY channel";
}

/// The smallest stored time: `next_attempt_at > FLOOR` holds for every row and lets both engines
/// read the partial index as a range (without a condition on the indexed column SQLite prefers
/// scanning the table).
const FLOOR: i64 = i64::MIN;

/// What waits in the outbox: deliveries by kind, then messages by channel. Kinds with nothing
/// waiting are absent.
pub fn waiting(c: &mut dyn Conn) -> Result<Vec<Waiting>, DbError> {
    let mut out = Vec::new();
    for r in c.query(DELIVERIES, crate::params![FLOOR])? {
        let (kind, count, earliest) = (DeliveryCol::Kind, DeliveryCol::Count, DeliveryCol::Earliest);
        out.push(Waiting { kind: r.text(kind)?, count: r.i64(count)?, earliest: r.i64(earliest)? });
    }
    for r in c.query(MESSAGES, crate::params![FLOOR])? {
        let (kind, count, earliest) = (MessageCol::Kind, MessageCol::Count, MessageCol::Earliest);
        out.push(Waiting { kind: r.text(kind)?, count: r.i64(count)?, earliest: r.i64(earliest)? });
    }
    Ok(out)
}
