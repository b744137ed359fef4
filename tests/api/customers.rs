//! Customers through `/v1/customers`: create, read with their links and payments, search, update,
//! the role and tenant scope, links made for a customer, and the `customer.*` events.

use crate::both;
use crate::helpers::{Resp, TestApp};
use crate::sandbox::{card, pay_with};
use paylink::domain::Environment;
use paylink::domain::access::Role;
use serde_json::{Value, json};
use std::sync::Arc;

/// Creates a customer as `key`, asserting 201.
async fn customer(app: &TestApp, key: &str, body: Value) -> Value {
    let r = app.post(key, "/v1/customers", body).await;
    assert_eq!(r.status, 201, "create customer: {}", r.text);
    r.body
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

async fn patch(app: &TestApp, key: &str, customer: &str, body: Value) -> Resp {
    app.call("PATCH", &format!("/v1/customers/{customer}"), Some(key), Some(body)).await
}

/// The names on a list page, in order.
async fn listed(app: &TestApp, key: &str, query: &str) -> Vec<String> {
    let r = app.get(key, &format!("/v1/customers?{query}")).await;
    assert_eq!(r.status, 200, "{query}: {}", r.text);
    r.body["data"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_owned()).collect()
}

both!(a_customer_is_created_read_and_updated_with_null_clearing_a_field, |app: Arc<TestApp>| async move {
    let body = json!({"name": " Sara Al-Harbi ", "phone": "+966501234567", "email": "sara@example.com",
        "metadata": {"tier": "gold"}});
    let created = customer(&app, &app.owner_key, body).await;
    assert!(created["id"].as_str().unwrap().starts_with("cus_"));
    assert_eq!((created["object"].as_str(), created["name"].as_str()), (Some("customer"), Some("Sara Al-Harbi")));
    assert_eq!(
        (created["environment"].as_str(), created["metadata"]["tier"].as_str()),
        (Some("sandbox"), Some("gold"))
    );
    assert!(created.get("links").is_none(), "the create answer has no links");
    let path = format!("/v1/customers/{}", id(&created));
    let read = app.get(&app.owner_key, &path).await;
    assert_eq!(read.status, 200, "{}", read.text);
    assert_eq!((read.body["links"].clone(), read.body["payments"].clone()), (json!([]), json!([])));
    let changed = patch(&app, &app.owner_key, &id(&created), json!({"phone": null, "email": "s@example.org"})).await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!((changed.body["phone"].clone(), changed.body["email"].as_str()), (Value::Null, Some("s@example.org")));
    assert_eq!(
        (changed.body["name"].clone(), changed.body["metadata"].clone()),
        (created["name"].clone(), json!({"tier": "gold"}))
    );
    let emptied = patch(&app, &app.owner_key, &id(&created), json!({"metadata": null})).await;
    assert_eq!(emptied.body["metadata"], json!({}));
    assert_eq!(app.get(&app.owner_key, &path).await.body["email"], "s@example.org");
});

both!(search_matches_name_phone_or_email_in_any_case_and_pages_newest_first, |app: Arc<TestApp>| async move {
    let key = &app.owner_key;
    customer(&app, key, json!({"name": "Sara Al-Harbi", "phone": "+966501234567"})).await;
    customer(&app, key, json!({"name": "Omar Haddad", "email": "OMAR@Example.org"})).await;
    customer(&app, key, json!({"name": "Layla 100%_sure", "phone": "+962791112233"})).await;
    assert_eq!(listed(&app, key, "").await, ["Layla 100%_sure", "Omar Haddad", "Sara Al-Harbi"]);
    assert_eq!(listed(&app, key, "q=SARA").await, ["Sara Al-Harbi"]);
    assert_eq!(listed(&app, key, "q=%2B9665012").await, ["Sara Al-Harbi"]);
    assert_eq!(listed(&app, key, "q=example.ORG").await, ["Omar Haddad"]);
    assert_eq!(listed(&app, key, "q=0%25_").await, ["Layla 100%_sure"], "% and _ match themselves");
    assert!(listed(&app, key, "q=1%25s").await.is_empty());
    let first = app.get(key, "/v1/customers?limit=2").await;
    assert_eq!((first.body["data"].as_array().unwrap().len(), first.body["has_more"].as_bool()), (2, Some(true)));
    let cursor = first.body["next_cursor"].as_str().unwrap();
    assert_eq!(listed(&app, key, &format!("limit=2&starting_after={cursor}")).await, ["Sara Al-Harbi"]);
});

both!(bad_customer_input_answers_400_naming_the_field, |app: Arc<TestApp>| async move {
    let key = &app.owner_key;
    let rows = [
        (json!({"name": "Sara", "phone": "0501234567"}), "INVALID_PHONE", "phone"),
        (json!({"name": "Sara", "email": "sara@"}), "INVALID_EMAIL", "email"),
        (json!({"name": "  "}), "INVALID_REQUEST", "name"),
        (json!({"phone": "+966501234567"}), "INVALID_REQUEST", "name"),
        (json!({"name": "x".repeat(201)}), "INVALID_REQUEST", "name"),
        (json!({"name": "Sara", "metadata": {"blob": "x".repeat(4100)}}), "INVALID_METADATA", "metadata"),
        (json!({"name": "Sara", "metadata": [1]}), "INVALID_METADATA", "metadata"),
        (json!({"name": "Sara", "nickname": "S"}), "UNKNOWN_FIELD", "nickname"),
        (json!({"name": "Sara", "branch": "NOPE"}), "INVALID_REQUEST", "branch"),
    ];
    for (body, code, field) in rows {
        let r = app.post(key, "/v1/customers", body.clone()).await;
        assert_eq!((r.status, r.body["error_code"].as_str()), (400, Some(code)), "{body}: {}", r.text);
        assert!(r.body["details"][field].is_string(), "{body} names {field}: {}", r.text);
    }
    let sara = id(&customer(&app, key, json!({"name": "Sara"})).await);
    for (body, field) in
        [(json!({"name": null}), "name"), (json!({"phone": "+0"}), "phone"), (json!({"id": "x"}), "id")]
    {
        let r = patch(&app, key, &sara, body.clone()).await;
        assert!(r.status == 400 && r.body["details"][field].is_string(), "{body}: {}", r.text);
    }
    for (query, field) in [("limit=0", "limit"), ("starting_after=plink_x", "starting_after"), ("sort=name", "sort")] {
        let r = app.get(key, &format!("/v1/customers?{query}")).await;
        assert!(r.status == 400 && r.body["details"][field].is_string(), "{query}: {}", r.text);
    }
});

both!(customers_of_another_store_or_environment_answer_404, |app: Arc<TestApp>| async move {
    let sara = id(&customer(&app, &app.owner_key, json!({"name": "Sara"})).await);
    let (_, second_store) = app.second_store_key().await;
    let (_, production) = app.staff_in(Role::Owner, None, Environment::Production).await;
    for key in [&second_store, &production, &app.foreign_key().await] {
        assert_eq!(app.get(key, &format!("/v1/customers/{sara}")).await.status, 404);
        assert_eq!(patch(&app, key, &sara, json!({"name": "Mine"})).await.status, 404);
        assert!(listed(&app, key, "").await.is_empty());
    }
    assert_eq!(app.get(&app.owner_key, "/v1/customers/cus_nope").await.status, 404);
});

both!(a_supervisor_sees_and_changes_only_the_customers_of_their_branch, |app: Arc<TestApp>| async move {
    let east = app.branch("EAST").await;
    let (_, supervisor) = app.staff(Role::Supervisor, Some(&east)).await;
    let main = id(&customer(&app, &app.owner_key, json!({"name": "Main", "branch": "MAIN-001"})).await);
    customer(&app, &app.owner_key, json!({"name": "Store-wide"})).await;
    let theirs = customer(&app, &app.owner_key, json!({"name": "East by owner", "branch": "EAST"})).await;
    assert_eq!(theirs["branch_id"], east.as_str());
    let own = customer(&app, &supervisor, json!({"name": "East by supervisor"})).await;
    assert_eq!(own["branch_id"], east.as_str(), "a supervisor's customer is in their branch");
    assert_eq!(listed(&app, &supervisor, "").await, ["East by supervisor", "East by owner"]);
    assert_eq!(app.get(&supervisor, &format!("/v1/customers/{main}")).await.status, 404);
    assert_eq!(patch(&app, &supervisor, &main, json!({"name": "x"})).await.status, 404);
    assert_eq!(patch(&app, &supervisor, &id(&theirs), json!({"name": "East, renamed"})).await.status, 200);
    let elsewhere = app.post(&supervisor, "/v1/customers", json!({"name": "x", "branch": "MAIN-001"})).await;
    assert_eq!(elsewhere.status, 403, "{}", elsewhere.text);
    assert_eq!(listed(&app, &app.owner_key, "").await.len(), 4, "store-wide roles see every customer");
});

both!(a_cashier_gets_403_and_accounting_reads_but_cannot_write, |app: Arc<TestApp>| async move {
    let sara = id(&customer(&app, &app.owner_key, json!({"name": "Sara", "branch": "MAIN-001"})).await);
    let (_, cashier) = app.staff(Role::Cashier, Some("MAIN-001")).await;
    let (_, accounting) = app.staff(Role::Accounting, None).await;
    let path = format!("/v1/customers/{sara}");
    assert_eq!(app.get(&cashier, &path).await.status, 403);
    assert_eq!(app.get(&cashier, "/v1/customers").await.status, 403);
    assert_eq!(app.post(&cashier, "/v1/customers", json!({"name": "x"})).await.status, 403);
    assert_eq!(patch(&app, &cashier, &sara, json!({"name": "x"})).await.status, 403);
    assert_eq!(app.get(&accounting, &path).await.status, 200);
    assert_eq!(listed(&app, &accounting, "").await, ["Sara"]);
    let r = app.post(&accounting, "/v1/customers", json!({"name": "x"})).await;
    assert_eq!((r.status, r.body["error_code"].as_str()), (403, Some("FORBIDDEN")));
    assert_eq!(patch(&app, &accounting, &sara, json!({"name": "x"})).await.status, 403);
    assert_eq!(patch(&app, &accounting, "cus_01JD0000000000000000000000", json!({})).await.status, 404);
});

both!(a_link_for_a_customer_takes_their_details_and_shows_under_them_once_paid, |app: Arc<TestApp>| async move {
    let key = &app.owner_key;
    let body = json!({"name": "Sara Al-Harbi", "phone": "+966501234567", "email": "sara@example.com"});
    let sara = id(&customer(&app, key, body).await);
    let link = app.create_link(key, json!({"amount": "40.00", "title": "Order", "customer_id": sara})).await;
    assert_eq!(link["customer_id"], sara.as_str());
    let expected = json!({"phone": "+966501234567", "email": "sara@example.com", "first_name": "Sara",
        "last_name": "Al-Harbi"});
    assert_eq!(link["customer"], expected);
    let given = json!({"amount": 5, "title": "Gift", "customer_id": sara, "customer": {"phone": "+966509999999"}});
    let gift = app.create_link(key, given).await;
    assert_eq!(
        (gift["customer"]["phone"].as_str(), gift["customer"]["first_name"].as_str()),
        (Some("+966509999999"), Some("Sara"))
    );
    let paid = pay_with(&app, link["id"].as_str().unwrap(), "card", card("4242424242424242")).await.unwrap();
    patch(&app, key, &sara, json!({"phone": "+966500000000"})).await;
    let view = app.get(key, &format!("/v1/customers/{sara}")).await.body;
    let links: Vec<&str> = view["links"].as_array().unwrap().iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(links, [gift["id"].as_str().unwrap(), link["id"].as_str().unwrap()], "newest first");
    assert_eq!(view["links"][1]["customer"]["phone"], "+966501234567", "a link keeps the details it was made with");
    assert_eq!(view["payments"][0]["id"], paid.id.as_str());
    assert_eq!(
        (view["payments"][0]["status"].as_str(), view["payments"][0]["payment_link_id"].clone()),
        (Some("succeeded"), link["id"].clone())
    );
    let read = app.get(key, &format!("/v1/payment_links/{}", link["id"].as_str().unwrap())).await;
    assert_eq!(read.body["customer_id"], sara.as_str());
});

both!(a_supervisor_sees_only_their_branchs_links_under_a_customer, |app: Arc<TestApp>| async move {
    let east = app.branch("EAST").await;
    let (_, supervisor) = app.staff(Role::Supervisor, Some(&east)).await;
    let sara = id(&customer(&app, &app.owner_key, json!({"name": "Sara", "branch": "EAST"})).await);
    let head_office = json!({"amount": 1, "title": "Head office", "customer_id": sara, "branch": "MAIN-001"});
    app.create_link(&app.owner_key, head_office).await;
    app.create_link(&supervisor, json!({"amount": 2, "title": "East", "customer_id": sara})).await;
    let view = app.get(&supervisor, &format!("/v1/customers/{sara}")).await.body;
    let titles: Vec<&str> = view["links"].as_array().unwrap().iter().map(|l| l["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["East"]);
    assert_eq!(
        app.get(&app.owner_key, &format!("/v1/customers/{sara}")).await.body["links"].as_array().unwrap().len(),
        2
    );
});

both!(a_link_naming_a_customer_the_key_cannot_see_is_refused_naming_customer_id, |app: Arc<TestApp>| async move {
    let east = app.branch("EAST").await;
    let main = id(&customer(&app, &app.owner_key, json!({"name": "Main", "branch": "MAIN-001"})).await);
    let (_, other_store) = app.second_store_key().await;
    let (_, supervisor) = app.staff(Role::Supervisor, Some(&east)).await;
    let (_, cashier) = app.staff(Role::Cashier, Some("MAIN-001")).await;
    let cases = [
        (&app.owner_key, "cus_nope".to_owned()),
        (&app.owner_key, "plink_x".to_owned()),
        (&other_store, main.clone()),
        (&supervisor, main.clone()),
        (&cashier, main.clone()),
    ];
    for (key, customer_id) in cases {
        let r =
            app.post(key, "/v1/payment_links", json!({"amount": 1, "title": "t", "customer_id": customer_id})).await;
        assert_eq!(r.status, 400, "{customer_id}: {}", r.text);
        assert!(r.body["details"]["customer_id"].is_string(), "{}", r.text);
    }
});

both!(creating_and_changing_a_customer_writes_customer_events, |app: Arc<TestApp>| async move {
    let key = &app.owner_key;
    let sara = id(&customer(&app, key, json!({"name": "Sara"})).await);
    patch(&app, key, &sara, json!({"email": "sara@example.com"})).await;
    patch(&app, key, &sara, json!({"email": "sara@example.com"})).await;
    let events = app.get(key, &format!("/v1/events?object_id={sara}")).await.body;
    let data = events["data"].as_array().unwrap();
    let types: Vec<&str> = data.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["customer.updated", "customer.created"], "a patch that changes nothing writes nothing");
    assert_eq!(data[0]["data"]["object"]["email"], "sara@example.com");
    assert_eq!(
        (data[1]["data"]["object"]["object"].as_str(), data[1]["data"]["object"]["name"].as_str()),
        (Some("customer"), Some("Sara"))
    );
});

both!(concurrent_patches_of_different_fields_both_land, |app: Arc<TestApp>| async move {
    let sara = id(&customer(&app, &app.owner_key, json!({"name": "Sara"})).await);
    for round in 0..6 {
        let (email, phone) = (format!("r{round}@example.com"), format!("+96650000000{round}"));
        let (s, e, p) = (sara.clone(), email.clone(), phone.clone());
        let answers = crate::concurrency::race(&app, 2, move |app, i| {
            let body = if i == 0 { json!({"email": e}) } else { json!({"phone": p}) };
            let s = s.clone();
            async move { patch(&app, &app.owner_key, &s, body).await }
        })
        .await;
        assert!(answers.iter().all(|r| r.status == 200), "round {round}");
        let now = app.get(&app.owner_key, &format!("/v1/customers/{sara}")).await.body;
        assert_eq!((now["email"].as_str(), now["phone"].as_str()), (Some(email.as_str()), Some(phone.as_str())));
    }
});
