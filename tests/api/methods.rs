//! Payment methods through `/v1/payment_methods`.

use crate::both;
use crate::helpers::TestApp;
use paylink::domain::Environment;
use paylink::domain::access::Role;
use serde_json::json;
use std::sync::Arc;

both!(a_new_store_has_one_enabled_sandbox_method_of_each_online_kind, |app: Arc<TestApp>| async move {
    let r = app.get(&app.owner_key, "/v1/payment_methods").await;
    assert_eq!(r.status, 200, "{}", r.text);
    let kinds: Vec<&str> = r.body["data"].as_array().unwrap().iter().map(|m| m["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["card", "mobile_money", "installments"]);
    for m in r.body["data"].as_array().unwrap() {
        assert_eq!(
            (m["environment"].as_str(), m["enabled"].as_bool(), m["connector"].as_str()),
            (Some("sandbox"), Some(true), Some("sandbox"))
        );
        assert!(m["id"].as_i64().is_some_and(|id| id > 0));
    }
    let (_, production) = app.staff_in(Role::Owner, None, Environment::Production).await;
    assert_eq!(app.get(&production, "/v1/payment_methods").await.body["data"], json!([]));
    let (_, other_store) = app.second_store_key().await;
    let theirs = app.get(&other_store, "/v1/payment_methods").await.body["data"].as_array().unwrap().len();
    assert_eq!(theirs, 3);
});

both!(every_role_reads_methods_but_only_owners_and_admins_change_them, |app: Arc<TestApp>| async move {
    let first = app.get(&app.owner_key, "/v1/payment_methods").await.body["data"][0].clone();
    let path = format!("/v1/payment_methods/{}", first["id"]);
    let (_, cashier) = app.staff(Role::Cashier, Some("MAIN-001")).await;
    let (_, admin) = app.staff(Role::Admin, None).await;
    assert_eq!(app.get(&cashier, &path).await.body, first);
    let refused = app.call("PATCH", &path, Some(&cashier), Some(json!({"enabled": false}))).await;
    assert_eq!((refused.status, refused.body["error_code"].as_str()), (403, Some("FORBIDDEN")));
    let changed = app.call("PATCH", &path, Some(&admin), Some(json!({"name": "Mada (test)", "enabled": false}))).await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!((changed.body["name"].as_str(), changed.body["enabled"].as_bool()), (Some("Mada (test)"), Some(false)));
    assert_eq!(app.get(&cashier, &path).await.body["enabled"], false);
    let empty = app.call("PATCH", &path, Some(&admin), Some(json!({"name": " "}))).await;
    assert_eq!((empty.status, empty.body["details"]["name"].is_string()), (400, true));
});

both!(a_method_of_another_store_or_a_non_numeric_id_answers_404, |app: Arc<TestApp>| async move {
    let (_, other_store) = app.second_store_key().await;
    let theirs = app.get(&other_store, "/v1/payment_methods").await.body["data"][0]["id"].clone();
    for path in [
        format!("/v1/payment_methods/{theirs}"),
        "/v1/payment_methods/abc".into(),
        "/v1/payment_methods/99999999".into(),
    ] {
        let r = app.get(&app.owner_key, &path).await;
        assert_eq!((r.status, r.body["error_code"].as_str()), (404, Some("NOT_FOUND")), "{path}");
        let p = app.call("PATCH", &path, Some(&app.owner_key), Some(json!({"enabled": false}))).await;
        assert_eq!(p.status, 404, "{path}");
    }
});

both!(a_link_may_restrict_itself_to_enabled_methods_of_its_store, |app: Arc<TestApp>| async move {
    let ids: Vec<i64> = app.get(&app.owner_key, "/v1/payment_methods").await.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect();
    let plain = app.create_link(&app.owner_key, json!({"amount": 10, "title": "all methods"})).await;
    assert_eq!(plain["payment_methods"], json!(null));
    let body = json!({"amount": 10, "title": "card only", "payment_methods": [ids[0], ids[0]]});
    let restricted = app.create_link(&app.owner_key, body).await;
    assert_eq!(restricted["payment_methods"], json!([ids[0]]));
    let read = app.get(&app.owner_key, &format!("/v1/payment_links/{}", restricted["id"].as_str().unwrap())).await;
    assert_eq!(read.body["payment_methods"], json!([ids[0]]));

    let (_, other_store) = app.second_store_key().await;
    let foreign = app.get(&other_store, "/v1/payment_methods").await.body["data"][0]["id"].as_i64().unwrap();
    let disabled = ids[1];
    let r = app
        .call(
            "PATCH",
            &format!("/v1/payment_methods/{disabled}"),
            Some(&app.owner_key),
            Some(json!({"enabled": false})),
        )
        .await;
    assert_eq!(r.status, 200);
    for bad in [json!([]), json!([foreign]), json!([disabled]), json!([987654321]), json!(["card"])] {
        let r = app
            .post(&app.owner_key, "/v1/payment_links", json!({"amount": 10, "title": "t", "payment_methods": bad}))
            .await;
        assert_eq!(r.status, 400, "{bad}: {}", r.text);
        let named = r.body["details"].as_object().unwrap().keys().any(|k| k.starts_with("payment_methods"));
        assert!(named, "{bad}: {}", r.text);
    }
});
