//! Notifications as the merchant reads them: listed and read in the actor's scope (the scope of
//! the links they were sent for), newest first.

use super::super::{Ctx, Result, ServiceError, list_params};
use crate::domain::access::{self, Actor};
use crate::domain::id::{LinkId, NotificationId};
use crate::domain::notification::{Channel, Notification, Status};
use crate::domain::{ErrorKind, FieldError};
use crate::store::keyset::Page;
use crate::store::notifications::{self, list};

/// List parameters as received (the `/v1/notifications` query string).
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NotificationListInput {
    /// Only notifications of this link (`plink_…`).
    pub link_id: Option<String>,
    /// `sms` or `email`.
    pub channel: Option<String>,
    /// `queued`, `sent` or `failed`.
    pub status: Option<String>,
    /// Page size, 1–100 (default 20).
    pub limit: Option<i64>,
    /// Cursor: the last id of the previous page.
    pub starting_after: Option<String>,
}

/// One page of notifications, newest first.
pub async fn list_notifications(ctx: &Ctx, actor: &Actor, input: NotificationListInput) -> Result<Page<Notification>> {
    let query = check(actor, input)?;
    ctx.db
        .read(move |c| {
            list::run(c, &query)?.ok_or_else(|| {
                ServiceError::field("starting_after", ErrorKind::Invalid, "is not a notification in this list")
            })
        })
        .await
}

fn check(actor: &Actor, i: NotificationListInput) -> Result<list::Query> {
    let mut errors = Vec::new();
    let mut bad = |field: &str, msg: &str| errors.push(FieldError::new(field, ErrorKind::Invalid, msg));
    let channel = i.channel.as_deref().and_then(|s| {
        Channel::parse(s).map(Channel::as_str).or_else(|| bad_none(&mut bad, "channel", "must be sms or email"))
    });
    let status = i.status.as_deref().and_then(|s| {
        Status::parse(s).map(Status::as_str).or_else(|| bad_none(&mut bad, "status", "must be queued, sent or failed"))
    });
    let link_id = i.link_id.as_deref().and_then(|l| {
        LinkId::parse(l).map(|l| l.to_string()).or_else(|| bad_none(&mut bad, "link_id", "is not a link id"))
    });
    let limit = list_params::limit(i.limit, &mut bad);
    let starting_after = i.starting_after.as_deref().and_then(|s| {
        NotificationId::parse(s).or_else(|| bad_none(&mut bad, "starting_after", "is not a notification id"))
    });
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    Ok(list::Query {
        store_id: actor.store_id.clone(),
        environment: actor.environment,
        visibility: access::visibility(actor),
        link_id,
        channel,
        status,
        limit,
        starting_after,
    })
}

/// Records a field error and yields nothing, for `Option::or_else`.
fn bad_none<T>(bad: &mut impl FnMut(&str, &str), field: &str, msg: &str) -> Option<T> {
    bad(field, msg);
    None
}

/// Reads a notification whose link the actor can see.
pub async fn get_notification(ctx: &Ctx, actor: &Actor, id: &str) -> Result<Notification> {
    let id = NotificationId::parse(id).ok_or(ServiceError::NotFound)?;
    let (store, env, visibility) = (actor.store_id.clone(), actor.environment, access::visibility(actor));
    let found = ctx.db.read(move |c| notifications::get(c, &store, env, &id)).await?;
    found.filter(|n| list::visible(&visibility, n)).ok_or(ServiceError::NotFound)
}
