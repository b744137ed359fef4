//! The OpenAPI document: the committed `openapi.json` is what the handlers generate, the server
//! serves that document, and every `/v1` operation documents the 4xx responses it can produce.

use crate::both;
use crate::helpers::TestApp;
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::Arc;

const REGENERATE: &str = "run `cargo run -- openapi > openapi.json` and commit the result";

fn generated() -> String {
    paylink::app::openapi().to_pretty_json().expect("the document serializes")
}

#[test]
fn the_committed_openapi_json_is_the_document_the_handlers_generate() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path} ({e}): {REGENERATE}"));
    let generated = generated();
    if committed.trim_end() == generated.trim_end() {
        return;
    }
    let (mut old, mut new) = (committed.lines(), generated.lines());
    let mut line = 1;
    loop {
        match (old.next(), new.next()) {
            (Some(a), Some(b)) if a == b => line += 1,
            (a, b) => panic!(
                "openapi.json differs from the document the handlers generate, first at line {line}:\n  \
                 committed: {}\n  generated: {}\n{REGENERATE}",
                a.unwrap_or("<end of file>"),
                b.unwrap_or("<end of file>")
            ),
        }
    }
}

both!(the_server_serves_the_generated_document_at_openapi_json, |app: Arc<TestApp>| async move {
    let r = app.call("GET", "/openapi.json", None, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let content_type = r.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(content_type.starts_with("application/json"), "{content_type}");
    assert_eq!(r.text, generated());
    assert_eq!(r.body["openapi"].as_str().map(|v| v.starts_with("3.")), Some(true));
});

/// The 4xx statuses an operation can answer, from its shape and the layers every `/v1` route
/// shares: the bearer key (401), a path id (404), a JSON body (400, 415), the body limit and the
/// `Idempotency-Key` middleware on writes (400, 409, 413, 422), the role gate on the tenancy
/// resources (403), and strict query parameters (400).
fn expected_4xx(method: &str, path: &str, op: &Value) -> BTreeSet<&'static str> {
    let mut want = BTreeSet::from(["401"]);
    if path.contains('{') {
        want.insert("404");
    }
    if op.get("requestBody").is_some() {
        want.extend(["400", "415"]);
    }
    if matches!(method, "post" | "put" | "patch") {
        want.extend(["400", "409", "413", "422"]);
    }
    let tags = op["tags"].as_array().map(Vec::as_slice).unwrap_or_default();
    if tags.iter().any(|t| matches!(t.as_str(), Some("branches" | "users" | "api_keys"))) {
        want.insert("403");
    }
    let params = op["parameters"].as_array().map(Vec::as_slice).unwrap_or_default();
    if params.iter().any(|p| p["in"] == "query") {
        want.insert("400");
    }
    want
}

/// The problems with one operation's documented 4xx responses.
fn problems(method: &str, path: &str, op: &Value) -> Vec<String> {
    let responses = op["responses"].as_object().cloned().unwrap_or_default();
    let mut found = Vec::new();
    let missing: Vec<&str> =
        expected_4xx(method, path, op).into_iter().filter(|s| !responses.contains_key(*s)).collect();
    if !missing.is_empty() {
        found.push(format!("{} {path}: missing {}", method.to_uppercase(), missing.join(", ")));
    }
    for (status, response) in responses.iter().filter(|(s, _)| s.starts_with('4')) {
        let schema = &response["content"]["application/json"]["schema"]["$ref"];
        if schema != "#/components/schemas/ErrorBody" {
            found.push(format!(
                "{} {path}: {status} is not documented with the ErrorBody schema",
                method.to_uppercase()
            ));
        }
    }
    found
}

#[test]
fn every_v1_route_documents_the_4xx_responses_it_can_produce() {
    let doc: Value = serde_json::from_str(&generated()).expect("JSON");
    let paths = doc["paths"].as_object().expect("paths");
    let v1: Vec<_> = paths.iter().filter(|(p, _)| p.starts_with("/v1/")).collect();
    assert!(v1.len() >= 10, "the /v1 routes are documented: {:?}", paths.keys().collect::<Vec<_>>());
    let mut all = Vec::new();
    for (path, item) in v1 {
        for (method, op) in item.as_object().expect("a path item") {
            if matches!(method.as_str(), "get" | "put" | "post" | "delete" | "patch") {
                assert!(op.get("security").is_none(), "{method} {path} must keep the bearer requirement");
                all.extend(problems(method, path, op));
            }
        }
    }
    assert!(all.is_empty(), "undocumented 4xx responses:\n  {}", all.join("\n  "));
}
