//! The long-running delivery loop. Sends run concurrently up to `concurrency`; as soon as some
//! finish, more due rows are claimed, so one slow receiver never holds back the others. Outcomes
//! go to a recorder that writes them in batches (one transaction for many attempts).

use super::send::{self, Outcome};
use super::{claim, record};
use crate::service::{Ctx, events};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Semaphore, mpsc, watch};
use tokio::task::JoinHandle;

/// Most outcomes written in one transaction.
const RECORD_BATCH: usize = 512;

/// Starts the loop; it stops claiming when `stop` turns true, lets the sends in flight finish
/// (within the request timeout) and records them.
pub fn spawn(ctx: Ctx, mut stop: watch::Receiver<bool>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let s = &ctx.config.delivery;
        let slots = Arc::new(Semaphore::new(s.concurrency.max(1)));
        let (tx, rx) = mpsc::unbounded_channel::<Outcome>();
        let recorder = tokio::spawn(record_loop(ctx.clone(), rx));
        let poll = Duration::from_millis(s.poll_ms.max(1));
        while !*stop.borrow() {
            let started = pump_once(&ctx, &slots, &tx).await;
            if started == 0 {
                tokio::select! {
                    _ = tokio::time::sleep(poll) => {}
                    _ = stop.changed() => {}
                }
            }
        }
        let grace = Duration::from_secs(s.request_timeout_secs + 1);
        let _ = tokio::time::timeout(grace, slots.acquire_many(s.concurrency.max(1) as u32)).await;
        drop(tx);
        let _ = recorder.await;
    })
}

/// Numbers new events, claims as many due deliveries as there are free slots, and starts their
/// sends; returns how many were started.
async fn pump_once(ctx: &Ctx, slots: &Arc<Semaphore>, tx: &mpsc::UnboundedSender<Outcome>) -> usize {
    if let Err(e) = events::sequence_pending(ctx).await {
        tracing::warn!(error = %e, "event sequencing failed");
    }
    // Wait for at least one free slot, then take every free one.
    let Ok(first) = slots.clone().acquire_owned().await else { return 0 };
    let free = slots.available_permits() + 1;
    let batch = match claim(ctx, free.min(ctx.config.delivery.batch)).await {
        Ok(b) => b,
        Err(e) => {
            tracing::warn!(error = %e, "claiming deliveries failed");
            return 0;
        }
    };
    let started = batch.len();
    let mut first = Some(first);
    for d in batch {
        let permit = match first.take() {
            Some(p) => p,
            None => slots.clone().acquire_owned().await.expect("the semaphore is never closed"),
        };
        let (ctx, tx) = (ctx.clone(), tx.clone());
        tokio::spawn(async move {
            let outcome = send::attempt(&ctx, d).await;
            let _ = tx.send(outcome);
            drop(permit);
        });
    }
    started
}

/// Writes outcomes as they arrive, many per transaction.
async fn record_loop(ctx: Ctx, mut rx: mpsc::UnboundedReceiver<Outcome>) {
    let mut buf = Vec::with_capacity(RECORD_BATCH);
    while rx.recv_many(&mut buf, RECORD_BATCH).await > 0 {
        let batch = std::mem::take(&mut buf);
        if let Err(e) = record(&ctx, batch).await {
            // The leases run out and the deliveries are attempted again: at least once.
            tracing::warn!(error = %e, "recording delivery attempts failed");
        }
    }
}
