//! Bad requests under `/exchange` answer in the dialect's envelope with the right status and
//! `err`, naming the field; none is a 500.

use super::{assert_envelope, create_invoice, invoices_path, put_to, read_invoice, seed_example};
use crate::both;
use crate::helpers::TestApp;
use serde_json::{Value, json};
use std::sync::Arc;

/// The seed example with `field` replaced (or removed, for `Value::Null`).
fn with(field: &str, value: Value) -> Value {
    let mut body = seed_example();
    match value {
        Value::Null => body.as_object_mut().unwrap().remove(field),
        v => body.as_object_mut().unwrap().insert(field.to_owned(), v),
    };
    body
}

both!(invalid_fields_are_400_with_err_1_naming_the_field, |app: Arc<TestApp>| async move {
    let cases = [
        (with("header", Value::Null), "header"),
        (with("header", json!("   ")), "header"),
        (with("header", json!("x".repeat(201))), "header"),
        (with("header", json!(5)), "header"),
        (with("amount", Value::Null), "amount"),
        (with("amount", json!(0)), "amount"),
        (with("amount", json!(-1)), "amount"),
        (with("amount", json!("abc")), "amount"),
        (with("amount", json!(1.001)), "amount"),
        (with("amount", json!("1.001")), "amount"),
        (with("amount", json!(true)), "amount"),
        (with("amount", json!({"value": 5})), "amount"),
        (with("amount", json!(1e300)), "amount"),
        (with("description", json!("d".repeat(501))), "description"),
        (with("description", json!(["a"])), "description"),
        (with("successUrl", json!("not a url")), "successUrl"),
        (with("cancelUrl", json!("javascript:alert(1)")), "cancelUrl"),
    ];
    let r = put_to(&app, &invoices_path(&app), Some(&app.owner_key), json!({"amount": 0, "successUrl": "x"})).await;
    assert_envelope(&r, 400, 1, Some("header"));
    let message = r.body["message"].as_str().unwrap();
    assert!(message.contains("amount") && message.contains("header") && message.contains("successUrl"), "{message}");
    assert!(!message.contains("title") && !message.contains("success_url"), "our names stay inside: {message}");
    for (body, field) in cases {
        let r = put_to(&app, &invoices_path(&app), Some(&app.owner_key), body.clone()).await;
        assert_envelope(&r, 400, 1, Some(field));
        assert!(r.body["message"].as_str().unwrap().contains(field), "{body}: {}", r.text);
    }
});

both!(bodies_that_are_not_json_objects_are_refused_in_the_envelope, |app: Arc<TestApp>| async move {
    let url = format!("{}{}", app.base, invoices_path(&app));
    let send = |ct: &str, body: &str| {
        app.client.put(&url).bearer_auth(&app.owner_key).header("content-type", ct).body(body.to_owned())
    };
    assert_envelope(&app.send(send("application/json", "{\"amount\": 5,")).await, 400, 1, Some("body"));
    assert_envelope(&app.send(send("application/json", "[5, \"x\"]")).await, 400, 1, Some("body"));
    assert_envelope(&app.send(send("text/plain", "amount=5&header=x")).await, 415, 1, None);
    let huge = json!({"amount": 5, "header": "x".repeat(70_000)}).to_string();
    assert_envelope(&app.send(send("application/json", &huge)).await, 413, 1, None);
});

both!(keys_that_are_missing_or_wrong_are_401_with_err_2, |app: Arc<TestApp>| async move {
    let path = invoices_path(&app);
    for key in [None, Some("sk_test_nope"), Some("not-a-key"), Some("")] {
        let r = put_to(&app, &path, key, seed_example()).await;
        assert_envelope(&r, 401, 2, None);
        assert_eq!(r.headers["www-authenticate"], "Bearer");
    }
    let raw =
        app.client.put(format!("{}{path}", app.base)).header("authorization", &app.owner_key).json(&seed_example());
    assert_envelope(&app.send(raw).await, 401, 2, None);
});

both!(another_stores_project_is_404_with_err_3, |app: Arc<TestApp>| async move {
    let (other_store, other_key) = app.second_store_key().await;
    let theirs = format!("/exchange/projects/{other_store}/invoices");
    assert_envelope(&put_to(&app, &theirs, Some(&app.owner_key), seed_example()).await, 404, 3, None);
    assert_envelope(&put_to(&app, &invoices_path(&app), Some(&other_key), seed_example()).await, 404, 3, None);
    assert_envelope(
        &put_to(&app, "/exchange/projects/nope/invoices", Some(&app.owner_key), seed_example()).await,
        404,
        3,
        None,
    );
    // An invoice of ours read through the other store's project (with its key) is not found.
    let ours = create_invoice(&app, seed_example()).await;
    let r = app.get(&other_key, &format!("{theirs}/{}", ours["invoiceId"].as_str().unwrap())).await;
    assert_envelope(&r, 404, 3, None);
});

both!(unknown_invoices_and_routes_under_exchange_are_404_in_the_envelope, |app: Arc<TestApp>| async move {
    for id in ["ffffffffffffffffffffffff", "65448DDEF4924A5DD1B241A9", "nope", "plink_01JD3ZK9QW8X7Y6V5T4S3R2Q1P"] {
        assert_envelope(&read_invoice(&app, id).await, 404, 3, None);
    }
    for path in ["/exchange", "/exchange/", "/exchange/nope", "/exchange/projects", "/exchange/v1/invoices"] {
        let r = app.get(&app.owner_key, path).await;
        assert!(r.text.contains("\"err\":3"), "{path}: {}", r.text);
        assert_envelope(&r, 404, 3, None);
    }
    let r = app.post(&app.owner_key, &invoices_path(&app), seed_example()).await;
    assert_envelope(&r, 405, 1, None);
});

both!(an_idempotency_key_replays_the_first_answer_and_its_misuse_is_enveloped, |app: Arc<TestApp>| async move {
    let url = format!("{}{}", app.base, invoices_path(&app));
    let send =
        |body: Value| app.client.put(&url).bearer_auth(&app.owner_key).header("idempotency-key", "k-1").json(&body);
    let first = app.send(send(seed_example())).await;
    let again = app.send(send(seed_example())).await;
    assert_eq!((first.status, again.status), (200, 200), "{}", again.text);
    assert_eq!(first.text, again.text, "the same invoice, secret included");
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_envelope(&app.send(send(with("amount", json!(6)))).await, 422, 1, None);
    // A refused request is replayed as it was answered, in the envelope.
    let refused = || app.client.put(&url).bearer_auth(&app.owner_key).header("idempotency-key", "k-2");
    let first = app.send(refused().json(&with("amount", json!(0)))).await;
    let again = app.send(refused().json(&with("amount", json!(0)))).await;
    assert_envelope(&again, 400, 1, Some("amount"));
    assert_eq!(first.text, again.text);
});

both!(roles_decide_as_in_the_native_api, |app: Arc<TestApp>| async move {
    let (_, accounting) = app.staff(paylink::domain::access::Role::Accounting, None).await;
    let r = put_to(&app, &invoices_path(&app), Some(&accounting), seed_example()).await;
    assert_envelope(&r, 403, 4, None);
    // A cashier creates invoices in their branch and reads only their own.
    let (_, cashier) = app.staff(paylink::domain::access::Role::Cashier, Some(&app.branch_id)).await;
    let theirs = put_to(&app, &invoices_path(&app), Some(&cashier), seed_example()).await;
    assert_eq!(theirs.status, 200, "{}", theirs.text);
    let path = |data: &Value| format!("{}/{}", invoices_path(&app), data["invoiceId"].as_str().unwrap());
    assert_eq!(app.get(&cashier, &path(&theirs.body["data"])).await.status, 200);
    let owners = create_invoice(&app, seed_example()).await;
    assert_envelope(&app.get(&cashier, &path(&owners)).await, 404, 3, None);
});
