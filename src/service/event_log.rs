//! The event log as the merchant reads it: every change in the actor's scope, newest first.

use super::{Ctx, Result, ServiceError};
use crate::domain::access::{self, Actor};
use crate::domain::event::Event;
use crate::domain::id::{EventId, LinkId};
use crate::domain::{ErrorKind, FieldError};
use crate::service::list_params;
use crate::store::event_list::{self, Query};
use crate::store::keyset::Page;

/// List parameters as received (the `/v1/events` query string).
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventListInput {
    /// Only events of this type (`payment.succeeded`, …).
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub kind: Option<String>,
    /// Only events about this one object (`plink_…`, `pay_…`, `re_…`, `cus_…`): a link's own
    /// events, not its payments'. For those too, use `payment_link_id`.
    pub object_id: Option<String>,
    /// Only events of this link (`plink_…`), of its payments and of their refunds: the link's whole
    /// story (`payment_link.created`, `payment.created`, `payment.succeeded`, `payment_link.paid`,
    /// `refund.created`, …), in the key's scope like every event.
    pub payment_link_id: Option<String>,
    /// Created at or after (RFC 3339 or YYYY-MM-DD).
    pub created_from: Option<String>,
    /// Created before (RFC 3339 or YYYY-MM-DD).
    pub created_to: Option<String>,
    /// Page size, 1–100 (default 20).
    pub limit: Option<i64>,
    /// Cursor: the last id of the previous page.
    pub starting_after: Option<String>,
}

/// Lists the events the actor can see, newest first.
pub async fn list_events(ctx: &Ctx, actor: &Actor, i: EventListInput) -> Result<Page<Event>> {
    let query = check(actor, i)?;
    ctx.db
        .read(move |c| {
            event_list::run(c, &query)?.ok_or_else(|| {
                ServiceError::field("starting_after", ErrorKind::Invalid, "is not an event in this list")
            })
        })
        .await
}

fn check(actor: &Actor, i: EventListInput) -> Result<Query> {
    let mut errors = Vec::new();
    let mut bad = |field: &str, msg: &str| errors.push(FieldError::new(field, ErrorKind::Invalid, msg));
    let (created_from, created_to) =
        list_params::created_range(i.created_from.as_deref(), i.created_to.as_deref(), &mut bad);
    let limit = list_params::limit(i.limit, &mut bad);
    let payment_link_id = i.payment_link_id.filter(|l| {
        LinkId::parse(l).is_some() || {
            errors.push(FieldError::new("payment_link_id", ErrorKind::Invalid, "is not a link id"));
            false
        }
    });
    let starting_after = i.starting_after.as_deref().and_then(|s| {
        let id = EventId::parse(s);
        if id.is_none() {
            errors.push(FieldError::new("starting_after", ErrorKind::Invalid, "is not an event id"));
        }
        id
    });
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    Ok(Query {
        store_id: actor.store_id.clone(),
        environment: actor.environment,
        visibility: access::visibility(actor),
        kind: i.kind,
        object_id: i.object_id,
        payment_link_id,
        created_from,
        created_to,
        limit,
        starting_after,
    })
}

/// Reads an event whose object the actor can see.
pub async fn get_event(ctx: &Ctx, actor: &Actor, id: &str) -> Result<Event> {
    let id = EventId::parse(id).ok_or(ServiceError::NotFound)?;
    let (store, env, visibility) = (actor.store_id.clone(), actor.environment, access::visibility(actor));
    ctx.db
        .read(move |c| {
            let event = event_list::get(c, &store, env, &id)?.ok_or(ServiceError::NotFound)?;
            if event_list::in_scope(c, &visibility, &event.object_id)? {
                Ok(event)
            } else {
                Err(ServiceError::NotFound)
            }
        })
        .await
}

/// The deliveries of an event (already checked to be in the actor's scope), with attempts.
pub async fn deliveries_of(ctx: &Ctx, event_id: &str) -> Result<Vec<crate::store::delivery_log::DeliveryRecord>> {
    let id = event_id.to_owned();
    Ok(ctx.db.read(move |c| crate::store::delivery_log::for_event(c, &id)).await?)
}
