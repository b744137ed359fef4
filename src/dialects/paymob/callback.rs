//! Paymob's transaction-processed callback and response redirect, with their `hmac` (docs/dialects.md).
//!
//! When a payment of a QuickLink succeeds or fails, its `notification_url` (the link's
//! `callback_url`) receives `POST <url>?hmac=<hex>` with `{"type": "TRANSACTION", "obj": {…}}`;
//! after a QuickLink is paid on the hosted page, the payer is sent (GET) to its
//! `redirection_url` (the link's `success_url`) with the same fields as flat query parameters and
//! the same `hmac`. Both come from one [`Transaction`], so they cannot disagree. The `hmac` is
//! the lowercase hex HMAC-SHA512, keyed with the store's HMAC secret (the text
//! `GET /v1/store/callback_secret` shows), of the 20 values of [`HMAC_FIELDS`] concatenated in
//! that order, booleans as `true` / `false`. The transaction id is the payment's Paymob number
//! (`service::subjects::payment_number`), fixed on first use, so every retry and the redirect
//! carry the same one. Retried on Paylink's native schedule (`endpoint_id` `paymob`).

use super::view::naive_micros as naive;
use crate::domain::Environment;
use crate::domain::event::EventType;
use crate::domain::id::StoreId;
use crate::domain::link::Link;
use crate::domain::method::MethodKind;
use crate::domain::outbox::Delivery;
use crate::domain::payment::{Payment, PaymentStatus};
use crate::domain::sign;
use crate::egress::OutboundRequest;
use crate::service::{Ctx, callbacks, subjects};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::time::Duration;

/// The Accept order id of a QuickLink (the create response's `order`, the callback's
/// `order.id`): its link number plus 450,000,000, so it is stable and never shared.
pub fn order_id(link_number: i64) -> i64 {
    link_number + 450_000_000
}

/// The merchant profile id Paymob shows for a store (`profile_id`; the auth token's
/// `profile.id`): a stable six-digit number derived from the store id.
pub fn profile_id(store: &StoreId) -> i64 {
    six_digits(store.as_str())
}

/// The `owner` (Paymob's user id of the merchant) of a store's transactions: a stable six-digit
/// number derived from the store id.
pub fn owner(store: &StoreId) -> i64 {
    six_digits(&format!("owner:{store}"))
}

/// 100000 + the first four bytes of the text's SHA-256, modulo 900000.
fn six_digits(text: &str) -> i64 {
    let digest = Sha256::digest(text.as_bytes());
    100_000 + i64::from(u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]) % 900_000)
}

/// The fields Paymob's `hmac` covers, in the order they are concatenated.
pub const HMAC_FIELDS: [&str; 20] = [
    "amount_cents",
    "created_at",
    "currency",
    "error_occured",
    "has_parent_transaction",
    "id",
    "integration_id",
    "is_3d_secure",
    "is_auth",
    "is_capture",
    "is_refunded",
    "is_standalone_payment",
    "is_voided",
    "order.id",
    "owner",
    "pending",
    "source_data.pan",
    "source_data.sub_type",
    "source_data.type",
    "success",
];

/// One processed transaction as Paymob describes it: the callback's `obj`. Built once per
/// payment outcome; the callback body, the redirect's query and the `hmac` all read it.
pub struct Transaction {
    obj: Value,
}

impl Transaction {
    /// The transaction of `payment` on the QuickLink `link` (numbered `link_number`), with its
    /// Paymob `number`; `success` is the outcome announced.
    pub fn new(link: &Link, link_number: i64, payment: &Payment, number: i64, success: bool, base: &str) -> Self {
        let (source_type, sub_type, pan) = source(link, payment);
        let amount = payment.amount;
        let live = payment.environment == Environment::Production;
        let error = !success && payment.failure.as_ref().is_some_and(|f| !f.decline);
        let message = match (&payment.failure, success) {
            (Some(f), false) => f.message.clone(),
            _ => "Approved".to_owned(),
        };
        let code = match (&payment.failure, success) {
            (Some(f), false) => f.code.to_uppercase(),
            _ => "APPROVED".to_owned(),
        };
        let owner = owner(&payment.store_id);
        let obj = json!({
            "id": number, "pending": false, "amount_cents": amount.minor(), "success": success,
            "is_auth": false, "is_capture": false, "is_standalone_payment": true, "is_voided": false,
            "is_refunded": false, "is_3d_secure": false, "integration_id": payment.method_id,
            "profile_id": profile_id(&payment.store_id), "has_parent_transaction": false,
            "order": order(link, link_number, payment, success, base),
            "created_at": naive(payment.created_at), "transaction_processed_callback_responses": [],
            "currency": amount.currency().code(),
            "source_data": {"pan": pan, "type": source_type, "tenure": null, "sub_type": sub_type},
            "api_source": "QUICKLINK", "terminal_id": null, "merchant_commission": 0, "installment": null,
            "discount_details": [], "is_void": false, "is_refund": false,
            "data": {"message": message, "txn_response_code": code, "amount": amount.minor(),
                     "currency": amount.currency().code(), "gateway_integration_pk": payment.method_id},
            "is_hidden": false, "error_occured": error, "is_live": live, "other_endpoint_reference": null,
            "refunded_amount_cents": 0, "source_id": -1, "is_captured": false, "captured_amount": 0,
            "merchant_staff_tag": null, "updated_at": naive(payment.completed_at.unwrap_or(payment.updated_at)),
            "is_settled": false, "bill_balanced": false, "is_bill": false, "owner": owner,
            "parent_transaction": null,
        });
        Transaction { obj }
    }

    /// The callback's `obj`.
    pub fn obj(&self) -> &Value {
        &self.obj
    }

    /// The 20 values of [`HMAC_FIELDS`], concatenated as Paymob signs them.
    pub fn hmac_text(&self) -> String {
        HMAC_FIELDS.iter().map(|f| text(self.field(f))).collect()
    }

    /// The `hmac` under `secret`: lowercase hex HMAC-SHA512 keyed with the secret's text.
    pub fn hmac(&self, secret: &str) -> String {
        sign::hmac_sha512_hex(secret.as_bytes(), self.hmac_text().as_bytes())
    }

    fn field(&self, path: &str) -> &Value {
        path.split('.').fold(&self.obj, |v, k| &v[k])
    }

    /// The response redirect's query parameters, with Paymob's names, ending with `hmac`.
    pub fn query(&self, secret: &str) -> Vec<(String, String)> {
        let path = |name| match name {
            "order" => "order.id",
            "merchant_order_id" => "order.merchant_order_id",
            "txn_response_code" => "data.txn_response_code",
            other => other,
        };
        let mut q: Vec<(String, String)> =
            REDIRECT.split_whitespace().map(|n| (n.to_owned(), text(self.field(path(n))))).collect();
        q.push(("hmac".to_owned(), self.hmac(secret)));
        q
    }
}

/// The response redirect's parameters, in the order Paymob sends them.
const REDIRECT: &str = "id pending amount_cents success is_auth is_capture is_standalone_payment is_voided \
    is_refunded is_3d_secure integration_id profile_id has_parent_transaction order created_at currency \
    merchant_commission discount_details is_void is_refund error_occured refunded_amount_cents captured_amount \
    updated_at is_settled bill_balanced is_bill owner merchant_order_id data.message source_data.type \
    source_data.pan source_data.sub_type txn_response_code";

/// The `order` object: the QuickLink's Accept order.
fn order(link: &Link, link_number: i64, payment: &Payment, success: bool, base: &str) -> Value {
    let amount = payment.amount;
    json!({
        "id": order_id(link_number), "created_at": naive(link.created_at), "delivery_needed": false,
        "merchant": {"id": profile_id(&link.store_id)}, "collector": null, "amount_cents": link.amount.minor(),
        "shipping_data": null, "currency": amount.currency().code(), "is_payment_locked": false,
        "is_return": false, "is_cancel": false, "is_returned": false, "is_canceled": false,
        "merchant_order_id": link.reference_id, "wallet_notification": null,
        "paid_amount_cents": if success { amount.minor() } else { 0 }, "notify_user_with_email": false,
        "items": [], "order_url": format!("{base}/pay/{}", link.id), "commission_fees": 0,
        "delivery_fees_cents": 0, "delivery_vat_cents": 0, "payment_method": "tbc", "merchant_staff_tag": null,
        "api_source": "QUICKLINK", "data": {}, "payment_status": if success { "PAID" } else { "UNPAID" },
    })
}

/// `source_data`: (type, sub_type, pan) — a card's brand and last four, or the wallet's phone.
fn source(link: &Link, payment: &Payment) -> (&'static str, String, String) {
    if let Some(card) = &payment.card {
        return ("card", brand(&card.brand), card.last4.clone());
    }
    let phone = payment.payer.phone.clone().or_else(|| link.customer.phone.clone()).unwrap_or_default();
    match payment.method {
        MethodKind::MobileMoney => ("wallet", "wallet".to_owned(), phone),
        MethodKind::Installments => ("installments", "installments".to_owned(), String::new()),
        MethodKind::Cash => ("cash_present", "cash_present".to_owned(), String::new()),
        MethodKind::Card => ("card", String::new(), String::new()),
    }
}

/// Paymob's spelling of a card brand (`MasterCard`, `Visa`, …).
fn brand(ours: &str) -> String {
    match ours {
        "visa" => "Visa".to_owned(),
        "mastercard" => "MasterCard".to_owned(),
        "amex" => "American Express".to_owned(),
        other => other.chars().take(1).flat_map(char::to_uppercase).chain(other.chars().skip(1)).collect(),
    }
}

/// A value as the `hmac` and the query write it: strings bare, booleans `true` / `false`,
/// numbers in decimal, null empty.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The transaction of `payment` on its QuickLink `link`, numbered on first need (one write);
/// `success` is the outcome announced (the payment's own state when `None`).
async fn transaction(ctx: &Ctx, link: &Link, payment: &Payment, success: Option<bool>) -> Option<Transaction> {
    let link_number = link.dialect_ref.as_deref().and_then(|r| r.parse::<i64>().ok())?;
    let number = subjects::payment_number(ctx, &payment.id, super::TRANSACTION_COUNTER).await.ok()?;
    let success = success.unwrap_or(payment.status == PaymentStatus::Succeeded);
    Some(Transaction::new(link, link_number, payment, number, success, ctx.config.public_base()))
}

/// `url` with `pairs` appended to its query (`?` or `&`).
fn with_query(url: &str, pairs: &[(String, String)]) -> String {
    let query = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{query}")
}

/// The callback request of a claimed Paymob delivery, signed with `secret` (the store's HMAC
/// secret), or why it cannot be built.
pub async fn request(ctx: &Ctx, d: &Delivery, url: String, secret: &str) -> Result<OutboundRequest, &'static str> {
    let success = d.event.kind == EventType::PaymentSucceeded;
    let (link, payment) = subjects::payment_with_link(ctx, d).await.ok().flatten().ok_or("transaction_not_found")?;
    let t = transaction(ctx, &link, &payment, Some(success)).await.ok_or("transaction_not_found")?;
    // `type` first, as Paymob sends it.
    #[derive(serde::Serialize)]
    struct Body<'a> {
        #[serde(rename = "type")]
        kind: &'static str,
        obj: &'a Value,
    }
    let body = Body { kind: "TRANSACTION", obj: t.obj() };
    Ok(OutboundRequest {
        url: with_query(&url, &[("hmac".to_owned(), t.hmac(secret))]),
        headers: Vec::new(),
        body: serde_json::to_vec(&body).unwrap_or_default(),
        timeout: Duration::from_secs(ctx.config.delivery.request_timeout_secs),
        max_response_bytes: ctx.config.delivery.max_response_bytes,
    })
}

/// Where the payer of a succeeded payment on a QuickLink goes: its `redirection_url` with the
/// transaction's fields and `hmac` (Paymob's response callback), or nowhere (our receipt) when
/// it has none.
pub async fn success_url(ctx: &Ctx, link: &Link, payment: &Payment) -> Option<String> {
    let target = link.success_url.clone()?;
    let secret = callbacks::store_callback_secret(ctx, &link.store_id, link.environment).await.ok()?;
    let t = transaction(ctx, link, payment, None).await?;
    Some(with_query(&target, &t.query(&secret)))
}

#[cfg(test)]
mod tests;
