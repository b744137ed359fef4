//! The request examples of seeds 000 and 001 and of NOTES §1, sent verbatim, answered with the
//! documented status and shape, field by field.

use super::{amwal, assert_amwal_error, create, create_path, details, list_path, native_id, post};
use crate::both;
use crate::helpers::TestApp;
use crate::sandbox::{card, pay_with};
use paylink::domain::Timestamp;
use serde_json::{Value, json};
use std::sync::Arc;

/// Seed 001's request example as published (its e-mail address was replaced by the page's
/// e-mail obfuscation with `[email protected]`; `with_email` puts a real one back).
fn seed_001_example(with_email: &str) -> Value {
    json!({
      "amount": 299.99,
      "title": "Order #12345 - Premium Headphones",
      "description": "Wireless Noise-Cancelling Headphones - Black",
      "singleUse": true,
      "selectedDate": "2024-12-31T23:59:59Z",
      "client_phone_number": "+966501234567",
      "client_email": with_email,
      "client_first_name": "Ahmed",
      "language": "en",
      "send_sms": false,
      "callback_url": "https://mystore.com/webhook/payment-complete"
    })
}

fn is_uuid(v: &Value) -> bool {
    v.as_str().is_some_and(|s| paylink::domain::id::id_from_uuid("plink", s).is_some())
}

/// Moves the test clock back to 1 December 2024, when seed 001's expiry was still ahead.
fn back_to_december_2024(app: &TestApp) {
    let then = Timestamp::parse_rfc3339("2024-12-01T00:00:00Z").unwrap();
    app.ctx.clock.advance_secs(-(app.ctx.clock.now().micros() - then.micros()) / 1_000_000);
}

both!(seed_000_create_with_amount_and_phone_number_answers_the_payment_session_id, |app: Arc<TestApp>| async move {
    let body = create(&app, &app.owner_key, json!({"amount": 150, "phoneNumber": "+966501234567"})).await;
    assert!(is_uuid(&body["payment_session_id"]), "{body}");
    assert_eq!(body["payment_link_id"], body["payment_session_id"]);
    let uuid = body["payment_session_id"].as_str().unwrap();
    assert_eq!(body["url"], format!("{}/payment-link/{uuid}", app.base));
    assert_eq!(body["environment"], "SANDBOX");
    let native = app.get(&app.owner_key, &format!("/v1/payment_links/{}", native_id(uuid))).await;
    assert_eq!(native.status, 200, "{}", native.text);
    let n = &native.body;
    assert_eq!((n["amount"].as_str(), n["customer"]["phone"].as_str()), (Some("150.00"), Some("+966501234567")));
    assert_eq!((n["single_use"].as_bool(), n["send_sms"].as_bool()), (Some(true), Some(true)));
    assert_eq!((n["language"].as_str(), n["expires_at"].as_str()), (Some("ar"), None));
    assert!(n["title"].as_str().is_some_and(|t| !t.is_empty()), "the store's name stands in for the title: {n}");
    let sms = app.get(&app.owner_key, &format!("/v1/notifications?link_id={}", native_id(uuid))).await;
    assert_eq!(sms.body["data"][0]["channel"], "sms", "send_sms defaults to true: {}", sms.text);
});

both!(seed_001_installment_example_creates_the_link_it_describes, |app: Arc<TestApp>| async move {
    back_to_december_2024(&app);
    let body = create(&app, &app.owner_key, seed_001_example("ahmed@example.com")).await;
    assert!(is_uuid(&body["payment_link_id"]), "{body}");
    let uuid = body["payment_link_id"].as_str().unwrap();
    assert_eq!(body["url"], format!("{}/payment-link/{uuid}", app.base));
    assert_eq!(body["environment"], "SANDBOX");
    let r = details(&app, &app.owner_key, uuid).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let l = &r.body["payment_link"];
    let expected = json!({
        "id": uuid, "payment_session_id": uuid, "amount": "299.99000", "currency": "SAR",
        "title": "Order #12345 - Premium Headphones", "description": "Wireless Noise-Cancelling Headphones - Black",
        "single_use": true, "enabled": true, "expiry_date": "2024-12-31T23:59:59.000000+00:00", "status": "Unpaid",
        "is_expired": false, "client_phone_number": "+966501234567", "client_email": "ahmed@example.com",
        "client_first_name": "Ahmed", "client_last_name": null, "language": "en", "send_sms": false,
        "address_required": false, "callback_url": "https://mystore.com/webhook/payment-complete",
        "metadata": {}, "amount_paid": "0.00000", "payments_count": 0, "order_id": null,
        "merchant_country_code": "SA", "terminal_id": null, "pos_session_id": null, "cashier_id": null,
    });
    for (field, want) in expected.as_object().unwrap() {
        assert_eq!(&l[field], want, "payment_link.{field}: {l}");
    }
    assert_eq!(r.body["transactions"], json!({"count": 0, "next": null, "previous": null, "results": []}));
});

both!(seed_001_example_as_published_names_its_scrubbed_email, |app: Arc<TestApp>| async move {
    back_to_december_2024(&app);
    let r = post(&app, &app.owner_key, &create_path(&app), seed_001_example("[email protected]")).await;
    assert_amwal_error(&r, 400, Some("client_email"));
    assert_eq!(r.body["error_code"], "INVALID_EMAIL");
});

both!(seed_001_example_today_is_refused_because_its_expiry_has_passed, |app: Arc<TestApp>| async move {
    let r = post(&app, &app.owner_key, &create_path(&app), seed_001_example("ahmed@example.com")).await;
    assert_amwal_error(&r, 400, Some("selectedDate"));
    assert_eq!(r.body["details"]["selectedDate"], "must be in the future");
    assert!(r.body["details"].get("expires_at").is_none(), "{}", r.text);
});

both!(the_notes_list_body_filters_sorts_and_pages_drf_style, |app: Arc<TestApp>| async move {
    app.branch("RIYADH-001").await;
    let in_riyadh =
        json!({"amount": "299.99", "title": "Premium Headphones", "send_sms": false, "branch": "RIYADH-001"});
    let wanted = create(&app, &app.owner_key, in_riyadh.clone()).await;
    create(&app, &app.owner_key, json!({"amount": 5, "title": "Premium Headphones", "send_sms": false})).await;
    create(&app, &app.owner_key, json!({"amount": 5, "title": "Cable", "send_sms": false, "branch": "RIYADH-001"}))
        .await;
    let today = &app.ctx.clock.now().to_rfc3339()[..10];
    let body = json!({"page": 1, "page_size": 10, "search": "headphones", "payment_mode": "in_store",
        "branch": "RIYADH-001", "status": "Unpaid", "date_from": today, "date_to": today,
        "sort_by": "created_at", "sort_order": "desc"});
    let r = post(&app, &app.owner_key, &list_path(&app), body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!((&r.body["count"], &r.body["next"], &r.body["previous"]), (&json!(1), &Value::Null, &Value::Null));
    let link = &r.body["results"][0];
    assert_eq!(link["id"], wanted["payment_link_id"]);
    assert_eq!((link["amount"].as_str(), link["branch"].as_str()), (Some("299.99000"), Some("RIYADH-001")));
    assert_eq!(link["branch_name"], "Test branch");
    assert_payment_link_shape(link);
});

/// Every field of Amwal's `payment_link` object is there.
fn assert_payment_link_shape(link: &Value) {
    let fields = [
        "id",
        "paylink_id",
        "payment_session_id",
        "amount",
        "currency",
        "title",
        "description",
        "single_use",
        "enabled",
        "expiry_date",
        "created_at",
        "status",
        "is_expired",
        "url",
        "merchant_business_name",
        "merchant_english_business_name",
        "merchant_country_code",
        "merchant_id",
        "created_by_username",
        "created_by_email",
        "branch",
        "branch_name",
        "terminal_id",
        "cashier_id",
        "pos_session_id",
        "client_email",
        "client_phone_number",
        "client_first_name",
        "client_last_name",
        "order_id",
        "language",
        "send_sms",
        "address_required",
        "callback_url",
        "metadata",
        "amount_paid",
        "payments_count",
    ];
    let missing: Vec<&str> = fields.iter().copied().filter(|f| link.get(*f).is_none()).collect();
    assert!(missing.is_empty(), "missing {missing:?} in {link}");
    let created = link["created_at"].as_str().unwrap();
    assert!(created.ends_with("+00:00") && created.len() == 32, "created_at {created}");
}

both!(twelve_links_page_by_ten_with_absolute_next_and_previous_urls, |app: Arc<TestApp>| async move {
    for i in 0..12 {
        create(&app, &app.owner_key, json!({"amount": 10 + i, "send_sms": false})).await;
    }
    for body in [None, Some(json!({}))] {
        let r = amwal(&app, "POST", &list_path(&app), Some(&app.owner_key), body).await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!((r.body["count"].as_i64(), r.body["results"].as_array().map(Vec::len)), (Some(12), Some(10)));
        let next = format!("{}/amwal/payment_links/{}/?page=2", app.base, app.store_id);
        assert_eq!((r.body["next"].as_str(), &r.body["previous"]), (Some(next.as_str()), &Value::Null));
    }
    let second = app
        .send(
            app.client
                .post(format!("{}?page=2", app.base.clone() + &list_path(&app)))
                .header("authorization", &app.owner_key)
                .json(&json!({"page": 1})),
        )
        .await;
    assert_eq!(second.body["results"].as_array().map(Vec::len), Some(2), "the URL's page wins: {}", second.text);
    let previous = format!("{}/amwal/payment_links/{}/?page=1", app.base, app.store_id);
    assert_eq!((&second.body["next"], second.body["previous"].as_str()), (&Value::Null, Some(previous.as_str())));
    let sized =
        post(&app, &app.owner_key, &list_path(&app), json!({"page_size": 5, "sort_by": "amount", "sort_order": "asc"}))
            .await;
    let amounts: Vec<&str> =
        sized.body["results"].as_array().unwrap().iter().map(|l| l["amount"].as_str().unwrap()).collect();
    assert_eq!(amounts, ["10.00000", "11.00000", "12.00000", "13.00000", "14.00000"]);
    assert!(sized.body["next"].as_str().unwrap().ends_with("?page=2&page_size=5"), "{}", sized.text);
});

both!(details_with_an_empty_body_or_a_page_show_the_links_transactions, |app: Arc<TestApp>| async move {
    let body = create(
        &app,
        &app.owner_key,
        json!({"amount": 20, "singleUse": false, "send_sms": false,
        "client_first_name": "Sara", "client_last_name": "Ali"}),
    )
    .await;
    let uuid = body["payment_link_id"].as_str().unwrap();
    for number in ["4242424242424242", "4000000000000002", "4242424242424242"] {
        let _ = pay_with(&app, &native_id(uuid), "card", card(number)).await;
    }
    let all = details(&app, &app.owner_key, uuid).await;
    assert_eq!(all.status, 200, "{}", all.text);
    let t = &all.body["transactions"];
    assert_eq!((t["count"].as_i64(), t["results"].as_array().map(Vec::len)), (Some(3), Some(3)));
    let statuses: Vec<&str> = t["results"].as_array().unwrap().iter().map(|p| p["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["success", "failed", "success"], "newest first");
    let first = &t["results"][0];
    assert_eq!((first["amount"].as_str(), first["payment_option"].as_str()), (Some("20.00000"), Some("Pay In Full")));
    assert_eq!(
        (first["card_last_4_digits"].as_str(), first["client_first_name"].as_str()),
        (Some("4242"), Some("Sara"))
    );
    assert_eq!(first["refunded_amount"], "0.00000");
    assert_eq!(
        (all.body["payment_link"]["payments_count"].as_i64(), all.body["payment_link"]["amount_paid"].as_str()),
        (Some(2), Some("40.00000"))
    );
    let plural = format!("/amwal/payment_links/{uuid}/details");
    let paged = post(&app, &app.owner_key, &plural, json!({"page": 2, "page_size": 2})).await;
    assert_eq!(paged.status, 200, "{}", paged.text);
    let t = &paged.body["transactions"];
    assert_eq!((t["count"].as_i64(), t["results"].as_array().map(Vec::len)), (Some(3), Some(1)));
    assert_eq!(t["previous"], format!("{}{plural}?page=1&page_size=2", app.base));
    assert_eq!(t["next"], Value::Null);
});

both!(the_public_key_is_served_as_json_and_as_pem, |app: Arc<TestApp>| async move {
    let path = format!("/amwal/stores/{}/public_key", app.store_id);
    let json = amwal(&app, "GET", &path, Some(&app.owner_key), None).await;
    assert_eq!(json.status, 200, "{}", json.text);
    let b = &json.body;
    assert_eq!(
        (b["algorithm"].as_str(), b["hash"].as_str(), b["mgf"].as_str()),
        (Some("RSA-PSS"), Some("SHA-256"), Some("MGF1-SHA-256"))
    );
    assert_eq!(b["salt_length"], 32);
    let fingerprint = b["fingerprint"].as_str().unwrap();
    assert!(fingerprint.len() == 64 && fingerprint.bytes().all(|c| c.is_ascii_hexdigit()), "{fingerprint}");
    let pem = amwal(&app, "GET", &format!("{path}.pem"), Some(&app.owner_key), None).await;
    assert_eq!(pem.status, 200);
    assert_eq!(pem.headers["content-type"], "application/x-pem-file");
    assert_eq!(Some(pem.text.as_str()), b["public_key"].as_str());
    assert!(pem.text.starts_with("-----BEGIN PUBLIC KEY-----"));
});

both!(the_dialect_serves_its_own_openapi_document, |app: Arc<TestApp>| async move {
    let doc = amwal(&app, "GET", "/amwal/openapi.json", None, None).await;
    assert_eq!(doc.status, 200, "{}", doc.text);
    let paths: Vec<&String> = doc.body["paths"].as_object().unwrap().keys().collect();
    for want in [
        "/amwal/payment_links/{store_id}/create",
        "/amwal/payment_links/{store_id}/",
        "/amwal/payment_link/{payment_link_id}/details",
        "/amwal/transactions/refund/{transaction_id}/",
        "/amwal/stores/{store_id}/public_key",
    ] {
        assert!(paths.iter().any(|p| p.as_str() == want), "{want} in {paths:?}");
    }
    assert!(paths.iter().all(|p| p.starts_with("/amwal/")), "{paths:?}");
    let create = &doc.body["paths"]["/amwal/payment_links/{store_id}/create"]["post"]["responses"];
    for status in ["200", "400", "403", "404", "409", "413", "415", "422"] {
        assert!(create.get(status).is_some(), "create documents {status}: {create}");
    }
    let native = amwal(&app, "GET", "/openapi.json", None, None).await;
    let native_paths = native.body["paths"].as_object().unwrap();
    assert!(native_paths.keys().all(|p| !p.starts_with("/amwal")), "the native document stays native");
});
