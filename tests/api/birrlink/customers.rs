//! BirrLink customers (seed 003) under `/birrlink/v1`: the seed's `POST /customers` body verbatim
//! and every field of its answer, the list with `search` and pagination, reading, the partial
//! update BirrLink's SDK implies (`null` clears), and bad input in BirrLink's envelope.

use super::payments::{BASE, assert_error, get, send};
use crate::both;
use crate::helpers::{Resp, TestApp};
use paylink::domain::access::Role;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::sync::Arc;

/// Seed 003's customer request, byte for byte.
const SEED_CUSTOMER: &str = r#"{
"email": "customer@example.com",
"phone": "+251912345678",
"name": "John Doe",
"metadata": {
"customer_type": "individual"
}
}"#;

async fn call(app: &TestApp, key: &str, method: &str, path: &str, body: Value) -> Resp {
    send(app, method, &format!("{BASE}{path}"), Some(key), Some(&body.to_string())).await
}

/// Creates a customer as the owner, asserting 201; its `data`.
async fn create(app: &TestApp, body: Value) -> Value {
    let r = call(app, &app.owner_key, "POST", "/customers", body).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body["data"].clone()
}

fn second_precision_utc(v: &Value) -> bool {
    v.as_str().is_some_and(|t| t.len() == 20 && t.ends_with('Z'))
}

both!(the_seed_customer_body_answers_201_with_every_field, |app: Arc<TestApp>| async move {
    let r = send(&app, "POST", &format!("{BASE}/customers"), Some(&app.owner_key), Some(SEED_CUSTOMER)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["status"], "success");
    let d = &r.body["data"];
    let keys: BTreeSet<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    let documented = ["id", "email", "phone", "name", "created_at"];
    assert_eq!(keys, documented.into_iter().chain(["metadata", "updated_at"]).collect());
    let id = d["id"].as_str().unwrap();
    assert!(id.starts_with("cus_") && id.len() == 30, "{id}");
    assert_eq!((d["email"].as_str(), d["phone"].as_str()), (Some("customer@example.com"), Some("+251912345678")));
    assert_eq!(d["name"], "John Doe");
    assert_eq!(d["metadata"], json!({"customer_type": "individual"}));
    assert!(second_precision_utc(&d["created_at"]), "{}", d["created_at"]);
    assert_eq!(d["created_at"], d["updated_at"]);
    // The same customer through the native API, with its `customer.created` event.
    let native = app.get(&app.owner_key, &format!("/v1/customers/{id}")).await.body;
    assert_eq!((native["name"].as_str(), native["metadata"].clone()), (Some("John Doe"), d["metadata"].clone()));
    let events = app.get(&app.owner_key, &format!("/v1/events?object_id={id}")).await.body;
    assert_eq!(events["data"][0]["type"], "customer.created", "{events}");
    let read = get(&app, &app.owner_key, &format!("/customers/{id}")).await;
    assert_eq!((read.status, &read.body["data"]), (200, d), "{}", read.text);
});

/// The ids on one page of the customer list and its pagination.
async fn listed(app: &TestApp, query: &str) -> (Vec<String>, Value) {
    let r = get(app, &app.owner_key, &format!("/customers{query}")).await;
    assert_eq!(r.status, 200, "{query}: {}", r.text);
    let ids = r.body["data"]["customers"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned());
    (ids.collect(), r.body["data"]["pagination"].clone())
}

both!(customers_are_listed_searched_and_paged, |app: Arc<TestApp>| async move {
    let mut ids = Vec::new();
    for (name, email) in
        [("John Doe", "john@example.com"), ("Abebe Kebede", "abebe@example.et"), ("Jane Doe", "jane@x.org")]
    {
        ids.push(create(&app, json!({"name": name, "email": email})).await["id"].as_str().unwrap().to_owned());
    }
    let newest: Vec<String> = ids.iter().rev().cloned().collect();
    assert_eq!(listed(&app, "").await, (newest.clone(), json!({"limit": 10, "offset": 0, "total": 3})));
    assert_eq!(
        listed(&app, "?limit=1&offset=1").await,
        (newest[1..2].to_vec(), json!({"limit": 1, "offset": 1, "total": 3}))
    );
    assert!(listed(&app, "?offset=3").await.0.is_empty());
    let (found, pagination) = listed(&app, "?search=DOE").await;
    assert_eq!((found, pagination["total"].clone()), (vec![ids[2].clone(), ids[0].clone()], json!(2)));
    assert_eq!(listed(&app, "?search=example.et").await.0, vec![ids[1].clone()]);
    assert_eq!(listed(&app, "?search=nobody").await.1["total"], 0);
    let row = &get(&app, &app.owner_key, "/customers?limit=1").await.body["data"]["customers"][0];
    assert_eq!((row["name"].as_str(), row["phone"].clone()), (Some("Jane Doe"), Value::Null));
    assert!(row.get("metadata").is_none(), "no metadata, no field: {row}");
    for (query, field) in
        [("?limit=0", "limit"), ("?limit=101", "limit"), ("?offset=-1", "offset"), ("?limit=x", "limit")]
    {
        let r = get(&app, &app.owner_key, &format!("/customers{query}")).await;
        assert_error(&r, 400, "validation_error", Some(field));
    }
    let long = "a".repeat(101);
    assert_error(
        &get(&app, &app.owner_key, &format!("/customers?search={long}")).await,
        400,
        "validation_error",
        Some("search"),
    );
});

both!(a_patch_changes_only_what_it_names_and_null_clears, |app: Arc<TestApp>| async move {
    let created: Value = serde_json::from_str(SEED_CUSTOMER).unwrap();
    let id = create(&app, created).await["id"].as_str().unwrap().to_owned();
    let path = format!("/customers/{id}");
    app.ctx.clock.advance_secs(2);
    let r = call(&app, &app.owner_key, "PATCH", &path, json!({"name": "John A. Doe", "phone": null})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let d = &r.body["data"];
    assert_eq!((d["name"].as_str(), d["phone"].clone()), (Some("John A. Doe"), Value::Null));
    assert_eq!(
        (d["email"].as_str(), d["metadata"].clone()),
        (Some("customer@example.com"), json!({"customer_type": "individual"}))
    );
    assert_ne!(d["updated_at"], d["created_at"]);
    let r = call(&app, &app.owner_key, "PATCH", &path, json!({"metadata": {"tier": "gold"}, "email": "j@example.com"}))
        .await;
    assert_eq!(
        (r.body["data"]["metadata"].clone(), r.body["data"]["email"].clone()),
        (json!({"tier": "gold"}), json!("j@example.com"))
    );
    let r = call(&app, &app.owner_key, "PATCH", &path, json!({"metadata": null, "unknown": 1})).await;
    assert_eq!(r.status, 200, "unknown fields are ignored: {}", r.text);
    assert!(r.body["data"].get("metadata").is_none(), "{}", r.text);
    let read = get(&app, &app.owner_key, &path).await.body["data"].clone();
    assert_eq!((read["name"].as_str(), read["email"].as_str()), (Some("John A. Doe"), Some("j@example.com")));
    let events = app.get(&app.owner_key, &format!("/v1/events?object_id={id}")).await.body;
    let kinds: Vec<&str> = events["data"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["customer.updated", "customer.updated", "customer.updated", "customer.created"]);
});

both!(bad_customer_input_answers_in_birrlinks_envelope, |app: Arc<TestApp>| async move {
    let key = &app.owner_key;
    for (body, field) in [
        (json!({"name": "A", "email": "not-an-email"}), "email"),
        (json!({"name": "A", "phone": "0912345678"}), "phone"),
        (json!({"name": "A", "phone": "+251 91 abc"}), "phone"),
        (json!({"email": "a@example.com"}), "name"),
        (json!({"name": 42}), "name"),
        (json!({"name": "A", "email": ["a@example.com"]}), "email"),
        (json!({"name": "A", "metadata": [1, 2]}), "metadata"),
    ] {
        assert_error(&call(&app, key, "POST", "/customers", body).await, 400, "validation_error", Some(field));
    }
    let r = call(&app, key, "POST", "/customers", json!({"name": "A", "email": "nope"})).await;
    assert_eq!(r.body["error"]["details"][0]["message"], r.body["error"]["message"]);
    assert!(r.body["error"]["message"].as_str().unwrap().starts_with("Email "), "{}", r.text);
    let id = create(&app, json!({"name": "Kept"})).await["id"].as_str().unwrap().to_owned();
    for (body, field) in [
        (json!({"email": "bad"}), "email"),
        (json!({"phone": "12"}), "phone"),
        (json!({"name": null}), "name"),
        (json!({"name": ""}), "name"),
        (json!({"phone": 251912345678_i64}), "phone"),
    ] {
        assert_error(
            &call(&app, key, "PATCH", &format!("/customers/{id}"), body).await,
            400,
            "validation_error",
            Some(field),
        );
    }
    let (_, other_store) = app.second_store_key().await;
    for (k, id) in [
        (key, "cus_123"),
        (key, "cus_01JD8X3V9Q2W5E7R9T1Y3U5I7O"),
        (key, "pay_01JD8X3V9Q2W5E7R9T1Y3U5I7O"),
        (&other_store, id.as_str()),
    ] {
        assert_error(&get(&app, k, &format!("/customers/{id}")).await, 404, "resource_not_found", None);
        let r = call(&app, k, "PATCH", &format!("/customers/{id}"), json!({"name": "X"})).await;
        assert_error(&r, 404, "resource_not_found", None);
    }
    assert_eq!(get(&app, &other_store, "/customers").await.body["data"]["pagination"]["total"], 0);
    let (_, cashier) = app.staff(Role::Cashier, Some(&app.branch_id)).await;
    let r = call(&app, &cashier, "POST", "/customers", serde_json::from_str(SEED_CUSTOMER).unwrap()).await;
    assert_error(&r, 403, "permission_denied", None);
    let r = send(&app, "POST", &format!("{BASE}/customers"), None, Some(SEED_CUSTOMER)).await;
    assert_error(&r, 401, "authentication_failed", None);
    assert_eq!(get(&app, key, "/customers").await.body["data"]["pagination"]["total"], 1);
});
