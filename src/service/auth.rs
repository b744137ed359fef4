//! API key authentication. A secret is hashed and looked up by digest; verified keys are kept in
//! a short-lived per-process cache so the hot path does no database read. Changes to keys or
//! users made through this process clear the cache at once.

use super::{Ctx, Result, ServiceError, secrets};
use crate::domain::Timestamp;
use crate::domain::access::Actor;
use crate::store::keys::{self, KeyLookup};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Entry {
    lookup: Arc<KeyLookup>,
    fetched: Instant,
    touched: Instant,
}

/// Verified keys by digest.
pub struct KeyCache {
    ttl: Duration,
    entries: Mutex<HashMap<String, Entry>>,
}

const TOUCH_EVERY: Duration = Duration::from_secs(60);
const MAX_ENTRIES: usize = 10_000;

impl KeyCache {
    /// A cache keeping verified keys for `ttl`.
    pub fn new(ttl: Duration) -> Self {
        KeyCache { ttl, entries: Mutex::new(HashMap::new()) }
    }

    /// Forgets every key (after a change to keys or users).
    pub fn clear(&self) {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    /// A fresh entry, and whether its `last_used_at` is due for a write.
    fn get(&self, digest: &str) -> Option<(Arc<KeyLookup>, bool)> {
        let mut map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let e = map.get_mut(digest)?;
        if e.fetched.elapsed() > self.ttl {
            return None;
        }
        let due = e.touched.elapsed() > TOUCH_EVERY;
        if due {
            e.touched = Instant::now();
        }
        Some((e.lookup.clone(), due))
    }

    fn put(&self, digest: String, lookup: Arc<KeyLookup>) {
        let mut map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
        let now = Instant::now();
        map.insert(digest, Entry { lookup, fetched: now, touched: now });
    }
}

/// Checks that `store`, a store id as a request's path names it, is the actor's own store: any
/// other store is outside the key's scope and answers 404 (its existence is not revealed).
pub fn require_own_store(actor: &Actor, store: &str) -> Result<()> {
    match actor.store_id.as_str() == store {
        true => Ok(()),
        false => Err(ServiceError::NotFound),
    }
}

/// Resolves a bearer secret to the actor it stands for, or `Unauthenticated`.
pub async fn authenticate(ctx: &Ctx, secret: &str) -> Result<Actor> {
    let prefix_ok = secret.starts_with("sk_test_") || secret.starts_with("sk_live_");
    if !prefix_ok || secret.len() > 128 {
        return Err(ServiceError::Unauthenticated);
    }
    let digest = secrets::digest(secret);
    let (lookup, touch) = match ctx.auth.get(&digest) {
        Some(hit) => hit,
        None => {
            let d = digest.clone();
            let found = ctx.db.read(move |c| keys::find_by_digest(c, &d)).await?;
            let lookup = Arc::new(found.ok_or(ServiceError::Unauthenticated)?);
            ctx.auth.put(digest, lookup.clone());
            (lookup, true)
        }
    };
    let now = ctx.clock.now();
    check_usable(&lookup, secret, now)?;
    if touch {
        record_use(ctx, &lookup.actor, now);
    }
    super::rate_limit::check(ctx, &lookup.actor).await?;
    Ok(lookup.actor.clone())
}

fn check_usable(k: &KeyLookup, secret: &str, now: Timestamp) -> Result<()> {
    let expired = k.expires_at.is_some_and(|at| at <= now);
    let env_matches = secret.starts_with(k.actor.environment.key_prefix());
    if k.revoked || k.user_disabled || expired || !env_matches {
        return Err(ServiceError::Unauthenticated);
    }
    Ok(())
}

/// Writes `last_used_at` in the background; losing one such write is harmless.
fn record_use(ctx: &Ctx, actor: &Actor, now: Timestamp) {
    let (db, Some(id)) = (ctx.db.clone(), actor.key_id.clone()) else { return };
    tokio::spawn(async move {
        if let Err(e) = db.write(move |c| keys::touch(c, &id, now)).await {
            tracing::warn!(error = %e, "could not record key use");
        }
    });
}
