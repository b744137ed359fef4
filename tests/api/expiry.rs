//! The expiry sweeper: links past `expires_at` (database clock) are written `expired` with one
//! `payment_link.expired` event each, however many sweepers run at once, on both databases.

use crate::both;
use crate::helpers::TestApp;
use paylink::service::links;
use serde_json::json;
use std::sync::Arc;

async fn stored_status_and_expiry_events(app: &TestApp, id: &str) -> (String, i64) {
    let id = id.to_owned();
    app.ctx
        .db
        .read(move |c| {
            let status = c.query_opt("SELECT status FROM payment_links WHERE id = ?1", &[id.as_str().into()])?;
            let events = c.query_opt(
                "SELECT count(*) FROM events WHERE object_id = ?1 AND type = 'payment_link.expired'",
                &[id.as_str().into()],
            )?;
            Ok::<_, paylink::store::conn::DbError>((status.unwrap().text(0)?, events.unwrap().i64(0)?))
        })
        .await
        .unwrap()
}

both!(eight_concurrent_sweepers_expire_each_due_link_once_with_one_event, |app: Arc<TestApp>| async move {
    let soon = app.ctx.clock.now().plus_secs(60).to_rfc3339();
    let mut due = Vec::new();
    for i in 0..30 {
        let l = app
            .create_link(&app.owner_key, json!({"amount": "5.00", "title": format!("Due {i}"), "expires_at": soon}))
            .await;
        due.push(l["id"].as_str().unwrap().to_owned());
    }
    let later = app.ctx.clock.now().plus_secs(3600).to_rfc3339();
    let kept = app.create_link(&app.owner_key, json!({"amount": "5.00", "title": "Later", "expires_at": later})).await;
    let never = app.create_link(&app.owner_key, json!({"amount": "5.00", "title": "Never"})).await;
    let cancelled =
        app.create_link(&app.owner_key, json!({"amount": "5.00", "title": "Gone", "expires_at": soon})).await;
    let cancel_path = format!("/v1/payment_links/{}/cancel", cancelled["id"].as_str().unwrap());
    assert_eq!(app.post(&app.owner_key, &cancel_path, json!({})).await.status, 200);
    app.ctx.clock.advance_secs(61);
    let sweepers: Vec<_> = (0..8)
        .map(|_| {
            let ctx = app.ctx.clone();
            tokio::spawn(async move { links::expire_due(&ctx).await.unwrap() })
        })
        .collect();
    let mut expired = 0;
    for s in sweepers {
        expired += s.await.unwrap();
    }
    assert!(expired <= 30, "{expired} transitions for 30 links");
    for id in &due {
        assert_eq!(stored_status_and_expiry_events(&app, id).await, ("expired".to_owned(), 1), "{id}");
    }
    for (link, status) in [(&kept, "open"), (&never, "open"), (&cancelled, "cancelled")] {
        assert_eq!(stored_status_and_expiry_events(&app, link["id"].as_str().unwrap()).await, (status.to_owned(), 0));
    }
    assert_eq!(links::expire_due(&app.ctx).await.unwrap(), 0, "a second sweep finds nothing");
    let listed = app.get(&app.owner_key, "/v1/payment_links?status=expired&limit=100").await;
    assert_eq!(listed.body["data"].as_array().unwrap().len(), 30);
});
