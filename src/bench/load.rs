//! The load generator: N keep-alive HTTP/1.1 connections (hyper's client connection API, one
//! task per connection), each starting its next operation as soon as the previous one is done
//! (closed loop), until the deadline. An operation is one request, or for `pay` three requests
//! on the same connection timed as one. Operations started during the warm-up are not recorded.

use super::histogram::Histogram;
use super::rng::Rng;
use super::scenario::{Operation, RequestSpec, Scenario, Workload};
use http_body_util::{BodyExt, Full};
use hyper::HeaderMap;
use hyper::body::Bytes;
use hyper::client::conn::http1::{self, SendRequest};
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HOST, HeaderName, HeaderValue};
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::ops::RangeInclusive;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Errors kept word for word per scenario (the count covers them all).
const KEPT_ERRORS: usize = 3;

/// One keep-alive connection to the server.
pub struct Client {
    sender: SendRequest<Full<Bytes>>,
    addr: SocketAddr,
    host: HeaderValue,
    auth: HeaderValue,
}

impl Client {
    /// Opens a connection (Nagle off, as any latency-minded client does).
    pub async fn connect(addr: SocketAddr, key: &str) -> Result<Client, String> {
        let stream = tokio::net::TcpStream::connect(addr).await.map_err(|e| format!("connect {addr}: {e}"))?;
        let _ = stream.set_nodelay(true);
        let (sender, conn) =
            http1::handshake(TokioIo::new(stream)).await.map_err(|e| format!("HTTP handshake: {e}"))?;
        // The connection future drives the socket; it ends when `sender` is dropped.
        tokio::spawn(async move {
            let _ = conn.await;
        });
        let host = HeaderValue::from_str(&addr.to_string()).map_err(|e| e.to_string())?;
        let auth = HeaderValue::from_str(&format!("Bearer {key}")).map_err(|e| e.to_string())?;
        Ok(Client { sender, addr, host, auth })
    }

    /// A fresh connection to the same server with the same key (after a failure).
    async fn reconnect(&self) -> Result<Client, String> {
        let key = self.auth.to_str().unwrap_or_default().trim_start_matches("Bearer ").to_owned();
        Client::connect(self.addr, &key).await
    }

    /// Sends one request and reads the whole answer.
    pub async fn send(&mut self, r: &RequestSpec) -> Result<Answer, String> {
        let mut req = hyper::Request::builder().method(r.method.clone()).uri(r.path.as_str());
        req = req.header(HOST, self.host.clone());
        if r.auth {
            req = req.header(AUTHORIZATION, self.auth.clone());
        }
        for (name, value) in &r.headers {
            req = req.header(name, value.clone());
        }
        if r.body.is_some() && !r.headers.iter().any(|(name, _)| name == CONTENT_TYPE) {
            req = req.header(CONTENT_TYPE, "application/json");
        }
        let req = req.body(Full::new(r.body.clone().unwrap_or_default())).map_err(|e| e.to_string())?;
        self.sender.ready().await.map_err(|e| format!("connection: {e}"))?;
        let resp = self.sender.send_request(req).await.map_err(|e| format!("request: {e}"))?;
        let (parts, body) = resp.into_parts();
        let body = body.collect().await.map_err(|e| format!("body: {e}"))?.to_bytes();
        Ok(Answer { status: parts.status.as_u16(), headers: parts.headers, body })
    }
}

/// A whole answer.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Answer {
    /// The values of header `name` that are text.
    pub fn header_values(&self, name: HeaderName) -> impl Iterator<Item = &str> {
        self.headers.get_all(name).into_iter().filter_map(|v| v.to_str().ok())
    }
}

/// Why an operation failed.
#[derive(Debug)]
pub enum Failure {
    /// The server answered, but not as expected (counted; the connection is kept).
    Answer(String),
    /// The connection failed (counted; a new connection replaces it).
    Transport(String),
}

/// Sends one step of an operation and checks its status: the answer, or what went wrong.
pub async fn step(client: &mut Client, r: &RequestSpec, expected: RangeInclusive<u16>) -> Result<Answer, Failure> {
    let answer = client.send(r).await.map_err(|e| Failure::Transport(format!("{} {}: {e}", r.method, r.path)))?;
    if !expected.contains(&answer.status) {
        let what = format!("{} {} -> {}: {}", r.method, r.path, answer.status, summary(&answer.body));
        return Err(Failure::Answer(what));
    }
    Ok(answer)
}

/// What an error answer says: JSON as it is; for an HTML page its title and the messages shown
/// next to the form (the page's head alone would say nothing).
pub fn summary(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if !text.trim_start().starts_with('<') {
        return text.into_owned();
    }
    let between = |from: &str, open: &str, close: &str| -> Vec<String> {
        from.split(open).skip(1).filter_map(|s| s.split_once(close).map(|(v, _)| v.trim().to_owned())).collect()
    };
    let mut said = between(&text, "<title>", "</title>");
    said.extend(between(&text, "role=\"alert\">", "<"));
    said.extend(between(&text, "class=\"err\">", "<"));
    format!("(HTML) {}", said.join(" | "))
}

/// When recording starts and when the connections stop sending.
#[derive(Clone, Copy, Debug)]
pub struct Window {
    pub record_from: Instant,
    pub deadline: Instant,
}

/// What one scenario run produced.
#[derive(Debug, Default)]
pub struct Tally {
    /// Latencies of the operations started inside the measured window (any outcome).
    pub hist: Histogram,
    /// Operations started, warm-up included.
    pub sent: u64,
    /// Failed operations (an unexpected status at any step, or a transport failure), warm-up
    /// included.
    pub errors: u64,
    /// The first few errors seen, for diagnosis.
    pub first_errors: Vec<String>,
}

impl Tally {
    /// Counts a failure, keeping the first few word for word.
    pub fn error(&mut self, what: String) {
        self.errors += 1;
        if self.first_errors.len() < KEPT_ERRORS {
            // Error bodies can be long; the start says what went wrong.
            self.first_errors.push(what.chars().take(400).collect());
        }
    }

    fn merge(&mut self, other: Tally) {
        self.hist.merge(&other.hist);
        self.sent += other.sent;
        self.errors += other.errors;
        let room = KEPT_ERRORS.saturating_sub(self.first_errors.len());
        self.first_errors.extend(other.first_errors.into_iter().take(room));
    }
}

/// Runs `scenario` over `connections` connections: `warmup` unrecorded, then `measure` recorded.
pub async fn drive(
    addr: SocketAddr,
    key: &str,
    work: Arc<Workload>,
    scenario: Scenario,
    (connections, warmup, measure): (usize, Duration, Duration),
) -> Result<Tally, String> {
    let clients = connect_all(addr, key, connections).await?;
    let record_from = Instant::now() + warmup;
    let window = Window { record_from, deadline: record_from + measure };
    let seed = Rng::from_entropy().next_u64();
    let tasks: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(i, c)| tokio::spawn(connection(c, work.clone(), scenario, (i, seed), window)))
        .collect();
    let mut total = Tally::default();
    for t in tasks {
        total.merge(t.await.map_err(|e| format!("load task failed: {e}"))?);
    }
    Ok(total)
}

/// Opens `n` connections. They are opened before the clock starts: a scenario measures
/// requests, not handshakes.
pub async fn connect_all(addr: SocketAddr, key: &str, n: usize) -> Result<Vec<Client>, String> {
    let mut clients = Vec::with_capacity(n);
    for _ in 0..n {
        clients.push(Client::connect(addr, key).await?);
    }
    Ok(clients)
}

/// One connection's closed loop.
async fn connection(
    mut client: Client,
    work: Arc<Workload>,
    scenario: Scenario,
    (index, seed): (usize, u64),
    w: Window,
) -> Tally {
    let mut rng = Rng::new(seed ^ (index as u64).wrapping_mul(0x9E37_79B9));
    let mut tally = Tally::default();
    let mut seq = 0u64;
    while Instant::now() < w.deadline {
        let op = work.operation(scenario, &mut rng, index, seq);
        seq += 1;
        let started = Instant::now();
        let outcome = perform(&mut client, &op).await;
        let elapsed = started.elapsed();
        tally.sent += 1;
        if started >= w.record_from {
            tally.hist.record(elapsed.as_micros() as u64);
        }
        match outcome {
            Ok(()) => {}
            Err(Failure::Answer(what)) => tally.error(what),
            Err(Failure::Transport(what)) => {
                tally.error(what);
                match reconnect_until(&client, w.deadline).await {
                    Some(c) => client = c,
                    None => break,
                }
            }
        }
    }
    tally
}

/// Runs one operation to its end: every step must get its expected status.
pub async fn perform(client: &mut Client, op: &Operation) -> Result<(), Failure> {
    match op {
        Operation::One(r) => step(client, r, 200..=299).await.map(drop),
        Operation::Pay { create, method_id } => super::pay::run(client, create, *method_id).await.map(drop),
    }
}

/// Retries connecting until it works or the deadline passes.
pub async fn reconnect_until(client: &Client, deadline: Instant) -> Option<Client> {
    while Instant::now() < deadline {
        if let Ok(c) = client.reconnect().await {
            return Some(c);
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    None
}
