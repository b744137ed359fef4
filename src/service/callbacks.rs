//! The store's callback secret: per-link `callback_url` deliveries are signed with it the same
//! way as webhooks (Standard Webhooks). OWNER and ADMIN may read it and rotate it.

use super::admin::require_admin;
use super::{Ctx, Result, ServiceError, secrets};
use crate::domain::access::Actor;
use crate::domain::id::StoreId;
use crate::domain::sign;
use crate::domain::{Environment, ErrorKind, Timestamp};
use crate::store::{delivery_log, webhooks};

/// The current callback secret of the actor's store and environment.
pub async fn callback_secret(ctx: &Ctx, actor: &Actor) -> Result<String> {
    require_admin(actor)?;
    store_callback_secret(ctx, &actor.store_id, actor.environment).await
}

/// The current callback secret of a store and environment, as the merchant sees it (for a
/// dialect that signs with the secret's text).
pub async fn store_callback_secret(ctx: &Ctx, store: &StoreId, env: Environment) -> Result<String> {
    let id = store.clone();
    let nonces = ctx.db.read(move |c| webhooks::callback_nonces(c, id.as_str(), env.as_str())).await?;
    let nonce = match nonces {
        Some((current, _)) => current,
        None => sign::initial_callback_nonce(store.as_str(), env.as_str()),
    };
    Ok(sign::whsec(&sign::callback_secret(&ctx.signing_key, &nonce)))
}

/// Replaces the callback secret; the previous one signs along for `grace_secs`.
pub async fn rotate_callback_secret(ctx: &Ctx, actor: &Actor, grace_secs: Option<i64>) -> Result<String> {
    require_admin(actor)?;
    let grace = grace_secs.unwrap_or(ctx.config.delivery.rotation_grace_secs);
    if !(0..=7 * 86_400).contains(&grace) {
        return Err(ServiceError::field(
            "grace_period_secs",
            ErrorKind::Invalid,
            "must be between 0 and 604800 (7 days)",
        ));
    }
    let (store, env, now) = (actor.store_id.clone(), actor.environment, ctx.clock.now());
    let nonce = secrets::base62(24);
    let fresh = nonce.clone();
    ctx.db
        .write(move |c| {
            let prior = match webhooks::callback_nonces(c, store.as_str(), env.as_str())? {
                Some((current, _)) => current,
                None => sign::initial_callback_nonce(store.as_str(), env.as_str()),
            };
            webhooks::rotate_callback(c, (&store, env), &fresh, &prior, now.plus_secs(grace), now)
        })
        .await?;
    Ok(sign::whsec(&sign::callback_secret(&ctx.signing_key, &nonce)))
}

/// Schedules an event's deliveries again: to every enabled endpoint subscribed to it (or only
/// `endpoint_id`; `callback` names the link's callback) — the event must be in the actor's scope.
pub async fn redeliver(ctx: &Ctx, actor: &Actor, event_id: &str, endpoint_id: Option<String>) -> Result<u64> {
    require_admin(actor)?;
    let event = super::event_log::get_event(ctx, actor, event_id).await?;
    let now: Timestamp = ctx.clock.now();
    let n = ctx.db.write(move |c| delivery_log::redeliver(c, event.id.as_str(), endpoint_id.as_deref(), now)).await?;
    Ok(n)
}
