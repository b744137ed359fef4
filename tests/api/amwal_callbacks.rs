//! Amwal callbacks: a link made through the Amwal dialect calls its `callback_url` back when a
//! payment succeeds or fails, with Amwal's payload, `X-Signature` (RSA-PSS over the sorted seven
//! fields) and `X-API-Key`. The signatures are checked by Python's `cryptography` package exactly
//! as Amwal's docs tell a merchant to, not by our code; Amwal's retry rules hold.

use crate::both;
use crate::helpers::TestApp;
use crate::python::python;
use crate::receiver::{Behaviour, Received, Receiver};
use crate::sandbox::{card, pay_with};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use std::sync::Arc;

const SUCCEEDS: &str = "4242424242424242";
const DECLINED: &str = "4000000000000002";

/// Creates a link through the Amwal dialect; its native id.
async fn amwal_link(app: &TestApp, body: Value) -> String {
    let path = format!("/amwal/payment_links/{}/create", app.store_id);
    let req = app.client.post(format!("{}{path}", app.base)).header("authorization", &app.owner_key).json(&body);
    let r = app.send(req).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let uuid = r.body["payment_link_id"].as_str().expect("a payment_link_id");
    paylink::domain::id::id_from_uuid("plink", uuid).expect("a UUID")
}

/// The store's public key, downloaded as a merchant would.
async fn public_key_pem(app: &TestApp) -> String {
    let path = format!("{}/amwal/stores/{}/public_key.pem", app.base, app.store_id);
    let r = app.send(app.client.get(path).header("authorization", &app.owner_key)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.text.starts_with("-----BEGIN PUBLIC KEY-----"), "{}", r.text);
    r.text
}

fn header(r: &Received, name: &str) -> String {
    r.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

/// Runs the Python verifier over `received`; the number verified, or its complaint.
fn verify_in_python(python: &str, pem: &str, received: &[(String, String, Vec<u8>)]) -> Result<usize, String> {
    let dir = std::env::temp_dir().join(format!("paylink-amwal-{}", paylink::service::secrets::base62(10)));
    std::fs::create_dir_all(&dir).unwrap();
    let key = dir.join("public.pem");
    std::fs::write(&key, pem).unwrap();
    let lines: Vec<String> = received
        .iter()
        .map(|(sig, api_key, body)| {
            json!({"signature": sig, "api_key": api_key, "body_b64": STANDARD.encode(body)}).to_string()
        })
        .collect();
    let file = dir.join("callbacks.jsonl");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/verify_amwal.py");
    let out = std::process::Command::new(python).arg(script).arg(&key).arg(&file).output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().parse().unwrap())
}

/// Client names that JSON and Python's ASCII escaping must carry exactly.
const NAMES: &[(&str, &str)] = &[
    ("أحمد", "العتيبي"),
    ("fname ", "lname"),
    ("Zoë \"Q\"", "O'Brien \\ Jr"),
    ("😀👩‍💻", "日本"),
    ("tab\there", "line\nbreak"),
    ("\u{200f}مريم", "\u{2028}"),
];

both!(amwal_callbacks_verify_with_the_python_cryptography_package, |app: Arc<TestApp>| async move {
    let Some(python) = python() else { return };
    let rx = Receiver::start().await;
    let mut links = Vec::new();
    for (i, (first, last)) in NAMES.iter().enumerate() {
        let body = json!({"amount": 10 + i, "phoneNumber": "+966501234567", "send_sms": false,
            "client_first_name": first, "client_last_name": last, "callback_url": rx.url("amwal")});
        let link = amwal_link(&app, body).await;
        let number = if i % 3 == 2 { DECLINED } else { SUCCEEDS };
        let _ = pay_with(&app, &link, "card", card(number)).await;
        links.push(link);
    }
    paylink::worker::run_pending(&app.ctx).await;
    let got = rx.at("amwal");
    assert_eq!(got.len(), NAMES.len(), "one callback per payment outcome");
    let captured: Vec<(String, String, Vec<u8>)> =
        got.iter().map(|r| (header(r, "x-signature"), header(r, "x-api-key"), r.body.to_vec())).collect();
    let pem = public_key_pem(&app).await;
    assert_eq!(verify_in_python(&python, &pem, &captured), Ok(NAMES.len()));
    // Not a rubber stamp: one changed field fails it.
    let mut tampered: Value = serde_json::from_slice(&captured[0].2).unwrap();
    tampered["amount"] = json!("10.00001");
    let forged = (captured[0].0.clone(), captured[0].1.clone(), serde_json::to_vec(&tampered).unwrap());
    assert!(verify_in_python(&python, &pem, &[forged]).is_err(), "a changed amount verified");
});

both!(an_amwal_callback_carries_the_documented_payment_link_payload, |app: Arc<TestApp>| async move {
    let rx = Receiver::start().await;
    let body = json!({"amount": 299.99, "phoneNumber": "+966501234567", "send_sms": false, "order_id": "ORD-7",
        "client_first_name": "Ahmed", "client_last_name": "Ali", "callback_url": rx.url("cb")});
    let link = amwal_link(&app, body).await;
    let paid = pay_with(&app, &link, "card", card(SUCCEEDS)).await.unwrap();
    paylink::worker::run_pending(&app.ctx).await;
    let got = rx.at("cb");
    assert_eq!(got.len(), 1, "the link's creation and its paid state are not called back, the payment is");
    let p: Value = serde_json::from_slice(&got[0].body).unwrap();
    let uuid = |id: &str| paylink::domain::id::uuid_of(id).unwrap();
    assert_eq!(p["amount"], "299.99000");
    assert_eq!((p["client_first_name"].as_str(), p["client_last_name"].as_str()), (Some("Ahmed"), Some("Ali")));
    assert_eq!(p["payment_link_id"], uuid(&link));
    assert_eq!(p["transaction_id"], uuid(paid.id.as_str()));
    assert_eq!((p["payment_option"].as_str(), p["status"].as_str()), (Some("Pay In Full"), Some("success")));
    assert_eq!((p["currency"].as_str(), p["order_id"].as_str()), (Some("SAR"), Some("ORD-7")));
    assert_eq!(header(&got[0], "content-type"), "application/json");
    assert_eq!(header(&got[0], "x-api-key").len(), 64);
    assert!(STANDARD.decode(header(&got[0], "x-signature")).is_ok_and(|s| s.len() == 256), "a 2048-bit signature");
});

/// The event of the link's first payment, and its Amwal delivery.
async fn amwal_delivery(app: &TestApp, link: &str) -> Value {
    let payment = app.get(&app.owner_key, &format!("/v1/payments?payment_link_id={link}")).await;
    let payment_id = payment.body["data"][0]["id"].as_str().unwrap().to_owned();
    let events = app.get(&app.owner_key, &format!("/v1/events?object_id={payment_id}&type=payment.succeeded")).await;
    let event_id = events.body["data"][0]["id"].as_str().unwrap().to_owned();
    let e = app.get(&app.owner_key, &format!("/v1/events/{event_id}")).await;
    let found = e.body["deliveries"].as_array().unwrap().iter().find(|d| d["endpoint_id"] == "amwal").cloned();
    found.expect("an amwal delivery")
}

both!(amwal_callbacks_retry_five_times_two_to_the_n_seconds_apart_and_stop_at_a_4xx, |app: Arc<TestApp>| async move {
    let rx = Receiver::start().await;
    rx.on("down", Behaviour { status: Some(503), ..Default::default() });
    rx.on("refused", Behaviour { status: Some(400), ..Default::default() });
    let mut links = Vec::new();
    for path in ["down", "refused"] {
        let body =
            json!({"amount": 5, "phoneNumber": "+966501234567", "send_sms": false, "callback_url": rx.url(path)});
        let link = amwal_link(&app, body).await;
        pay_with(&app, &link, "card", card(SUCCEEDS)).await.unwrap();
        links.push(link);
    }
    paylink::worker::run_pending(&app.ctx).await;
    for wait in [1, 1, 2, 4, 8, 16, 32, 64, 3600] {
        app.ctx.clock.advance_secs(wait);
        paylink::worker::run_pending(&app.ctx).await;
    }
    assert_eq!(rx.at("down").len(), 6, "the first attempt and 5 retries");
    assert_eq!(rx.at("refused").len(), 1, "a 4xx is final");
    let down = amwal_delivery(&app, &links[0]).await;
    assert_eq!((down["status"].as_str(), down["attempt_count"].as_i64()), (Some("failed"), Some(6)));
    let refused = amwal_delivery(&app, &links[1]).await;
    assert_eq!((refused["status"].as_str(), refused["last_status_code"].as_i64()), (Some("failed"), Some(400)));
});
