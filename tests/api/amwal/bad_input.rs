//! Bad input answered in Amwal's shape `{"error", "error_code", "details"}` with Amwal's field
//! names; never a 500 and never our internal names.

use super::{amwal, assert_amwal_error, create, create_path, details, list_path, post};
use crate::both;
use crate::helpers::TestApp;
use serde_json::{Value, json};
use std::sync::Arc;

const PHONE: &str = "+966501234567";

fn with(extra: Value) -> Value {
    let mut body = json!({"amount": 10, "phoneNumber": PHONE});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

both!(each_bad_create_field_is_a_400_naming_it_in_amwals_spelling, |app: Arc<TestApp>| async move {
    let long = |n: usize| "x".repeat(n);
    let cases: Vec<(Value, &str)> = vec![
        (json!({"phoneNumber": PHONE}), "amount"),
        (json!({"amount": null, "phoneNumber": PHONE}), "amount"),
        (with(json!({"amount": 0})), "amount"),
        (with(json!({"amount": -1})), "amount"),
        (with(json!({"amount": "abc"})), "amount"),
        (with(json!({"amount": 1.234})), "amount"),
        (with(json!({"amount": true})), "amount"),
        (with(json!({"title": long(201)})), "title"),
        (with(json!({"title": 5})), "title"),
        (with(json!({"description": long(501)})), "description"),
        (with(json!({"singleUse": "maybe"})), "singleUse"),
        (with(json!({"selectedDate": "tomorrow"})), "selectedDate"),
        (with(json!({"selectedDate": "2020-01-01"})), "selectedDate"),
        (with(json!({"selectedDate": 5})), "selectedDate"),
        (with(json!({"phoneNumber": "0501234567"})), "phoneNumber"),
        (json!({"amount": 10, "client_phone_number": "abc"}), "client_phone_number"),
        (json!({"amount": 10, "phoneNumber": PHONE, "client_phone_number": "+966500000000"}), "phoneNumber"),
        (json!({"amount": 10}), "phoneNumber"),
        (with(json!({"client_email": "nope"})), "client_email"),
        (with(json!({"client_first_name": long(51)})), "client_first_name"),
        (with(json!({"client_last_name": long(51)})), "client_last_name"),
        (with(json!({"language": "fr"})), "language"),
        (with(json!({"send_sms": [true]})), "send_sms"),
        (with(json!({"address_required": "sometimes"})), "address_required"),
        (with(json!({"callback_url": "ftp://example.com/x"})), "callback_url"),
        (with(json!({"metadata": "x"})), "metadata"),
        (with(json!({"order_id": long(51)})), "order_id"),
        (with(json!({"order_id": "has space"})), "order_id"),
        (with(json!({"branch": "NOWHERE"})), "branch"),
        (with(json!({"client_street1": long(101)})), "client_street1"),
        (with(json!({"client_postcode": long(21)})), "client_postcode"),
    ];
    for (body, field) in cases {
        let r = post(&app, &app.owner_key, &create_path(&app), body.clone()).await;
        assert_amwal_error(&r, 400, Some(field));
        for internal in ["customer.phone", "customer.email", "expires_at", "reference_id", "single_use"] {
            assert!(!r.text.contains(internal), "{body}: answer names {internal}: {}", r.text);
        }
    }
});

both!(unknown_fields_are_ignored_and_drf_spellings_are_taken, |app: Arc<TestApp>| async move {
    let body = with(json!({"currency": "SAR", "sms_language": "ar", "singleUse": "false", "send_sms": "0",
        "order_id": 12345, "address_required": 1, "selectedDate": "2099-01-31", "client_street1": "King Fahd Rd"}));
    let made = create(&app, &app.owner_key, body).await;
    let uuid = made["payment_link_id"].as_str().unwrap();
    let l = details(&app, &app.owner_key, uuid).await.body["payment_link"].clone();
    assert_eq!((l["single_use"].as_bool(), l["send_sms"].as_bool()), (Some(false), Some(false)));
    assert_eq!((l["order_id"].as_str(), l["address_required"].as_bool()), (Some("12345"), Some(true)));
    assert_eq!(l["expiry_date"], "2099-01-31T23:59:59.000000+00:00");
    let blanks = json!({"amount": 10, "phoneNumber": "", "client_email": "", "order_id": "", "language": "",
        "selectedDate": "", "send_sms": false});
    let r = post(&app, &app.owner_key, &create_path(&app), blanks).await;
    assert_eq!(r.status, 200, "blank optional fields are absent ones: {}", r.text);
    let again = post(&app, &app.owner_key, &create_path(&app), with(json!({"order_id": "12345"}))).await;
    assert_amwal_error(&again, 400, Some("order_id"));
    assert_eq!(again.body["error_code"], "DUPLICATE_ORDER_ID");
});

both!(malformed_or_non_json_bodies_are_400_naming_body_and_415, |app: Arc<TestApp>| async move {
    let url = format!("{}{}", app.base, create_path(&app));
    let raw = |body: &'static str, ct: &'static str| {
        app.client.post(&url).header("authorization", &app.owner_key).header("content-type", ct).body(body)
    };
    assert_amwal_error(&app.send(raw("{\"amount\": 10,", "application/json")).await, 400, Some("body"));
    assert_amwal_error(&app.send(raw("[1, 2]", "application/json")).await, 400, Some("body"));
    let form = app.send(raw("amount=10", "application/x-www-form-urlencoded")).await;
    assert_amwal_error(&form, 415, None);
    let none = app.send(app.client.post(&url).header("authorization", &app.owner_key)).await;
    assert_amwal_error(&none, 400, Some("amount"));
});

both!(bad_list_parameters_are_400_naming_them, |app: Arc<TestApp>| async move {
    let cases: Vec<(Value, &str)> = vec![
        (json!({"page_size": 0}), "page_size"),
        (json!({"page_size": 101}), "page_size"),
        (json!({"page_size": "abc"}), "page_size"),
        (json!({"page": 0}), "page"),
        (json!({"status": "Open"}), "status"),
        (json!({"payment_mode": "offline"}), "payment_mode"),
        (json!({"sort_by": "price"}), "sort_by"),
        (json!({"sort_order": "up"}), "sort_order"),
        (json!({"date_from": "2025/01/01"}), "date_from"),
        (json!({"date_to": "yesterday"}), "date_to"),
        (json!({"search": "x".repeat(101)}), "search"),
        (json!({"search": 5}), "search"),
    ];
    for (body, field) in cases {
        assert_amwal_error(&post(&app, &app.owner_key, &list_path(&app), body).await, 400, Some(field));
    }
    let query = app
        .send(
            app.client
                .post(format!("{}{}?page_size=500", app.base, list_path(&app)))
                .header("authorization", &app.owner_key),
        )
        .await;
    assert_amwal_error(&query, 400, Some("page_size"));
});

both!(a_missing_wrong_or_other_environment_key_is_403_authentication_failed, |app: Arc<TestApp>| async move {
    let path = list_path(&app);
    let fail = |r: &crate::helpers::Resp| {
        assert_amwal_error(r, 403, None);
        assert_eq!(r.body["error_code"], "AUTHENTICATION_FAILED", "{}", r.text);
    };
    fail(&amwal(&app, "POST", &path, None, Some(json!({}))).await);
    fail(&amwal(&app, "POST", &path, Some("sk_test_notakey"), Some(json!({}))).await);
    let send = |selector: &'static str| {
        app.client
            .post(format!("{}{path}", app.base))
            .header("authorization", &app.owner_key)
            .header("x-amwal-key", selector)
    };
    fail(&app.send(send("prod-amwal-123")).await);
    fail(&app.send(send("something-else")).await);
    assert_eq!(app.send(send("sandbox-amwal-123")).await.status, 200);
    let bearer = app.send(app.client.post(format!("{}{path}", app.base)).bearer_auth(&app.owner_key)).await;
    assert_eq!(bearer.status, 200, "Bearer works too: {}", bearer.text);
});

both!(another_store_unknown_links_and_unknown_routes_are_404_and_wrong_methods_405, |app: Arc<TestApp>| async move {
    let (other_store, other_key) = app.second_store_key().await;
    let mine_with_theirs = post(&app, &other_key, &create_path(&app), with(json!({}))).await;
    assert_amwal_error(&mine_with_theirs, 404, None);
    let theirs = post(&app, &app.owner_key, &format!("/amwal/payment_links/{other_store}/"), json!({})).await;
    assert_amwal_error(&theirs, 404, None);
    let key_path = format!("/amwal/stores/{other_store}/public_key");
    assert_amwal_error(&amwal(&app, "GET", &key_path, Some(&app.owner_key), None).await, 404, None);
    for id in ["00000000-0000-0000-0000-000000000000", "plink_01JD3ZK9QW8X7Y6V5T4S3R2Q1P", "nonsense"] {
        assert_amwal_error(&details(&app, &app.owner_key, id).await, 404, None);
    }
    let made = create(&app, &app.owner_key, with(json!({"send_sms": false}))).await;
    let foreign = app.foreign_key().await;
    let uuid = made["payment_link_id"].as_str().unwrap();
    assert_amwal_error(&details(&app, &foreign, uuid).await, 404, None);
    assert_amwal_error(&post(&app, &app.owner_key, "/amwal/nowhere", json!({})).await, 404, None);
    let get_create = amwal(&app, "GET", &create_path(&app), Some(&app.owner_key), None).await;
    assert_amwal_error(&get_create, 405, None);
});
