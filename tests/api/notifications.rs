//! Notifications: links and receipts by SMS and e-mail in the link's language, stored and listed
//! with the `log` provider; validation, scope and state rules of `POST /notify`. Caps, the HTTP
//! SMS gateway and SMTP have their own files below.

use crate::both;
use crate::helpers::{Backend, TestApp};
use crate::paying::PageSession;
use crate::sandbox::method_id;
use paylink::domain::access::Role;
use paylink::domain::notification::{Notification, Status};
use paylink::service::notify::send::send_due;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

mod caps;
mod gateway;
mod smtp;
mod smtp_tls;

/// Runs an async test body, which starts its own server, on SQLite and PostgreSQL.
#[macro_export]
macro_rules! on_both {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                ($body)($crate::helpers::Backend::Sqlite).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                ($body)($crate::helpers::Backend::Postgres).await;
            }
        }
    };
}

/// The stored notifications of a link, oldest first.
pub async fn stored(app: &TestApp, link_id: &str) -> Vec<Notification> {
    let id = link_id.to_owned();
    app.ctx.db.read(move |c| paylink::store::notifications::list::for_link(c, &id)).await.unwrap()
}

/// Runs the sender until `done` holds for the link's notifications (another worker may hold a
/// claim for a moment), or panics after ten seconds.
pub async fn settle(app: &TestApp, link_id: &str, done: impl Fn(&[Notification]) -> bool) -> Vec<Notification> {
    for _ in 0..200 {
        send_due(&app.ctx).await.unwrap();
        let rows = stored(app, link_id).await;
        if done(&rows) {
            return rows;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("notifications of {link_id} did not settle: {:?}", stored(app, link_id).await);
}

/// Sends every queued message of the link until none is queued.
pub async fn send_all(app: &TestApp, link_id: &str) -> Vec<Notification> {
    settle(app, link_id, |rows| rows.iter().all(|n| n.status != Status::Queued)).await
}

/// A link for the payer Sara with her phone and e-mail.
pub fn sara(extra: Value) -> Value {
    let mut body = json!({"amount": "1234.50", "title": "Order 7781", "reference_id": format!("ORD-{}", rand()),
        "customer": {"phone": "+966501234567", "email": "sara@example.com", "first_name": "Sara"}});
    body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    body
}

fn rand() -> String {
    paylink::service::secrets::base62(8)
}

/// `GET /v1/notifications?link_id=…` as the owner.
async fn listed(app: &TestApp, link_id: &str) -> Vec<Value> {
    let r = app.get(&app.owner_key, &format!("/v1/notifications?link_id={link_id}")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["data"].as_array().unwrap().clone()
}

both!(an_arabic_link_with_send_sms_and_send_email_is_stored_and_listed_in_arabic, |app: Arc<TestApp>| async move {
    let link = app
        .create_link(
            &app.owner_key,
            sara(json!({"send_sms": true, "send_email": true, "expires_at": "2030-12-31T23:59:00Z"})),
        )
        .await;
    let (id, short_url) = (link["id"].as_str().unwrap(), link["short_url"].as_str().unwrap());
    let sent = send_all(&app, id).await;
    assert!(sent.iter().all(|n| n.status == Status::Sent && n.attempts == 1), "{sent:?}");
    let data = listed(&app, id).await;
    assert_eq!(data.len(), 2);
    let by = |channel: &str| data.iter().find(|n| n["channel"] == channel).unwrap().clone();
    let (sms, email) = (by("sms"), by("email"));
    assert_eq!(
        (sms["recipient"].as_str(), email["recipient"].as_str()),
        (Some("+966501234567"), Some("sara@example.com"))
    );
    for n in [&sms, &email] {
        assert_eq!(
            (n["status"].as_str(), n["provider"].as_str(), n["language"].as_str()),
            (Some("sent"), Some("log"), Some("ar"))
        );
        assert_eq!((n["kind"].as_str(), n["object"].as_str()), (Some("link"), Some("notification")));
        let body = n["body"].as_str().unwrap();
        assert!(body.contains(short_url) && body.contains("١٬٢٣٤٫٥٠ ر.س") && body.contains("Order 7781"), "{body}");
        assert!(body.contains("٣١ ديسمبر ٢٠٣٠"), "the expiry in Arabic: {body}");
        assert!(n["sent_at"].is_string() && n["next_attempt_at"].is_null());
    }
    assert_eq!(
        sms["body"].as_str().unwrap(),
        format!(
            "Demo Merchant: Order 7781، المبلغ ١٬٢٣٤٫٥٠ ر.س. ادفع بأمان: {short_url} (صالح حتى ٣١ ديسمبر ٢٠٣٠، ٢٣:٥٩ UTC)"
        )
    );
    assert!(sms["subject"].is_null());
    assert_eq!(email["subject"].as_str(), Some("Demo Merchant: طلب دفع بمبلغ ١٬٢٣٤٫٥٠ ر.س"));
    let text = email["body"].as_str().unwrap();
    assert!(text.starts_with("مرحبًا Sara،") && text.contains("ادفع بأمان من هنا"), "{text}");
    let one = app.get(&app.owner_key, &format!("/v1/notifications/{}", sms["id"].as_str().unwrap())).await;
    assert_eq!((one.status, &one.body), (200, &sms));
});

both!(an_english_link_is_sent_in_english_with_its_expiry_and_reference, |app: Arc<TestApp>| async move {
    let body =
        sara(json!({"language": "en", "send_email": true, "send_sms": true, "expires_at": "2030-12-31T23:59:00Z"}));
    let reference = body["reference_id"].as_str().unwrap().to_owned();
    let link = app.create_link(&app.owner_key, body).await;
    let (id, short_url) = (link["id"].as_str().unwrap(), link["short_url"].as_str().unwrap());
    let sent = send_all(&app, id).await;
    let sms = sent.iter().find(|n| n.subject.is_none()).unwrap();
    assert_eq!(
        sms.body,
        format!("Demo Merchant: Order 7781, SAR 1,234.50. Pay securely: {short_url} (until 31 Dec 2030, 23:59 UTC)")
    );
    let email = sent.iter().find(|n| n.subject.is_some()).unwrap();
    assert_eq!(email.subject.as_deref(), Some("Demo Merchant: payment request for SAR 1,234.50"));
    let expected = format!(
        "Hello Sara,\n\nDemo Merchant has sent you a payment request.\n\n  Order 7781\n  Amount: SAR 1,234.50\n  \
         Reference: {reference}\n  Pay by: 31 Dec 2030, 23:59 UTC\n\nPay securely here: {short_url}\n\n\
         If you were not expecting this request, you can ignore this message."
    );
    assert_eq!(email.body, expected);
});

both!(a_link_without_send_flags_queues_nothing_and_missing_contacts_are_refused, |app: Arc<TestApp>| async move {
    let quiet = app.create_link(&app.owner_key, sara(json!({}))).await;
    assert!(stored(&app, quiet["id"].as_str().unwrap()).await.is_empty());
    let cases = [
        (json!({"amount": "5", "title": "t", "send_sms": true}), "customer.phone"),
        (
            json!({"amount": "5", "title": "t", "send_email": true, "customer": {"phone": "+966501234567"}}),
            "customer.email",
        ),
    ];
    for (body, field) in cases {
        let r = app.post(&app.owner_key, "/v1/payment_links", body).await;
        assert_eq!((r.status, r.body["error_code"].as_str()), (400, Some("INVALID_REQUEST")), "{}", r.text);
        assert!(r.body["details"][field].is_string(), "{}", r.text);
    }
});

both!(notify_queues_the_link_for_its_customer_or_another_recipient_with_202, |app: Arc<TestApp>| async move {
    let link = app.create_link(&app.owner_key, sara(json!({"language": "en"}))).await;
    let id = link["id"].as_str().unwrap();
    let path = format!("/v1/payment_links/{id}/notify");
    let sms = app.post(&app.owner_key, &path, json!({"channel": "sms"})).await;
    assert_eq!(sms.status, 202, "{}", sms.text);
    assert_eq!((sms.body["recipient"].as_str(), sms.body["status"].as_str()), (Some("+966501234567"), Some("queued")));
    assert!(sms.body["id"].as_str().unwrap().starts_with("ntf_") && sms.body["next_attempt_at"].is_string());
    let other = app.post(&app.owner_key, &path, json!({"channel": "email", "to": "billing@example.org"})).await;
    assert_eq!((other.status, other.body["recipient"].as_str()), (202, Some("billing@example.org")));
    assert_eq!(other.body["subject"].as_str(), Some("Demo Merchant: payment request for SAR 1,234.50"));
    send_all(&app, id).await;
    let data = listed(&app, id).await;
    assert_eq!(data.iter().map(|n| n["status"].as_str().unwrap()).collect::<Vec<_>>(), ["sent", "sent"]);
    assert_eq!(data[0]["id"], other.body["id"], "newest first");
    let filtered = app.get(&app.owner_key, &format!("/v1/notifications?link_id={id}&channel=email&status=sent")).await;
    assert_eq!(filtered.body["data"].as_array().unwrap().len(), 1);
    let paged = app.get(&app.owner_key, &format!("/v1/notifications?link_id={id}&limit=1")).await.body;
    assert_eq!((paged["has_more"].as_bool(), paged["next_cursor"].as_str()), (Some(true), other.body["id"].as_str()));
    let rest =
        format!("/v1/notifications?link_id={id}&limit=1&starting_after={}", paged["next_cursor"].as_str().unwrap());
    let next = app.get(&app.owner_key, &rest).await.body;
    assert_eq!((next["data"][0]["id"].as_str(), next["has_more"].as_bool()), (sms.body["id"].as_str(), Some(false)));
});

both!(bad_notify_requests_answer_400_naming_the_field, |app: Arc<TestApp>| async move {
    let no_email = json!({"amount": "5", "title": "t", "customer": {"phone": "+966501234567"}});
    let id = app.create_link(&app.owner_key, no_email).await["id"].as_str().unwrap().to_owned();
    let cases = [
        (json!({}), "channel", "INVALID_REQUEST"),
        (json!({"channel": "fax"}), "channel", "INVALID_REQUEST"),
        (json!({"channel": "sms", "to": "0501234567"}), "to", "INVALID_PHONE"),
        (json!({"channel": "email", "to": "not-an-address"}), "to", "INVALID_EMAIL"),
        (json!({"channel": "email"}), "to", "INVALID_REQUEST"),
        (json!({"channel": "sms", "priority": "high"}), "priority", "UNKNOWN_FIELD"),
        (json!({"channel": 7}), "channel", "INVALID_REQUEST"),
    ];
    for (body, field, code) in cases {
        let r = app.post(&app.owner_key, &format!("/v1/payment_links/{id}/notify"), body.clone()).await;
        assert_eq!((r.status, r.body["error_code"].as_str()), (400, Some(code)), "{body}: {}", r.text);
        assert!(r.body["details"][field].is_string(), "{body}: {}", r.text);
    }
    assert!(stored(&app, &id).await.is_empty());
    for query in ["channel=fax", "status=done", "link_id=pay_1", "limit=0", "starting_after=plink_1"] {
        let r = app.get(&app.owner_key, &format!("/v1/notifications?{query}")).await;
        assert_eq!(r.status, 400, "{query}: {}", r.text);
    }
});

both!(notify_answers_409_on_a_closed_link_and_404_or_403_outside_the_key_scope, |app: Arc<TestApp>| async move {
    let cancelled = app.create_link(&app.owner_key, sara(json!({}))).await["id"].as_str().unwrap().to_owned();
    assert_eq!(app.post(&app.owner_key, &format!("/v1/payment_links/{cancelled}/cancel"), json!({})).await.status, 200);
    let r = app.post(&app.owner_key, &format!("/v1/payment_links/{cancelled}/notify"), json!({"channel": "sms"})).await;
    assert_eq!((r.status, r.body["error_code"].as_str()), (409, Some("LINK_NOT_OPEN")));
    let id = app.create_link(&app.owner_key, sara(json!({"send_sms": true}))).await["id"].as_str().unwrap().to_owned();
    let notification = stored(&app, &id).await[0].id.to_string();
    let path = format!("/v1/payment_links/{id}/notify");
    let other_branch = app.branch("OTHER-001").await;
    let (_, cashier) = app.staff(Role::Cashier, Some(&other_branch)).await;
    let (_, accounting) = app.staff(Role::Accounting, None).await;
    let foreign = app.foreign_key().await;
    for (key, status) in [(&cashier, 404), (&foreign, 404), (&accounting, 403)] {
        assert_eq!(app.post(key, &path, json!({"channel": "sms"})).await.status, status);
    }
    assert_eq!(app.get(&cashier, &format!("/v1/notifications/{notification}")).await.status, 404);
    assert_eq!(app.get(&foreign, &format!("/v1/notifications/{notification}")).await.status, 404);
    assert_eq!(app.get(&accounting, &format!("/v1/notifications/{notification}")).await.status, 200);
    let seen = app.get(&cashier, "/v1/notifications").await;
    assert_eq!((seen.status, seen.body["data"].as_array().unwrap().len()), (200, 0));
    let (_, own_cashier) = app.staff(Role::Cashier, Some(&other_branch)).await;
    let mine = app.create_link(&own_cashier, sara(json!({}))).await["id"].as_str().unwrap().to_owned();
    let r = app.post(&own_cashier, &format!("/v1/payment_links/{mine}/notify"), json!({"channel": "email"})).await;
    assert_eq!(r.status, 202, "{}", r.text);
    assert_eq!(app.get(&own_cashier, "/v1/notifications").await.body["data"].as_array().unwrap().len(), 1);
});

both!(a_paid_link_with_send_flags_sends_its_payer_a_receipt_in_the_link_language, |app: Arc<TestApp>| async move {
    let link =
        app.create_link(&app.owner_key, sara(json!({"language": "en", "send_sms": true, "send_email": true}))).await;
    let id = link["id"].as_str().unwrap();
    let page = PageSession::open(&app, id).await;
    let paid = page.pay_card(&app, id, method_id(&app, "card").await, "4242424242424242").await;
    assert_eq!(paid.status, 303, "{}", paid.text);
    let location = paid.headers["location"].to_str().unwrap();
    let payment = location.trim_start_matches("/receipts/").split('?').next().unwrap().to_owned();
    let sent = send_all(&app, id).await;
    let receipts: Vec<_> = sent.iter().filter(|n| n.payment_id.is_some()).collect();
    assert_eq!((sent.len(), receipts.len()), (4, 2), "two links, two receipts: {sent:?}");
    let receipt_url = format!("{}/receipts/{payment}", app.base);
    for r in &receipts {
        assert_eq!((r.payment_id.as_ref().unwrap().as_str(), r.status), (payment.as_str(), Status::Sent));
        assert!(r.body.contains(&receipt_url) && r.body.contains("SAR 1,234.50"), "{}", r.body);
    }
    let sms = receipts.iter().find(|n| n.subject.is_none()).unwrap();
    assert_eq!(
        sms.body,
        format!("Demo Merchant: we received your payment of SAR 1,234.50 for Order 7781. Receipt: {receipt_url}")
    );
    let email = receipts.iter().find(|n| n.subject.is_some()).unwrap();
    assert_eq!(email.subject.as_deref(), Some("Receipt from Demo Merchant: SAR 1,234.50"));
    assert!(email.body.contains(&format!("Payment: {payment}")) && email.body.contains("Amount paid: SAR 1,234.50"));
    let listed = app.get(&app.owner_key, &format!("/v1/notifications?link_id={id}")).await.body;
    assert_eq!(listed["data"][0]["kind"].as_str(), Some("receipt"));
});

/// The Arabic receipt, on both databases.
async fn arabic_receipt(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else { return };
    let id = app.create_link(&app.owner_key, sara(json!({"send_sms": true}))).await["id"].as_str().unwrap().to_owned();
    let page = PageSession::open(&app, &id).await;
    assert_eq!(page.pay_card(&app, &id, method_id(&app, "card").await, "4242424242424242").await.status, 303);
    let sent = send_all(&app, &id).await;
    let receipt = sent.iter().find(|n| n.payment_id.is_some()).expect("a receipt");
    assert!(
        receipt.body.starts_with("Demo Merchant: استلمنا دفعتك بمبلغ ١٬٢٣٤٫٥٠ ر.س مقابل Order 7781."),
        "{}",
        receipt.body
    );
    app.cleanup().await;
}

crate::on_both!(an_arabic_link_sends_an_arabic_receipt, arabic_receipt);
