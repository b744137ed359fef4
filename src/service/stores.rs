//! Store facts: its name, the branch a new object goes to, and its currency through a per-process cache (a store's currency never
//! changes after creation, so a cached entry cannot go stale; it saves a read inside every create).

use super::{Ctx, Result, ServiceError};
use crate::domain::ErrorKind;
use crate::domain::access::{self, Action, Actor, Reach};
use crate::domain::id::{BranchId, StoreId};
use crate::domain::money::Currency;
use std::collections::HashMap;
use std::sync::Mutex;

/// Store currencies by store id.
#[derive(Default)]
pub struct StoreCache(Mutex<HashMap<StoreId, Currency>>);

/// The branch a new object belongs to: the requested one (code or id) if it is an enabled branch
/// of the actor's store the actor may `action` in (store-wide roles any, branch roles their own:
/// 403 `refused` otherwise), else the actor's own branch or none.
pub async fn resolve_branch(
    ctx: &Ctx,
    actor: &Actor,
    requested: Option<String>,
    action: Action,
    refused: &'static str,
) -> Result<Option<BranchId>> {
    let Some(requested) = requested.filter(|r| !r.is_empty()) else {
        return Ok(actor.branch_id.clone());
    };
    let store = actor.store_id.clone();
    let branch = ctx
        .db
        .read(move |c| crate::store::tenancy::find_branch(c, &store, &requested))
        .await?
        .filter(|b| b.disabled_at.is_none())
        .ok_or_else(|| ServiceError::field("branch", ErrorKind::Invalid, "is not a branch of this store"))?;
    let own_branch_only = access::reach(actor.role, action) != Reach::All;
    if own_branch_only && actor.branch_id.as_ref() != Some(&branch.id) {
        return Err(ServiceError::Forbidden(refused));
    }
    Ok(Some(branch.id))
}

/// The store's display name (`None` for a store that does not exist).
pub async fn name(ctx: &Ctx, store: &StoreId) -> Result<Option<String>> {
    let id = store.clone();
    let found = ctx.db.read(move |c| crate::store::tenancy::get_store(c, &id)).await?;
    Ok(found.map(|s| s.name))
}

/// The store's default currency.
pub async fn currency(ctx: &Ctx, store: &StoreId) -> Result<Currency> {
    if let Some(c) = ctx.stores.0.lock().unwrap_or_else(|p| p.into_inner()).get(store) {
        return Ok(*c);
    }
    let id = store.clone();
    let found = ctx.db.read(move |c| crate::store::tenancy::get_store(c, &id)).await?;
    let currency = found.ok_or(ServiceError::NotFound)?.currency;
    ctx.stores.0.lock().unwrap_or_else(|p| p.into_inner()).insert(store.clone(), currency);
    Ok(currency)
}
