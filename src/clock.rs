//! The one clock every time decision goes through (expiry, leases, idempotency age). In
//! production it follows the database's clock: the offset to the local clock is measured at
//! start and refreshed, so several instances agree without a query per request. Tests drive a
//! manual clock.

use crate::domain::Timestamp;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A cheap-to-clone clock handle.
#[derive(Clone, Debug)]
pub struct Clock(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    manual: AtomicBool,
    /// Whether the offset follows the database clock (production) or only moves when told (tests).
    follows_db: bool,
    /// Offset to the local clock (system mode) or the current time (manual mode), µs.
    value: AtomicI64,
}

fn local_micros() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_micros() as i64).unwrap_or(0)
}

impl Clock {
    /// The local clock corrected by an offset to the database clock (zero until measured).
    pub fn system() -> Self {
        Clock(Arc::new(Inner { manual: AtomicBool::new(false), follows_db: true, value: AtomicI64::new(0) }))
    }

    /// The local clock, shifted only by `advance_secs` (tests that need real time to pass).
    pub fn shiftable() -> Self {
        Clock(Arc::new(Inner { manual: AtomicBool::new(false), follows_db: false, value: AtomicI64::new(0) }))
    }

    /// A clock that only moves when told to.
    pub fn manual(start: Timestamp) -> Self {
        Clock(Arc::new(Inner {
            manual: AtomicBool::new(true),
            follows_db: false,
            value: AtomicI64::new(start.micros()),
        }))
    }

    /// The current time.
    pub fn now(&self) -> Timestamp {
        let v = self.0.value.load(Ordering::Relaxed);
        if self.0.manual.load(Ordering::Relaxed) {
            Timestamp::from_micros(v)
        } else {
            Timestamp::from_micros(local_micros() + v)
        }
    }

    /// Records a reading of the database clock (system mode), taken at local time `local_mid`.
    pub fn sync_to(&self, db_micros: i64, local_mid: i64) {
        if self.0.follows_db {
            self.0.value.store(db_micros - local_mid, Ordering::Relaxed);
        }
    }

    /// Moves the clock forward (tests; a database-following clock would undo it at the next sync).
    pub fn advance_secs(&self, secs: i64) {
        self.0.value.fetch_add(secs * 1_000_000, Ordering::Relaxed);
    }

    /// Sets a manual clock (tests).
    pub fn set(&self, t: Timestamp) {
        self.0.value.store(t.micros(), Ordering::Relaxed);
    }

    /// Local microseconds, for measuring the offset.
    pub fn local_micros() -> i64 {
        local_micros()
    }
}
