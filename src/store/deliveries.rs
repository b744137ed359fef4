//! The outbox. A delivery row is written in the event's own transaction for every enabled
//! webhook endpoint subscribed to the event's type and for the link's callback; workers
//! claim due rows with a lease and record each attempt. Claiming moves `next_attempt_at` to the
//! end of the lease, so the lease and the schedule are one column and one index.

use super::columns::{Only, columns};
use super::conn::{Conn, DbError, Value};
use super::events::NewEvent;
use crate::domain::dialect::DialectName;
use crate::domain::event::{Event, EventType};
use crate::domain::id::{EventId, StoreId};
use crate::domain::outbox::{Attempt, Delivery, Next, Target};
use crate::domain::webhook::EndpointStatus;
use crate::domain::{Environment, Timestamp};
use crate::params;

/// Columns of a delivery insert, in the order the statements below write them.
pub const INSERT_COLUMNS: &str =
    "(event_id, endpoint_id, url, status, attempts, next_attempt_at, created_at, updated_at)";

/// The text a subscription list (`,a,b,`) contains when it names `kind`: `,kind,`.
pub fn subscription_pattern(kind: EventType) -> String {
    format!(",{kind},")
}

/// The condition selecting the endpoints (`w`) an event of type `?{kind}` goes to, within the
/// event's store `?{store}` and environment `?{env}`. "The list contains `,kind,`" is written with
/// `replace` rather than `LIKE ?`: SQLite re-prepares a statement on every run when a bound
/// parameter is the right-hand side of LIKE (its plan may depend on the pattern), and this
/// statement runs with every event on the write path.
pub fn subscribed(store: usize, env: usize, kind: usize) -> String {
    format!(
        "w.store_id = ?{store} AND w.environment = ?{env} AND w.status = 'enabled' \
         AND (w.event_types = '*' OR length(replace(w.event_types, ?{kind}, '')) < length(w.event_types))"
    )
}

/// The callback of the link an event is about (the link itself, or the link of the payment it
/// is about), when the link has a callback and its callback hears of the event's type: `?{kind}`
/// is the type's subscription pattern, `?{store}` / `?{env}` the event's scope, `{link}` the
/// link's table alias. A dialect's store-level callback, when on, takes the place of the link's
/// own URL; the target is the link's dialect, or `callback` for a native link.
pub fn link_callback(link: &str, store: usize, env: usize, kind: usize) -> (String, String) {
    let join = format!(
        "LEFT JOIN dialect_store_callbacks x ON x.dialect = {link}.dialect AND x.store_id = ?{store} \
         AND x.environment = ?{env} AND x.callback_enabled = TRUE"
    );
    let condition = format!(
        "COALESCE(x.callback_url, {link}.callback_url) IS NOT NULL AND ({link}.callback_events IS NULL \
         OR length(replace({link}.callback_events, ?{kind}, '')) < length({link}.callback_events))"
    );
    (join, condition)
}

/// Queues the deliveries of a just-inserted event, in the same transaction: one statement for
/// the subscribed endpoints and the link's callback ([`link_callback`]). One statement, because
/// it runs for every event on the write path (the casts type the parameter for PostgreSQL, which
/// cannot infer it through UNION ALL).
pub fn enqueue(c: &mut dyn Conn, e: &NewEvent) -> Result<(), DbError> {
    let (join, condition) = link_callback("l", 3, 4, 5);
    let sql = format!(
        "INSERT INTO deliveries {INSERT_COLUMNS} SELECT ?1, w.id, NULL, 'pending', 0, CAST(?2 AS BIGINT), \
         CAST(?2 AS BIGINT), CAST(?2 AS BIGINT) FROM webhook_endpoints w WHERE {} \
         UNION ALL SELECT ?1, COALESCE(l.dialect, 'callback'), COALESCE(x.callback_url, l.callback_url), 'pending', 0, \
         CAST(?2 AS BIGINT), CAST(?2 AS BIGINT), CAST(?2 AS BIGINT) FROM payment_links l {join} \
         WHERE l.id = COALESCE((SELECT p.link_id FROM payments p WHERE p.id = ?6), ?6) AND {condition}",
        subscribed(3, 4, 5)
    );
    let (store, env) = (e.store_id.as_str(), e.environment.as_str());
    let values =
        params![e.id.as_str(), e.created_at.micros(), store, env, subscription_pattern(e.kind), e.object_id.as_str()];
    c.execute(&sql, values).map(|_| ())
}

/// Whether any delivery is due at `now` (a cheap read before claiming through the writer).
pub fn any_due(c: &mut dyn Conn, now: Timestamp) -> Result<bool, DbError> {
    let sql = "SELECT 1 FROM deliveries WHERE status = 'pending' AND next_attempt_at <= ?1 LIMIT 1";
    Ok(c.query_opt(sql, params![now.micros()])?.is_some())
}

/// Claims up to `limit` due deliveries whose event is numbered, leasing them until `lease_end`
/// under `token`; returns their ids. The outer repetition of the due condition is the guard: on
/// PostgreSQL a worker that loses the race for a row re-checks it after the winner's commit,
/// finds it no longer due and skips it, so no row is sent twice at the same time.
pub fn claim(
    c: &mut dyn Conn,
    now: Timestamp,
    lease_end: Timestamp,
    token: &str,
    limit: i64,
) -> Result<Vec<i64>, DbError> {
    let sql = "UPDATE deliveries SET next_attempt_at = ?2, lease_token = ?3 WHERE id IN (SELECT d.id FROM deliveries d \
               JOIN events e ON e.id = d.event_id WHERE d.status = 'pending' AND d.next_attempt_at <= ?1 \
               AND e.seq IS NOT NULL ORDER BY d.next_attempt_at LIMIT ?4) \
               AND status = 'pending' AND next_attempt_at <= ?1 RETURNING id";
    let rows = c.query(sql, params![now.micros(), lease_end.micros(), token, limit])?;
    rows.iter().map(|r| r.i64(Only)).collect()
}

/// Reads what is needed to send the deliveries `ids` just claimed under `token`.
pub fn load_claimed(c: &mut dyn Conn, ids: &[i64], token: &str) -> Result<Vec<Delivery>, DbError> {
    let list: Vec<String> = (0..ids.len()).map(|i| format!("?{}", i + 2)).collect();
    let sql = format!(
        "SELECT {} FROM deliveries d JOIN events e ON e.id = d.event_id \
         LEFT JOIN webhook_endpoints w ON w.id = d.endpoint_id \
         LEFT JOIN callback_secrets cs ON w.id IS NULL AND cs.store_id = e.store_id \
         AND cs.environment = e.environment WHERE d.id IN ({}) AND d.lease_token = ?1",
        ClaimedCol::LIST,
        list.join(", ")
    );
    let mut values = vec![token.into()];
    values.extend(ids.iter().map(|&id| id.into()));
    c.query(&sql, &values)?.into_iter().map(|r| claimed_from_row(r, token)).collect()
}

columns! {
    /// The columns of a claimed delivery: the delivery, its event, and its endpoint's or the
    /// store's callback signing nonces.
    enum ClaimedCol {
        Id = "d.id", Attempts = "d.attempts", EndpointId = "d.endpoint_id", Url = "COALESCE(d.url, w.url)",
        EndpointStatus = "w.status", StoreId = "e.store_id", Environment = "e.environment", EventId = "e.id",
        EventType = "e.type", ObjectId = "e.object_id", Seq = "e.seq", Payload = "e.payload",
        CreatedAt = "e.created_at", Nonce = "COALESCE(w.secret_nonce, cs.secret_nonce)",
        PreviousNonce = "COALESCE(w.previous_nonce, cs.previous_nonce)",
        PreviousUntil = "COALESCE(w.previous_until, cs.previous_until)", EndpointDialect = "w.dialect",
    }
}

fn claimed_from_row(mut r: super::conn::Row, token: &str) -> Result<Delivery, DbError> {
    use ClaimedCol as C;
    let status = r.take_opt_text(C::EndpointStatus)?;
    Ok(Delivery {
        id: r.i64(C::Id)?,
        token: token.to_owned(),
        attempts: r.i64(C::Attempts)?,
        target: Target::parse(r.take_text(C::EndpointId)?),
        url: r.take_opt_text(C::Url)?,
        endpoint_status: status
            .map(|s| EndpointStatus::parse(&s).ok_or(DbError::decode(C::EndpointStatus)))
            .transpose()?,
        store_id: StoreId::from_trusted(r.take_text(C::StoreId)?),
        environment: Environment::parse(&r.text(C::Environment)?).ok_or(DbError::decode(C::Environment))?,
        event: Event {
            id: EventId::from_trusted(r.take_text(C::EventId)?),
            kind: EventType::parse(&r.text(C::EventType)?).ok_or(DbError::decode(C::EventType))?,
            object_id: r.take_text(C::ObjectId)?,
            seq: r.opt_i64(C::Seq)?,
            payload: r.take_text(C::Payload)?,
            created_at: Timestamp::from_micros(r.i64(C::CreatedAt)?),
        },
        nonce: r.take_opt_text(C::Nonce)?,
        previous: match (r.take_opt_text(C::PreviousNonce)?, r.opt_i64(C::PreviousUntil)?) {
            (Some(n), Some(until)) => Some((n, Timestamp::from_micros(until))),
            _ => None,
        },
        endpoint_dialect: r.take_opt_text(C::EndpointDialect)?.map(DialectName::stored),
    })
}

/// Records attempts and moves their deliveries on, for those this worker still holds the lease
/// of (`token`). A worker whose lease ran out still records the request it made, but leaves the
/// delivery to the worker that took it over. Few statements per batch: one multi-row insert of
/// the attempts, one update per (token, status) group of delivered ones, one per other outcome.
pub fn record(c: &mut dyn Conn, batch: &[(Attempt, &str, Next)]) -> Result<(), DbError> {
    for chunk in batch.chunks(500) {
        insert_attempts(c, chunk)?;
    }
    let mut delivered: Vec<(&str, Option<i64>, Vec<i64>, Timestamp)> = Vec::new();
    for (a, token, next) in batch {
        if *next != Next::Delivered {
            move_on(c, a, token, *next)?;
            continue;
        }
        match delivered.iter_mut().find(|g| g.0 == *token && g.1 == a.status_code) {
            Some(group) => {
                group.2.push(a.delivery_id);
                group.3 = group.3.max(a.attempted_at);
            }
            None => delivered.push((token, a.status_code, vec![a.delivery_id], a.attempted_at)),
        }
    }
    for (token, code, ids, at) in delivered {
        for chunk in ids.chunks(500) {
            mark_delivered(c, token, code, chunk, at)?;
        }
    }
    Ok(())
}

fn insert_attempts(c: &mut dyn Conn, rows: &[(Attempt, &str, Next)]) -> Result<(), DbError> {
    let tuples: Vec<String> = (0..rows.len())
        .map(|i| format!("({})", (1..=7).map(|k| format!("?{}", i * 7 + k)).collect::<Vec<_>>().join(", ")))
        .collect();
    let sql = format!(
        "INSERT INTO delivery_attempts (delivery_id, number, attempted_at, status_code, latency_ms, error, \
         response_excerpt) VALUES {}",
        tuples.join(", ")
    );
    let mut values: Vec<Value> = Vec::with_capacity(rows.len() * 7);
    for (a, _, _) in rows {
        values.extend(
            params![
                a.delivery_id,
                a.number,
                a.attempted_at.micros(),
                a.status_code,
                a.latency_ms,
                a.error.as_deref(),
                a.response_excerpt.as_deref()
            ]
            .iter()
            .cloned(),
        );
    }
    c.execute(&sql, &values).map(|_| ())
}

fn mark_delivered(c: &mut dyn Conn, token: &str, code: Option<i64>, ids: &[i64], at: Timestamp) -> Result<(), DbError> {
    let list: Vec<String> = (0..ids.len()).map(|i| format!("?{}", i + 4)).collect();
    let sql = format!(
        "UPDATE deliveries SET status = 'delivered', attempts = attempts + 1, next_attempt_at = NULL, \
         lease_token = NULL, last_status_code = ?2, last_error = NULL, updated_at = ?3 \
         WHERE lease_token = ?1 AND status = 'pending' AND id IN ({})",
        list.join(", ")
    );
    let mut values: Vec<Value> = params![token, code, at.micros()].to_vec();
    values.extend(ids.iter().map(|&id| Value::from(id)));
    c.execute(&sql, &values).map(|_| ())
}

fn move_on(c: &mut dyn Conn, a: &Attempt, token: &str, next: Next) -> Result<(), DbError> {
    let (status, due) = match next {
        Next::Delivered => ("delivered", None),
        Next::RetryAt(t) => ("pending", Some(t.micros())),
        Next::Failed => ("failed", None),
    };
    c.execute(
        "UPDATE deliveries SET status = ?3, attempts = attempts + 1, next_attempt_at = ?4, lease_token = NULL, \
         last_status_code = ?5, last_error = ?6, updated_at = ?7 WHERE id = ?1 AND lease_token = ?2 AND status = 'pending'",
        params![a.delivery_id, token, status, due, a.status_code, a.error.as_deref(), a.attempted_at.micros()],
    )
    .map(|_| ())
}

/// Ends a claimed delivery without sending it (its endpoint was disabled or deleted).
pub fn abandon(c: &mut dyn Conn, id: i64, token: &str, reason: &str, now: Timestamp) -> Result<(), DbError> {
    c.execute(
        "UPDATE deliveries SET status = 'failed', next_attempt_at = NULL, lease_token = NULL, last_error = ?3, \
         updated_at = ?4 WHERE id = ?1 AND lease_token = ?2 AND status = 'pending'",
        params![id, token, reason, now.micros()],
    )
    .map(|_| ())
}

/// Gives back deliveries claimed under a lease and not sent (a worker shutting down): each is due
/// at `now` with no lease, if the lease `token` is still the one it was claimed under.
pub fn release(c: &mut dyn Conn, claimed: &[(i64, String)], now: Timestamp) -> Result<(), DbError> {
    for (id, token) in claimed {
        c.execute(
            "UPDATE deliveries SET next_attempt_at = ?3, lease_token = NULL \
             WHERE id = ?1 AND lease_token = ?2 AND status = 'pending'",
            params![*id, token.as_str(), now.micros()],
        )?;
    }
    Ok(())
}
