//! BirrLink payments (seed 003) under `/birrlink/v1`: the seed's create request sent verbatim and
//! every field of its answer, reading a paid payment, the list with its filters and pagination,
//! the 422 insufficient-funds example, the seed's 400 / 401 / 404 bodies, the status mapping,
//! and role visibility.

use crate::both;
use crate::helpers::{Resp, TestApp};
use base64::Engine;
use paylink::domain::Timestamp;
use paylink::domain::access::Role;
use paylink::service::pay;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::sync::Arc;

/// The base path serving both environments.
pub const BASE: &str = "/birrlink/v1";

/// Seed 003's create request, byte for byte (`100.00` stays a JSON number with two decimals).
pub const SEED_CREATE: &str = r#"{
"amount": 100.00,
"currency": "ETB",
"customer": {
"email": "customer@example.com",
"phone": "+251912345678",
"name": "John Doe"
},
"description": "Payment for order #12345",
"callback_url": "https://yourwebsite.com/payment-callback",
"payment_method": "mobile_money",
"metadata": {
"order_id": "12345",
"customer_id": "67890"
}
}"#;

/// Sends `body` as raw JSON text (or no body) with an optional bearer key.
pub async fn send(app: &TestApp, method: &str, path: &str, key: Option<&str>, body: Option<&str>) -> Resp {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = app.client.request(method, format!("{}{path}", app.base));
    if let Some(k) = key {
        req = req.bearer_auth(k);
    }
    if let Some(b) = body {
        req = req.header("content-type", "application/json").body(b.to_owned());
    }
    app.send(req).await
}

/// `POST /birrlink/v1/payments` with a JSON value.
pub async fn post_payment(app: &TestApp, key: &str, body: &Value) -> Resp {
    send(app, "POST", &format!("{BASE}/payments"), Some(key), Some(&body.to_string())).await
}

/// Creates a payment, asserting 201; its `data`.
pub async fn create(app: &TestApp, key: &str, body: Value) -> Value {
    let r = post_payment(app, key, &body).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body["data"].clone()
}

/// `GET /birrlink/v1/{path}` as `key`.
pub async fn get(app: &TestApp, key: &str, path: &str) -> Resp {
    send(app, "GET", &format!("{BASE}{path}"), Some(key), None).await
}

/// Asserts BirrLink's error envelope: status, code, and the field `details` names (if any).
pub fn assert_error(r: &Resp, status: u16, code: &str, field: Option<&str>) {
    assert_eq!(r.status, status, "{}", r.text);
    assert_eq!(r.body["status"], "error", "{}", r.text);
    assert_eq!(r.body["error"]["code"], code, "{}", r.text);
    assert!(r.body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{}", r.text);
    match field {
        Some(f) => {
            let details = r.body["error"]["details"].as_array().expect("details");
            assert_eq!(details[0]["field"], f, "{}", r.text);
            assert_eq!(details[0]["message"], r.body["error"]["message"], "{}", r.text);
        }
        None => assert!(r.body["error"].get("details").is_none(), "{}", r.text),
    }
}

/// The native link id (`plink_…`) of a BirrLink payment id.
pub fn plink(pay_id: &str) -> String {
    format!("plink_{}", pay_id.strip_prefix("pay_").unwrap())
}

/// The latest payment attempt of a BirrLink payment, through the native API.
async fn latest_attempt(app: &TestApp, pay_id: &str) -> Value {
    let l = app.get(&app.owner_key, &format!("/v1/payment_links/{}", plink(pay_id))).await.body;
    l["payments"].as_array().unwrap().last().cloned().expect("an attempt")
}

/// Lets the sandbox phone answer, then settles the attempt as the sweeper would.
async fn settle(app: &TestApp, attempt: &str) {
    app.ctx.clock.advance_secs(4);
    pay::refresh(&app.ctx, attempt).await.unwrap();
}

fn time(v: &Value) -> Timestamp {
    let text = v.as_str().expect("a time");
    assert!(text.ends_with('Z') && text.len() == 20, "second precision in UTC: {text}");
    Timestamp::parse_rfc3339(text).unwrap()
}

fn seed_with(phone: &str) -> Value {
    let mut body: Value = serde_json::from_str(SEED_CREATE).unwrap();
    body["customer"]["phone"] = json!(phone);
    body
}

both!(the_seed_create_request_answers_201_with_every_documented_field, |app: Arc<TestApp>| async move {
    let r = send(&app, "POST", &format!("{BASE}/payments"), Some(&app.owner_key), Some(SEED_CREATE)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["status"], "success");
    let d = &r.body["data"];
    let keys: BTreeSet<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    let documented = ["id", "status", "amount", "currency", "payment_method", "payment_link", "qr_code"];
    assert_eq!(keys, documented.into_iter().chain(["expires_at", "created_at"]).collect());
    let id = d["id"].as_str().unwrap();
    assert!(id.starts_with("pay_") && id.len() == 30, "{id}");
    assert_eq!(d["status"], "pending");
    assert!(r.text.contains("\"amount\":100.00"), "a JSON number with two decimals: {}", r.text);
    assert_eq!((d["currency"].as_str(), d["payment_method"].as_str()), (Some("ETB"), Some("mobile_money")));
    assert_eq!(d["payment_link"], format!("{}/pay/{}", app.base, plink(id)));
    let page = app.client.get(d["payment_link"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Payment for order #12345"));
    let qr = d["qr_code"].as_str().unwrap().strip_prefix("data:image/png;base64,").expect("a PNG data URI");
    let png = base64::engine::general_purpose::STANDARD.decode(qr).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(time(&d["expires_at"]), time(&d["created_at"]).plus_secs(3600));
    // The same payment through the native API: a single-use link in ETB, made by BirrLink.
    let native = app.get(&app.owner_key, &format!("/v1/payment_links/{}", plink(id))).await.body;
    assert_eq!((native["amount"].as_str(), native["currency"].as_str()), (Some("100.00"), Some("ETB")));
    assert_eq!((native["single_use"].as_bool(), native["status"].as_str()), (Some(true), Some("open")));
    assert_eq!(native["callback_url"], "https://yourwebsite.com/payment-callback");
    assert_eq!(native["metadata"], json!({"order_id": "12345", "customer_id": "67890"}));
    // +251912345678 is no sandbox wallet: nothing was pushed, the page takes the payment.
    assert_eq!(native["payments"].as_array().map(Vec::len), Some(0), "{native}");
});

both!(a_payment_paid_through_its_wallet_push_reads_completed_with_its_transaction, |app: Arc<TestApp>| async move {
    let created = create(&app, &app.owner_key, seed_with("+251900000001")).await;
    let id = created["id"].as_str().unwrap();
    let attempt = latest_attempt(&app, id).await;
    assert_eq!(
        (attempt["method"].as_str(), attempt["status"].as_str()),
        (Some("mobile_money"), Some("requires_action"))
    );
    let r = get(&app, &app.owner_key, &format!("/payments/{id}")).await;
    assert_eq!((r.status, r.body["data"]["status"].as_str()), (200, Some("pending")), "{}", r.text);
    assert!(r.body["data"].get("transaction_id").is_none() && r.body["data"].get("completed_at").is_none());
    settle(&app, attempt["id"].as_str().unwrap()).await;
    let r = get(&app, &app.owner_key, &format!("/payments/{id}")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let d = &r.body["data"];
    assert_eq!((d["id"].as_str(), d["status"].as_str()), (Some(id), Some("completed")));
    assert!(r.text.contains("\"amount\":100.00"), "{}", r.text);
    assert_eq!(d["currency"], "ETB");
    assert_eq!(d["customer"], json!({"email": "customer@example.com", "phone": "+251900000001", "name": "John Doe"}));
    assert_eq!(d["description"], "Payment for order #12345");
    let attempt_id = attempt["id"].as_str().unwrap();
    assert_eq!(d["transaction_id"], format!("txn_{}", attempt_id.strip_prefix("pay_").unwrap()));
    assert_eq!(d["payment_method"], "mobile_money");
    assert_eq!(d["payment_link"], created["payment_link"]);
    assert_eq!(d["metadata"], json!({"order_id": "12345", "customer_id": "67890"}));
    assert_eq!((&d["created_at"], &d["expires_at"]), (&created["created_at"], &created["expires_at"]));
    assert!(time(&d["completed_at"]) >= time(&d["created_at"]));
    // A native payment attempt's own id names no BirrLink payment.
    let r = get(&app, &app.owner_key, &format!("/payments/{attempt_id}")).await;
    assert_error(&r, 404, "resource_not_found", None);
});

both!(a_payment_paid_by_card_on_its_page_reads_completed_too, |app: Arc<TestApp>| async move {
    let d =
        create(&app, &app.owner_key, json!({"amount": "25.50", "description": "Tea", "payment_method": "card"})).await;
    let id = d["id"].as_str().unwrap();
    let method = crate::sandbox::method_id(&app, "card").await;
    let card = crate::sandbox::card("4242424242424242");
    let req = pay::PayRequest { method_id: method, instrument: card, payer: Default::default(), client: None };
    let paid = pay::pay(&app.ctx, &plink(id), req).await.unwrap();
    let r = get(&app, &app.owner_key, &format!("/payments/{id}")).await.body;
    let d = &r["data"];
    assert_eq!((d["status"].as_str(), d["payment_method"].as_str()), (Some("completed"), Some("card")));
    assert_eq!(d["transaction_id"], format!("txn_{}", paid.id.as_str().strip_prefix("pay_").unwrap()));
    assert_eq!((d["currency"].as_str(), d["description"].as_str()), (Some("SAR"), Some("Tea")));
    assert!(d.get("customer").is_none(), "no customer given: {d}");
});

both!(statuses_map_to_pending_failed_completed_and_cancelled, |app: Arc<TestApp>| async move {
    let status = |r: Resp| (r.body["data"]["status"].clone(), r.body["data"].clone());
    // A rejected push: failed with its code, and payable again.
    let rejected = create(&app, &app.owner_key, seed_with("+251900000002")).await;
    let id = rejected["id"].as_str().unwrap();
    settle(&app, latest_attempt(&app, id).await["id"].as_str().unwrap()).await;
    let (word, d) = status(get(&app, &app.owner_key, &format!("/payments/{id}")).await);
    assert_eq!((word, d["failure_code"].clone()), (json!("failed"), json!("payment_rejected")));
    let method = crate::sandbox::method_id(&app, "mobile_money").await;
    let retry = pay::PayRequest {
        method_id: method,
        instrument: crate::sandbox::mobile("+251900000001"),
        payer: Default::default(),
        client: None,
    };
    pay::pay(&app.ctx, &plink(id), retry).await.unwrap();
    let (word, d) = status(get(&app, &app.owner_key, &format!("/payments/{id}")).await);
    assert_eq!((word, d.get("failure_code")), (json!("pending"), None));
    // Cancelled on purpose, and expired.
    let cancelled = create(&app, &app.owner_key, json!({"amount": 5})).await["id"].as_str().unwrap().to_owned();
    let r = app.post(&app.owner_key, &format!("/v1/payment_links/{}/cancel", plink(&cancelled)), json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let (word, d) = status(get(&app, &app.owner_key, &format!("/payments/{cancelled}")).await);
    assert_eq!((word, d.get("cancellation_reason")), (json!("cancelled"), None));
    let soon = app.ctx.clock.now().plus_secs(60).to_rfc3339();
    let expiring = create(&app, &app.owner_key, json!({"amount": 5, "expires_at": soon})).await;
    app.ctx.clock.advance_secs(61);
    let (word, d) = status(get(&app, &app.owner_key, &format!("/payments/{}", expiring["id"].as_str().unwrap())).await);
    assert_eq!((word, d["cancellation_reason"].clone()), (json!("cancelled"), json!("expired")));
});

both!(the_insufficient_funds_number_answers_the_seeds_422_and_creates_nothing, |app: Arc<TestApp>| async move {
    let before = app.get(&app.owner_key, "/v1/payment_links?page=1").await.body["total"].clone();
    let r = post_payment(&app, &app.owner_key, &seed_with("+251900000003")).await;
    let seed = json!({"status": "error", "error": {"code": "insufficient_funds",
        "message": "Customer has insufficient funds for this transaction"}});
    assert_eq!((r.status, &r.body), (422, &seed), "{}", r.text);
    let listed = get(&app, &app.owner_key, "/payments").await.body;
    assert_eq!(listed["data"]["pagination"]["total"], 0);
    assert_eq!(app.get(&app.owner_key, "/v1/payment_links?page=1").await.body["total"], before);
    // The same number paying by card (no push) is created as usual.
    let mut card = seed_with("+251900000003");
    card["payment_method"] = json!("card");
    create(&app, &app.owner_key, card).await;
});

both!(the_seeds_400_401_and_404_bodies_come_back_exactly, |app: Arc<TestApp>| async move {
    let seed_400 = json!({"status": "error", "error": {"code": "validation_error",
        "message": "Amount must be greater than 0",
        "details": [{"field": "amount", "message": "Amount must be greater than 0"}]}});
    for amount in ["0", "-1", "0.00", "\"0\""] {
        let body = SEED_CREATE.replace("100.00", amount);
        let r = send(&app, "POST", &format!("{BASE}/payments"), Some(&app.owner_key), Some(&body)).await;
        assert_eq!((r.status, &r.body), (400, &seed_400), "amount {amount}: {}", r.text);
    }
    let seed_401 = json!({"status": "error", "error": {"code": "authentication_failed", "message": "Invalid API key"}});
    for key in [None, Some("sk_test_nope"), Some("nonsense")] {
        let r = send(&app, "POST", &format!("{BASE}/payments"), key, Some(SEED_CREATE)).await;
        assert_eq!((r.status, &r.body), (401, &seed_401), "{}", r.text);
    }
    let seed_404 = json!({"status": "error", "error": {"code": "resource_not_found",
        "message": "The requested resource does not exist"}});
    for id in ["pay_123456789", "pay_01JD8X3V9Q2W5E7R9T1Y3U5I7O", "plink_01JD8X3V9Q2W5E7R9T1Y3U5I7O"] {
        let r = get(&app, &app.owner_key, &format!("/payments/{id}")).await;
        assert_eq!((r.status, &r.body), (404, &seed_404), "{id}: {}", r.text);
    }
});

both!(native_links_are_birrlink_payments_too, |app: Arc<TestApp>| async move {
    let link = app
        .create_link(&app.owner_key, json!({"amount": "12.5", "title": "Native", "description": "Made in /v1"}))
        .await;
    let id = format!("pay_{}", link["id"].as_str().unwrap().strip_prefix("plink_").unwrap());
    let d = get(&app, &app.owner_key, &format!("/payments/{id}")).await.body["data"].clone();
    assert_eq!((d["status"].as_str(), d["description"].as_str()), (Some("pending"), Some("Made in /v1")));
    assert_eq!((d["payment_method"].clone(), d["expires_at"].clone()), (Value::Null, Value::Null));
});

both!(an_idempotency_key_replays_the_first_create, |app: Arc<TestApp>| async move {
    let post = |key: &'static str| {
        app.client
            .post(format!("{}{BASE}/payments", app.base))
            .bearer_auth(&app.owner_key)
            .header("idempotency-key", key)
            .header("content-type", "application/json")
            .body(SEED_CREATE)
    };
    let first = app.send(post("order-12345")).await;
    let again = app.send(post("order-12345")).await;
    assert_eq!((first.status, again.status), (201, 201), "{}", again.text);
    assert_eq!(first.body["data"]["id"], again.body["data"]["id"]);
    assert_eq!(again.headers["idempotent-replayed"], "true");
    let other = app.send(post("order-12345").body(SEED_CREATE.replace("100.00", "99.00"))).await;
    assert_error(&other, 422, "idempotency_key_reused", None);
});

/// The ids on one page of the key's list.
async fn listed(app: &TestApp, key: &str, query: &str) -> (Vec<String>, Value) {
    let r = get(app, key, &format!("/payments{query}")).await;
    assert_eq!(r.status, 200, "{query}: {}", r.text);
    let ids = r.body["data"]["payments"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_owned());
    (ids.collect(), r.body["data"]["pagination"].clone())
}

both!(the_list_pages_with_limit_and_offset_and_filters_by_status_and_date, |app: Arc<TestApp>| async move {
    let key = &app.owner_key;
    let mut ids = Vec::new();
    for i in 0..4 {
        // Two seconds apart from the third on: `date_to` below falls between them.
        app.ctx.clock.advance_secs(if i >= 2 { 2 } else { 0 });
        ids.push(
            create(&app, key, json!({"amount": 10 + i, "description": format!("P{i}")})).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let paid = create(&app, key, seed_with("+251900000001")).await["id"].as_str().unwrap().to_owned();
    settle(&app, latest_attempt(&app, &paid).await["id"].as_str().unwrap()).await;
    let failed = create(&app, key, seed_with("+251900000002")).await["id"].as_str().unwrap().to_owned();
    settle(&app, latest_attempt(&app, &failed).await["id"].as_str().unwrap()).await;
    let r = app.post(key, &format!("/v1/payment_links/{}/cancel", plink(&ids[0])), json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let newest_first: Vec<String> = [&failed, &paid, &ids[3], &ids[2], &ids[1], &ids[0]].map(String::clone).to_vec();
    let (all, pagination) = listed(&app, key, "").await;
    assert_eq!((all, pagination), (newest_first.clone(), json!({"limit": 10, "offset": 0, "total": 6})));
    let (page, pagination) = listed(&app, key, "?limit=2&offset=3").await;
    assert_eq!((page, pagination), (newest_first[3..5].to_vec(), json!({"limit": 2, "offset": 3, "total": 6})));
    let (page, _) = listed(&app, key, "?limit=100&offset=6").await;
    assert!(page.is_empty());
    for (status, want) in [
        ("pending", vec![ids[3].clone(), ids[2].clone(), ids[1].clone()]),
        ("completed", vec![paid.clone()]),
        ("failed", vec![failed.clone()]),
        ("cancelled", vec![ids[0].clone()]),
    ] {
        let (got, pagination) = listed(&app, key, &format!("?status={status}")).await;
        assert_eq!(pagination["total"], want.len(), "{status}");
        assert_eq!(got, want, "{status}");
    }
    let summary = &get(&app, key, "/payments?status=completed").await.body["data"]["payments"][0];
    let fields: BTreeSet<&str> = summary.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(fields, BTreeSet::from(["id", "status", "amount", "currency", "description", "created_at"]));
    assert_eq!(
        (summary["status"].as_str(), summary["description"].as_str()),
        (Some("completed"), Some("Payment for order #12345"))
    );
    let now = app.ctx.clock.now();
    let (today, tomorrow) = (&now.to_rfc3339()[..10], &now.plus_secs(86_400).to_rfc3339()[..10]);
    let yesterday = &now.plus_secs(-86_400).to_rfc3339()[..10];
    assert_eq!(listed(&app, key, &format!("?date_from={today}&date_to={today}")).await.1["total"], 6);
    assert_eq!(listed(&app, key, &format!("?date_from={tomorrow}")).await.1["total"], 0);
    assert_eq!(listed(&app, key, &format!("?date_to={yesterday}")).await.1["total"], 0);
    let created =
        get(&app, key, &format!("/payments/{}", ids[2])).await.body["data"]["created_at"].as_str().unwrap().to_owned();
    let (upto, _) = listed(&app, key, &format!("?date_to={created}&status=pending")).await;
    assert_eq!(upto, vec![ids[2].clone(), ids[1].clone()], "date_to is inclusive to the second");
    for (query, field) in [
        ("?limit=0", "limit"),
        ("?limit=101", "limit"),
        ("?limit=ten", "limit"),
        ("?offset=-1", "offset"),
        ("?status=paid", "status"),
        ("?date_from=yesterday", "date_from"),
        ("?date_to=2023-13-45", "date_to"),
    ] {
        assert_error(&get(&app, key, &format!("/payments{query}")).await, 400, "validation_error", Some(field));
    }
});

both!(a_supervisor_and_a_cashier_see_only_their_branchs_payments, |app: Arc<TestApp>| async move {
    let (a, b) = (app.branch("BR-A").await, app.branch("BR-B").await);
    let (_, supervisor_a) = app.staff(Role::Supervisor, Some(&a)).await;
    let (_, cashier_a) = app.staff(Role::Cashier, Some(&a)).await;
    let (_, cashier_b) = app.staff(Role::Cashier, Some(&b)).await;
    let pay = |key: String| {
        let app = app.clone();
        async move { create(&app, &key, json!({"amount": 10})).await["id"].as_str().unwrap().to_owned() }
    };
    let (online, by_a, by_b) =
        (pay(app.owner_key.clone()).await, pay(cashier_a.clone()).await, pay(cashier_b.clone()).await);
    let set = |ids: &[&String]| ids.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    for (who, key, visible) in [
        ("OWNER", &app.owner_key, set(&[&online, &by_a, &by_b])),
        ("SUPERVISOR of A", &supervisor_a, set(&[&by_a])),
        ("CASHIER of A", &cashier_a, set(&[&by_a])),
        ("CASHIER of B", &cashier_b, set(&[&by_b])),
    ] {
        let (ids, pagination) = listed(&app, key, "").await;
        assert_eq!(
            (ids.into_iter().collect::<BTreeSet<_>>(), pagination["total"].as_u64()),
            (visible.clone(), Some(visible.len() as u64)),
            "{who}"
        );
        for id in [&online, &by_a, &by_b] {
            let r = get(&app, key, &format!("/payments/{id}")).await;
            if visible.contains(id) {
                assert_eq!(r.status, 200, "{who} reading {id}: {}", r.text);
            } else {
                assert_error(&r, 404, "resource_not_found", None);
            }
        }
    }
});
