//! `/metrics`, read back with an independent parser (the Prometheus project's Python client,
//! `prometheus_client.openmetrics.parser`): counters move by exactly what happened (links, a
//! payment each way, a refund, a message, sign-ins, a webhook), routes are labelled by their
//! template, histogram buckets are fixed and cumulative, the outbox gauges show the backlog, the
//! main listener asks for the token, and the metrics listener serves without one.

use crate::admin::Scratch;
use crate::dashboard::client::Staff;
use crate::helpers::{Backend, TestApp};
use crate::receiver::Receiver;
use crate::sandbox::{card, pay_with};
use crate::webhooks::register;
use crate::{both, with_settings};
use paylink::domain::access::Role;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const TOKEN: &str = "metrics-token-for-the-tests-7f3a9c";

/// A parsed scrape: every sample as `name{k="v",…}` (labels sorted) → value, and each family's type.
struct Scrape {
    samples: BTreeMap<String, f64>,
    types: BTreeMap<String, String>,
}

impl Scrape {
    /// A sample's value; 0 when absent (a counter not yet incremented has no series).
    fn get(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        self.samples.get(&key(name, labels)).copied().unwrap_or(0.0)
    }

    fn has(&self, name: &str, labels: &[(&str, &str)]) -> bool {
        self.samples.contains_key(&key(name, labels))
    }

    /// The samples named `name` (any labels).
    fn named(&self, name: &str) -> Vec<(&String, f64)> {
        let prefix = format!("{name}{{");
        self.samples.iter().filter(|(k, _)| k.starts_with(&prefix) || *k == name).map(|(k, v)| (k, *v)).collect()
    }
}

fn key(name: &str, labels: &[(&str, &str)]) -> String {
    let mut sorted: Vec<_> = labels.to_vec();
    sorted.sort();
    let inner: Vec<String> = sorted.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect();
    format!("{name}{{{}}}", inner.join(","))
}

const PARSER: &str = r#"
import json, sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
out = []
for f in text_string_to_metric_families(sys.stdin.read()):
    out.append({"name": f.name, "type": f.type,
                "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in f.samples]})
print(json.dumps(out))
"#;

/// Parses a scrape with the Python parser; `None` when no interpreter is configured.
fn parse(text: &str) -> Option<Scrape> {
    let python = crate::python::python()?;
    let mut child = Command::new(python)
        .args(["-c", PARSER])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run python");
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "the parser refused the scrape: {}\n{text}", String::from_utf8_lossy(&out.stderr));
    let families: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let (mut samples, mut types) = (BTreeMap::new(), BTreeMap::new());
    for f in families {
        types.insert(f["name"].as_str().unwrap().to_owned(), f["type"].as_str().unwrap().to_owned());
        for s in f["samples"].as_array().unwrap() {
            let labels: Vec<(&str, &str)> =
                s["labels"].as_object().unwrap().iter().map(|(k, v)| (k.as_str(), v.as_str().unwrap())).collect();
            samples.insert(key(s["name"].as_str().unwrap(), &labels), s["value"].as_f64().unwrap());
        }
    }
    Some(Scrape { samples, types })
}

/// GET `url` with an optional bearer token: status, content type and body.
async fn fetch(url: &str, token: Option<&str>) -> (u16, String, String) {
    let mut req = reqwest::Client::new().get(url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r = req.send().await.unwrap();
    let (status, kind) = (r.status().as_u16(), r.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()));
    (status, kind.unwrap_or_default(), r.text().await.unwrap())
}

/// Scrapes the main listener with the token and parses.
async fn scrape(app: &TestApp) -> Option<Scrape> {
    let (status, kind, text) = fetch(&format!("{}/metrics", app.base), Some(TOKEN)).await;
    assert_eq!(status, 200, "{text}");
    assert!(kind.starts_with("application/openmetrics-text"), "{kind}");
    parse(&text)
}

/// Every change a test makes, measured as the difference of two scrapes.
fn delta(a: &Scrape, b: &Scrape, name: &str, labels: &[(&str, &str)]) -> f64 {
    b.get(name, labels) - a.get(name, labels)
}

/// Each scenario on a server with the metrics token configured.
const WITH_TOKEN: &[(&str, &str)] = &[("PAYLINK_METRICS_TOKEN", TOKEN)];

with_settings!(counters_move_by_exactly_what_happened, super::WITH_TOKEN);
with_settings!(routes_are_templates_and_latency_buckets_are_fixed_and_cumulative, super::WITH_TOKEN);
with_settings!(the_outbox_gauges_show_the_backlog_and_how_long_it_has_waited, super::WITH_TOKEN);

async fn counters_move_by_exactly_what_happened(app: &TestApp) {
    let Some(before) = scrape(app).await else { return };
    let rx = Receiver::start().await;
    register(app, &rx.url("paid"), json!(["payment.succeeded"])).await;
    let links: Vec<String> = new_links(app, 3).await;
    let paid = pay_with(app, &links[0], "card", card("4242424242424242")).await.unwrap();
    assert_eq!(paid.status.as_str(), "succeeded");
    let declined = pay_with(app, &links[1], "card", card("4000000000000002")).await.unwrap();
    assert_eq!(declined.status.as_str(), "failed");
    let body = json!({"payment_id": paid.id.as_str(), "amount": "5.00", "reason": "returned"});
    let refund = app.post(&app.owner_key, "/v1/refunds", body).await;
    assert_eq!((refund.status, refund.body["status"].as_str()), (201, Some("pending_approval")), "{}", refund.text);
    let (_, admin) = app.staff(Role::Admin, None).await;
    let approve = format!("/v1/refunds/{}/approve", refund.body["id"].as_str().unwrap());
    let approved = app.post(&admin, &approve, json!({})).await;
    assert_eq!((approved.status, approved.body["status"].as_str()), (200, Some("succeeded")), "{}", approved.text);
    let notify = format!("/v1/payment_links/{}/notify", links[2]);
    let sent = app.post(&app.owner_key, &notify, json!({"channel": "email", "to": "billing@example.org"})).await;
    assert_eq!(sent.status, 202, "{}", sent.text);
    paylink::worker::run_pending(&app.ctx).await;
    assert_eq!(rx.at("paid").len(), 1, "one webhook delivered");
    let staff = Staff::signed_in(app, Role::Admin, None).await;
    Staff::anonymous(app).sign_in(&staff.email, "not the password at all").await;
    let after = scrape(app).await.unwrap();
    let d = |name: &str, labels: &[(&str, &str)]| delta(&before, &after, name, labels);
    assert_eq!(d("paylink_links_created_total", &[]), 3.0);
    assert_eq!(d("paylink_payments_total", &[("method", "card"), ("outcome", "succeeded")]), 1.0);
    assert_eq!(d("paylink_payments_total", &[("method", "card"), ("outcome", "failed")]), 1.0);
    // Requested, approved by another, then executed at the sandbox: one refund, three statuses.
    assert_eq!(d("paylink_refunds_total", &[("status", "pending_approval")]), 1.0);
    assert_eq!(d("paylink_refunds_total", &[("status", "approved")]), 1.0);
    assert_eq!(d("paylink_refunds_total", &[("status", "succeeded")]), 1.0);
    assert_eq!(d("paylink_messages_total", &[("channel", "email"), ("outcome", "sent")]), 1.0);
    assert_eq!(d("paylink_messages_total", &[("channel", "sms"), ("outcome", "sent")]), 0.0);
    assert_eq!(d("paylink_dashboard_logins_total", &[("outcome", "success")]), 1.0);
    assert_eq!(d("paylink_dashboard_logins_total", &[("outcome", "failure")]), 1.0);
    assert_eq!(d("paylink_delivery_attempts_total", &[("kind", "webhook"), ("outcome", "delivered")]), 1.0);
    assert_eq!(d("paylink_delivery_receiver_seconds_count", &[("kind", "webhook")]), 1.0);
    let created = [("method", "POST"), ("route", "/v1/payment_links"), ("status", "2xx")];
    assert_eq!(d("paylink_http_requests_total", &created), 3.0);
    assert_eq!(after.types["paylink_payments"], "counter");
    storage_and_process(app, &after);
}

/// `n` links created through the API; their ids.
async fn new_links(app: &TestApp, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..n {
        let link = app.create_link(&app.owner_key, json!({"amount": "20.00", "title": format!("Metered {i}")})).await;
        ids.push(link["id"].as_str().unwrap().to_owned());
    }
    ids
}

/// The storage and process figures are there: the pool, SQLite's batches, `/proc/self`.
fn storage_and_process(app: &TestApp, s: &Scrape) {
    let (pool, size) = match app.backend {
        Backend::Sqlite => ("sqlite_read", 2.0),
        Backend::Postgres => ("postgres", 8.0),
    };
    assert_eq!(s.get("paylink_db_pool_connections", &[("pool", pool)]), size);
    assert!(s.has("paylink_db_pool_connections_in_use", &[("pool", pool)]));
    assert!(s.has("paylink_db_pool_waits_total", &[]));
    let batches = s.get("paylink_sqlite_write_batch_size_count", &[]);
    match app.backend {
        Backend::Sqlite => assert!(batches >= 1.0 && s.get("paylink_sqlite_commit_seconds_count", &[]) >= 1.0),
        Backend::Postgres => assert_eq!(batches, 0.0, "PostgreSQL has no writer thread"),
    }
    if cfg!(target_os = "linux") {
        assert!(s.get("paylink_process_resident_memory_bytes", &[]) > 1e6);
        assert!(s.get("paylink_process_open_files", &[]) >= 3.0);
    }
}

async fn routes_are_templates_and_latency_buckets_are_fixed_and_cumulative(app: &TestApp) {
    let Some(before) = scrape(app).await else { return };
    let link = app.create_link(&app.owner_key, json!({"amount": "9.00", "title": "Templated"})).await;
    let id = link["id"].as_str().unwrap();
    for _ in 0..2 {
        assert_eq!(app.get(&app.owner_key, &format!("/v1/payment_links/{id}")).await.status, 200);
    }
    assert_eq!(app.get(&app.owner_key, "/v1/payment_links/plink_nonesuch").await.status / 100, 4);
    assert_eq!(app.get(&app.owner_key, &format!("/no/such/route/{id}")).await.status, 404);
    let after = scrape(app).await.unwrap();
    let one = |status| [("method", "GET"), ("route", "/v1/payment_links/{id}"), ("status", status)];
    assert_eq!(delta(&before, &after, "paylink_http_requests_total", &one("2xx")), 2.0);
    assert_eq!(delta(&before, &after, "paylink_http_requests_total", &one("4xx")), 1.0);
    let unmatched = [("method", "GET"), ("route", "unmatched"), ("status", "4xx")];
    assert_eq!(delta(&before, &after, "paylink_http_requests_total", &unmatched), 1.0);
    let leaked: Vec<_> = after.samples.keys().filter(|k| k.contains(id) || k.contains("nonesuch")).collect();
    assert!(leaked.is_empty(), "raw paths in labels: {leaked:?}");
    assert_eq!(after.types["paylink_http_request_duration_seconds"], "histogram");
    let route = [("method", "GET"), ("route", "/v1/payment_links/{id}")];
    let buckets = buckets_of(&after, "paylink_http_request_duration_seconds", &route);
    let bounds: Vec<&str> = buckets.iter().map(|(le, _)| le.as_str()).collect();
    let fixed = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "30.0", "+Inf"];
    assert_eq!(bounds, fixed, "the fixed buckets");
    assert!(buckets.windows(2).all(|w| w[0].1 <= w[1].1), "cumulative: {buckets:?}");
    let count = after.get("paylink_http_request_duration_seconds_count", &route);
    assert_eq!((buckets.last().unwrap().1, count), (count, 3.0), "+Inf holds every request");
}

/// The buckets of one histogram series, `(le, count)` in increasing bound order.
fn buckets_of(s: &Scrape, name: &str, labels: &[(&str, &str)]) -> Vec<(String, f64)> {
    let mut found: Vec<(f64, String, f64)> = Vec::new();
    for (k, v) in s.named(&format!("{name}_bucket")) {
        let le = k.split("le=\"").nth(1).and_then(|r| r.split('"').next()).unwrap().to_owned();
        let mut with_le: Vec<(&str, &str)> = labels.to_vec();
        with_le.push(("le", &le));
        if *k == key(&format!("{name}_bucket"), &with_le) {
            let bound = if le == "+Inf" { f64::INFINITY } else { le.parse().unwrap() };
            found.push((bound, le.clone(), v));
        }
    }
    found.sort_by(|a, b| a.0.total_cmp(&b.0));
    found.into_iter().map(|(_, le, v)| (le, v)).collect()
}

async fn the_outbox_gauges_show_the_backlog_and_how_long_it_has_waited(app: &TestApp) {
    let Some(empty) = scrape(app).await else { return };
    for kind in ["webhook", "callback", "dialect_callback", "sms", "email"] {
        assert_eq!(empty.get("paylink_outbox_pending", &[("kind", kind)]), 0.0, "{kind}");
        assert_eq!(empty.get("paylink_outbox_oldest_due_age_seconds", &[("kind", kind)]), 0.0, "{kind}");
    }
    let rx = Receiver::start().await;
    register(app, &rx.url("all"), json!(["*"])).await;
    let body = json!({"amount": "30.00", "title": "Backlog", "callback_url": rx.url("cb"), "customer": {"phone": "+966501234567"}, "send_sms": true});
    let r = app.post(&app.owner_key, "/v1/payment_links", body).await;
    assert_eq!(r.status, 201, "{}", r.text);
    app.ctx.clock.advance_secs(90);
    let waiting = scrape(app).await.unwrap();
    for kind in ["webhook", "callback", "sms"] {
        assert_eq!(waiting.get("paylink_outbox_pending", &[("kind", kind)]), 1.0, "{kind}");
        let age = waiting.get("paylink_outbox_oldest_due_age_seconds", &[("kind", kind)]);
        assert!((90.0..120.0).contains(&age), "{kind} waited {age} s");
    }
    paylink::worker::run_pending(&app.ctx).await;
    let drained = scrape(app).await.unwrap();
    for kind in ["webhook", "callback", "sms"] {
        assert_eq!(drained.get("paylink_outbox_pending", &[("kind", kind)]), 0.0, "{kind}");
    }
    assert_eq!(drained.get("paylink_delivery_attempts_total", &[("kind", "callback"), ("outcome", "delivered")]), 1.0);
}

both!(the_main_listener_asks_for_the_token_and_the_metrics_listener_does_not, |app: Arc<TestApp>| async move {
    // No token configured: /metrics is no route of the public listener.
    let (status, _, text) = fetch(&format!("{}/metrics", app.base), None).await;
    assert_eq!(status, 404, "{text}");
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap()["error_code"], "ROUTE_NOT_FOUND");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    paylink::metrics::scrape::spawn(listener, app.ctx.clone());
    let (status, kind, text) = fetch(&format!("{base}/metrics"), None).await;
    assert_eq!(status, 200, "{text}");
    assert!(kind.starts_with("application/openmetrics-text"), "{kind}");
    if let Some(s) = parse(&text) {
        assert!(s.has("paylink_outbox_pending", &[("kind", "webhook")]));
    }
    assert_eq!(fetch(&format!("{base}/v1/payment_links"), None).await.0, 404, "only /metrics there");
    let Some(guarded) = TestApp::spawn_with(app.backend, &[("PAYLINK_METRICS_TOKEN", TOKEN)]).await else { return };
    let url = format!("{}/metrics", guarded.base);
    for token in [None, Some("wrong"), Some(&TOKEN[..TOKEN.len() - 1])] {
        let (status, _, text) = fetch(&url, token).await;
        assert_eq!(status, 401, "{token:?}: {text}");
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap()["error_code"], "UNAUTHENTICATED", "{text}");
    }
    assert_eq!(fetch(&url, Some(TOKEN)).await.0, 200);
    guarded.cleanup().await;
});

/// `paylink worker` serves its metrics on `metrics.listen`; `paylink serve` refuses to start when
/// that address is taken, naming the setting.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_serves_metrics_and_a_taken_metrics_address_stops_serve() {
    let scratch = Scratch::sqlite();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut worker = scratch
        .command(&["worker"])
        .env("PAYLINK_METRICS_LISTEN", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}/metrics");
    let started = Instant::now();
    let text = loop {
        if let Ok(r) = reqwest::get(&url).await {
            break r.text().await.unwrap();
        }
        assert!(started.elapsed() < Duration::from_secs(30), "the worker's metrics listener did not answer");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    if let Some(s) = parse(&text) {
        assert!(s.has("paylink_outbox_pending", &[("kind", "sms")]), "{text}");
    }
    // The worker holds the port: a server told to use it too must not start.
    let out = scratch
        .command(&["serve"])
        .env("PAYLINK_METRICS_LISTEN", format!("127.0.0.1:{port}"))
        .env("PAYLINK_LISTEN", "127.0.0.1:0")
        .output()
        .unwrap();
    let _ = worker.kill();
    let _ = worker.wait();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "serve started on a taken metrics address");
    assert!(stderr.contains("metrics.listen") && stderr.contains(&port.to_string()), "{stderr}");
}
