//! Bad input never reaches a 500: each row of the tables below names a request, the status and
//! `error_code` it must get, and the field its `details` must name. Every error body has exactly
//! seed 000's shape.

use crate::both;
use crate::helpers::{Resp, TestApp};
use serde_json::{Value, json};
use std::sync::Arc;

/// Asserts seed 000's error shape: exactly `error`, `error_code` and `details` (an object of
/// strings); `request_id` appears only on a 500, which no test may see.
fn assert_error_shape(r: &Resp, what: &str) {
    assert_ne!(r.status, 500, "{what}: internal error: {}", r.text);
    let obj = r.body.as_object().unwrap_or_else(|| panic!("{what}: error body is not a JSON object: {:?}", r.text));
    let mut keys: Vec<_> = obj.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["details", "error", "error_code"], "{what}: {}", r.text);
    assert!(r.body["error"].as_str().is_some_and(|s| !s.is_empty()), "{what}: error is a sentence");
    assert!(r.body["error_code"].as_str().is_some_and(|s| !s.is_empty()), "{what}: error_code");
    let details = r.body["details"].as_object().unwrap_or_else(|| panic!("{what}: details is an object"));
    assert!(details.values().all(Value::is_string), "{what}: details maps fields to messages: {}", r.text);
    let ct = r.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(ct.starts_with("application/json"), "{what}: content type {ct}");
}

/// Checks status, code, shape and (when given) the field named in `details`.
fn check(r: &Resp, what: &str, status: u16, code: &str, field: Option<&str>) {
    assert_error_shape(r, what);
    assert_eq!((r.status, r.body["error_code"].as_str().unwrap()), (status, code), "{what}: {}", r.text);
    if let Some(field) = field {
        assert!(r.body["details"][field].is_string(), "{what}: details should name `{field}`: {}", r.text);
    }
}

/// A valid create body with `changes` merged in (a `null` change removes the field).
fn with(changes: Value) -> String {
    let mut body = json!({"amount": "10.00", "title": "A valid link"});
    for (k, v) in changes.as_object().expect("changes are an object") {
        if v.is_null() {
            body.as_object_mut().unwrap().remove(k);
        } else {
            body[k] = v.clone();
        }
    }
    body.to_string()
}

/// Sends raw text to `path` as the owner with the given content type.
async fn raw(app: &TestApp, method: &str, path: &str, content_type: Option<&str>, body: String) -> Resp {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = app.client.request(method, format!("{}{path}", app.base)).bearer_auth(&app.owner_key).body(body);
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    app.send(req).await
}

fn past() -> String {
    "2020-01-01T00:00:00Z".to_owned()
}

/// (what, JSON body text, expected error_code, field named in details); every row answers 400.
fn create_rows() -> Vec<(&'static str, String, &'static str, &'static str)> {
    let big_meta = json!({"blob": "x".repeat(4100)});
    let many_keys: serde_json::Map<String, Value> = (0..51).map(|i| (format!("k{i}"), json!(i))).collect();
    let url_rows = ["callback_url", "success_url", "cancel_url"]
        .into_iter()
        .flat_map(|f| [(f, "ftp://x"), (f, "javascript:alert(1)"), (f, "not a url"), (f, "https://")]);
    let mut rows = vec![
        ("amount 0", with(json!({"amount": 0})), "INVALID_AMOUNT", "amount"),
        ("amount \"0.00\"", with(json!({"amount": "0.00"})), "INVALID_AMOUNT", "amount"),
        ("amount -5", with(json!({"amount": -5})), "INVALID_AMOUNT", "amount"),
        ("amount \"-5\"", with(json!({"amount": "-5"})), "INVALID_AMOUNT", "amount"),
        ("amount \"1.001\" SAR", with(json!({"amount": "1.001"})), "INVALID_AMOUNT", "amount"),
        ("amount 1.001 SAR (number)", r#"{"amount": 1.001, "title": "t"}"#.into(), "INVALID_AMOUNT", "amount"),
        ("amount 1.5 JPY", r#"{"amount": 1.5, "currency": "JPY", "title": "t"}"#.into(), "INVALID_AMOUNT", "amount"),
        ("amount \"1.0001\" KWD", with(json!({"amount": "1.0001", "currency": "KWD"})), "INVALID_AMOUNT", "amount"),
        ("amount 1e309", r#"{"amount": 1e309, "title": "t"}"#.into(), "INVALID_AMOUNT", "amount"),
        ("amount \"1e309\"", with(json!({"amount": "1e309"})), "INVALID_AMOUNT", "amount"),
        ("amount 1e-400", r#"{"amount": 1e-400, "title": "t"}"#.into(), "INVALID_AMOUNT", "amount"),
        ("amount \"abc\"", with(json!({"amount": "abc"})), "INVALID_AMOUNT", "amount"),
        ("amount \"\"", with(json!({"amount": ""})), "INVALID_AMOUNT", "amount"),
        ("amount \"1,5\"", with(json!({"amount": "1,5"})), "INVALID_AMOUNT", "amount"),
        ("amount \"NaN\"", with(json!({"amount": "NaN"})), "INVALID_AMOUNT", "amount"),
        ("amount true", with(json!({"amount": true})), "INVALID_AMOUNT", "amount"),
        ("amount object", with(json!({"amount": {"value": 5}})), "INVALID_AMOUNT", "amount"),
        ("amount missing", with(json!({"amount": null})), "INVALID_AMOUNT", "amount"),
        (
            "amount 99999999999999999999999",
            r#"{"amount": 99999999999999999999999, "title": "t"}"#.into(),
            "INVALID_AMOUNT",
            "amount",
        ),
        (
            "amount \"99999999999999999999999\"",
            with(json!({"amount": "99999999999999999999999"})),
            "INVALID_AMOUNT",
            "amount",
        ),
        ("amount above the maximum", with(json!({"amount": 10000001})), "INVALID_AMOUNT", "amount"),
        ("amount just above the maximum", with(json!({"amount": "10000000.01"})), "INVALID_AMOUNT", "amount"),
        ("currency XYZ", with(json!({"currency": "XYZ"})), "INVALID_CURRENCY", "currency"),
        ("currency empty", with(json!({"currency": ""})), "INVALID_CURRENCY", "currency"),
        ("phone without +", with(json!({"customer": {"phone": "0501234567"}})), "INVALID_PHONE", "customer.phone"),
        ("phone too short", with(json!({"customer": {"phone": "+12"}})), "INVALID_PHONE", "customer.phone"),
        ("e-mail", with(json!({"customer": {"email": "not-an-email"}})), "INVALID_EMAIL", "customer.email"),
        ("expires_at in the past", with(json!({"expires_at": past()})), "INVALID_EXPIRY", "expires_at"),
        ("expires_at not a date", with(json!({"expires_at": "next tuesday"})), "INVALID_EXPIRY", "expires_at"),
        ("metadata a string", with(json!({"metadata": "text"})), "INVALID_METADATA", "metadata"),
        ("metadata an array", with(json!({"metadata": [1, 2]})), "INVALID_METADATA", "metadata"),
        ("metadata over 4096 bytes", with(json!({"metadata": big_meta})), "INVALID_METADATA", "metadata"),
        ("metadata over 50 keys", with(json!({"metadata": many_keys})), "INVALID_METADATA", "metadata"),
        ("language fr", with(json!({"language": "fr"})), "INVALID_REQUEST", "language"),
        ("title missing", with(json!({"title": null})), "INVALID_REQUEST", "title"),
        ("title empty", with(json!({"title": ""})), "INVALID_REQUEST", "title"),
        ("title blank", with(json!({"title": "   "})), "INVALID_REQUEST", "title"),
        ("title 201 characters", with(json!({"title": "t".repeat(201)})), "INVALID_REQUEST", "title"),
        ("title 201 Arabic characters", with(json!({"title": "ع".repeat(201)})), "INVALID_REQUEST", "title"),
        ("title a number", with(json!({"title": 5})), "INVALID_REQUEST", "title"),
        ("description 501 characters", with(json!({"description": "d".repeat(501)})), "INVALID_REQUEST", "description"),
        ("reference_id with spaces", with(json!({"reference_id": "ORDER 42"})), "INVALID_REQUEST", "reference_id"),
        ("reference_id empty", with(json!({"reference_id": ""})), "INVALID_REQUEST", "reference_id"),
        (
            "reference_id 65 characters",
            with(json!({"reference_id": "r".repeat(65)})),
            "INVALID_REQUEST",
            "reference_id",
        ),
        ("max_payments 0", with(json!({"max_payments": 0})), "INVALID_REQUEST", "max_payments"),
        ("max_payments -1", with(json!({"max_payments": -1})), "INVALID_REQUEST", "max_payments"),
        (
            "single_use with max_payments 5",
            with(json!({"single_use": true, "max_payments": 5})),
            "INVALID_REQUEST",
            "max_payments",
        ),
        ("max_payments a string", with(json!({"max_payments": "5"})), "INVALID_REQUEST", "max_payments"),
        ("max_payments a fraction", with(json!({"max_payments": 1.5})), "INVALID_REQUEST", "max_payments"),
        ("single_use a string", with(json!({"single_use": "yes"})), "INVALID_REQUEST", "single_use"),
        ("customer not an object", with(json!({"customer": "+966501234567"})), "INVALID_REQUEST", "customer"),
        ("unknown top-level field", with(json!({"colour": "red"})), "UNKNOWN_FIELD", "colour"),
        ("unknown nested field", with(json!({"customer": {"nickname": "Abu"}})), "UNKNOWN_FIELD", "customer.nickname"),
        ("body an array", "[1, 2]".into(), "INVALID_REQUEST", "body"),
        ("body null", "null".into(), "INVALID_REQUEST", "body"),
        (
            "body a positional array",
            r#"["10.00", null, "Positional", null, null, null, null, null, null, null, null, null, null, null, null, null, null, null]"#
                .into(),
            "INVALID_REQUEST",
            "body",
        ),
        ("body a string", "\"hello\"".into(), "INVALID_REQUEST", "body"),
        ("malformed JSON", r#"{"amount": "10.00", "title": "#.into(), "MALFORMED_JSON", "body"),
        ("trailing garbage", r#"{"amount": "10.00", "title": "t"} x"#.into(), "MALFORMED_JSON", "body"),
        ("trailing comma", r#"{"amount": "10.00", "title": "t",}"#.into(), "MALFORMED_JSON", "body"),
        ("empty body", String::new(), "MALFORMED_JSON", "body"),
        ("invalid UTF-8 escape", r#"{"amount": "10.00", "title": "\ud800"}"#.into(), "MALFORMED_JSON", "body"),
    ];
    rows.extend(url_rows.map(|(f, u)| ("bad URL", with(json!({f: u})), "INVALID_URL", f)));
    rows
}

both!(each_bad_create_input_answers_400_with_its_code_and_field, |app: Arc<TestApp>| async move {
    for (what, body, code, field) in create_rows() {
        let what = format!("{what} ({body:.120})");
        let r = raw(&app, "POST", "/v1/payment_links", Some("application/json"), body).await;
        check(&r, &what, 400, code, Some(field));
    }
    let list = app.get(&app.owner_key, "/v1/payment_links").await;
    assert_eq!(list.body["data"].as_array().map(Vec::len), Some(0), "no bad input created a link");
});

both!(a_request_with_several_bad_fields_names_each_of_them, |app: Arc<TestApp>| async move {
    let body =
        json!({"amount": "abc", "title": "", "customer": {"phone": "12"}, "callback_url": "ftp://x", "language": "fr"});
    let r = raw(&app, "POST", "/v1/payment_links", Some("application/json"), body.to_string()).await;
    check(&r, "several bad fields", 400, "INVALID_AMOUNT", None);
    for field in ["amount", "title", "customer.phone", "callback_url", "language"] {
        assert!(r.body["details"][field].is_string(), "details should name {field}: {}", r.text);
    }
});

both!(bodies_that_are_not_json_or_too_large_are_refused_before_parsing, |app: Arc<TestApp>| async move {
    let body = with(json!({}));
    let r = raw(&app, "POST", "/v1/payment_links", Some("text/plain"), body.clone()).await;
    check(&r, "text/plain", 415, "UNSUPPORTED_MEDIA_TYPE", None);
    let r = raw(&app, "POST", "/v1/payment_links", None, body.clone()).await;
    check(&r, "no content type", 415, "UNSUPPORTED_MEDIA_TYPE", None);
    let r =
        raw(&app, "POST", "/v1/payment_links", Some("application/x-www-form-urlencoded"), "amount=10&title=t".into())
            .await;
    check(&r, "form body", 415, "UNSUPPORTED_MEDIA_TYPE", None);
    let r = raw(&app, "POST", "/v1/payment_links", Some("application/json; charset=utf-8"), body).await;
    assert_eq!(r.status, 201, "a charset parameter is fine: {}", r.text);

    let huge = with(json!({"description": "d".repeat(70 * 1024)}));
    let r = raw(&app, "POST", "/v1/payment_links", Some("application/json"), huge.clone()).await;
    check(&r, "body over 64 KiB", 413, "PAYLOAD_TOO_LARGE", None);
    let req = app
        .client
        .post(format!("{}/v1/payment_links", app.base))
        .bearer_auth(&app.owner_key)
        .header("content-type", "application/json")
        .header("Idempotency-Key", "huge-1")
        .body(huge);
    check(&app.send(req).await, "body over 64 KiB with an Idempotency-Key", 413, "PAYLOAD_TOO_LARGE", None);
    let link = app.create_link(&app.owner_key, json!({"amount": 1, "title": "t"})).await;
    let patch = format!("/v1/payment_links/{}", link["id"].as_str().unwrap());
    let r = raw(&app, "PATCH", &patch, Some("text/plain"), r#"{"title": "x"}"#.into()).await;
    check(&r, "PATCH text/plain", 415, "UNSUPPORTED_MEDIA_TYPE", None);
    let r = raw(&app, "PATCH", &patch, Some("application/json"), r#"{"title": "x", "amount": 5}"#.into()).await;
    check(&r, "PATCH amount", 400, "UNKNOWN_FIELD", Some("amount"));
    let r = raw(&app, "PATCH", &patch, Some("application/json"), r#"{"title": "#.into()).await;
    check(&r, "PATCH malformed", 400, "MALFORMED_JSON", Some("body"));
});

both!(bad_list_parameters_answer_400_naming_the_parameter, |app: Arc<TestApp>| async move {
    let rows = [
        ("page_size=101", "INVALID_REQUEST", "page_size"),
        ("page_size=0", "INVALID_REQUEST", "page_size"),
        ("limit=0", "INVALID_REQUEST", "limit"),
        ("limit=101", "INVALID_REQUEST", "limit"),
        ("limit=abc", "INVALID_REQUEST", "limit"),
        ("limit=-1", "INVALID_REQUEST", "limit"),
        ("page=0", "INVALID_REQUEST", "page"),
        ("sort=bogus", "INVALID_REQUEST", "sort"),
        ("order=sideways", "INVALID_REQUEST", "order"),
        ("status=bogus", "INVALID_REQUEST", "status"),
        ("currency=XYZ", "INVALID_REQUEST", "currency"),
        ("created_from=yesterday", "INVALID_REQUEST", "created_from"),
        ("amount_min=abc", "INVALID_AMOUNT", "amount_min"),
        ("starting_after=usr_xxx", "INVALID_REQUEST", "starting_after"),
        ("bogus=1", "UNKNOWN_FIELD", "bogus"),
    ];
    for (query, code, field) in rows {
        let r = app.get(&app.owner_key, &format!("/v1/payment_links?{query}")).await;
        check(&r, query, 400, code, Some(field));
    }
});

both!(unknown_routes_wrong_methods_and_foreign_ids_answer_404_or_405, |app: Arc<TestApp>| async move {
    let link = app.create_link(&app.owner_key, json!({"amount": 1, "title": "t"})).await;
    let id = link["id"].as_str().unwrap();
    let key = app.owner_key.as_str();
    let other_kind = "usr_01JD0000000000000000000000";
    let missing = "plink_01JD0000000000000000000000";
    let rows: Vec<(&str, String, Option<Value>, u16, &str)> = vec![
        ("GET", "/v1/nothing_here".into(), None, 404, "ROUTE_NOT_FOUND"),
        ("GET", "/v2/payment_links".into(), None, 404, "ROUTE_NOT_FOUND"),
        ("POST", format!("/v1/payment_links/{id}/nonsense"), Some(json!({})), 404, "ROUTE_NOT_FOUND"),
        ("DELETE", "/v1/payment_links".into(), None, 405, "METHOD_NOT_ALLOWED"),
        ("PUT", "/v1/payment_links".into(), Some(json!({})), 405, "METHOD_NOT_ALLOWED"),
        ("DELETE", format!("/v1/payment_links/{id}"), None, 405, "METHOD_NOT_ALLOWED"),
        ("GET", format!("/v1/payment_links/{id}/cancel"), None, 405, "METHOD_NOT_ALLOWED"),
        ("GET", "/v1/payment_links/usr_xxx".into(), None, 404, "NOT_FOUND"),
        ("GET", format!("/v1/payment_links/{other_kind}"), None, 404, "NOT_FOUND"),
        ("GET", format!("/v1/payment_links/{missing}"), None, 404, "NOT_FOUND"),
        ("GET", "/v1/payment_links/..%2Fx".into(), None, 404, "NOT_FOUND"),
        ("GET", "/v1/payment_links/%2E%2E%2Fetc%2Fpasswd".into(), None, 404, "NOT_FOUND"),
        ("PATCH", "/v1/payment_links/usr_xxx".into(), Some(json!({"title": "x"})), 404, "NOT_FOUND"),
        ("PATCH", format!("/v1/payment_links/{missing}"), Some(json!({"title": "x"})), 404, "NOT_FOUND"),
        ("POST", "/v1/payment_links/..%2Fx/cancel".into(), Some(json!({})), 404, "NOT_FOUND"),
        ("POST", format!("/v1/payment_links/{other_kind}/cancel"), Some(json!({})), 404, "NOT_FOUND"),
    ];
    for (method, path, body, status, code) in rows {
        let what = format!("{method} {path}");
        let r = app.call(method, &path, Some(key), body).await;
        check(&r, &what, status, code, None);
    }
    let r = app.call("GET", "/v1/payment_links", None, None).await;
    check(&r, "no key", 401, "UNAUTHENTICATED", None);
    let r = app.call("GET", "/v1/payment_links", Some("sk_test_not_a_real_key"), None).await;
    check(&r, "unknown key", 401, "UNAUTHENTICATED", None);
    let read = app.get(key, &format!("/v1/payment_links/{id}")).await;
    assert_eq!((read.status, read.body["status"].as_str()), (200, Some("open")), "the link is untouched");
});

/// Creates a link from raw JSON text and returns (amount, amount_minor).
async fn created_amount(app: &TestApp, body: &str) -> (String, i64) {
    let r = raw(app, "POST", "/v1/payment_links", Some("application/json"), body.to_owned()).await;
    assert_eq!(r.status, 201, "{body}: {}", r.text);
    (r.body["amount"].as_str().unwrap().to_owned(), r.body["amount_minor"].as_i64().unwrap())
}

both!(an_amount_as_a_json_number_or_a_string_is_the_same_exact_amount, |app: Arc<TestApp>| async move {
    let rows = [
        ("SAR", "299.99", "299.99", 29999),
        ("SAR", "0.29", "0.29", 29),
        ("SAR", "19.99", "19.99", 1999),
        ("SAR", "1e2", "100.00", 10000),
        ("SAR", "1E2", "100.00", 10000),
        ("SAR", "1.5e1", "15.00", 1500),
        ("SAR", "12345e-2", "123.45", 12345),
        ("SAR", "10", "10.00", 1000),
        ("SAR", "10.50", "10.50", 1050),
        ("SAR", "1.100", "1.10", 110),
        ("SAR", "0.01", "0.01", 1),
        ("SAR", "10000000", "10000000.00", 1_000_000_000),
        ("KWD", "1.250", "1.250", 1250),
        ("KWD", "0.001", "0.001", 1),
        ("JPY", "1500", "1500", 1500),
        ("JPY", "1.5e3", "1500", 1500),
    ];
    for (currency, text, amount, minor) in rows {
        let as_number = format!(r#"{{"amount": {text}, "currency": "{currency}", "title": "n"}}"#);
        let as_string = format!(r#"{{"amount": "{text}", "currency": "{currency}", "title": "s"}}"#);
        let expected = (amount.to_owned(), minor);
        assert_eq!(created_amount(&app, &as_number).await, expected, "{text} {currency} as a number");
        assert_eq!(created_amount(&app, &as_string).await, expected, "\"{text}\" {currency} as a string");
    }
    // 200 characters of title are fine (the limit is inclusive).
    let r =
        raw(&app, "POST", "/v1/payment_links", Some("application/json"), with(json!({"title": "t".repeat(200)}))).await;
    assert_eq!(r.status, 201, "{}", r.text);
});
