//! The retry policy with an injected clock: receivers that fail k times, answer 410, 301, 429
//! with `Retry-After`, or hang; the webhook id stays the same on every attempt while the
//! timestamp and signature are fresh; after the last attempt the delivery is `failed`.

use crate::helpers::TestApp;
use crate::receiver::{Behaviour, Receiver};
use crate::webhooks::{register, verifies};
use crate::with_settings;
use serde_json::{Value, json};
use std::time::Duration;

/// No jitter (exact times) and a short request timeout (the hanging receiver).
const SETTINGS: &[(&str, &str)] =
    &[("PAYLINK_DELIVERY_JITTER_PERCENT", "0"), ("PAYLINK_DELIVERY_REQUEST_TIMEOUT_SECS", "1")];

async fn delivery_of(app: &TestApp, event_id: &str) -> Value {
    let e = app.get(&app.owner_key, &format!("/v1/events/{event_id}")).await;
    e.body["deliveries"][0].clone()
}

/// Seconds between consecutive attempts of a delivery, from its record, to the nearest second
/// (real time also passes, a few milliseconds, between the test's clock moves).
fn gaps(d: &Value) -> Vec<i64> {
    let rfc3339 = &time::format_description::well_known::Rfc3339;
    let times: Vec<i128> = d["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            time::OffsetDateTime::parse(a["attempted_at"].as_str().unwrap(), rfc3339).unwrap().unix_timestamp_nanos()
        })
        .collect();
    times.windows(2).map(|w| ((w[1] - w[0]) as f64 / 1e9).round() as i64).collect()
}

/// Creates a link (one `payment_link.created` event to every endpoint) and runs the workers.
async fn one_event(app: &TestApp) {
    app.create_link(&app.owner_key, json!({"amount": "9.00", "title": "Retry me"})).await;
    paylink::worker::run_pending(&app.ctx).await;
}

/// Moves the shared clock on by `secs` and runs the workers.
async fn after(app: &TestApp, secs: i64) {
    app.ctx.clock.advance_secs(secs);
    paylink::worker::run_pending(&app.ctx).await;
}

async fn fails_three_times_then_succeeds(app: &TestApp) {
    let rx = Receiver::start().await;
    rx.on("flaky", Behaviour { fail_times: 3, ..Default::default() });
    let (_, secret) = register(app, &rx.url("flaky"), json!(["*"])).await;
    one_event(app).await;
    after(app, 4).await;
    assert_eq!(rx.at("flaky").len(), 1, "not before the 5 s delay");
    for wait in [1, 300, 1800] {
        after(app, wait).await;
    }
    let got = rx.at("flaky");
    assert_eq!(got.len(), 4);
    assert!(got.iter().all(|r| r.id == got[0].id), "one webhook id on every attempt");
    assert!(got.windows(2).all(|w| w[0].timestamp != w[1].timestamp && w[0].signature != w[1].signature));
    assert!(got.iter().all(|r| verifies(&secret, &r.id, &r.timestamp, &r.body, &r.signature)));
    let d = delivery_of(app, &got[0].id).await;
    assert_eq!(d["status"], "delivered");
    assert_eq!(gaps(&d), [5, 300, 1800]);
    let codes: Vec<i64> =
        d["attempts"].as_array().unwrap().iter().map(|a| a["status_code"].as_i64().unwrap()).collect();
    assert_eq!(codes, [500, 500, 500, 200]);
}

async fn gone_disables_the_endpoint(app: &TestApp) {
    let rx = Receiver::start().await;
    rx.on("gone", Behaviour { status: Some(410), ..Default::default() });
    let (id, _) = register(app, &rx.url("gone"), json!(["*"])).await;
    one_event(app).await;
    let endpoint = app.get(&app.owner_key, &format!("/v1/webhook_endpoints/{id}")).await;
    assert_eq!(endpoint.body["status"], "disabled");
    let d = delivery_of(app, &rx.at("gone")[0].id).await;
    assert_eq!((d["status"].as_str(), d["attempt_count"].as_i64()), (Some("failed"), Some(1)));
    one_event(app).await;
    after(app, 86_400).await;
    assert_eq!(rx.at("gone").len(), 1, "a disabled endpoint receives nothing more");
}

async fn redirects_are_failures_and_never_followed(app: &TestApp) {
    let rx = Receiver::start().await;
    rx.on("moved", Behaviour { redirect_to: Some("elsewhere".into()), ..Default::default() });
    register(app, &rx.url("moved"), json!(["*"])).await;
    one_event(app).await;
    after(app, 5).await;
    assert!(rx.at("elsewhere").is_empty(), "the redirect is not followed");
    let d = delivery_of(app, &rx.at("moved")[0].id).await;
    assert_eq!((d["status"].as_str(), d["last_status_code"].as_i64()), (Some("pending"), Some(301)));
    assert_eq!(d["attempt_count"], 2);
}

async fn retry_after_postpones_the_next_attempt(app: &TestApp) {
    let rx = Receiver::start().await;
    rx.on("busy", Behaviour { fail_times: 0, status: Some(429), retry_after: Some(120), ..Default::default() });
    register(app, &rx.url("busy"), json!(["*"])).await;
    one_event(app).await;
    after(app, 60).await;
    assert_eq!(rx.at("busy").len(), 1, "not before Retry-After, though the schedule says 5 s");
    after(app, 60).await;
    assert_eq!(rx.at("busy").len(), 2);
    assert_eq!(gaps(&delivery_of(app, &rx.at("busy")[0].id).await), [120]);
}

async fn a_hanging_receiver_times_out_and_is_retried(app: &TestApp) {
    let rx = Receiver::start().await;
    rx.on("hang", Behaviour { hang: true, ..Default::default() });
    register(app, &rx.url("hang"), json!(["*"])).await;
    let started = std::time::Instant::now();
    one_event(app).await;
    assert!(started.elapsed() < Duration::from_secs(5), "the 1 s timeout ends the attempt");
    let d = delivery_of(app, &rx.at("hang")[0].id).await;
    assert_eq!(d["status"], "pending");
    assert!(d["attempts"][0]["error"].as_str().unwrap().starts_with("timeout"), "{d}");
}

async fn the_last_failed_attempt_fails_the_delivery(app: &TestApp) {
    let rx = Receiver::start().await;
    rx.on("down", Behaviour { status: Some(503), ..Default::default() });
    register(app, &rx.url("down"), json!(["*"])).await;
    one_event(app).await;
    for wait in [5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400, 86400] {
        after(app, wait).await;
    }
    let got = rx.at("down");
    assert_eq!(got.len(), 10, "ten attempts, then no more");
    let d = delivery_of(app, &got[0].id).await;
    assert_eq!((d["status"].as_str(), d["next_attempt_at"].as_str()), (Some("failed"), None));
    assert_eq!(gaps(&d), [5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400]);
}

// One server per scenario (endpoints of one scenario must not see another's events).
with_settings!(fails_three_times_then_succeeds, super::SETTINGS);
with_settings!(gone_disables_the_endpoint, super::SETTINGS);
with_settings!(redirects_are_failures_and_never_followed, super::SETTINGS);
with_settings!(retry_after_postpones_the_next_attempt, super::SETTINGS);
with_settings!(a_hanging_receiver_times_out_and_is_retried, super::SETTINGS);
with_settings!(the_last_failed_attempt_fails_the_delivery, super::SETTINGS);
