//! Races: many identical or conflicting requests at the same instant, on both databases. The
//! invariants live in the database (unique index, conditional updates), so exactly one caller
//! wins and the others get a clean 409, never a 500 or a second row.

use crate::both;
use crate::helpers::{Resp, TestApp};
use paylink::domain::Environment;
use paylink::domain::access::Role;
use paylink::domain::id::StoreId;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use tokio::sync::Barrier;

/// Runs `n` requests at once: every task waits at one barrier, then sends.
pub async fn race<F, Fut>(app: &Arc<TestApp>, n: usize, request: F) -> Vec<Resp>
where
    F: Fn(Arc<TestApp>, usize) -> Fut,
    Fut: Future<Output = Resp> + Send + 'static,
{
    together(n, |i| request(app.clone(), i)).await
}

/// Runs `n` futures at once (every task waits at one barrier); their results in order.
pub async fn together<T, F, Fut>(n: usize, request: F) -> Vec<T>
where
    T: Send + 'static,
    F: Fn(usize) -> Fut,
    Fut: Future<Output = T> + Send + 'static,
{
    let barrier = Arc::new(Barrier::new(n));
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let (barrier, sent) = (barrier.clone(), request(i));
            tokio::spawn(async move {
                barrier.wait().await;
                sent.await
            })
        })
        .collect();
    let mut out = Vec::with_capacity(n);
    for t in tasks {
        out.push(t.await.expect("request task"));
    }
    out
}

/// How many responses had each (status, error_code).
fn tally(responses: &[Resp]) -> BTreeMap<(u16, String), usize> {
    let mut counts = BTreeMap::new();
    for r in responses {
        let code = r.body["error_code"].as_str().unwrap_or("").to_owned();
        *counts.entry((r.status, code)).or_insert(0) += 1;
    }
    counts
}

fn expected(rows: &[(u16, &str, usize)]) -> BTreeMap<(u16, String), usize> {
    rows.iter().map(|&(s, c, n)| ((s, c.to_owned()), n)).collect()
}

/// The events stored for one object, as (type, snapshot of the object).
async fn events_of(app: &TestApp, store: &StoreId, object_id: &str) -> Vec<(String, Value)> {
    let (store, object_id) = (store.clone(), object_id.to_owned());
    let rows = app
        .ctx
        .db
        .read(move |c| paylink::store::events::for_object(c, &store, &object_id))
        .await
        .expect("events of the object");
    rows.into_iter()
        .map(|e| {
            let payload: Value = serde_json::from_str(&e.payload).expect("event payload is JSON");
            (e.kind.as_str().to_owned(), payload["object"].clone())
        })
        .collect()
}

fn count_kind(events: &[(String, Value)], kind: &str) -> usize {
    events.iter().filter(|(k, _)| k == kind).count()
}

both!(
    a_hundred_concurrent_creates_with_one_reference_make_one_link_and_ninety_nine_conflicts,
    |app: Arc<TestApp>| async move {
        let responses = race(&app, 100, |app, i| async move {
            let body = json!({"amount": "25.00", "title": format!("Attempt {i}"), "reference_id": "ORDER-RACE-1"});
            app.post(&app.owner_key, "/v1/payment_links", body).await
        })
        .await;
        assert_eq!(tally(&responses), expected(&[(201, "", 1), (409, "DUPLICATE_REFERENCE", 99)]));
        let winner = responses.iter().find(|r| r.status == 201).expect("one winner");
        assert_eq!(winner.body["reference_id"], "ORDER-RACE-1");

        let listed = app.get(&app.owner_key, "/v1/payment_links?q=ORDER-RACE-1&page=1&page_size=100").await;
        assert_eq!(listed.status, 200, "{}", listed.text);
        assert_eq!(listed.body["total"], 1, "one stored link carries the reference: {}", listed.text);
        assert_eq!(listed.body["data"][0]["id"], winner.body["id"]);
        let events = events_of(&app, &app.store_id, winner.body["id"].as_str().unwrap()).await;
        assert_eq!(count_kind(&events, "payment_link.created"), 1);

        // The same reference is free in every other store, environment and merchant.
        let body = json!({"amount": "25.00", "title": "Elsewhere", "reference_id": "ORDER-RACE-1"});
        let (_, live_key) = app.staff_in(Role::Owner, None, Environment::Production).await;
        let live = app.post(&live_key, "/v1/payment_links", body.clone()).await;
        assert_eq!(live.status, 201, "production environment: {}", live.text);
        assert_eq!(live.body["environment"], "production");
        let (_, other_store_key) = app.second_store_key().await;
        let other_store = app.post(&other_store_key, "/v1/payment_links", body.clone()).await;
        assert_eq!(other_store.status, 201, "another store of the merchant: {}", other_store.text);
        let foreign_key = app.foreign_key().await;
        let foreign = app.post(&foreign_key, "/v1/payment_links", body.clone()).await;
        assert_eq!(foreign.status, 201, "another merchant: {}", foreign.text);
        let ids = [&winner.body["id"], &live.body["id"], &other_store.body["id"], &foreign.body["id"]];
        let distinct: std::collections::BTreeSet<_> = ids.iter().map(|v| v.as_str().unwrap()).collect();
        assert_eq!(distinct.len(), 4, "four different links");

        // And still taken in the original scope.
        let again = app.post(&app.owner_key, "/v1/payment_links", body).await;
        assert_eq!((again.status, again.body["error_code"].as_str()), (409, Some("DUPLICATE_REFERENCE")));
    }
);

both!(a_hundred_concurrent_cancels_of_one_link_succeed_exactly_once, |app: Arc<TestApp>| async move {
    let link = app.create_link(&app.owner_key, json!({"amount": "10.00", "title": "Cancel me"})).await;
    let id = link["id"].as_str().unwrap().to_owned();
    let path = format!("/v1/payment_links/{id}/cancel");
    let responses = race(&app, 100, |app, _| {
        let path = path.clone();
        async move { app.post(&app.owner_key, &path, json!({})).await }
    })
    .await;
    assert_eq!(tally(&responses), expected(&[(200, "", 1), (409, "LINK_NOT_OPEN", 99)]));
    let winner = responses.iter().find(|r| r.status == 200).unwrap();
    assert_eq!(winner.body["status"], "cancelled");

    let read = app.get(&app.owner_key, &format!("/v1/payment_links/{id}")).await;
    assert_eq!(read.body["status"], "cancelled");
    let events = events_of(&app, &app.store_id, &id).await;
    assert_eq!(count_kind(&events, "payment_link.cancelled"), 1, "events: {events:?}");
    assert_eq!(count_kind(&events, "payment_link.created"), 1);
    assert_eq!(events.len(), 2, "no other events: {events:?}");
    let cancelled = &events.iter().find(|(k, _)| k == "payment_link.cancelled").unwrap().1;
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["id"], id.as_str());
});

both!(concurrent_updates_and_cancels_never_apply_an_update_after_the_cancel, |app: Arc<TestApp>| async move {
    for round in 0..4 {
        let link = app.create_link(&app.owner_key, json!({"amount": "10.00", "title": "Original"})).await;
        let id = link["id"].as_str().unwrap().to_owned();
        // 60 requests: every tenth is a cancel, the rest rename the link.
        let responses = race(&app, 60, |app, i| {
            let id = id.clone();
            async move {
                if i % 10 == 5 {
                    app.post(&app.owner_key, &format!("/v1/payment_links/{id}/cancel"), json!({})).await
                } else {
                    let body = json!({"title": format!("Edit {i}"), "metadata": {"edit": i}});
                    app.call("PATCH", &format!("/v1/payment_links/{id}"), Some(&app.owner_key), Some(body)).await
                }
            }
        })
        .await;

        let (mut cancels_ok, mut patches_ok) = (Vec::new(), 0usize);
        for (i, r) in responses.iter().enumerate() {
            let cancel = i % 10 == 5;
            match (r.status, cancel) {
                (200, true) => {
                    assert_eq!(r.body["status"], "cancelled");
                    cancels_ok.push(r);
                }
                (200, false) => {
                    assert_eq!(r.body["status"], "open", "round {round}: a 200 PATCH must show an open link");
                    assert_eq!(r.body["title"], format!("Edit {i}"));
                    patches_ok += 1;
                }
                (409, _) => assert_eq!(r.body["error_code"], "LINK_NOT_OPEN", "round {round}: {}", r.text),
                (s, _) => panic!("round {round}: request {i} answered {s}: {}", r.text),
            }
        }
        assert_eq!(cancels_ok.len(), 1, "round {round}: exactly one cancel wins");
        let cancelled = cancels_ok[0];

        // Nothing changed after the cancel: the link reads exactly as the cancel returned it.
        let read = app.get(&app.owner_key, &format!("/v1/payment_links/{id}")).await;
        assert_eq!(read.body["status"], "cancelled");
        assert_eq!(read.body["title"], cancelled.body["title"], "round {round}: an update landed after the cancel");
        assert_eq!(read.body["metadata"], cancelled.body["metadata"]);
        assert_eq!(read.body["updated_at"], cancelled.body["updated_at"]);

        let events = events_of(&app, &app.store_id, &id).await;
        assert_eq!(count_kind(&events, "payment_link.cancelled"), 1, "round {round}");
        assert_eq!(
            count_kind(&events, "payment_link.updated"),
            patches_ok,
            "round {round}: one event per applied PATCH"
        );
        for (kind, snapshot) in &events {
            if kind == "payment_link.updated" {
                assert_eq!(snapshot["status"], "open", "round {round}: an update event of a cancelled link");
            }
        }
        let snapshot = &events.iter().find(|(k, _)| k == "payment_link.cancelled").unwrap().1;
        assert_eq!(snapshot["title"], read.body["title"]);
    }
});
