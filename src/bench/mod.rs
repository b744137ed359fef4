//! `paylink bench`: Paylink's own load generator. It starts the real server in this process on a
//! temporary database, seeds links directly, drives the server over loopback HTTP/1.1 with N
//! keep-alive connections per scenario, and reports throughput, latency, errors and the ratio to
//! the same run's `/healthz` ceiling against the targets. docs/BENCHMARKS.md has the method and
//! the recorded figures.
//!
//! Options: `--database sqlite|postgres`, `--postgres-url URL`, `--dir DIR` (where the temporary
//! SQLite directory goes), `--connections 64`, `--seconds 10`, `--warmup 1`, `--seed-links
//! 100000`, `--scenarios healthz,create,get,list,search,page,pay`, `--large` (1,000 links, then
//! 1,000,000, compared), `--baseline-links 1000`, `--no-probe`, `--no-analyze`, `--json`,
//! `--delivery-events N` (then N webhook deliveries to a local receiver, timed; 0 skips it),
//! `--export` (then the dashboard's CSV of every link streamed once, with the memory it took),
//! `--paid-percent N` (links seeded paid, with their payments; 15, or 50 with `reports`),
//! `--open-loop P` / `--rate N` (after each closed-loop run, the scenario again at P % of its
//! closed-loop throughput or at N operations/s, latency from the intended send time).

mod dashboard;
mod delivery;
mod fixtures;
mod histogram;
mod load;
mod open_loop;
mod open_report;
mod options;
mod outbox;
mod paid;
mod pay;
mod probe;
mod procfs;
mod receiver;
mod report;
mod reports;
mod rng;
mod scenario;
mod schedule;
mod seed;
mod server;
mod table;

use fixtures::Tenant;
use options::Options;
use paylink::config::Config;
use report::{Phase, Report, ScenarioResult, Usage};
use scenario::{Scenario, Workload};
use seed::SeedState;
use server::BenchServer;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Runs the benchmark scenarios (`paylink bench [options]`) and prints the report.
pub async fn run(config: Config, flags: &HashMap<String, String>) -> Result<(), String> {
    let opts = options::parse(flags)?;
    let before = procfs::rss_kib();
    let started_at = paylink::domain::Timestamp::from_micros(paylink::clock::Clock::local_micros()).to_rfc3339();
    let server = server::start(config, &opts).await?;
    // Ctrl-C still removes the temporary database.
    let outcome = tokio::select! {
        r = bench(&server, &opts, before, started_at) => r,
        _ = tokio::signal::ctrl_c() => Err("bench: interrupted".to_owned()),
    };
    server.stop().await;
    table::print(&outcome?, opts.json);
    Ok(())
}

/// Creates the tenant, then measures each database size in turn.
async fn bench(server: &BenchServer, opts: &Options, before: u64, started_at: String) -> Result<Report, String> {
    let started = procfs::rss_kib();
    let tenant = fixtures::setup(&server.ctx).await?;
    let mut seeds = SeedState::new(opts.seed_links, server.ctx.clock.now(), opts.paid_percent);
    let cookie = match opts.export || opts.scenarios.contains(&Scenario::Dashboard) {
        true => Some(dashboard::sign_in(&server.ctx, &tenant).await?),
        false => None,
    };
    let mut phases = Vec::new();
    // `--large` measures a nearly empty database first, then tops it up to the full size.
    for size in opts.baseline_links.into_iter().chain([opts.seed_links]) {
        phases.push(phase(server, opts, &tenant, &mut seeds, size, cookie.clone()).await?);
    }
    if let (true, Some(cookie)) = (opts.export, &cookie) {
        settle(server).await;
        note(&dashboard::export(server.addr, cookie).await?.summary());
    }
    // Last, so its webhook endpoint never makes a scenario (or `settle`) deliver.
    let delivery = match opts.delivery_events {
        0 => None,
        _ => Some(delivery::run(server, opts, &tenant.key, last_ceiling(&phases)).await?),
    };
    let mut report = Report::new(opts, server.location.clone(), started_at, (before, started), phases);
    report.delivery = delivery;
    Ok(report)
}

/// The last phase's `/healthz` throughput (the one measured nearest the delivery benchmark).
fn last_ceiling(phases: &[Phase]) -> Option<f64> {
    let results = &phases.last()?.results;
    results.iter().find(|r| r.scenario == Scenario::Healthz).map(|r| r.requests_per_sec)
}

/// Seeds up to `size` links, then runs every scenario and the probes.
async fn phase(
    s: &BenchServer,
    o: &Options,
    t: &Tenant,
    seeds: &mut SeedState,
    size: u64,
    cookie: Option<hyper::header::HeaderValue>,
) -> Result<Phase, String> {
    let seed_time = seed::seed_to(&s.ctx, t, seeds, size).await?;
    if o.analyze {
        s.analyze().await?;
    }
    settle(s).await;
    let idle = procfs::rss_kib();
    note(&format!(
        "seeded {} links in {:.1} s; idle RSS {:.1} MB",
        seeds.seeded,
        seed_time.as_secs_f64(),
        procfs::mb(idle)
    ));
    // Looked up like a merchant's integration would, only when a payment is to be made.
    let card_method = if o.scenarios.contains(&Scenario::Pay) { pay::card_method(s.addr, &t.key).await? } else { None };
    let work = Arc::new(Workload { dashboard_cookie: cookie, ..workload(t, seeds, card_method) });
    let Measured { results, ceiling_again, open_loop } = scenarios(s, o, &t.key, &work).await?;
    let reports_unloaded = match o.scenarios.contains(&Scenario::Reports) {
        true => Some(reports::unloaded(s.addr, &t.key, &work).await?),
        false => None,
    };
    if let Some(u) = &reports_unloaded {
        note(&format!("reports unloaded: p50 {:.1} ms, p99 {:.1} ms (n = {})", u.p50_ms, u.p99_ms, u.count));
    }
    let probes = if o.probe { probe::run(s.addr, &t.key, &work).await? } else { Vec::new() };
    settle(s).await;
    Ok(Phase {
        seeded_links: seeds.seeded,
        seed_secs: seed_time.as_secs_f64(),
        idle_rss_mb: procfs::mb(idle),
        results,
        ceiling_again_rps: ceiling_again,
        open_loop,
        probes,
        reports_unloaded,
    })
}

/// What the scenarios measured in one phase.
struct Measured {
    results: Vec<ScenarioResult>,
    /// The ceiling measured again after the scenarios.
    ceiling_again: Option<f64>,
    /// With `--open-loop` or `--rate`: each scenario again at a fixed rate.
    open_loop: Vec<open_report::OpenResult>,
}

/// Every scenario in turn (each followed by its open-loop run when asked for); then the ceiling
/// once more, to show how much the machine's other load moved it during the run (the ratios use
/// the first figure).
async fn scenarios(s: &BenchServer, o: &Options, key: &str, work: &Arc<Workload>) -> Result<Measured, String> {
    let (mut results, mut open_loop): (Vec<ScenarioResult>, Vec<_>) = (Vec::new(), Vec::new());
    for &sc in &o.scenarios {
        let ceiling = results.iter().find(|r| r.scenario == Scenario::Healthz).map(|r| r.requests_per_sec);
        let mut r = measure(s, o, key, work.clone(), sc, ceiling).await?;
        r.settle_secs = settle(s).await;
        let (rps, p50, p99, errors) = (r.requests_per_sec, r.p50_ms, r.p99_ms, r.errors);
        note(&format!("{:<8} {rps:>9.1} req/s  p50 {p50:.2} ms  p99 {p99:.2} ms  errors {errors}", sc.name()));
        results.push(r);
        if let Some(open) = open_loop::measure(s.addr, o, key, work.clone(), sc, rps).await? {
            settle(s).await;
            note(&format!("open loop: {}", open_report::line(&open)));
            open_loop.push(open);
        }
    }
    let again = match o.scenarios.as_slice() {
        [Scenario::Healthz, _, ..] => Some(measure(s, o, key, work.clone(), Scenario::Healthz, None).await?),
        _ => None,
    };
    if let Some(a) = &again {
        note(&format!("healthz (again) {:.1} req/s", a.requests_per_sec));
    }
    Ok(Measured { results, ceiling_again: again.map(|a| a.requests_per_sec), open_loop })
}

/// One scenario under load, with resident memory sampled throughout.
async fn measure(
    s: &BenchServer,
    o: &Options,
    key: &str,
    work: Arc<Workload>,
    sc: Scenario,
    ceiling: Option<f64>,
) -> Result<ScenarioResult, String> {
    let (sampler, cpu, wall) = (procfs::Sampler::start(), procfs::cpu_ms(), Instant::now());
    let tally = load::drive(s.addr, key, work, sc, (o.connections, o.warmup, o.measure)).await;
    let peak = sampler.finish().await;
    let used = Usage { cpu_ms: procfs::cpu_ms() - cpu, wall: wall.elapsed(), peak_kib: peak };
    Ok(report::result(sc, o, tally?, ceiling, used))
}

/// Lets the server's background work catch up (events written by `create` are numbered by the
/// worker loop) so it does not bleed into the next scenario; returns the seconds it took.
async fn settle(s: &BenchServer) -> f64 {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(120) {
        if paylink::worker::run_pending(&s.ctx).await == 0 {
            break;
        }
    }
    // Closed connections and freed buffers settle before the next measurement.
    tokio::time::sleep(Duration::from_millis(300)).await;
    started.elapsed().as_secs_f64() - 0.3
}

fn workload(t: &Tenant, seeds: &SeedState, card_method: Option<i64>) -> Workload {
    let mut open: Vec<usize> = seeds.sample.iter().enumerate().filter(|(_, l)| l.open).map(|(i, _)| i).collect();
    if open.is_empty() {
        // Any visible link is a valid cursor; open ones only make the pages realistic.
        open = (0..seeds.sample.len()).collect();
    }
    Workload {
        branches: t.branches.iter().map(ToString::to_string).collect(),
        sample: seeds.sample.clone(),
        open,
        seeded: seeds.seeded,
        nonce: paylink::service::secrets::base62(8),
        card_method,
        dashboard_cookie: None,
        report_paths: report_paths(seeds),
    }
}

/// The 31-day windows inside the seeded year (one default report if there were none).
fn report_paths(seeds: &SeedState) -> Vec<String> {
    let paths = reports::paths(seeds.span());
    if paths.is_empty() { vec!["/v1/reports/daily".to_owned()] } else { paths }
}

/// Progress on stderr (kept off stdout so `--json` output stays one object).
fn note(text: &str) {
    eprintln!("bench: {text}");
}
