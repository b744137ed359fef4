//! Writing events inside a business transaction, and numbering them afterwards.

use super::{Ctx, Result, secrets};
use crate::domain::event::EventType;
use crate::domain::id::{EventId, StoreId};
use crate::domain::{Environment, Timestamp};
use crate::store::conn::{Conn, DbError};
use crate::store::events::{self, NewEvent};

/// Builds an event about `object_id` with a snapshot of the object, ready to insert.
pub fn prepare(
    (store_id, environment): (&StoreId, Environment),
    kind: EventType,
    object_id: &str,
    snapshot: &impl serde::Serialize,
    now: Timestamp,
) -> NewEvent {
    let (ms, rnd) = secrets::id_parts(now);
    let payload = serde_json::json!({ "object": snapshot }).to_string();
    NewEvent {
        id: EventId::generate(ms, rnd),
        store_id: store_id.clone(),
        environment,
        kind,
        object_id: object_id.to_owned(),
        payload,
        created_at: now,
    }
}

/// Writes one event about `object_id` with a snapshot of the object.
pub fn record(
    c: &mut dyn Conn,
    scope: (&StoreId, Environment),
    kind: EventType,
    object_id: &str,
    snapshot: &impl serde::Serialize,
    now: Timestamp,
) -> std::result::Result<EventId, DbError> {
    let event = prepare(scope, kind, object_id, snapshot, now);
    events::insert(c, &event)?;
    Ok(event.id)
}

/// Numbers every committed, unnumbered event (run by the worker loop and by tests).
pub async fn sequence_pending(ctx: &Ctx) -> Result<u64> {
    let scopes = ctx.db.read(events::unsequenced_scopes).await?;
    let mut total = 0;
    for (store, env) in scopes {
        total += ctx.db.write(move |c| events::sequence(c, &store, env, 1000)).await?;
    }
    Ok(total)
}
