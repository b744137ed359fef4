//! The human-readable report: header, one table per database size, unloaded latencies, memory
//! and the `--large` comparison. `--json` prints the same report as one JSON object instead.

use super::delivery::{DeliveryResult, IDLE_MAX_P50_MS};
use super::report::{IDLE_MB, LARGE_KEEP, LOAD_MB, Phase, Report, ScenarioResult};
use super::scenario::Scenario;

/// Prints the report to stdout.
pub fn print(r: &Report, json: bool) {
    if json {
        println!("{}", serde_json::to_string_pretty(r).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}")));
        return;
    }
    let m = &r.machine;
    println!(
        "paylink bench: {} ({}), {} connections, {} s per scenario after {} s warm-up",
        r.database.name(),
        r.location,
        r.connections,
        r.seconds,
        r.warmup_secs
    );
    println!("machine: {} CPUs, {}, {} MiB RAM, {}; started {}", m.cpus, m.cpu_model, m.memory_mib, m.os, r.started_at);
    for p in &r.phases {
        phase(p, r.connections);
    }
    if !r.large.is_empty() {
        large(r);
    }
    if let Some(d) = &r.delivery {
        delivery(d);
    }
    memory(r);
}

fn phase(p: &Phase, connections: usize) {
    println!("\n{} seeded links (seeded in {:.1} s; idle RSS {:.1} MB)\n", p.seeded_links, p.seed_secs, p.idle_rss_mb);
    println!(
        "{:<8} {:>9} {:>7} {:>7} {:>7} {:>6} {:>6}  {:<26} {:>8}  result",
        "scenario", "req/s", "p50 ms", "p99 ms", "max ms", "errors", "ratio", "target", "peak RSS"
    );
    for row in &p.results {
        println!("{}", line(row));
    }
    if p.results.iter().any(|r| r.scenario == Scenario::Pay) {
        println!("(pay: one row is one payment of three requests: create, open the page, post the card)");
    }
    for row in &p.results {
        for e in &row.first_errors {
            println!("error in {}: {e}", row.scenario.name());
        }
    }
    if let (Some(first), Some(again)) = (p.results.first().map(|r| r.requests_per_sec), p.ceiling_again_rps) {
        let drift = again / first.max(1e-9);
        println!("ceiling measured again after the scenarios: {again:.1} req/s ({drift:.2}× the first; noise check)");
    }
    super::open_report::print(&p.open_loop, connections);
    cpu(p);
    for row in p.results.iter().filter(|r| r.settle_secs >= 0.5) {
        println!(
            "after {}: the server's event numbering needed {:.1} s to catch up",
            row.scenario.name(),
            row.settle_secs
        );
    }
    if let Some(u) = &p.reports_unloaded {
        let verdict = if u.met { "met" } else { "NOT MET" };
        println!(
            "\nreports unloaded (31-day daily report, one connection, one at a time, n = {}): p50 {:.1} ms, \
             p99 {:.1} ms, max {:.1} ms; target ≤ {} ms (p99): {verdict}",
            u.count, u.p50_ms, u.p99_ms, u.max_ms, u.target_ms
        );
    }
    if !p.probes.is_empty() {
        println!("\nunloaded latency (one connection, one request at a time):");
        println!("{:<34} {:>5} {:>7} {:>7} {:>7}", "probe", "n", "p50 ms", "p90 ms", "max ms");
        for pr in &p.probes {
            println!("{:<34} {:>5} {:>7.2} {:>7.2} {:>7.2}", pr.name, pr.count, pr.p50_ms, pr.p90_ms, pr.max_ms);
        }
    }
}

/// CPU per request: the ceiling's figure is the HTTP stack plus the load generator, so what a
/// scenario costs above it is (mostly) its handler and database work.
fn cpu(p: &Phase) {
    let base = p.results.iter().find(|r| r.scenario == Scenario::Healthz).map(|r| r.cpu_us_per_request);
    println!("\nCPU (whole process, warm-up included):");
    println!("{:<8} {:>10} {:>10} {:>16}", "scenario", "cores busy", "µs/request", "µs above healthz");
    for r in &p.results {
        let above = base.map_or("-".to_owned(), |b| format!("{:.0}", r.cpu_us_per_request - b));
        println!("{:<8} {:>10.2} {:>10.0} {:>16}", r.scenario.name(), r.cores_busy, r.cpu_us_per_request, above);
    }
}

fn line(r: &ScenarioResult) -> String {
    let ratio = r.ratio.map_or("-".to_owned(), |v| format!("{v:.3}"));
    let t = &r.target;
    let parts: Vec<String> = [
        t.min_ratio.map(|min| format!("≥ {min}×")),
        t.min_rate.map(|min| format!("≥ {min} /s")),
        t.max_p99_ms.map(|p99| format!("p99 ≤ {p99} ms")),
    ]
    .into_iter()
    .flatten()
    .collect();
    let target = match (parts.is_empty(), r.scenario) {
        (true, Scenario::Healthz) => "ceiling".to_owned(),
        (true, _) => "none (report only)".to_owned(),
        (false, _) => parts.join(", "),
    };
    format!(
        "{:<8} {:>9.1} {:>7.2} {:>7.2} {:>7.1} {:>6} {:>6}  {:<26} {:>5.1} MB  {}",
        r.scenario.name(),
        r.requests_per_sec,
        r.p50_ms,
        r.p99_ms,
        r.max_ms,
        r.errors,
        ratio,
        target,
        r.peak_rss_mb,
        verdict(r.met, &r.missed)
    )
}

/// A row's result: `-` without a target, `met`, or `NOT MET (what)`.
pub fn verdict(met: Option<bool>, missed: &[&str]) -> String {
    match met {
        None => "-".to_owned(),
        Some(true) => "met".to_owned(),
        Some(false) => format!("NOT MET ({})", missed.join(", ")),
    }
}

fn large(r: &Report) {
    let [small, big] = r.phases.as_slice() else { return };
    println!(
        "\nthroughput with {} links against {} links (target: ≥ {LARGE_KEEP}× of the small database):",
        big.seeded_links, small.seeded_links
    );
    println!("{:<8} {:>10} {:>10} {:>6} {:>15}  result", "scenario", "small/s", "large/s", "kept", "kept vs ceiling");
    for c in &r.large {
        let norm = c.kept_vs_ceiling.map_or("-".to_owned(), |v| format!("{v:.2}"));
        let verdict = if c.met { "met" } else { "NOT MET" };
        println!(
            "{:<8} {:>10.1} {:>10.1} {:>6.2} {:>15}  {verdict}",
            c.scenario.name(),
            c.small_rps,
            c.large_rps,
            c.kept,
            norm
        );
    }
}

fn memory(r: &Report) {
    let (idle, links) = r.phases.first().map_or((0.0, 0), |p| (p.idle_rss_mb, p.seeded_links));
    let verdict = |met: bool| if met { "met" } else { "NOT MET" };
    let row = |label: String, value: f64, note: String| println!("  {label:<40} {value:>6.1} MB  {note}");
    println!("\nresident memory (whole process: the server and the load generator inside it):");
    row("before the server started".into(), r.rss_before_server_mb, String::new());
    row("server started, empty database".into(), r.rss_server_started_mb, String::new());
    row(
        format!("idle, {links} links, before any load"),
        idle,
        format!("target ≤ {IDLE_MB} MB: {}", verdict(r.idle_met)),
    );
    for p in r.phases.iter().skip(1) {
        row(format!("idle, {} links, after earlier load", p.seeded_links), p.idle_rss_mb, String::new());
    }
    let load = format!("target ≤ {LOAD_MB} MB: {}", verdict(r.load_met));
    row("peak under load (sampled every 20 ms)".into(), r.load_peak_mb, load);
    row("process peak since start (VmHWM)".into(), r.process_hwm_mb, "includes seeding".into());
    if let Some(lg) = r.phases.first().and_then(Phase::load_generator_mb) {
        let note = "healthz peak − idle: load generator + both ends of the connections".to_owned();
        row("  of which the load generator, at most".into(), lg, note);
    }
}

/// The webhook delivery benchmark: throughput against its target and the ceiling, CPU, idle
/// latency, and how every delivery ended.
fn delivery(d: &DeliveryResult) {
    let verdict = |met: bool| if met { "met" } else { "NOT MET" };
    println!(
        "\nwebhook delivery: {} events, one delivery each, to a local receiver that answers 200 at once",
        d.events
    );
    println!(
        "  queued with the loop stopped in {:.1} s ({:.0} links/s through the service); numbered in {:.2} s",
        d.create_secs,
        d.events as f64 / d.create_secs.max(1e-9),
        d.sequence_secs
    );
    let ratio = d.ratio.map_or("-".to_owned(), |r| format!("{r:.3}"));
    println!(
        "  received     {:>9.1} deliveries/s (all {} in {:.2} s; all recorded after {:.2} s); \
         ratio {ratio}; target ≥ {} /s: {}",
        d.deliveries_per_sec,
        d.received,
        d.deliver_secs,
        d.recorded_secs,
        d.min_rate,
        verdict(d.rate_met)
    );
    println!(
        "  recorded     {:>9.1} deliveries/s (every attempt written back; what the loop sustains); target ≥ {} /s: {}",
        d.recorded_per_sec,
        d.min_rate,
        verdict(d.recorded_met)
    );
    println!(
        "  CPU          {:.2} cores busy, {:.0} µs per delivery (whole process); peak RSS {:.1} MB",
        d.cores_busy, d.cpu_us_per_delivery, d.peak_rss_mb
    );
    let i = &d.idle;
    println!(
        "  idle         event to first attempt p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} timed, {} lost); \
         target p50 ≤ {IDLE_MAX_P50_MS} ms: {}",
        i.p50_ms,
        i.p99_ms,
        i.max_ms,
        i.count,
        i.lost,
        verdict(d.idle_met)
    );
    let by_status: Vec<String> = d.statuses.iter().map(|(s, n)| format!("{s} {n}")).collect();
    println!(
        "               as recorded by the server (attempt start − event creation): p50 {:.1} ms, p99 {:.1} ms",
        i.recorded_p50_ms, i.recorded_p99_ms
    );
    println!("  final status {}; failures {}", by_status.join(", "), d.failures);
}
