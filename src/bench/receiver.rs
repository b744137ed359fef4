//! The webhook receiver the delivery benchmark sends to: an HTTP/1.1 server (axum) on
//! 127.0.0.1:0 in this process that reads each request's body, answers `200 ok` at once and
//! counts requests. It wakes its one waiter only when the count reaches the number waited for,
//! so waiting costs nothing per request while thousands arrive each second.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use axum::serve::ListenerExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;
use tokio::sync::{Notify, oneshot};
use tokio::task::JoinHandle;

/// Requests received, and who waits for how many.
#[derive(Default)]
struct Counter {
    received: AtomicU64,
    /// The count the waiter wants; `u64::MAX` when nobody waits.
    wanted: AtomicU64,
    reached: Notify,
}

/// A running receiver.
pub struct Receiver {
    /// Where deliveries are to be sent (`http://127.0.0.1:PORT/hook`).
    pub url: String,
    counter: Arc<Counter>,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl Receiver {
    /// Starts listening.
    pub async fn start() -> Result<Receiver, String> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(|e| format!("receiver: {e}"))?;
        let url = format!("http://{}/hook", listener.local_addr().map_err(|e| e.to_string())?);
        // Nagle off, as on the sending side: a small answer must not wait for an ACK.
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let counter = Arc::new(Counter { wanted: AtomicU64::new(u64::MAX), ..Counter::default() });
        let app = Router::new().route("/hook", post(hook)).with_state(counter.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let shutdown = async move {
                let _ = stopped.await;
            };
            if let Err(e) = axum::serve(listener, app).with_graceful_shutdown(shutdown).await {
                eprintln!("bench: the webhook receiver stopped with an error: {e}");
            }
        });
        Ok(Receiver { url, counter, stop, task })
    }

    /// Requests received so far.
    pub fn received(&self) -> u64 {
        self.counter.received.load(Ordering::Acquire)
    }

    /// Waits until `n` requests have arrived in all, or `deadline` passes; returns whether they
    /// did.
    pub async fn wait_for(&self, n: u64, deadline: Instant) -> bool {
        let c = &self.counter;
        c.wanted.store(n, Ordering::Release);
        let reached = loop {
            // Registered before the count is read, so an arrival in between still wakes us.
            let woken = c.reached.notified();
            if self.received() >= n {
                break true;
            }
            if tokio::time::timeout_at(deadline.into(), woken).await.is_err() {
                break self.received() >= n;
            }
        };
        c.wanted.store(u64::MAX, Ordering::Release);
        reached
    }

    /// Stops listening (connections still open are closed as they go idle).
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = tokio::time::timeout(std::time::Duration::from_secs(5), self.task).await;
    }
}

/// Reads the whole body (as a real receiver would before verifying it) and answers at once.
async fn hook(State(c): State<Arc<Counter>>, _body: Bytes) -> &'static str {
    let n = c.received.fetch_add(1, Ordering::AcqRel) + 1;
    if n >= c.wanted.load(Ordering::Acquire) {
        c.reached.notify_one();
    }
    "ok"
}
