//! BirrLink's delivery policy (3 attempts: at once, +1 min, +10 min; 10 s each) and the
//! per-payment `callback_url`, signed with the store's callback secret.

use super::*;
use crate::both;
use crate::helpers::TestApp;
use crate::receiver::{Behaviour, Received, Receiver};
use crate::sandbox::{card, pay_with};
use serde_json::json;
use std::sync::Arc;

both!(a_failing_receiver_gets_three_attempts_at_0_60_and_600_seconds_then_fails, |app: Arc<TestApp>| async move {
    let rx = Receiver::start().await;
    rx.on("down", Behaviour { status: Some(500), ..Default::default() });
    register(&app, &rx.url("down"), json!(["payment.completed"])).await;
    let pay_id = payment(&app, json!({})).await;
    pay_with(&app, &plink(&pay_id), "card", card(SUCCEEDS)).await.expect("paid");
    paylink::worker::run_pending(&app.ctx).await;
    let mut counts = vec![rx.at("down").len()];
    for wait in [59, 1, 598, 2, 86_400] {
        app.ctx.clock.advance_secs(wait);
        paylink::worker::run_pending(&app.ctx).await;
        counts.push(rx.at("down").len());
    }
    assert_eq!(counts, [1, 1, 2, 2, 3, 3], "at once, after 1 minute, after 10 more, then no more");
    let got = rx.at("down");
    let id = event(&got[0])["id"].as_str().unwrap().to_owned();
    assert!(got.iter().all(|r| event(r)["id"] == id.as_str()), "one event id on every attempt");
    assert!(got.windows(2).all(|w| header(&w[0], "birrlink-timestamp") != header(&w[1], "birrlink-timestamp")));
    let d = deliveries(&app, &id).await;
    let d = d.iter().find(|d| d["endpoint_id"].as_str().unwrap().starts_with("we_")).unwrap();
    assert_eq!((d["status"].as_str(), d["attempt_count"].as_i64()), (Some("failed"), Some(3)), "{d}");
    assert!(d["attempts"].as_array().unwrap().iter().all(|a| a["status_code"] == 500));
    // Redelivered by hand once the receiver is back.
    rx.on("down", Behaviour::default());
    let r = app.post(&app.owner_key, &format!("/v1/events/{id}/redeliver"), json!({})).await;
    assert_eq!(r.status, 202, "{}", r.text);
    paylink::worker::run_pending(&app.ctx).await;
    assert_eq!(rx.at("down").len(), 4);
    let d = deliveries(&app, &id).await;
    assert!(d.iter().any(|d| d["status"] == "delivered"), "{d:?}");
});

both!(a_receiver_that_does_not_answer_within_ten_seconds_is_retried, |app: Arc<TestApp>| async move {
    let rx = Receiver::start().await;
    rx.on("slow", Behaviour { hang: true, ..Default::default() });
    register(&app, &rx.url("slow"), json!(["payment.completed"])).await;
    let pay_id = payment(&app, json!({})).await;
    pay_with(&app, &plink(&pay_id), "card", card(SUCCEEDS)).await.expect("paid");
    let started = std::time::Instant::now();
    paylink::worker::run_pending(&app.ctx).await;
    let took = started.elapsed().as_secs_f64();
    assert!((9.5..20.0).contains(&took), "BirrLink's 10 s timeout, not the native one: {took}");
    let id = event(&rx.at("slow")[0])["id"].as_str().unwrap().to_owned();
    let d = deliveries(&app, &id).await;
    let d = d.iter().find(|d| d["endpoint_id"].as_str().unwrap().starts_with("we_")).unwrap();
    assert_eq!(d["status"], "pending");
    assert!(d["attempts"][0]["error"].as_str().unwrap().starts_with("timeout"), "{d}");
});

both!(a_payment_callback_url_hears_its_outcomes_signed_with_the_store_secret, |app: Arc<TestApp>| async move {
    let rx = Receiver::start().await;
    let pay_id = payment(&app, json!({"callback_url": rx.url("cb")})).await;
    assert!(pay_with(&app, &plink(&pay_id), "card", card(DECLINED)).await.is_ok());
    pay_with(&app, &plink(&pay_id), "card", card(SUCCEEDS)).await.expect("paid");
    let expiring = payment(&app, json!({"callback_url": rx.url("cb2"), "expires_at": "2030-12-31T23:59:59Z"})).await;
    app.ctx.clock.advance_secs(7200);
    let expired = payment(&app, json!({"callback_url": rx.url("cb3")})).await;
    app.ctx.clock.advance_secs(3601);
    paylink::worker::run_pending(&app.ctx).await;
    let types =
        |path: &str| rx.at(path).iter().map(|r| event(r)["type"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
    let mut outcomes = types("cb");
    outcomes.sort();
    assert_eq!(outcomes, ["payment.completed", "payment.failed"], "outcomes only, not the creation or attempts");
    assert!(types("cb2").is_empty(), "{expiring} is still open");
    assert_eq!(types("cb3"), ["payment.cancelled"]);
    let gone = event(&rx.at("cb3")[0]);
    assert_eq!(gone["data"]["object"]["cancellation_reason"], "expired");
    assert_eq!(gone["data"]["object"], shown(&app, &expired).await);
    let completed = rx.at("cb").iter().map(event).find(|e| e["type"] == "payment.completed").unwrap();
    assert_eq!(completed["data"]["object"], shown(&app, &pay_id).await);
    let secret = app.get(&app.owner_key, "/v1/store/callback_secret").await.body["secret"].as_str().unwrap().to_owned();
    let all: Vec<Received> = [rx.at("cb"), rx.at("cb3")].concat();
    assert_eq!(verify_in_python(&secret, now_secs(&app), &captured(&all)), Ok(3));
    let d = deliveries(&app, completed["id"].as_str().unwrap()).await;
    let cb = d.iter().find(|d| d["endpoint_id"] == "birrlink").expect("the callback delivery");
    assert_eq!((cb["status"].as_str(), cb["url"].as_str()), (Some("delivered"), Some(rx.url("cb").as_str())));
});
