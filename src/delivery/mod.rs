//! The outbox workers: claim due deliveries with a lease, send them signed (Standard Webhooks),
//! record every attempt and schedule the next. [`spawn`] runs the pipelined loop that
//! `paylink serve` and `paylink worker` start; [`deliver_due`] does the same work in rounds, for
//! `run_pending` and tests.

mod pump;
mod send;

pub use pump::spawn;
use send::Outcome;

use crate::domain::Timestamp;
use crate::domain::outbox::Delivery;
use crate::service::{Ctx, Result, events, secrets};
use crate::store::deliveries;
use crate::store::{notifications, webhooks};

/// Claims up to `limit` due deliveries under a fresh lease token and reads what sending them
/// needs. With `look_first`, a cheap read first keeps idle polling off the SQLite writer (a
/// busy loop whose last claim was full skips it).
async fn claim(ctx: &Ctx, limit: usize, look_first: bool) -> Result<Vec<Delivery>> {
    let now = ctx.clock.now();
    if look_first && !ctx.db.read(move |c| deliveries::any_due(c, now)).await? {
        return Ok(Vec::new());
    }
    let lease_end = Timestamp::from_micros(now.micros() + ctx.config.delivery.lease_secs as i64 * 1_000_000);
    let token = secrets::base62(22);
    let claimed = ctx
        .db
        .write(move |c| {
            let ids = deliveries::claim(c, now, lease_end, &token, limit as i64)?;
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            deliveries::load_claimed(c, &ids, &token)
        })
        .await?;
    Ok(claimed)
}

/// Writes a batch of outcomes in one transaction.
async fn record(ctx: &Ctx, outcomes: Vec<Outcome>) -> Result<()> {
    let now = ctx.clock.now();
    ctx.db
        .write(move |c| {
            let mut attempts = Vec::with_capacity(outcomes.len());
            for o in &outcomes {
                match &o.result {
                    send::Result::Attempted { attempt, next, disable_endpoint, alert } => {
                        attempts.push((attempt.clone(), o.token.as_str(), *next));
                        if let Some(id) = disable_endpoint {
                            webhooks::disable(c, id, "the receiver answered 410 Gone", now)?;
                        }
                        if let Some(n) = alert {
                            notifications::insert(c, n)?;
                        }
                    }
                    send::Result::Abandoned(reason) => deliveries::abandon(c, o.delivery_id, &o.token, reason, now)?,
                }
            }
            deliveries::record(c, &attempts)
        })
        .await?;
    Ok(())
}

/// Gives claimed deliveries back unsent: their lease is cleared and they are due at once.
async fn release(ctx: &Ctx, claimed: Vec<(i64, String)>) -> Result<()> {
    let now = ctx.clock.now();
    ctx.db.write(move |c| deliveries::release(c, &claimed, now)).await?;
    Ok(())
}

/// Numbers pending events, then claims, sends and records due deliveries in rounds until none
/// is due; returns how many deliveries were handled. A round sends its whole batch at once.
pub async fn deliver_due(ctx: &Ctx) -> Result<usize> {
    let mut handled = 0;
    // Bounded, so a schedule of zero delays cannot keep one call busy forever.
    for _ in 0..64 {
        events::sequence_pending(ctx).await?;
        let batch = claim(ctx, ctx.config.delivery.batch, true).await?;
        if batch.is_empty() {
            break;
        }
        handled += batch.len();
        let mut sends = tokio::task::JoinSet::new();
        for d in batch {
            let ctx = ctx.clone();
            sends.spawn(async move { send::attempt(&ctx, d).await });
        }
        let outcomes = sends.join_all().await;
        record(ctx, outcomes).await?;
    }
    Ok(handled)
}
