//! Events: one row per state change, written in the same transaction as the change. Sequence
//! numbers are assigned afterwards, in commit order, by [`sequence`]: numbering at insert time
//! would hold a per-store row lock until commit and serialise every write of a store on
//! PostgreSQL. A receiver still sees gap-free numbers per store and environment.

use super::conn::{Conn, DbError, Row, Value};
use crate::domain::event::{Event, EventType};
use crate::domain::id::{EventId, StoreId};
use crate::domain::{Environment, Timestamp};
use crate::params;

/// An event about to be written (its payload already serialized, so the transaction only
/// inserts).
pub struct NewEvent {
    pub id: EventId,
    pub store_id: StoreId,
    pub environment: Environment,
    pub kind: EventType,
    pub object_id: String,
    pub payload: String,
    pub created_at: Timestamp,
}

/// The event's column values, in the order (id, store_id, environment, type, object_id, payload,
/// created_at).
pub fn values(e: &NewEvent) -> Vec<Value> {
    vec![
        e.id.as_str().into(),
        e.store_id.as_str().into(),
        e.environment.as_str().into(),
        e.kind.as_str().into(),
        e.object_id.as_str().into(),
        e.payload.as_str().into(),
        e.created_at.micros().into(),
    ]
}

/// Writes an event row (sequence number pending).
pub fn insert(c: &mut dyn Conn, e: &NewEvent) -> Result<(), DbError> {
    let sql = "INSERT INTO events (id, store_id, environment, type, object_id, seq, payload, created_at) \
               VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6, ?7)";
    c.execute(sql, &values(e))?;
    super::deliveries::enqueue(c, e)
}

/// Numbers up to `batch` committed, unnumbered events of one store and environment, in id order,
/// continuing that store's sequence. The counter row is locked *before* the unnumbered events
/// are read, so a concurrent sequencer waits and then sees them numbered: no range is reserved
/// twice and no gap appears. Returns how many events were numbered.
pub fn sequence(c: &mut dyn Conn, store: &StoreId, env: Environment, batch: i64) -> Result<u64, DbError> {
    let (store, env) = (store.as_str(), env.as_str());
    c.execute(
        "INSERT INTO event_sequences (store_id, environment, last_seq) VALUES (?1, ?2, 0) \
         ON CONFLICT (store_id, environment) DO NOTHING",
        params![store, env],
    )?;
    let last = c
        .query_opt(
            "UPDATE event_sequences SET last_seq = last_seq WHERE store_id = ?1 AND environment = ?2 RETURNING last_seq",
            params![store, env],
        )?
        .ok_or(DbError::Other("sequence row missing".into()))?
        .i64(0)?;
    // One statement numbers the whole batch, in id order, continuing from `last`.
    let n = c.execute(
        "UPDATE events SET seq = numbered.seq FROM (SELECT id, ?3 + row_number() OVER (ORDER BY id) AS seq \
         FROM events WHERE store_id = ?1 AND environment = ?2 AND seq IS NULL ORDER BY id LIMIT ?4) AS numbered \
         WHERE events.id = numbered.id",
        params![store, env, last, batch],
    )?;
    c.execute(
        "UPDATE event_sequences SET last_seq = ?3 WHERE store_id = ?1 AND environment = ?2",
        params![store, env, last + n as i64],
    )?;
    Ok(n)
}

/// Stores and environments with unnumbered events.
pub fn unsequenced_scopes(c: &mut dyn Conn) -> Result<Vec<(StoreId, Environment)>, DbError> {
    let rows = c.query("SELECT DISTINCT store_id, environment FROM events WHERE seq IS NULL", &[])?;
    rows.iter()
        .map(|r| Ok((StoreId::from_trusted(r.text(0)?), Environment::parse(&r.text(1)?).ok_or(DbError::Decode(1))?)))
        .collect()
}

/// Events about one object, oldest first.
pub fn for_object(c: &mut dyn Conn, store: &StoreId, object_id: &str) -> Result<Vec<Event>, DbError> {
    let sql = "SELECT id, type, object_id, seq, payload, created_at FROM events WHERE object_id = ?1 AND store_id = ?2 ORDER BY created_at, id";
    c.query(sql, params![object_id, store.as_str()])?.into_iter().map(stored_from_row).collect()
}

/// Decodes `id, type, object_id, seq, payload, created_at`.
pub(crate) fn stored_from_row(mut r: Row) -> Result<Event, DbError> {
    Ok(Event {
        id: EventId::from_trusted(r.take_text(0)?),
        kind: EventType::parse(&r.text(1)?).ok_or(DbError::Decode(1))?,
        object_id: r.take_text(2)?,
        seq: r.opt_i64(3)?,
        payload: r.take_text(4)?,
        created_at: Timestamp::from_micros(r.i64(5)?),
    })
}
