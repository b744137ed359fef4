//! How Amwal shows a payment link and its transactions (docs/dialects.md, "Details – response"): UUID
//! ids, amounts as strings with five decimals, status words `Unpaid` / `Paid` / `Expired`, times
//! in ISO 8601 with an offset and microseconds, and the merchant, branch and creator fields its
//! role rules are about.

use super::words::{link_status, payment_option};
use crate::dialects::amwal::callback::client_names;
use crate::domain::Timestamp;
use crate::domain::access::Role;
use crate::domain::id::uuid_of;
use crate::domain::link::{Link, LinkStatus};
use crate::domain::money::{Currency, Money};
use crate::domain::payment::{Payment, PaymentStatus};
use crate::service::links::labels::Labels;
use serde::Serialize;
use serde_json::value::RawValue;
use utoipa::ToSchema;

/// A payment link (payment session) as Amwal shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentLinkOut {
    /// The link's UUID.
    pub id: String,
    /// The same link's native Paylink id (`plink_…`), for `/v1`.
    pub paylink_id: String,
    /// The UUID again (seed 000's name for it).
    pub payment_session_id: String,
    /// Amount with five decimals (`"299.99000"`).
    pub amount: String,
    /// ISO 4217 code (the store's currency).
    pub currency: String,
    /// Title shown to the payer.
    pub title: String,
    /// Description shown to the payer.
    pub description: Option<String>,
    /// Whether the link takes one payment only.
    pub single_use: bool,
    /// False once the link was cancelled (disabled).
    pub enabled: bool,
    /// When the link stops accepting payments, or null for never.
    pub expiry_date: Option<String>,
    /// Creation time (`2025-01-28T12:40:29.030109+00:00`).
    pub created_at: String,
    /// `Unpaid`, `Paid` or `Expired` (a cancelled link reads `Expired`).
    pub status: &'static str,
    /// Whether the link can no longer be paid because it expired or was cancelled.
    pub is_expired: bool,
    /// The payment page (`{base}/payment-link/{uuid}`).
    pub url: String,
    /// The store's name.
    pub merchant_business_name: String,
    /// The store's name (Paylink keeps one name per store).
    pub merchant_english_business_name: String,
    /// Two-letter country of the store's currency (`SA` for SAR), or null.
    pub merchant_country_code: Option<&'static str>,
    /// The merchant account's id (`mer_…`).
    pub merchant_id: String,
    /// The creating user's name, or the creating service key's id.
    pub created_by_username: String,
    /// The creating user's e-mail (null for a service key).
    pub created_by_email: Option<String>,
    /// The branch's code (`RIYADH-001`), or null for an online link.
    pub branch: Option<String>,
    /// The branch's name.
    pub branch_name: Option<String>,
    /// Always null (Paylink has no POS terminals).
    pub terminal_id: Option<String>,
    /// The creator's id when a CASHIER created the link, else null.
    pub cashier_id: Option<String>,
    /// Always null (Paylink has no POS sessions).
    pub pos_session_id: Option<String>,
    /// The customer's e-mail.
    pub client_email: Option<String>,
    /// The customer's phone (E.164).
    pub client_phone_number: Option<String>,
    /// The customer's first name.
    pub client_first_name: Option<String>,
    /// The customer's last name.
    pub client_last_name: Option<String>,
    /// The merchant's order id.
    pub order_id: Option<String>,
    /// Payment page language: `ar` or `en`.
    pub language: &'static str,
    /// Whether the link was sent by SMS.
    pub send_sms: bool,
    /// Whether the payer must give an address.
    pub address_required: bool,
    /// Receives signed payment callbacks.
    pub callback_url: Option<String>,
    /// The merchant's key-value data.
    #[schema(value_type = Object)]
    pub metadata: Box<RawValue>,
    /// Paid so far, five decimals.
    pub amount_paid: String,
    /// Succeeded payments so far.
    pub payments_count: i64,
}

/// One attempt to pay a link, as Amwal shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TransactionOut {
    /// The payment's UUID (the callbacks' `transaction_id`; refund it by this id).
    pub id: String,
    /// The payment's native Paylink id (`pay_…`).
    pub paylink_id: String,
    /// Amount with five decimals.
    pub amount: String,
    /// ISO 4217 code.
    pub currency: String,
    /// `success`, `failed`, `pending` or `cancelled`.
    pub status: &'static str,
    /// `Pay In Full` or `Pay In N Installments`.
    pub payment_option: String,
    /// When the attempt started.
    pub created_at: String,
    /// When it succeeded or failed, or null.
    pub completed_at: Option<String>,
    /// Card brand, for card payments.
    pub card_brand: Option<String>,
    /// Last four digits, for card payments.
    pub card_last_4_digits: Option<String>,
    /// The client's first name (the link's, else the payer's).
    pub client_first_name: Option<String>,
    /// The client's last name.
    pub client_last_name: Option<String>,
    /// What succeeded refunds gave back, five decimals.
    pub refunded_amount: String,
}

/// Time as Amwal's backend (Django) writes it: offset `+00:00` and six fraction digits.
pub fn amwal_time(t: Timestamp) -> String {
    let utc = t.to_rfc3339();
    let plain = utc.trim_end_matches('Z');
    if plain.contains('.') { format!("{plain}+00:00") } else { format!("{plain}.000000+00:00") }
}

/// The country a store's currency belongs to (Paylink stores have a currency, not a country).
pub fn country_code(currency: Currency) -> Option<&'static str> {
    const COUNTRIES: [(&str, &str); 9] = [
        ("SAR", "SA"),
        ("AED", "AE"),
        ("EGP", "EG"),
        ("ETB", "ET"),
        ("KWD", "KW"),
        ("BHD", "BH"),
        ("OMR", "OM"),
        ("QAR", "QA"),
        ("JOD", "JO"),
    ];
    COUNTRIES.iter().find(|(code, _)| *code == currency.code()).map(|(_, country)| *country)
}

fn five(minor: i64, currency: Currency) -> String {
    Money::from_minor(minor, currency).to_decimal(5)
}

/// The hosted page's Amwal address.
pub fn page_url(base: &str, uuid: &str) -> String {
    format!("{base}/payment-link/{uuid}")
}

/// The Amwal view of `link` at `now`; `labels` name its store, branch and creator.
pub fn payment_link(link: Link, labels: &Labels, merchant_id: &str, now: Timestamp, base: &str) -> PaymentLinkOut {
    let uuid = uuid_of(link.id.as_str()).unwrap_or_default();
    let status = link.status_at(now);
    let currency = link.amount.currency();
    let branch = link.branch_id.as_ref().and_then(|b| labels.branches.get(b.as_str()));
    let creator = labels.creators.get(&link.created_by);
    let is_cashier = creator.is_some_and(|c| c.role == Some(Role::Cashier));
    PaymentLinkOut {
        id: uuid.clone(),
        paylink_id: link.id.to_string(),
        payment_session_id: uuid.clone(),
        amount: link.amount.to_decimal(5),
        currency: currency.code().to_owned(),
        title: link.title,
        description: link.description,
        single_use: link.single_use,
        enabled: link.status != LinkStatus::Cancelled,
        expiry_date: link.expires_at.map(amwal_time),
        created_at: amwal_time(link.created_at),
        status: link_status(status),
        is_expired: matches!(status, LinkStatus::Expired | LinkStatus::Cancelled),
        url: page_url(base, &uuid),
        merchant_business_name: labels.store_name.clone(),
        merchant_english_business_name: labels.store_name.clone(),
        merchant_country_code: country_code(currency),
        merchant_id: merchant_id.to_owned(),
        created_by_username: creator.map_or_else(|| link.created_by.clone(), |c| c.name.clone()),
        created_by_email: creator.and_then(|c| c.email.clone()),
        branch: branch.map(|b| b.code.clone()),
        branch_name: branch.map(|b| b.name.clone()),
        terminal_id: None,
        cashier_id: is_cashier.then(|| link.created_by.clone()),
        pos_session_id: None,
        client_email: link.customer.email,
        client_phone_number: link.customer.phone,
        client_first_name: link.customer.first_name,
        client_last_name: link.customer.last_name,
        order_id: link.reference_id,
        language: link.language.as_str(),
        send_sms: link.send_sms,
        address_required: link.address_required,
        callback_url: link.callback_url,
        // Stored metadata is a validated JSON object: its text passes through unparsed.
        metadata: RawValue::from_string(link.metadata)
            .unwrap_or_else(|_| RawValue::from_string("{}".into()).expect("{} is JSON")),
        amount_paid: five(link.amount_paid_minor, currency),
        payments_count: link.payments_count,
    }
}

/// Amwal's word for a payment's state.
fn transaction_status(status: PaymentStatus) -> &'static str {
    match status {
        PaymentStatus::Succeeded => "success",
        PaymentStatus::Failed => "failed",
        PaymentStatus::Pending | PaymentStatus::RequiresAction => "pending",
        PaymentStatus::Cancelled => "cancelled",
    }
}

/// The Amwal view of one payment of `link`.
pub fn transaction(p: &Payment, link: &Link) -> TransactionOut {
    // The client's names exactly as the signed callback carries them.
    let (client_first_name, client_last_name) = client_names(link, p);
    TransactionOut {
        id: uuid_of(p.id.as_str()).unwrap_or_default(),
        paylink_id: p.id.to_string(),
        amount: p.amount.to_decimal(5),
        currency: p.amount.currency().code().to_owned(),
        status: transaction_status(p.status),
        payment_option: payment_option(p.installments),
        created_at: amwal_time(p.created_at),
        completed_at: p.completed_at.map(amwal_time),
        card_brand: p.card.as_ref().map(|c| c.brand.clone()),
        card_last_4_digits: p.card.as_ref().map(|c| c.last4.clone()),
        client_first_name,
        client_last_name,
        refunded_amount: five(p.refunded_minor, p.amount.currency()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_carry_an_offset_and_six_fraction_digits() {
        let t = Timestamp::parse_rfc3339("2025-01-28T12:40:29.030109+03:00").unwrap();
        assert_eq!(amwal_time(t), "2025-01-28T09:40:29.030109+00:00");
        let whole = Timestamp::parse_rfc3339("2024-12-31T23:59:59Z").unwrap();
        assert_eq!(amwal_time(whole), "2024-12-31T23:59:59.000000+00:00");
    }

    #[test]
    fn the_country_follows_the_store_currency() {
        assert_eq!(country_code(Currency::parse("SAR").unwrap()), Some("SA"));
        assert_eq!(country_code(Currency::parse("USD").unwrap()), None);
    }
}
