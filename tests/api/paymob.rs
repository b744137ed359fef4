//! The Paymob QuickLink dialect (`/paymob`, seed 004) on both databases: auth tokens, QuickLinks
//! created as multipart form data (with a real image) and as JSON, cancelled, every error example
//! of the seed verbatim, bad input in Paymob's shapes, and the dialect's OpenAPI document.

use crate::helpers::{Resp, TestApp};
use paylink::domain::Environment;
use paylink::domain::method::MethodKind;
use serde_json::Value;

mod bad_input;
mod cancel;
mod conformance;
mod errors;
mod openapi;
mod race;
mod tokens;

/// `POST` here to create a QuickLink.
pub const CREATE: &str = "/paymob/api/ecommerce/payment-links";
/// `POST` here to cancel one.
pub const CANCEL: &str = "/paymob/api/ecommerce/payment-links/cancel";
/// `POST` here for an auth token.
pub const TOKENS: &str = "/paymob/api/auth/tokens";

/// A file part of a multipart body.
pub struct Upload {
    pub filename: &'static str,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// A `multipart/form-data` body written by hand (as curl or a browser writes it): the content
/// type with its boundary, and the bytes. Repeated names are repeated parts.
pub fn multipart(fields: &[(&str, &str)], image: Option<&Upload>) -> (String, Vec<u8>) {
    let boundary = "------------------------PaylinkQuickLink7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in fields {
        let head = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n");
        body.extend_from_slice(head.as_bytes());
    }
    if let Some(u) = image {
        let head = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"payment_link_image\"; filename=\"{}\"\r\n\
             Content-Type: {}\r\n\r\n",
            u.filename, u.content_type
        );
        body.extend_from_slice(head.as_bytes());
        body.extend_from_slice(&u.bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// `POST` a multipart body with an optional `Authorization` header value.
pub async fn post_form(
    app: &TestApp,
    path: &str,
    auth: Option<&str>,
    fields: &[(&str, &str)],
    image: Option<&Upload>,
) -> Resp {
    let (content_type, body) = multipart(fields, image);
    post_raw(app, path, auth, &content_type, body).await
}

/// `POST` a JSON body with an optional `Authorization` header value.
pub async fn post_json(app: &TestApp, path: &str, auth: Option<&str>, body: &Value) -> Resp {
    post_raw(app, path, auth, "application/json", body.to_string().into_bytes()).await
}

/// `POST` raw bytes with a content type.
pub async fn post_raw(app: &TestApp, path: &str, auth: Option<&str>, content_type: &str, body: Vec<u8>) -> Resp {
    let mut req = app.client.post(format!("{}{path}", app.base)).header("content-type", content_type).body(body);
    if let Some(a) = auth {
        req = req.header("authorization", a);
    }
    app.send(req).await
}

/// `Token <the demo owner's secret key>`.
pub fn token_auth(app: &TestApp) -> String {
    format!("Token {}", app.owner_key)
}

/// An auth token for `key`, asserting 201.
pub async fn auth_token(app: &TestApp, key: &str) -> String {
    let r = post_json(app, TOKENS, None, &serde_json::json!({ "api_key": key })).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body["token"].as_str().expect("a token").to_owned()
}

/// The demo store's enabled sandbox payment method ids (its Paymob integration ids).
pub async fn sandbox_methods(app: &TestApp) -> Vec<i64> {
    methods_of(app, app.store_id.clone(), Environment::Sandbox).await
}

/// The enabled method ids of a store in an environment.
pub async fn methods_of(app: &TestApp, store: paylink::domain::id::StoreId, env: Environment) -> Vec<i64> {
    let all = app.ctx.db.read(move |c| paylink::store::methods::list(c, &store, env)).await.expect("methods");
    all.into_iter().filter(|m| m.enabled).map(|m| m.id).collect()
}

/// Adds a live-mode (production) card method to the demo store; returns its id.
pub async fn live_method(app: &TestApp) -> i64 {
    let (store, now) = (app.store_id.clone(), app.ctx.clock.now());
    let m = app
        .ctx
        .db
        .write(move |c| {
            paylink::store::methods::insert(c, &store, Environment::Production, MethodKind::Card, "sandbox", now)
        })
        .await
        .expect("a live method");
    m.id
}

/// A real PNG (a QR code Paylink draws).
pub fn png() -> Vec<u8> {
    use base64::Engine;
    let url = paylink::web::png::data_url("https://example.com/quicklink").expect("a PNG");
    let data = url.strip_prefix("data:image/png;base64,").expect("a PNG data URL");
    base64::engine::general_purpose::STANDARD.decode(data).expect("base64")
}

/// A PNG file part.
pub fn png_upload() -> Upload {
    Upload { filename: "product.png", content_type: "image/png", bytes: png() }
}

/// `YYYY-MM-DDTHH:MM:SS` (naive UTC) `days` from the app's clock.
pub fn naive_in_days(app: &TestApp, days: i64) -> String {
    let t = app.ctx.clock.now().plus_secs(days * 86_400).to_rfc3339();
    t[..19].to_owned()
}

/// Creates a QuickLink with the given fields (multipart, `Token` auth), asserting 200.
pub async fn create(app: &TestApp, fields: &[(&str, &str)]) -> Value {
    let r = post_form(app, CREATE, Some(&token_auth(app)), fields, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body
}

/// The fields of a minimal test-mode QuickLink for `amount_cents` with the first sandbox method.
pub async fn minimal(app: &TestApp, amount_cents: &str) -> Value {
    let method = sandbox_methods(app).await[0].to_string();
    create(app, &[("amount_cents", amount_cents), ("payment_methods", &method), ("is_live", "false")]).await
}

/// GET a path with no credentials.
pub async fn get(app: &TestApp, url_or_path: &str) -> Resp {
    let url =
        if url_or_path.starts_with("http") { url_or_path.to_owned() } else { format!("{}{url_or_path}", app.base) };
    app.send(app.client.get(url)).await
}
