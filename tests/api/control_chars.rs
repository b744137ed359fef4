//! A control character in any text of any request is a 4xx naming the field, in the surface's own
//! shape, on both databases — never a 500 (PostgreSQL cannot store U+0000; SQLite can, which is
//! why only one backend used to fail). The table is built from the OpenAPI documents, so a field,
//! parameter or route added later is covered without touching this file: every property of every
//! request body (nested objects, array items, free objects' values and keys) of every native and
//! dialect route, every query parameter, every path parameter. The payment pages' forms and
//! addresses, which no document describes, are in `pages`.

mod pages;
pub mod table;

use crate::both;
use crate::helpers::{Resp, TestApp};
use serde_json::Value;
use std::sync::Arc;
use table::{Body, Case, Shape, Where, cases};

/// The control characters every position is tried with: NUL, ESC, DEL and a C1 character (NEL),
/// each with its percent-encoding for query strings and paths.
pub const BAD: [(&str, &str); 4] = [("\u{0}", "%00"), ("\u{1b}", "%1B"), ("\u{7f}", "%7F"), ("\u{85}", "%C2%85")];

/// The fields an error body names, read the surface's way.
fn named(shape: Shape, body: &Value) -> Vec<String> {
    let keys = |v: &Value| v.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
    match shape {
        Shape::Native | Shape::Exchange => keys(&body["details"]),
        Shape::Drf => keys(body).into_iter().filter(|k| k != "detail").collect(),
        Shape::BirrLink => body["error"]["details"]
            .as_array()
            .map(|d| d.iter().filter_map(|d| d["field"].as_str().map(str::to_owned)).collect())
            .unwrap_or_default(),
        Shape::Paymob => keys(&body["errors"]),
    }
}

/// Whether a 404 is in the surface's shape.
fn is_not_found(shape: Shape, r: &Resp) -> bool {
    let b = &r.body;
    r.status == 404
        && match shape {
            Shape::Native => b["error_code"] == "NOT_FOUND",
            Shape::Drf => b["detail"] == "Not found." && b.as_object().is_some_and(|o| o.len() == 1),
            Shape::Exchange => b["err"] == 3,
            Shape::BirrLink => b["error"]["code"] == "resource_not_found",
            Shape::Paymob => b["detail"] == "Not found.",
        }
}

/// Checks one answer: a 400 naming the field in the surface's shape (the native code is
/// `CONTROL_CHARACTER`), or for a path segment the surface's 404.
fn check(case: &Case, r: &Resp) -> Result<(), String> {
    let what = format!("{} {} {:?}: {} {}", case.method, case.path, case.place, r.status, r.text);
    if r.status >= 500 {
        return Err(format!("a server error: {what}"));
    }
    if let Where::Path = case.place {
        return if is_not_found(case.shape, r) { Ok(()) } else { Err(format!("not the surface's 404: {what}")) };
    }
    if r.status != 400 || !named(case.shape, &r.body).contains(&case.field) {
        return Err(format!("not a 400 naming `{}`: {what}", case.field));
    }
    if case.shape == Shape::Native && r.body["error_code"] != "CONTROL_CHARACTER" {
        return Err(format!("not CONTROL_CHARACTER: {what}"));
    }
    Ok(())
}

/// Sends a case with one control character.
async fn send(app: &TestApp, case: &Case, bad: (&str, &str)) -> Resp {
    let method = reqwest::Method::from_bytes(case.method.as_bytes()).expect("method");
    let path = case.path.replace("{bad}", bad.1);
    let mut req = app.client.request(method, format!("{}{path}", app.base));
    req = req.header("authorization", case.shape_auth(&app.owner_key));
    req = match &case.body {
        Body::None => req,
        Body::Json(v) => req.json(&table::with_bad(v, bad.0)),
        Body::Form(fields) => {
            let fields: Vec<(String, String)> =
                fields.iter().map(|(k, v)| (k.clone(), v.replace("{bad}", bad.0))).collect();
            req.header("content-type", "application/x-www-form-urlencoded")
                .body(serde_urlencoded::to_string(&fields).expect("form"))
        }
        Body::Multipart(fields) => {
            let fields: Vec<(String, String)> =
                fields.iter().map(|(k, v)| (k.clone(), v.replace("{bad}", bad.0))).collect();
            let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let (content_type, bytes) = crate::paymob::multipart(&refs, None);
            req.header("content-type", content_type).body(bytes)
        }
    };
    app.send(req).await
}

both!(
    a_control_character_anywhere_in_any_request_is_a_4xx_naming_the_field_never_a_500,
    |app: Arc<TestApp>| async move {
        let all = cases();
        assert!(all.len() > 300, "the documents describe every route: {} cases", all.len());
        let mut failures = Vec::new();
        for case in &all {
            for bad in BAD {
                if let Err(e) = check(case, &send(&app, case, bad).await) {
                    failures.push(format!("{:?}: {e}", bad.0));
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} answers were wrong:\n{}",
            failures.len(),
            all.len() * 4,
            failures.join("\n")
        );
    }
);

both!(the_table_reaches_every_surface_and_kind_of_position, |_app: Arc<TestApp>| async move {
    let all = cases();
    for shape in [Shape::Native, Shape::Drf, Shape::Exchange, Shape::BirrLink, Shape::Paymob] {
        for kind in ["body", "query", "path"] {
            let n = all.iter().filter(|c| c.shape == shape && c.place.kind() == kind).count();
            // No Amwal refund, Exchange or Paymob route takes a query parameter; Paymob's ids are
            // in bodies, not paths.
            let expected = match kind {
                "query" => !matches!(shape, Shape::Drf | Shape::Exchange | Shape::Paymob),
                "path" => shape != Shape::Paymob,
                _ => true,
            };
            assert_eq!(n > 0, expected, "{shape:?} {kind}: {n}");
        }
    }
    for field in ["customer.phone", "customer.first_name", "metadata.k", "metadata", "payment_methods[0]", "q"] {
        assert!(all.iter().any(|c| c.shape == Shape::Native && c.field == field), "native {field}");
    }
    for (shape, field) in [
        (Shape::Native, "client_first_name"),
        (Shape::Drf, "refund_amount"),
        (Shape::Exchange, "header"),
        (Shape::BirrLink, "customer.name"),
        (Shape::BirrLink, "events[0]"),
        (Shape::BirrLink, "search"),
        (Shape::Paymob, "full_name"),
        (Shape::Paymob, "payment_link_id"),
        (Shape::Paymob, "api_key"),
    ] {
        assert!(all.iter().any(|c| c.shape == shape && c.field == field), "{shape:?} {field}");
    }
});
