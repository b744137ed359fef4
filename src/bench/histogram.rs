//! A log-linear latency histogram in microseconds: exact below 64 µs, then 32 sub-buckets per
//! power of two (≤ 3.2 % relative error). A fixed array keeps recording allocation-free and
//! merging per-connection histograms trivial, with no dependency on an HDR crate.

/// Sub-buckets per power of two, as a bit count (32 sub-buckets).
const SUB_BITS: u32 = 5;
const SUB: u64 = 1 << SUB_BITS;
/// Values below this are recorded exactly.
const LINEAR: u64 = SUB * 2;
/// Powers of two covered above the linear range: up to 2^(SUB_BITS + 1 + 34) µs, far beyond
/// any request the benchmark waits for.
const OCTAVES: u64 = 34;
const BUCKETS: usize = (LINEAR + OCTAVES * SUB) as usize;

/// Latency counts by bucket.
#[derive(Clone, Debug)]
pub struct Histogram {
    counts: Vec<u64>,
    total: u64,
    max_us: u64,
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram { counts: vec![0; BUCKETS], total: 0, max_us: 0 }
    }
}

fn index(us: u64) -> usize {
    if us < LINEAR {
        return us as usize;
    }
    let msb = 63 - us.leading_zeros() as u64;
    let shift = msb - SUB_BITS as u64;
    let top = us >> shift;
    let idx = LINEAR + (shift - 1) * SUB + (top - SUB);
    idx.min(BUCKETS as u64 - 1) as usize
}

/// The midpoint of a bucket, in µs (the value a percentile in that bucket is reported as).
fn value(idx: usize) -> f64 {
    let idx = idx as u64;
    if idx < LINEAR {
        return idx as f64;
    }
    let shift = (idx - LINEAR) / SUB + 1;
    let top = (idx - LINEAR) % SUB + SUB;
    let low = top << shift;
    low as f64 + ((1u64 << shift) as f64 - 1.0) / 2.0
}

impl Histogram {
    /// Records one latency.
    pub fn record(&mut self, us: u64) {
        self.counts[index(us)] += 1;
        self.total += 1;
        self.max_us = self.max_us.max(us);
    }

    /// Adds another histogram's counts to this one.
    pub fn merge(&mut self, other: &Histogram) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        self.total += other.total;
        self.max_us = self.max_us.max(other.max_us);
    }

    /// Number of recorded values.
    pub fn count(&self) -> u64 {
        self.total
    }

    /// The largest recorded value, ms.
    pub fn max_ms(&self) -> f64 {
        self.max_us as f64 / 1000.0
    }

    /// The `q` quantile (0..=1) in milliseconds; 0 when empty.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        if self.total == 0 {
            return 0.0;
        }
        let rank = ((q * self.total as f64).ceil() as u64).clamp(1, self.total);
        let mut seen = 0;
        for (i, c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return value(i).min(self.max_us as f64) / 1000.0;
            }
        }
        self.max_ms()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_round_trip_within_the_stated_error() {
        for us in [0u64, 1, 63, 64, 65, 100, 1_000, 12_345, 999_999, 30_000_000] {
            let v = value(index(us));
            assert!((v - us as f64).abs() <= us as f64 * 0.032 + 0.5, "{us} -> {v}");
        }
    }

    #[test]
    fn quantiles_follow_the_recorded_distribution() {
        let mut h = Histogram::default();
        for us in 1..=1000 {
            h.record(us * 10);
        }
        let p50 = h.quantile_ms(0.5);
        assert!((4.8..=5.2).contains(&p50), "{p50}");
        assert!((9.6..=10.0).contains(&h.quantile_ms(0.99)));
        assert_eq!(h.count(), 1000);
    }

    #[test]
    fn p99_9_finds_the_one_slow_answer_in_a_thousand_that_p99_hides() {
        let mut h = Histogram::default();
        // 998 answers of 1 ms and two of 200 ms: p99 sees only the fast ones, p99.9 a slow one.
        for _ in 0..998 {
            h.record(1_000);
        }
        h.record(200_000);
        h.record(200_000);
        let (p99, p999) = (h.quantile_ms(0.99), h.quantile_ms(0.999));
        assert!((0.97..=1.03).contains(&p99), "{p99}");
        assert!((194.0..=200.0).contains(&p999), "{p999}");
    }

    #[test]
    fn p99_9_of_a_uniform_distribution_is_its_top_tenth_of_a_percent() {
        let mut h = Histogram::default();
        for us in 1..=100_000 {
            h.record(us);
        }
        // The 99,900th value is 99,900 µs, within the 3.2 % bucket error.
        let p999 = h.quantile_ms(0.999);
        assert!((96.7..=100.0).contains(&p999), "{p999}");
    }
}
