//! `/v1/payments` and the payment side of links: lists with filters and cursors, the links' role
//! scope (objects outside it answer 404), and the events each payment writes with its change.

use crate::both;
use crate::helpers::TestApp;
use crate::sandbox::{card, mobile, pay_with};
use paylink::domain::access::Role;
use serde_json::json;
use std::sync::Arc;

async fn link_as(app: &TestApp, key: &str, amount: &str) -> String {
    let l = app.create_link(key, json!({"amount": amount, "title": "Order"})).await;
    l["id"].as_str().unwrap().to_owned()
}

fn ids(body: &serde_json::Value) -> Vec<String> {
    body["data"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_owned()).collect()
}

both!(payments_are_listed_newest_first_with_filters_and_a_cursor, |app: Arc<TestApp>| async move {
    let key = app.owner_key.clone();
    let (a, b) = (link_as(&app, &key, "10.00").await, link_as(&app, &key, "20.00").await);
    let declined = pay_with(&app, &a, "card", card("4000000000000002")).await.unwrap();
    let paid = pay_with(&app, &a, "card", card("4242424242424242")).await.unwrap();
    let waiting = pay_with(&app, &b, "mobile_money", mobile("+966500000004")).await.unwrap();
    let all = app.get(&key, "/v1/payments").await;
    assert_eq!(all.status, 200, "{}", all.text);
    assert_eq!(ids(&all.body), [waiting.id.to_string(), paid.id.to_string(), declined.id.to_string()]);
    let of_a = app.get(&key, &format!("/v1/payments?payment_link_id={a}&status=succeeded")).await;
    assert_eq!(ids(&of_a.body), [paid.id.to_string()]);
    assert_eq!(of_a.body["data"][0]["amount"], "10.00");
    assert_eq!(of_a.body["data"][0]["receipt_url"], format!("{}/receipts/{}", app.base, paid.id));
    let mm = app.get(&key, "/v1/payments?method=mobile_money").await;
    assert_eq!(
        (ids(&mm.body), mm.body["data"][0]["status"].as_str()),
        (vec![waiting.id.to_string()], Some("requires_action"))
    );
    let first = app.get(&key, "/v1/payments?limit=2").await;
    assert_eq!((first.body["has_more"].as_bool(), ids(&first.body).len()), (Some(true), 2));
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let rest = app.get(&key, &format!("/v1/payments?limit=2&starting_after={cursor}")).await;
    assert_eq!(ids(&rest.body), [declined.id.to_string()]);
    let future = app.get(&key, "/v1/payments?created_from=2999-01-01").await;
    assert!(ids(&future.body).is_empty());
    let one = app.get(&key, &format!("/v1/payments/{}", paid.id)).await;
    assert_eq!((one.body["status"].as_str(), one.body["card"]["brand"].as_str()), (Some("succeeded"), Some("visa")));
});

both!(bad_payment_filters_name_their_field, |app: Arc<TestApp>| async move {
    for (query, field) in [
        ("status=paid", "status"),
        ("method=cheque", "method"),
        ("payment_link_id=nope", "payment_link_id"),
        ("created_from=yesterday", "created_from"),
        ("limit=101", "limit"),
        ("starting_after=pay_01ARZ3NDEKTSV4RRFFQ69G5FAV", "starting_after"),
        ("colour=red", "colour"),
    ] {
        let r = app.get(&app.owner_key, &format!("/v1/payments?{query}")).await;
        assert_eq!(r.status, 400, "{query}: {}", r.text);
        assert!(r.text.contains(field), "{query}: {}", r.text);
    }
});

both!(payments_share_the_role_scope_of_their_links, |app: Arc<TestApp>| async move {
    let branch = app.branch("NORTH").await;
    let (_, cashier) = app.staff(Role::Cashier, Some(&branch)).await;
    let (_, other_cashier) = app.staff(Role::Cashier, Some(&branch)).await;
    let (_, supervisor) = app.staff(Role::Supervisor, Some(&branch)).await;
    let (_, elsewhere) = app.staff(Role::Supervisor, Some(&app.branch_id)).await;
    let link = link_as(&app, &cashier, "30.00").await;
    let paid = pay_with(&app, &link, "card", card("4242424242424242")).await.unwrap();
    let path = format!("/v1/payments/{}", paid.id);
    for (key, visible) in
        [(&cashier, true), (&supervisor, true), (&app.owner_key, true), (&other_cashier, false), (&elsewhere, false)]
    {
        assert_eq!(app.get(key, &path).await.status, if visible { 200 } else { 404 });
        let listed = ids(&app.get(key, "/v1/payments").await.body);
        assert_eq!(listed.contains(&paid.id.to_string()), visible);
    }
    let foreign = app.foreign_key().await;
    assert_eq!(app.get(&foreign, &path).await.status, 404);
    let (_, live) = app.staff_in(Role::Owner, None, paylink::domain::Environment::Production).await;
    assert_eq!(app.get(&live, &path).await.status, 404);
});

both!(each_payment_writes_its_events_in_the_same_transaction, |app: Arc<TestApp>| async move {
    let link = link_as(&app, &app.owner_key, "40.00").await;
    let declined = pay_with(&app, &link, "card", card("4000000000000002")).await.unwrap();
    let paid = pay_with(&app, &link, "card", card("4242424242424242")).await.unwrap();
    let store = app.store_id.to_string();
    let events = app
        .ctx
        .db
        .read(move |c| {
            let rows = c.query(
                "SELECT type, object_id, payload FROM events WHERE store_id = ?1 ORDER BY created_at, id",
                &[store.into()],
            )?;
            rows.into_iter()
                .map(|r| Ok((r.text(0)?, r.text(1)?, r.text(2)?)))
                .collect::<Result<Vec<_>, paylink::store::conn::DbError>>()
        })
        .await
        .unwrap();
    let about = |id: &str| events.iter().filter(|e| e.1 == id).map(|e| e.0.as_str()).collect::<Vec<_>>();
    assert_eq!(about(declined.id.as_str()), ["payment.created", "payment.failed"]);
    assert_eq!(about(paid.id.as_str()), ["payment.created", "payment.succeeded"]);
    assert_eq!(about(&link), ["payment_link.created", "payment_link.paid"]);
    let paid_event = events.iter().find(|e| e.0 == "payment_link.paid").unwrap();
    let snapshot: serde_json::Value = serde_json::from_str(&paid_event.2).unwrap();
    assert_eq!(
        (snapshot["object"]["status"].as_str(), snapshot["object"]["payments_count"].as_i64()),
        (Some("paid"), Some(1))
    );
});
