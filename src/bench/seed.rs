//! Seeding: links are inserted directly with `store::links::insert` in batched write jobs (not over
//! HTTP, which would take minutes for a million links and measure nothing useful), paid links with
//! their payment and sometimes a refund (`paid.rs`). A uniform
//! reservoir sample of the seeded ids is kept for the `get` and `list` scenarios instead of every
//! id, so the benchmark's own memory stays small next to the server's it reports.

use super::fixtures::{self, Tenant};
use super::paid::SeedRow;
use super::rng::Rng;
use paylink::domain::Timestamp;
use paylink::domain::link::LinkStatus;
use paylink::service::Ctx;
use paylink::store::conn::DbError;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::task::JoinSet;

/// Links per write job. Small, like real writes: on SQLite each job is a savepoint whose
/// sub-journal (in memory) holds every page the job touches, so thousand-link jobs would inflate
/// the very memory figures the benchmark reports.
const BATCH: usize = 50;
/// Write jobs in flight: PostgreSQL runs them on separate sessions; SQLite's writer commits
/// them together in one batch.
const IN_FLIGHT: usize = 32;
/// Sampled links kept for the scenarios.
const SAMPLE: usize = 20_000;
/// Seeded links are spread over this many days before the start of the run.
const SPAN_DAYS: i64 = 365;

/// A seeded link the scenarios can address.
#[derive(Clone, Debug)]
pub struct SampleLink {
    pub id: String,
    /// Index into the tenant's branches.
    pub branch: usize,
    /// Whether `status=open` lists it.
    pub open: bool,
    /// Rank in creation order (0 = oldest): how deep a cursor at this link is.
    pub n: u64,
}

/// Seeding progress across phases (`--large` seeds a small baseline first, then tops up).
pub struct SeedState {
    /// Links inserted so far.
    pub seeded: u64,
    /// The uniform sample of seeded links.
    pub sample: Vec<SampleLink>,
    planned: u64,
    /// Percent of links that are paid (each with its payment; see `paid.rs`).
    paid: u64,
    start: Timestamp,
    now: Timestamp,
    rng: Rng,
}

impl SeedState {
    /// Plans `planned` links in total, created evenly over the year before `now`, `paid` percent
    /// of them paid.
    pub fn new(planned: u64, now: Timestamp, paid: u64) -> Self {
        let start = now.plus_secs(-SPAN_DAYS * 86_400);
        let planned = planned.max(1);
        SeedState { seeded: 0, sample: Vec::new(), planned, paid, start, now, rng: Rng::from_entropy() }
    }

    /// The time the seeded links (when all are seeded) and their payments cover.
    pub fn span(&self) -> (Timestamp, Timestamp) {
        (self.start, self.now)
    }

    /// Creation time of link `n`: in rank order, so ids and `created_at` grow together as they do
    /// in production and the indexes are filled the way real traffic fills them.
    fn created_at(&self, n: u64) -> Timestamp {
        let span = self.now.micros() - self.start.micros() - 1_000_000;
        Timestamp::from_micros(self.start.micros() + (span as i128 * n as i128 / self.planned as i128) as i64)
    }

    /// Reservoir sampling (algorithm R): every seeded link is equally likely to be kept.
    fn offer(&mut self, item: SampleLink) {
        if self.sample.len() < SAMPLE {
            self.sample.push(item);
            return;
        }
        let j = self.rng.below(self.seeded + 1) as usize;
        if j < SAMPLE {
            self.sample[j] = item;
        }
    }

    fn next_batch(&mut self, t: &Tenant, count: u64) -> Vec<SeedRow> {
        let mut batch = Vec::with_capacity(count as usize);
        for _ in 0..count {
            let n = self.seeded;
            let created = self.created_at(n);
            let s = fixtures::link(t, &mut self.rng, n, (created, self.now), self.paid);
            let open = s.link.status == LinkStatus::Open;
            self.offer(SampleLink { id: s.link.id.to_string(), branch: s.branch, open, n });
            batch.push(SeedRow::new(s.link, &mut self.rng, &t.methods, &t.owner, self.now));
            self.seeded += 1;
        }
        batch
    }
}

/// Inserts links until `target` are stored; returns the time taken.
pub async fn seed_to(ctx: &Ctx, t: &Tenant, state: &mut SeedState, target: u64) -> Result<Duration, String> {
    let started = Instant::now();
    let mut jobs: JoinSet<Result<(), DbError>> = JoinSet::new();
    let mut reported = state.seeded;
    while state.seeded < target {
        while jobs.len() >= IN_FLIGHT {
            joined(jobs.join_next().await)?;
        }
        let batch = state.next_batch(t, (target - state.seeded).min(BATCH as u64));
        let db = Arc::clone(&ctx.db);
        jobs.spawn(async move { db.write(move |c| batch.iter().try_for_each(|row| row.insert(c))).await });
        if state.seeded - reported >= 100_000 {
            eprintln!("bench: seeded {} links ({:.0} s)", state.seeded, started.elapsed().as_secs_f64());
            reported = state.seeded;
        }
    }
    while let Some(done) = jobs.join_next().await {
        joined(Some(done))?;
    }
    Ok(started.elapsed())
}

fn joined(done: Option<Result<Result<(), DbError>, tokio::task::JoinError>>) -> Result<(), String> {
    match done {
        Some(Ok(Err(e))) => Err(format!("seeding failed: {e}")),
        Some(Err(e)) => Err(format!("seeding task failed: {e}")),
        _ => Ok(()),
    }
}
