//! Every failure a dialect route answers is declared in the dialect's OpenAPI document, with the
//! shape it has — including failures of the layers the dialects share with the native API (the
//! key, the `Idempotency-Key` layer, the body limit, the content type, the path guard), which take
//! the route's own shape. Each documented route of Amwal, Exchange, BirrLink and Paymob is probed
//! with each shared failure; the answer's status must be listed for that route and its body must
//! fit the schema listed for that status.

use crate::both;
use crate::control_chars::table::{Surface, documents, has_type};
use crate::helpers::{Resp, TestApp};
use serde_json::{Value, json};
use std::sync::Arc;

/// A way to make a shared layer fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Probe {
    NoKey,
    LongIdempotencyKey,
    ReusedIdempotencyKey,
    TooLarge,
    NotJson,
    NotUtf8Path,
}

/// Whether a body fits a schema: an object with only the listed members and every required one,
/// any alternative of a `oneOf`, any object for a map.
fn fits(doc: &Value, schema: &Value, v: &Value) -> bool {
    if let Some(r) = schema["$ref"].as_str() {
        return fits(doc, &doc["components"]["schemas"][r.rsplit('/').next().unwrap_or("")], v);
    }
    if let Some(alts) = schema["oneOf"].as_array().or(schema["anyOf"].as_array()) {
        return alts.iter().any(|a| fits(doc, a, v));
    }
    if let Some(props) = schema["properties"].as_object() {
        let Some(obj) = v.as_object() else { return false };
        let required = schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str);
        return obj.keys().all(|k| props.contains_key(k)) && required.into_iter().all(|k| obj.contains_key(k));
    }
    !has_type(schema, "object") || v.is_object()
}

/// The probes that apply to an operation.
fn probes(method: &str, op: &Value, template: &str) -> Vec<Probe> {
    let mut out = Vec::new();
    if op["security"].as_array().is_none_or(|s| s.iter().any(|r| r.as_object().is_some_and(|o| !o.is_empty()))) {
        out.push(Probe::NoKey);
    }
    if ["post", "put", "patch"].contains(&method) {
        out.extend([Probe::LongIdempotencyKey, Probe::ReusedIdempotencyKey, Probe::TooLarge]);
    }
    if op["requestBody"].is_object() {
        out.push(Probe::NotJson);
    }
    if template.contains('{') {
        out.push(Probe::NotUtf8Path);
    }
    out
}

/// The path with its parameters filled: `x`, or `%FF` for the path probe.
fn fill(path: &str, probe: Probe) -> String {
    let parts = path.split(['{', '}']).enumerate();
    parts
        .map(|(i, part)| match (i % 2, probe) {
            (0, _) => part,
            (_, Probe::NotUtf8Path) => "%FF",
            _ => "x",
        })
        .collect()
}

/// Sends one probe to a route (`{…}` parameters filled with `x`, or `%FF` for the path probe).
async fn send(app: &TestApp, surface: Surface, method: &str, path: &str, probe: Probe) -> Resp {
    let filled = fill(path, probe);
    let key = &app.owner_key;
    let auth = match surface {
        Surface::Amwal => key.clone(),
        Surface::Paymob => format!("Token {key}"),
        _ => format!("Bearer {key}"),
    };
    let large = path.ends_with("/payment-links") as usize * 3 * 1024 * 1024 + 70 * 1024;
    let body = match probe {
        Probe::TooLarge => json!({"x": "a".repeat(large)}).to_string(),
        Probe::ReusedIdempotencyKey => json!({"second": true}).to_string(),
        _ => "{}".to_owned(),
    };
    let request = |body: String| {
        let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let mut req = app.client.request(method, format!("{}{filled}", app.base));
        if probe != Probe::NoKey {
            req = req.header("authorization", &auth);
        }
        let content_type = if probe == Probe::NotJson { "text/plain" } else { "application/json" };
        req = req.header("content-type", content_type);
        match probe {
            Probe::LongIdempotencyKey => req.header("idempotency-key", "k".repeat(256)),
            Probe::ReusedIdempotencyKey => req.header("idempotency-key", format!("reuse-{filled}")),
            _ => req,
        }
        .body(body)
    };
    if probe == Probe::ReusedIdempotencyKey {
        app.send(request("{}".to_owned())).await;
    }
    app.send(request(body)).await
}

both!(every_failure_of_every_dialect_route_is_declared_with_its_shape, |app: Arc<TestApp>| async move {
    let mut wrong = Vec::new();
    let mut answered = 0;
    for (surface, doc) in documents().into_iter().filter(|(s, _)| *s != Surface::Native) {
        let base = doc["servers"][0]["url"].as_str().unwrap_or("").to_owned();
        for (template, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                for probe in probes(method, op, template) {
                    let r = send(&app, surface, method, &format!("{base}{template}"), probe).await;
                    if r.status < 400 {
                        continue;
                    }
                    answered += 1;
                    let what = format!("{surface:?} {method} {template} {probe:?}: {} {}", r.status, r.text);
                    let Some(declared) = op["responses"].get(r.status.to_string()) else {
                        wrong.push(format!("undeclared status: {what}"));
                        continue;
                    };
                    let schema = &declared["content"]["application/json"]["schema"];
                    if schema.is_null() || !fits(&doc, schema, &r.body) {
                        wrong.push(format!("not the declared shape: {what}"));
                    }
                }
            }
        }
    }
    assert!(answered > 60, "the probes reach the routes: {answered}");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
});

both!(amwal_refunds_answer_every_shared_failure_in_drfs_shape, |app: Arc<TestApp>| async move {
    let path = |id: &str| format!("{}/amwal/transactions/refund/{id}/", app.base);
    let post = |id: &str| app.client.post(path(id)).header("authorization", &app.owner_key);
    let long_key = app.send(post("x").header("idempotency-key", "k".repeat(256)).json(&json!({}))).await;
    assert_eq!(long_key.status, 400, "{}", long_key.text);
    assert_eq!(long_key.body, json!({"detail": "Idempotency-Key must be 1 to 255 visible ASCII characters"}));
    let first = app.send(post("x").header("idempotency-key", "same").json(&json!({"refund_amount": 1}))).await;
    assert_eq!(first.body, json!({"detail": "Not found."}), "{}", first.text);
    let replay = app.send(post("x").header("idempotency-key", "same").json(&json!({"refund_amount": 1}))).await;
    assert_eq!((replay.status, &replay.body), (404, &first.body), "a replay of ours passes unchanged");
    let reused = app.send(post("x").header("idempotency-key", "same").json(&json!({"refund_amount": 2}))).await;
    assert_eq!(reused.status, 422, "{}", reused.text);
    assert_eq!(reused.body, json!({"detail": "this Idempotency-Key was used with a different request"}));
    let big = json!({"refund_amount": 1, "pad": "a".repeat(70 * 1024)});
    for key in ["big-1", ""] {
        let req = post("x").json(&big);
        let req = if key.is_empty() { req } else { req.header("idempotency-key", key) };
        let r = app.send(req).await;
        assert_eq!(r.status, 413, "{key:?}: {}", r.text);
        assert!(r.body["detail"].is_string() && r.body.as_object().unwrap().len() == 1, "{}", r.text);
    }
    for id in ["%FF", "x%00y"] {
        let r = app.send(post(id).json(&json!({"refund_amount": 1}))).await;
        assert_eq!((r.status, &r.body), (404, &json!({"detail": "Not found."})), "{id}: {}", r.text);
    }
    let get = app.send(app.client.get(path("x")).header("authorization", &app.owner_key)).await;
    assert_eq!((get.status, &get.body), (405, &json!({"detail": "Method \"GET\" not allowed."})), "{}", get.text);
    let field = app.send(post("x").json(&json!({"refund_amount": "1\u{0}"}))).await;
    assert_eq!(field.status, 400);
    assert!(field.body["refund_amount"][0].as_str().is_some_and(|m| m.contains("control")), "{}", field.text);
});

both!(amwals_document_declares_drfs_shapes_on_the_refund_routes, |_app: Arc<TestApp>| async move {
    let doc = documents().into_iter().find(|(s, _)| *s == Surface::Amwal).unwrap().1;
    for (template, item) in doc["paths"].as_object().unwrap() {
        let refund = template.contains("/transactions/refund/");
        for (method, op) in item.as_object().unwrap() {
            for status in ["409", "413", "422", "429"].iter().filter(|s| method == "post" || **s == "429") {
                let schema = &op["responses"][*status]["content"]["application/json"]["schema"]["$ref"];
                let want = if refund { "DrfDetail" } else { "AmwalErrorBody" };
                assert!(schema.as_str().is_some_and(|r| r.ends_with(want)), "{method} {template} {status}: {schema}");
            }
            if refund {
                let bad = &op["responses"]["400"]["content"]["application/json"]["schema"];
                assert!(fits(&doc, bad, &json!({"detail": "x"})) && fits(&doc, bad, &json!({"refund_amount": ["x"]})));
            }
        }
    }
});
