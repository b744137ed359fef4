//! The envelope of NOTES §4 field by field, `BirrLink-Signature` checked by BirrLink's sample
//! verification, and which events reach which subscription under which name.

use super::*;
use crate::both;
use crate::helpers::TestApp;
use crate::receiver::Receiver;
use crate::sandbox::{card, pay_with};
use serde_json::{Value, json};
use std::sync::Arc;

both!(a_paid_payment_is_announced_in_birrlinks_envelope_and_verifies_like_its_sample, |app: Arc<TestApp>| async move {
    let rx = Receiver::start().await;
    let hook = register(&app, &rx.url("hook"), json!(["payment.completed", "payment.failed"])).await;
    let pay_id = payment(&app, json!({})).await;
    assert!(pay_with(&app, &plink(&pay_id), "card", card(DECLINED)).await.is_ok());
    let failed_view = shown(&app, &pay_id).await;
    pay_with(&app, &plink(&pay_id), "card", card(SUCCEEDS)).await.expect("paid");
    paylink::worker::run_pending(&app.ctx).await;
    let mut got = rx.at("hook");
    assert_eq!(got.len(), 2, "payment.failed and payment.completed (sent together: in either order)");
    got.sort_by_key(|r| event(r)["type"] == "payment.completed");
    let (failed, completed) = (event(&got[0]), event(&got[1]));
    assert_eq!(
        (failed["type"].as_str(), completed["type"].as_str()),
        (Some("payment.failed"), Some("payment.completed"))
    );
    // The envelope, field by field.
    let text = std::str::from_utf8(&got[1].body).unwrap();
    let at: Vec<usize> = ["id", "type", "created", "livemode", "data", "previous_attributes"]
        .iter()
        .map(|k| text.find(&format!("\"{k}\":")).unwrap_or_else(|| panic!("{k}: {text}")))
        .collect();
    assert!(at[0] == 1 && at.windows(2).all(|w| w[0] < w[1]), "NOTES' field order: {text}");
    assert_eq!(completed.as_object().unwrap().len(), 6, "{text}");
    assert!(text.contains("\"amount\":100.00"), "the amount keeps its two decimals: {text}");
    assert!(completed["id"].as_str().is_some_and(|id| id.starts_with("evt_")));
    assert!(completed["created"].as_i64().is_some_and(|t| (t - now_secs(&app)).abs() < 60), "{completed}");
    assert_eq!(completed["livemode"], false);
    assert_eq!(completed["data"]["object"], shown(&app, &pay_id).await, "the object as GET /payments/{{id}} shows it");
    assert_eq!(completed["data"]["object"]["status"], "completed");
    assert!(completed["data"]["object"]["transaction_id"].as_str().is_some_and(|t| t.starts_with("txn_")));
    assert_eq!(completed["previous_attributes"], json!({"status": "pending"}));
    assert_eq!(failed["data"]["object"], failed_view, "as GET showed it after the decline");
    assert_eq!(failed["data"]["object"]["status"], "failed");
    assert_eq!(failed["previous_attributes"], json!({"status": "pending"}));
    // The headers.
    let (signature, timestamp) = (header(&got[1], "birrlink-signature"), header(&got[1], "birrlink-timestamp"));
    let (t, v1) = signature.split_once(",v1=").expect("t=…,v1=…");
    assert_eq!(t, format!("t={timestamp}"));
    assert!(v1.len() == 64 && v1.bytes().all(|b| b.is_ascii_hexdigit()), "{signature}");
    assert_eq!(header(&got[1], "content-type"), "application/json");
    assert_eq!(header(&got[1], "birrlink-event-id"), completed["id"].as_str().unwrap());
    // BirrLink's sample verification accepts both; a changed body, another secret or an old
    // timestamp it refuses.
    let secret = hook["secret"].as_str().unwrap();
    let now = now_secs(&app);
    assert_eq!(verify_in_python(secret, now, &captured(&got)), Ok(2));
    let mut tampered = captured(&got[1..]);
    tampered[0].2 = String::from_utf8(tampered[0].2.clone()).unwrap().replace("100.00", "1.00").into_bytes();
    assert!(verify_in_python(secret, now, &tampered).unwrap_err().contains("signature mismatch"));
    assert!(verify_in_python("whsec_someone_else", now, &captured(&got)).is_err());
    assert!(verify_in_python(secret, now + 301, &captured(&got)).unwrap_err().contains("tolerance"));
    // The attempt shows on the native event.
    let d = deliveries(&app, completed["id"].as_str().unwrap()).await;
    let ours = d.iter().find(|d| d["endpoint_id"] == hook["id"]).expect("the delivery to the endpoint");
    assert_eq!((ours["status"].as_str(), ours["attempt_count"].as_i64()), (Some("delivered"), Some(1)));
});

both!(only_subscribed_events_are_delivered_each_under_its_birrlink_name, |app: Arc<TestApp>| async move {
    let rx = Receiver::start().await;
    register(&app, &rx.url("completed"), json!(["payment.completed"])).await;
    let all = json!(["payment.created", "payment.pending", "payment.cancelled", "customer.created"]);
    register(&app, &rx.url("lifecycle"), all).await;
    let pay_id = payment(&app, json!({})).await;
    assert!(pay_with(&app, &plink(&pay_id), "card", card(DECLINED)).await.is_ok());
    pay_with(&app, &plink(&pay_id), "card", card(SUCCEEDS)).await.expect("paid");
    let cancelled = payment(&app, json!({})).await;
    let r = app.post(&app.owner_key, &format!("/v1/payment_links/{}/cancel", plink(&cancelled)), json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let customer = send(&app, "POST", "/customers", &app.owner_key, Some(r#"{"name": "John Doe"}"#)).await;
    assert_eq!(customer.status, 201, "{}", customer.text);
    paylink::worker::run_pending(&app.ctx).await;
    let types =
        |path: &str| rx.at(path).iter().map(|r| event(r)["type"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
    assert_eq!(types("completed"), ["payment.completed"], "the decline and the creations are not subscribed");
    let mut lifecycle = types("lifecycle");
    lifecycle.sort();
    let want = [
        "customer.created",
        "payment.cancelled",
        "payment.created",
        "payment.created",
        "payment.pending",
        "payment.pending",
    ];
    assert_eq!(lifecycle, want);
    let got = rx.at("lifecycle");
    let by_type = |t: &str| got.iter().map(event).filter(|e| e["type"] == t).collect::<Vec<_>>();
    // The second attempt follows a failed one: pending again.
    let pendings = by_type("payment.pending");
    let previous: Vec<&Value> = pendings.iter().map(|e| &e["previous_attributes"]).collect();
    assert!(previous.contains(&&json!({})) && previous.contains(&&json!({"status": "failed"})), "{previous:?}");
    assert!(pendings.iter().all(|e| e["data"]["object"]["status"] == "pending"));
    let created = by_type("payment.created");
    assert!(
        created.iter().all(|e| e["data"]["object"]["status"] == "pending" && e["previous_attributes"] == json!({}))
    );
    let gone = &by_type("payment.cancelled")[0];
    assert_eq!(gone["data"]["object"], shown(&app, &cancelled).await);
    assert_eq!(gone["previous_attributes"], json!({"status": "pending"}));
    let cus = &by_type("customer.created")[0];
    let id = customer.body["data"]["id"].as_str().unwrap();
    assert_eq!(
        cus["data"]["object"],
        send(&app, "GET", &format!("/customers/{id}"), &app.owner_key, None).await.body["data"]
    );
});

/// Asks for a refund of 50.00 of a paid payment as the owner and has an admin approve it; its
/// `ref_…` id.
async fn approved_refund(app: &TestApp, pay_id: &str, admin: &str) -> String {
    let body = json!({"payment_id": pay_id, "amount": 50.00, "reason": "Customer request"}).to_string();
    let r = send(app, "POST", "/refunds", &app.owner_key, Some(&body)).await;
    assert_eq!((r.status, r.body["data"]["status"].as_str()), (201, Some("pending_approval")), "{}", r.text);
    let id = r.body["data"]["id"].as_str().unwrap().to_owned();
    let r = send(app, "POST", &format!("/refunds/{id}/approve"), admin, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    id
}

both!(refund_events_carry_the_refund_as_it_was_at_each_step, |app: Arc<TestApp>| async move {
    let rx = Receiver::start().await;
    let events = json!(["refund.created", "refund.approved", "refund.completed", "refund.failed"]);
    register(&app, &rx.url("refunds"), events).await;
    let (_, admin) = app.staff(paylink::domain::access::Role::Admin, None).await;
    let (kept, lost) = (payment(&app, json!({})).await, payment(&app, json!({})).await);
    pay_with(&app, &plink(&kept), "card", card(SUCCEEDS)).await.expect("paid");
    pay_with(&app, &plink(&lost), "card", card("4000000000005126")).await.expect("paid; its refunds fail");
    let (done, failed) = (approved_refund(&app, &kept, &admin).await, approved_refund(&app, &lost, &admin).await);
    paylink::worker::run_pending(&app.ctx).await;
    let got: Vec<Value> = rx.at("refunds").iter().map(event).collect();
    let of = |id: &str, t: &str| got.iter().find(|e| e["data"]["object"]["id"] == id && e["type"] == t).cloned();
    let created = of(&done, "refund.created").expect("refund.created");
    let o = &created["data"]["object"];
    assert_eq!((o["status"].as_str(), o["payment_id"].as_str()), (Some("pending_approval"), Some(kept.as_str())));
    assert!(o.get("approved_at").is_none() && o.get("completed_at").is_none(), "as it was then: {o}");
    assert_eq!(created["previous_attributes"], json!({}));
    let approved = of(&done, "refund.approved").expect("refund.approved");
    assert_eq!(approved["data"]["object"]["status"], "approved");
    assert!(approved["data"]["object"].get("completed_at").is_none());
    assert_eq!(approved["previous_attributes"], json!({"status": "pending_approval"}));
    let completed = of(&done, "refund.completed").expect("refund.completed");
    let now = send(&app, "GET", &format!("/refunds/{done}"), &app.owner_key, None).await;
    assert_eq!(completed["data"]["object"], now.body["data"], "as GET /refunds/{{id}} shows it");
    assert_eq!(completed["previous_attributes"], json!({"status": "approved"}));
    let lost = of(&failed, "refund.failed").expect("refund.failed");
    assert_eq!(lost["data"]["object"]["status"], "failed");
    assert!(lost["data"]["object"]["failure_reason"].is_string(), "{lost}");
    assert_eq!(lost["previous_attributes"], json!({"status": "approved"}));
    assert_eq!(got.len(), 6, "each refund: created, approved, then completed or failed");
});
