//! The delivery benchmark's side of the outbox: filling it through the service (links, their
//! events and deliveries) and reading back how the deliveries ended.

use super::histogram::Histogram;
use paylink::domain::access::Actor;
use paylink::domain::link::LinkDraft;
use paylink::params;
use paylink::service::links::{self, NewLink};
use paylink::service::{Ctx, events};
use paylink::store::conn::DbError;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::task::JoinSet;

/// Links created at once while the queue is filled (as many concurrent API clients would).
const CREATORS: u64 = 64;

/// Creates `n` links through the service from `CREATORS` concurrent tasks; the time taken.
pub async fn create_links(ctx: &Ctx, actor: &Arc<Actor>, n: u64) -> Result<Duration, String> {
    let (next, started) = (Arc::new(AtomicU64::new(0)), Instant::now());
    let mut tasks: JoinSet<Result<(), String>> = JoinSet::new();
    for _ in 0..CREATORS.min(n) {
        let (ctx, actor, next) = (ctx.clone(), actor.clone(), next.clone());
        tasks.spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    return Ok(());
                }
                create_one(&ctx, &actor, i).await?;
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.map_err(|e| format!("delivery bench: {e}"))??;
    }
    Ok(started.elapsed())
}

/// One plain link (no SMS or e-mail to queue), as an API client would create it: one
/// `payment_link.created` event, one delivery per subscribed endpoint.
pub async fn create_one(ctx: &Ctx, actor: &Actor, i: u64) -> Result<(), String> {
    let draft = LinkDraft {
        amount: Some(format!("{}.50", 10 + i % 990)),
        title: Some(format!("Webhook bench order {i}")),
        ..LinkDraft::default()
    };
    links::create_link(ctx, actor, NewLink { draft, ..NewLink::default() })
        .await
        .map(drop)
        .map_err(|e| format!("delivery bench: creating a link: {e}"))
}

/// Numbers every pending event, so the loop's first claims find every delivery ready.
pub async fn sequence_all(ctx: &Ctx) -> Result<Duration, String> {
    let started = Instant::now();
    while events::sequence_pending(ctx).await.map_err(|e| format!("delivery bench: numbering: {e}"))? > 0 {}
    Ok(started.elapsed())
}

/// Whether any of the endpoint's deliveries is still pending (not yet recorded as delivered or
/// failed). Polled while the recorder catches up, so it goes through the small partial index of
/// pending rows rather than counting the table.
pub async fn any_pending(ctx: &Ctx, endpoint: &str) -> Result<bool, String> {
    let endpoint = endpoint.to_owned();
    let sql = "SELECT 1 FROM deliveries WHERE status = 'pending' AND next_attempt_at IS NOT NULL \
               AND endpoint_id = ?1 LIMIT 1";
    let found = ctx.db.read(move |c| c.query_opt(sql, params![endpoint])).await;
    found.map(|row| row.is_some()).map_err(|e: DbError| format!("delivery bench: looking for pending deliveries: {e}"))
}

/// The endpoint's deliveries by status.
pub async fn statuses(ctx: &Ctx, endpoint: &str) -> Result<BTreeMap<String, u64>, String> {
    let endpoint = endpoint.to_owned();
    let sql = "SELECT status, COUNT(*) FROM deliveries WHERE endpoint_id = ?1 GROUP BY status ORDER BY status";
    let rows = ctx
        .db
        .read(move |c| {
            let rows = c.query(sql, params![endpoint])?;
            rows.into_iter().map(|mut r| Ok((r.take_text(0)?, r.i64(1)?.max(0) as u64))).collect()
        })
        .await;
    rows.map_err(|e: DbError| format!("delivery bench: counting deliveries: {e}"))
}

/// Event-to-first-attempt as the server recorded it (the attempt's start minus the event's
/// creation, both on its clock) for the endpoint's last `count` deliveries.
pub async fn recorded_latencies(ctx: &Ctx, endpoint: &str, count: u64) -> Result<Histogram, String> {
    let endpoint = endpoint.to_owned();
    let sql = "SELECT a.attempted_at - e.created_at FROM deliveries d JOIN events e ON e.id = d.event_id \
               JOIN delivery_attempts a ON a.delivery_id = d.id AND a.number = 1 \
               WHERE d.endpoint_id = ?1 ORDER BY d.id DESC LIMIT ?2";
    let rows = ctx.db.read(move |c| c.query(sql, params![endpoint, count as i64])).await;
    let rows = rows.map_err(|e: DbError| format!("delivery bench: reading attempts: {e}"))?;
    let mut hist = Histogram::default();
    for r in rows {
        hist.record(r.i64(0).map_err(|e| e.to_string())?.max(0) as u64);
    }
    Ok(hist)
}

/// Marks the endpoint deleted directly (when the service could not), which is all the delivery
/// loop looks at.
pub async fn mark_deleted(ctx: &Ctx, endpoint: &str) -> Result<(), String> {
    let id = endpoint.to_owned();
    let sql = "UPDATE webhook_endpoints SET status = 'deleted' WHERE id = ?1";
    let done = ctx.db.write(move |c| c.execute(sql, params![id])).await;
    done.map(drop).map_err(|e: DbError| format!("delivery bench: deleting the endpoint: {e}"))
}
