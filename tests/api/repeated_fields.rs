//! A field given twice — a repeated form field, a JSON list where one value is expected, a JSON
//! object with a duplicated key — is a 400 naming the field on every surface, never one of the
//! values kept (`amount_cents: [100, 200]` used to make a 200 link). Paymob's documented
//! repeatable `payment_methods` still repeats. Nothing is created.

use crate::both;
use crate::helpers::{Resp, TestApp};
use crate::paymob::{CANCEL, CREATE, TOKENS, post_form, post_raw, sandbox_methods, token_auth};
use serde_json::Value;
use std::sync::Arc;

/// Sends raw JSON text with an `Authorization` header value.
async fn raw(app: &TestApp, method: &str, path: &str, auth: &str, body: &str) -> Resp {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let req = app.client.request(method, format!("{}{path}", app.base)).header("authorization", auth);
    app.send(req.header("content-type", "application/json").body(body.to_owned())).await
}

/// Asserts Paymob's field error naming `field`.
fn paymob_field(r: &Resp, field: &str, case: &str) {
    assert_eq!(r.status, 400, "{case}: {}", r.text);
    let sentences = r.body["errors"][field].as_array().unwrap_or_else(|| panic!("{case}: {}", r.text));
    assert!(sentences[0].as_str().unwrap().contains("given once"), "{case}: {}", r.text);
    assert!(r.body["message"].as_str().unwrap().starts_with(&format!("{field} - ")), "{case}: {}", r.text);
}

/// How many links the demo store has.
async fn links(app: &TestApp) -> usize {
    let r = app.get(&app.owner_key, "/v1/payment_links?limit=100").await;
    r.body["data"].as_array().map_or(0, Vec::len)
}

both!(paymob_takes_one_value_for_each_field_but_payment_methods, |app: Arc<TestApp>| async move {
    let m = sandbox_methods(&app).await;
    let auth = token_auth(&app);
    let json_cases = [
        ("amount_cents", format!(r#"{{"amount_cents": [100, 200], "payment_methods": [{}], "is_live": false}}"#, m[0])),
        ("amount_cents", format!(r#"{{"amount_cents": [-5, 100], "payment_methods": [{}], "is_live": false}}"#, m[0])),
        ("amount_cents", format!(r#"{{"amount_cents": [100], "payment_methods": [{}], "is_live": false}}"#, m[0])),
        (
            "reference_id",
            format!(
                r#"{{"amount_cents": 100, "payment_methods": [{}], "is_live": false, "reference_id": ["A", "B"]}}"#,
                m[0]
            ),
        ),
        (
            "amount_cents",
            format!(r#"{{"amount_cents": 1, "amount_cents": 2, "payment_methods": [{}], "is_live": false}}"#, m[0]),
        ),
        (
            "is_live",
            format!(r#"{{"amount_cents": 1, "payment_methods": [{}], "is_live": false, "is_live": true}}"#, m[0]),
        ),
    ];
    for (field, body) in &json_cases {
        paymob_field(&raw(&app, "POST", CREATE, &auth, body).await, field, body);
    }
    let (one, two) = (m[0].to_string(), m[1].to_string());
    for (field, value) in [("amount_cents", "200"), ("reference_id", "B"), ("full_name", "B"), ("is_live", "false")] {
        let mut fields = vec![("amount_cents", "100"), ("payment_methods", one.as_str()), ("is_live", "false")];
        fields.extend([("reference_id", "A"), ("full_name", "A")]);
        fields.push((field, value));
        paymob_field(&post_form(&app, CREATE, Some(&auth), &fields, None).await, field, field);
    }
    let cancel = "payment_link_id=580001&payment_link_id=580002";
    let r = post_raw(&app, CANCEL, Some(&auth), "application/x-www-form-urlencoded", cancel.into()).await;
    paymob_field(&r, "payment_link_id", "cancel");
    let r = raw(&app, "POST", TOKENS, "", &format!(r#"{{"api_key": ["{0}", "{0}"]}}"#, app.owner_key)).await;
    paymob_field(&r, "api_key", "tokens");
    assert_eq!(links(&app).await, 0, "nothing was created");
    let fields = [("amount_cents", "100"), ("payment_methods", &one), ("payment_methods", &two), ("is_live", "false")];
    let ok = post_form(&app, CREATE, Some(&auth), &fields, None).await;
    assert_eq!(ok.status, 200, "payment_methods repeats: {}", ok.text);
    let body = format!(r#"{{"amount_cents": 100, "payment_methods": [{one}, {two}], "is_live": false}}"#);
    assert_eq!(raw(&app, "POST", CREATE, &auth, &body).await.status, 200);
});

both!(a_duplicated_json_key_is_a_400_naming_it_on_every_surface, |app: Arc<TestApp>| async move {
    let (key, store) = (app.owner_key.clone(), app.store_id.to_string());
    let bearer = format!("Bearer {key}");
    let native = |r: &Resp, field: &str| r.status == 400 && r.body["details"][field].is_string();
    let cases: Vec<(&str, String, &str, &str, &str)> = vec![
        (
            "POST",
            "/v1/payment_links".into(),
            bearer.as_str(),
            r#"{"amount": "1", "amount": "2", "title": "t"}"#,
            "amount",
        ),
        ("POST", "/v1/payment_links".into(), &bearer, r#"{"amount": "1", "metadata": {"k": 1, "k": 2}}"#, "metadata.k"),
        (
            "POST",
            "/v1/customers".into(),
            &bearer,
            r#"{"name": "A", "metadata": {"a": {"b": 1, "b": 2}}}"#,
            "metadata.a.b",
        ),
        ("POST", format!("/amwal/payment_links/{store}/create"), &key, r#"{"amount": 1, "amount": 2}"#, "amount"),
        (
            "PUT",
            format!("/exchange/projects/{store}/invoices"),
            &bearer,
            r#"{"amount": 5, "header": "a", "header": "b"}"#,
            "header",
        ),
    ];
    for (method, path, auth, body, field) in &cases {
        let r = raw(&app, method, path, auth, body).await;
        assert!(native(&r, field), "{method} {path} {body}: {}", r.text);
    }
    let r =
        raw(&app, "POST", "/amwal/transactions/refund/x/", &key, r#"{"refund_amount": 1, "refund_amount": 2}"#).await;
    assert!(r.status == 400 && r.body["refund_amount"].is_array(), "{}", r.text);
    for (path, body, field) in [
        ("/birrlink/v1/payments", r#"{"amount": 1, "amount": 2}"#, "amount"),
        ("/birrlink/v1/customers", r#"{"name": "A", "metadata": {"k": 1, "k": 2}}"#, "metadata.k"),
    ] {
        let r = raw(&app, "POST", path, &bearer, body).await;
        let named = r.body["error"]["details"].as_array().is_some_and(|d| d.iter().any(|d| d["field"] == field));
        assert!(r.status == 400 && named, "{path}: {}", r.text);
    }
    let r = app.get(&key, "/v1/payment_links?limit=1&limit=2").await;
    assert!(native(&r, "limit"), "a query parameter given twice: {}", r.text);
    assert_eq!(links(&app).await, 0, "nothing was created");
    let customers = app.get(&key, "/v1/customers").await;
    assert_eq!(customers.body["data"], Value::Array(vec![]), "{}", customers.text);
});
