//! Actions whose body is optional (approve, reject, redeliver, rotate_secret, the callback secret's
//! rotate) take no body at all, as `curl -X POST` sends them; a body they do get is JSON, parsed
//! strictly. Actions without a body (cancel, revoke, disable) answer the same way, and `notify`,
//! whose `channel` is required, says so in a 400 rather than asking for a content type.

use crate::both;
use crate::helpers::{Resp, TestApp};
use crate::refunds::paid;
use paylink::domain::access::Role;
use serde_json::json;
use std::sync::Arc;

/// POSTs `body` (none: no body and no `Content-Type`) with an optional content type.
async fn post_raw(app: &TestApp, key: &str, path: &str, content_type: Option<&str>, body: &str) -> Resp {
    let mut req = app.client.post(format!("{}{path}", app.base)).bearer_auth(key);
    if let Some(ct) = content_type {
        req = req.header("Content-Type", ct);
    }
    if !body.is_empty() {
        req = req.body(body.to_owned());
    }
    app.send(req).await
}

/// Two pending refunds of one payment, asked for by the owner: (first, second).
async fn two_refunds(app: &TestApp) -> (String, String) {
    let payment = paid(app, &app.owner_key, "40.00", "4242424242424242").await;
    let mut ids = Vec::new();
    for _ in 0..2 {
        let r = app.post(&app.owner_key, "/v1/refunds", json!({"payment_id": payment, "amount": "10.00"})).await;
        assert_eq!((r.status, r.body["status"].as_str()), (201, Some("pending_approval")), "{}", r.text);
        ids.push(r.body["id"].as_str().unwrap().to_owned());
    }
    (ids.remove(0), ids.remove(0))
}

/// The ids an action path needs: (event, webhook endpoint).
async fn event_and_endpoint(app: &TestApp) -> (String, String) {
    let endpoint = json!({"url": "https://erp.example.com/hook", "event_types": ["*"]});
    let we = app.post(&app.owner_key, "/v1/webhook_endpoints", endpoint).await;
    assert_eq!(we.status, 201, "{}", we.text);
    let events = app.get(&app.owner_key, "/v1/events?limit=1").await;
    let event = events.body["data"][0]["id"].as_str().expect("an event").to_owned();
    (event, we.body["id"].as_str().unwrap().to_owned())
}

both!(actions_whose_body_is_optional_take_no_body_and_parse_one_strictly, |app: Arc<TestApp>| async move {
    let (approve_me, reject_me) = two_refunds(&app).await;
    let (_, books) = app.staff(Role::Accounting, None).await;
    let (event, endpoint) = event_and_endpoint(&app).await;
    let optional = [
        (books.clone(), format!("/v1/refunds/{approve_me}/approve")),
        (books.clone(), format!("/v1/refunds/{reject_me}/reject")),
        (app.owner_key.clone(), format!("/v1/events/{event}/redeliver")),
        (app.owner_key.clone(), format!("/v1/webhook_endpoints/{endpoint}/rotate_secret")),
        (app.owner_key.clone(), "/v1/store/callback_secret/rotate".to_owned()),
    ];
    for (key, path) in &optional {
        let r = post_raw(&app, key, path, Some("text/plain"), "{}").await;
        assert_eq!(
            (r.status, r.body["error_code"].as_str()),
            (415, Some("UNSUPPORTED_MEDIA_TYPE")),
            "{path}: {}",
            r.text
        );
        let r = post_raw(&app, key, path, None, "{\"colour\": 1}").await;
        assert_eq!(r.status, 415, "a body without a content type is refused, not ignored: {path}: {}", r.text);
        let r = post_raw(&app, key, path, Some("application/json"), "{\"colour\": 1}").await;
        assert_eq!((r.status, r.body["error_code"].as_str()), (400, Some("UNKNOWN_FIELD")), "{path}: {}", r.text);
        assert!(r.body["details"]["colour"].is_string(), "{path}: {}", r.text);
        let r = post_raw(&app, key, path, Some("application/json"), "{,}").await;
        assert_eq!((r.status, r.body["error_code"].as_str()), (400, Some("MALFORMED_JSON")), "{path}: {}", r.text);
    }
    let expected = [(200, "succeeded"), (200, "rejected")];
    for ((key, path), (status, word)) in optional[..2].iter().zip(expected) {
        let r = post_raw(&app, key, path, None, "").await;
        assert_eq!((r.status, r.body["status"].as_str()), (status, Some(word)), "{path} without a body: {}", r.text);
    }
    for (key, path) in &optional[2..] {
        let r = post_raw(&app, key, path, None, "").await;
        assert!(r.status == 200 || r.status == 202, "{path} without a body: {}", r.text);
        let r = post_raw(&app, key, path, Some("application/json"), "  ").await;
        assert!(r.status == 200 || r.status == 202, "{path}, empty but typed: {}", r.text);
        let r = post_raw(&app, key, path, Some("application/json"), "null").await;
        assert!(r.status == 200 || r.status == 202, "{path}, null as documented: {}", r.text);
    }
});

both!(a_note_sent_with_an_approval_is_kept, |app: Arc<TestApp>| async move {
    let (refund, _) = two_refunds(&app).await;
    let (_, books) = app.staff(Role::Accounting, None).await;
    let path = format!("/v1/refunds/{refund}/approve");
    let r = post_raw(&app, &books, &path, Some("application/json"), r#"{"note": "checked"}"#).await;
    assert_eq!((r.status, r.body["status"].as_str()), (200, Some("succeeded")), "{}", r.text);
    let read = app.get(&app.owner_key, &format!("/v1/refunds/{refund}")).await;
    assert_eq!(read.body["decision_note"], "checked", "{}", read.text);
});

both!(actions_without_a_body_and_notify_answer_a_bare_post, |app: Arc<TestApp>| async move {
    let link = app.create_link(&app.owner_key, json!({"amount": "5.00", "title": "Bare"})).await;
    let link = link["id"].as_str().unwrap();
    let r = post_raw(&app, &app.owner_key, &format!("/v1/payment_links/{link}/notify"), None, "").await;
    assert_eq!((r.status, r.body["error_code"].as_str()), (400, Some("INVALID_REQUEST")), "{}", r.text);
    assert_eq!(r.body["details"]["channel"], "is required", "{}", r.text);
    let branch = app.branch("BARE-1").await;
    let (user, _) = app.staff(Role::Cashier, Some(&branch)).await;
    let key = app.post(&app.owner_key, "/v1/api_keys", json!({"role": "OPERATION", "name": "bare"})).await;
    let key = key.body["id"].as_str().expect("a key").to_owned();
    for path in [
        format!("/v1/payment_links/{link}/cancel"),
        format!("/v1/api_keys/{key}/revoke"),
        format!("/v1/users/{user}/disable"),
        format!("/v1/branches/{branch}/disable"),
    ] {
        let r = post_raw(&app, &app.owner_key, &path, None, "").await;
        assert_eq!(r.status, 200, "{path} without a body: {}", r.text);
    }
});
