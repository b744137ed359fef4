//! BirrLink's per-key rate limit (NOTES §4: 1,000 requests a minute per sandbox key, 5,000 per
//! production key), here set low: the request after the limit is the seed's 429 with
//! `Retry-After` and the RateLimit headers, another key is unaffected, the next minute serves
//! again, and of many simultaneous requests exactly the limit get through, on both databases.

use super::payments::{BASE, get, post_payment, send};
use crate::concurrency::race;
use crate::helpers::{Backend, Resp, TestApp};
use paylink::domain::access::Role;
use serde_json::json;
use std::future::Future;
use std::sync::Arc;

/// Runs one async test body on SQLite and PostgreSQL with a sandbox limit of `limit` a minute.
macro_rules! with_limit {
    ($name:ident, $limit:expr, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                run(Backend::Sqlite, $limit, $body).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                run(Backend::Postgres, $limit, $body).await;
            }
        }
    };
}

async fn run<F, Fut>(backend: Backend, limit: &str, body: F)
where
    F: FnOnce(Arc<TestApp>) -> Fut,
    Fut: Future<Output = ()>,
{
    let settings = [("PAYLINK_AUTH_SANDBOX_REQUESTS_PER_MINUTE", limit)];
    let Some(app) = TestApp::spawn_with(backend, &settings).await else { return };
    let app = Arc::new(app);
    // Windows are clock minutes: start just after one begins, so the test stays inside it.
    let into_minute = app.ctx.clock.now().micros().div_euclid(1_000_000).rem_euclid(60);
    app.ctx.clock.advance_secs(61 - into_minute);
    body(app.clone()).await;
    if let Ok(app) = Arc::try_unwrap(app) {
        app.cleanup().await;
    }
}

fn header(r: &Resp, name: &str) -> i64 {
    r.headers.get(name).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok()).unwrap_or(-1)
}

with_limit!(the_request_after_the_limit_is_the_seeds_429_until_the_next_minute, "5", |app: Arc<TestApp>| async move {
    let (_, other) = app.staff(Role::Admin, None).await;
    for i in 0..5 {
        assert_eq!(get(&app, &app.owner_key, "/payments").await.status, 200, "request {i}");
    }
    let r = get(&app, &app.owner_key, "/payments").await;
    let seed = json!({"status": "error", "error": {"code": "rate_limit_exceeded",
        "message": "Rate limit exceeded. Try again later."}});
    assert_eq!((r.status, &r.body), (429, &seed), "{}", r.text);
    assert!((1..=60).contains(&header(&r, "retry-after")), "{:?}", r.headers);
    assert_eq!((header(&r, "ratelimit-limit"), header(&r, "ratelimit-remaining")), (5, 0));
    // Writes too, and whatever the path: the allowance is the key's.
    let post = post_payment(&app, &app.owner_key, &json!({"amount": 5})).await;
    assert_eq!(post.status, 429, "{}", post.text);
    let sandbox = send(&app, "GET", "/birrlink/sandbox/v1/payments", Some(&app.owner_key), None).await;
    assert_eq!(sandbox.status, 429);
    assert_eq!(get(&app, &other, "/payments").await.status, 200, "another key has its own allowance");
    app.ctx.clock.advance_secs(header(&r, "retry-after"));
    assert_eq!(get(&app, &app.owner_key, "/payments").await.status, 200, "a new minute");
});

with_limit!(
    of_twenty_simultaneous_requests_exactly_the_limit_of_ten_get_through,
    "10",
    |app: Arc<TestApp>| async move {
        let key = Arc::new(app.owner_key.clone());
        let responses = race(&app, 20, |app, _| {
            let key = key.clone();
            async move {
                let url = format!("{}{BASE}/payments", app.base);
                app.send(app.client.get(url).bearer_auth(key.as_str())).await
            }
        })
        .await;
        let ok = responses.iter().filter(|r| r.status == 200).count();
        let limited = responses.iter().filter(|r| r.status == 429).count();
        assert_eq!((ok, limited), (10, 10), "{:?}", responses.iter().map(|r| r.status).collect::<Vec<_>>());
        for r in responses.iter().filter(|r| r.status == 429) {
            assert_eq!(r.body["error"]["code"], "rate_limit_exceeded");
            assert!((1..=60).contains(&header(r, "retry-after")));
        }
    }
);

with_limit!(every_other_api_answers_the_spent_allowance_in_its_own_shape, "1", |app: Arc<TestApp>| async move {
    let key = app.owner_key.clone();
    assert_eq!(app.get(&key, "/v1/payment_links").await.status, 200, "the one request of the minute");
    let native = app.get(&key, "/v1/payment_links").await;
    assert_eq!((native.status, native.body["error_code"].as_str()), (429, Some("RATE_LIMITED")), "{}", native.text);
    let store = app.store_id.as_str();
    let amwal = app
        .send(app.client.post(format!("{}/amwal/payment_links/{store}/", app.base)).header("Authorization", &key))
        .await;
    assert_eq!((amwal.status, amwal.body["error_code"].as_str()), (429, Some("RATE_LIMITED")), "{}", amwal.text);
    let refund_url = format!("{}/amwal/transactions/refund/00000000-0000-0000-0000-000000000000/", app.base);
    let drf = app.send(app.client.post(refund_url).header("Authorization", &key).json(&json!({}))).await;
    assert_eq!(drf.status, 429, "{}", drf.text);
    assert!(drf.body["detail"].as_str().is_some_and(|d| !d.is_empty()), "DRF's shape: {}", drf.text);
    let exchange_url = format!("{}/exchange/projects/{store}/invoices", app.base);
    let exchange = app.send(app.client.put(exchange_url).bearer_auth(&key).json(&json!({"amount": 5}))).await;
    assert_eq!((exchange.status, exchange.body["err"].as_i64()), (429, Some(6)), "{}", exchange.text);
    let paymob_url = format!("{}/paymob/api/ecommerce/payment-links", app.base);
    let paymob =
        app.send(app.client.post(paymob_url).header("Authorization", format!("Token {key}")).json(&json!({}))).await;
    assert_eq!(paymob.status, 429, "{}", paymob.text);
    assert!(paymob.body["detail"].as_str().is_some_and(|d| d.starts_with("Request was throttled")), "{}", paymob.text);
    for r in [&native, &amwal, &drf, &exchange, &paymob] {
        assert!((1..=60).contains(&header(r, "retry-after")), "{:?}", r.headers);
        assert_eq!(header(r, "ratelimit-limit"), 1, "{:?}", r.headers);
    }
});
