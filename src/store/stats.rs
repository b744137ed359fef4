//! What the storage layer measures about itself for `/metrics`: the SQLite writer's batches and
//! commits, and waits for a pooled connection (both backends). The handles are shared with the
//! metrics registry ([`crate::metrics`]), which encodes them; here they are only updated, each
//! update an atomic add or one histogram observation.

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::histogram::Histogram;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

/// Upper bounds of the writer batch-size buckets (writes per durable transaction); the largest
/// default batch is 512.
pub const BATCH_BUCKETS: [f64; 11] = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0, 1024.0];

/// Upper bounds of the commit-time buckets, seconds (an fsync is typically 0.1–20 ms).
pub const COMMIT_BUCKETS: [f64; 12] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5];

/// The storage layer's own measurements.
#[derive(Debug)]
pub struct StoreStats {
    /// Writes committed together in one SQLite transaction.
    pub write_batch_size: Histogram,
    /// Seconds one SQLite `COMMIT` (the durable fsync) took.
    pub commit_seconds: Histogram,
    /// Times a caller found every pooled connection busy and had to wait.
    pub pool_waits: Counter,
    /// Seconds spent in those waits, in total.
    pub pool_wait_seconds: Counter<f64, AtomicU64>,
}

impl Default for StoreStats {
    fn default() -> Self {
        StoreStats {
            write_batch_size: Histogram::new(BATCH_BUCKETS),
            commit_seconds: Histogram::new(COMMIT_BUCKETS),
            pool_waits: Counter::default(),
            pool_wait_seconds: Counter::default(),
        }
    }
}

impl StoreStats {
    /// Records one wait for a pooled connection that began at `since`.
    pub fn waited(&self, since: Instant) {
        self.pool_waits.inc();
        self.pool_wait_seconds.inc_by(since.elapsed().as_secs_f64());
    }

    /// Records one SQLite batch of `size` writes whose `COMMIT` took `took`.
    pub fn committed(&self, size: usize, took: Duration) {
        self.write_batch_size.observe(size as f64);
        self.commit_seconds.observe(took.as_secs_f64());
    }
}

/// How busy a connection pool is right now.
#[derive(Clone, Copy, Debug)]
pub struct PoolUse {
    /// `sqlite_read` (SQLite's read-only connections) or `postgres`.
    pub pool: &'static str,
    pub size: usize,
    pub in_use: usize,
}

/// Takes a permit from `permits`, counting a wait in `stats` when none was free at once.
pub async fn acquire<'a>(
    permits: &'a tokio::sync::Semaphore,
    stats: &StoreStats,
) -> Result<tokio::sync::SemaphorePermit<'a>, tokio::sync::AcquireError> {
    if let Ok(permit) = permits.try_acquire() {
        return Ok(permit);
    }
    let since = Instant::now();
    let permit = permits.acquire().await;
    stats.waited(since);
    permit
}
