//! The store's profile (`GET`/`PATCH /v1/store`, the dashboard's settings): any user of the store
//! may read it (the dashboard needs its name and time zone everywhere); OWNER and ADMIN change it,
//! audited with the profile before and after.

use super::audit::{self, Audit, Target, snapshot};
use super::{Ctx, Result, ServiceError, admin};
use crate::domain::access::Actor;
use crate::domain::id::StoreId;
use crate::domain::store_profile::{CapCeilings, ProfileChange, StoreProfile};
use crate::domain::zone::Zone;
use crate::store::store_profile;

/// The actor's store's profile.
pub async fn profile(ctx: &Ctx, actor: &Actor) -> Result<StoreProfile> {
    let store = actor.store_id.clone();
    ctx.db.read(move |c| store_profile::get(c, &store)).await?.ok_or(ServiceError::NotFound)
}

/// Changes the actor's store's profile (OWNER, ADMIN); every wrong field is named, nothing is
/// written unless all are right.
pub async fn change_profile(ctx: &Ctx, actor: &Actor, change: ProfileChange) -> Result<StoreProfile> {
    admin::require_admin(actor)?;
    let n = &ctx.config.notifications;
    let ceilings = CapCeilings { per_link_per_hour: n.per_link_per_hour, per_store_per_hour: n.per_store_per_hour };
    let (store, audit) = (actor.store_id.clone(), Audit::by(actor, ctx.clock.now()));
    ctx.db
        .write(move |c| {
            let before = store_profile::get(c, &store)?.ok_or(ServiceError::NotFound)?;
            let after = change.apply(before.clone(), ceilings).map_err(ServiceError::Invalid)?;
            store_profile::set(c, &store, &after)?;
            let target =
                Target { object_type: "store", object_id: store.as_str(), store_id: Some(&store), environment: None };
            let entry = audit.entry(target, "store.update", Some(shot(&before)), Some(shot(&after)));
            audit::append(c, &entry)?;
            Ok::<_, ServiceError>(after)
        })
        .await
}

/// The store's time zone (the default zone for a store that does not exist).
pub async fn zone(ctx: &Ctx, store: &StoreId) -> Result<Zone> {
    let id = store.clone();
    let name = ctx.db.read(move |c| store_profile::zone_name(c, &id)).await?;
    Ok(name.and_then(|n| Zone::parse(&n)).unwrap_or_else(Zone::default_zone))
}

fn shot(p: &StoreProfile) -> String {
    snapshot(&serde_json::json!({
        "name": p.name,
        "default_language": p.default_language.as_str(),
        "time_zone": p.time_zone,
        "support_phone": p.support_phone,
        "support_email": p.support_email,
        "notify_per_link_per_hour": p.notify_per_link_per_hour,
        "notify_per_store_per_hour": p.notify_per_store_per_hour,
    }))
}
