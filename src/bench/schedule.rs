//! The open-loop schedule (pure): operation `i` is meant to be sent at `start + i / rate`,
//! whatever happened to the operations before it, and its latency is measured from that intended
//! time. A stall therefore shows as queueing latency for every operation scheduled behind it,
//! instead of silently delaying (and so omitting) them as a closed loop does.

use std::ops::Range;
use std::time::{Duration, Instant};

/// A fixed rate from a start instant.
#[derive(Clone, Copy, Debug)]
pub struct Schedule {
    start: Instant,
    /// Nanoseconds between two intended sends (fractional: rates need not divide a second).
    period_ns: f64,
}

impl Schedule {
    /// `rate` operations per second from `start`; `None` unless the rate is positive and finite.
    pub fn new(start: Instant, rate: f64) -> Option<Schedule> {
        (rate.is_finite() && rate > 0.0).then(|| Schedule { start, period_ns: 1e9 / rate })
    }

    /// When operation `i` is meant to be sent.
    pub fn intended(&self, i: u64) -> Instant {
        self.start + Duration::from_nanos((i as f64 * self.period_ns).round() as u64)
    }

    /// The operations intended before `end`: `0..n`.
    pub fn before(&self, end: Instant) -> Range<u64> {
        let span = end.saturating_duration_since(self.start).as_nanos() as f64;
        0..(span / self.period_ns).ceil() as u64
    }
}

/// An operation's latency in µs, from when it was meant to be sent to when its answer was read:
/// time spent waiting behind the schedule (a late send, no free connection) counts as latency.
pub fn latency_us(intended: Instant, answered: Instant) -> u64 {
    answered.saturating_duration_since(intended).as_micros() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thousand_per_second_over_ten_milliseconds_is_ten_sends_a_millisecond_apart() {
        let start = Instant::now();
        let s = Schedule::new(start, 1000.0).unwrap();
        let window = s.before(start + Duration::from_millis(10));
        assert_eq!(window, 0..10);
        let offsets: Vec<Duration> = window.map(|i| s.intended(i) - start).collect();
        let expected: Vec<Duration> = (0..10).map(Duration::from_millis).collect();
        assert_eq!(offsets, expected);
    }

    #[test]
    fn a_fractional_rate_keeps_its_average_over_the_window() {
        let start = Instant::now();
        let s = Schedule::new(start, 333.3).unwrap();
        // 333.3/s over 3 s intends 999.9 sends: the 1,000th starts just before the end.
        assert_eq!(s.before(start + Duration::from_secs(3)).end, 1000);
        let last = s.intended(999) - start;
        assert!(last < Duration::from_secs(3) && last > Duration::from_millis(2996), "{last:?}");
    }

    #[test]
    fn an_empty_window_intends_nothing() {
        let start = Instant::now();
        let s = Schedule::new(start, 50.0).unwrap();
        assert!(s.before(start).is_empty());
    }

    #[test]
    fn a_rate_that_is_not_positive_has_no_schedule() {
        let now = Instant::now();
        assert!(Schedule::new(now, 0.0).is_none());
        assert!(Schedule::new(now, -5.0).is_none());
        assert!(Schedule::new(now, f64::NAN).is_none());
        assert!(Schedule::new(now, f64::INFINITY).is_none());
    }

    #[test]
    fn a_late_answer_counts_from_its_intended_time_not_from_when_it_was_sent() {
        let start = Instant::now();
        let s = Schedule::new(start, 100.0).unwrap();
        // Operation 3 was meant for 30 ms; a stall let it out at 80 ms and it took 2 ms more.
        let intended = s.intended(3);
        let sent = start + Duration::from_millis(80);
        let answered = sent + Duration::from_millis(2);
        assert_eq!(latency_us(intended, answered), 52_000);
        assert_eq!(latency_us(sent, answered), 2_000);
    }

    #[test]
    fn an_answer_before_its_intended_time_is_zero_not_negative() {
        let start = Instant::now();
        assert_eq!(latency_us(start + Duration::from_millis(5), start), 0);
    }
}
