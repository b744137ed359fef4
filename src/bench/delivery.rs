//! The webhook delivery benchmark (`--delivery-events N`), run once after every phase so its
//! endpoint never makes another scenario deliver. It registers one endpoint pointing at a local
//! receiver that answers at once, then:
//!
//! 1. **throughput**: with no delivery loop running, creates N links through the service (each
//!    writes one `payment_link.created` event and one delivery), numbers the events, starts
//!    `delivery::spawn` and times it until the receiver has N requests, and until every attempt
//!    is also recorded;
//! 2. **idle latency**: with the loop running and nothing queued, creates one link at a time
//!    (100–200 ms apart) and times it until the receiver gets its delivery;
//! 3. **check**: counts the endpoint's deliveries by final status; any not `delivered` is a failure.

use super::options::{Backend, Options};
use super::outbox;
use super::receiver::Receiver;
use super::rng::Rng;
use super::server::BenchServer;
use super::{histogram::Histogram, note, procfs};
use paylink::domain::access::Actor;
use paylink::service::webhooks::{self, EndpointFields};
use paylink::service::{Ctx, auth};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// Throughput targets (issue 4), deliveries per second.
pub const SQLITE_MIN_RATE: f64 = 8_000.0;
pub const POSTGRES_MIN_RATE: f64 = 6_000.0;
/// Idle event-to-first-attempt bound (issue 4), ms at p50.
pub const IDLE_MAX_P50_MS: f64 = 50.0;
/// Deliveries timed one at a time on the idle loop.
const IDLE_COUNT: u64 = 50;
/// Longest wait for one idle delivery.
const IDLE_WAIT: Duration = Duration::from_secs(5);

/// The delivery benchmark's figures and verdicts.
#[derive(Clone, Debug, serde::Serialize)]
pub struct DeliveryResult {
    pub events: u64,
    /// Creating the links (each with its event and delivery), delivery loop stopped.
    pub create_secs: f64,
    /// Numbering their events (`sequence_pending` until none is left).
    pub sequence_secs: f64,
    /// Requests the receiver got in the throughput run (N when nothing was lost or repeated).
    pub received: u64,
    /// From starting the loop until the receiver had N requests.
    pub deliver_secs: f64,
    /// N ÷ `deliver_secs`: the figure held to the target.
    pub deliveries_per_sec: f64,
    /// From starting the loop until no delivery was pending (every attempt recorded).
    pub recorded_secs: f64,
    /// N ÷ `recorded_secs`: what the loop sustains with its bookkeeping.
    pub recorded_per_sec: f64,
    /// The last phase's `/healthz` throughput, and deliveries/s divided by it.
    pub ceiling_rps: Option<f64>,
    pub ratio: Option<f64>,
    /// Whole process (server, loop and receiver) from the start until all were recorded.
    pub cores_busy: f64,
    pub cpu_us_per_delivery: f64,
    pub peak_rss_mb: f64,
    pub idle: IdleLatency,
    /// Every delivery to the benchmark's endpoint, by final status.
    pub statuses: BTreeMap<String, u64>,
    /// Deliveries that did not end `delivered` (or are missing).
    pub failures: u64,
    pub min_rate: f64,
    /// Throughput (received) at or above the target, every request received and no failure.
    pub rate_met: bool,
    /// The same for the recorded rate.
    pub recorded_met: bool,
    pub idle_met: bool,
}

/// Event-to-first-attempt latency on an idle loop.
#[derive(Clone, Debug, serde::Serialize)]
pub struct IdleLatency {
    /// Timed here: from the create call (so including its durable commit) until the receiver
    /// has the request.
    pub count: u64,
    /// Deliveries that did not arrive within 5 s.
    pub lost: u64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// As the server recorded it: the attempt's start minus the event's creation.
    pub recorded_p50_ms: f64,
    pub recorded_p99_ms: f64,
}

/// Throughput figures taken while the queue drains.
struct Drain {
    received: u64,
    deliver: Duration,
    recorded: Duration,
    cpu_ms: u64,
    peak_kib: u64,
}

/// Runs the delivery benchmark against the bench server; `ceiling` is `/healthz` req/s.
pub async fn run(s: &BenchServer, o: &Options, key: &str, ceiling: Option<f64>) -> Result<DeliveryResult, String> {
    let ctx = &s.ctx;
    let receiver = Receiver::start().await?;
    let actor = Arc::new(auth::authenticate(ctx, key).await.map_err(|e| format!("delivery bench: {e}"))?);
    let fields = EndpointFields { url: Some(receiver.url.clone()), ..Default::default() };
    let endpoint = webhooks::create_endpoint(ctx, &actor, fields)
        .await
        .map_err(|e| format!("delivery bench: registering the endpoint: {e}"))?
        .endpoint
        .id
        .to_string();
    let outcome = measure(s, o, &actor, &receiver, &endpoint).await;
    // Deleted even after a failure, so nothing later delivers to a receiver that is gone.
    if let Err(e) = webhooks::delete_endpoint(ctx, &actor, &endpoint).await {
        note(&format!("delivery: webhooks::delete_endpoint failed ({e}); marking the endpoint deleted directly"));
        outbox::mark_deleted(ctx, &endpoint).await?;
    }
    receiver.stop().await;
    let (queued, d, idle, statuses) = outcome?;
    Ok(result(o, queued, d, idle, statuses, ceiling))
}

type Measured = ((Duration, Duration), Drain, IdleLatency, BTreeMap<String, u64>);

/// Fills the queue, then runs the loop for the throughput and idle measurements.
async fn measure(
    s: &BenchServer,
    o: &Options,
    actor: &Arc<Actor>,
    r: &Receiver,
    endpoint: &str,
) -> Result<Measured, String> {
    let ctx = &s.ctx;
    let queued = queue(s, o, actor).await?;
    let (stop, stopped) = watch::channel(false);
    let worker = paylink::delivery::spawn(ctx.clone(), stopped);
    let measured = drain_then_idle(s, o, actor, r, endpoint).await;
    // The loop stops (and records what it sent) before the rows are read back.
    let _ = stop.send(true);
    let _ = worker.await;
    let (d, mut idle) = measured?;
    let recorded = outbox::recorded_latencies(ctx, endpoint, IDLE_COUNT).await?;
    (idle.recorded_p50_ms, idle.recorded_p99_ms) = (recorded.quantile_ms(0.5), recorded.quantile_ms(0.99));
    Ok((queued, d, idle, outbox::statuses(ctx, endpoint).await?))
}

/// Creates N links with the loop stopped and numbers their events.
async fn queue(s: &BenchServer, o: &Options, actor: &Arc<Actor>) -> Result<(Duration, Duration), String> {
    let n = o.delivery_events;
    let create = outbox::create_links(&s.ctx, actor, n).await?;
    let sequence = outbox::sequence_all(&s.ctx).await?;
    // PostgreSQL: what autovacuum would soon do after N inserts into a nearly empty table (this
    // server runs without it), as after seeding; otherwise the drain starts on indexes holding
    // N dead entries from the numbering. `--no-analyze` skips it.
    if o.analyze {
        s.analyze().await?;
    }
    let per_sec = n as f64 / create.as_secs_f64().max(1e-9);
    let (c, q) = (create.as_secs_f64(), sequence.as_secs_f64());
    note(&format!("delivery: queued {n} deliveries in {c:.1} s ({per_sec:.0} links/s); numbered in {q:.2} s"));
    Ok((create, sequence))
}

/// The throughput run, then (after the vacuum autovacuum would do) the idle probe.
async fn drain_then_idle(
    s: &BenchServer,
    o: &Options,
    actor: &Actor,
    r: &Receiver,
    endpoint: &str,
) -> Result<(Drain, IdleLatency), String> {
    let d = drain(&s.ctx, r, endpoint, o.delivery_events).await?;
    // PostgreSQL: claiming and recording left dead index entries that every idle poll walks
    // until autovacuum clears them; "idle" is taken to mean after that (`--no-analyze`: before).
    if o.analyze {
        s.analyze().await?;
    }
    Ok((d, idle_latency(&s.ctx, actor, r).await?))
}

/// Times the loop (just started) until the receiver has `n` requests, then until none of the
/// endpoint's deliveries is pending (polled only then, to keep the database free during the drain).
async fn drain(ctx: &Ctx, receiver: &Receiver, endpoint: &str, n: u64) -> Result<Drain, String> {
    let (cpu, sampler, started) = (procfs::cpu_ms(), procfs::Sampler::start(), Instant::now());
    // Generous: even 500 deliveries/s finishes well within it.
    let deadline = started + Duration::from_secs(60 + n / 500);
    let all = receiver.wait_for(n, deadline).await;
    let deliver = started.elapsed();
    let recorded_all = all && recorded(ctx, endpoint, deadline).await?;
    let (recorded, cpu_ms, peak_kib) = (started.elapsed(), procfs::cpu_ms() - cpu, sampler.finish().await);
    if !recorded_all {
        let got = receiver.received();
        return Err(format!("delivery bench: {got} of {n} deliveries received, not all recorded, in time"));
    }
    let (dt, rt) = (deliver.as_secs_f64(), recorded.as_secs_f64());
    note(&format!("delivery: {n} received in {dt:.2} s, all recorded after {rt:.2} s"));
    Ok(Drain { received: receiver.received(), deliver, recorded, cpu_ms, peak_kib })
}

/// Waits until none of the endpoint's deliveries is pending; false if `deadline` passes first.
async fn recorded(ctx: &Ctx, endpoint: &str, deadline: Instant) -> Result<bool, String> {
    while outbox::any_pending(ctx, endpoint).await? {
        if Instant::now() >= deadline {
            return Ok(false);
        }
        // Coarse enough to leave the database to the recorder, fine enough for a seconds-long figure.
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(true)
}

/// One link at a time on the idle loop, 100–200 ms apart (off the loop's polling rhythm).
async fn idle_latency(ctx: &Ctx, actor: &Actor, receiver: &Receiver) -> Result<IdleLatency, String> {
    let (mut rng, mut hist, mut lost) = (Rng::from_entropy(), Histogram::default(), 0);
    for i in 0..IDLE_COUNT {
        tokio::time::sleep(Duration::from_millis(100 + rng.below(101))).await;
        let expected = receiver.received() + 1;
        let started = Instant::now();
        outbox::create_one(ctx, actor, 1_000_000_000 + i).await?;
        if receiver.wait_for(expected, started + IDLE_WAIT).await {
            hist.record(started.elapsed().as_micros() as u64);
        } else {
            lost += 1;
        }
    }
    let (p50_ms, p99_ms) = (hist.quantile_ms(0.5), hist.quantile_ms(0.99));
    note(&format!("delivery: idle event-to-attempt p50 {p50_ms:.1} ms, p99 {p99_ms:.1} ms, lost {lost}"));
    // The server's own figures are read once the loop has stopped and recorded every attempt.
    let (recorded_p50_ms, recorded_p99_ms) = (0.0, 0.0);
    Ok(IdleLatency {
        count: hist.count(),
        lost,
        p50_ms,
        p99_ms,
        max_ms: hist.max_ms(),
        recorded_p50_ms,
        recorded_p99_ms,
    })
}

fn result(
    o: &Options,
    (create, sequence): (Duration, Duration),
    d: Drain,
    idle: IdleLatency,
    statuses: BTreeMap<String, u64>,
    ceiling: Option<f64>,
) -> DeliveryResult {
    let n = o.delivery_events;
    let per_sec = |t: Duration| n as f64 / t.as_secs_f64().max(1e-9);
    let (rate, recorded_rate) = (per_sec(d.deliver), per_sec(d.recorded));
    let min_rate = match o.backend {
        Backend::Sqlite => SQLITE_MIN_RATE,
        Backend::Postgres => POSTGRES_MIN_RATE,
    };
    let total: u64 = statuses.values().sum();
    let delivered = statuses.get("delivered").copied().unwrap_or(0);
    let failures = total - delivered + (n + IDLE_COUNT).saturating_sub(total);
    let clean = d.received == n && failures == 0;
    DeliveryResult {
        events: n,
        create_secs: create.as_secs_f64(),
        sequence_secs: sequence.as_secs_f64(),
        received: d.received,
        deliver_secs: d.deliver.as_secs_f64(),
        deliveries_per_sec: rate,
        recorded_secs: d.recorded.as_secs_f64(),
        recorded_per_sec: recorded_rate,
        ceiling_rps: ceiling,
        ratio: ceiling.filter(|c| *c > 0.0).map(|c| rate / c),
        cores_busy: d.cpu_ms as f64 / 1000.0 / d.recorded.as_secs_f64().max(1e-9),
        cpu_us_per_delivery: d.cpu_ms as f64 * 1000.0 / n.max(1) as f64,
        peak_rss_mb: procfs::mb(d.peak_kib),
        rate_met: clean && rate >= min_rate,
        recorded_met: clean && recorded_rate >= min_rate,
        idle_met: idle.lost == 0 && idle.count > 0 && idle.p50_ms <= IDLE_MAX_P50_MS,
        idle,
        statuses,
        failures,
        min_rate,
    }
}
