//! Refunds on both databases: never more than captured under any concurrency, exactly one
//! decision in a race, maker–checker, the store's policy, failed refunds giving their
//! reservation back, and the events.

use crate::both;
use crate::helpers::TestApp;
use crate::sandbox::{card, pay_with};
use paylink::domain::access::Role;
use serde_json::{Value, json};
use std::sync::Arc;

/// A succeeded card payment of `amount` (SAR) on a new link created with `key`; its id.
pub async fn paid(app: &TestApp, key: &str, amount: &str, number: &str) -> String {
    let link = app.create_link(key, json!({"amount": amount, "currency": "SAR", "title": "Refundable"})).await;
    let p = pay_with(app, link["id"].as_str().unwrap(), "card", card(number)).await.unwrap();
    assert_eq!(p.status.as_str(), "succeeded");
    p.id.to_string()
}

async fn payment(app: &TestApp, id: &str) -> Value {
    app.get(&app.owner_key, &format!("/v1/payments/{id}")).await.body
}

async fn request(app: &TestApp, key: &str, payment_id: &str, amount: &str) -> crate::helpers::Resp {
    app.post(key, "/v1/refunds", json!({"payment_id": payment_id, "amount": amount, "reason": "returned"})).await
}

both!(two_hundred_concurrent_refunds_never_reserve_more_than_was_captured, |app: Arc<TestApp>| async move {
    let id = paid(&app, &app.owner_key, "10000.00", "4242424242424242").await;
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watcher = {
        let (app, id, done) = (app.clone(), id.clone(), done.clone());
        tokio::spawn(async move {
            let (mut reads, mut most) = (0, 0);
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                most = most.max(payment(&app, &id).await["refund_reserved_minor"].as_i64().unwrap());
                reads += 1;
            }
            (reads, most)
        })
    };
    let calls: Vec<_> = (0..200)
        .map(|_| {
            let (app, id) = (app.clone(), id.clone());
            tokio::spawn(async move { request(&app, &app.owner_key, &id, "600.00").await })
        })
        .collect();
    let (mut accepted, mut refused) = (0, 0);
    for call in calls {
        let r = call.await.unwrap();
        match r.status {
            201 => accepted += 1,
            409 if r.body["error_code"] == "REFUND_EXCEEDS_CAPTURED" => refused += 1,
            other => panic!("unexpected {other}: {}", r.text),
        }
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let (reads, most) = watcher.await.unwrap();
    println!("refund race: {accepted} accepted, {refused} refused; {reads} reads, at most {most} reserved");
    assert_eq!((accepted, refused), (16, 184));
    assert!(most <= 1_000_000, "a read showed {most} reserved of 1,000,000");
    assert_eq!(payment(&app, &id).await["refund_reserved_minor"], 960_000);
});

both!(random_concurrent_refund_amounts_keep_the_sum_within_the_capture, |app: Arc<TestApp>| async move {
    let id = paid(&app, &app.owner_key, "5000.00", "4242424242424242").await;
    let amounts: Vec<i64> = (0..100i64).map(|i| 1 + (i * 7919 + 104_729) % 200_000).collect();
    let calls: Vec<_> = amounts
        .iter()
        .map(|&minor| {
            let (app, id) = (app.clone(), id.clone());
            let text = format!("{}.{:02}", minor / 100, minor % 100);
            tokio::spawn(async move { (minor, request(&app, &app.owner_key, &id, &text).await.status) })
        })
        .collect();
    let (mut sum, mut rejected) = (0, Vec::new());
    for call in calls {
        match call.await.unwrap() {
            (minor, 201) => sum += minor,
            (minor, 409) => rejected.push(minor),
            (_, other) => panic!("unexpected {other}"),
        }
    }
    let reserved = payment(&app, &id).await["refund_reserved_minor"].as_i64().unwrap();
    assert_eq!(reserved, sum);
    assert!(sum <= 500_000, "{sum} reserved of 500,000");
    // Nothing was released during the run, so room only shrank: every refused amount was (and
    // still is) larger than what is left.
    assert!(rejected.iter().all(|&m| m > 500_000 - sum), "a refusal that would have fitted");
});

both!(fifty_approvals_and_fifty_rejections_make_exactly_one_decision, |app: Arc<TestApp>| async move {
    let id = paid(&app, &app.owner_key, "300.00", "4242424242424242").await;
    let refund = request(&app, &app.owner_key, &id, "120.00").await;
    assert_eq!((refund.status, refund.body["status"].as_str()), (201, Some("pending_approval")), "{}", refund.text);
    let refund_id = refund.body["id"].as_str().unwrap().to_owned();
    let (_, accounting) = app.staff(Role::Accounting, None).await;
    let calls: Vec<_> = (0..100)
        .map(|i| {
            let (app, key, rid) = (app.clone(), accounting.clone(), refund_id.clone());
            let verb = if i % 2 == 0 { "approve" } else { "reject" };
            tokio::spawn(async move { app.post(&key, &format!("/v1/refunds/{rid}/{verb}"), json!({})).await })
        })
        .collect();
    let mut wins = Vec::new();
    for call in calls {
        let r = call.await.unwrap();
        match r.status {
            200 => wins.push(r.body["status"].as_str().unwrap().to_owned()),
            409 => assert_eq!(r.body["error_code"], "REFUND_NOT_PENDING"),
            other => panic!("unexpected {other}: {}", r.text),
        }
    }
    assert_eq!(wins.len(), 1, "exactly one decision: {wins:?}");
    let events = app.get(&app.owner_key, &format!("/v1/events?object_id={refund_id}&limit=100")).await;
    let kinds: Vec<&str> =
        events.body["data"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
    let decisions = kinds.iter().filter(|k| **k == "refund.approved" || **k == "refund.rejected").count();
    assert_eq!(decisions, 1, "{kinds:?}");
    let rid = refund_id.clone();
    let connector_calls = app
        .ctx
        .db
        .read(move |c| c.query_opt("SELECT count(*) FROM sandbox_refunds WHERE refund_id = ?1", &[rid.as_str().into()]))
        .await
        .unwrap()
        .unwrap()
        .i64(0)
        .unwrap();
    let p = payment(&app, &id).await;
    if wins[0] == "succeeded" {
        assert_eq!(connector_calls, 1);
        assert_eq!((p["refunded_minor"].as_i64(), p["refund_reserved_minor"].as_i64()), (Some(12_000), Some(12_000)));
    } else {
        assert_eq!(wins[0], "rejected");
        assert_eq!(connector_calls, 0);
        assert_eq!(p["refund_reserved_minor"], 0, "a rejection gives the reservation back");
    }
});

both!(the_requester_never_approves_and_supervisors_stay_within_branch_and_limit, |app: Arc<TestApp>| async move {
    let policy = json!({"supervisor_limit": "50.00"});
    assert_eq!(app.call("PATCH", "/v1/store/refund_policy", Some(&app.owner_key), Some(policy)).await.status, 200);
    let (_, supervisor) = app.staff(Role::Supervisor, Some(&app.branch_id)).await;
    let (_, cashier) = app.staff(Role::Cashier, Some(&app.branch_id)).await;
    let id = paid(&app, &supervisor, "200.00", "4242424242424242").await;
    let own = request(&app, &app.owner_key, &id, "10.00").await.body["id"].as_str().unwrap().to_owned();
    let r = app.post(&app.owner_key, &format!("/v1/refunds/{own}/approve"), json!({})).await;
    assert_eq!((r.status, r.body["error_code"].as_str()), (403, Some("SELF_APPROVAL")), "{}", r.text);
    let big = request(&app, &app.owner_key, &id, "60.00").await.body["id"].as_str().unwrap().to_owned();
    let r = app.post(&supervisor, &format!("/v1/refunds/{big}/approve"), json!({})).await;
    assert_eq!((r.status, r.body["error_code"].as_str()), (403, Some("APPROVAL_LIMIT_EXCEEDED")), "{}", r.text);
    let cashiers = paid(&app, &cashier, "20.00", "4242424242424242").await;
    let theirs = request(&app, &app.owner_key, &cashiers, "5.00").await.body["id"].as_str().unwrap().to_owned();
    let r = app.post(&cashier, &format!("/v1/refunds/{theirs}/approve"), json!({})).await;
    assert_eq!(r.status, 403, "a cashier never decides refunds, even on their own link: {}", r.text);
    assert_eq!(request(&app, &cashier, &cashiers, "1.00").await.status, 403, "nor requests them");
    let r = app.post(&cashier, &format!("/v1/refunds/{own}/approve"), json!({})).await;
    assert_eq!(r.status, 404, "another's link is outside a cashier's scope: {}", r.text);
    let r = app.post(&supervisor, &format!("/v1/refunds/{own}/approve"), json!({"note": "ok"})).await;
    assert_eq!((r.status, r.body["status"].as_str()), (200, Some("succeeded")), "{}", r.text);
    let seen = app.get(&supervisor, &format!("/v1/events?object_id={own}")).await;
    assert_eq!(seen.body["data"].as_array().unwrap().len(), 3, "a branch role sees its refunds' events: {}", seen.text);
    let other = app.create_link(&app.owner_key, json!({"amount": "30.00", "title": "HQ"})).await;
    let p = pay_with(&app, other["id"].as_str().unwrap(), "card", card("4242424242424242")).await.unwrap();
    let elsewhere = request(&app, &app.owner_key, p.id.as_str(), "5.00").await.body["id"].as_str().unwrap().to_owned();
    let r = app.post(&supervisor, &format!("/v1/refunds/{elsewhere}/approve"), json!({})).await;
    assert_eq!(r.status, 404, "outside the supervisor's branch: {}", r.text);
});

both!(the_store_policy_approves_small_refunds_at_once_for_roles_that_may_approve, |app: Arc<TestApp>| async move {
    let policy = json!({"auto_approve_below": "50.00", "supervisor_limit": "30.00"});
    let set = app.call("PATCH", "/v1/store/refund_policy", Some(&app.owner_key), Some(policy)).await;
    assert_eq!(set.body, json!({"auto_approve_below": "50.00", "supervisor_limit": "30.00"}));
    let audit = app.get(&app.owner_key, "/v1/audit_log?action=store.refund_policy.update").await;
    let entry = &audit.body["data"][0];
    assert_eq!(entry["after"]["auto_approve_below_minor"], 5_000, "policy changes are audited: {}", audit.text);
    let id = paid(&app, &app.owner_key, "500.00", "4242424242424242").await;
    let small = request(&app, &app.owner_key, &id, "20.00").await;
    assert_eq!((small.body["status"].as_str(), small.body["decided_by"].as_str()), (Some("succeeded"), Some("policy")));
    assert_eq!(small.body["auto_approved"], true);
    let large = request(&app, &app.owner_key, &id, "80.00").await;
    assert_eq!(large.body["status"], "pending_approval");
    let (_, supervisor) = app.staff(Role::Supervisor, Some(&app.branch_id)).await;
    let mine = paid(&app, &supervisor, "100.00", "4242424242424242").await;
    let over_limit = request(&app, &supervisor, &mine, "40.00").await;
    assert_eq!(over_limit.body["status"], "pending_approval", "below the threshold but above the supervisor's limit");
    let (_, clerk) = app.staff(Role::Operation, None).await;
    let r = request(&app, &clerk, &id, "10.00").await;
    assert_eq!(r.body["status"], "pending_approval", "OPERATION requests but never approves");
});

both!(a_failed_refund_gives_its_reservation_back, |app: Arc<TestApp>| async move {
    let id = paid(&app, &app.owner_key, "70.00", "4000000000005126").await;
    let (_, accounting) = app.staff(Role::Accounting, None).await;
    let r = request(&app, &app.owner_key, &id, "70.00").await;
    let rid = r.body["id"].as_str().unwrap().to_owned();
    assert_eq!(payment(&app, &id).await["refund_reserved_minor"], 7_000);
    let decided = app.post(&accounting, &format!("/v1/refunds/{rid}/approve"), json!({})).await;
    assert_eq!(
        (decided.body["status"].as_str(), decided.body["failure_code"].as_str()),
        (Some("failed"), Some("refund_refused"))
    );
    let p = payment(&app, &id).await;
    assert_eq!((p["refund_reserved_minor"].as_i64(), p["refunded_minor"].as_i64()), (Some(0), Some(0)));
    assert_eq!(request(&app, &app.owner_key, &id, "70.00").await.status, 201, "the amount can be asked for again");
    let events = app.get(&app.owner_key, &format!("/v1/events?object_id={rid}")).await;
    let mut kinds: Vec<&str> =
        events.body["data"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
    kinds.reverse();
    assert_eq!(kinds, ["refund.created", "refund.approved", "refund.failed"]);
    let audit = app.get(&app.owner_key, &format!("/v1/audit_log?object_id={rid}")).await;
    let mut actions: Vec<&str> =
        audit.body["data"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    actions.sort_unstable();
    assert_eq!(actions, ["refund.approve", "refund.request"], "{}", audit.text);
});

both!(only_succeeded_payments_are_refundable_and_bad_requests_name_the_field, |app: Arc<TestApp>| async move {
    let link = app.create_link(&app.owner_key, json!({"amount": "10.00", "title": "Declined"})).await;
    let declined = pay_with(&app, link["id"].as_str().unwrap(), "card", card("4000000000000002")).await.unwrap();
    let r = request(&app, &app.owner_key, declined.id.as_str(), "1.00").await;
    assert_eq!((r.status, r.body["error_code"].as_str()), (409, Some("PAYMENT_NOT_REFUNDABLE")));
    let id = paid(&app, &app.owner_key, "10.00", "4242424242424242").await;
    for (body, field) in [
        (json!({"payment_id": id, "amount": "0"}), "amount"),
        (json!({"payment_id": id, "amount": "1.001"}), "amount"),
        (json!({"payment_id": id, "amount": "ten"}), "amount"),
        (json!({"payment_id": id, "reason": "x".repeat(501)}), "reason"),
        (json!({"payment_id": id, "metadata": [1]}), "metadata"),
        (json!({"payment_id": "pay_nope"}), "payment_id"),
        (json!({"payment_id": id, "colour": "red"}), "colour"),
    ] {
        let r = app.post(&app.owner_key, "/v1/refunds", body.clone()).await;
        assert_eq!(r.status, 400, "{body}: {}", r.text);
        assert!(r.text.contains(field), "{body}: {}", r.text);
    }
    let r = request(&app, &app.owner_key, &id, "10.01").await;
    assert_eq!((r.status, r.body["error_code"].as_str()), (409, Some("REFUND_EXCEEDS_CAPTURED")));
    let full = app.post(&app.owner_key, "/v1/refunds", json!({"payment_id": id})).await;
    assert_eq!((full.status, full.body["amount"].as_str()), (201, Some("10.00")), "no amount: what is left");
    let list = app.get(&app.owner_key, &format!("/v1/refunds?payment_id={id}&status=pending_approval")).await;
    assert_eq!(list.body["data"].as_array().unwrap().len(), 1);
});
