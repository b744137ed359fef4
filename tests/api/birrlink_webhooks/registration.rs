//! `POST/GET/DELETE /birrlink/v1/webhooks`: the seed request, the secret shown once, the
//! native view of a BirrLink endpoint, and bad registrations in BirrLink's envelope.

use super::*;
use crate::both;
use crate::helpers::TestApp;
use serde_json::json;
use std::sync::Arc;

both!(the_seed_webhook_shows_its_secret_once_lists_without_it_and_deletes, |app: Arc<TestApp>| async move {
    let r = send(&app, "POST", "/webhooks", &app.owner_key, Some(SEED_WEBHOOK)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["status"], "success");
    let d = &r.body["data"];
    let id = d["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("we_") && id.len() == 29, "{id}");
    assert_eq!(d["url"], "https://yourwebsite.com/webhooks/birrlink");
    assert_eq!(d["events"], json!(["payment.completed", "payment.failed"]));
    assert_eq!(
        (d["description"].as_str(), d["status"].as_str()),
        (Some("Webhook for payment notifications"), Some("enabled"))
    );
    assert!(d["secret"].as_str().is_some_and(|s| s.starts_with("whsec_") && s.len() > 40), "{d}");
    assert!(d["created_at"].as_str().is_some_and(|t| t.ends_with('Z') && t.len() == 20), "{d}");
    let listed = send(&app, "GET", "/webhooks", &app.owner_key, None).await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    let hooks = listed.body["data"]["webhooks"].as_array().unwrap();
    assert_eq!(hooks.len(), 1);
    assert!(hooks[0].get("secret").is_none() && !listed.text.contains("whsec_"), "{}", listed.text);
    assert_eq!((hooks[0]["id"].as_str(), &hooks[0]["events"]), (Some(id.as_str()), &d["events"]));
    // The native API shows it too: the Paylink types it stands for, and its dialect.
    let native = app.get(&app.owner_key, &format!("/v1/webhook_endpoints/{id}")).await;
    assert_eq!(native.body["event_types"], json!(["payment.succeeded", "payment.failed"]), "{}", native.text);
    assert_eq!(native.body["dialect"], "birrlink");
    // Changed there, it keeps to events BirrLink has names for, and reads back in BirrLink's.
    let path = format!("/v1/webhook_endpoints/{id}");
    for bad in [json!(["*"]), json!(["payment_link.paid"])] {
        let r = app.call("PATCH", &path, Some(&app.owner_key), Some(json!({"event_types": bad}))).await;
        assert_eq!((r.status, r.body["details"]["event_types"].is_string()), (400, true), "{bad}: {}", r.text);
    }
    let types = json!({"event_types": ["refund.succeeded", "payment.succeeded"]});
    let r = app.call("PATCH", &path, Some(&app.owner_key), Some(types)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let listed = send(&app, "GET", "/webhooks", &app.owner_key, None).await;
    assert_eq!(listed.body["data"]["webhooks"][0]["events"], json!(["payment.completed", "refund.completed"]));
    // A native endpoint is not BirrLink's to list or delete.
    let other = app.post(&app.owner_key, "/v1/webhook_endpoints", json!({"url": "https://example.com/hook"})).await;
    let other_id = other.body["id"].as_str().unwrap();
    let r = send(&app, "DELETE", &format!("/webhooks/{other_id}"), &app.owner_key, None).await;
    assert_eq!((r.status, r.body["error"]["code"].as_str()), (404, Some("resource_not_found")), "{}", r.text);
    assert_eq!(
        send(&app, "GET", "/webhooks", &app.owner_key, None).await.body["data"]["webhooks"].as_array().unwrap().len(),
        1
    );
    let r = send(&app, "DELETE", &format!("/webhooks/{id}"), &app.owner_key, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body, json!({"status": "success", "data": {"id": id, "deleted": true}}));
    assert!(
        send(&app, "GET", "/webhooks", &app.owner_key, None).await.body["data"]["webhooks"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let again = send(&app, "DELETE", &format!("/webhooks/{id}"), &app.owner_key, None).await;
    assert_eq!((again.status, again.body["error"]["code"].as_str()), (404, Some("resource_not_found")));
});

both!(bad_registrations_answer_in_birrlinks_envelope_naming_the_field, |app: Arc<TestApp>| async move {
    let cases = [
        (r#"{"url": "https://a.example/h", "events": ["payment.exploded"]}"#, "events"),
        (r#"{"url": "https://a.example/h", "events": ["*"]}"#, "events"),
        (r#"{"url": "https://a.example/h", "events": []}"#, "events"),
        (r#"{"url": "https://a.example/h"}"#, "events"),
        (r#"{"url": "https://a.example/h", "events": "payment.completed"}"#, "events"),
        (r#"{"events": ["payment.completed"]}"#, "url"),
        (r#"{"url": "ftp://a.example/h", "events": ["payment.completed"]}"#, "url"),
    ];
    for (body, field) in cases {
        let r = send(&app, "POST", "/webhooks", &app.owner_key, Some(body)).await;
        assert_eq!((r.status, r.body["status"].as_str()), (400, Some("error")), "{body}: {}", r.text);
        assert_eq!(r.body["error"]["code"], "validation_error", "{body}");
        assert_eq!(r.body["error"]["details"][0]["field"], field, "{body}: {}", r.text);
    }
    let unknown = send(&app, "POST", "/webhooks", &app.owner_key, Some(cases[0].0)).await;
    assert!(unknown.body["error"]["message"].as_str().unwrap().contains("payment.exploded"), "{}", unknown.text);
    let (_, cashier) = app.staff(paylink::domain::access::Role::Cashier, Some("MAIN-001")).await;
    let r = send(&app, "POST", "/webhooks", &cashier, Some(SEED_WEBHOOK)).await;
    assert_eq!((r.status, r.body["error"]["code"].as_str()), (403, Some("permission_denied")), "{}", r.text);
    let r = send(&app, "GET", "/webhooks", "sk_test_nope", None).await;
    assert_eq!((r.status, r.body["error"]["code"].as_str()), (401, Some("authentication_failed")), "{}", r.text);
});
