//! Webhook endpoints: registration, secrets shown once, rotation with both signatures, roles and
//! scope; deliveries visible on the event with every attempt; redeliver and replay.

use crate::both;
use crate::helpers::TestApp;
use crate::receiver::{Behaviour, Receiver};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use paylink::domain::Environment;
use paylink::domain::access::Role;
use serde_json::{Value, json};
use sha2::Sha256;
use std::sync::Arc;

/// Checks a `webhook-signature` header against a `whsec_` secret, independently of Paylink's
/// signing code: true if any of its signatures matches.
pub fn verifies(secret: &str, id: &str, timestamp: &str, body: &[u8], header: &str) -> bool {
    let key = STANDARD.decode(secret.strip_prefix("whsec_").unwrap()).unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    header.split(' ').any(|s| s == expected)
}

/// Registers an endpoint for `url` with `types` and returns (id, secret).
pub async fn register(app: &TestApp, url: &str, types: Value) -> (String, String) {
    let r = app.post(&app.owner_key, "/v1/webhook_endpoints", json!({"url": url, "event_types": types})).await;
    assert_eq!(r.status, 201, "{}", r.text);
    (r.body["id"].as_str().unwrap().to_owned(), r.body["secret"].as_str().unwrap().to_owned())
}

both!(an_endpoint_shows_its_secret_on_creation_only_and_can_be_changed_and_deleted, |app: Arc<TestApp>| async move {
    let r = app
        .post(
            &app.owner_key,
            "/v1/webhook_endpoints",
            json!({"url": "https://example.com/hooks", "description": "ERP"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.body["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("we_"));
    assert!(r.body["secret"].as_str().unwrap().starts_with("whsec_"));
    assert_eq!(r.body["event_types"], json!(["*"]));
    assert_eq!(r.body["status"], "enabled");
    let got = app.get(&app.owner_key, &format!("/v1/webhook_endpoints/{id}")).await;
    assert_eq!(got.status, 200);
    assert!(got.body.get("secret").is_none(), "the secret is shown once");
    let list = app.get(&app.owner_key, "/v1/webhook_endpoints").await;
    assert_eq!(list.body["data"].as_array().unwrap().len(), 1);
    let path = format!("/v1/webhook_endpoints/{id}");
    let patch = json!({"event_types": ["payment.succeeded"], "enabled": false, "description": null});
    let changed = app.call("PATCH", &path, Some(&app.owner_key), Some(patch)).await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(changed.body["event_types"], json!(["payment.succeeded"]));
    assert_eq!(changed.body["status"], "disabled");
    assert_eq!(changed.body["description"], Value::Null);
    assert_eq!(app.call("DELETE", &path, Some(&app.owner_key), None).await.status, 200);
    assert_eq!(app.get(&app.owner_key, &path).await.status, 404);
    assert_eq!(app.get(&app.owner_key, "/v1/webhook_endpoints").await.body["data"], json!([]));
});

both!(bad_endpoint_input_is_refused_with_the_field_named, |app: Arc<TestApp>| async move {
    for (body, field) in [
        (json!({}), "url"),
        (json!({"url": "ftp://example.com/x"}), "url"),
        (json!({"url": "not a url"}), "url"),
        (json!({"url": "https://example.com", "event_types": ["payment.exploded"]}), "event_types"),
        (json!({"url": "https://example.com", "description": "x".repeat(501)}), "description"),
        (json!({"url": "https://example.com", "colour": "red"}), "colour"),
    ] {
        let r = app.post(&app.owner_key, "/v1/webhook_endpoints", body.clone()).await;
        assert_eq!(r.status, 400, "{body}: {}", r.text);
        assert!(r.text.contains(field), "{body}: {}", r.text);
    }
});

both!(only_owners_and_admins_manage_endpoints_and_other_stores_see_none, |app: Arc<TestApp>| async move {
    let (id, _) = register(&app, "https://example.com/a", json!(["*"])).await;
    let (_, cashier) = app.staff_in(Role::Cashier, Some(&app.branch_id), Environment::Sandbox).await;
    let r = app.post(&cashier, "/v1/webhook_endpoints", json!({"url": "https://example.com/b"})).await;
    assert_eq!(r.status, 403);
    assert_eq!(app.get(&cashier, "/v1/webhook_endpoints").await.status, 403);
    let (_, other) = app.second_store_key().await;
    assert_eq!(app.get(&other, &format!("/v1/webhook_endpoints/{id}")).await.status, 404);
    let (_, live) = app.staff_in(Role::Owner, None, Environment::Production).await;
    assert_eq!(app.get(&live, &format!("/v1/webhook_endpoints/{id}")).await.status, 404, "environments are apart");
});

both!(an_event_reaches_subscribed_endpoints_signed_and_shows_its_attempts, |app: Arc<TestApp>| async move {
    let rx = Receiver::start().await;
    let (_, all_secret) = register(&app, &rx.url("all"), json!(["*"])).await;
    register(&app, &rx.url("paid-only"), json!(["payment_link.paid"])).await;
    let link = app.create_link(&app.owner_key, json!({"amount": "12.50", "title": "Invoice ١٢ – café"})).await;
    paylink::worker::run_pending(&app.ctx).await;
    let got = rx.at("all");
    assert_eq!(got.len(), 1);
    assert!(rx.at("paid-only").is_empty(), "not subscribed to payment_link.created");
    let r = &got[0];
    assert!(verifies(&all_secret, &r.id, &r.timestamp, &r.body, &r.signature));
    let body: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(body["type"], "payment_link.created");
    assert_eq!(body["id"], r.id.as_str());
    assert_eq!(body["data"]["object"]["id"], link["id"]);
    assert_eq!(body["sequence"], 1);
    let event = app.get(&app.owner_key, &format!("/v1/events/{}", r.id)).await;
    let deliveries = event.body["deliveries"].as_array().unwrap();
    assert_eq!(deliveries.len(), 1, "{}", event.text);
    assert_eq!(deliveries[0]["status"], "delivered");
    assert_eq!(deliveries[0]["attempts"][0]["status_code"], 200);
    assert_eq!(deliveries[0]["attempts"][0]["response_excerpt"], "answer 1");
    rx.on("all", Behaviour { status: Some(200), ..Default::default() });
});

both!(a_rotated_secret_signs_next_to_the_old_one_during_the_grace_period, |app: Arc<TestApp>| async move {
    let rx = Receiver::start().await;
    let (id, old) = register(&app, &rx.url("r"), json!(["*"])).await;
    let r = app
        .post(&app.owner_key, &format!("/v1/webhook_endpoints/{id}/rotate_secret"), json!({"grace_period_secs": 3600}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let new = r.body["secret"].as_str().unwrap().to_owned();
    assert_ne!(new, old);
    app.create_link(&app.owner_key, json!({"amount": "1.00", "title": "During"})).await;
    paylink::worker::run_pending(&app.ctx).await;
    let during = rx.at("r").pop().unwrap();
    assert!(verifies(&old, &during.id, &during.timestamp, &during.body, &during.signature));
    assert!(verifies(&new, &during.id, &during.timestamp, &during.body, &during.signature));
    app.ctx.clock.advance_secs(3601);
    app.create_link(&app.owner_key, json!({"amount": "1.00", "title": "After"})).await;
    paylink::worker::run_pending(&app.ctx).await;
    let after = rx.at("r").pop().unwrap();
    assert!(!verifies(&old, &after.id, &after.timestamp, &after.body, &after.signature));
    assert!(verifies(&new, &after.id, &after.timestamp, &after.body, &after.signature));
});

both!(a_link_callback_is_signed_with_the_store_callback_secret, |app: Arc<TestApp>| async move {
    let rx = Receiver::start().await;
    let secret = app.get(&app.owner_key, "/v1/store/callback_secret").await.body["secret"].as_str().unwrap().to_owned();
    let link =
        app.create_link(&app.owner_key, json!({"amount": "3.00", "title": "Cb", "callback_url": rx.url("cb")})).await;
    paylink::worker::run_pending(&app.ctx).await;
    let got = rx.at("cb");
    assert_eq!(got.len(), 1);
    assert!(verifies(&secret, &got[0].id, &got[0].timestamp, &got[0].body, &got[0].signature));
    let cancel = format!("/v1/payment_links/{}/cancel", link["id"].as_str().unwrap());
    assert_eq!(app.post(&app.owner_key, &cancel, json!({})).await.status, 200);
    let rotated = app.post(&app.owner_key, "/v1/store/callback_secret/rotate", json!({"grace_period_secs": 0})).await;
    let fresh = rotated.body["secret"].as_str().unwrap();
    paylink::worker::run_pending(&app.ctx).await;
    let got = rx.at("cb");
    assert_eq!(got.len(), 2, "the cancellation is called back too");
    assert!(verifies(fresh, &got[1].id, &got[1].timestamp, &got[1].body, &got[1].signature));
    assert!(!verifies(&secret, &got[1].id, &got[1].timestamp, &got[1].body, &got[1].signature));
});

both!(redeliver_and_replay_send_events_again_with_the_same_id, |app: Arc<TestApp>| async move {
    let rx = Receiver::start().await;
    let start = app.ctx.clock.now().to_rfc3339();
    for i in 0..3 {
        app.create_link(&app.owner_key, json!({"amount": "2.00", "title": format!("Before {i}")})).await;
    }
    paylink::worker::run_pending(&app.ctx).await;
    let (id, _) = register(&app, &rx.url("late"), json!(["payment_link.created"])).await;
    let end = app.ctx.clock.now().plus_secs(1).to_rfc3339();
    let r = app
        .post(&app.owner_key, &format!("/v1/webhook_endpoints/{id}/replay"), json!({"from": start, "to": end}))
        .await;
    assert_eq!((r.status, r.body["scheduled"].as_i64()), (202, Some(3)), "{}", r.text);
    paylink::worker::run_pending(&app.ctx).await;
    let first = rx.at("late");
    assert_eq!(first.len(), 3);
    let again = app.post(&app.owner_key, &format!("/v1/events/{}/redeliver", first[0].id), json!({})).await;
    assert_eq!((again.status, again.body["scheduled"].as_i64()), (202, Some(1)), "{}", again.text);
    paylink::worker::run_pending(&app.ctx).await;
    let all = rx.at("late");
    assert_eq!(all.len(), 4);
    assert_eq!(all[3].id, first[0].id, "the event id is stable");
    let event = app.get(&app.owner_key, &format!("/v1/events/{}", first[0].id)).await;
    assert_eq!(event.body["deliveries"][0]["attempt_count"], 2);
    let bad = app
        .post(&app.owner_key, &format!("/v1/webhook_endpoints/{id}/replay"), json!({"from": end, "to": start}))
        .await;
    assert_eq!(bad.status, 400);
});
