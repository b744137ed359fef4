//! Per-key request limits (by default 1,000 a minute in the sandbox, 5,000 in production). The allowance of each one-minute window lives in the database so every instance
//! counts against the same number. To keep that off the hot path, an instance claims the
//! allowance in blocks (a fiftieth of the limit) with one guarded upsert and serves requests from
//! its block in memory; together the instances can never admit more than the limit. What an
//! instance claimed and did not use is lost for the window: with several instances a key may be
//! refused up to a block per instance early, never late.

use super::{Ctx, Result, ServiceError};
use crate::domain::Environment;
use crate::domain::access::Actor;
use crate::store::rate_limits;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Seconds in one window.
const WINDOW_SECS: i64 = 60;
/// A block is this fraction of the limit.
const BLOCKS_PER_WINDOW: i64 = 50;

/// The requests this instance may still serve per key in the current window.
#[derive(Default)]
pub struct Leases {
    by_key: Mutex<HashMap<String, (i64, i64)>>,
    /// One claim at a time per key: requests that find the block empty together wait for the
    /// block the first one claims instead of each claiming a block (which would spend the
    /// window's allowance in blocks this instance cannot use, and refuse the rest).
    claiming: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl Leases {
    /// The lock a key's claims are made under.
    fn claim_lock(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut map = self.claiming.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 10_000 {
            map.retain(|_, lock| Arc::strong_count(lock) > 1);
        }
        map.entry(key.to_owned()).or_default().clone()
    }

    /// Takes one request from the key's block for `window`, if any is left.
    fn take(&self, key: &str, window: i64) -> bool {
        let mut map = self.by_key.lock().unwrap_or_else(|p| p.into_inner());
        match map.get_mut(key) {
            Some((w, left)) if *w == window && *left > 0 => {
                *left -= 1;
                true
            }
            _ => false,
        }
    }

    /// Adds `n` claimed requests to the key's block for `window` (a block of an older window is
    /// dropped).
    fn add(&self, key: &str, window: i64, n: i64) {
        let mut map = self.by_key.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 10_000 {
            map.retain(|_, (w, _)| *w == window);
        }
        let entry = map.entry(key.to_owned()).or_insert((window, 0));
        if entry.0 != window {
            *entry = (window, 0);
        }
        entry.1 += n;
    }
}

/// The limit per minute of a key of `env`.
pub fn limit_for(ctx: &Ctx, env: Environment) -> i64 {
    match env {
        Environment::Sandbox => ctx.config.auth.sandbox_requests_per_minute,
        Environment::Production => ctx.config.auth.production_requests_per_minute,
    }
}

/// Counts one request of the actor's key; `KeyRateLimited` once the window's allowance is spent.
/// A dashboard session has no key and no per-key allowance (its sign-in is throttled instead).
pub async fn check(ctx: &Ctx, actor: &Actor) -> Result<()> {
    let now_secs = ctx.clock.now().micros().div_euclid(1_000_000);
    let window = now_secs - now_secs.rem_euclid(WINDOW_SECS);
    let Some(key) = actor.key_id.as_ref().map(|k| k.as_str()) else { return Ok(()) };
    if ctx.rate_leases.take(key, window) {
        return Ok(());
    }
    let lock = ctx.rate_leases.claim_lock(key);
    let _claiming = lock.lock().await;
    // Another request may have claimed a block while this one waited.
    if ctx.rate_leases.take(key, window) {
        return Ok(());
    }
    let limit = limit_for(ctx, actor.environment);
    let block = (limit / BLOCKS_PER_WINDOW).max(1);
    // A full block first; near the end of the allowance, a single request.
    for n in [block, 1] {
        let id = key.to_owned();
        // Two statements on a window's first claim (the upsert, then dropping older windows): a
        // transaction, not `write_once`.
        if ctx.db.write(move |c| rate_limits::claim(c, &id, window, n, limit)).await?.is_some() {
            ctx.rate_leases.add(key, window, n - 1);
            return Ok(());
        }
        if n == 1 {
            break;
        }
    }
    Err(ServiceError::KeyRateLimited { limit, retry_after_secs: (window + WINDOW_SECS - now_secs).max(1) })
}
