//! `POST /amwal/transactions/refund/{transaction_id}/`: Amwal's refund body through the native
//! refund service (its approval policy applies), answered and refused in DRF's words.

use super::{amwal, create, details, native_id, post};
use crate::both;
use crate::helpers::TestApp;
use crate::sandbox::{card, pay_with};
use paylink::domain::access::Role;
use serde_json::{Value, json};
use std::sync::Arc;

/// An Amwal link of `amount` paid with `number` in the sandbox; the transaction's UUID.
async fn paid(app: &TestApp, amount: Value, number: &str) -> String {
    let made = create(app, &app.owner_key, json!({"amount": amount, "send_sms": false})).await;
    let uuid = made["payment_link_id"].as_str().unwrap();
    let _ = pay_with(app, &native_id(uuid), "card", card(number)).await;
    let read = details(app, &app.owner_key, uuid).await;
    read.body["transactions"]["results"][0]["id"].as_str().expect("a transaction").to_owned()
}

fn path(transaction: &str) -> String {
    format!("/amwal/transactions/refund/{transaction}/")
}

both!(the_documented_refund_body_refunds_a_sandbox_payment, |app: Arc<TestApp>| async move {
    let transaction = paid(&app, json!(299.99), "4242424242424242").await;
    let r = post(&app, &app.owner_key, &path(&transaction), json!({"refund_amount": 299.99})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!((r.body["status"].as_str(), r.body["key_type"].as_str()), (Some("success"), Some("RefundReference")));
    let key = r.body["key"].as_str().unwrap();
    let native = app.get(&app.owner_key, &format!("/v1/refunds/{key}")).await;
    assert_eq!(native.status, 200, "{}", native.text);
    assert_eq!(native.body["amount"], "299.99");
    assert_eq!(r.body["refund_status"], native.body["status"]);
    let again = post(&app, &app.owner_key, &path(&transaction), json!({"refund_amount": "0.01"})).await;
    assert_eq!(
        (again.status, again.body["detail"].as_str()),
        (400, Some("Refund amount exceeds the refundable balance"))
    );
});

both!(a_partial_refund_without_the_trailing_slash_waits_for_approval_by_policy, |app: Arc<TestApp>| async move {
    let policy = json!({"auto_approve_below": "0"});
    assert_eq!(app.call("PATCH", "/v1/store/refund_policy", Some(&app.owner_key), Some(policy)).await.status, 200);
    let transaction = paid(&app, json!("100"), "4242424242424242").await;
    let trimmed = format!("/amwal/transactions/refund/{transaction}");
    let r = post(&app, &app.owner_key, &trimmed, json!({"refund_amount": "40.5"})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["refund_status"], "pending_approval");
    let by_native_id =
        post(&app, &app.owner_key, &path(&native_payment(&transaction)), json!({"refund_amount": 1})).await;
    assert_eq!(by_native_id.status, 200, "{}", by_native_id.text);
});

fn native_payment(uuid: &str) -> String {
    paylink::domain::id::id_from_uuid("pay", uuid).unwrap()
}

both!(refund_errors_are_drf_bodies, |app: Arc<TestApp>| async move {
    let transaction = paid(&app, json!(50), "4242424242424242").await;
    let declined = paid(&app, json!(50), "4000000000000002").await;
    let field = |r: &crate::helpers::Resp, message: &str| {
        assert_eq!((r.status, &r.body), (400, &json!({"refund_amount": [message]})), "{}", r.text);
    };
    field(
        &post(&app, &app.owner_key, &path(&transaction), json!({"refund_amount": "abc"})).await,
        "A valid number is required.",
    );
    field(&post(&app, &app.owner_key, &path(&transaction), json!({})).await, "This field is required.");
    let zero = post(&app, &app.owner_key, &path(&transaction), json!({"refund_amount": 0})).await;
    assert!(zero.status == 400 && zero.body["refund_amount"][0].is_string(), "{}", zero.text);
    let detail = |r: &crate::helpers::Resp, status: u16, text: &str| {
        assert_eq!((r.status, &r.body), (status, &json!({"detail": text})), "{}", r.text);
    };
    detail(
        &post(&app, &app.owner_key, &path(&declined), json!({"refund_amount": 1})).await,
        400,
        "This transaction is not refundable",
    );
    let unknown = "00000000-0000-0000-0000-000000000000";
    detail(&post(&app, &app.owner_key, &path(unknown), json!({"refund_amount": 1})).await, 404, "Not found.");
    let branch = app.branch("BR-R").await;
    let (_, cashier) = app.staff(Role::Cashier, Some(&branch)).await;
    let denied = post(&app, &cashier, &path(&transaction), json!({"refund_amount": 1})).await;
    assert_eq!(denied.status, 403, "{}", denied.text);
    assert!(denied.body["detail"].is_string(), "{}", denied.text);
    let anonymous = amwal(&app, "POST", &path(&transaction), None, Some(json!({"refund_amount": 1}))).await;
    assert_eq!(anonymous.status, 403);
    assert!(anonymous.body["detail"].is_string(), "{}", anonymous.text);
    let url = format!("{}{}", app.base, path(&transaction));
    let malformed = app
        .send(
            app.client
                .post(&url)
                .header("authorization", &app.owner_key)
                .header("content-type", "application/json")
                .body("{"),
        )
        .await;
    assert!(malformed.status == 400 && malformed.body["detail"].is_string(), "{}", malformed.text);
    let form = app
        .send(
            app.client
                .post(&url)
                .header("authorization", &app.owner_key)
                .header("content-type", "text/plain")
                .body("refund_amount=1"),
        )
        .await;
    assert!(form.status == 415 && form.body["detail"].is_string(), "{}", form.text);
});
