//! BirrLink webhooks: registration (`POST/GET/DELETE /birrlink/v1/webhooks`), the event envelope
//! of NOTES §4 field by field, `BirrLink-Signature` verified by a stdlib Python script written
//! the way BirrLink's documented sample verifies (never by our code), subscriptions, BirrLink's
//! retry policy (3 attempts: at once, +1 min, +10 min), and the per-payment `callback_url`
//! signed with the store's callback secret.

mod envelope;
mod registration;
mod retries;

use crate::helpers::{Resp, TestApp};
use crate::receiver::Received;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

const BASE: &str = "/birrlink/v1";

/// Seed 003's webhook request, byte for byte.
const SEED_WEBHOOK: &str = r#"{
"url": "https://yourwebsite.com/webhooks/birrlink",
"events": ["payment.completed", "payment.failed"],
"description": "Webhook for payment notifications"
}"#;

const DECLINED: &str = "4000000000000002";
const SUCCEEDS: &str = "4242424242424242";

/// Sends raw JSON text (or nothing) to a BirrLink route as `key`.
async fn send(app: &TestApp, method: &str, path: &str, key: &str, body: Option<&str>) -> Resp {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = app.client.request(method, format!("{}{BASE}{path}", app.base)).bearer_auth(key);
    if let Some(b) = body {
        req = req.header("content-type", "application/json").body(b.to_owned());
    }
    app.send(req).await
}

/// Registers an endpoint for `events` at `url`; its `data` (with the secret).
async fn register(app: &TestApp, url: &str, events: Value) -> Value {
    let body = json!({"url": url, "events": events, "description": "test"}).to_string();
    let r = send(app, "POST", "/webhooks", &app.owner_key, Some(&body)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body["data"].clone()
}

/// Creates a BirrLink payment payable by card; its `pay_…` id.
async fn payment(app: &TestApp, extra: Value) -> String {
    let mut body = json!({"amount": 100.00, "currency": "ETB", "description": "Payment for order #12345",
        "customer": {"email": "customer@example.com", "name": "John Doe"}, "payment_method": "card",
        "metadata": {"order_id": "12345"}});
    body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    let r = send(app, "POST", "/payments", &app.owner_key, Some(&body.to_string())).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body["data"]["id"].as_str().unwrap().to_owned()
}

/// The Paylink link of a BirrLink payment.
fn plink(pay_id: &str) -> String {
    format!("plink_{}", pay_id.strip_prefix("pay_").unwrap())
}

/// `GET /birrlink/v1/payments/{id}`'s `data`.
async fn shown(app: &TestApp, pay_id: &str) -> Value {
    let r = send(app, "GET", &format!("/payments/{pay_id}"), &app.owner_key, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["data"].clone()
}

fn header(r: &Received, name: &str) -> String {
    r.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

fn event(r: &Received) -> Value {
    serde_json::from_slice(&r.body).unwrap()
}

/// Runs `tests/support/verify_birrlink.py` over captured webhooks at the receiver's time `now`;
/// how many verified, or its complaint.
fn verify_in_python(secret: &str, now: i64, captured: &[(String, String, Vec<u8>)]) -> Result<usize, String> {
    let python = std::env::var("PAYLINK_TEST_PYTHON").ok().filter(|p| !p.is_empty()).unwrap_or("python3".into());
    let lines: Vec<String> = captured
        .iter()
        .map(|(sig, ts, body)| {
            json!({"signature": sig, "timestamp": ts, "body_b64": STANDARD.encode(body)}).to_string()
        })
        .collect();
    let file = std::env::temp_dir().join(format!("paylink-birrlink-{}.jsonl", paylink::service::secrets::base62(10)));
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/verify_birrlink.py");
    let out = std::process::Command::new(python).args([script, secret, &now.to_string()]).arg(&file).output();
    let _ = std::fs::remove_file(&file);
    let out = out.expect("a Python 3 interpreter (python3 or PAYLINK_TEST_PYTHON)");
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().parse().unwrap())
}

fn captured(got: &[Received]) -> Vec<(String, String, Vec<u8>)> {
    got.iter().map(|r| (header(r, "birrlink-signature"), header(r, "birrlink-timestamp"), r.body.to_vec())).collect()
}

fn now_secs(app: &TestApp) -> i64 {
    app.ctx.clock.now().micros() / 1_000_000
}

/// The deliveries of the event `event_id`, as `GET /v1/events/{id}` shows them.
async fn deliveries(app: &TestApp, event_id: &str) -> Vec<Value> {
    let r = app.get(&app.owner_key, &format!("/v1/events/{event_id}")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["deliveries"].as_array().unwrap().clone()
}
