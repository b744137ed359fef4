//! One link, three doors: what Amwal creates the native API reads, what the native API creates
//! Amwal lists and reads, and Amwal's UUID URL opens the hosted page.

use super::{create, create_path, details, list_path, native_id, post, uuid};
use crate::both;
use crate::helpers::TestApp;
use serde_json::json;
use std::sync::Arc;

both!(a_link_created_through_amwal_reads_the_same_in_the_native_api, |app: Arc<TestApp>| async move {
    let made = create(
        &app,
        &app.owner_key,
        json!({"amount": "299.99", "title": "Headphones",
        "client_phone_number": "+966501234567", "client_email": "ahmed@example.com", "client_first_name": "Ahmed",
        "order_id": "ORD-1", "metadata": {"cart": 7}, "language": "en", "send_sms": false}),
    )
    .await;
    let native_id = native_id(made["payment_link_id"].as_str().unwrap());
    assert_eq!(made["paylink_id"], native_id.as_str());
    let r = app.get(&app.owner_key, &format!("/v1/payment_links/{native_id}")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let n = &r.body;
    assert_eq!(
        (n["amount"].as_str(), n["title"].as_str(), n["reference_id"].as_str()),
        (Some("299.99"), Some("Headphones"), Some("ORD-1"))
    );
    assert_eq!((n["customer"]["email"].as_str(), n["language"].as_str()), (Some("ahmed@example.com"), Some("en")));
    assert_eq!(n["metadata"], json!({"cart": 7}));
});

both!(a_native_link_is_listed_and_read_through_amwal_by_uuid_or_id, |app: Arc<TestApp>| async move {
    let native =
        app.create_link(&app.owner_key, json!({"amount": "12.50", "title": "Native", "reference_id": "N-1"})).await;
    let id = native["id"].as_str().unwrap();
    let listed = post(&app, &app.owner_key, &list_path(&app), json!({"search": "native"})).await;
    assert_eq!(listed.body["count"], 1, "{}", listed.text);
    let item = &listed.body["results"][0];
    assert_eq!((item["id"].as_str(), item["paylink_id"].as_str()), (Some(uuid(id).as_str()), Some(id)));
    assert_eq!((item["amount"].as_str(), item["order_id"].as_str()), (Some("12.50000"), Some("N-1")));
    for spelling in [uuid(id), id.to_owned()] {
        let r = details(&app, &app.owner_key, &spelling).await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.body["payment_link"]["paylink_id"], id);
    }
    let r = app.post(&app.owner_key, &format!("/v1/payment_links/{id}/cancel"), json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let l = details(&app, &app.owner_key, &uuid(id)).await.body["payment_link"].clone();
    assert_eq!(
        (l["status"].as_str(), l["enabled"].as_bool(), l["is_expired"].as_bool()),
        (Some("Expired"), Some(false), Some(true))
    );
    let expired = post(&app, &app.owner_key, &list_path(&app), json!({"status": "expired"})).await;
    assert_eq!(expired.body["count"], 1, "a disabled link lists as Expired: {}", expired.text);
    let unpaid = post(&app, &app.owner_key, &list_path(&app), json!({"status": "Unpaid"})).await;
    assert_eq!(unpaid.body["count"], 0, "{}", unpaid.text);
});

both!(payment_mode_tells_branch_links_from_online_ones, |app: Arc<TestApp>| async move {
    let in_store = create(&app, &app.owner_key, json!({"amount": 1, "send_sms": false, "branch": "MAIN-001"})).await;
    let online = create(&app, &app.owner_key, json!({"amount": 2, "send_sms": false})).await;
    for (mode, want) in [("in_store", &in_store), ("online", &online)] {
        let r = post(&app, &app.owner_key, &list_path(&app), json!({"payment_mode": mode})).await;
        assert_eq!(r.body["count"], 1, "{mode}: {}", r.text);
        assert_eq!(r.body["results"][0]["id"], want["payment_link_id"], "{mode}");
    }
    let all = post(&app, &app.owner_key, &list_path(&app), json!({"payment_mode": "all", "status": "all"})).await;
    assert_eq!(all.body["count"], 2, "{}", all.text);
});

both!(the_uuid_url_from_create_opens_the_hosted_page, |app: Arc<TestApp>| async move {
    let made = create(&app, &app.owner_key, json!({"amount": 10, "title": "Page", "send_sms": false})).await;
    let url = made["url"].as_str().unwrap();
    let page = app.client.get(url).send().await.unwrap();
    assert_eq!(page.status(), 200, "{url}");
    assert!(page.text().await.unwrap().contains("Page"));
    let by_id = app
        .client
        .get(format!("{}/payment-link/{}", app.base, made["paylink_id"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(by_id.status(), 200);
    let unknown =
        app.client.get(format!("{}/payment-link/00000000-0000-0000-0000-000000000000", app.base)).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
});

both!(an_idempotency_key_replays_the_first_create, |app: Arc<TestApp>| async move {
    let url = format!("{}{}", app.base, create_path(&app));
    let send = || {
        app.client
            .post(&url)
            .header("authorization", &app.owner_key)
            .header("idempotency-key", "amwal-retry-1")
            .json(&json!({"amount": 10, "send_sms": false}))
    };
    let (first, second) = (app.send(send()).await, app.send(send()).await);
    assert_eq!((first.status, second.status), (200, 200), "{} / {}", first.text, second.text);
    assert_eq!(first.body["payment_link_id"], second.body["payment_link_id"]);
    assert_eq!(second.headers["idempotent-replayed"], "true");
    let listed = post(&app, &app.owner_key, &list_path(&app), json!({})).await;
    assert_eq!(listed.body["count"], 1);
});

both!(the_client_address_fields_prefill_the_pages_address_form, |app: Arc<TestApp>| async move {
    let made = create(
        &app,
        &app.owner_key,
        json!({"amount": 12, "phoneNumber": "+966501234567", "send_sms": false,
        "address_required": true, "client_street1": "King Fahd Rd 12", "client_street2": " ", "client_city": "Riyadh",
        "client_state": "Riyadh Province", "client_postcode": 11564, "client_country": "SA"}),
    )
    .await;
    let page = app.client.get(made["url"].as_str().unwrap()).send().await.unwrap().text().await.unwrap();
    for value in ["King Fahd Rd 12", "Riyadh Province", "11564"] {
        assert!(page.contains(&format!("value=\"{value}\"")), "{value} is not pre-filled");
    }
    let stored = app.get(&app.owner_key, &format!("/v1/payment_links/{}", made["paylink_id"].as_str().unwrap())).await;
    assert_eq!(stored.status, 200);
});
