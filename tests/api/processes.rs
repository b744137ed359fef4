//! Real processes: `paylink serve` killed with SIGKILL while events are produced and delivered
//! (nothing committed before a kill is lost), and several `paylink worker` processes on one
//! PostgreSQL database (no delivery sent twice at the same time, all delivered).

use crate::admin::Scratch;
use crate::helpers::postgres_url;
use crate::receiver::{Behaviour, Receiver};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Short leases so a killed process's deliveries are taken over quickly.
const FAST: &[(&str, &str)] = &[("PAYLINK_DELIVERY_LEASE_SECS", "3"), ("PAYLINK_DELIVERY_REQUEST_TIMEOUT_SECS", "2")];

/// A `paylink` process on the scratch database.
pub(crate) struct Proc(Child);

impl Proc {
    pub(crate) fn start(scratch: &Scratch, args: &[&str], port: u16, env: &[(&str, &str)]) -> Proc {
        let log = std::fs::OpenOptions::new().create(true).append(true).open(scratch.dir.join("serve.log")).unwrap();
        let mut cmd = scratch.command(args);
        cmd.env("PAYLINK_BOOTSTRAP", "true")
            .env("PAYLINK_LISTEN", format!("127.0.0.1:{port}"))
            .env("PAYLINK_PUBLIC_URL", format!("http://127.0.0.1:{port}"))
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .stdin(Stdio::null());
        for (k, v) in FAST.iter().chain(env) {
            cmd.env(k, v);
        }
        Proc(cmd.spawn().unwrap())
    }

    /// SIGKILL: no shutdown, no flush.
    fn kill(mut self) {
        self.0.kill().unwrap();
        self.0.wait().unwrap();
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) async fn wait_ready(base: &str) {
    let started = Instant::now();
    while !reqwest::get(format!("{base}/readyz")).await.is_ok_and(|r| r.status() == 200) {
        assert!(started.elapsed() < Duration::from_secs(30), "serve did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The sandbox key printed on first start.
pub(crate) fn printed_key(scratch: &Scratch) -> String {
    let text = std::fs::read_to_string(scratch.dir.join("serve.log")).unwrap();
    let at = text.find("sk_test_").expect("the first start prints a sandbox key");
    text[at..].split_whitespace().next().unwrap().to_owned()
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn post(client: &reqwest::Client, base: &str, key: &str, path: &str, body: Value) -> Option<Value> {
    let r = client.post(format!("{base}{path}")).bearer_auth(key).json(&body).send().await.ok()?;
    if r.status() != 201 {
        return None;
    }
    r.json().await.ok()
}

/// Link ids of `payment_link.created` events the receiver got.
fn received_links(rx: &Receiver) -> HashSet<String> {
    rx.all()
        .iter()
        .filter_map(|r| serde_json::from_slice::<Value>(&r.body).ok())
        .filter(|b| b["type"] == "payment_link.created")
        .map(|b| b["object_id"].as_str().unwrap().to_owned())
        .collect()
}

/// Creates links until `stop`, recording the ids the server confirmed (201: committed).
fn produce(
    base: String,
    key: String,
    committed: Arc<Mutex<Vec<String>>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let client = reqwest::Client::builder().timeout(Duration::from_secs(5)).build().unwrap();
        let mut i = 0;
        while !stop.load(std::sync::atomic::Ordering::Relaxed) {
            i += 1;
            let body = json!({"amount": "4.00", "title": format!("Crash {i}")});
            match post(&client, &base, &key, "/v1/payment_links", body).await {
                Some(link) => committed.lock().unwrap().push(link["id"].as_str().unwrap().to_owned()),
                None => tokio::time::sleep(Duration::from_millis(20)).await,
            }
        }
    })
}

async fn crash_and_recover(scratch: Scratch) {
    let rx = Receiver::start().await;
    rx.on("crash", Behaviour { delay: Duration::from_millis(2), ..Default::default() });
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut serve = Proc::start(&scratch, &["serve"], port, &[]);
    wait_ready(&base).await;
    let key = printed_key(&scratch);
    let client = reqwest::Client::new();
    post(&client, &base, &key, "/v1/webhook_endpoints", json!({"url": rx.url("crash")})).await.expect("endpoint");
    let committed = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let producers: Vec<_> =
        (0..4).map(|_| produce(base.clone(), key.clone(), committed.clone(), stop.clone())).collect();
    for round in 0..4 {
        tokio::time::sleep(Duration::from_millis(700 + 300 * round)).await;
        serve.kill();
        tokio::time::sleep(Duration::from_millis(100)).await;
        serve = Proc::start(&scratch, &["serve"], port, &[]);
        wait_ready(&base).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for p in producers {
        p.await.unwrap();
    }
    let committed: HashSet<String> = committed.lock().unwrap().iter().cloned().collect();
    assert!(committed.len() > 50, "only {} links were created", committed.len());
    let started = Instant::now();
    while !committed.is_subset(&received_links(&rx)) && started.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let missing = committed.difference(&received_links(&rx)).count();
    let (deliveries, unique) = (rx.all().len(), rx.all().iter().map(|r| r.id.clone()).collect::<HashSet<_>>().len());
    println!("{} links committed across 4 kills; {deliveries} deliveries of {unique} events received", committed.len());
    assert_eq!(missing, 0, "{missing} committed events were never delivered");
    drop(serve);
    scratch.cleanup();
}

/// One test per backend, named like the `both!` tests so CI's PostgreSQL pass runs it.
mod every_event_committed_before_a_sigkill_is_delivered_after_restart {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_sqlite() {
        crash_and_recover(Scratch::sqlite()).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        let Some(server) = postgres_url() else { return };
        crash_and_recover(Scratch::postgres(server)).await;
    }
}

/// Three workers start together on 600 due deliveries; the receiver answers slowly so that two
/// sends of one delivery would overlap.
mod three_worker_processes_on_one_postgresql_never_send_a_delivery_twice_at_once {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        let Some(server) = postgres_url() else { return };
        let scratch = Scratch::postgres(server);
        let rx = Receiver::start().await;
        rx.on("multi", Behaviour { delay: Duration::from_millis(5), ..Default::default() });
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let serve = Proc::start(&scratch, &["serve"], port, &[("PAYLINK_DELIVERY_ENABLED", "false")]);
        wait_ready(&base).await;
        let key = printed_key(&scratch);
        let client = reqwest::Client::new();
        post(&client, &base, &key, "/v1/webhook_endpoints", json!({"url": rx.url("multi")})).await.expect("endpoint");
        for i in 0..600 {
            post(&client, &base, &key, "/v1/payment_links", json!({"amount": "1.00", "title": format!("W{i}")}))
                .await
                .expect("link");
        }
        let small_batches = [("PAYLINK_DELIVERY_BATCH", "16"), ("PAYLINK_DELIVERY_CONCURRENCY", "16")];
        let workers: Vec<Proc> =
            (0..3).map(|_| Proc::start(&scratch, &["worker"], free_port(), &small_batches)).collect();
        let started = Instant::now();
        while received_links(&rx).len() < 600 && started.elapsed() < Duration::from_secs(60) {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let got = rx.all();
        let unique: HashSet<&str> = got.iter().map(|r| r.id.as_str()).collect();
        println!("{} deliveries of {} events by 3 workers, {} overlapping", got.len(), unique.len(), rx.overlaps());
        assert_eq!(unique.len(), 600, "all delivered");
        assert_eq!(rx.overlaps(), 0, "a delivery was being sent twice at the same time");
        assert_eq!(got.len(), 600, "each delivery sent once (no failures, so no retries)");
        drop((serve, workers));
        scratch.cleanup();
    }
}
