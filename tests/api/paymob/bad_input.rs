//! Bad input answers in Paymob's shape, naming the request's own field:
//! `{"message": "<field> - <sentence>", "errors": {"<field>": ["<sentence>"]}}`; bodies that
//! cannot be read answer `{"message"}` with 400, 413 or 415; routes and methods DRF's `{"detail"}`.

use super::{CREATE, Upload, png, post_form, post_json, post_raw, sandbox_methods, token_auth};
use crate::both;
use crate::helpers::TestApp;
use serde_json::{Value, json};
use std::sync::Arc;

fn assert_field(r: &crate::helpers::Resp, field: &str, case: &str) {
    assert_eq!(r.status, 400, "{case}: {}", r.text);
    let message = r.body["message"].as_str().unwrap_or_default();
    assert!(message.starts_with(&format!("{field} - {field} ")), "{case}: {}", r.text);
    let errors = r.body["errors"][field].as_array().unwrap_or_else(|| panic!("{case}: {}", r.text));
    assert!(errors[0].as_str().is_some_and(|e| e.starts_with(&format!("{field} "))), "{case}: {}", r.text);
    assert_eq!(message, format!("{field} - {}", errors[0].as_str().unwrap()), "{case}");
}

both!(each_wrong_field_is_named_in_paymobs_shape, |app: Arc<TestApp>| async move {
    let method = sandbox_methods(&app).await[0].to_string();
    let m = method.as_str();
    let cases: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("amount_cents", vec![("amount_cents", "abc"), ("payment_methods", m), ("is_live", "false")]),
        ("amount_cents", vec![("amount_cents", "0"), ("payment_methods", m), ("is_live", "false")]),
        ("amount_cents", vec![("amount_cents", "55.50"), ("payment_methods", m), ("is_live", "false")]),
        ("amount_cents", vec![("amount_cents", "-100"), ("payment_methods", m), ("is_live", "false")]),
        ("amount_cents", vec![("payment_methods", m), ("is_live", "false")]),
        ("amount_cents", vec![("amount_cents", "99999999999999"), ("payment_methods", m), ("is_live", "false")]),
        ("payment_methods", vec![("amount_cents", "5500"), ("is_live", "false")]),
        ("is_live", vec![("amount_cents", "5500"), ("payment_methods", m), ("is_live", "maybe")]),
        ("is_live", vec![("amount_cents", "5500"), ("payment_methods", m)]),
        (
            "phone_number",
            vec![("amount_cents", "5500"), ("payment_methods", m), ("is_live", "false"), ("phone_number", "0100 000")],
        ),
        (
            "email",
            vec![("amount_cents", "5500"), ("payment_methods", m), ("is_live", "false"), ("email", "not-an-email")],
        ),
        (
            "expires_at",
            vec![("amount_cents", "5500"), ("payment_methods", m), ("is_live", "false"), ("expires_at", "tomorrow")],
        ),
        ("currency", vec![("amount_cents", "5500"), ("payment_methods", m), ("is_live", "false"), ("currency", "XYZ")]),
        (
            "reference_id",
            vec![("amount_cents", "5500"), ("payment_methods", m), ("is_live", "false"), ("reference_id", "has space")],
        ),
        (
            "notification_url",
            vec![
                ("amount_cents", "5500"),
                ("payment_methods", m),
                ("is_live", "false"),
                ("notification_url", "ftp://x"),
            ],
        ),
        (
            "redirection_url",
            vec![
                ("amount_cents", "5500"),
                ("payment_methods", m),
                ("is_live", "false"),
                ("redirection_url", "/thanks"),
            ],
        ),
    ];
    for (field, fields) in cases {
        let r = post_form(&app, CREATE, Some(&token_auth(&app)), &fields, None).await;
        assert_field(&r, field, &format!("{fields:?}"));
    }
    let long = "d".repeat(501);
    let fields =
        [("amount_cents", "5500"), ("payment_methods", m), ("is_live", "false"), ("description", long.as_str())];
    assert_field(
        &post_form(&app, CREATE, Some(&token_auth(&app)), &fields, None).await,
        "description",
        "long description",
    );
    // Several wrong fields at once are all listed.
    let r = post_form(&app, CREATE, Some(&token_auth(&app)), &[("amount_cents", "x"), ("is_live", "no")], None).await;
    let errors = r.body["errors"].as_object().unwrap();
    assert_eq!(errors.keys().collect::<Vec<_>>(), ["amount_cents", "is_live", "payment_methods"], "{}", r.text);
});

both!(images_must_be_real_images_of_at_most_two_mebibytes, |app: Arc<TestApp>| async move {
    let method = sandbox_methods(&app).await[0].to_string();
    let fields = [("amount_cents", "5500"), ("payment_methods", method.as_str()), ("is_live", "false")];
    let text =
        Upload { filename: "notes.png", content_type: "image/png", bytes: b"just some text, not a picture".to_vec() };
    assert_field(
        &post_form(&app, CREATE, Some(&token_auth(&app)), &fields, Some(&text)).await,
        "payment_link_image",
        "text",
    );
    let svg = Upload {
        filename: "x.svg",
        content_type: "image/svg+xml",
        bytes: b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_vec(),
    };
    assert_field(
        &post_form(&app, CREATE, Some(&token_auth(&app)), &fields, Some(&svg)).await,
        "payment_link_image",
        "svg",
    );
    let mut big = png();
    big.resize(2 * 1024 * 1024 + 1, 0);
    let big = Upload { filename: "big.png", content_type: "image/png", bytes: big };
    assert_field(
        &post_form(&app, CREATE, Some(&token_auth(&app)), &fields, Some(&big)).await,
        "payment_link_image",
        "2 MiB + 1",
    );
    let mut huge = png();
    huge.resize(3 * 1024 * 1024 + 1024, 0); // just over the route's 3 MiB
    let huge = Upload { filename: "huge.png", content_type: "image/png", bytes: huge };
    let r = post_form(&app, CREATE, Some(&token_auth(&app)), &fields, Some(&huge)).await;
    assert_eq!((r.status, r.body), (413, json!({"message": "Request body is too large."})));
    // An empty file part is no image (a form whose file input was left empty).
    let empty = Upload { filename: "", content_type: "application/octet-stream", bytes: Vec::new() };
    let r = post_form(&app, CREATE, Some(&token_auth(&app)), &fields, Some(&empty)).await;
    assert_eq!((r.status, &r.body["payment_link_image"]), (200, &Value::Null), "{}", r.text);
    // JSON cannot carry a file.
    let body = json!({"amount_cents": 5500, "payment_methods": [method], "is_live": false, "payment_link_image": "https://x/y.png"});
    assert_field(&post_json(&app, CREATE, Some(&token_auth(&app)), &body).await, "payment_link_image", "json image");
});

both!(unreadable_bodies_answer_with_a_message, |app: Arc<TestApp>| async move {
    let auth = token_auth(&app);
    let r = post_raw(&app, CREATE, Some(&auth), "application/json", b"{\"amount_cents\": 55".to_vec()).await;
    assert_eq!(r.status, 400, "{}", r.text);
    assert!(r.body["message"].as_str().unwrap().starts_with("JSON parse error - "), "{}", r.text);
    let r = post_raw(&app, CREATE, Some(&auth), "application/json", b"[1, 2]".to_vec()).await;
    assert!(r.status == 400 && r.body["message"].as_str().unwrap().starts_with("JSON parse error - "), "{}", r.text);
    let r = post_raw(&app, CREATE, Some(&auth), "text/plain", b"amount_cents=5500".to_vec()).await;
    assert_eq!((r.status, r.body), (415, json!({"message": "Unsupported media type \"text/plain\" in request."})));
    let r = post_raw(&app, CREATE, Some(&auth), "multipart/form-data", b"--x\r\n".to_vec()).await;
    assert!(
        r.status == 400 && r.body["message"].as_str().unwrap().starts_with("Multipart form parse error - "),
        "{}",
        r.text
    );
    let r = post_json(&app, CREATE, Some(&auth), &json!({"amount_cents": {"value": 1}})).await;
    assert_field(&r, "amount_cents", "an object");
    let r = post_raw(&app, CREATE, Some(&auth), "application/json", vec![b' '; 70 * 1024]).await;
    assert_eq!(r.status, 400, "a JSON body up to the route's limit is read, then refused: {}", r.text);
});

both!(unknown_routes_and_wrong_methods_answer_like_drf, |app: Arc<TestApp>| async move {
    let not_found = json!({"detail": "Not found."});
    for path in ["/paymob", "/paymob/", "/paymob/api/ecommerce/orders", "/paymob/api/ecommerce/payment-links/580001"] {
        let r = app.call("GET", path, None, None).await;
        assert_eq!((r.status, &r.body), (404, &not_found), "{path}");
    }
    let r = app.call("GET", CREATE, None, None).await;
    assert_eq!((r.status, r.body), (405, json!({"detail": "Method \"GET\" not allowed."})));
    let r = app.call("DELETE", crate::paymob::TOKENS, None, None).await;
    assert_eq!((r.status, r.body), (405, json!({"detail": "Method \"DELETE\" not allowed."})));
});

both!(an_idempotency_key_replays_the_first_answer, |app: Arc<TestApp>| async move {
    let method = sandbox_methods(&app).await[0];
    let body = json!({"amount_cents": 5500, "payment_methods": [method], "is_live": false, "reference_id": "IDEM-1"});
    let send = || {
        let req = app
            .client
            .post(format!("{}{CREATE}", app.base))
            .header("authorization", token_auth(&app))
            .header("idempotency-key", "order-1")
            .json(&body);
        app.send(req)
    };
    let (first, second) = (send().await, send().await);
    assert_eq!((first.status, second.status), (200, 200), "{}", second.text);
    assert_eq!(first.text, second.text);
    assert_eq!(second.headers["idempotent-replayed"], "true");
    // With an image larger than the global body limit too.
    let mut bytes = crate::paymob::png();
    bytes.resize(100 * 1024, 0);
    let image = crate::paymob::Upload { filename: "big.png", content_type: "image/png", bytes };
    let fields = [("amount_cents", "5500"), ("payment_methods", &method.to_string()), ("is_live", "false")];
    let (content_type, body) = crate::paymob::multipart(&fields, Some(&image));
    let send = || {
        let req = app
            .client
            .post(format!("{}{CREATE}", app.base))
            .header("authorization", token_auth(&app))
            .header("idempotency-key", "order-2")
            .header("content-type", content_type.as_str())
            .body(body.clone());
        app.send(req)
    };
    let (first, second) = (send().await, send().await);
    assert_eq!((first.status, second.status), (200, 200), "{}", first.text);
    assert_eq!(first.text, second.text);
    assert_eq!(second.headers["idempotent-replayed"], "true");
});
