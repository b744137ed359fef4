//! `Idempotency-Key` (DESIGN §5): a retry with the same key and body gets the stored first
//! response byte for byte, a different body is refused, a concurrent duplicate is refused as in
//! flight, and keys are scoped per store and environment.

use crate::both;
use crate::helpers::{Resp, TestApp};
use paylink::domain::Environment;
use paylink::domain::access::Role;
use serde_json::{Value, json};
use std::sync::Arc;
use tokio::sync::Barrier;

const LINKS: &str = "/v1/payment_links";

/// POSTs `body` to `path` as `key` with an `Idempotency-Key`.
async fn post_with(app: &TestApp, api_key: &str, path: &str, idem: &str, body: &Value) -> Resp {
    let req =
        app.client.post(format!("{}{path}", app.base)).bearer_auth(api_key).header("Idempotency-Key", idem).json(body);
    app.send(req).await
}

fn replayed(r: &Resp) -> bool {
    r.headers.get("idempotent-replayed").is_some_and(|v| v == "true")
}

/// How many links `key` sees.
async fn link_count(app: &TestApp, key: &str) -> i64 {
    let r = app.get(key, "/v1/payment_links?page=1&page_size=100").await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["total"].as_i64().expect("total in page mode")
}

/// Asserts the seed 000 error shape and the code.
fn assert_error(r: &Resp, status: u16, code: &str) {
    assert_eq!((r.status, r.body["error_code"].as_str()), (status, Some(code)), "{}", r.text);
    let obj = r.body.as_object().expect("error body is an object");
    let mut keys: Vec<_> = obj.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["details", "error", "error_code"], "{}", r.text);
    assert!(r.body["error"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(r.body["details"].is_object());
}

both!(a_retry_with_the_same_key_and_body_replays_the_first_response_byte_for_byte, |app: Arc<TestApp>| async move {
    let body = json!({"amount": "299.99", "title": "Order #7", "reference_id": "IDEM-7", "metadata": {"a": 1}});
    let first = post_with(&app, &app.owner_key, LINKS, "retry-7", &body).await;
    assert_eq!(first.status, 201, "{}", first.text);
    assert!(!replayed(&first), "the original response is not a replay");

    // Later the link changes; the replay still answers with the stored first response.
    let id = first.body["id"].as_str().unwrap().to_owned();
    let cancel = app.post(&app.owner_key, &format!("/v1/payment_links/{id}/cancel"), json!({})).await;
    assert_eq!(cancel.status, 200);
    for _ in 0..3 {
        let again = post_with(&app, &app.owner_key, LINKS, "retry-7", &body).await;
        assert_eq!(again.status, 201);
        assert_eq!(again.text, first.text, "a replay is byte-identical");
        assert!(replayed(&again), "a replay carries idempotent-replayed: true");
        let ct = again.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
        assert!(ct.starts_with("application/json"), "content type {ct}");
    }
    assert_eq!(link_count(&app, &app.owner_key).await, 1, "the retries created nothing");

    // Idempotency also covers other writes: a replayed cancel does not answer 409.
    let link = app.create_link(&app.owner_key, json!({"amount": 5, "title": "t"})).await;
    let path = format!("/v1/payment_links/{}/cancel", link["id"].as_str().unwrap());
    let c1 = post_with(&app, &app.owner_key, &path, "cancel-1", &json!({})).await;
    let c2 = post_with(&app, &app.owner_key, &path, "cancel-1", &json!({})).await;
    assert_eq!((c1.status, c2.status), (200, 200), "{}", c2.text);
    assert_eq!(c1.text, c2.text);
    assert!(replayed(&c2));
});

both!(the_same_key_with_a_different_body_is_refused_with_422, |app: Arc<TestApp>| async move {
    let body = json!({"amount": "10.00", "title": "First"});
    let first = post_with(&app, &app.owner_key, LINKS, "reused", &body).await;
    assert_eq!(first.status, 201, "{}", first.text);
    let other = post_with(&app, &app.owner_key, LINKS, "reused", &json!({"amount": "10.00", "title": "Second"})).await;
    assert_error(&other, 422, "IDEMPOTENCY_KEY_REUSED");
    assert!(!replayed(&other));
    // The same body to another path is a different request too.
    let path = format!("/v1/payment_links/{}/cancel", first.body["id"].as_str().unwrap());
    let elsewhere = post_with(&app, &app.owner_key, &path, "reused", &body).await;
    assert_error(&elsewhere, 422, "IDEMPOTENCY_KEY_REUSED");
    // The refusals changed nothing: the original still replays and the link is still open.
    let again = post_with(&app, &app.owner_key, LINKS, "reused", &body).await;
    assert_eq!((again.status, again.text.as_str()), (201, first.text.as_str()));
    assert_eq!(link_count(&app, &app.owner_key).await, 1);
    let read = app.get(&app.owner_key, &format!("/v1/payment_links/{}", first.body["id"].as_str().unwrap())).await;
    assert_eq!(read.body["status"], "open");
});

both!(the_same_key_in_another_store_environment_or_merchant_is_independent, |app: Arc<TestApp>| async move {
    let body = json!({"amount": "42.00", "title": "Shared key"});
    let mine = post_with(&app, &app.owner_key, LINKS, "shared-key", &body).await;
    assert_eq!(mine.status, 201, "{}", mine.text);

    let second_store = app.second_store_key().await.1;
    let (_, live) = app.staff_in(Role::Owner, None, Environment::Production).await;
    let foreign = app.foreign_key().await;
    let mut ids = vec![mine.body["id"].as_str().unwrap().to_owned()];
    for (who, key) in [("another store", &second_store), ("production", &live), ("another merchant", &foreign)] {
        let r = post_with(&app, key, LINKS, "shared-key", &body).await;
        assert_eq!(r.status, 201, "{who}: {}", r.text);
        assert!(!replayed(&r), "{who}: not a replay of another scope's response");
        let id = r.body["id"].as_str().unwrap().to_owned();
        assert!(!ids.contains(&id), "{who}: a new link");
        ids.push(id);
        // Within its own scope the key now replays; a different body is refused there only.
        let again = post_with(&app, key, LINKS, "shared-key", &body).await;
        assert_eq!((again.status, replayed(&again)), (201, true), "{who}");
        assert_eq!(again.text, r.text, "{who}");
        let other = post_with(&app, key, LINKS, "shared-key", &json!({"amount": "1.00", "title": "x"})).await;
        assert_error(&other, 422, "IDEMPOTENCY_KEY_REUSED");
        assert_eq!(link_count(&app, key).await, 1, "{who}");
    }
    let again = post_with(&app, &app.owner_key, LINKS, "shared-key", &body).await;
    assert_eq!((again.status, again.text.as_str()), (201, mine.text.as_str()));
    assert_eq!(link_count(&app, &app.owner_key).await, 1);
});

both!(fifty_concurrent_identical_requests_with_one_key_create_exactly_one_link, |app: Arc<TestApp>| async move {
    let body = json!({"amount": "77.70", "title": "Concurrent retry", "customer": {"phone": "+966501234567"}});
    let barrier = Arc::new(Barrier::new(50));
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let (app, barrier, body) = (app.clone(), barrier.clone(), body.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                post_with(&app, &app.owner_key, LINKS, "burst-1", &body).await
            })
        })
        .collect();
    let mut responses = Vec::new();
    for t in tasks {
        responses.push(t.await.expect("request task"));
    }
    let created: Vec<&Resp> = responses.iter().filter(|r| r.status == 201).collect();
    for r in &responses {
        match r.status {
            201 => {}
            409 => assert_error(r, 409, "IDEMPOTENCY_IN_FLIGHT"),
            s => panic!("unexpected {s}: {}", r.text),
        }
    }
    assert!(!created.is_empty(), "at least the original succeeds");
    assert_eq!(created.iter().filter(|r| !replayed(r)).count(), 1, "exactly one original response");
    for r in &created {
        assert_eq!(r.text, created[0].text, "every 201 carries the same link");
    }
    assert_eq!(link_count(&app, &app.owner_key).await, 1, "exactly one link was created");

    // Once the original finished, every retry replays it.
    let late = post_with(&app, &app.owner_key, LINKS, "burst-1", &body).await;
    assert_eq!((late.status, replayed(&late)), (201, true));
    assert_eq!(late.text, created[0].text);
});

both!(a_request_refused_by_validation_replays_the_same_400, |app: Arc<TestApp>| async move {
    let body = json!({"amount": "1.001", "title": "Bad amount"});
    let first = post_with(&app, &app.owner_key, LINKS, "bad-1", &body).await;
    assert_error(&first, 400, "INVALID_AMOUNT");
    assert!(first.body["details"]["amount"].is_string());
    let again = post_with(&app, &app.owner_key, LINKS, "bad-1", &body).await;
    assert_eq!(again.status, 400);
    assert_eq!(again.text, first.text);
    assert!(replayed(&again));
    assert_eq!(link_count(&app, &app.owner_key).await, 0);
    // A corrected request needs a new key: the old one is bound to the refused body.
    let fixed = json!({"amount": "1.00", "title": "Bad amount"});
    assert_error(&post_with(&app, &app.owner_key, LINKS, "bad-1", &fixed).await, 422, "IDEMPOTENCY_KEY_REUSED");
    assert_eq!(post_with(&app, &app.owner_key, LINKS, "bad-2", &fixed).await.status, 201);
});

both!(an_idempotency_key_longer_than_255_characters_is_refused, |app: Arc<TestApp>| async move {
    let body = json!({"amount": "3.00", "title": "Key length"});
    let long = "k".repeat(256);
    let r = post_with(&app, &app.owner_key, LINKS, &long, &body).await;
    assert_error(&r, 400, "INVALID_REQUEST");
    assert!(r.body["details"]["Idempotency-Key"].is_string(), "names the header: {}", r.text);
    assert_eq!(link_count(&app, &app.owner_key).await, 0, "nothing was created");
    let empty = post_with(&app, &app.owner_key, LINKS, "", &body).await;
    assert_error(&empty, 400, "INVALID_REQUEST");
    let longest = "k".repeat(255);
    let ok = post_with(&app, &app.owner_key, LINKS, &longest, &body).await;
    assert_eq!(ok.status, 201, "255 characters are allowed: {}", ok.text);
    let again = post_with(&app, &app.owner_key, LINKS, &longest, &body).await;
    assert_eq!((again.status, replayed(&again), again.text.as_str()), (201, true, ok.text.as_str()));
});

/// Every stored idempotent response body of the store, as text.
async fn stored_bodies(app: &TestApp) -> String {
    let rows = app
        .ctx
        .db
        .read(|c| c.query("SELECT COALESCE(response_body, '') FROM idempotency_keys", &[]))
        .await
        .expect("read idempotency keys");
    rows.iter().map(|r| r.text(0).expect("body")).collect::<Vec<_>>().join("\n")
}

both!(a_replayed_response_never_carries_or_stores_a_secret_shown_once, |app: Arc<TestApp>| async move {
    let cases = [
        ("/v1/api_keys", json!({"name": "till", "role": "CASHIER", "branch": app.branch_id}), "/secret"),
        ("/v1/webhook_endpoints", json!({"url": "https://example.com/hooks"}), "/secret"),
        (
            "/birrlink/v1/webhooks",
            json!({"url": "https://example.com/b", "events": ["payment.completed"]}),
            "/data/secret",
        ),
    ];
    for (i, (path, body, pointer)) in cases.iter().enumerate() {
        let idem = format!("secret-{i}");
        let first = post_with(&app, &app.owner_key, path, &idem, body).await;
        assert_eq!(first.status, 201, "{path}: {}", first.text);
        let secret = first.body.pointer(pointer).and_then(Value::as_str).expect("secret shown on creation").to_owned();
        let again = post_with(&app, &app.owner_key, path, &idem, body).await;
        assert!(replayed(&again), "{path}: {:?}", again.headers);
        assert_eq!(again.status, 201);
        assert_eq!(again.body.pointer(pointer), Some(&Value::Null), "{path}: {}", again.text);
        assert!(!stored_bodies(&app).await.contains(&secret), "{path}: the secret was stored");
    }
});
