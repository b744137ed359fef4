//! The project callback (NOTES §3): a paid invoice is announced to the project's callback URL
//! with exactly `{invoiceId, paymentSessionId, secret}`; a failing receiver is retried 30 times
//! on the Exchange schedule, each failed attempt e-mailing the merchant when the project asks;
//! a callback that is off sends nothing.

use super::{create_invoice, link_of, seed_example, set_project};
use crate::both;
use crate::helpers::TestApp;
use crate::receiver::{Behaviour, Receiver};
use crate::sandbox::{card, pay_with};
use crate::webhooks::verifies;
use paylink::dialects::exchange::words::RETRY_SECS as EXCHANGE_RETRY_SECS;
use serde_json::{Value, json};
use std::sync::Arc;

/// Creates an invoice and pays it by card in the sandbox: (invoice data, link id, payment id).
async fn paid_invoice(app: &TestApp) -> (Value, String, String) {
    let data = create_invoice(app, seed_example()).await;
    let link = link_of(app, data["invoiceId"].as_str().unwrap()).await;
    let payment = pay_with(app, &link, "card", card("4242424242424242")).await.expect("paid");
    (data, link, payment.id.to_string())
}

/// The Exchange delivery of a payment's `payment.succeeded` event, as `GET /v1/events/{id}`
/// shows it, if there is one.
async fn exchange_delivery(app: &TestApp, payment_id: &str) -> Option<Value> {
    let events = app.get(&app.owner_key, &format!("/v1/events?object_id={payment_id}&type=payment.succeeded")).await;
    let event_id = events.body["data"][0]["id"].as_str().expect("a payment.succeeded event").to_owned();
    let e = app.get(&app.owner_key, &format!("/v1/events/{event_id}")).await;
    e.body["deliveries"].as_array().unwrap().iter().find(|d| d["endpoint_id"] == "exchange").cloned()
}

/// The merchant e-mails about failed callbacks of a link, as `GET /v1/notifications` lists them.
async fn alerts(app: &TestApp, link: &str) -> Vec<Value> {
    let r = app.get(&app.owner_key, &format!("/v1/notifications?link_id={link}&limit=100")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["data"].as_array().unwrap().iter().filter(|n| n["kind"] == "callback_failed").cloned().collect()
}

both!(a_paid_invoice_is_announced_with_exactly_the_documented_payload, |app: Arc<TestApp>| async move {
    let rx = Receiver::start().await;
    set_project(&app, json!({"callback_url": rx.url("exchange"), "callback_enabled": true})).await;
    let (data, _, payment_id) = paid_invoice(&app).await;
    paylink::worker::run_pending(&app.ctx).await;
    let got = rx.at("exchange");
    assert_eq!(got.len(), 1, "the payment is announced once; the invoice's creation is not");
    let body: Value = serde_json::from_slice(&got[0].body).unwrap();
    let expected = json!({"invoiceId": data["invoiceId"], "paymentSessionId": payment_id, "secret": data["secret"]});
    assert_eq!(body, expected);
    assert_eq!(got[0].headers["content-type"], "application/json");
    // Standard Webhooks headers, signed with the store's callback secret, for those who check.
    let secret = app.get(&app.owner_key, "/v1/store/callback_secret").await.body["secret"].as_str().unwrap().to_owned();
    assert!(verifies(&secret, &got[0].id, &got[0].timestamp, &got[0].body, &got[0].signature));
    let d = exchange_delivery(&app, &payment_id).await.expect("the delivery on the event");
    assert_eq!((d["status"].as_str(), d["attempt_count"].as_i64()), (Some("delivered"), Some(1)), "{d}");
});

both!(
    a_failing_callback_is_retried_thirty_times_and_each_failure_emails_the_merchant,
    |app: Arc<TestApp>| async move {
        let rx = Receiver::start().await;
        rx.on("down", Behaviour { status: Some(500), ..Default::default() });
        let settings =
            json!({"callback_url": rx.url("down"), "callback_enabled": true, "failure_email": "ops@shop.example"});
        set_project(&app, settings).await;
        let (_, link, payment_id) = paid_invoice(&app).await;
        paylink::worker::run_pending(&app.ctx).await;
        assert_eq!((rx.at("down").len(), alerts(&app, &link).await.len()), (1, 1));
        for (i, wait) in EXCHANGE_RETRY_SECS.iter().map(|&w| w as i64).enumerate() {
            // The schedule has ±10 % jitter: nothing before 90 % of the wait, the attempt by 110 %.
            app.ctx.clock.advance_secs(wait * 9 / 10 - 1);
            paylink::worker::run_pending(&app.ctx).await;
            assert_eq!(rx.at("down").len(), i + 1, "not early, before attempt {}", i + 2);
            app.ctx.clock.advance_secs(wait * 2 / 10 + 2);
            paylink::worker::run_pending(&app.ctx).await;
            assert_eq!(rx.at("down").len(), i + 2, "attempt {} on time", i + 2);
        }
        app.ctx.clock.advance_secs(7 * 86_400);
        paylink::worker::run_pending(&app.ctx).await;
        assert_eq!(rx.at("down").len(), 30, "thirty attempts, then no more");
        let d = exchange_delivery(&app, &payment_id).await.unwrap();
        assert_eq!((d["status"].as_str(), d["attempt_count"].as_i64()), (Some("failed"), Some(30)), "{d}");
        assert!(d["attempts"].as_array().unwrap().iter().all(|a| a["status_code"] == 500), "{d}");
        let mails = alerts(&app, &link).await;
        assert_eq!(mails.len(), 30, "one e-mail per failed attempt");
        for m in &mails {
            assert_eq!((m["channel"].as_str(), m["recipient"].as_str()), (Some("email"), Some("ops@shop.example")));
            assert_eq!(m["provider"], "log");
            assert!(m["body"].as_str().unwrap().contains("HTTP 500"), "{m}");
        }
    }
);

both!(a_callback_that_is_off_sends_nothing, |app: Arc<TestApp>| async move {
    let rx = Receiver::start().await;
    set_project(&app, json!({"callback_url": rx.url("off"), "callback_enabled": false})).await;
    let (_, _, payment_id) = paid_invoice(&app).await;
    paylink::worker::run_pending(&app.ctx).await;
    assert!(rx.all().is_empty());
    assert_eq!(exchange_delivery(&app, &payment_id).await, None);
    // Turned on later, it announces invoices paid from then on.
    set_project(&app, json!({"callback_enabled": true})).await;
    paid_invoice(&app).await;
    paylink::worker::run_pending(&app.ctx).await;
    assert_eq!(rx.at("off").len(), 1);
});

both!(with_the_email_toggle_off_a_failed_callback_emails_nobody, |app: Arc<TestApp>| async move {
    let rx = Receiver::start().await;
    rx.on("down", Behaviour { status: Some(503), ..Default::default() });
    let settings = json!({"callback_url": rx.url("down"), "callback_enabled": true,
        "email_on_failure": false, "failure_email": "ops@shop.example"});
    set_project(&app, settings).await;
    let (_, link, _) = paid_invoice(&app).await;
    paylink::worker::run_pending(&app.ctx).await;
    app.ctx.clock.advance_secs(120);
    paylink::worker::run_pending(&app.ctx).await;
    assert_eq!(rx.at("down").len(), 2);
    assert!(alerts(&app, &link).await.is_empty());
});
