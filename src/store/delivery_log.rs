//! Reading deliveries and their attempts, and scheduling them again (redeliver, replay).

use super::columns::columns;
use super::conn::{Conn, DbError, Row};
use super::deliveries::INSERT_COLUMNS;
use crate::domain::Timestamp;
use crate::domain::outbox::Target;
use crate::params;

/// A delivery of an event, with its attempts (oldest first).
#[derive(Clone, Debug)]
pub struct DeliveryRecord {
    pub id: i64,
    /// The event delivered (`evt_…`): with the endpoint, it names the delivery.
    pub event_id: String,
    /// The event's type (`payment.succeeded`, …).
    pub event_type: String,
    pub endpoint_id: String,
    pub url: Option<String>,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: Option<Timestamp>,
    pub last_status_code: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub tries: Vec<AttemptRecord>,
}

/// One recorded attempt.
#[derive(Clone, Debug)]
pub struct AttemptRecord {
    pub number: i64,
    pub attempted_at: Timestamp,
    pub status_code: Option<i64>,
    pub latency_ms: i64,
    pub error: Option<String>,
    pub response_excerpt: Option<String>,
}

/// The deliveries of an event, with every attempt.
pub fn for_event(c: &mut dyn Conn, event_id: &str) -> Result<Vec<DeliveryRecord>, DbError> {
    let mut out: Vec<DeliveryRecord> =
        c.query(DELIVERIES, params![event_id])?.into_iter().map(delivery_from_row).collect::<Result<_, _>>()?;
    for r in c.query(ATTEMPTS, params![event_id])? {
        let (delivery, attempt) = attempt_from_row(r)?;
        if let Some(d) = out.iter_mut().find(|d| d.id == delivery) {
            d.tries.push(attempt);
        }
    }
    Ok(out)
}

columns! {
    /// The columns a delivery is read from (its URL: the callback's, or the endpoint's current).
    pub(super) enum DeliveryCol {
        Id = "d.id", EventId = "d.event_id", EventType = "e.type", EndpointId = "d.endpoint_id", Url = "COALESCE(d.url, w.url)", Status = "d.status",
        Attempts = "d.attempts", NextAttemptAt = "d.next_attempt_at", LastStatusCode = "d.last_status_code",
        LastError = "d.last_error", CreatedAt = "d.created_at", UpdatedAt = "d.updated_at",
    }
    const DELIVERIES = "SELECT " + COLUMNS + " FROM deliveries d JOIN events e ON e.id = d.event_id \
        LEFT JOIN webhook_endpoints w ON w.id = d.endpoint_id WHERE d.event_id = ?1 ORDER BY d.id";
}

/// A delivery row (attempts left empty).
pub(super) fn delivery_from_row(mut r: Row) -> Result<DeliveryRecord, DbError> {
    use DeliveryCol as C;
    Ok(DeliveryRecord {
        id: r.i64(C::Id)?,
        event_id: r.take_text(C::EventId)?,
        event_type: r.take_text(C::EventType)?,
        endpoint_id: r.take_text(C::EndpointId)?,
        url: r.take_opt_text(C::Url)?,
        status: r.take_text(C::Status)?,
        attempts: r.i64(C::Attempts)?,
        next_attempt_at: r.opt_i64(C::NextAttemptAt)?.map(Timestamp::from_micros),
        last_status_code: r.opt_i64(C::LastStatusCode)?,
        last_error: r.take_opt_text(C::LastError)?,
        created_at: Timestamp::from_micros(r.i64(C::CreatedAt)?),
        updated_at: Timestamp::from_micros(r.i64(C::UpdatedAt)?),
        tries: Vec::new(),
    })
}

columns! {
    /// The columns an attempt is read from, with the delivery it belongs to.
    pub(super) enum AttemptCol {
        DeliveryId = "a.delivery_id", Number = "a.number", AttemptedAt = "a.attempted_at",
        StatusCode = "a.status_code", LatencyMs = "a.latency_ms", Error = "a.error",
        ResponseExcerpt = "a.response_excerpt",
    }
    const ATTEMPTS = "SELECT " + COLUMNS + " \
        FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.event_id = ?1 ORDER BY a.id";
}

/// An attempt and the id of its delivery.
pub(super) fn attempt_from_row(mut r: Row) -> Result<(i64, AttemptRecord), DbError> {
    use AttemptCol as C;
    let attempt = AttemptRecord {
        number: r.i64(C::Number)?,
        attempted_at: Timestamp::from_micros(r.i64(C::AttemptedAt)?),
        status_code: r.opt_i64(C::StatusCode)?,
        latency_ms: r.i64(C::LatencyMs)?,
        error: r.take_opt_text(C::Error)?,
        response_excerpt: r.take_opt_text(C::ResponseExcerpt)?,
    };
    Ok((r.i64(C::DeliveryId)?, attempt))
}

/// Makes a delivery due now again, unless it is pending already (then it keeps its turn).
const AGAIN: &str = "ON CONFLICT (event_id, endpoint_id) DO UPDATE SET status = 'pending', \
                     next_attempt_at = excluded.next_attempt_at, lease_token = NULL, updated_at = excluded.updated_at \
                     WHERE deliveries.status <> 'pending'";

/// Schedules an event again for every enabled endpoint subscribed to it (or only `endpoint`)
/// and for its existing callback delivery (native or a dialect's); returns how many deliveries
/// are now due.
pub fn redeliver(c: &mut dyn Conn, event_id: &str, endpoint: Option<&str>, now: Timestamp) -> Result<u64, DbError> {
    // The WHERE clause also keeps SQLite from reading ON CONFLICT as part of the join.
    let hooks = format!(
        "INSERT INTO deliveries {INSERT_COLUMNS} SELECT e.id, w.id, NULL, 'pending', 0, ?2, ?2, ?2 \
         FROM events e JOIN webhook_endpoints w ON {} WHERE e.id = ?1 AND w.id = COALESCE(?3, w.id) {AGAIN}",
        subscribed_to_event()
    );
    let mut n = c.execute(&hooks, params![event_id, now.micros(), endpoint])?;
    if endpoint.is_none_or(|e| Target::parse(e.to_owned()).is_callback()) {
        n += c.execute(
            "UPDATE deliveries SET status = 'pending', next_attempt_at = ?2, lease_token = NULL, updated_at = ?2 \
             WHERE event_id = ?1 AND NOT EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.id = deliveries.endpoint_id) \
             AND endpoint_id = COALESCE(?3, endpoint_id) AND status <> 'pending'",
            params![event_id, now.micros(), endpoint],
        )?;
    }
    Ok(n)
}

/// The join condition of an event `e` and the endpoints `w` subscribed to it.
fn subscribed_to_event() -> String {
    "w.store_id = e.store_id AND w.environment = e.environment AND w.status = 'enabled' \
     AND (w.event_types = '*' OR w.event_types LIKE '%,' || replace(e.type, '_', '\\_') || ',%' ESCAPE '\\')"
        .to_owned()
}

/// Schedules every event of the endpoint's store created in `[from, to)` and subscribed to by
/// the endpoint again (after an outage); returns how many deliveries are now due.
pub fn replay(
    c: &mut dyn Conn,
    endpoint_id: &str,
    from: Timestamp,
    to: Timestamp,
    now: Timestamp,
) -> Result<u64, DbError> {
    let sql = format!(
        "INSERT INTO deliveries {INSERT_COLUMNS} SELECT e.id, w.id, NULL, 'pending', 0, ?4, ?4, ?4 \
         FROM webhook_endpoints w JOIN events e ON {} WHERE w.id = ?1 AND e.created_at >= ?2 AND e.created_at < ?3 {AGAIN}",
        subscribed_to_event()
    );
    c.execute(&sql, params![endpoint_id, from.micros(), to.micros(), now.micros()])
}
