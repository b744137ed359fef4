//! A webhook receiver for tests, on 127.0.0.1: records every request (headers that matter, body
//! bytes, arrival) and answers as each path is told to — fail k times, a fixed status, a
//! `Retry-After`, a redirect, a hang, or a delay — and notices when one webhook id is being
//! received twice at the same time.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How one path answers.
#[derive(Clone, Debug, Default)]
pub struct Behaviour {
    /// Answer 500 to the first `fail_times` requests, then 200.
    pub fail_times: usize,
    /// Always answer this status (after the failures).
    pub status: Option<u16>,
    /// Send `Retry-After: n` with the answer.
    pub retry_after: Option<u64>,
    /// Answer with a redirect to this path.
    pub redirect_to: Option<String>,
    /// Never answer.
    pub hang: bool,
    /// Wait this long before answering.
    pub delay: Duration,
}

/// One received request.
#[derive(Clone, Debug)]
pub struct Received {
    pub path: String,
    pub id: String,
    pub timestamp: String,
    pub signature: String,
    pub body: Bytes,
    /// Every header, for dialect callbacks that sign their own way (Amwal's `x-signature`).
    pub headers: HeaderMap,
    /// The query string (Paymob's `?hmac=`), empty when there is none.
    pub query: String,
    /// When it arrived.
    pub at: std::time::Instant,
}

#[derive(Default)]
struct Inner {
    behaviours: HashMap<String, Behaviour>,
    received: Vec<Received>,
    counts: HashMap<String, usize>,
    in_flight: HashSet<String>,
    overlaps: usize,
}

/// The running receiver.
#[derive(Clone)]
pub struct Receiver {
    pub base: String,
    inner: Arc<Mutex<Inner>>,
}

impl Receiver {
    /// Starts a receiver on a free port.
    pub async fn start() -> Receiver {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let app = axum::Router::new().route("/{*path}", axum::routing::post(receive)).with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Receiver { base, inner }
    }

    /// Sets how `path` (without the leading slash) answers.
    pub fn on(&self, path: &str, b: Behaviour) {
        self.inner.lock().unwrap().behaviours.insert(path.to_owned(), b);
    }

    /// The URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.base)
    }

    /// Every request so far to `path`.
    pub fn at(&self, path: &str) -> Vec<Received> {
        self.inner.lock().unwrap().received.iter().filter(|r| r.path == path).cloned().collect()
    }

    /// Every request so far.
    pub fn all(&self) -> Vec<Received> {
        self.inner.lock().unwrap().received.clone()
    }

    /// How many times a webhook id arrived while the same id was still being received.
    pub fn overlaps(&self) -> usize {
        self.inner.lock().unwrap().overlaps
    }
}

async fn receive(
    State(inner): State<Arc<Mutex<Inner>>>,
    Path(path): Path<String>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let header = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let id = header("webhook-id");
    let (behaviour, nth) = {
        let mut g = inner.lock().unwrap();
        if !g.in_flight.insert(id.clone()) {
            g.overlaps += 1;
        }
        let nth = *g.counts.entry(path.clone()).and_modify(|n| *n += 1).or_insert(1);
        let r = Received {
            path: path.clone(),
            id: id.clone(),
            timestamp: header("webhook-timestamp"),
            signature: header("webhook-signature"),
            body,
            headers: headers.clone(),
            query: uri.query().unwrap_or_default().to_owned(),
            at: std::time::Instant::now(),
        };
        g.received.push(r);
        (g.behaviours.get(&path).cloned().unwrap_or_default(), nth)
    };
    // Out of flight when answered, or when the sender goes away first (a killed process: the
    // server then drops this handler mid-wait).
    let _in_flight = InFlight(inner, id);
    if behaviour.hang {
        tokio::time::sleep(Duration::from_secs(3600)).await;
    }
    tokio::time::sleep(behaviour.delay).await;
    answer(&behaviour, nth)
}

/// A webhook id being received; removed from `in_flight` when dropped.
struct InFlight(Arc<Mutex<Inner>>, String);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).in_flight.remove(&self.1);
    }
}

fn answer(b: &Behaviour, nth: usize) -> Response {
    let status = if nth <= b.fail_times { 500 } else { b.status.unwrap_or(200) };
    let mut r = (StatusCode::from_u16(status).unwrap(), format!("answer {nth}")).into_response();
    if let Some(secs) = b.retry_after {
        r.headers_mut().insert("retry-after", secs.to_string().parse().unwrap());
    }
    if let Some(to) = &b.redirect_to {
        *r.status_mut() = StatusCode::MOVED_PERMANENTLY;
        r.headers_mut().insert("location", format!("/{to}").parse().unwrap());
    }
    r
}
