//! The seed's Create QuickLink request, as multipart form data with repeated `payment_methods`
//! and a real image, and as JSON (array and scalar `payment_methods`): the NOTES response field
//! by field, and the QuickLink as an ordinary Paylink link.

use super::{CREATE, get, naive_in_days, png, png_upload, post_form, post_json, sandbox_methods, token_auth};
use crate::both;
use crate::helpers::TestApp;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::sync::Arc;

/// The keys of the NOTES §5 response, in its order.
const KEYS: [&str; 18] = [
    "id",
    "currency",
    "client_info",
    "reference_id",
    "shorten_url",
    "amount_cents",
    "payment_link_image",
    "description",
    "created_at",
    "expires_at",
    "client_url",
    "origin",
    "merchant_staff_tag",
    "state",
    "paid_at",
    "redirection_url",
    "notification_url",
    "order",
];

fn is_naive_micros(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 26
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'.',
            _ => c.is_ascii_digit(),
        })
}

/// Every field of a fresh QuickLink that does not depend on the request's optional fields.
fn check_common(app: &TestApp, b: &Value) -> i64 {
    let keys: BTreeSet<&str> = b.as_object().expect("an object").keys().map(String::as_str).collect();
    assert_eq!(keys, KEYS.into_iter().collect(), "{b}");
    let id = b["id"].as_i64().expect("an integer id");
    assert!(id > 580_000, "{id}");
    assert_eq!(b["order"].as_i64(), Some(id + 450_000_000));
    assert!(is_naive_micros(b["created_at"].as_str().unwrap()), "{}", b["created_at"]);
    assert!(b["client_url"].as_str().unwrap().starts_with(&format!("{}/pay/plink_", app.base)), "{b}");
    assert!(b["shorten_url"].as_str().unwrap().starts_with(&format!("{}/l/", app.base)), "{b}");
    assert_eq!(b["origin"], 2);
    assert_eq!(b["merchant_staff_tag"], Value::Null);
    assert_eq!(b["state"], "created");
    assert_eq!(b["paid_at"], Value::Null);
    id
}

both!(the_seed_multipart_request_creates_a_quicklink_with_its_image, |app: Arc<TestApp>| async move {
    let methods: Vec<String> = sandbox_methods(&app).await.iter().map(i64::to_string).collect();
    let expires = naive_in_days(&app, 190);
    let fields = [
        ("amount_cents", "5500"),
        ("payment_methods", methods[0].as_str()),
        ("payment_methods", methods[1].as_str()),
        ("is_live", "false"),
        ("expires_at", expires.as_str()),
        ("reference_id", "ABC5295296"),
        ("email", "test@test.com"),
        ("full_name", "Test Account"),
        ("phone_number", "+201000000002"),
        ("description", "test"),
    ];
    let r = post_form(&app, CREATE, Some(&token_auth(&app)), &fields, Some(&png_upload())).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let b = &r.body;
    check_common(&app, b);
    assert_eq!(b["currency"], "SAR");
    assert_eq!(
        b["client_info"],
        json!({"email": "test@test.com", "full_name": "Test Account", "phone_number": "+201000000002"})
    );
    assert_eq!(b["reference_id"], "ABC5295296");
    assert_eq!(b["amount_cents"], json!(5500));
    assert_eq!(b["description"], "test");
    assert_eq!(b["expires_at"], json!(expires));
    assert_eq!((&b["redirection_url"], &b["notification_url"]), (&Value::Null, &Value::Null));

    let image_url = b["payment_link_image"].as_str().expect("an image URL");
    assert!(image_url.starts_with(&format!("{}/images/links/limg_", app.base)), "{image_url}");
    let image = app.send(app.client.get(image_url)).await;
    assert_eq!(image.status, 200);
    assert_eq!(image.headers["content-type"], "image/png");
    assert!(image.headers["cache-control"].to_str().unwrap().contains("immutable"));
    let bytes = app.client.get(image_url).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(bytes.as_ref(), png().as_slice(), "the image served is the one uploaded");

    let page = get(&app, &format!("{}?lang=en", b["client_url"].as_str().unwrap())).await;
    assert_eq!(page.status, 200);
    let path = image_url.strip_prefix(&app.base).unwrap();
    assert!(page.text.contains(&format!("<img class=\"link-image\" src=\"{path}\" alt=\"test\"")), "{}", page.text);
    assert!(page.text.contains("55.00"), "the page shows the amount");
    let short = get(&app, b["shorten_url"].as_str().unwrap()).await;
    assert_eq!(short.status, 200);
    let link_id = b["client_url"].as_str().unwrap().rsplit('/').next().unwrap();
    assert!(short.text.contains(&format!("/pay/{link_id}")), "the short URL opens the same link");

    // An ordinary Paylink link, visible to the native API.
    let native = app.get(&app.owner_key, &format!("/v1/payment_links/{link_id}")).await;
    assert_eq!(native.status, 200, "{}", native.text);
    assert_eq!(native.body["amount_minor"], 5500);
    assert_eq!(native.body["status"], "open");
    assert_eq!(native.body["reference_id"], "ABC5295296");
    assert_eq!(native.body["single_use"], true);
    let ids: Vec<i64> = methods[..2].iter().map(|m| m.parse().unwrap()).collect();
    assert_eq!(native.body["payment_methods"], json!(ids));
    assert_eq!(
        native.body["customer"],
        json!({"phone": "+201000000002", "email": "test@test.com", "first_name": "Test", "last_name": "Account"})
    );
});

both!(a_json_request_with_an_array_of_methods_creates_a_quicklink, |app: Arc<TestApp>| async move {
    let methods = sandbox_methods(&app).await;
    let body = json!({
        "amount_cents": 12345,
        "payment_methods": [methods[0], methods[1]],
        "is_live": false,
        "reference_id": "JSON-ARRAY-1",
        "email": "payer@example.com",
        "full_name": "Mona Zaki El Sayed",
        "description": "Order #77",
        "currency": "EGP",
        "notification_url": "https://merchant.example/paymob/callback",
        "redirection_url": "https://merchant.example/thanks",
    });
    let r = post_json(&app, CREATE, Some(&token_auth(&app)), &body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let b = &r.body;
    check_common(&app, b);
    assert_eq!(b["amount_cents"], json!(12345));
    assert_eq!(b["currency"], "EGP");
    assert_eq!(
        b["client_info"],
        json!({"email": "payer@example.com", "full_name": "Mona Zaki El Sayed", "phone_number": null})
    );
    assert_eq!(b["payment_link_image"], Value::Null);
    assert_eq!(b["expires_at"], Value::Null);
    assert_eq!(b["notification_url"], "https://merchant.example/paymob/callback");
    assert_eq!(b["redirection_url"], "https://merchant.example/thanks");
    let link_id = b["client_url"].as_str().unwrap().rsplit('/').next().unwrap().to_owned();
    let native = app.get(&app.owner_key, &format!("/v1/payment_links/{link_id}")).await;
    assert_eq!((native.body["amount"].as_str(), native.body["currency"].as_str()), (Some("123.45"), Some("EGP")));
    assert_eq!(native.body["customer"]["last_name"], "Zaki El Sayed");
});

both!(a_json_request_with_one_method_and_numeric_strings_creates_a_quicklink, |app: Arc<TestApp>| async move {
    let method = sandbox_methods(&app).await[2];
    for (i, methods) in [json!(method), json!(method.to_string())].into_iter().enumerate() {
        let body = json!({"amount_cents": "700", "payment_methods": methods, "is_live": "false"});
        let r = post_json(&app, CREATE, Some(&token_auth(&app)), &body).await;
        assert_eq!(r.status, 200, "{i}: {}", r.text);
        check_common(&app, &r.body);
        assert_eq!(r.body["amount_cents"], json!(700));
        assert_eq!(r.body["client_info"], json!({"email": null, "full_name": null, "phone_number": null}));
        let link_id = r.body["client_url"].as_str().unwrap().rsplit('/').next().unwrap().to_owned();
        let native = app.get(&app.owner_key, &format!("/v1/payment_links/{link_id}")).await;
        assert_eq!(native.body["payment_methods"], json!([method]));
    }
});

both!(quicklink_ids_follow_each_other_and_a_live_key_creates_live_links, |app: Arc<TestApp>| async move {
    let first = crate::paymob::minimal(&app, "100").await["id"].as_i64().unwrap();
    let second = crate::paymob::minimal(&app, "200").await["id"].as_i64().unwrap();
    assert_eq!(second, first + 1);
    let live = crate::paymob::live_method(&app).await.to_string();
    let (_, live_key) =
        app.staff_in(paylink::domain::access::Role::Owner, None, paylink::domain::Environment::Production).await;
    let fields = [("amount_cents", "990"), ("payment_methods", live.as_str()), ("is_live", "true")];
    let r = post_form(&app, CREATE, Some(&format!("Token {live_key}")), &fields, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let link_id = r.body["client_url"].as_str().unwrap().rsplit('/').next().unwrap().to_owned();
    let native = app.get(&live_key, &format!("/v1/payment_links/{link_id}")).await;
    assert_eq!(native.body["environment"], "production");
    assert_eq!(app.get(&app.owner_key, &format!("/v1/payment_links/{link_id}")).await.status, 404);
});
