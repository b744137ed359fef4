//! Sending caps per link and per store per hour, taken in the database: sequential and
//! concurrent requests never pass them, on both databases. A link created past a cap exists and
//! records its message as failed.

use super::{sara, stored};
use crate::concurrency::race;
use crate::helpers::{Backend, TestApp};
use paylink::domain::notification::Status;
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Arc;

async fn notify(app: &TestApp, link: &str) -> crate::helpers::Resp {
    app.post(&app.owner_key, &format!("/v1/payment_links/{link}/notify"), json!({"channel": "sms"})).await
}

async fn new_link(app: &TestApp) -> String {
    app.create_link(&app.owner_key, sara(json!({}))).await["id"].as_str().unwrap().to_owned()
}

/// Moves the clock just past the start of the next hour, so a test's requests share one hour.
fn fresh_hour(app: &TestApp) {
    let into_hour = app.ctx.clock.now().micros().rem_euclid(3_600_000_000) / 1_000_000;
    app.ctx.clock.advance_secs(3600 - into_hour + 1);
}

fn tally(responses: &[crate::helpers::Resp]) -> BTreeMap<(u16, String), usize> {
    responses.iter().fold(BTreeMap::new(), |mut m, r| {
        *m.entry((r.status, r.body["error_code"].as_str().unwrap_or("").to_owned())).or_insert(0) += 1;
        m
    })
}

async fn per_link_cap(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else { return };
    fresh_hour(&app);
    let (link, other) = (new_link(&app).await, new_link(&app).await);
    for i in 0..5 {
        assert_eq!(notify(&app, &link).await.status, 202, "notification {i}");
    }
    let refused = notify(&app, &link).await;
    assert_eq!((refused.status, refused.body["error_code"].as_str()), (429, Some("NOTIFICATION_LIMIT")));
    assert!(refused.body["error"].as_str().unwrap().contains("at most 5 notifications per link per hour"));
    assert_eq!(stored(&app, &link).await.len(), 5, "a refused request writes nothing");
    assert_eq!(notify(&app, &other).await.status, 202, "another link has its own cap");
    app.ctx.clock.advance_secs(3600);
    assert_eq!(notify(&app, &link).await.status, 202, "the next hour has a new cap");
    app.cleanup().await;
}

crate::on_both!(the_sixth_notification_of_a_link_in_one_hour_is_refused_with_429, per_link_cap);

async fn per_store_cap(backend: Backend) {
    let settings =
        [("PAYLINK_NOTIFICATIONS_PER_STORE_PER_HOUR", "3"), ("PAYLINK_NOTIFICATIONS_PER_LINK_PER_HOUR", "10")];
    let Some(app) = TestApp::spawn_with(backend, &settings).await else { return };
    fresh_hour(&app);
    let (a, b) = (new_link(&app).await, new_link(&app).await);
    let statuses = [notify(&app, &a).await.status, notify(&app, &b).await.status, notify(&app, &a).await.status];
    assert_eq!(statuses, [202, 202, 202]);
    let refused = notify(&app, &b).await;
    assert_eq!((refused.status, refused.body["error_code"].as_str()), (429, Some("NOTIFICATION_LIMIT")));
    assert!(refused.body["error"].as_str().unwrap().contains("per store per hour"));
    let created = app.create_link(&app.owner_key, sara(json!({"send_sms": true}))).await;
    let rows = stored(&app, created["id"].as_str().unwrap()).await;
    assert_eq!(rows.len(), 1, "the link is created and its message recorded");
    assert_eq!(rows[0].status, Status::Failed);
    assert!(rows[0].last_error.as_deref().unwrap().starts_with("cap_reached: at most 3 notifications per store"));
    let (_, second_key) = app.second_store_key().await;
    let theirs = app.create_link(&second_key, sara(json!({}))).await["id"].as_str().unwrap().to_owned();
    let r = app.post(&second_key, &format!("/v1/payment_links/{theirs}/notify"), json!({"channel": "email"})).await;
    assert_eq!(r.status, 202, "another store has its own cap: {}", r.text);
    app.cleanup().await;
}

crate::on_both!(the_store_cap_counts_every_link_and_a_new_link_past_it_records_a_failed_message, per_store_cap);

async fn concurrent_per_link(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else { return };
    fresh_hour(&app);
    let app = Arc::new(app);
    let link = new_link(&app).await;
    let responses = race(&app, 30, |app, _| {
        let link = link.clone();
        async move { notify(&app, &link).await }
    })
    .await;
    let expected = BTreeMap::from([((202, String::new()), 5), ((429, "NOTIFICATION_LIMIT".to_owned()), 25)]);
    assert_eq!(tally(&responses), expected);
    assert_eq!(stored(&app, &link).await.len(), 5);
    if let Ok(app) = Arc::try_unwrap(app) {
        app.cleanup().await;
    }
}

crate::on_both!(thirty_concurrent_notify_requests_on_a_link_capped_at_five_accept_exactly_five, concurrent_per_link);

async fn concurrent_per_store(backend: Backend) {
    let settings = [("PAYLINK_NOTIFICATIONS_PER_STORE_PER_HOUR", "7")];
    let Some(app) = TestApp::spawn_with(backend, &settings).await else { return };
    fresh_hour(&app);
    let app = Arc::new(app);
    let mut links = Vec::new();
    for _ in 0..10 {
        links.push(new_link(&app).await);
    }
    let links = Arc::new(links);
    let responses = race(&app, 30, |app, i| {
        let links = links.clone();
        async move { notify(&app, &links[i % 10]).await }
    })
    .await;
    let expected = BTreeMap::from([((202, String::new()), 7), ((429, "NOTIFICATION_LIMIT".to_owned()), 23)]);
    assert_eq!(tally(&responses), expected);
    let mut total = 0;
    for link in links.iter() {
        total += stored(&app, link).await.len();
    }
    assert_eq!(total, 7);
    if let Ok(app) = Arc::try_unwrap(app) {
        app.cleanup().await;
    }
}

crate::on_both!(thirty_concurrent_requests_across_ten_links_never_pass_a_store_cap_of_seven, concurrent_per_store);
