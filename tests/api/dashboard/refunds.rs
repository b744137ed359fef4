//! Refund pages: a request through the form waits for someone else; the requester cannot decide
//! it (no buttons, a forged decision refused); an approver finds it in their queue and decides;
//! a decision without the session's token changes nothing; another store's refund is 404.

use super::client::Staff;
use crate::both;
use crate::helpers::TestApp;
use crate::refunds::paid;
use crate::sandbox::card;
use paylink::domain::access::Role;
use paylink::service::pay::{self, PayRequest, PayerForm};
use std::sync::Arc;

const CARD: &str = "4242424242424242";

/// A succeeded card payment on a new link of the store `key` belongs to (its own card method).
async fn paid_in(app: &TestApp, key: &str, amount: &str) -> String {
    let link = app.create_link(key, serde_json::json!({"amount": amount, "currency": "SAR", "title": "Theirs"})).await;
    let methods = app.get(key, "/v1/payment_methods").await.body["data"].clone();
    let card_method = methods.as_array().unwrap().iter().find(|m| m["kind"] == "card").unwrap()["id"].as_i64();
    let req = PayRequest {
        method_id: card_method.unwrap(),
        instrument: card(CARD),
        payer: PayerForm::default(),
        client: None,
    };
    pay::pay(&app.ctx, link["id"].as_str().unwrap(), req).await.unwrap().id.to_string()
}

/// The refund's status as the API reports it.
async fn api_status(app: &TestApp, id: &str) -> String {
    let r = app.get(&app.owner_key, &format!("/v1/refunds/{id}")).await;
    r.body["status"].as_str().unwrap_or_default().to_owned()
}

/// Requests a refund of `amount` through the form as `s`; the refund's page (its `Location`).
async fn request(s: &mut Staff<'_>, payment: &str, amount: &str) -> String {
    let form = format!("/dashboard/refunds/new?payment={payment}");
    let fields = [("payment", payment), ("amount", amount), ("reason", "The customer returned the order")];
    let r = s.post(&form, "/dashboard/refunds/new", &fields).await;
    assert_eq!(r.status, 303, "{}", r.text);
    r.headers["location"].to_str().unwrap().to_owned()
}

/// The refund id in a refund page's address.
fn id_in(location: &str) -> String {
    location.trim_start_matches("/dashboard/refunds/").split('?').next().unwrap().to_owned()
}

both!(an_operations_request_waits_and_only_someone_else_can_approve_it, |app: Arc<TestApp>| async move {
    let payment = paid(&app, &app.owner_key, "100.00", CARD).await;
    let mut op = Staff::signed_in(&app, Role::Operation, None).await;
    let form = op.get(&format!("/dashboard/refunds/new?payment={payment}")).await;
    assert_eq!(form.status, 200, "{}", form.text);
    assert!(form.text.contains("value=\"100.00\""), "the remainder is prefilled: {}", form.text);
    let page = request(&mut op, &payment, "40.00").await;
    assert!(page.ends_with("?done=requested"), "{page}");
    let id = id_in(&page);
    let mine = op.get(&page).await;
    assert_eq!(mine.status, 200, "{}", mine.text);
    assert!(mine.text.contains("بانتظار الموافقة") && mine.text.contains("بانتظار موافقة شخص آخر"));
    assert!(!mine.text.contains("name=\"decision\""), "no buttons for the requester");
    let decide = format!("/dashboard/refunds/{id}/decide");
    let forged = op.post(&page, &decide, &[("decision", "approve")]).await;
    assert_eq!(forged.status, 403, "{}", forged.text);
    assert_eq!(api_status(&app, &id).await, "pending_approval");

    let mut accounting = Staff::signed_in(&app, Role::Accounting, None).await;
    let list = accounting.get("/dashboard/refunds").await;
    let queue = &list.text[list.text.find("id=\"approvals\"").unwrap()..list.text.find("id=\"all\"").unwrap()];
    assert!(queue.contains(&id), "in the approver's queue: {queue}");
    assert!(accounting.get(&page).await.text.contains("name=\"decision\""));
    let approved = accounting.post(&page, &decide, &[("decision", "approve"), ("note", "Receipt checked")]).await;
    assert_eq!(approved.status, 303, "{}", approved.text);
    assert!(["approved", "succeeded"].contains(&api_status(&app, &id).await.as_str()));
    let after = accounting.get(&page).await;
    assert!(after.text.contains("Receipt checked") && !after.text.contains("name=\"decision\""));
});

both!(a_decision_without_the_sessions_form_token_is_refused_and_changes_nothing, |app: Arc<TestApp>| async move {
    let payment = paid(&app, &app.owner_key, "80.00", CARD).await;
    let mut op = Staff::signed_in(&app, Role::Operation, None).await;
    let id = id_in(&request(&mut op, &payment, "80.00").await);
    let mut accounting = Staff::signed_in(&app, Role::Accounting, None).await;
    let decide = format!("/dashboard/refunds/{id}/decide");
    let missing = accounting.post_raw(&decide, &[("decision", "approve")]).await;
    assert_eq!(missing.status, 403, "{}", missing.text);
    let wrong = accounting.post_raw(&decide, &[("csrf", "not-the-token"), ("decision", "reject")]).await;
    assert_eq!(wrong.status, 403, "{}", wrong.text);
    assert_eq!(api_status(&app, &id).await, "pending_approval");
});

both!(an_over_refund_a_bad_amount_or_no_reason_comes_back_with_the_field_named, |app: Arc<TestApp>| async move {
    let payment = paid(&app, &app.owner_key, "50.00", CARD).await;
    let mut op = Staff::signed_in(&app, Role::Operation, None).await;
    let form = format!("/dashboard/refunds/new?payment={payment}");
    let cases: [(&str, &str, u16, &str); 4] = [
        ("50.01", "Damaged", 409, "amount-error"),
        ("ten", "Damaged", 400, "amount-error"),
        ("1.005", "Damaged", 400, "amount-error"),
        ("10.00", "  ", 400, "reason-error"),
    ];
    for (amount, reason, status, field) in cases {
        let fields = [("payment", payment.as_str()), ("amount", amount), ("reason", reason)];
        let r = op.post(&form, "/dashboard/refunds/new", &fields).await;
        assert_eq!(r.status, status, "{amount} {reason:?}: {}", r.text);
        assert!(r.text.contains(field) && r.text.contains(&format!("value=\"{amount}\"")), "{}", r.text);
    }
    let listed = app.get(&app.owner_key, &format!("/v1/refunds?payment_id={payment}")).await;
    assert_eq!(listed.body["data"].as_array().map(Vec::len), Some(0), "{}", listed.text);
    request(&mut op, &payment, "50.00").await;
    let nothing_left = op.get(&form).await;
    assert_eq!(nothing_left.status, 409, "refunded in full: {}", nothing_left.text);
    assert!(!nothing_left.text.contains("name=\"amount\""));
});

both!(refunds_come_in_pages_of_twenty_with_a_link_to_the_next, |app: Arc<TestApp>| async move {
    let payment = paid(&app, &app.owner_key, "100.00", CARD).await;
    let mut ids = Vec::new();
    for _ in 0..21 {
        ids.push(api_request(&app, &app.owner_key, &payment, "1.00", "paged").await);
    }
    let mut op = Staff::signed_in(&app, Role::Operation, None).await;
    let first = op.get("/dashboard/refunds?status=pending_approval").await;
    assert!(ids[1..].iter().all(|id| first.text.contains(id.as_str())) && !first.text.contains(&ids[0]));
    let at = first.text.find("/dashboard/refunds?status=pending_approval&amp;after=").expect("a next-page link");
    let href = first.text[at..].split('"').next().unwrap().replace("&amp;", "&");
    let second = op.get(&href).await;
    assert!(second.status == 200 && second.text.contains(&ids[0]) && !second.text.contains(&ids[1]), "{}", second.text);
});

// The harness's foreign merchant has no payment methods to pay with; another store's payment
// and refund stand in (scope is by store, so another merchant's are out of it the same way).
both!(another_stores_refund_and_payment_are_not_found, |app: Arc<TestApp>| async move {
    let (_, foreign) = app.second_store_key().await;
    let payment = paid_in(&app, &foreign, "30.00").await;
    let body = serde_json::json!({"payment_id": payment, "amount": "5.00", "reason": "theirs"});
    let r = app.post(&foreign, "/v1/refunds", body).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.body["id"].as_str().unwrap().to_owned();
    let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
    assert_eq!(owner.get(&format!("/dashboard/refunds/{id}")).await.status, 404);
    let decide =
        owner.post("/dashboard/refunds", &format!("/dashboard/refunds/{id}/decide"), &[("decision", "approve")]).await;
    assert_eq!(decide.status, 404, "{}", decide.text);
    assert_eq!(owner.get(&format!("/dashboard/refunds/new?payment={payment}")).await.status, 404);
    assert!(!owner.get("/dashboard/refunds").await.text.contains(&id));
});

/// Requests a refund through the API as `key`; its id.
async fn api_request(app: &TestApp, key: &str, payment: &str, amount: &str, reason: &str) -> String {
    let body = serde_json::json!({"payment_id": payment, "amount": amount, "reason": reason});
    let r = app.post(key, "/v1/refunds", body).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body["id"].as_str().unwrap().to_owned()
}

both!(
    a_supervisors_queue_holds_only_their_branchs_refunds_within_the_limit_and_not_their_own,
    |app: Arc<TestApp>| async move {
        let policy = serde_json::json!({"supervisor_limit": "50.00"});
        assert_eq!(app.call("PATCH", "/v1/store/refund_policy", Some(&app.owner_key), Some(policy)).await.status, 200);
        let east = app.branch("EAST").await;
        let (_, main_key) = app.staff(Role::Supervisor, Some(&app.branch_id)).await;
        let (_, east_key) = app.staff(Role::Supervisor, Some(&east)).await;
        let main_payment = paid(&app, &main_key, "200.00", CARD).await;
        let east_payment = paid(&app, &east_key, "200.00", CARD).await;
        let small = api_request(&app, &app.owner_key, &main_payment, "20.00", "small").await;
        let big = api_request(&app, &app.owner_key, &main_payment, "60.00", "big").await;
        let elsewhere = api_request(&app, &app.owner_key, &east_payment, "20.00", "east").await;
        let mut supervisor = Staff::signed_in(&app, Role::Supervisor, Some(&app.branch_id)).await;
        let own = id_in(&request(&mut supervisor, &main_payment, "10.00").await);
        let list = supervisor.get("/dashboard/refunds").await;
        let queue = &list.text[list.text.find("id=\"approvals\"").unwrap()..list.text.find("id=\"all\"").unwrap()];
        assert!(queue.contains(&small), "within the limit: {queue}");
        for other in [&big, &elsewhere, &own] {
            assert!(!queue.contains(other.as_str()), "{other} is not theirs to decide: {queue}");
        }
        assert!(!list.text.contains(&elsewhere), "another branch's refund is not listed");
        assert!(!supervisor.get(&format!("/dashboard/refunds/{big}")).await.text.contains("name=\"decision\""));
        assert_eq!(supervisor.get(&format!("/dashboard/refunds/{elsewhere}")).await.status, 404);
    }
);

both!(a_reason_that_looks_like_markup_renders_as_text, |app: Arc<TestApp>| async move {
    let payment = paid(&app, &app.owner_key, "20.00", CARD).await;
    let id = api_request(&app, &app.owner_key, &payment, "5.00", "<script>x</script>").await;
    let mut accounting = Staff::signed_in(&app, Role::Accounting, None).await;
    let page = accounting.get(&format!("/dashboard/refunds/{id}")).await;
    assert!(
        page.status == 200 && !page.text.contains("<script>x") && page.text.contains("script&#62;x"),
        "{}",
        page.text
    );
});
