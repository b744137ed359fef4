//! Where a payer goes back to the merchant: the link's success or cancel URL with a signed query,
//! or, for a link a dialect made, wherever that dialect sends a payer who has paid.

use crate::domain::link::Link;
use crate::domain::payment::Payment;
use crate::service::{Ctx, secrets};

/// Where the payer goes back to the merchant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Return {
    Success,
    Cancel,
}

/// The link's success or cancel URL with `link_id`, `payment_id`, `status`, `reference`,
/// `timestamp` and `signature` (hex HMAC-SHA256 keyed with the link's secret over
/// `link_id.payment_id.status.reference.timestamp`); `None` when the link has no such URL.
pub fn return_url(ctx: &Ctx, link: &Link, payment: Option<&Payment>, outcome: Return) -> Option<String> {
    let target = match outcome {
        Return::Success => link.success_url.as_deref()?,
        Return::Cancel => link.cancel_url.as_deref()?,
    };
    let status = match (outcome, payment) {
        (_, Some(p)) => p.status.as_str(),
        (Return::Success, None) => "succeeded",
        (Return::Cancel, None) => "cancelled",
    };
    let payment_id = payment.map_or("", |p| p.id.as_str());
    let reference = link.reference_id.as_deref().unwrap_or("");
    let timestamp = ctx.clock.now().micros() / 1_000_000;
    let signed = format!("{}.{payment_id}.{status}.{reference}.{timestamp}", link.id);
    let signature = secrets::hmac_hex(link.secret.as_bytes(), signed.as_bytes());
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("link_id", link.id.as_str())
        .append_pair("payment_id", payment_id)
        .append_pair("status", status)
        .append_pair("reference", reference)
        .append_pair("timestamp", &timestamp.to_string())
        .append_pair("signature", &signature)
        .finish();
    let sep = if target.contains('?') { '&' } else { '?' };
    Some(format!("{target}{sep}{query}"))
}

/// Where the payer of the succeeded `payment` goes: the dialect's redirect for a link a dialect
/// made (when it decides one), else the link's signed success URL; `None`: to the receipt.
pub async fn success_redirect(ctx: &Ctx, link: &Link, payment: &Payment) -> Option<String> {
    let dialect = link.dialect.as_ref().and_then(|name| ctx.dialects.get(name));
    match dialect.and_then(|d| d.success_redirect(ctx, link, payment)) {
        Some(decided) => decided.await,
        None => return_url(ctx, link, Some(payment), Return::Success),
    }
}
