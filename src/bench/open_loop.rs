//! Open-loop load (issue 18, item 5): operations are sent on a fixed schedule (see
//! `schedule.rs`), each in its own task on whichever of the pool's keep-alive connections is free,
//! so a slow answer never delays the sends behind it. Latency runs from the intended send time:
//! a send that was late, or that had to wait for a free connection, counts that wait. How late
//! the generator itself was is measured too, so a run where it could not keep the schedule says
//! so instead of passing off a lower rate as the target.

use super::histogram::Histogram;
use super::load::{self, Client, Failure, Tally, Window};
use super::open_report::{self, OpenResult};
use super::options::Options;
use super::rng::Rng;
use super::scenario::{Operation, Scenario, Workload};
use super::schedule::{Schedule, latency_us};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, mpsc};

/// How long operations still unanswered when the window ends may take. After it they count as
/// errors, with their latency recorded up to the cut (a lower bound, never left out).
pub const GRACE: Duration = Duration::from_secs(5);
/// The connection number open-loop operations are numbered under, so create's references
/// (`bench-{nonce}-{conn}-{seq}`) never repeat the closed loop's.
const OPEN_CONN: usize = 1_000_000;

/// What an open-loop run produced.
#[derive(Debug, Default)]
pub struct OpenTally {
    /// Latencies from the intended send time of the operations intended inside the window; sent
    /// and errors counted as in the closed loop (warm-up included).
    pub tally: Tally,
    /// Operations intended inside the measured window.
    pub scheduled: u64,
    /// Successful operations whose answer was read inside the window.
    pub answered_in_window: u64,
    /// How late the generator handed each operation of the window to its task, µs.
    pub send_lag: Histogram,
    /// Operations that found every connection busy and waited for one.
    pub waited: u64,
    /// Operations with no answer by the end of the window plus `GRACE`.
    pub unfinished: u64,
}

impl OpenTally {
    /// Adds one operation's outcome (`None`: not answered by the cut).
    fn record(&mut self, w: Window, intended: Instant, answered: Instant, outcome: Option<Result<(), Failure>>) {
        self.tally.sent += 1;
        if (w.record_from..w.deadline).contains(&intended) {
            self.tally.hist.record(latency_us(intended, answered));
        }
        match outcome {
            Some(Ok(())) if (w.record_from..w.deadline).contains(&answered) => self.answered_in_window += 1,
            Some(Ok(())) => {}
            Some(Err(Failure::Answer(what) | Failure::Transport(what))) => self.tally.error(what),
            None => {
                self.unfinished += 1;
                self.tally.error(format!("no answer {} s after the window ended", GRACE.as_secs()));
            }
        }
    }
}

/// The connections and the tally every operation's task shares.
struct Shared {
    pool: Mutex<Vec<Client>>,
    /// One permit per connection in `pool`.
    free: Semaphore,
    out: Mutex<OpenTally>,
    window: Window,
    /// When unanswered operations are given up.
    cutoff: Instant,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Measures `sc` open-loop after its closed-loop run (`closed_rps`); `None` when the chosen
/// load comes to no usable rate (a closed loop that completed nothing).
pub async fn measure(
    addr: SocketAddr,
    o: &Options,
    key: &str,
    work: Arc<Workload>,
    sc: Scenario,
    closed_rps: f64,
) -> Result<Option<OpenResult>, String> {
    let Some(load) = o.open_loop else { return Ok(None) };
    let rate = load.rate(closed_rps);
    if Schedule::new(Instant::now(), rate).is_none() {
        super::note(&format!("{} open loop skipped: its closed loop reached {closed_rps:.1}/s", sc.name()));
        return Ok(None);
    }
    let t = drive(addr, key, work, sc, rate, (o.connections, o.warmup, o.measure)).await?;
    Ok(Some(open_report::result(sc, o, load, rate, t)))
}

/// Sends `scenario` at `rate` per second: `warmup` unrecorded, then `measure` recorded, over at
/// most `connections` connections.
pub async fn drive(
    addr: SocketAddr,
    key: &str,
    work: Arc<Workload>,
    scenario: Scenario,
    rate: f64,
    (connections, warmup, measure): (usize, Duration, Duration),
) -> Result<OpenTally, String> {
    let clients = load::connect_all(addr, key, connections).await?;
    let start = Instant::now();
    let schedule = Schedule::new(start, rate).ok_or_else(|| format!("bench: open loop: unusable rate {rate}"))?;
    let window = Window { record_from: start + warmup, deadline: start + warmup + measure };
    let shared = Arc::new(Shared {
        free: Semaphore::new(clients.len()),
        pool: Mutex::new(clients),
        out: Mutex::new(OpenTally::default()),
        window,
        cutoff: window.deadline + GRACE,
    });
    // Every task holds a sender; `recv` answers `None` once the last one has ended.
    let (done, mut all_done) = mpsc::channel::<()>(1);
    let send_lag = on_own_thread(shared.clone(), work, scenario, schedule, done).await?;
    let _ = all_done.recv().await;
    let mut out = std::mem::take(&mut *lock(&shared.out));
    out.send_lag = send_lag;
    out.scheduled = schedule.before(window.deadline).end - schedule.before(window.record_from).end;
    Ok(out)
}

/// Runs the dispatcher on a thread of its own with its own timer, so that it never waits in a
/// worker's queue behind the server's tasks; the operations still run on this runtime.
async fn on_own_thread(
    shared: Arc<Shared>,
    work: Arc<Workload>,
    sc: Scenario,
    schedule: Schedule,
    done: mpsc::Sender<()>,
) -> Result<Histogram, String> {
    let runtime = tokio::runtime::Handle::current();
    let (tx, rx) = tokio::sync::oneshot::channel();
    let run = move || {
        let own = tokio::runtime::Builder::new_current_thread().enable_time().build();
        let lag = own.map(|own| own.block_on(dispatch(&runtime, &shared, &work, sc, schedule, done)));
        let _ = tx.send(lag.map_err(|e| format!("bench: open-loop dispatcher: {e}")));
    };
    std::thread::Builder::new()
        .name("bench-dispatch".into())
        .spawn(run)
        .map_err(|e| format!("bench: open-loop dispatcher thread: {e}"))?;
    rx.await.map_err(|_| "bench: the open-loop dispatcher ended without a result".to_owned())?
}

/// Hands each operation to its own task on `runtime` at its intended time; returns how late it
/// did so.
async fn dispatch(
    runtime: &tokio::runtime::Handle,
    shared: &Arc<Shared>,
    work: &Workload,
    sc: Scenario,
    schedule: Schedule,
    done: mpsc::Sender<()>,
) -> Histogram {
    let mut rng = Rng::from_entropy();
    let mut lag = Histogram::default();
    for i in schedule.before(shared.window.deadline) {
        let at = schedule.intended(i);
        if at > Instant::now() {
            tokio::time::sleep_until(at.into()).await;
        }
        let op = work.operation(sc, &mut rng, OPEN_CONN, i);
        if at >= shared.window.record_from {
            lag.record(latency_us(at, Instant::now()));
        }
        runtime.spawn(operation(shared.clone(), op, at, done.clone()));
    }
    lag
}

/// One operation, timed from `intended`; `_done` is dropped when it has been recorded.
async fn operation(s: Arc<Shared>, op: Operation, intended: Instant, _done: mpsc::Sender<()>) {
    let outcome = tokio::time::timeout_at(s.cutoff.into(), on_free_connection(&s, &op)).await.ok();
    let answered = Instant::now();
    lock(&s.out).record(s.window, intended, answered, outcome);
}

/// Runs `op` on a free connection, waiting for one if all are busy (that wait is queueing in
/// the generator, and counts in the latency).
async fn on_free_connection(s: &Shared, op: &Operation) -> Result<(), Failure> {
    let permit = match s.free.try_acquire() {
        Ok(p) => p,
        Err(_) => {
            lock(&s.out).waited += 1;
            s.free.acquire().await.map_err(|e| Failure::Transport(format!("connection pool: {e}")))?
        }
    };
    let taken = lock(&s.pool).pop();
    let Some(mut client) = taken else {
        return Err(Failure::Transport("no connection left in the pool".into()));
    };
    let outcome = load::perform(&mut client, op).await;
    if let Err(Failure::Transport(_)) = &outcome {
        match load::reconnect_until(&client, s.cutoff).await {
            Some(fresh) => client = fresh,
            None => {
                // The pool shrinks for good; so does the number of permits.
                permit.forget();
                return outcome;
            }
        }
    }
    lock(&s.pool).push(client);
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One operation intended `intended_ms` after the start and answered `answered_ms` after it,
    /// recorded against a window from 1 s to 2 s.
    fn recorded(intended_ms: u64, answered_ms: u64, outcome: Option<Result<(), Failure>>) -> OpenTally {
        let start = Instant::now();
        let at = |ms: u64| start + Duration::from_millis(ms);
        let w = Window { record_from: at(1_000), deadline: at(2_000) };
        let mut t = OpenTally::default();
        t.record(w, at(intended_ms), at(answered_ms), outcome);
        t
    }

    #[test]
    fn an_operation_stalled_behind_the_schedule_is_recorded_with_its_queueing_time() {
        // Intended at 1,100 ms, sent 40 ms late behind a stall, answered 1 ms after it was sent.
        let t = recorded(1_100, 1_141, Some(Ok(())));
        assert_eq!(t.tally.hist.count(), 1);
        let p50 = t.tally.hist.quantile_ms(0.5);
        assert!((40.0..=42.0).contains(&p50), "{p50}");
        assert_eq!((t.answered_in_window, t.tally.errors), (1, 0));
    }

    #[test]
    fn warm_up_operations_are_sent_but_not_recorded() {
        let t = recorded(500, 501, Some(Ok(())));
        assert_eq!((t.tally.sent, t.tally.hist.count(), t.answered_in_window), (1, 0, 0));
    }

    #[test]
    fn an_unanswered_operation_is_an_error_whose_wait_still_counts() {
        let cut = 2_000 + GRACE.as_millis() as u64;
        let t = recorded(1_900, cut, None);
        assert_eq!((t.unfinished, t.tally.errors, t.answered_in_window), (1, 1, 0));
        assert!(t.tally.hist.quantile_ms(1.0) >= 5_000.0);
        assert!(t.tally.first_errors[0].contains("no answer"));
    }

    #[test]
    fn a_failed_answer_is_counted_with_its_reason() {
        let t = recorded(1_200, 1_203, Some(Err(Failure::Answer("GET /v1/x -> 500: boom".into()))));
        assert_eq!((t.tally.errors, t.answered_in_window, t.tally.hist.count()), (1, 0, 1));
        assert_eq!(t.tally.first_errors, vec!["GET /v1/x -> 500: boom".to_owned()]);
    }
}
