//! Store facts: its name, and its currency through a per-process cache (a store's currency never
//! changes after creation, so a cached entry cannot go stale; it saves a read inside every create).

use super::{Ctx, Result, ServiceError};
use crate::domain::id::StoreId;
use crate::domain::money::Currency;
use std::collections::HashMap;
use std::sync::Mutex;

/// Store currencies by store id.
#[derive(Default)]
pub struct StoreCache(Mutex<HashMap<StoreId, Currency>>);

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
