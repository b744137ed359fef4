//! Paymob transaction callbacks and response redirects with their hmac: a QuickLink created
//! through `/paymob/api/ecommerce/payment-links` and paid in the sandbox POSTs
//! `{"type": "TRANSACTION", "obj": …}` to its `notification_url` with `?hmac=`, and sends the
//! payer to its `redirection_url` with the same fields. The hmac is recomputed here from what was
//! delivered — by independent Rust code and by a stdlib Python script following Paymob's docs —
//! never by Paylink's code.

use crate::both;
use crate::helpers::TestApp;
use crate::pages::{Browser, location, pay_by_card};
use crate::receiver::{Behaviour, Received, Receiver};
use crate::sandbox::{card, method_id, pay_with};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha512;
use std::sync::Arc;

/// Paymob's 20 hmac fields, in order (its docs), as paths into the callback's `obj`.
const FIELDS: [&str; 20] = [
    "amount_cents",
    "created_at",
    "currency",
    "error_occured",
    "has_parent_transaction",
    "id",
    "integration_id",
    "is_3d_secure",
    "is_auth",
    "is_capture",
    "is_refunded",
    "is_standalone_payment",
    "is_voided",
    "order.id",
    "owner",
    "pending",
    "source_data.pan",
    "source_data.sub_type",
    "source_data.type",
    "success",
];

fn hex_hmac_sha512(secret: &str, message: &str) -> String {
    let mut mac = Hmac::<Sha512>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(message.as_bytes());
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => panic!("an hmac field is {other}"),
    }
}

/// The hmac of a callback's `obj`, recomputed from the delivered JSON.
pub(crate) fn callback_hmac(secret: &str, obj: &Value) -> String {
    let text: String = FIELDS.iter().map(|f| as_text(f.split('.').fold(obj, |v, k| &v[k]))).collect();
    hex_hmac_sha512(secret, &text)
}

/// The hmac of a redirect's query, recomputed from its parameters (the order id is `order`).
fn redirect_hmac(secret: &str, query: &[(String, String)]) -> String {
    let get = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let text: String = FIELDS.iter().map(|f| get(if *f == "order.id" { "order" } else { f })).collect();
    hex_hmac_sha512(secret, &text)
}

/// The stdlib Python oracle's hmac (`tests/support/paymob_hmac.py`), when an interpreter exists.
fn python_hmac(secret: &str, kind: &str, source: &str) -> Option<String> {
    let python = std::env::var("PAYLINK_TEST_PYTHON").ok().filter(|p| !p.is_empty()).unwrap_or("python3".into());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/paymob_hmac.py");
    let out = std::process::Command::new(python).args([script, secret, kind, source]).output().ok()?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Some(String::from_utf8(out.stdout).unwrap().trim().to_owned())
}

fn python_callback_hmac(secret: &str, body: &[u8]) -> Option<String> {
    let file = std::env::temp_dir().join(format!("paylink-paymob-{}.json", paylink::service::secrets::base62(10)));
    std::fs::write(&file, body).unwrap();
    let found = python_hmac(secret, "callback", file.to_str().unwrap());
    let _ = std::fs::remove_file(&file);
    found
}

/// The store's HMAC secret, as the merchant reads it.
async fn hmac_secret(app: &TestApp) -> String {
    let r = app.get(&app.owner_key, "/v1/store/callback_secret").await;
    r.body["secret"].as_str().expect("a secret").to_owned()
}

/// Creates a QuickLink through the Paymob dialect (JSON); (its object, its Paylink link id).
async fn quicklink(app: &TestApp, extra: Value) -> (Value, String) {
    let mut body = json!({"amount_cents": 5500, "payment_methods": [method_id(app, "card").await], "is_live": false,
        "reference_id": format!("REF-{}", paylink::service::secrets::base62(8)), "email": "buyer@example.com",
        "full_name": "Mona Adel", "phone_number": "+201012345678", "description": "test"});
    body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    let url = format!("{}/paymob/api/ecommerce/payment-links", app.base);
    let req = app.client.post(url).header("authorization", format!("Token {}", app.owner_key)).json(&body);
    let r = app.send(req).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let client_url = r.body["client_url"].as_str().expect("a client_url").to_owned();
    let link = client_url.rsplit('/').next().unwrap().to_owned();
    assert!(link.starts_with("plink_"), "{client_url}");
    (r.body, link)
}

/// The query's `hmac` and the callback body of a received callback.
fn parts(r: &Received) -> (String, Value) {
    let query: Vec<(String, String)> = url::form_urlencoded::parse(r.query.as_bytes()).into_owned().collect();
    assert_eq!(query.len(), 1, "only hmac in the query: {}", r.query);
    assert_eq!(query[0].0, "hmac");
    (query[0].1.clone(), serde_json::from_slice(&r.body).unwrap())
}

fn is_naive_micros(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 26 && b[10] == b'T' && b[19] == b'.' && s[20..].bytes().all(|c| c.is_ascii_digit())
}

both!(a_paid_quicklink_posts_the_transaction_callback_with_a_matching_hmac, |app: Arc<TestApp>| async move {
    let rx = Receiver::start().await;
    let (ql, link) = quicklink(&app, json!({"notification_url": rx.url("paymob")})).await;
    let paid = pay_with(&app, &link, "card", card("5555555555554444")).await.expect("paid");
    paylink::worker::run_pending(&app.ctx).await;
    let got = rx.at("paymob");
    assert_eq!(got.len(), 1, "the payment is announced once; the link's creation is not");
    let (hmac, body) = parts(&got[0]);
    assert_eq!(got[0].headers["content-type"], "application/json");
    assert_eq!(body["type"], "TRANSACTION");
    assert!(got[0].body.starts_with(br#"{"type":"TRANSACTION","obj":{"#), "type first, as Paymob sends it");
    let obj = &body["obj"];
    assert!(obj["id"].as_i64().is_some_and(|id| id > 192_000_000), "{obj}");
    for (field, want) in [("pending", false), ("success", true), ("is_auth", false), ("is_capture", false)] {
        assert_eq!(obj[field], want, "{field}");
    }
    for (field, want) in [("is_standalone_payment", true), ("is_voided", false), ("is_refunded", false)] {
        assert_eq!(obj[field], want, "{field}");
    }
    assert_eq!((obj["error_occured"].as_bool(), obj["has_parent_transaction"].as_bool()), (Some(false), Some(false)));
    assert_eq!((obj["amount_cents"].as_i64(), obj["currency"].as_str()), (Some(5500), Some("SAR")));
    assert_eq!(obj["integration_id"].as_i64(), Some(method_id(&app, "card").await));
    assert_eq!(obj["api_source"], "QUICKLINK");
    assert!(obj["created_at"].as_str().is_some_and(is_naive_micros), "{}", obj["created_at"]);
    assert!(obj["owner"].as_i64().is_some());
    let token = app.call("POST", "/paymob/api/auth/tokens", None, Some(json!({"api_key": app.owner_key}))).await;
    assert_eq!(obj["profile_id"], token.body["profile"]["id"], "the auth token's profile: {}", token.text);
    assert_eq!(obj["source_data"], json!({"pan": "4444", "type": "card", "tenure": null, "sub_type": "MasterCard"}));
    let order = &obj["order"];
    assert_eq!(order["id"].as_i64(), Some(ql["id"].as_i64().unwrap() + 450_000_000));
    assert_eq!(order["id"], ql["order"], "the create response's order");
    assert_eq!(
        (order["order_url"].as_str(), order["payment_status"].as_str()),
        (ql["client_url"].as_str(), Some("PAID"))
    );
    assert_eq!(order["merchant_order_id"], ql["reference_id"]);
    assert_eq!(order["amount_cents"].as_i64(), Some(5500));
    assert!(order["created_at"].as_str().is_some_and(is_naive_micros));
    assert_eq!(obj["data"]["message"], "Approved");
    let secret = hmac_secret(&app).await;
    assert_eq!(hmac, callback_hmac(&secret, obj), "recomputed from the delivered body");
    if let Some(oracle) = python_callback_hmac(&secret, &got[0].body) {
        assert_eq!(hmac, oracle, "Python, following Paymob's docs");
    }
    assert_ne!(hmac, callback_hmac("whsec_another", obj), "the secret matters");
    let events = app.get(&app.owner_key, &format!("/v1/events?object_id={}&type=payment.succeeded", paid.id)).await;
    let event =
        app.get(&app.owner_key, &format!("/v1/events/{}", events.body["data"][0]["id"].as_str().unwrap())).await;
    let d = event.body["deliveries"].as_array().unwrap().iter().find(|d| d["endpoint_id"] == "paymob").cloned();
    let d = d.expect("the paymob delivery on the event");
    assert_eq!((d["status"].as_str(), d["url"].as_str()), (Some("delivered"), Some(rx.url("paymob").as_str())));
});

both!(a_declined_payment_is_called_back_with_success_false_and_a_matching_hmac, |app: Arc<TestApp>| async move {
    let rx = Receiver::start().await;
    let (_, link) = quicklink(&app, json!({"notification_url": format!("{}?shop=7", rx.url("paymob"))})).await;
    let declined = pay_with(&app, &link, "card", card("4000000000000002")).await.expect("an outcome");
    assert_eq!(declined.status, paylink::domain::payment::PaymentStatus::Failed);
    paylink::worker::run_pending(&app.ctx).await;
    let got = rx.at("paymob");
    assert_eq!(got.len(), 1);
    let query: Vec<(String, String)> = url::form_urlencoded::parse(got[0].query.as_bytes()).into_owned().collect();
    assert_eq!(query[0], ("shop".to_owned(), "7".to_owned()), "the URL's own query is kept, hmac appended");
    assert_eq!(query[1].0, "hmac");
    let body: Value = serde_json::from_slice(&got[0].body).unwrap();
    let obj = &body["obj"];
    assert_eq!((obj["success"].as_bool(), obj["pending"].as_bool()), (Some(false), Some(false)));
    assert_eq!(
        (obj["error_occured"].as_bool(), obj["order"]["payment_status"].as_str()),
        (Some(false), Some("UNPAID"))
    );
    assert_eq!(obj["source_data"]["pan"], "0002");
    let secret = hmac_secret(&app).await;
    assert_eq!(query[1].1, callback_hmac(&secret, obj));
    if let Some(oracle) = python_callback_hmac(&secret, &got[0].body) {
        assert_eq!(query[1].1, oracle);
    }
    // The payer tries again and pays: a second transaction, with its own id.
    pay_with(&app, &link, "card", card("4242424242424242")).await.expect("paid");
    paylink::worker::run_pending(&app.ctx).await;
    let got = rx.at("paymob");
    assert_eq!(got.len(), 2);
    let second: Value = serde_json::from_slice(&got[1].body).unwrap();
    assert_eq!(
        (second["obj"]["success"].as_bool(), second["obj"]["source_data"]["sub_type"].as_str()),
        (Some(true), Some("Visa"))
    );
    assert_ne!(second["obj"]["id"], obj["id"]);
    assert_eq!(second["obj"]["order"]["id"], obj["order"]["id"], "one QuickLink, one order");
});

both!(the_payer_is_redirected_to_the_redirection_url_with_the_fields_and_hmac, |app: Arc<TestApp>| async move {
    let rx = Receiver::start().await;
    let extra = json!({"notification_url": rx.url("paymob"), "redirection_url": "https://shop.example/paymob/return"});
    let (ql, link) = quicklink(&app, extra).await;
    let mut b = Browser::new(&app);
    let paid = pay_by_card(&app, &mut b, &link, "4242 4242 4242 4242").await;
    assert_eq!(paid.status, 303, "{}", paid.text);
    let target = location(&paid);
    let (base, query) = target.split_once('?').expect("a query");
    assert_eq!(base, "https://shop.example/paymob/return");
    let query: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let get = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str()).unwrap_or_else(|| panic!("{k}"));
    assert_eq!(
        (get("success"), get("pending"), get("amount_cents"), get("currency")),
        ("true", "false", "5500", "SAR")
    );
    assert_eq!(
        (get("source_data.pan"), get("source_data.type"), get("source_data.sub_type")),
        ("4242", "card", "Visa")
    );
    assert_eq!(get("order"), (ql["id"].as_i64().unwrap() + 450_000_000).to_string());
    assert_eq!(get("merchant_order_id"), ql["reference_id"].as_str().unwrap());
    assert_eq!((get("error_occured"), get("is_refunded"), get("data.message")), ("false", "false", "Approved"));
    assert_eq!(query.last().unwrap().0, "hmac");
    let secret = hmac_secret(&app).await;
    assert_eq!(get("hmac"), redirect_hmac(&secret, &query), "recomputed from the query");
    if let Some(oracle) = python_hmac(&secret, "redirect", target.split_once('?').unwrap().1) {
        assert_eq!(get("hmac"), oracle);
    }
    // The callback tells of the same transaction, with the same hmac.
    paylink::worker::run_pending(&app.ctx).await;
    let (hmac, body) = parts(&rx.at("paymob")[0]);
    assert_eq!(body["obj"]["id"].as_i64().unwrap().to_string(), get("id"));
    assert_eq!(hmac, get("hmac"), "callback and redirect agree");
    // The payment page's "continue" button leads to the same place.
    let page = b.get(&format!("/pay/{link}/payments/{}", paid_payment_id(&app, &link).await)).await;
    assert!(page.text.contains(&format!("hmac={}", get("hmac"))), "{}", page.text);
});

/// The id of the link's first payment.
async fn paid_payment_id(app: &TestApp, link: &str) -> String {
    let r = app.get(&app.owner_key, &format!("/v1/payments?payment_link_id={link}")).await;
    r.body["data"][0]["id"].as_str().unwrap().to_owned()
}

both!(the_transaction_id_and_hmac_are_stable_across_retries_and_redelivery, |app: Arc<TestApp>| async move {
    let rx = Receiver::start().await;
    rx.on("flaky", Behaviour { fail_times: 2, ..Default::default() });
    let (_, link) = quicklink(&app, json!({"notification_url": rx.url("flaky")})).await;
    let paid = pay_with(&app, &link, "card", card("4242424242424242")).await.expect("paid");
    paylink::worker::run_pending(&app.ctx).await;
    for wait in [10, 400] {
        app.ctx.clock.advance_secs(wait);
        paylink::worker::run_pending(&app.ctx).await;
    }
    let got = rx.at("flaky");
    assert_eq!(got.len(), 3, "two failures on the native schedule, then delivered");
    let events = app.get(&app.owner_key, &format!("/v1/events?object_id={}&type=payment.succeeded", paid.id)).await;
    let event_id = events.body["data"][0]["id"].as_str().unwrap().to_owned();
    let r = app.post(&app.owner_key, &format!("/v1/events/{event_id}/redeliver"), json!({})).await;
    assert!(r.status < 300, "{}", r.text);
    paylink::worker::run_pending(&app.ctx).await;
    let got = rx.at("flaky");
    assert_eq!(got.len(), 4, "redelivered");
    let first = parts(&got[0]);
    assert!(got.iter().all(|r| parts(r) == first), "the same transaction id, body and hmac every time");
    let event = app.get(&app.owner_key, &format!("/v1/events/{event_id}")).await;
    let d = event.body["deliveries"].as_array().unwrap().iter().find(|d| d["endpoint_id"] == "paymob").cloned();
    let d = d.expect("the paymob delivery");
    assert_eq!((d["status"].as_str(), d["attempt_count"].as_i64()), (Some("delivered"), Some(4)), "{d}");
});
