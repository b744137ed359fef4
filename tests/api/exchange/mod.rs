//! The Amwal Exchange dialect (seed 002) under `/exchange`: invoices created and read in the
//! provider's envelope, the `/invoice/{id}` page, the project callback with its retries and
//! merchant e-mails, project settings through the native API and the CLI, and the dialect's own
//! OpenAPI document.

use crate::helpers::{Resp, TestApp};
use serde_json::{Value, json};

mod bad_input;
mod callback;
mod cli;
mod create;
mod openapi;
mod page;
mod settings;

/// The seed's TypeScript example body, verbatim.
pub fn seed_example() -> Value {
    json!({
        "amount": 5,
        "header": "Invoice header to display on the payment page",
        "description": "Short description",
        "successUrl": "",
        "cancelUrl": "",
    })
}

/// The demo project's invoice URL.
pub fn invoices_path(app: &TestApp) -> String {
    format!("/exchange/projects/{}/invoices", app.store_id)
}

/// `PUT` an invoice to `path` with `key` as the bearer token (as axios sends it).
pub async fn put_to(app: &TestApp, path: &str, key: Option<&str>, body: Value) -> Resp {
    app.call("PUT", path, key, Some(body)).await
}

/// Creates an invoice on the demo project as the owner, asserting 200; returns its `data`.
pub async fn create_invoice(app: &TestApp, body: Value) -> Value {
    let r = put_to(app, &invoices_path(app), Some(&app.owner_key), body).await;
    assert_eq!(r.status, 200, "create invoice: {}", r.text);
    assert_eq!(r.body["err"], 0, "{}", r.text);
    r.body["data"].clone()
}

/// Reads an invoice of the demo project as the owner.
pub async fn read_invoice(app: &TestApp, invoice_id: &str) -> Resp {
    app.get(&app.owner_key, &format!("{}/{invoice_id}", invoices_path(app))).await
}

/// The native id of the link behind an invoice.
pub async fn link_of(app: &TestApp, invoice_id: &str) -> String {
    let id = invoice_id.to_owned();
    let link = app
        .ctx
        .db
        .read(move |c| paylink::store::links::get_by_dialect_ref(c, "exchange", &id))
        .await
        .unwrap()
        .expect("the invoice's link");
    link.id.to_string()
}

/// Changes the demo project's settings through the native API as the owner, asserting 200.
pub async fn set_project(app: &TestApp, patch: Value) -> Value {
    let r = app.call("PATCH", "/v1/store/exchange_project", Some(&app.owner_key), Some(patch)).await;
    assert_eq!(r.status, 200, "set project: {}", r.text);
    r.body
}

/// Asserts a failure in the Exchange envelope: the status, its `err`, and (if given) the field
/// `details` names.
pub fn assert_envelope(r: &Resp, status: u16, err: i64, field: Option<&str>) {
    assert_eq!(r.status, status, "{}", r.text);
    assert_eq!(r.body["data"], Value::Null, "{}", r.text);
    assert!(r.text.contains("\"data\":null"), "data is present and null: {}", r.text);
    assert_eq!(r.body["err"], err, "{}", r.text);
    assert!(r.body["message"].as_str().is_some_and(|m| !m.is_empty()), "{}", r.text);
    assert!(r.body["details"].is_object(), "{}", r.text);
    if let Some(field) = field {
        assert!(r.body["details"][field].is_string(), "details name {field}: {}", r.text);
    }
}
