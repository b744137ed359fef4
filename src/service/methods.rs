//! Payment methods: every role of the store reads them (staff need them to create links); OWNER
//! and ADMIN rename, enable and disable them.

use super::admin::require_admin;
use super::{Ctx, Result, ServiceError};
use crate::domain::access::Actor;
use crate::domain::id::StoreId;
use crate::domain::method::{MethodKind, PaymentMethod};
use crate::domain::{Environment, ErrorKind, Timestamp};
use crate::store::conn::{Conn, DbError};
use crate::store::methods;

/// Gives a new store one enabled sandbox method of each online kind.
pub fn seed_sandbox_methods(c: &mut dyn Conn, store: &StoreId, now: Timestamp) -> std::result::Result<(), DbError> {
    for kind in MethodKind::ONLINE {
        methods::insert(c, store, Environment::Sandbox, kind, "sandbox", now)?;
    }
    Ok(())
}

/// The methods of the actor's store in the actor's environment.
pub async fn list_methods(ctx: &Ctx, actor: &Actor) -> Result<Vec<PaymentMethod>> {
    let (store, env) = (actor.store_id.clone(), actor.environment);
    Ok(ctx.db.read(move |c| methods::list(c, &store, env)).await?)
}

/// The methods of the actor's store in the actor's environment, for those who may change them
/// (OWNER and ADMIN: the dashboard's methods page, where each row is a form).
pub async fn list_methods_to_manage(ctx: &Ctx, actor: &Actor) -> Result<Vec<PaymentMethod>> {
    require_admin(actor)?;
    list_methods(ctx, actor).await
}

/// One method of the actor's store and environment.
pub async fn get_method(ctx: &Ctx, actor: &Actor, id: i64) -> Result<PaymentMethod> {
    let (store, env) = (actor.store_id.clone(), actor.environment);
    ctx.db.read(move |c| methods::get(c, &store, env, id)?.ok_or(ServiceError::NotFound)).await
}

/// Renames, enables or disables a method (OWNER and ADMIN).
pub async fn change_method(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    name: Option<String>,
    enabled: Option<bool>,
) -> Result<PaymentMethod> {
    let (store, env, now) = (actor.store_id.clone(), actor.environment, ctx.clock.now());
    let name = name.map(|n| n.trim().to_owned());
    if name.as_deref().is_some_and(|n| n.is_empty() || n.chars().count() > 100) {
        return Err(ServiceError::field("name", ErrorKind::Invalid, "must be 1 to 100 characters"));
    }
    let actor = actor.clone();
    ctx.db
        .write(move |c| {
            let mut m = methods::get(c, &store, env, id)?.ok_or(ServiceError::NotFound)?;
            require_admin(&actor)?;
            if m.connector == "offline" && enabled == Some(true) {
                let msg = "this method records payments taken at the branch; payers cannot use it online";
                return Err(ServiceError::field("enabled", ErrorKind::Invalid, msg));
            }
            m.name = name.unwrap_or(m.name);
            m.enabled = enabled.unwrap_or(m.enabled);
            m.updated_at = now;
            methods::update(c, &m)?;
            Ok(m)
        })
        .await
}
