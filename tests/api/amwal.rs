//! The Amwal dialect under `/amwal` (seeds 000 and 001, NOTES §1–2): the seeds' own requests
//! sent verbatim, role visibility through its list and details, bad input answered in Amwal's
//! shapes, and links shared with the native API and the hosted page.

mod bad_input;
mod conformance;
mod interop;
mod refunds;
mod visibility;

use crate::helpers::{Resp, TestApp};
use serde_json::Value;

/// Sends an Amwal request: `Authorization: <key>` with no scheme, as Amwal's docs show.
pub async fn amwal(app: &TestApp, method: &str, path: &str, key: Option<&str>, body: Option<Value>) -> Resp {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut req = app.client.request(method, format!("{}{path}", app.base));
    if let Some(k) = key {
        req = req.header("authorization", k);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    app.send(req).await
}

/// POSTs `body` to an Amwal path as `key`.
pub async fn post(app: &TestApp, key: &str, path: &str, body: Value) -> Resp {
    amwal(app, "POST", path, Some(key), Some(body)).await
}

/// The create path of the demo store.
pub fn create_path(app: &TestApp) -> String {
    format!("/amwal/payment_links/{}/create", app.store_id)
}

/// The list path of the demo store.
pub fn list_path(app: &TestApp) -> String {
    format!("/amwal/payment_links/{}/", app.store_id)
}

/// Creates a link through Amwal as `key`, asserting 200; the response.
pub async fn create(app: &TestApp, key: &str, body: Value) -> Value {
    let r = post(app, key, &create_path(app), body).await;
    assert_eq!(r.status, 200, "amwal create: {}", r.text);
    r.body
}

/// `POST /amwal/payment_link/{uuid}/details` with `{}` as `key`.
pub async fn details(app: &TestApp, key: &str, uuid: &str) -> Resp {
    post(app, key, &format!("/amwal/payment_link/{uuid}/details"), serde_json::json!({})).await
}

/// The native id behind an Amwal UUID.
pub fn native_id(uuid: &str) -> String {
    paylink::domain::id::id_from_uuid("plink", uuid).expect("a UUID")
}

/// The UUID spelling of a native id.
pub fn uuid(native: &str) -> String {
    paylink::domain::id::uuid_of(native).expect("a typed id")
}

/// Asserts a 4xx in seed 000's shape naming `field` in `details` (or no field when `None`).
pub fn assert_amwal_error(r: &Resp, status: u16, field: Option<&str>) {
    assert_eq!(r.status, status, "expected {status}: {}", r.text);
    assert!(r.body["error"].is_string(), "an `error` sentence: {}", r.text);
    assert!(r.body["error_code"].is_string(), "an `error_code`: {}", r.text);
    assert!(r.body["details"].is_object(), "a `details` object: {}", r.text);
    if let Some(field) = field {
        assert!(r.body["details"][field].is_string(), "details should name {field}: {}", r.text);
    }
}
