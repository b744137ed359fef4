//! Developers → Webhooks: an OWNER makes an endpoint through the form, sees its secret once, and
//! that secret verifies a real delivery; enabling, disabling, rotating and deleting go through the
//! API's services; the delivery log and one delivery's attempts read what the API reads; "send
//! again" and "replay" from the dashboard schedule the same deliveries as the API's redeliver and
//! replay. ACCOUNTING and CASHIER are refused as the API refuses them, another store's endpoint
//! is 404, a form without the session's token changes nothing, and bad input is a 400 naming the
//! field.

use super::client::Staff;
use crate::both;
use crate::helpers::TestApp;
use crate::receiver::Receiver;
use crate::webhooks::{register, verifies};
use paylink::domain::Environment;
use paylink::domain::access::Role;
use serde_json::{Value, json};
use std::sync::Arc;

const LIST: &str = "/dashboard/developers/webhooks";
const NEW: &str = "/dashboard/developers/webhooks/new";

/// The secret shown on a secret page (the text of its `id="secret"` field).
fn secret_of(html: &str) -> String {
    let field = &html[html.find("id=\"secret\"").expect("the secret field")..];
    let text = &field[field.find('>').unwrap() + 1..];
    text[..text.find('<').unwrap()].to_owned()
}

/// Creates an endpoint through the form as `s`, with `fields` after the token; the answer.
async fn create(s: &mut Staff<'_>, fields: &[(&str, &str)]) -> crate::helpers::Resp {
    s.post(NEW, NEW, fields).await
}

/// The store's endpoints as the API lists them.
async fn endpoints(app: &TestApp) -> Vec<Value> {
    app.get(&app.owner_key, "/v1/webhook_endpoints").await.body["data"].as_array().unwrap().clone()
}

/// The endpoint's deliveries as the API lists them.
async fn deliveries(app: &TestApp, id: &str) -> Vec<Value> {
    let r = app.get(&app.owner_key, &format!("/v1/webhook_endpoints/{id}/deliveries")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["data"].as_array().unwrap().clone()
}

both!(an_owner_creates_an_endpoint_whose_secret_shows_once_and_signs_a_real_delivery, |app: Arc<TestApp>| async move {
    let rx = Receiver::start().await;
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let url = rx.url("hook");
    let made = create(&mut owner, &[("url", &url), ("events", "*"), ("description", "ERP – الرياض")]).await;
    assert_eq!(made.status, 200, "{}", made.text);
    assert_eq!(made.headers["cache-control"], "no-store");
    assert!(made.headers["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));
    let secret = secret_of(&made.text);
    assert!(secret.starts_with("whsec_"), "{secret}");
    let list = owner.get(LIST).await;
    assert_eq!(list.status, 200, "{}", list.text);
    assert!(list.text.contains(&url) && list.text.contains("ERP – الرياض"), "{}", list.text);
    assert!(!list.text.contains(&secret), "listed without its secret");
    assert!(list.text.contains("class=\"dev-tabs\""), "the developers tabs");

    let link = app.create_link(&app.owner_key, json!({"amount": "5.00", "title": "Signed"})).await;
    paylink::worker::run_pending(&app.ctx).await;
    let got = rx.at("hook");
    assert_eq!(got.len(), 1);
    assert!(verifies(&secret, &got[0].id, &got[0].timestamp, &got[0].body, &got[0].signature));

    let id = endpoints(&app).await[0]["id"].as_str().unwrap().to_owned();
    let log = owner.get(&format!("{LIST}/{id}")).await;
    assert_eq!(log.status, 200, "{}", log.text);
    assert!(log.text.contains(&got[0].id) && log.text.contains("payment_link.created"), "{}", log.text);
    assert!(!log.text.contains(&secret));
    let one = owner.get(&format!("{LIST}/{id}/deliveries/{}", got[0].id)).await;
    assert_eq!(one.status, 200, "{}", one.text);
    assert!(one.text.contains("answer 1") && one.text.contains(">200<"), "the attempt: {}", one.text);
    assert!(one.text.contains(link["id"].as_str().unwrap()), "the event sent: {}", one.text);
});

both!(disabling_and_enabling_through_the_forms_pause_and_resume_deliveries, |app: Arc<TestApp>| async move {
    let rx = Receiver::start().await;
    let (id, _) = register(&app, &rx.url("p"), json!(["*"])).await;
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let off = owner.post(LIST, &format!("{LIST}/{id}/disable"), &[]).await;
    assert_eq!(
        (off.status, off.headers["location"].to_str().unwrap()),
        (303, "/dashboard/developers/webhooks?done=disabled")
    );
    assert_eq!(endpoints(&app).await[0]["status"], "disabled");
    app.create_link(&app.owner_key, json!({"amount": "1.00", "title": "Paused"})).await;
    paylink::worker::run_pending(&app.ctx).await;
    assert!(rx.at("p").is_empty(), "nothing is sent to a disabled endpoint");
    let list = owner.get("/dashboard/developers/webhooks?done=disabled").await;
    assert!(list.text.contains(&format!("{LIST}/{id}/enable")), "an enable button: {}", list.text);
    let on = owner.post(LIST, &format!("{LIST}/{id}/enable"), &[]).await;
    assert_eq!(
        (on.status, on.headers["location"].to_str().unwrap()),
        (303, "/dashboard/developers/webhooks?done=enabled")
    );
    assert_eq!(endpoints(&app).await[0]["status"], "enabled");
    app.create_link(&app.owner_key, json!({"amount": "1.00", "title": "Resumed"})).await;
    paylink::worker::run_pending(&app.ctx).await;
    assert_eq!(rx.at("p").len(), 1);
});

both!(rotating_shows_a_new_secret_once_and_deleting_ends_the_endpoint, |app: Arc<TestApp>| async move {
    let rx = Receiver::start().await;
    let (id, old) = register(&app, &rx.url("r"), json!(["*"])).await;
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let rotated = owner.post(LIST, &format!("{LIST}/{id}/rotate"), &[]).await;
    assert_eq!(rotated.status, 200, "{}", rotated.text);
    assert_eq!(rotated.headers["cache-control"], "no-store");
    let new = secret_of(&rotated.text);
    assert!(new.starts_with("whsec_") && new != old);
    assert!(!owner.get(LIST).await.text.contains(&new), "shown once");
    app.create_link(&app.owner_key, json!({"amount": "1.00", "title": "Rotated"})).await;
    paylink::worker::run_pending(&app.ctx).await;
    let got = rx.at("r").pop().expect("a delivery");
    assert!(verifies(&new, &got.id, &got.timestamp, &got.body, &got.signature), "the new secret signs");
    assert!(verifies(&old, &got.id, &got.timestamp, &got.body, &got.signature), "the old one during the grace");
    let gone = owner.post(LIST, &format!("{LIST}/{id}/delete"), &[]).await;
    assert_eq!(
        (gone.status, gone.headers["location"].to_str().unwrap()),
        (303, "/dashboard/developers/webhooks?done=deleted")
    );
    assert!(endpoints(&app).await.is_empty());
    assert_eq!(owner.get(&format!("{LIST}/{id}")).await.status, 404);
});

both!(accounting_and_cashier_are_refused_as_the_api_refuses_them, |app: Arc<TestApp>| async move {
    let (id, _) = register(&app, "https://example.com/hooks", json!(["*"])).await;
    let branch = app.branch_id.clone();
    for (role, b) in [(Role::Accounting, None), (Role::Cashier, Some(branch.as_str()))] {
        let (_, key) = app.staff_in(role, b, Environment::Sandbox).await;
        let api = app.get(&key, "/v1/webhook_endpoints").await.status;
        let api_one = app.get(&key, &format!("/v1/webhook_endpoints/{id}/deliveries")).await.status;
        assert!(api == 403 || api == 404, "{role:?}: {api}");
        let mut s = Staff::signed_in(&app, role, b).await;
        assert!(!s.get("/dashboard/profile").await.text.contains(LIST), "{role:?}: no link");
        for path in [LIST.to_owned(), NEW.to_owned()] {
            assert_eq!(s.get(&path).await.status, api, "{role:?} {path}");
        }
        for path in [format!("{LIST}/{id}"), format!("{LIST}/{id}/deliveries/evt_x")] {
            assert_eq!(s.get(&path).await.status, api_one, "{role:?} {path}");
        }
        let r = s.post("/dashboard", NEW, &[("url", "https://example.com/mine"), ("events", "*")]).await;
        assert_eq!(r.status, api, "{role:?}: {}", r.text);
        for action in ["disable", "rotate", "delete"] {
            let r = s.post("/dashboard", &format!("{LIST}/{id}/{action}"), &[]).await;
            assert_eq!(r.status, api_one, "{role:?} {action}: {}", r.text);
        }
        let r =
            s.post("/dashboard", &format!("{LIST}/{id}/replay"), &[("from", "2026-01-01"), ("to", "2026-01-02")]).await;
        assert_eq!(r.status, api_one, "{role:?} replay");
    }
    let all = endpoints(&app).await;
    assert_eq!(all.len(), 1, "nothing made");
    assert_eq!(all[0]["status"], "enabled", "nothing changed");
});

both!(another_stores_or_environments_endpoint_is_not_found, |app: Arc<TestApp>| async move {
    let (_, second) = app.second_store_key().await;
    let (_, live) = app.staff_in(Role::Owner, None, Environment::Production).await;
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    for key in [&second, &live] {
        let r = app.post(key, "/v1/webhook_endpoints", json!({"url": "https://example.com/theirs"})).await;
        assert_eq!(r.status, 201, "{}", r.text);
        let id = r.body["id"].as_str().unwrap().to_owned();
        assert_eq!(owner.get(&format!("{LIST}/{id}")).await.status, 404);
        assert_eq!(owner.get(&format!("{LIST}/{id}/deliveries/evt_x")).await.status, 404);
        assert!(!owner.get(LIST).await.text.contains(&id));
        for action in ["disable", "rotate", "delete"] {
            let r = owner.post(LIST, &format!("{LIST}/{id}/{action}"), &[]).await;
            assert_eq!(r.status, 404, "{action}: {}", r.text);
        }
        let r = owner.post(LIST, &format!("{LIST}/{id}/replay"), &[("from", "2026-01-01"), ("to", "2026-01-02")]).await;
        assert_eq!(r.status, 404);
        assert_eq!(app.get(&app.owner_key, &format!("/v1/webhook_endpoints/{id}/deliveries")).await.status, 404);
        let theirs = app.get(key, &format!("/v1/webhook_endpoints/{id}")).await;
        assert_eq!(theirs.body["status"], "enabled", "unchanged: {}", theirs.text);
    }
});

both!(a_form_without_the_sessions_token_changes_nothing, |app: Arc<TestApp>| async move {
    let rx = Receiver::start().await;
    let (id, _) = register(&app, &rx.url("t"), json!(["*"])).await;
    app.create_link(&app.owner_key, json!({"amount": "1.00", "title": "Token"})).await;
    paylink::worker::run_pending(&app.ctx).await;
    let event = rx.at("t")[0].id.clone();
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let posts = [
        (NEW.to_owned(), vec![("url", "https://example.com/forged"), ("events", "*")]),
        (format!("{LIST}/{id}/disable"), vec![]),
        (format!("{LIST}/{id}/rotate"), vec![]),
        (format!("{LIST}/{id}/delete"), vec![]),
        (format!("{LIST}/{id}/replay"), vec![("from", "2020-01-01"), ("to", "2030-01-01")]),
        (format!("{LIST}/{id}/deliveries/{event}/redeliver"), vec![]),
    ];
    for (path, fields) in posts {
        assert_eq!(owner.post_raw(&path, &fields).await.status, 403, "{path}: no token");
        let mut forged = vec![("csrf", "forged")];
        forged.extend(fields);
        assert_eq!(owner.post_raw(&path, &forged).await.status, 403, "{path}: a forged token");
    }
    paylink::worker::run_pending(&app.ctx).await;
    let all = endpoints(&app).await;
    assert_eq!((all.len(), all[0]["status"].as_str()), (1, Some("enabled")));
    assert_eq!(rx.at("t").len(), 1, "nothing sent again");
    assert_eq!(deliveries(&app, &id).await[0]["attempt_count"], 1);
});

/// What a delivery looks like apart from where it went: event, state, attempts and answers.
fn shape(d: &Value, attempts: &Value) -> Value {
    let answers: Vec<Value> =
        attempts.as_array().unwrap().iter().map(|a| json!([a["number"], a["status_code"], a["error"]])).collect();
    json!([d["event_id"], d["event_type"], d["status"], d["attempt_count"], d["last_status_code"], answers])
}

/// The endpoint's delivery of `event` with its attempts, as `GET /v1/events/{id}` shows it.
async fn delivery_of(app: &TestApp, endpoint: &str, event: &str) -> Value {
    let e = app.get(&app.owner_key, &format!("/v1/events/{event}")).await;
    let all = e.body["deliveries"].as_array().unwrap().clone();
    all.into_iter().find(|d| d["endpoint_id"] == endpoint).expect("the delivery")
}

both!(redeliver_and_replay_from_the_dashboard_produce_the_same_deliveries_as_the_api, |app: Arc<TestApp>| async move {
    let rx = Receiver::start().await;
    let (dash, _) = register(&app, &rx.url("dash"), json!(["payment_link.created"])).await;
    let (api, _) = register(&app, &rx.url("api"), json!(["payment_link.created"])).await;
    for i in 0..3 {
        app.create_link(&app.owner_key, json!({"amount": "2.00", "title": format!("Same {i}")})).await;
    }
    paylink::worker::run_pending(&app.ctx).await;
    let event = rx.at("dash")[0].id.clone();
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let page = format!("{LIST}/{dash}/deliveries/{event}");
    let again = owner.post(&page, &format!("{page}/redeliver"), &[]).await;
    assert_eq!(again.status, 303, "{}", again.text);
    assert_eq!(again.headers["location"].to_str().unwrap(), format!("{LIST}/{dash}?scheduled=1"));
    let r = app.post(&app.owner_key, &format!("/v1/events/{event}/redeliver"), json!({"endpoint_id": api})).await;
    assert_eq!((r.status, r.body["scheduled"].as_u64()), (202, Some(1)), "{}", r.text);
    paylink::worker::run_pending(&app.ctx).await;
    let (d, a) = (delivery_of(&app, &dash, &event).await, delivery_of(&app, &api, &event).await);
    assert_eq!(shape(&d, &d["attempts"]), shape(&a, &a["attempts"]), "redelivered alike");
    assert_eq!(d["attempt_count"], 2);

    let day = app.ctx.clock.now().to_rfc3339()[..10].to_owned();
    let replayed =
        owner.post(&format!("{LIST}/{dash}"), &format!("{LIST}/{dash}/replay"), &[("from", &day), ("to", &day)]).await;
    assert_eq!(replayed.status, 303, "{}", replayed.text);
    assert_eq!(replayed.headers["location"].to_str().unwrap(), format!("{LIST}/{dash}?scheduled=3"));
    let from = paylink::domain::Timestamp::parse_date(&day).unwrap();
    let body = json!({"from": from.to_rfc3339(), "to": from.plus_secs(86_400).to_rfc3339()});
    let r = app.post(&app.owner_key, &format!("/v1/webhook_endpoints/{api}/replay"), body).await;
    assert_eq!((r.status, r.body["scheduled"].as_u64()), (202, Some(3)), "{}", r.text);
    paylink::worker::run_pending(&app.ctx).await;
    let (ours, theirs) = (deliveries(&app, &dash).await, deliveries(&app, &api).await);
    assert_eq!(ours.len(), 3);
    for (d, a) in ours.iter().zip(&theirs) {
        let (dd, ad) = (
            delivery_of(&app, &dash, d["event_id"].as_str().unwrap()).await,
            delivery_of(&app, &api, a["event_id"].as_str().unwrap()).await,
        );
        assert_eq!(shape(&dd, &dd["attempts"]), shape(&ad, &ad["attempts"]), "replayed alike");
    }
    let bodies = |path: &str| {
        let mut all: Vec<_> = rx.at(path).iter().map(|r| (r.id.clone(), r.body.clone())).collect();
        all.sort();
        all
    };
    assert_eq!(bodies("dash"), bodies("api"), "the same requests");
    let log = owner.get(&format!("{LIST}/{dash}?scheduled=3")).await;
    assert!(log.text.contains("3"), "{}", log.text);
});

both!(the_delivery_log_filters_by_status_and_day_and_pages, |app: Arc<TestApp>| async move {
    let rx = Receiver::start().await;
    let (id, _) = register(&app, &rx.url("f"), json!(["payment_link.created"])).await;
    let mut links = Vec::new();
    for i in 0..3 {
        let link = app.create_link(&app.owner_key, json!({"amount": "2.00", "title": format!("Log {i}")})).await;
        links.push(link["id"].as_str().unwrap().to_owned());
    }
    paylink::worker::run_pending(&app.ctx).await;
    let of_link = format!("/v1/events?type=payment_link.created&payment_link_id={}", links[2]);
    let newest = app.get(&app.owner_key, &of_link).await.body["data"][0]["id"].as_str().unwrap().to_owned();
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let day = app.ctx.clock.now().to_rfc3339()[..10].to_owned();
    let ids: Vec<String> = rx.at("f").iter().map(|r| r.id.clone()).collect();
    let today = owner.get(&format!("{LIST}/{id}?status=delivered&created_from={day}&created_to={day}")).await;
    assert_eq!(today.status, 200, "{}", today.text);
    assert!(ids.iter().all(|e| today.text.contains(e.as_str())), "{}", today.text);
    let failed = owner.get(&format!("{LIST}/{id}?status=failed")).await;
    assert!(ids.iter().all(|e| !failed.text.contains(e.as_str())));
    let bad = owner.get(&format!("{LIST}/{id}?status=exploded")).await;
    assert_eq!(bad.status, 400, "{}", bad.text);
    let page = app.get(&app.owner_key, &format!("/v1/webhook_endpoints/{id}/deliveries?limit=2")).await;
    assert_eq!(page.body["data"].as_array().unwrap().len(), 2);
    assert_eq!(page.body["data"][0]["event_id"], newest.as_str(), "newest first");
    let cursor = page.body["next_cursor"].as_str().unwrap();
    let rest = format!("/v1/webhook_endpoints/{id}/deliveries?limit=2&starting_after={cursor}");
    let next = app.get(&app.owner_key, &rest).await;
    assert_eq!((next.body["data"].as_array().unwrap().len(), next.body["has_more"].as_bool()), (1, Some(false)));
    let mut seen: Vec<&str> =
        page.body["data"].as_array().unwrap().iter().map(|d| d["event_id"].as_str().unwrap()).collect();
    seen.push(next.body["data"][0]["event_id"].as_str().unwrap());
    seen.sort();
    let mut all: Vec<&str> = ids.iter().map(String::as_str).collect();
    all.sort();
    assert_eq!(seen, all, "every delivery once");
});

both!(bad_input_is_refused_with_the_field_named_and_makes_nothing, |app: Arc<TestApp>| async move {
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    let long = "x".repeat(501);
    let cases: [(&[(&str, &str)], &str); 7] = [
        (&[("url", "not a url"), ("events", "*")], "url"),
        (&[("url", "ftp://example.com/x"), ("events", "*")], "url"),
        (&[("url", "https://example.com/\u{0}x"), ("events", "*")], "url"),
        (&[("url", "https://example.com/x"), ("events", "*"), ("description", "a\u{0}b")], "description"),
        (&[("url", "https://example.com/x"), ("events", "*"), ("description", long.as_str())], "description"),
        (&[("url", "https://example.com/x")], "events"),
        (&[("url", "https://example.com/x"), ("events", "payment.exploded")], "events"),
    ];
    for (fields, field) in cases {
        let r = create(&mut owner, fields).await;
        assert_eq!(r.status, 400, "{fields:?}: {}", r.text);
        assert!(r.text.contains(&format!("aria-describedby=\"{field}-error\"")), "{fields:?}: {}", r.text);
    }
    assert!(endpoints(&app).await.is_empty(), "nothing made");
    let (id, _) = register(&app, "https://example.com/hooks", json!(["*"])).await;
    let log = format!("{LIST}/{id}");
    for (fields, field) in [
        ([("from", ""), ("to", "2026-01-01")], "from"),
        ([("from", "2026-01-01"), ("to", "2026-01-\u{0}2")], "to"),
        ([("from", "2026-01-01"), ("to", "2026-03-01")], "to"),
        ([("from", "2026-01-05"), ("to", "2026-01-01")], "to"),
    ] {
        let r = owner.post(&log, &format!("{log}/replay"), &fields).await;
        assert_eq!(r.status, 400, "{fields:?}: {}", r.text);
        assert!(r.text.contains(&format!("aria-describedby=\"{field}-error\"")), "{fields:?}: {}", r.text);
    }
});
