//! Payment links through `/v1/payment_links`.

use crate::both;
use crate::helpers::TestApp;
use serde_json::json;
use std::sync::Arc;

both!(a_created_link_can_be_read_back_with_its_hosted_and_short_urls, |app: Arc<TestApp>| async move {
    let link = app.create_link(&app.owner_key, json!({"amount": "299.99", "title": "Order #1"})).await;
    assert_eq!(link["amount"], "299.99");
    assert_eq!(link["amount_minor"], 29999);
    assert_eq!(link["currency"], "SAR");
    assert_eq!(link["status"], "open");
    let id = link["id"].as_str().unwrap();
    assert_eq!(link["url"], format!("{}/pay/{id}", app.base));
    assert!(link["short_url"].as_str().unwrap().starts_with(&format!("{}/l/", app.base)));
    let read = app.get(&app.owner_key, &format!("/v1/payment_links/{id}")).await;
    assert_eq!(read.status, 200);
    assert_eq!(read.body, link);
});

both!(cancelling_twice_answers_409_the_second_time, |app: Arc<TestApp>| async move {
    let link = app.create_link(&app.owner_key, json!({"amount": 10, "title": "t"})).await;
    let path = format!("/v1/payment_links/{}/cancel", link["id"].as_str().unwrap());
    let first = app.post(&app.owner_key, &path, json!({})).await;
    assert_eq!((first.status, first.body["status"].as_str()), (200, Some("cancelled")));
    let second = app.post(&app.owner_key, &path, json!({})).await;
    assert_eq!((second.status, second.body["error_code"].as_str()), (409, Some("LINK_NOT_OPEN")));
});

both!(a_link_past_its_expiry_reads_as_expired_and_cannot_be_changed, |app: Arc<TestApp>| async move {
    let expires = paylink::domain::Timestamp::from_micros(app.ctx.clock.now().micros() + 60_000_000).to_rfc3339();
    let link = app.create_link(&app.owner_key, json!({"amount": 10, "title": "t", "expires_at": expires})).await;
    let path = format!("/v1/payment_links/{}", link["id"].as_str().unwrap());
    app.ctx.clock.advance_secs(61);
    assert_eq!(app.get(&app.owner_key, &path).await.body["status"], "expired");
    let patch = app.call("PATCH", &path, Some(&app.owner_key), Some(json!({"title": "new"}))).await;
    assert_eq!((patch.status, patch.body["error_code"].as_str()), (409, Some("LINK_NOT_OPEN")));
});
