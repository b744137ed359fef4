//! Idempotent request handling (docs/architecture.md): same key and body → the stored first response; same
//! key, different body → refused; while the first is running → refused as in flight.

use super::{Ctx, Result};
use crate::domain::access::Actor;
use crate::store::idempotency::{self, Claim, Key};
use sha2::{Digest, Sha256};

pub use crate::store::idempotency::Claim as Outcome;

/// Claims `key` for the request described by `fingerprint` (method, path and body).
pub async fn begin(ctx: &Ctx, actor: &Actor, key: &str, fingerprint: &[u8]) -> Result<Claim> {
    let hash: String = Sha256::digest(fingerprint).iter().map(|b| format!("{b:02x}")).collect();
    let (store, env, key) = (actor.store_id.clone(), actor.environment, key.to_owned());
    let now = ctx.clock.now();
    let lease = now.plus_secs(ctx.config.limits.idempotency_lease_secs);
    ctx.db
        .write(move |c| {
            Ok(idempotency::claim(c, &Key { store_id: &store, environment: env, key: &key }, &hash, now, lease)?)
        })
        .await
}

/// Stores the response of a claimed request.
pub async fn finish(ctx: &Ctx, actor: &Actor, key: &str, status: u16, body: String) -> Result<()> {
    let (store, env, key) = (actor.store_id.clone(), actor.environment, key.to_owned());
    ctx.db
        .write(move |c| {
            Ok(idempotency::complete(c, &Key { store_id: &store, environment: env, key: &key }, status, &body)?)
        })
        .await
}

/// Gives up a claim so that a retry runs again (the request failed unexpectedly).
pub async fn abandon(ctx: &Ctx, actor: &Actor, key: &str) -> Result<()> {
    let (store, env, key) = (actor.store_id.clone(), actor.environment, key.to_owned());
    ctx.db.write(move |c| Ok(idempotency::release(c, &Key { store_id: &store, environment: env, key: &key })?)).await
}

/// Deletes keys older than the configured retention.
pub async fn purge_expired(ctx: &Ctx) -> Result<u64> {
    let before = ctx.clock.now().plus_secs(-ctx.config.limits.idempotency_hours * 3600);
    ctx.db.write(move |c| Ok(idempotency::purge(c, before)?)).await
}
