//! Bad requests under BirrLink's base paths answer in its envelope with the right status and
//! code, naming the field as BirrLink does; none is a 500. Keys of the wrong environment, other
//! stores' payments, unknown routes and wrong methods included.

use super::payments::{BASE, SEED_CREATE, assert_error, create, get, post_payment, send};
use crate::both;
use crate::helpers::TestApp;
use paylink::domain::Environment;
use paylink::domain::access::Role;
use serde_json::{Value, json};
use std::sync::Arc;

/// The seed's request with `field` (a dotted path) replaced, or removed for `Value::Null`.
fn with(field: &str, value: Value) -> Value {
    let mut body: Value = serde_json::from_str(SEED_CREATE).unwrap();
    body["payment_method"] = json!("card");
    let (parent, name) = match field.split_once('.') {
        Some((p, n)) => (&mut body[p], n),
        None => (&mut body, field),
    };
    match value {
        Value::Null => parent.as_object_mut().unwrap().remove(name),
        v => parent.as_object_mut().unwrap().insert(name.to_owned(), v),
    };
    body
}

both!(invalid_fields_are_400_validation_errors_naming_the_field, |app: Arc<TestApp>| async move {
    let past = app.ctx.clock.now().plus_secs(-60).to_rfc3339();
    let cases = [
        (with("amount", Value::Null), "amount", "Amount is required"),
        (with("amount", json!(0)), "amount", "Amount must be greater than 0"),
        (with("amount", json!(-1)), "amount", "Amount must be greater than 0"),
        (with("amount", json!("abc")), "amount", "Amount is not a decimal number"),
        (with("amount", json!(1.001)), "amount", ""),
        (with("amount", json!("100.001")), "amount", ""),
        (with("amount", json!(true)), "amount", ""),
        (with("amount", json!({"value": 5})), "amount", ""),
        (with("amount", json!(1e300)), "amount", ""),
        (with("currency", json!("XYZ")), "currency", "Currency is not a supported ISO 4217 currency"),
        (with("currency", json!(230)), "currency", "Currency must be a string"),
        (with("customer", json!("John")), "customer", "Customer must be an object"),
        (with("customer.email", json!("not-an-email")), "customer.email", ""),
        (with("customer.email", json!(5)), "customer.email", "Customer email must be a string"),
        (with("customer.phone", json!("0912345678")), "customer.phone", ""),
        (with("customer.name", json!(format!("{} Doe", "J".repeat(51)))), "customer.name", ""),
        (with("description", json!("d".repeat(501))), "description", ""),
        (with("description", json!(["a"])), "description", "Description must be a string"),
        (with("callback_url", json!("not a url")), "callback_url", ""),
        (with("callback_url", json!("javascript:alert(1)")), "callback_url", ""),
        (with("payment_method", json!("bitcoin")), "payment_method", ""),
        (with("payment_method", json!(1)), "payment_method", "Payment method must be a string"),
        (with("metadata", json!("order 12345")), "metadata", ""),
        (with("expires_at", json!("tomorrow")), "expires_at", ""),
        (with("expires_at", json!(past)), "expires_at", "Expires at must be in the future"),
    ];
    for (body, field, message) in cases {
        let r = post_payment(&app, &app.owner_key, &body).await;
        assert_error(&r, 400, "validation_error", Some(field));
        let got = r.body["error"]["message"].as_str().unwrap();
        if !message.is_empty() {
            assert_eq!(got, message, "{body}");
        }
        assert!(!got.contains("title") && !got.contains("first_name"), "our names stay inside: {got}");
    }
    // Several bad fields: each is listed, the message is the first one's.
    let r = post_payment(&app, &app.owner_key, &json!({"amount": 0, "customer": {"email": "x"}})).await;
    assert_error(&r, 400, "validation_error", Some("amount"));
    let fields: Vec<&str> =
        r.body["error"]["details"].as_array().unwrap().iter().map(|d| d["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["amount", "customer.email"]);
});

both!(bodies_that_are_not_json_objects_are_refused_in_the_envelope, |app: Arc<TestApp>| async move {
    let url = format!("{}{BASE}/payments", app.base);
    let post = |ct: &str, body: String| {
        app.client.post(&url).bearer_auth(&app.owner_key).header("content-type", ct).body(body)
    };
    assert_error(
        &app.send(post("application/json", "{\"amount\": 5,".into())).await,
        400,
        "validation_error",
        Some("body"),
    );
    assert_error(
        &app.send(post("application/json", "[5, \"ETB\"]".into())).await,
        400,
        "validation_error",
        Some("body"),
    );
    assert_error(&app.send(post("text/plain", "amount=5".into())).await, 415, "unsupported_media_type", None);
    let huge = json!({"amount": 5, "description": "x".repeat(70_000)}).to_string();
    assert_error(&app.send(post("application/json", huge.clone())).await, 413, "payload_too_large", None);
    // The same through the Idempotency-Key layer, which reads the body first.
    let keyed = post("application/json", huge).header("idempotency-key", "big-1");
    assert_error(&app.send(keyed).await, 413, "payload_too_large", None);
    let bad_key = post("application/json", SEED_CREATE.into()).header("idempotency-key", "x".repeat(300));
    assert_error(&app.send(bad_key).await, 400, "validation_error", Some("Idempotency-Key"));
});

both!(unknown_routes_and_wrong_methods_answer_in_the_envelope, |app: Arc<TestApp>| async move {
    let key = Some(app.owner_key.as_str());
    for path in [
        "/birrlink/v1",
        "/birrlink/v1/",
        "/birrlink/v1/charges",
        "/birrlink/v1/payments/x/y",
        "/birrlink/sandbox/v1/nope",
    ] {
        assert_error(&send(&app, "GET", path, key, None).await, 404, "resource_not_found", None);
        assert_error(&send(&app, "GET", path, None, None).await, 404, "resource_not_found", None);
    }
    for (method, path) in
        [("DELETE", "/payments"), ("PUT", "/payments/pay_01JD8X3V9Q2W5E7R9T1Y3U5I7O"), ("PATCH", "/payments")]
    {
        let r = send(&app, method, &format!("{BASE}{path}"), key, Some("{}")).await;
        assert_error(&r, 405, "method_not_allowed", None);
    }
    let doc = send(&app, "GET", "/birrlink/v1/openapi.json", None, None).await;
    assert_eq!(doc.status, 200);
    assert!(doc.body["paths"]["/payments"]["post"].is_object(), "{}", doc.text);
    assert!(doc.body["paths"]["/payments/{payment_id}"]["get"].is_object());
});

both!(another_stores_or_environments_payment_is_404, |app: Arc<TestApp>| async move {
    let ours = create(&app, &app.owner_key, json!({"amount": 10})).await["id"].as_str().unwrap().to_owned();
    let (_, other_store) = app.second_store_key().await;
    let theirs = create(&app, &other_store, json!({"amount": 10})).await["id"].as_str().unwrap().to_owned();
    let foreign = app.foreign_key().await;
    let (_, live) = app.staff_in(Role::Owner, None, Environment::Production).await;
    for (key, id) in [(&app.owner_key, &theirs), (&other_store, &ours), (&foreign, &ours), (&live, &ours)] {
        assert_error(&get(&app, key, &format!("/payments/{id}")).await, 404, "resource_not_found", None);
    }
    assert_eq!(get(&app, &other_store, "/payments").await.body["data"]["pagination"]["total"], 1);
});

both!(the_sandbox_path_takes_only_sandbox_keys_and_the_main_path_both, |app: Arc<TestApp>| async move {
    let (_, live) = app.staff_in(Role::Owner, None, Environment::Production).await;
    let sandbox_path = "/birrlink/sandbox/v1/payments";
    let r = send(&app, "POST", sandbox_path, Some(&live), Some(SEED_CREATE)).await;
    assert_error(&r, 401, "authentication_failed", None);
    assert_eq!(r.body["error"]["message"], "Invalid API key for the sandbox: this key belongs to production");
    assert_error(
        &send(&app, "GET", sandbox_path, Some("sk_test_nope"), None).await,
        401,
        "authentication_failed",
        None,
    );
    // A sandbox key on the sandbox path and on the main path: the same sandbox payments.
    let r = send(&app, "POST", sandbox_path, Some(&app.owner_key), Some(SEED_CREATE)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.body["data"]["id"].as_str().unwrap().to_owned();
    assert_eq!(get(&app, &app.owner_key, &format!("/payments/{id}")).await.status, 200);
    let r = send(&app, "GET", &format!("/birrlink/sandbox/v1/payments/{id}"), Some(&app.owner_key), None).await;
    assert_eq!(r.body["data"]["id"], id.as_str());
    // A live key on the main path works in production, where this store has no methods yet.
    let r = post_payment(&app, &live, &json!({"amount": 10, "currency": "ETB"})).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let r = post_payment(&app, &live, &json!({"amount": 10, "payment_method": "mobile_money"})).await;
    assert_error(&r, 422, "payment_method_unavailable", None);
    assert_eq!(get(&app, &live, "/payments").await.body["data"]["pagination"]["total"], 1);
});

both!(a_role_that_may_not_create_payments_is_403_permission_denied, |app: Arc<TestApp>| async move {
    let (_, accounting) = app.staff(Role::Accounting, None).await;
    assert_error(&post_payment(&app, &accounting, &json!({"amount": 10})).await, 403, "permission_denied", None);
    assert_eq!(get(&app, &accounting, "/payments").await.status, 200);
});
