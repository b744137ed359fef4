//! `/v1/events`: every change in the key's scope, newest first, with its snapshot and (once
//! numbered) its per-store sequence number; filters, cursor, and 404 outside the scope.

use crate::both;
use crate::helpers::TestApp;
use crate::sandbox::{card, pay_with};
use paylink::domain::access::Role;
use serde_json::{Value, json};
use std::sync::Arc;

fn types(body: &Value) -> Vec<String> {
    body["data"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap().to_owned()).collect()
}

both!(events_are_listed_newest_first_with_snapshots_sequences_and_filters, |app: Arc<TestApp>| async move {
    let key = app.owner_key.clone();
    let link = app.create_link(&key, json!({"amount": "12.00", "title": "Evented"})).await;
    let id = link["id"].as_str().unwrap();
    let paid = pay_with(&app, id, "card", card("4242424242424242")).await.unwrap();
    paylink::worker::run_pending(&app.ctx).await;
    let all = app.get(&key, &format!("/v1/events?object_id={id}")).await;
    assert_eq!(all.status, 200, "{}", all.text);
    assert_eq!(types(&all.body), ["payment_link.paid", "payment_link.created"]);
    let paid_event = &all.body["data"][0];
    assert_eq!(
        (paid_event["data"]["object"]["status"].as_str(), paid_event["object_id"].as_str()),
        (Some("paid"), Some(id))
    );
    let seqs: Vec<i64> = app.get(&key, "/v1/events?limit=100").await.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["sequence"].as_i64().expect("numbered after run_pending"))
        .collect();
    assert_eq!(seqs, (1..=seqs.len() as i64).rev().collect::<Vec<_>>(), "gap-free, newest first");
    let succeeded = app.get(&key, "/v1/events?type=payment.succeeded").await;
    assert_eq!(succeeded.body["data"][0]["object_id"], paid.id.as_str());
    let first = app.get(&key, "/v1/events?limit=2").await;
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let rest = app.get(&key, &format!("/v1/events?limit=100&starting_after={cursor}")).await;
    assert_eq!(types(&first.body).len() + types(&rest.body).len(), seqs.len());
    let mut one = app.get(&key, &format!("/v1/events/{}", paid_event["id"].as_str().unwrap())).await.body;
    let deliveries = one.as_object_mut().unwrap().remove("deliveries");
    assert_eq!(deliveries, Some(json!([])), "no endpoint, no callback: no deliveries");
    assert_eq!(one, *paid_event, "the list shows the event as GET does, without deliveries");
    assert!(types(&app.get(&key, "/v1/events?created_from=2999-01-01").await.body).is_empty());
    for (query, field) in [
        ("limit=0", "limit"),
        ("created_to=soon", "created_to"),
        ("starting_after=evt_x", "starting_after"),
        ("colour=red", "colour"),
    ] {
        let r = app.get(&key, &format!("/v1/events?{query}")).await;
        assert!(r.status == 400 && r.text.contains(field), "{query}: {}", r.text);
    }
});

both!(events_share_the_role_scope_of_their_links, |app: Arc<TestApp>| async move {
    let branch = app.branch("EAST").await;
    let (_, cashier) = app.staff(Role::Cashier, Some(&branch)).await;
    let (_, colleague) = app.staff(Role::Cashier, Some(&branch)).await;
    let (_, supervisor) = app.staff(Role::Supervisor, Some(&branch)).await;
    let mine = app.create_link(&cashier, json!({"amount": "12.00", "title": "Mine"})).await;
    let theirs = app.create_link(&app.owner_key, json!({"amount": "12.00", "title": "Head office"})).await;
    let paid = pay_with(&app, mine["id"].as_str().unwrap(), "card", card("4242424242424242")).await.unwrap();
    let objects = |body: Value| -> Vec<String> {
        body["data"].as_array().unwrap().iter().map(|e| e["object_id"].as_str().unwrap().to_owned()).collect()
    };
    let seen = objects(app.get(&cashier, "/v1/events?limit=100").await.body);
    assert!(seen.contains(&paid.id.to_string()) && seen.iter().all(|o| *o == mine["id"] || *o == paid.id.as_str()));
    assert!(objects(app.get(&colleague, "/v1/events?limit=100").await.body).is_empty());
    let by_supervisor = objects(app.get(&supervisor, "/v1/events?limit=100").await.body);
    assert!(
        by_supervisor.contains(&paid.id.to_string())
            && !by_supervisor.contains(&theirs["id"].as_str().unwrap().to_owned())
    );
    let owner_events =
        app.get(&app.owner_key, &format!("/v1/events?object_id={}", theirs["id"].as_str().unwrap())).await;
    let event_id = owner_events.body["data"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(app.get(&cashier, &format!("/v1/events/{event_id}")).await.status, 404);
    assert_eq!(app.get(&app.foreign_key().await, &format!("/v1/events/{event_id}")).await.status, 404);
    assert_eq!(app.get(&app.owner_key, &format!("/v1/events/{event_id}")).await.status, 200);
});

both!(payment_link_id_lists_a_links_whole_story_in_the_keys_scope, |app: Arc<TestApp>| async move {
    let branch = app.branch("STORY").await;
    let (_, cashier) = app.staff(Role::Cashier, Some(&branch)).await;
    let (_, colleague) = app.staff(Role::Cashier, Some(&branch)).await;
    let (_, supervisor) = app.staff(Role::Supervisor, Some(&branch)).await;
    let link = app.create_link(&cashier, json!({"amount": "20.00", "title": "Story"})).await;
    let id = link["id"].as_str().unwrap();
    let other = app.create_link(&cashier, json!({"amount": "20.00", "title": "Another"})).await;
    let paid = pay_with(&app, id, "card", card("4242424242424242")).await.unwrap();
    pay_with(&app, other["id"].as_str().unwrap(), "card", card("4242424242424242")).await.unwrap();
    let refund = app.post(&supervisor, "/v1/refunds", json!({"payment_id": paid.id.as_str(), "amount": "5.00"})).await;
    assert_eq!(refund.status, 201, "{}", refund.text);
    let story = |key: String| {
        let (app, path) = (app.clone(), format!("/v1/events?payment_link_id={id}&limit=100"));
        async move {
            let r = app.get(&key, &path).await;
            assert_eq!(r.status, 200, "{}", r.text);
            let mut kinds = types(&r.body);
            kinds.sort_unstable();
            kinds
        }
    };
    let whole = ["payment.created", "payment.succeeded", "payment_link.created", "payment_link.paid", "refund.created"];
    assert_eq!(story(app.owner_key.clone()).await, whole, "the link, its payment and the payment's refund");
    assert_eq!(story(supervisor).await, whole, "the branch's supervisor sees the same story");
    assert_eq!(story(cashier.clone()).await, whole, "so does the cashier who made the link");
    assert!(story(colleague).await.is_empty(), "another cashier's link is outside the scope");
    let own = app.get(&cashier, &format!("/v1/events?object_id={id}")).await;
    assert_eq!(types(&own.body), ["payment_link.paid", "payment_link.created"], "object_id is one object only");
    let bad = app.get(&cashier, &format!("/v1/events?payment_link_id={}", paid.id)).await;
    assert!(bad.status == 400 && bad.body["details"]["payment_link_id"].is_string(), "{}", bad.text);
});
