//! Payments recorded at the branch, on both databases: they pay the link exactly once, also
//! against online payers at the same moment; the staff member, branch, terminal and receipt are
//! kept; refunds of them go back in cash without a connector call.

use crate::both;
use crate::helpers::TestApp;
use crate::sandbox::card;
use paylink::domain::access::Role;
use paylink::service::pay::{self, InstrumentForm, PayRequest, PayerForm};
use serde_json::json;
use std::sync::Arc;

fn cash(amount: &str) -> serde_json::Value {
    json!({"method": "cash", "amount": amount, "receipt_number": "R-1001", "note": "paid at the till"})
}

both!(a_cashier_records_a_cash_payment_that_pays_the_link_with_a_receipt, |app: Arc<TestApp>| async move {
    let (cashier_user, cashier) = app.staff(Role::Cashier, Some(&app.branch_id)).await;
    let link = app.create_link(&cashier, json!({"amount": "45.50", "title": "Counter sale"})).await;
    let path = format!("/v1/payment_links/{}/record_payment", link["id"].as_str().unwrap());
    let r = app.post(&cashier, &path, cash("45.50")).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!((r.body["status"].as_str(), r.body["method"].as_str()), (Some("succeeded"), Some("cash")));
    assert_eq!(r.body["offline"]["recorded_by"], cashier_user.as_str());
    assert_eq!(r.body["offline"]["recorded_branch_id"], app.branch_id.as_str());
    assert_eq!(r.body["offline"]["receipt_number"], "R-1001");
    let paid = app.get(&cashier, &format!("/v1/payment_links/{}", link["id"].as_str().unwrap())).await;
    assert_eq!((paid.body["status"].as_str(), paid.body["payments_count"].as_i64()), (Some("paid"), Some(1)));
    let receipt = app.client.get(r.body["receipt_url"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(receipt.status(), 200);
    let terminal = app.create_link(&cashier, json!({"amount": "10.00", "title": "Terminal"})).await;
    let path = format!("/v1/payment_links/{}/record_payment", terminal["id"].as_str().unwrap());
    let body = json!({"method": "card_terminal", "amount": 10, "terminal_id": "T-7"});
    let r = app.post(&cashier, &path, body).await;
    assert_eq!(
        (r.status, r.body["method"].as_str(), r.body["offline"]["method"].as_str()),
        (201, Some("card"), Some("card_terminal"))
    );
    let events = app.get(&app.owner_key, &format!("/v1/events?object_id={}", r.body["id"].as_str().unwrap())).await;
    let mut kinds: Vec<&str> =
        events.body["data"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
    kinds.sort_unstable(); // one transaction, one timestamp: the list order between them is not defined
    assert_eq!(kinds, ["payment.created", "payment.succeeded"]);
});

both!(offline_and_online_payers_racing_for_a_single_use_link_pay_it_once, |app: Arc<TestApp>| async move {
    let (_, cashier) = app.staff(Role::Cashier, Some(&app.branch_id)).await;
    let link = app.create_link(&cashier, json!({"amount": "20.00", "title": "Race"})).await;
    let id = link["id"].as_str().unwrap().to_owned();
    let method = crate::sandbox::method_id(&app, "card").await;
    let mut calls = Vec::new();
    for i in 0..60 {
        let (app, cashier, id) = (app.clone(), cashier.clone(), id.clone());
        calls.push(tokio::spawn(async move {
            if i % 2 == 0 {
                let r = app.post(&cashier, &format!("/v1/payment_links/{id}/record_payment"), cash("20.00")).await;
                (r.status == 201, r.status)
            } else {
                let req = PayRequest {
                    method_id: method,
                    instrument: InstrumentForm::Card {
                        number: "4242424242424242".into(),
                        expiry: "12/34".into(),
                        cvv: "123".into(),
                    },
                    payer: PayerForm::default(),
                    client: None,
                };
                let p = pay::pay(&app.ctx, &id, req).await;
                (p.as_ref().is_ok_and(|p| p.status.as_str() == "succeeded"), if p.is_ok() { 200 } else { 409 })
            }
        }));
    }
    let mut successes = 0;
    for c in calls {
        let (won, status) = c.await.unwrap();
        assert!(won || status == 409, "a loser gets 409, got {status}");
        successes += usize::from(won);
    }
    assert_eq!(successes, 1, "exactly one payment of a single-use link");
    let l = app.get(&app.owner_key, &format!("/v1/payment_links/{id}")).await;
    assert_eq!((l.body["status"].as_str(), l.body["payments_count"].as_i64()), (Some("paid"), Some(1)));
});

both!(recording_needs_the_right_role_scope_amount_and_an_open_link, |app: Arc<TestApp>| async move {
    let (_, cashier) = app.staff(Role::Cashier, Some(&app.branch_id)).await;
    let (_, other_cashier) = app.staff(Role::Cashier, Some(&app.branch_id)).await;
    let (_, accounting) = app.staff(Role::Accounting, None).await;
    let link = app.create_link(&cashier, json!({"amount": "8.00", "title": "Mine"})).await;
    let path = format!("/v1/payment_links/{}/record_payment", link["id"].as_str().unwrap());
    assert_eq!(app.post(&other_cashier, &path, cash("8.00")).await.status, 404, "another cashier's link");
    assert_eq!(app.post(&accounting, &path, cash("8.00")).await.status, 403, "accounting does not take payments");
    for (body, field) in [
        (json!({"method": "cheque", "amount": "8.00"}), "method"),
        (json!({"method": "cash", "amount": "8.01"}), "amount"),
        (json!({"method": "cash"}), "amount"),
        (json!({"method": "card_terminal", "amount": "8.00"}), "terminal_id"),
        (json!({"method": "cash", "amount": "8.00", "note": "n".repeat(501)}), "note"),
        (json!({"method": "cash", "amount": "8.00", "tip": "1"}), "tip"),
    ] {
        let r = app.post(&cashier, &path, body.clone()).await;
        assert_eq!(r.status, 400, "{body}: {}", r.text);
        assert!(r.text.contains(field), "{body}: {}", r.text);
    }
    assert_eq!(app.post(&cashier, &path, cash("8.00")).await.status, 201);
    let again = app.post(&cashier, &path, cash("8.00")).await;
    assert_eq!(again.status, 409, "{}", again.text);
});

both!(an_offline_payment_is_refunded_in_cash_without_a_connector_call, |app: Arc<TestApp>| async move {
    let link = app.create_link(&app.owner_key, json!({"amount": "30.00", "title": "Cash back"})).await;
    let path = format!("/v1/payment_links/{}/record_payment", link["id"].as_str().unwrap());
    let p = app.post(&app.owner_key, &path, cash("30.00")).await;
    let r = app.post(&app.owner_key, "/v1/refunds", json!({"payment_id": p.body["id"], "amount": "30.00"})).await;
    assert_eq!((r.status, r.body["kind"].as_str()), (201, Some("cash")), "{}", r.text);
    let (_, accounting) = app.staff(Role::Accounting, None).await;
    let approved =
        app.post(&accounting, &format!("/v1/refunds/{}/approve", r.body["id"].as_str().unwrap()), json!({})).await;
    assert_eq!(approved.body["status"], "succeeded");
    let calls = app
        .ctx
        .db
        .read(|c| c.query_opt("SELECT count(*) FROM sandbox_refunds", &[]))
        .await
        .unwrap()
        .unwrap()
        .i64(0)
        .unwrap();
    assert_eq!(calls, 0);
    let offline_method = p.body["payment_method_id"].as_i64().unwrap();
    let enable = app
        .call(
            "PATCH",
            &format!("/v1/payment_methods/{offline_method}"),
            Some(&app.owner_key),
            Some(json!({"enabled": true})),
        )
        .await;
    assert_eq!(enable.status, 400, "the offline method never goes online: {}", enable.text);
    let online = app.create_link(&app.owner_key, json!({"amount": "5.00", "title": "Online"})).await;
    let req = PayRequest {
        method_id: offline_method,
        instrument: card("4242424242424242"),
        payer: PayerForm::default(),
        client: None,
    };
    let refused = pay::pay(&app.ctx, online["id"].as_str().unwrap(), req).await;
    assert!(matches!(refused, Err(paylink::service::ServiceError::Invalid(_))), "{refused:?}");
});
