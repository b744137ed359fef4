//! The reports scenario (issue 16): a 31-day daily report, `GET /v1/reports/daily?from=…&to=…`,
//! for windows spread over the seeded year. Under load it is measured like every scenario (for
//! information: the issue states no throughput target); its target is unloaded: one connection,
//! one report at a time, each answered in ≤ 200 ms, judged on p99.

use super::histogram::Histogram;
use super::load::Client;
use super::rng::Rng;
use super::scenario::{RequestSpec, Workload};
use paylink::domain::Timestamp;
use paylink::domain::zone::{Day, Zone};
use std::net::SocketAddr;
use std::time::Instant;

/// Issue 16: a 31-day daily report answers in at most this long, unloaded.
pub const TARGET_MS: f64 = 200.0;
/// Days in each report, both ends included.
pub const DAYS: i64 = 31;
/// Timed reports one after another (after `WARM` untimed ones).
const COUNT: u64 = 100;
const WARM: u64 = 3;

/// Every 31-day window whose days lie wholly inside `(start, end)`, in the store's default zone,
/// as a request path. The first and last partial days are left out; a span shorter than the
/// window gives the one window ending on the last whole day.
pub fn paths((start, end): (Timestamp, Timestamp)) -> Vec<String> {
    let zone = Zone::default_zone();
    let (first, last) = (zone.day_of(start).next(), zone.day_of(end).previous());
    let (Some(first), Some(last)) = (first, last) else { return Vec::new() };
    let mut from = (0..DAYS - 1).fold(last, |d, _| d.previous().unwrap_or(d));
    let mut out = Vec::new();
    loop {
        out.push(path(from));
        match from.previous() {
            Some(d) if d >= first => from = d,
            _ => break,
        }
    }
    out
}

fn path(from: Day) -> String {
    let to = (0..DAYS - 1).fold(from, |d, _| d.next().unwrap_or(d));
    format!("/v1/reports/daily?from={from}&to={to}")
}

/// Reports one at a time on an idle server.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Unloaded {
    pub count: u64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub target_ms: f64,
    /// p99 ≤ the target.
    pub met: bool,
}

/// Sends `COUNT` reports for random windows one after another on one connection.
pub async fn unloaded(addr: SocketAddr, key: &str, work: &Workload) -> Result<Unloaded, String> {
    let mut client = Client::connect(addr, key).await?;
    let mut rng = Rng::from_entropy();
    let mut hist = Histogram::default();
    for i in 0..WARM + COUNT {
        let req = RequestSpec::get(rng.pick(&work.report_paths).clone());
        let started = Instant::now();
        let answer = client.send(&req).await?;
        if answer.status != 200 {
            return Err(format!("reports: {} -> {}: {}", req.path, answer.status, super::load::summary(&answer.body)));
        }
        if i >= WARM {
            hist.record(started.elapsed().as_micros() as u64);
        }
    }
    let p99_ms = hist.quantile_ms(0.99);
    Ok(Unloaded {
        count: hist.count(),
        p50_ms: hist.quantile_ms(0.5),
        p99_ms,
        max_ms: hist.max_ms(),
        target_ms: TARGET_MS,
        met: p99_ms <= TARGET_MS,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_gives_every_whole_month_window_inside_it() {
        let end = Timestamp::parse_rfc3339("2026-12-07T02:00:00Z").expect("a valid instant");
        let paths = paths((end.plus_secs(-365 * 86_400), end));
        assert_eq!(paths.first().map(String::as_str), Some("/v1/reports/daily?from=2026-11-06&to=2026-12-06"));
        assert_eq!(paths.last().map(String::as_str), Some("/v1/reports/daily?from=2025-12-08&to=2026-01-07"));
        assert_eq!(paths.len(), 364 - 30);
    }

    #[test]
    fn a_short_span_still_gives_one_window() {
        let end = Timestamp::parse_rfc3339("2026-12-07T02:00:00Z").expect("a valid instant");
        assert_eq!(paths((end.plus_secs(-3 * 86_400), end)).len(), 1);
    }
}
