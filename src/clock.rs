//! The one clock every time decision goes through (expiry, leases, idempotency age). In
//! production it follows the database's clock: the offset to the local clock is measured at
//! start and refreshed, so several instances agree without a query per request. Tests use a
//! clock they can move forward.

use crate::domain::Timestamp;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A cheap-to-clone clock handle.
#[derive(Clone, Debug)]
pub struct Clock(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    /// Whether the offset follows the database clock (production) or only moves when told (tests).
    follows_db: bool,
    /// Offset added to the local clock, µs.
    offset: AtomicI64,
}

fn local_micros() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_micros() as i64).unwrap_or(0)
}

impl Clock {
    /// The local clock corrected by an offset to the database clock (zero until measured).
    pub fn system() -> Self {
        Clock(Arc::new(Inner { follows_db: true, offset: AtomicI64::new(0) }))
    }

    /// The local clock, shifted only by `advance_secs` (tests that need real time to pass).
    pub fn shiftable() -> Self {
        Clock(Arc::new(Inner { follows_db: false, offset: AtomicI64::new(0) }))
    }

    /// The current time.
    pub fn now(&self) -> Timestamp {
        Timestamp::from_micros(local_micros() + self.0.offset.load(Ordering::Relaxed))
    }

    /// Records a reading of the database clock, taken at local time `local_mid` (a database-
    /// following clock only).
    pub fn sync_to(&self, db_micros: i64, local_mid: i64) {
        if self.0.follows_db {
            self.0.offset.store(db_micros - local_mid, Ordering::Relaxed);
        }
    }

    /// Moves the clock forward (tests; a database-following clock would undo it at the next sync).
    pub fn advance_secs(&self, secs: i64) {
        self.0.offset.fetch_add(secs * 1_000_000, Ordering::Relaxed);
    }

    /// Local microseconds, for measuring the offset.
    pub fn local_micros() -> i64 {
        local_micros()
    }
}
