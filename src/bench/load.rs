//! The load generator: N keep-alive HTTP/1.1 connections (hyper's client connection API, one
//! task per connection), each sending its next request as soon as the previous answer is read
//! (closed loop), until the deadline. Requests started during the warm-up are not recorded.

use super::histogram::Histogram;
use super::rng::Rng;
use super::scenario::{RequestSpec, Scenario, Workload};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::{self, SendRequest};
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HOST, HeaderValue};
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

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

    /// Sends one request and reads the whole answer: (status, body).
    pub async fn send(&mut self, r: &RequestSpec) -> Result<(u16, Bytes), String> {
        let mut req = hyper::Request::builder().method(r.method.clone()).uri(r.path.as_str());
        req = req.header(HOST, self.host.clone());
        if r.auth {
            req = req.header(AUTHORIZATION, self.auth.clone());
        }
        if r.body.is_some() {
            req = req.header(CONTENT_TYPE, "application/json");
        }
        let req = req.body(Full::new(r.body.clone().unwrap_or_default())).map_err(|e| e.to_string())?;
        self.sender.ready().await.map_err(|e| format!("connection: {e}"))?;
        let resp = self.sender.send_request(req).await.map_err(|e| format!("request: {e}"))?;
        let status = resp.status().as_u16();
        let body = resp.into_body().collect().await.map_err(|e| format!("body: {e}"))?.to_bytes();
        Ok((status, body))
    }
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
    /// Latencies of the requests started inside the measured window (any status).
    pub hist: Histogram,
    /// Requests sent, warm-up included.
    pub sent: u64,
    /// Non-2xx answers and transport failures, warm-up included.
    pub errors: u64,
    /// The first error seen, for diagnosis.
    pub first_error: Option<String>,
}

impl Tally {
    fn error(&mut self, what: String) {
        self.errors += 1;
        // Error bodies can be long; the start says what went wrong.
        self.first_error.get_or_insert_with(|| what.chars().take(400).collect());
    }

    fn merge(&mut self, other: Tally) {
        self.hist.merge(&other.hist);
        self.sent += other.sent;
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
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
    // Connections are opened before the clock starts: the scenario measures requests, not
    // handshakes.
    let mut clients = Vec::with_capacity(connections);
    for _ in 0..connections {
        clients.push(Client::connect(addr, key).await?);
    }
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
        let req = work.request(scenario, &mut rng, index, seq);
        seq += 1;
        let started = Instant::now();
        let outcome = client.send(&req).await;
        let elapsed = started.elapsed();
        tally.sent += 1;
        if started >= w.record_from {
            tally.hist.record(elapsed.as_micros() as u64);
        }
        match outcome {
            Ok((status, _)) if (200..300).contains(&status) => {}
            Ok((status, body)) => {
                tally.error(format!("{} {} -> {status}: {}", req.method, req.path, String::from_utf8_lossy(&body)))
            }
            Err(e) => {
                tally.error(format!("{} {}: {e}", req.method, req.path));
                match reconnect_until(&client, w.deadline).await {
                    Some(c) => client = c,
                    None => break,
                }
            }
        }
    }
    tally
}

/// Retries connecting until it works or the deadline passes.
async fn reconnect_until(client: &Client, deadline: Instant) -> Option<Client> {
    while Instant::now() < deadline {
        if let Ok(c) = client.reconnect().await {
            return Some(c);
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    None
}
