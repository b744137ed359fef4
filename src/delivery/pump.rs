//! The long-running delivery loop. Sends run concurrently up to `concurrency`; as soon as some
//! finish, more due rows are claimed, so one slow receiver never holds back the others. Outcomes
//! go to a recorder that writes them in batches (one transaction for many attempts). On shutdown
//! the loop stops claiming, hands back what it claimed and has not started sending (their lease is
//! cleared, so another instance takes them at once), lets the sends in flight finish and records
//! them.

use super::send::{self, Outcome};
use super::{claim, record, release};
use crate::domain::outbox::Delivery;
use crate::service::{Ctx, events};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, watch};
use tokio::task::JoinHandle;

/// Most outcomes written in one transaction.
const RECORD_BATCH: usize = 512;

/// Starts the loop; it stops claiming when `stop` turns true, lets the sends in flight finish
/// (within the request timeout) and records them.
pub fn spawn(ctx: Ctx, mut stop: watch::Receiver<bool>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let s = &ctx.config.delivery;
        // Bounded: when recording falls behind, sends wait to hand over their outcome while still
        // holding their slot, so claiming slows to what recording sustains and no claimed row
        // waits long enough in memory for its lease to run out (which would send it twice).
        let (tx, rx) = mpsc::channel::<Outcome>(RECORD_BATCH * 2);
        let recorder = tokio::spawn(record_loop(ctx.clone(), rx));
        let poll = Duration::from_millis(s.poll_ms.max(1));
        let mut pump = Pump {
            slots: Arc::new(Semaphore::new(s.concurrency.max(1))),
            tx,
            numbered_at: None,
            full: false,
            unstarted: Default::default(),
        };
        while !*stop.borrow() {
            if pump.once(&ctx, poll, &mut stop).await == 0 {
                tokio::select! {
                    _ = tokio::time::sleep(poll) => {}
                    _ = stop.changed() => {}
                }
            }
        }
        hand_back(&ctx, &pump.unstarted).await;
        let grace = Duration::from_secs(s.request_timeout_secs + 1);
        let _ = tokio::time::timeout(grace, pump.slots.acquire_many(s.concurrency.max(1) as u32)).await;
        drop(pump);
        let _ = recorder.await;
    })
}

/// The loop's state between rounds.
struct Pump {
    slots: Arc<Semaphore>,
    tx: mpsc::Sender<Outcome>,
    /// When events were last numbered (at most once per poll interval while busy).
    numbered_at: Option<Instant>,
    /// Whether the last claim took all it asked for (then more are surely due).
    full: bool,
    /// Claimed deliveries whose send has not started (id → lease token). A send starts only by
    /// taking its delivery out of here, and shutdown empties it, so each is either sent or
    /// handed back, never both.
    unstarted: Arc<Mutex<HashMap<i64, String>>>,
}

impl Pump {
    /// Numbers new events, claims as many due deliveries as there are free slots, and starts
    /// their sends; returns how many were started. Once `stop` turns true it starts nothing:
    /// while every slot is busy it would otherwise wait for one, then claim and start a fresh
    /// batch after shutdown began (what it claimed is left for [`hand_back`]).
    async fn once(&mut self, ctx: &Ctx, poll: Duration, stop: &mut watch::Receiver<bool>) -> usize {
        if self.numbered_at.is_none_or(|t| t.elapsed() >= poll) {
            if let Err(e) = events::sequence_pending(ctx).await {
                tracing::warn!(error = %e, "event sequencing failed");
            }
            self.numbered_at = Some(Instant::now());
        }
        // Wait for at least one free slot, then take every free one.
        let first = tokio::select! {
            permit = self.slots.clone().acquire_owned() => permit,
            _ = stopped(stop) => return 0,
        };
        let Ok(first) = first else { return 0 };
        let wanted = (self.slots.available_permits() + 1).min(ctx.config.delivery.batch);
        let batch = match claim(ctx, wanted, !self.full).await {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!(error = %e, "claiming deliveries failed");
                return 0;
            }
        };
        self.full = batch.len() == wanted;
        lock(&self.unstarted).extend(batch.iter().map(|d| (d.id, d.token.clone())));
        if *stop.borrow() {
            return 0;
        }
        self.start(ctx, batch, first).await
    }

    /// Starts the sends of a claimed batch, the first with the slot already taken; returns how
    /// many were started.
    async fn start(&self, ctx: &Ctx, batch: Vec<Delivery>, first: OwnedSemaphorePermit) -> usize {
        let started = batch.len();
        let mut first = Some(first);
        for d in batch {
            let permit = match first.take() {
                Some(p) => p,
                None => self.slots.clone().acquire_owned().await.expect("the semaphore is never closed"),
            };
            let (ctx, tx, unstarted) = (ctx.clone(), self.tx.clone(), self.unstarted.clone());
            tokio::spawn(async move {
                if lock(&unstarted).remove(&d.id).is_none() {
                    return; // handed back at shutdown
                }
                let outcome = send::attempt(&ctx, d).await;
                let _ = tx.send(outcome).await;
                drop(permit);
            });
        }
        started
    }
}

/// Resolves once `stop` is true (never, if its sender goes away without saying so).
async fn stopped(stop: &mut watch::Receiver<bool>) {
    if stop.wait_for(|s| *s).await.is_err() {
        std::future::pending::<()>().await;
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Clears the lease of every claimed delivery whose send has not started, so another instance
/// (or this one, restarted) sends it at once rather than when the lease runs out.
async fn hand_back(ctx: &Ctx, unstarted: &Mutex<HashMap<i64, String>>) {
    let back: Vec<(i64, String)> = lock(unstarted).drain().collect();
    if back.is_empty() {
        return;
    }
    let n = back.len();
    match release(ctx, back).await {
        Ok(()) => tracing::info!(deliveries = n, "handed back unsent deliveries on shutdown"),
        // Their leases run out and another worker takes them: at least once, only later.
        Err(e) => tracing::warn!(error = %e, "handing back unsent deliveries failed"),
    }
}

/// Writes outcomes as they arrive, many per transaction.
async fn record_loop(ctx: Ctx, mut rx: mpsc::Receiver<Outcome>) {
    let mut buf = Vec::with_capacity(RECORD_BATCH);
    while rx.recv_many(&mut buf, RECORD_BATCH).await > 0 {
        let batch = std::mem::take(&mut buf);
        if let Err(e) = record(&ctx, batch).await {
            // The leases run out and the deliveries are attempted again: at least once.
            tracing::warn!(error = %e, "recording delivery attempts failed");
        }
    }
}
