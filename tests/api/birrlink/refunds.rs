//! BirrLink refunds (seed 003) under `/birrlink/v1`: the seed's `POST /refunds` body verbatim on
//! the seed's payment paid in the sandbox, every field of its answer, the store's approval policy
//! (pending by default, approved and completed at once below the threshold), approve / reject by
//! someone else (never the requester), the reservation released by a rejection, the 422s, the list
//! with its filters and pagination, and a race of two full refunds.

use super::payments::{BASE, SEED_CREATE, assert_error, create, get, plink, send};
use crate::both;
use crate::helpers::{Resp, TestApp};
use crate::sandbox::{mobile, pay_with};
use paylink::domain::access::Role;
use paylink::service::pay;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::sync::Arc;

/// Seed 003's refund request, byte for byte but for the payment id (`50.00` a JSON number).
const SEED_REFUND: &str = r#"{
"payment_id": "pay_123456789",
"amount": 50.00,
"reason": "Customer request",
"metadata": {
"order_id": "12345"
}
}"#;

/// The seed's payment (100.00 ETB, mobile money) created through BirrLink and paid in the
/// sandbox by an approving wallet; its `pay_…` id.
async fn paid(app: &TestApp) -> String {
    paid_by(app, &app.owner_key).await
}

/// The same, created with `key`.
async fn paid_by(app: &TestApp, key: &str) -> String {
    let r = send(app, "POST", &format!("{BASE}/payments"), Some(key), Some(SEED_CREATE)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.body["data"]["id"].as_str().unwrap().to_owned();
    let attempt = pay_with(app, &plink(&id), "mobile_money", mobile("+251900000001")).await.unwrap();
    app.ctx.clock.advance_secs(4);
    assert_eq!(pay::refresh(&app.ctx, attempt.id.as_str()).await.unwrap().status.as_str(), "succeeded");
    id
}

/// `POST /birrlink/v1{path}` with a JSON value as `key`.
async fn post(app: &TestApp, key: &str, path: &str, body: Value) -> Resp {
    send(app, "POST", &format!("{BASE}{path}"), Some(key), Some(&body.to_string())).await
}

/// Requests a refund of `payment` as `key` (amount omitted when `None`).
async fn refund(app: &TestApp, key: &str, payment: &str, amount: Option<Value>) -> Resp {
    let mut body = json!({"payment_id": payment, "reason": "Customer request"});
    if let Some(a) = amount {
        body["amount"] = a;
    }
    post(app, key, "/refunds", body).await
}

/// A refund's id and status from a 201 or 200 answer.
fn data(r: &Resp) -> (String, String) {
    let d = &r.body["data"];
    (d["id"].as_str().expect("an id").to_owned(), d["status"].as_str().expect("a status").to_owned())
}

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

fn is_second_precision_utc(v: &Value) -> bool {
    v.as_str().is_some_and(|t| t.len() == 20 && t.ends_with('Z'))
}

both!(the_seed_refund_body_answers_201_pending_approval_with_every_field, |app: Arc<TestApp>| async move {
    let payment = paid(&app).await;
    let body = SEED_REFUND.replace("pay_123456789", &payment);
    let r = send(&app, "POST", &format!("{BASE}/refunds"), Some(&app.owner_key), Some(&body)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["status"], "success");
    let d = &r.body["data"];
    let documented = ["id", "payment_id", "status", "amount", "currency", "reason", "created_at"];
    assert_eq!(keys(d), documented.into_iter().chain(["metadata"]).collect());
    let id = d["id"].as_str().unwrap();
    assert!(id.starts_with("ref_") && id.len() == 30, "{id}");
    assert_eq!((d["payment_id"].as_str(), d["status"].as_str()), (Some(payment.as_str()), Some("pending_approval")));
    assert!(r.text.contains("\"amount\":50.00"), "a JSON number with two decimals: {}", r.text);
    assert_eq!((d["currency"].as_str(), d["reason"].as_str()), (Some("ETB"), Some("Customer request")));
    assert_eq!(d["metadata"], json!({"order_id": "12345"}));
    assert!(is_second_precision_utc(&d["created_at"]), "{}", d["created_at"]);
    // The same refund through the native API: of the link's succeeded payment, 50.00 reserved.
    let native = app.get(&app.owner_key, &format!("/v1/refunds/re_{}", &id[4..])).await.body;
    assert_eq!((native["amount"].as_str(), native["status"].as_str()), (Some("50.00"), Some("pending_approval")));
    assert_eq!(native["payment_link_id"], plink(&payment));
    let attempt = app.get(&app.owner_key, &format!("/v1/payments/{}", native["payment_id"].as_str().unwrap())).await;
    assert_eq!(attempt.body["refund_reserved_minor"], 5_000);
    let read = get(&app, &app.owner_key, &format!("/refunds/{id}")).await;
    assert_eq!((read.status, &read.body["data"]), (200, d), "{}", read.text);
});

both!(below_the_auto_approval_threshold_a_refund_completes_at_once, |app: Arc<TestApp>| async move {
    let policy = json!({"auto_approve_below": "40.00"});
    assert_eq!(app.call("PATCH", "/v1/store/refund_policy", Some(&app.owner_key), Some(policy)).await.status, 200);
    let payment = paid(&app).await;
    let r = refund(&app, &app.owner_key, &payment, Some(json!(39.99))).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let d = &r.body["data"];
    assert_eq!(d["status"], "completed");
    assert!(r.text.contains("\"amount\":39.99"), "{}", r.text);
    assert!(is_second_precision_utc(&d["approved_at"]) && is_second_precision_utc(&d["completed_at"]), "{d}");
    // Above the threshold it waits, as by default.
    let r = refund(&app, &app.owner_key, &payment, Some(json!("40.00"))).await;
    assert_eq!(data(&r).1, "pending_approval", "{}", r.text);
    assert!(r.body["data"].get("approved_at").is_none());
});

both!(another_approver_completes_a_refund_but_the_requester_cannot, |app: Arc<TestApp>| async move {
    let payment = paid(&app).await;
    let (id, _) = data(&refund(&app, &app.owner_key, &payment, Some(json!(30))).await);
    let own = send(&app, "POST", &format!("{BASE}/refunds/{id}/approve"), Some(&app.owner_key), None).await;
    assert_error(&own, 403, "permission_denied", None);
    assert!(own.body["error"]["message"].as_str().unwrap().contains("requested it"), "{}", own.text);
    let (_, cashier) = app.staff(Role::Cashier, Some(&app.branch_id)).await;
    let r = post(&app, &cashier, &format!("/refunds/{id}/approve"), json!({})).await;
    assert!(matches!(r.status, 403 | 404), "a cashier never decides: {}", r.text);
    let (_, admin) = app.staff(Role::Admin, None).await;
    // No body at all: the note is optional.
    let r = send(&app, "POST", &format!("{BASE}/refunds/{id}/approve"), Some(&admin), None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let d = &r.body["data"];
    assert_eq!((d["id"].as_str(), d["status"].as_str()), (Some(id.as_str()), Some("completed")));
    assert!(is_second_precision_utc(&d["approved_at"]) && is_second_precision_utc(&d["completed_at"]), "{d}");
    assert!(d.get("rejected_at").is_none() && d.get("failure_reason").is_none(), "{d}");
    let again = post(&app, &admin, &format!("/refunds/{id}/reject"), json!({"reason": "late"})).await;
    assert_error(&again, 422, "refund_not_pending", None);
    let read = get(&app, &app.owner_key, &format!("/refunds/{id}")).await;
    assert_eq!(read.body["data"]["status"], "completed");
    // An approval with a note keeps it.
    let (second, _) = data(&refund(&app, &app.owner_key, &payment, Some(json!("10.5"))).await);
    let r = post(&app, &admin, &format!("/refunds/{second}/approve"), json!({"note": "Receipt checked"})).await;
    assert_eq!(r.body["data"]["decision_note"], "Receipt checked");
    assert!(r.text.contains("\"amount\":10.50"), "{}", r.text);
});

both!(a_rejected_refund_releases_its_reservation, |app: Arc<TestApp>| async move {
    let payment = paid(&app).await;
    let (id, status) = data(&refund(&app, &app.owner_key, &payment, None).await);
    assert_eq!(status, "pending_approval");
    let (_, accounting) = app.staff(Role::Accounting, None).await;
    let none = post(&app, &accounting, &format!("/refunds/{id}/reject"), json!({})).await;
    assert_error(&none, 400, "validation_error", Some("reason"));
    let full = refund(&app, &app.owner_key, &payment, Some(json!(0.01))).await;
    assert_error(&full, 422, "payment_not_refundable", None);
    let r = post(&app, &accounting, &format!("/refunds/{id}/reject"), json!({"reason": "Goods not returned"})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let d = &r.body["data"];
    assert_eq!((d["status"].as_str(), d["decision_note"].as_str()), (Some("rejected"), Some("Goods not returned")));
    assert!(is_second_precision_utc(&d["rejected_at"]) && d.get("approved_at").is_none(), "{d}");
    let r = refund(&app, &app.owner_key, &payment, None).await;
    assert_eq!(r.status, 201, "the whole amount is refundable again: {}", r.text);
    assert!(r.text.contains("\"amount\":100.00"), "{}", r.text);
});

both!(refunds_beyond_the_payment_or_of_an_unpaid_one_answer_422, |app: Arc<TestApp>| async move {
    let payment = paid(&app).await;
    let over = refund(&app, &app.owner_key, &payment, Some(json!(100.01))).await;
    assert_error(&over, 422, "refund_exceeds_payment", None);
    let r = refund(&app, &app.owner_key, &payment, Some(json!(60))).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_error(
        &refund(&app, &app.owner_key, &payment, Some(json!(40.01))).await,
        422,
        "refund_exceeds_payment",
        None,
    );
    assert_eq!(refund(&app, &app.owner_key, &payment, Some(json!(40))).await.status, 201);
    let unpaid = create(&app, &app.owner_key, json!({"amount": 25, "description": "Unpaid"})).await;
    let r = refund(&app, &app.owner_key, unpaid["id"].as_str().unwrap(), None).await;
    assert_error(&r, 422, "payment_not_refundable", None);
});

both!(bad_refund_requests_answer_in_birrlinks_envelope, |app: Arc<TestApp>| async move {
    let payment = paid(&app).await;
    let key = &app.owner_key;
    for (body, field) in [
        (json!({"payment_id": payment, "amount": 0}), "amount"),
        (json!({"payment_id": payment, "amount": "abc"}), "amount"),
        (json!({"payment_id": payment, "amount": 1.001}), "amount"),
        (json!({"payment_id": payment, "amount": true}), "amount"),
        (json!({"amount": 5}), "payment_id"),
        (json!({"payment_id": 12345}), "payment_id"),
        (json!({"payment_id": payment, "reason": ["no"]}), "reason"),
        (json!({"payment_id": payment, "metadata": "x"}), "metadata"),
    ] {
        assert_error(&post(&app, key, "/refunds", body.clone()).await, 400, "validation_error", Some(field));
    }
    let zero = post(&app, key, "/refunds", json!({"payment_id": payment, "amount": 0})).await;
    assert_eq!(zero.body["error"]["message"], "Amount must be greater than 0");
    let (_, other_store) = app.second_store_key().await;
    for (k, id) in [(key, "pay_123456789"), (key, "pay_01JD8X3V9Q2W5E7R9T1Y3U5I7O"), (&other_store, payment.as_str())] {
        assert_error(&refund(&app, k, id, None).await, 404, "resource_not_found", None);
    }
    let (_, cashier) = app.staff(Role::Cashier, Some(&app.branch_id)).await;
    assert_error(&refund(&app, &cashier, &payment, None).await, 404, "resource_not_found", None);
    let own = paid_by(&app, &cashier).await;
    assert_error(&refund(&app, &cashier, &own, None).await, 403, "permission_denied", None);
    let (id, _) = data(&refund(&app, key, &payment, Some(json!(1))).await);
    for (k, path) in [
        (key, "/refunds/ref_123456789".to_owned()),
        (key, "/refunds/ref_01JD8X3V9Q2W5E7R9T1Y3U5I7O/approve".to_owned()),
        (&other_store, format!("/refunds/{id}")),
        (&other_store, format!("/refunds/{id}/reject")),
    ] {
        let r = if path.ends_with("approve") || path.ends_with("reject") {
            post(&app, k, &path, json!({"reason": "x"})).await
        } else {
            get(&app, k, &path).await
        };
        assert_error(&r, 404, "resource_not_found", None);
    }
    let r = send(&app, "POST", &format!("{BASE}/refunds"), None, Some(SEED_REFUND)).await;
    assert_error(&r, 401, "authentication_failed", None);
});

/// The ids on one page of the refund list and its pagination.
async fn listed(app: &TestApp, query: &str) -> (Vec<String>, Value) {
    let r = get(app, &app.owner_key, &format!("/refunds{query}")).await;
    assert_eq!(r.status, 200, "{query}: {}", r.text);
    let ids = r.body["data"]["refunds"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_owned());
    (ids.collect(), r.body["data"]["pagination"].clone())
}

both!(the_list_pages_with_limit_and_offset_and_filters, |app: Arc<TestApp>| async move {
    let (a, b) = (paid(&app).await, paid(&app).await);
    let mut ids = Vec::new();
    for (payment, amount) in [(&a, 10), (&a, 20), (&b, 30), (&b, 40)] {
        ids.push(data(&refund(&app, &app.owner_key, payment, Some(json!(amount))).await).0);
    }
    let (_, admin) = app.staff(Role::Admin, None).await;
    assert_eq!(post(&app, &admin, &format!("/refunds/{}/approve", ids[1]), json!({})).await.status, 200);
    let r = post(&app, &admin, &format!("/refunds/{}/reject", ids[2]), json!({"reason": "no"})).await;
    assert_eq!(r.status, 200);
    let newest: Vec<String> = ids.iter().rev().cloned().collect();
    assert_eq!(listed(&app, "").await, (newest.clone(), json!({"limit": 10, "offset": 0, "total": 4})));
    assert_eq!(
        listed(&app, "?limit=2&offset=1").await,
        (newest[1..3].to_vec(), json!({"limit": 2, "offset": 1, "total": 4}))
    );
    assert!(listed(&app, "?offset=4").await.0.is_empty());
    for (query, want) in [
        (format!("?payment_id={a}"), vec![&ids[1], &ids[0]]),
        ("?status=completed".to_owned(), vec![&ids[1]]),
        ("?status=rejected".to_owned(), vec![&ids[2]]),
        (format!("?status=pending_approval&payment_id={b}"), vec![&ids[3]]),
    ] {
        let (got, pagination) = listed(&app, &query).await;
        assert_eq!(
            (got.iter().collect::<Vec<_>>(), pagination["total"].as_u64()),
            (want.clone(), Some(want.len() as u64)),
            "{query}"
        );
    }
    let now = app.ctx.clock.now();
    let (today, tomorrow) = (&now.to_rfc3339()[..10], &now.plus_secs(86_400).to_rfc3339()[..10]);
    assert_eq!(listed(&app, &format!("?date_from={today}&date_to={today}")).await.1["total"], 4);
    assert_eq!(listed(&app, &format!("?date_from={tomorrow}")).await.1["total"], 0);
    for (query, field) in [
        ("?limit=0", "limit"),
        ("?limit=101", "limit"),
        ("?limit=ten", "limit"),
        ("?offset=-1", "offset"),
        ("?status=succeeded", "status"),
        ("?payment_id=plink_1", "payment_id"),
        ("?date_from=yesterday", "date_from"),
    ] {
        assert_error(
            &get(&app, &app.owner_key, &format!("/refunds{query}")).await,
            400,
            "validation_error",
            Some(field),
        );
    }
});

both!(two_concurrent_full_refunds_of_one_payment_accept_exactly_one, |app: Arc<TestApp>| async move {
    for _ in 0..3 {
        let payment = paid(&app).await;
        let calls: Vec<_> = (0..2)
            .map(|_| {
                let (app, payment) = (app.clone(), payment.clone());
                tokio::spawn(async move { refund(&app, &app.owner_key, &payment, None).await })
            })
            .collect();
        let mut statuses = Vec::new();
        for call in calls {
            let r = call.await.unwrap();
            if r.status == 422 {
                let code = r.body["error"]["code"].as_str().unwrap();
                assert!(["refund_exceeds_payment", "payment_not_refundable"].contains(&code), "{}", r.text);
            }
            statuses.push(r.status);
        }
        statuses.sort_unstable();
        assert_eq!(statuses, [201, 422]);
        let (_, pagination) = listed(&app, &format!("?payment_id={payment}")).await;
        assert_eq!(pagination["total"], 1);
    }
});
