//! Every sandbox instrument's outcome, the OTP flow, the mobile-money wait and timeout,
//! installments, the card-testing guard and the expiry boundary, driven through the payer's
//! service functions (the same ones the hosted page calls) on both databases.

use crate::both;
use crate::helpers::TestApp;
use paylink::domain::payment::{NextAction, Payment, PaymentStatus};
use paylink::service::pay::{self, InstrumentForm, PayRequest, PayerForm};
use paylink::service::{Conflict, ServiceError};
use serde_json::{Value, json};
use std::sync::Arc;

/// The demo store's sandbox method id of `kind`.
pub async fn method_id(app: &TestApp, kind: &str) -> i64 {
    let r = app.get(&app.owner_key, "/v1/payment_methods").await;
    let found = r.body["data"].as_array().unwrap().iter().find(|m| m["kind"] == kind).cloned();
    found.expect("a sandbox method of this kind")["id"].as_i64().unwrap()
}

pub fn card(number: &str) -> InstrumentForm {
    InstrumentForm::Card { number: number.into(), expiry: "12/34".into(), cvv: "123".into() }
}

pub fn mobile(phone: &str) -> InstrumentForm {
    InstrumentForm::MobileMoney { phone: phone.into() }
}

/// Pays `link` with `instrument` through the service, as the page does.
pub async fn pay_with(
    app: &TestApp,
    link: &str,
    kind: &str,
    instrument: InstrumentForm,
) -> Result<Payment, ServiceError> {
    let req = PayRequest {
        method_id: method_id(app, kind).await,
        instrument,
        payer: PayerForm::default(),
        client: Some("198.51.100.7".parse().unwrap()),
    };
    pay::pay(&app.ctx, link, req).await
}

async fn link(app: &TestApp, amount: &str) -> String {
    let l = app.create_link(&app.owner_key, json!({"amount": amount, "currency": "SAR", "title": "Order"})).await;
    l["id"].as_str().unwrap().to_owned()
}

async fn link_json(app: &TestApp, id: &str) -> Value {
    app.get(&app.owner_key, &format!("/v1/payment_links/{id}")).await.body
}

fn failure_code(p: &Payment) -> &str {
    p.failure.as_ref().map_or("", |f| f.code.as_str())
}

both!(the_success_cards_pay_the_link_and_keep_only_brand_and_last_four, |app: Arc<TestApp>| async move {
    for (number, brand) in [("4242 4242 4242 4242", "visa"), ("5555555555554444", "mastercard")] {
        let id = link(&app, "25.00").await;
        let p = pay_with(&app, &id, "card", card(number)).await.unwrap();
        assert_eq!(p.status, PaymentStatus::Succeeded);
        let c = p.card.clone().unwrap();
        assert_eq!((c.brand.as_str(), c.last4.as_str()), (brand, &number[number.len() - 4..]));
        let l = link_json(&app, &id).await;
        assert_eq!(
            (l["status"].as_str(), l["payments_count"].as_i64(), l["amount_paid"].as_str()),
            (Some("paid"), Some(1), Some("25.00"))
        );
        assert_eq!(l["payments"][0]["status"], "succeeded");
        assert_eq!(l["payments"][0]["card"]["last4"], c.last4);
        let again = pay_with(&app, &id, "card", card(number)).await.unwrap_err();
        assert!(matches!(again, ServiceError::Conflict(Conflict::LinkAlreadyPaid, _)), "{again:?}");
    }
});

both!(each_declining_card_fails_with_its_code_and_frees_the_link, |app: Arc<TestApp>| async move {
    let id = link(&app, "25.00").await;
    for (number, code) in [
        ("4000000000000002", "card_declined"),
        ("4000000000009995", "insufficient_funds"),
        ("4000000000000069", "expired_card"),
    ] {
        let p = pay_with(&app, &id, "card", card(number)).await.unwrap();
        assert_eq!((p.status, failure_code(&p)), (PaymentStatus::Failed, code));
    }
    let unknown = pay_with(&app, &id, "card", card("4000000000000119")).await.unwrap();
    assert_eq!(failure_code(&unknown), "test_card_required");
    let paid = pay_with(&app, &id, "card", card("4242424242424242")).await.unwrap();
    assert_eq!(paid.status, PaymentStatus::Succeeded);
    assert_eq!(link_json(&app, &id).await["payments"].as_array().unwrap().len(), 5);
});

both!(a_malformed_card_is_refused_with_its_fields_named_before_any_charge, |app: Arc<TestApp>| async move {
    let id = link(&app, "25.00").await;
    let bad = InstrumentForm::Card { number: "4242 4242 4242 4241".into(), expiry: "01/20".into(), cvv: "1".into() };
    let ServiceError::Invalid(errors) = pay_with(&app, &id, "card", bad).await.unwrap_err() else {
        panic!("not a 400")
    };
    let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["card_number", "card_expiry", "card_cvv"]);
    assert!(link_json(&app, &id).await["payments"].as_array().unwrap().is_empty());
});

both!(the_otp_card_asks_for_the_code_refuses_a_wrong_one_and_succeeds_with_123456, |app: Arc<TestApp>| async move {
    let id = link(&app, "25.00").await;
    let p = pay_with(&app, &id, "card", card("4000000000003220")).await.unwrap();
    assert_eq!((p.status, p.next_action), (PaymentStatus::RequiresAction, Some(NextAction::Otp)));
    let busy = pay_with(&app, &id, "card", card("4242424242424242")).await.unwrap_err();
    assert!(matches!(busy, ServiceError::Conflict(Conflict::LinkBusy, _)), "{busy:?}");
    let wrong = pay::submit_otp(&app.ctx, p.id.as_str(), "000000").await.unwrap_err();
    assert!(matches!(&wrong, ServiceError::Invalid(e) if e[0].field == "otp"), "{wrong:?}");
    let done = pay::submit_otp(&app.ctx, p.id.as_str(), "123456").await.unwrap();
    assert_eq!(done.status, PaymentStatus::Succeeded);
    assert_eq!(link_json(&app, &id).await["status"], "paid");
});

both!(three_wrong_codes_decline_the_otp_card_and_free_the_link, |app: Arc<TestApp>| async move {
    let id = link(&app, "25.00").await;
    let p = pay_with(&app, &id, "card", card("4000000000003220")).await.unwrap();
    for _ in 0..2 {
        assert!(pay::submit_otp(&app.ctx, p.id.as_str(), "999999").await.is_err());
    }
    let failed = pay::submit_otp(&app.ctx, p.id.as_str(), "999999").await.unwrap();
    assert_eq!((failed.status, failure_code(&failed)), (PaymentStatus::Failed, "otp_failed"));
    let after = pay::submit_otp(&app.ctx, p.id.as_str(), "123456").await.unwrap_err();
    assert!(matches!(after, ServiceError::Conflict(Conflict::PaymentNotWaiting, _)));
    assert_eq!(pay_with(&app, &id, "card", card("4242424242424242")).await.unwrap().status, PaymentStatus::Succeeded);
});

both!(the_delayed_card_processes_then_succeeds_when_its_time_has_come, |app: Arc<TestApp>| async move {
    let id = link(&app, "25.00").await;
    let p = pay_with(&app, &id, "card", card("4000000000001976")).await.unwrap();
    assert_eq!((p.status, p.next_action), (PaymentStatus::Pending, None));
    assert_eq!(pay::refresh(&app.ctx, p.id.as_str()).await.unwrap().status, PaymentStatus::Pending);
    app.ctx.clock.advance_secs(6);
    assert_eq!(pay::refresh(&app.ctx, p.id.as_str()).await.unwrap().status, PaymentStatus::Succeeded);
    assert_eq!(link_json(&app, &id).await["status"], "paid");
});

both!(mobile_money_waits_for_the_phone_then_approves_rejects_or_refuses, |app: Arc<TestApp>| async move {
    let cases =
        [("+966500000001", PaymentStatus::Succeeded, ""), ("+251900000002", PaymentStatus::Failed, "payment_rejected")];
    for (phone, end, code) in cases {
        let id = link(&app, "25.00").await;
        let p = pay_with(&app, &id, "mobile_money", mobile(phone)).await.unwrap();
        assert_eq!((p.status, p.next_action), (PaymentStatus::RequiresAction, Some(NextAction::ApproveOnPhone)));
        assert_eq!(pay::refresh(&app.ctx, p.id.as_str()).await.unwrap().status, PaymentStatus::RequiresAction);
        app.ctx.clock.advance_secs(4);
        let settled = pay::refresh(&app.ctx, p.id.as_str()).await.unwrap();
        assert_eq!((settled.status, failure_code(&settled)), (end, code));
    }
    let id = link(&app, "25.00").await;
    let broke = pay_with(&app, &id, "mobile_money", mobile("+966500000003")).await.unwrap();
    assert_eq!((broke.status, failure_code(&broke)), (PaymentStatus::Failed, "insufficient_funds"));
});

both!(a_mobile_number_that_never_answers_times_out_and_frees_the_link, |app: Arc<TestApp>| async move {
    let id = link(&app, "25.00").await;
    let p = pay_with(&app, &id, "mobile_money", mobile("+966500000004")).await.unwrap();
    app.ctx.clock.advance_secs(60);
    assert_eq!(pay::refresh(&app.ctx, p.id.as_str()).await.unwrap().status, PaymentStatus::RequiresAction);
    app.ctx.clock.advance_secs(61);
    let timed_out = pay::refresh(&app.ctx, p.id.as_str()).await.unwrap();
    assert_eq!((timed_out.status, failure_code(&timed_out)), (PaymentStatus::Failed, "timeout"));
    assert_eq!(pay_with(&app, &id, "card", card("4242424242424242")).await.unwrap().status, PaymentStatus::Succeeded);
});

both!(installment_plans_are_approved_or_declined_by_the_amount_rules, |app: Arc<TestApp>| async move {
    let plan = |months| InstrumentForm::Installments { months, phone: "+966500000001".into() };
    let cases = [
        ("150.00", 3, ""),
        ("5000.00", 6, ""),
        ("99.99", 4, "amount_below_minimum"),
        ("5000.01", 3, "credit_limit_exceeded"),
    ];
    for (amount, months, code) in cases {
        let id = link(&app, amount).await;
        let p = pay_with(&app, &id, "installments", plan(months)).await.unwrap();
        assert_eq!(failure_code(&p), code, "{amount} over {months} months");
        assert_eq!(p.status == PaymentStatus::Succeeded, code.is_empty());
        assert_eq!(p.installments, Some(months));
    }
    let id = link(&app, "300.00").await;
    let ServiceError::Invalid(e) = pay_with(&app, &id, "installments", plan(12)).await.unwrap_err() else { panic!() };
    assert_eq!(e[0].field, "installments");
});

both!(
    the_card_testing_guard_refuses_after_five_declines_without_calling_the_connector,
    |app: Arc<TestApp>| async move {
        let id = link(&app, "25.00").await;
        for _ in 0..5 {
            assert_eq!(
                pay_with(&app, &id, "card", card("4000000000000002")).await.unwrap().status,
                PaymentStatus::Failed
            );
        }
        let refused = pay_with(&app, &id, "card", card("4242424242424242")).await.unwrap_err();
        assert!(matches!(refused, ServiceError::TooManyAttempts), "{refused:?}");
        assert_eq!(link_json(&app, &id).await["payments"].as_array().unwrap().len(), 5);
        app.ctx.clock.advance_secs(901);
        assert_eq!(
            pay_with(&app, &id, "card", card("4242424242424242")).await.unwrap().status,
            PaymentStatus::Succeeded
        );
    }
);

both!(nothing_is_paid_at_or_after_expiry_and_a_late_success_is_refunded, |app: Arc<TestApp>| async move {
    let expires = app.ctx.clock.now().plus_secs(30).to_rfc3339();
    let body = json!({"amount": "25.00", "title": "Soon over", "expires_at": expires});
    let id = app.create_link(&app.owner_key, body).await["id"].as_str().unwrap().to_owned();
    let slow = pay_with(&app, &id, "card", card("4000000000001976")).await.unwrap();
    app.ctx.clock.advance_secs(30);
    let late = pay_with(&app, &id, "card", card("4242424242424242")).await.unwrap_err();
    assert!(matches!(late, ServiceError::Conflict(Conflict::LinkNotOpen, _)), "{late:?}");
    let overturned = pay::refresh(&app.ctx, slow.id.as_str()).await.unwrap();
    assert_eq!((overturned.status, failure_code(&overturned)), (PaymentStatus::Failed, "link_expired"));
    let l = link_json(&app, &id).await;
    assert_eq!((l["status"].as_str(), l["payments_count"].as_i64()), (Some("expired"), Some(0)));
});

both!(the_card_testing_guard_also_counts_declines_from_one_client_across_links, |app: Arc<TestApp>| async move {
    for _ in 0..10 {
        let id = link(&app, "25.00").await;
        assert_eq!(pay_with(&app, &id, "card", card("4000000000009995")).await.unwrap().status, PaymentStatus::Failed);
    }
    let fresh = link(&app, "25.00").await;
    let refused = pay_with(&app, &fresh, "card", card("4242424242424242")).await.unwrap_err();
    assert!(matches!(refused, ServiceError::TooManyAttempts), "{refused:?}");
    let other_client = PayRequest {
        method_id: method_id(&app, "card").await,
        instrument: card("4242424242424242"),
        payer: PayerForm::default(),
        client: Some("203.0.113.9".parse().unwrap()),
    };
    assert_eq!(pay::pay(&app.ctx, &fresh, other_client).await.unwrap().status, PaymentStatus::Succeeded);
});
