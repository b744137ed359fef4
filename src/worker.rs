//! Background jobs: follow the database clock, number committed events, chain audit entries,
//! purge old idempotency keys, settle payments left open (asking their connector), retry approved
//! refunds, expire links past their expiry, deliver webhooks and callbacks, send notifications.
//! `JOBS` lists them once, with how often the loop runs each; `spawn` runs that loop and
//! `run_pending` does one round of every job, so tests drain work instead of sleeping. Every
//! job's error is logged with its name.

use crate::clock::Clock;
use crate::service::{Ctx, Result, audit, events, idempotency, links, notify, pay, refunds};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The loop's tick; a job's cadence counts these.
const TICK: Duration = Duration::from_millis(500);

/// The name of the job whose count `run_pending` returns.
const SEQUENCING: &str = "event sequencing";

/// One run of a job: how many items it handled.
type JobRun<'a> = Pin<Box<dyn Future<Output = Result<u64>> + Send + 'a>>;

/// A background job.
struct Job {
    /// Names the job in logs.
    name: &'static str,
    /// The loop runs it on every `n`th tick; `None`: not from the loop (the delivery pump sends
    /// continuously when delivery is enabled), only from `run_pending`.
    every: Option<u64>,
    /// Starts one run.
    run: for<'a> fn(&'a Ctx) -> JobRun<'a>,
}

/// Every background job, in the order a round runs them: the clock sync first, as the sweeps
/// decide by time; then event sequencing; delivery and notifications last, because the jobs
/// before them may write events and queue messages. At a 500 ms tick, 4 ticks are 2 s, 60 are
/// 30 s and 7200 an hour.
static JOBS: &[Job] = &[
    Job { name: "clock sync", every: Some(60), run: |ctx| Box::pin(try_sync_clock(ctx)) },
    Job { name: SEQUENCING, every: Some(1), run: |ctx| Box::pin(events::sequence_pending(ctx)) },
    Job { name: "audit chaining", every: Some(1), run: |ctx| Box::pin(audit::chain_pending(ctx)) },
    Job { name: "idempotency purge", every: Some(7200), run: |ctx| Box::pin(idempotency::purge_expired(ctx)) },
    Job { name: "session purge", every: Some(600), run: |ctx| Box::pin(crate::service::sessions::purge_expired(ctx)) },
    Job { name: "payment sweep", every: Some(4), run: |ctx| Box::pin(counted(pay::sweep(ctx))) },
    Job { name: "refund sweep", every: Some(4), run: |ctx| Box::pin(counted(refunds::sweep(ctx))) },
    Job { name: "link expiry", every: Some(4), run: |ctx| Box::pin(counted(links::expire_due(ctx))) },
    Job { name: "delivery", every: None, run: |ctx| Box::pin(counted(crate::delivery::deliver_due(ctx))) },
    Job { name: "notifications", every: Some(1), run: |ctx| Box::pin(counted(notify::send_due(ctx))) },
];

/// A job's count as `u64` (the sweeps count in `usize`).
async fn counted(run: impl Future<Output = Result<usize>>) -> Result<u64> {
    run.await.map(|n| n as u64)
}

/// Measures the offset between the local clock and the database clock; a failure is logged.
pub async fn sync_clock(ctx: &Ctx) {
    if let Err(e) = try_sync_clock(ctx).await {
        tracing::warn!(error = %e, "could not read the database clock");
    }
}

/// The clock sync as a job: its count is the one reading taken.
async fn try_sync_clock(ctx: &Ctx) -> Result<u64> {
    let before = Clock::local_micros();
    let db = ctx.db.now_micros().await?;
    ctx.clock.sync_to(db, (before + Clock::local_micros()) / 2);
    Ok(1)
}

/// Runs one job; a failure is logged with the job's name and counts as nothing handled.
async fn run_job(job: &Job, ctx: &Ctx) -> u64 {
    (job.run)(ctx).await.unwrap_or_else(|e| {
        tracing::warn!(job = job.name, error = %e, "background job failed");
        0
    })
}

/// One round of every background job, in `JOBS` order; returns the number of events numbered.
pub async fn run_pending(ctx: &Ctx) -> u64 {
    let mut numbered = 0;
    for job in JOBS {
        let handled = run_job(job, ctx).await;
        if job.name == SEQUENCING {
            numbered = handled;
        }
    }
    numbered
}

/// Starts the loops; they stop when `stop` turns true (the delivery loop lets its sends in
/// flight finish first).
pub fn spawn(ctx: Ctx, mut stop: watch::Receiver<bool>) -> JoinHandle<()> {
    let deliveries = ctx.config.delivery.enabled.then(|| crate::delivery::spawn(ctx.clone(), stop.clone()));
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(TICK);
        let mut rounds: u64 = 0;
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stop.changed() => break,
            }
            rounds += 1;
            for job in JOBS.iter().filter(|j| j.every.is_some_and(|n| rounds % n == 0)) {
                run_job(job, &ctx).await;
            }
        }
        if let Some(d) = deliveries {
            if let Err(e) = d.await {
                tracing::warn!(job = "delivery", error = %e, "the delivery loop ended abnormally");
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_job_the_loop_runs_has_a_cadence_of_at_least_one_tick() {
        // A cadence of zero would make `rounds % n` panic inside the loop.
        assert!(JOBS.iter().all(|j| j.every != Some(0)));
    }

    #[test]
    fn the_job_whose_count_run_pending_returns_is_in_the_table_once() {
        assert_eq!(JOBS.iter().filter(|j| j.name == SEQUENCING).count(), 1);
    }

    #[test]
    fn job_names_are_unique_so_a_logged_error_names_one_job() {
        let mut names: Vec<_> = JOBS.iter().map(|j| j.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), JOBS.len());
    }

    #[test]
    fn delivery_and_notifications_run_after_every_job_that_may_write_events() {
        let last: Vec<_> = JOBS.iter().rev().take(2).map(|j| j.name).collect();
        assert_eq!(last, ["notifications", "delivery"]);
    }

    #[test]
    fn only_delivery_is_left_to_its_own_pump() {
        let off_the_loop: Vec<_> = JOBS.iter().filter(|j| j.every.is_none()).map(|j| j.name).collect();
        assert_eq!(off_the_loop, ["delivery"]);
    }
}
