//! The callback an Amwal link's `callback_url` receives when one of its payments succeeds or
//! fails: the payment-link payload of Amwal's docs, signed with `X-Signature` (base64 RSA-PSS,
//! SHA-256, over the seven signed fields sorted and serialised as Python's `json.dumps` does) and
//! `X-API-Key` (the signing key's fingerprint). Retried as Amwal documents: 4xx is final; 5xx,
//! timeouts and network errors are retried 5 times, 2^n seconds apart.

use super::words::{payment_option, signed_text};
use crate::domain::dialect::DialectName;
use crate::domain::event::EventType;
use crate::domain::id::uuid_of;
use crate::domain::link::Link;
use crate::domain::outbox::Delivery;
use crate::domain::payment::Payment;
use crate::egress::OutboundRequest;
use crate::service::{Ctx, dialect_keys, subjects};
use serde_json::json;
use std::time::Duration;

/// The signed request for a claimed Amwal callback, or why it cannot be built.
pub async fn request(ctx: &Ctx, d: &Delivery, url: String) -> Result<OutboundRequest, &'static str> {
    let found = subjects::payment_with_link(ctx, d).await.ok().flatten();
    let (link, payment) = found.ok_or("payment_not_found")?;
    let key = dialect_keys::signing_key(ctx, &DialectName::of(super::NAME), &link.store_id, link.environment)
        .await
        .map_err(|_| "signing_key_unavailable")?;
    let status = if d.event.kind == EventType::PaymentSucceeded { "success" } else { "failed" };
    let fields = signed_fields(&link, &payment, status);
    let as_pairs: Vec<(&str, Option<&str>)> = fields.iter().map(|(k, v)| (*k, v.as_deref())).collect();
    let signature = key.sign_base64(signed_text(&as_pairs).as_bytes()).map_err(|_| "signing_failed")?;
    let mut body: serde_json::Map<String, serde_json::Value> =
        fields.into_iter().map(|(k, v)| (k.to_owned(), v.map_or(serde_json::Value::Null, Into::into))).collect();
    body.insert("currency".into(), payment.amount.currency().code().into());
    body.insert("order_id".into(), link.reference_id.clone().into());
    body.insert("metadata".into(), serde_json::from_str(&link.metadata).unwrap_or(json!({})));
    Ok(OutboundRequest {
        url,
        headers: vec![("x-signature".into(), signature), ("x-api-key".into(), key.fingerprint.clone())],
        body: serde_json::to_vec(&body).unwrap_or_default(),
        timeout: Duration::from_secs(ctx.config.delivery.request_timeout_secs),
        max_response_bytes: ctx.config.delivery.max_response_bytes,
    })
}

/// The seven fields Amwal signs, with their values (`None` is JSON null). `status` is the
/// event's outcome (`success` / `failed`), not the payment's state when the attempt is made.
pub fn signed_fields(link: &Link, payment: &Payment, status: &str) -> Vec<(&'static str, Option<String>)> {
    let (first, last) = client_names(link, payment);
    vec![
        ("amount", Some(payment.amount.to_decimal(5))),
        ("client_first_name", first),
        ("client_last_name", last),
        ("payment_link_id", uuid_of(link.id.as_str())),
        ("payment_option", Some(payment_option(payment.installments))),
        ("status", Some(status.to_owned())),
        ("transaction_id", uuid_of(payment.id.as_str())),
    ]
}

/// The client's names: the link's, else the payer's name split at its first space.
pub fn client_names(link: &Link, payment: &Payment) -> (Option<String>, Option<String>) {
    let c = &link.customer;
    if c.first_name.is_some() || c.last_name.is_some() {
        return (c.first_name.clone(), c.last_name.clone());
    }
    match payment.payer.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        Some(name) => match name.split_once(' ') {
            Some((first, last)) => (Some(first.to_owned()), Some(last.trim().to_owned())),
            None => (Some(name.to_owned()), None),
        },
        None => (None, None),
    }
}
