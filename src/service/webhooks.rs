//! Webhook endpoints (OWNER and ADMIN): register, change, delete, rotate the signing secret,
//! replay a time range; and the store's callback secret for per-link `callback_url`s.

use super::admin::require_admin;
use super::{Ctx, Result, ServiceError, secrets};
use crate::domain::access::Actor;
use crate::domain::dialect::DialectName;
use crate::domain::id::WebhookEndpointId;
use crate::domain::sign;
use crate::domain::text::has_forbidden_control;
use crate::domain::webhook::{DialectEvents, EndpointStatus, Subscription, WebhookEndpoint};
use crate::domain::{ErrorKind, FieldError, Timestamp};
use crate::store::{delivery_log, webhooks};

/// Most endpoints a store may have per environment.
pub const MAX_ENDPOINTS: usize = 16;

/// The fields of a new endpoint, or the changes to one (`None` keeps the current value).
#[derive(Clone, Debug, Default)]
pub struct EndpointFields {
    pub url: Option<String>,
    pub event_types: Option<Vec<String>>,
    pub description: Option<Option<String>>,
    pub enabled: Option<bool>,
}

/// An endpoint with its signing secret (shown on creation and rotation only).
pub struct WithSecret {
    pub endpoint: WebhookEndpoint,
    pub secret: String,
}

/// The secret an endpoint's current nonce derives.
pub fn endpoint_secret(ctx: &Ctx, nonce: &str) -> String {
    sign::whsec(&sign::endpoint_secret(&ctx.signing_key, nonce))
}

/// Registers an endpoint; the answer carries its secret, never shown again.
pub async fn create_endpoint(ctx: &Ctx, actor: &Actor, fields: EndpointFields) -> Result<WithSecret> {
    create(ctx, actor, fields, None).await
}

/// Registers an endpoint through a dialect: `events` reads the event list as the dialect names
/// it (its error names the field `events`), after the role check; the same URL checks and cap as
/// native endpoints. Its deliveries take the dialect's envelope and signature.
pub async fn create_dialect_endpoint(
    ctx: &Ctx,
    actor: &Actor,
    fields: EndpointFields,
    dialect: DialectName,
    events: impl FnOnce() -> std::result::Result<DialectEvents, String>,
) -> Result<WithSecret> {
    require_admin(actor)?;
    let parsed = events().map_err(|msg| ServiceError::field("events", ErrorKind::Invalid, msg))?;
    create(ctx, actor, EndpointFields { event_types: None, ..fields }, Some((dialect, parsed))).await
}

async fn create(
    ctx: &Ctx,
    actor: &Actor,
    fields: EndpointFields,
    dialect: Option<(DialectName, DialectEvents)>,
) -> Result<WithSecret> {
    require_admin(actor)?;
    let url = fields.url.clone().ok_or_else(|| ServiceError::field("url", ErrorKind::Url, "is required"))?;
    let now = ctx.clock.now();
    let (ms, rnd) = secrets::id_parts(now);
    let (dialect, subscription, dialect_events) = match dialect {
        Some((d, events)) => (Some(d), events.subscription, Some(events.names)),
        None => (None, Subscription::All, None),
    };
    let mut endpoint = WebhookEndpoint {
        id: WebhookEndpointId::generate(ms, rnd),
        store_id: actor.store_id.clone(),
        environment: actor.environment,
        url,
        description: None,
        subscription,
        status: EndpointStatus::Enabled,
        disabled_reason: None,
        secret_nonce: secrets::base62(24),
        previous_nonce: None,
        previous_until: None,
        created_at: now,
        updated_at: now,
        dialect,
        dialect_events,
    };
    apply(ctx, &mut endpoint, fields)?;
    let secret = endpoint_secret(ctx, &endpoint.secret_nonce);
    let stored = endpoint.clone();
    ctx.db
        .write(move |c| {
            if webhooks::list(c, &stored.store_id, stored.environment)?.len() >= MAX_ENDPOINTS {
                let msg = format!("a store has at most {MAX_ENDPOINTS} webhook endpoints per environment");
                return Err(ServiceError::field("url", ErrorKind::Invalid, msg));
            }
            Ok(webhooks::insert(c, &stored)?)
        })
        .await?;
    Ok(WithSecret { endpoint, secret })
}

/// Checks and applies fields to an endpoint.
fn apply(ctx: &Ctx, w: &mut WebhookEndpoint, f: EndpointFields) -> Result<()> {
    // The API's JSON edge refuses these first; the dashboard's forms reach here with them.
    let texts = [("url", f.url.as_deref()), ("description", f.description.as_ref().and_then(Option::as_deref))];
    if let Some((field, _)) = texts.iter().find(|(_, t)| t.is_some_and(has_forbidden_control)) {
        return Err(ServiceError::Invalid(vec![FieldError::control_character(field)]));
    }
    if let Some(url) = f.url {
        let reach = ctx.egress.reach_for(w.environment);
        crate::egress::check_url(&url, reach).map_err(|msg| ServiceError::field("url", ErrorKind::Url, msg))?;
        w.url = url;
    }
    if let Some(types) = f.event_types {
        let invalid = |msg| ServiceError::field("event_types", ErrorKind::Invalid, msg);
        w.subscription = Subscription::parse(&types).map_err(invalid)?;
        if let Some(name) = &w.dialect {
            // Changed through the native API: only types the dialect has a name for.
            let dialect =
                ctx.dialects.get(name).ok_or_else(|| invalid(format!("the dialect {name} is not available")))?;
            w.dialect_events = Some(dialect.endpoint_event_names(&w.subscription).map_err(invalid)?);
        }
    }
    if let Some(description) = f.description {
        if description.as_ref().is_some_and(|d| d.chars().count() > 500) {
            return Err(ServiceError::field("description", ErrorKind::Invalid, "must be at most 500 characters"));
        }
        w.description = description;
    }
    match f.enabled {
        Some(true) => (w.status, w.disabled_reason) = (EndpointStatus::Enabled, None),
        Some(false) => {
            (w.status, w.disabled_reason) = (EndpointStatus::Disabled, Some("disabled by the merchant".into()))
        }
        None => {}
    }
    Ok(())
}

/// The endpoints of the actor's store and environment.
pub async fn list_endpoints(ctx: &Ctx, actor: &Actor) -> Result<Vec<WebhookEndpoint>> {
    require_admin(actor)?;
    let (store, env) = (actor.store_id.clone(), actor.environment);
    Ok(ctx.db.read(move |c| webhooks::list(c, &store, env)).await?)
}

/// One endpoint.
pub async fn get_endpoint(ctx: &Ctx, actor: &Actor, id: &str) -> Result<WebhookEndpoint> {
    require_admin(actor)?;
    let (store, env, id) = (actor.store_id.clone(), actor.environment, id.to_owned());
    ctx.db.read(move |c| webhooks::get(c, &store, env, &id)?.ok_or(ServiceError::NotFound)).await
}

/// Reads an endpoint, changes it with `change`, writes it back, in one transaction.
async fn modify(
    ctx: &Ctx,
    actor: &Actor,
    id: &str,
    change: impl FnOnce(&mut WebhookEndpoint) -> Result<()> + Send + 'static,
) -> Result<WebhookEndpoint> {
    require_admin(actor)?;
    let (store, env, id, now) = (actor.store_id.clone(), actor.environment, id.to_owned(), ctx.clock.now());
    ctx.db
        .write(move |c| {
            let mut w = webhooks::get(c, &store, env, &id)?.ok_or(ServiceError::NotFound)?;
            change(&mut w)?;
            w.updated_at = now;
            webhooks::update(c, &w)?;
            Ok(w)
        })
        .await
}

/// Changes an endpoint's URL, types, description or state.
pub async fn update_endpoint(ctx: &Ctx, actor: &Actor, id: &str, fields: EndpointFields) -> Result<WebhookEndpoint> {
    let checker = ctx.clone();
    modify(ctx, actor, id, move |w| apply(&checker, w, fields)).await
}

/// Deletes an endpoint: it receives nothing more, its pending deliveries end unsent, and its
/// past deliveries stay visible on their events.
pub async fn delete_endpoint(ctx: &Ctx, actor: &Actor, id: &str) -> Result<WebhookEndpoint> {
    modify(ctx, actor, id, |w| {
        w.status = EndpointStatus::Deleted;
        Ok(())
    })
    .await
}

/// Replaces the signing secret; the previous one signs along for `grace_secs` (default from
/// the configuration; 0 ends it at once).
pub async fn rotate_secret(ctx: &Ctx, actor: &Actor, id: &str, grace_secs: Option<i64>) -> Result<WithSecret> {
    let grace = grace_secs.unwrap_or(ctx.config.delivery.rotation_grace_secs);
    if !(0..=7 * 86_400).contains(&grace) {
        return Err(ServiceError::field(
            "grace_period_secs",
            ErrorKind::Invalid,
            "must be between 0 and 604800 (7 days)",
        ));
    }
    let (nonce, until) = (secrets::base62(24), ctx.clock.now().plus_secs(grace));
    let fresh = nonce.clone();
    let endpoint = modify(ctx, actor, id, move |w| {
        let previous = std::mem::replace(&mut w.secret_nonce, fresh);
        (w.previous_nonce, w.previous_until) = (Some(previous), Some(until));
        Ok(())
    })
    .await?;
    Ok(WithSecret { secret: endpoint_secret(ctx, &nonce), endpoint })
}

/// Schedules again every event of `[from, to)` the endpoint subscribes to; returns how many.
pub async fn replay(ctx: &Ctx, actor: &Actor, id: &str, from: Timestamp, to: Timestamp) -> Result<u64> {
    if to.micros() <= from.micros() {
        return Err(ServiceError::field("to", ErrorKind::Invalid, "must be after `from`"));
    }
    if to.micros() - from.micros() > 31 * 86_400 * 1_000_000 {
        return Err(ServiceError::field("to", ErrorKind::Invalid, "a replay covers at most 31 days"));
    }
    let w = get_endpoint(ctx, actor, id).await?;
    if w.status != EndpointStatus::Enabled {
        return Err(ServiceError::field("id", ErrorKind::Invalid, "the endpoint is disabled; enable it first"));
    }
    let now = ctx.clock.now();
    let id = w.id.as_str().to_owned();
    Ok(ctx.db.write(move |c| delivery_log::replay(c, &id, from, to, now)).await?)
}
