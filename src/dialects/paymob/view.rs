//! A QuickLink as Paymob answers it (docs/dialects.md): an integer id, the payer under `client_info`,
//! `amount_cents` as an integer, naive (offset-less) UTC timestamps — `created_at` with
//! microseconds, `expires_at` to the second — and Paymob's state words.

use super::callback;
use crate::domain::Timestamp;
use crate::domain::link::{Link, LinkStatus};
use crate::service::link_images;
use serde::Serialize;
use utoipa::ToSchema;

/// A QuickLink.
#[derive(Serialize, ToSchema)]
pub struct QuickLinkOut {
    /// The QuickLink id (an integer above 580000); cancel it with this number.
    #[schema(example = 580010)]
    pub id: i64,
    /// ISO 4217 code (the store's currency unless the request named one).
    #[schema(example = "EGP")]
    pub currency: String,
    /// The payer as the request described them.
    pub client_info: ClientInfo,
    /// The merchant's reference, unique per store and mode.
    #[schema(example = "ABC5295296")]
    pub reference_id: Option<String>,
    /// The short URL of the payment page (`/l/{code}`).
    pub shorten_url: String,
    /// The amount in minor units (cents).
    #[schema(example = 5500)]
    pub amount_cents: i64,
    /// Absolute URL of the uploaded image, or null.
    pub payment_link_image: Option<String>,
    /// The description shown on the payment page.
    pub description: Option<String>,
    /// Creation time, UTC without offset, with microseconds (`2026-01-17T20:12:52.282814`).
    #[schema(example = "2026-01-17T20:12:52.282814")]
    pub created_at: String,
    /// Expiry, UTC without offset (`2026-07-25T18:58:57`), or null for none.
    #[schema(example = "2026-07-25T18:58:57")]
    pub expires_at: Option<String>,
    /// The payment page (`/pay/{link id}`).
    pub client_url: String,
    /// Always 2 (created through the API).
    #[schema(example = 2)]
    pub origin: i64,
    /// Always null.
    pub merchant_staff_tag: Option<String>,
    /// `created` (open), `paid`, `canceled` or `expired`.
    #[schema(example = "created")]
    pub state: &'static str,
    /// When it was paid (naive UTC, microseconds), or null.
    pub paid_at: Option<String>,
    /// Where the payer goes after paying (with Paymob's `hmac` query).
    pub redirection_url: Option<String>,
    /// Receives the transaction-processed callback.
    pub notification_url: Option<String>,
    /// The Accept order id of the QuickLink (its id plus 450000000).
    #[schema(example = 450580010)]
    pub order: i64,
}

/// The payer of a QuickLink.
#[derive(Serialize, ToSchema)]
pub struct ClientInfo {
    /// E-mail address.
    pub email: Option<String>,
    /// First and last name, joined by a space.
    pub full_name: Option<String>,
    /// E.164 phone number.
    pub phone_number: Option<String>,
}

/// Paymob's word for a link's status.
pub fn state(status: LinkStatus) -> &'static str {
    match status {
        LinkStatus::Open => "created",
        LinkStatus::Paid => "paid",
        LinkStatus::Cancelled => "canceled",
        LinkStatus::Expired => "expired",
    }
}

/// `YYYY-MM-DDTHH:MM:SS.ffffff`, UTC without offset.
pub fn naive_micros(t: Timestamp) -> String {
    format!("{}.{:06}", naive_seconds(t), t.micros().rem_euclid(1_000_000))
}

/// `YYYY-MM-DDTHH:MM:SS`, UTC without offset.
pub fn naive_seconds(t: Timestamp) -> String {
    let text = t.to_rfc3339();
    text.get(..19).unwrap_or(&text).to_owned()
}

/// The QuickLink number of a Paymob link (its `dialect_ref`).
pub fn number(link: &Link) -> i64 {
    link.dialect_ref.as_deref().and_then(|r| r.parse().ok()).unwrap_or_default()
}

impl QuickLinkOut {
    /// The view of `link` at `now`, with URLs under `base`.
    pub fn new(link: &Link, now: Timestamp, base: &str) -> Self {
        let c = &link.customer;
        let status = link.status_at(now);
        let id = number(link);
        QuickLinkOut {
            id,
            currency: link.amount.currency().code().to_owned(),
            client_info: ClientInfo { email: c.email.clone(), full_name: c.full_name(), phone_number: c.phone.clone() },
            reference_id: link.reference_id.clone(),
            shorten_url: format!("{base}/l/{}", link.short_code),
            amount_cents: link.amount.minor(),
            payment_link_image: link.image_id.as_deref().map(|i| format!("{base}{}", link_images::image_path(i))),
            description: link.description.clone(),
            created_at: naive_micros(link.created_at),
            expires_at: link.expires_at.map(naive_seconds),
            client_url: format!("{base}/pay/{}", link.id),
            origin: 2,
            merchant_staff_tag: None,
            state: state(status),
            paid_at: (status == LinkStatus::Paid).then(|| naive_micros(link.updated_at)),
            redirection_url: link.success_url.clone(),
            notification_url: link.callback_url.clone(),
            order: callback::order_id(id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_naive_utc_as_paymob_writes_them() {
        let t = Timestamp::parse_rfc3339("2026-01-17T20:12:52.282814Z").unwrap();
        assert_eq!(naive_micros(t), "2026-01-17T20:12:52.282814");
        assert_eq!(naive_seconds(t), "2026-01-17T20:12:52");
        let whole = Timestamp::parse_rfc3339("2026-07-25T18:58:57Z").unwrap();
        assert_eq!(naive_micros(whole), "2026-07-25T18:58:57.000000");
        assert_eq!(naive_seconds(whole), "2026-07-25T18:58:57");
    }
}
