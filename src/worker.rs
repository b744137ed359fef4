//! Background loops: follow the database clock, number committed events, chain audit entries,
//! deliver webhooks and callbacks, settle payments left open (asking their connector), expire
//! links past their expiry, purge old idempotency keys. `run_pending` does one round of each, so
//! tests drain work instead of sleeping.

use crate::clock::Clock;
use crate::service::{Ctx, events, idempotency, links, pay};
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Measures the offset between the local clock and the database clock.
pub async fn sync_clock(ctx: &Ctx) {
    let before = Clock::local_micros();
    match ctx.db.now_micros().await {
        Ok(db) => ctx.clock.sync_to(db, (before + Clock::local_micros()) / 2),
        Err(e) => tracing::warn!(error = %e, "could not read the database clock"),
    }
}

/// One round of every background job; returns the number of events numbered.
pub async fn run_pending(ctx: &Ctx) -> u64 {
    let numbered = events::sequence_pending(ctx).await.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "event sequencing failed");
        0
    });
    if let Err(e) = crate::service::audit::chain_pending(ctx).await {
        tracing::warn!(error = %e, "audit chaining failed");
    }
    if let Err(e) = idempotency::purge_expired(ctx).await {
        tracing::warn!(error = %e, "idempotency purge failed");
    }
    if let Err(e) = pay::sweep(ctx).await {
        tracing::warn!(error = %e, "payment sweep failed");
    }
    if let Err(e) = crate::service::refunds::sweep(ctx).await {
        tracing::warn!(error = %e, "refund sweep failed");
    }
    if let Err(e) = links::expire_due(ctx).await {
        tracing::warn!(error = %e, "expiry sweep failed");
    }
    // Last: the rounds above may have written events and queued messages.
    if let Err(e) = crate::delivery::deliver_due(ctx).await {
        tracing::warn!(error = %e, "delivery failed");
    }
    if let Err(e) = crate::service::notify::send_due(ctx).await {
        tracing::warn!(error = %e, "sending notifications failed");
    }
    numbered
}

/// Starts the loops; they stop when `stop` turns true (the delivery loop lets its sends in
/// flight finish first).
pub fn spawn(ctx: Ctx, mut stop: watch::Receiver<bool>) -> JoinHandle<()> {
    let deliveries = ctx.config.delivery.enabled.then(|| crate::delivery::spawn(ctx.clone(), stop.clone()));
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_millis(500));
        let mut rounds: u64 = 0;
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stop.changed() => break,
            }
            rounds += 1;
            let _ = events::sequence_pending(&ctx).await;
            let _ = crate::service::audit::chain_pending(&ctx).await;
            if let Err(e) = crate::service::notify::send_due(&ctx).await {
                tracing::warn!(error = %e, "sending notifications failed");
            }
            if rounds % 4 == 0 {
                let _ = pay::sweep(&ctx).await;
                let _ = crate::service::refunds::sweep(&ctx).await;
                let _ = links::expire_due(&ctx).await;
            }
            if rounds % 60 == 0 {
                sync_clock(&ctx).await;
            }
            if rounds % 7200 == 0 {
                let _ = idempotency::purge_expired(&ctx).await;
            }
        }
        if let Some(d) = deliveries {
            let _ = d.await;
        }
    })
}
