//! Results and verdicts: one row per scenario (requests/s, p50, p99, errors, ratio to the
//! `/healthz` ceiling, target, met / NOT MET), the memory figures, and with `--large` the
//! comparison with the nearly empty database. Printed as a table or as one JSON object.

use super::load::Tally;
use super::options::{Backend, Options};
use super::probe::ProbeResult;
use super::procfs::{Machine, mb};
use super::scenario::{Scenario, Target, target};

/// Resident memory bounds from the issue, MB.
pub const IDLE_MB: f64 = 30.0;
pub const LOAD_MB: f64 = 100.0;
/// With `--large`, each scenario keeps at least this share of its nearly-empty throughput.
pub const LARGE_KEEP: f64 = 0.9;

/// One scenario's figures. "Requests" are operations: for `pay`, one payment of three requests
/// (its latencies and CPU are per payment too).
#[derive(Clone, Debug, serde::Serialize)]
pub struct ScenarioResult {
    pub scenario: Scenario,
    pub requests: u64,
    pub requests_per_sec: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub errors: u64,
    /// The first few errors, word for word.
    pub first_errors: Vec<String>,
    /// Throughput divided by this phase's `/healthz` throughput.
    pub ratio: Option<f64>,
    pub target: Target,
    /// `None` when the scenario has no target (the ceiling, payments on PostgreSQL) and no errors.
    pub met: Option<bool>,
    /// What failed, when not met.
    pub missed: Vec<&'static str>,
    /// Largest resident memory sampled during the scenario (whole process), MB.
    pub peak_rss_mb: f64,
    /// CPU time per request, whole process (server and load generator), µs.
    pub cpu_us_per_request: f64,
    /// CPU cores kept busy on average (whole process).
    pub cores_busy: f64,
    /// Time the server's background work (event numbering) needed to catch up afterwards.
    pub settle_secs: f64,
}

/// What the process used while a scenario ran (warm-up included).
#[derive(Clone, Copy, Debug)]
pub struct Usage {
    pub cpu_ms: u64,
    pub wall: std::time::Duration,
    pub peak_kib: u64,
}

/// Builds a scenario's result from its tally.
pub fn result(s: Scenario, o: &Options, t: Tally, ceiling: Option<f64>, used: Usage) -> ScenarioResult {
    let rps = t.hist.count() as f64 / o.measure.as_secs_f64();
    let ratio = ceiling.filter(|c| *c > 0.0).map(|c| rps / c);
    let tgt = target(s, o.backend);
    let (p99, mut missed) = (t.hist.quantile_ms(0.99), Vec::new());
    if tgt.min_ratio.is_some_and(|min| ratio.is_none_or(|r| r < min)) {
        missed.push(if ratio.is_none() { "ratio (no ceiling run)" } else { "ratio" });
    }
    if tgt.min_rate.is_some_and(|min| rps < min) {
        missed.push("throughput");
    }
    if tgt.max_p99_ms.is_some_and(|max| p99 > max) {
        missed.push("p99");
    }
    if t.errors > 0 {
        missed.push("errors");
    }
    let has_target = tgt.min_ratio.is_some() || tgt.min_rate.is_some() || tgt.max_p99_ms.is_some();
    ScenarioResult {
        scenario: s,
        requests: t.hist.count(),
        requests_per_sec: rps,
        p50_ms: t.hist.quantile_ms(0.5),
        p99_ms: p99,
        max_ms: t.hist.max_ms(),
        errors: t.errors,
        first_errors: t.first_errors,
        ratio,
        target: tgt,
        met: (has_target || t.errors > 0).then_some(missed.is_empty()),
        missed,
        peak_rss_mb: mb(used.peak_kib),
        cpu_us_per_request: used.cpu_ms as f64 * 1000.0 / t.sent.max(1) as f64,
        cores_busy: used.cpu_ms as f64 / 1000.0 / used.wall.as_secs_f64().max(1e-9),
        settle_secs: 0.0,
    }
}

/// One database size and everything measured on it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Phase {
    pub seeded_links: u64,
    pub seed_secs: f64,
    /// Whole-process resident memory after seeding, before any load, MB.
    pub idle_rss_mb: f64,
    pub results: Vec<ScenarioResult>,
    /// The ceiling measured again after the scenarios (drift check; not used in ratios).
    pub ceiling_again_rps: Option<f64>,
    /// Each scenario again at a fixed rate (`--open-loop`, `--rate`), in the order run.
    pub open_loop: Vec<super::open_report::OpenResult>,
    pub probes: Vec<ProbeResult>,
    /// 31-day daily reports one at a time, against issue 16's 200 ms (when `reports` ran).
    pub reports_unloaded: Option<super::reports::Unloaded>,
}

impl Phase {
    /// What the load generator and the connections (both ends) add to resident memory at most:
    /// the ceiling's peak over idle, as `/healthz` does no other work.
    pub fn load_generator_mb(&self) -> Option<f64> {
        let healthz = self.results.iter().find(|r| r.scenario == Scenario::Healthz)?;
        Some((healthz.peak_rss_mb - self.idle_rss_mb).max(0.0))
    }

    fn peak_mb(&self) -> f64 {
        self.results.iter().map(|r| r.peak_rss_mb).fold(0.0, f64::max)
    }
}

/// A scenario's throughput on the large database against the nearly empty one.
#[derive(Clone, Debug, serde::Serialize)]
pub struct LargeComparison {
    pub scenario: Scenario,
    pub small_rps: f64,
    pub large_rps: f64,
    /// large / small requests per second.
    pub kept: f64,
    /// The same with each throughput first divided by its phase's ceiling (less noise).
    pub kept_vs_ceiling: Option<f64>,
    pub met: bool,
}

/// The whole run.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Report {
    pub database: Backend,
    pub location: String,
    pub connections: usize,
    pub seconds: f64,
    pub warmup_secs: f64,
    pub machine: Machine,
    pub started_at: String,
    /// Whole process before the server started (runtime, logging), MB.
    pub rss_before_server_mb: f64,
    /// Whole process with the server started on the empty database, MB.
    pub rss_server_started_mb: f64,
    pub phases: Vec<Phase>,
    pub idle_met: bool,
    pub load_peak_mb: f64,
    pub load_met: bool,
    /// The process's peak since it started (`VmHWM`; includes seeding), MB.
    pub process_hwm_mb: f64,
    pub large: Vec<LargeComparison>,
    /// The webhook delivery benchmark (`--delivery-events`), run after every phase.
    pub delivery: Option<super::delivery::DeliveryResult>,
}

impl Report {
    /// Assembles the report and its memory and `--large` verdicts.
    pub fn new(o: &Options, location: String, started_at: String, rss: (u64, u64), phases: Vec<Phase>) -> Report {
        // Idle is judged before any load ran: with `--large`, the first phase's figure.
        let idle = phases.first().map_or(0.0, |p| p.idle_rss_mb);
        let load_peak_mb = phases.iter().map(Phase::peak_mb).fold(0.0, f64::max);
        let large = match phases.as_slice() {
            [small, big] => compare(small, big),
            _ => Vec::new(),
        };
        Report {
            database: o.backend,
            location,
            connections: o.connections,
            seconds: o.measure.as_secs_f64(),
            warmup_secs: o.warmup.as_secs_f64(),
            machine: super::procfs::machine(),
            started_at,
            rss_before_server_mb: mb(rss.0),
            rss_server_started_mb: mb(rss.1),
            idle_met: idle <= IDLE_MB,
            load_peak_mb,
            load_met: load_peak_mb <= LOAD_MB,
            process_hwm_mb: mb(super::procfs::hwm_kib()),
            phases,
            large,
            delivery: None,
        }
    }
}

fn compare(small: &Phase, big: &Phase) -> Vec<LargeComparison> {
    let ceiling = |p: &Phase| p.results.iter().find(|r| r.scenario == Scenario::Healthz).map(|r| r.requests_per_sec);
    let (cs, cb) = (ceiling(small), ceiling(big));
    let mut out = Vec::new();
    // A report sums what its month holds, so it is not held to the 0.9× of the link scenarios.
    for b in big.results.iter().filter(|r| !matches!(r.scenario, Scenario::Healthz | Scenario::Reports)) {
        let Some(s) = small.results.iter().find(|r| r.scenario == b.scenario) else { continue };
        let kept = if s.requests_per_sec > 0.0 { b.requests_per_sec / s.requests_per_sec } else { 0.0 };
        let kept_vs_ceiling = match (cs, cb) {
            (Some(cs), Some(cb)) if cs > 0.0 && cb > 0.0 && s.requests_per_sec > 0.0 => Some(kept * cs / cb),
            _ => None,
        };
        out.push(LargeComparison {
            scenario: b.scenario,
            small_rps: s.requests_per_sec,
            large_rps: b.requests_per_sec,
            kept,
            kept_vs_ceiling,
            met: kept >= LARGE_KEEP,
        });
    }
    out
}
