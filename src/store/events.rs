//! Events: one row per state change, written in the same transaction as the change. Sequence
//! numbers are assigned afterwards, in commit order, by [`sequence`]: numbering at insert time
//! would hold a per-store row lock until commit and serialise every write of a store on
//! PostgreSQL. A receiver still sees gap-free numbers per store and environment.

use super::columns::{Only, columns};
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
        .i64(Only)?;
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
    columns! {
        enum ScopeCol { StoreId = "store_id", Environment = "environment" }
        const SQL = "SELECT DISTINCT " + COLUMNS + " FROM events WHERE seq IS NULL";
    }
    let scope = |r: &Row| {
        let env = Environment::parse(&r.text(ScopeCol::Environment)?).ok_or(DbError::decode(ScopeCol::Environment))?;
        Ok((StoreId::from_trusted(r.text(ScopeCol::StoreId)?), env))
    };
    c.query(SQL, &[])?.iter().map(scope).collect()
}

columns! {
    /// The columns an event is read from, in row order.
    pub(crate) enum EventCol {
        Id = "id", Type = "type", ObjectId = "object_id", Seq = "seq", Payload = "payload", CreatedAt = "created_at",
    }
    const FOR_OBJECT = "SELECT " + COLUMNS + " FROM events WHERE object_id = ?1 AND store_id = ?2 \
        ORDER BY created_at, id";
}

/// Events about one object, oldest first.
pub fn for_object(c: &mut dyn Conn, store: &StoreId, object_id: &str) -> Result<Vec<Event>, DbError> {
    c.query(FOR_OBJECT, params![object_id, store.as_str()])?.into_iter().map(stored_from_row).collect()
}

/// Decodes a row selected with [`EventCol::LIST`].
pub(crate) fn stored_from_row(mut r: Row) -> Result<Event, DbError> {
    use EventCol as C;
    Ok(Event {
        id: EventId::from_trusted(r.take_text(C::Id)?),
        kind: EventType::parse(&r.text(C::Type)?).ok_or(DbError::decode(C::Type))?,
        object_id: r.take_text(C::ObjectId)?,
        seq: r.opt_i64(C::Seq)?,
        payload: r.take_text(C::Payload)?,
        created_at: Timestamp::from_micros(r.i64(C::CreatedAt)?),
    })
}
