//! Links by a dialect's own name for them (`dialect_ref`: an invoice id, a QuickLink number).
//! Dialects look links up only through here, so the store, environment and role scope are the
//! core's, checked once.

use super::load_visible;
use crate::domain::access::Actor;
use crate::domain::dialect::DialectName;
use crate::domain::link::Link;
use crate::service::{Ctx, Result, ServiceError};
use crate::store::links;

/// The link `dialect` calls `reference`, if the actor can see it (404 otherwise).
pub async fn get_link_by_ref(ctx: &Ctx, actor: &Actor, dialect: &DialectName, reference: &str) -> Result<Link> {
    let (actor, name, reference) = (actor.clone(), dialect.clone(), reference.to_owned());
    ctx.db
        .read(move |c| {
            let found = links::get_by_dialect_ref(c, name.as_str(), &reference)?.ok_or(ServiceError::NotFound)?;
            load_visible(c, &actor, &found.id)
        })
        .await
}

/// The id of the link `dialect` calls `reference`, for a payment-page address: like the link's
/// own id, an unguessable reference is the capability to see its page.
pub async fn public_link_id_by_ref(ctx: &Ctx, dialect: &DialectName, reference: &str) -> Result<String> {
    let (name, reference) = (dialect.clone(), reference.to_owned());
    let found = ctx.db.read(move |c| links::get_by_dialect_ref(c, name.as_str(), &reference)).await?;
    found.map(|l| l.id.to_string()).ok_or(ServiceError::NotFound)
}
