//! BirrLink's webhook event, built for a claimed delivery to an endpoint registered
//! through `POST /birrlink/v1/webhooks` or to a BirrLink payment's `callback_url`:
//!
//! ```json
//! {"id": "evt_…", "type": "payment.completed", "created": 1678886400, "livemode": false,
//!  "data": {"object": {…}}, "previous_attributes": {"status": "pending"}}
//! ```
//!
//! `id` is the Paylink event's id (the same on every attempt: dedupe on it), `type` its
//! BirrLink name ([`super::catalogue`]), `created` its time in Unix seconds, `livemode`
//! true in production. `data.object` is the object as BirrLink's API shows it — a payment as
//! `GET /payments/{id}`, a refund as `GET /refunds/{id}`, a customer as `GET /customers/{id}` —
//! as it was when the event happened: a payment with the attempts made up to the event and the
//! status the event announces (`payment.failed` shows `failed`, though the payer may try again),
//! a refund with the status of its event and without what came later; a customer as it is when
//! the attempt is made. `previous_attributes` holds the status before the change, `{}` when
//! there is nothing meaningful to show.

use super::catalogue;
use super::customer_view::CustomerData;
use super::payments::single_kind;
use super::refund_view::{self, RefundData};
use super::view::{self, PaymentData};
use crate::domain::event::{Event, EventType, Subject};
use crate::domain::method::MethodKind;
use crate::domain::outbox::Delivery;
use crate::domain::payment::{Payment, PaymentStatus};
use crate::domain::refund::{Refund, RefundStatus};
use crate::domain::sign::{self, Signer};
use crate::domain::{Environment, Timestamp};
use crate::egress::OutboundRequest;
use crate::service::subjects::{self, LinkHistory};
use crate::service::{Ctx, Result};
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Value, json};
use std::borrow::Cow;
use std::time::Duration;

/// Headers of a signed body.
type Headers = Vec<(Cow<'static, str>, String)>;

/// The request for a claimed BirrLink delivery: the envelope, signed BirrLink's way, with
/// BirrLink's ten-second timeout; or why it cannot be built.
pub async fn request(
    ctx: &Ctx,
    d: &Delivery,
    url: String,
    signer: &Signer,
) -> std::result::Result<OutboundRequest, &'static str> {
    let name = catalogue::name_of(d.event.kind).ok_or("not_a_birrlink_event")?;
    let (object, previous) = object(ctx, d, name).await.ok().flatten().ok_or("object_not_found")?;
    let live = d.environment == Environment::Production;
    let body = serde_json::to_vec(&envelope(&d.event, live, name, object, previous)).unwrap_or_default();
    Ok(OutboundRequest {
        url,
        headers: headers(signer, d, &body),
        body,
        timeout: Duration::from_secs(catalogue::TIMEOUT_SECS),
        max_response_bytes: ctx.config.delivery.max_response_bytes,
    })
}

/// BirrLink's headers of a body: `BirrLink-Signature: t=…,v1=…` (one `v1` per secret that signs
/// now), `BirrLink-Timestamp`, and the event id.
fn headers(signer: &Signer, d: &Delivery, body: &[u8]) -> Headers {
    vec![
        ("birrlink-signature".into(), signature(&signer.secret_texts(), signer.timestamp, body)),
        ("birrlink-timestamp".into(), signer.timestamp.to_string()),
        ("birrlink-event-id".into(), d.event.id.to_string()),
    ]
}

/// BirrLink's `BirrLink-Signature` of a body: `t=<timestamp>` and one `v1=<hex HMAC-SHA256 of the
/// raw body>` per secret (the secret's text as the key; the timestamp is not in the MAC, as in
/// BirrLink's sample verification code).
pub fn signature(secrets: &[String], timestamp: i64, body: &[u8]) -> String {
    let mut header = format!("t={timestamp}");
    for secret in secrets {
        header.push_str(",v1=");
        header.push_str(&sign::hex(&sign::hmac_sha256(secret.as_bytes(), &[body])));
    }
    header
}

/// BirrLink's event envelope. Serialized straight from the views (never through
/// `serde_json::Value`), so fields keep their order and amounts their digits (`100.00`).
#[derive(Serialize)]
pub struct Envelope<'a> {
    pub id: &'a str,
    #[serde(rename = "type")]
    pub kind: &'a str,
    pub created: i64,
    pub livemode: bool,
    pub data: Data,
    pub previous_attributes: Value,
}

/// `data` of an envelope.
#[derive(Serialize)]
pub struct Data {
    pub object: Box<RawValue>,
}

/// The envelope of an event under its BirrLink `name`.
pub fn envelope<'a>(
    event: &'a Event,
    live: bool,
    name: &'a str,
    object: Box<RawValue>,
    previous: Value,
) -> Envelope<'a> {
    let created = event.created_at.micros().div_euclid(1_000_000);
    Envelope {
        id: event.id.as_str(),
        kind: name,
        created,
        livemode: live,
        data: Data { object },
        previous_attributes: previous,
    }
}

/// `data.object` and `previous_attributes` of the event, read now (`None` when the object is
/// gone).
async fn object(ctx: &Ctx, d: &Delivery, name: &'static str) -> Result<Option<(Box<RawValue>, Value)>> {
    let (base, now) = (ctx.config.public_base(), ctx.clock.now());
    Ok(match d.event.kind.subject() {
        Subject::Link | Subject::Payment => subjects::link_history(ctx, d, &d.event.object_id)
            .await?
            .and_then(|h| payment(&h, &d.event, name, now, base)),
        Subject::Refund => subjects::refund(ctx, d).await?.map(|r| refund(&r, &d.event, name)),
        Subject::Customer => subjects::customer(ctx, d).await?.map(|cu| (to_raw(&CustomerData::from(&cu)), json!({}))),
    })
}

fn to_raw<T: Serialize>(v: &T) -> Box<RawValue> {
    serde_json::value::to_raw_value(v).unwrap_or_else(|_| RawValue::from_string("null".into()).expect("null is JSON"))
}

/// A BirrLink payment (a Paylink link) event: the link of the event's payment attempt or the
/// link itself, shown as `GET /payments/{id}` showed it when the event happened (the attempts
/// made up to it), with the status the event announces.
fn payment(
    h: &LinkHistory,
    event: &Event,
    name: &'static str,
    now: Timestamp,
    base: &str,
) -> Option<(Box<RawValue>, Value)> {
    let attempt = match event.kind.subject() {
        Subject::Payment => Some(h.payments.iter().find(|p| p.id.as_str() == event.object_id)?.clone()),
        _ => None,
    };
    let link = &h.link;
    let mut then = h.payments.clone();
    match &attempt {
        Some(a) => then.retain(|p| (p.created_at, p.id.as_str()) <= (a.created_at, a.id.as_str())),
        None => then.retain(|p| p.created_at <= event.created_at),
    }
    let limited_to = link.payment_methods.as_ref().and_then(|ids| single_kind(&h.methods, ids));
    let mut data = PaymentData::of(link, &then, limited_to, now, base);
    let earlier: Vec<Payment> =
        then.iter().filter(|p| attempt.as_ref().is_none_or(|a| a.id != p.id)).cloned().collect();
    let (status, previous) = match name {
        "payment.created" => ("pending", None),
        "payment.pending" => ("pending", Some(open_status(view::latest(&earlier)))),
        "payment.completed" => ("completed", Some("pending")),
        "payment.failed" => ("failed", Some("pending")),
        _ => ("cancelled", Some(open_status(view::latest(&then)))),
    };
    announce(&mut data, status, attempt.as_ref(), event, limited_to);
    let previous = previous.filter(|p| *p != status).map_or_else(|| json!({}), |p| json!({"status": p}));
    Some((to_raw(&data), previous))
}

/// Shows `data` with the announced `status`: what belongs to another status goes.
fn announce(
    data: &mut PaymentData,
    status: &'static str,
    attempt: Option<&Payment>,
    e: &Event,
    limited_to: Option<MethodKind>,
) {
    data.status = status;
    data.failure_code = attempt.and_then(|a| a.failure.as_ref()).map(|f| f.code.clone()).filter(|_| status == "failed");
    data.cancellation_reason = (e.kind == EventType::LinkExpired).then_some("expired");
    if status != "completed" {
        (data.transaction_id, data.completed_at) = (None, None);
        data.payment_method = limited_to.map(view::method_word);
    }
}

/// What an open payment shows given its latest attempt: `failed` after a failed one, else
/// `pending` (`view`'s table).
fn open_status(latest: Option<&Payment>) -> &'static str {
    if latest.is_some_and(|p| p.status == PaymentStatus::Failed) { "failed" } else { "pending" }
}

/// A refund event: the refund as it was when the event was written (its snapshot's status,
/// without what came later), and the status before.
fn refund(r: &Refund, event: &Event, name: &str) -> (Box<RawValue>, Value) {
    let mut data = RefundData::from(r);
    let snapshot: Value = serde_json::from_str(&event.payload).unwrap_or(Value::Null);
    if let Some(status) = snapshot["object"]["status"].as_str().and_then(RefundStatus::parse) {
        data.status = refund_view::status_word(status);
        if status == RefundStatus::PendingApproval {
            (data.approved_at, data.rejected_at, data.decision_note) = (None, None, None);
        }
        if matches!(status, RefundStatus::PendingApproval | RefundStatus::Approved) {
            (data.completed_at, data.failed_at, data.failure_reason) = (None, None, None);
        }
    }
    let previous = match name {
        "refund.approved" => json!({"status": "pending_approval"}),
        "refund.completed" | "refund.failed" => json!({"status": "approved"}),
        _ => json!({}),
    };
    (to_raw(&data), previous)
}
