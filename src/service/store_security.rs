//! The store's sign-in rule: whether its OWNER and ADMIN users must use two-step verification.
//! Turning it on does not lock anyone out: a user without a second factor is sent to set one up
//! at their next sign-in (`Stage::EnrolSecondFactor`). Who may sign in how is an access rule, so
//! its changes are audited like key changes.

use super::audit::{self, Audit, Target, snapshot};
use super::{Ctx, Result, ServiceError, admin};
use crate::domain::access::Actor;
use crate::store::tenancy;

/// Whether the actor's store requires two-step verification of OWNER and ADMIN users.
pub async fn second_factor_required(ctx: &Ctx, actor: &Actor) -> Result<bool> {
    admin::require_admin(actor)?;
    let store = actor.store_id.clone();
    Ok(ctx.db.read(move |c| tenancy::requires_second_factor(c, &store)).await?)
}

/// Requires (or stops requiring) two-step verification of the store's OWNER and ADMIN users.
pub async fn require_second_factor(ctx: &Ctx, actor: &Actor, required: bool) -> Result<bool> {
    admin::require_admin(actor)?;
    let (store, audit) = (actor.store_id.clone(), Audit::by(actor, ctx.clock.now()));
    ctx.db
        .write(move |c| {
            let before = tenancy::requires_second_factor(c, &store)?;
            tenancy::set_requires_second_factor(c, &store, required)?;
            let target =
                Target { object_type: "store", object_id: store.as_str(), store_id: Some(&store), environment: None };
            let shot = |on: bool| snapshot(&serde_json::json!({ "require_two_factor_for_admins": on }));
            let entry = audit.entry(target, "store.security.update", Some(shot(before)), Some(shot(required)));
            audit::append(c, &entry)?;
            Ok::<_, ServiceError>(required)
        })
        .await
}
