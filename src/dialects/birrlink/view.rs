//! A BirrLink payment is a Paylink payment link: its id is `pay_` + the link id's ULID body
//! (`plink_01J…` ⇄ `pay_01J…`, no mapping table), its `transaction_id` is `txn_` + the ULID body
//! of the payment attempt that paid it. (A native payment attempt's own `pay_…` id names no
//! link, so BirrLink answers it 404.) Statuses, from the link and its latest attempt:
//!
//! | link | latest attempt | BirrLink `status` |
//! |---|---|---|
//! | open | none, pending, waiting, succeeded, cancelled | `pending` |
//! | open | failed | `failed` with `failure_code` (still payable: a new attempt makes it `pending`) |
//! | paid | — | `completed` with `transaction_id`, `completed_at` |
//! | cancelled | — | `cancelled` |
//! | expired | — | `cancelled` with `cancellation_reason: "expired"` |

use super::refund_view::{amount, payment_id, time};
use crate::domain::Timestamp;
use crate::domain::link::{Link, LinkStatus};
use crate::domain::method::MethodKind;
use crate::domain::payment::{Payment, PaymentStatus};
use serde::Serialize;
use serde_json::value::RawValue;
use utoipa::ToSchema;

/// A payment as `GET /payments/{id}` shows it (and webhooks carry it).
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentData {
    /// `pay_…`.
    #[schema(example = "pay_01JD8X3V9Q2W5E7R9T1Y3U5I7O")]
    pub id: String,
    /// `pending`, `completed`, `failed` or `cancelled`.
    #[schema(example = "completed")]
    pub status: &'static str,
    /// Why a `cancelled` payment ended when it was not cancelled on purpose: `expired`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancellation_reason: Option<&'static str>,
    /// Why the latest attempt of a `failed` payment failed (`insufficient_funds`, `payment_rejected`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure_code: Option<String>,
    /// The amount in major units with the currency's decimals.
    #[schema(value_type = f64, example = 100.00)]
    pub amount: Box<RawValue>,
    /// ISO 4217 code.
    #[schema(example = "ETB")]
    pub currency: String,
    /// The customer, as far as known (absent fields omitted).
    #[serde(skip_serializing_if = "CustomerData::is_empty")]
    pub customer: CustomerData,
    /// What the payment is for.
    pub description: String,
    /// The transaction that paid it (`txn_…`), once `completed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<String>,
    /// `mobile_money`, `card` or `installments`: how it was paid, or the kind it is limited to;
    /// null when any method goes.
    pub payment_method: Option<&'static str>,
    /// The payment page.
    pub payment_link: String,
    /// Your key-value data.
    #[schema(value_type = Object)]
    pub metadata: serde_json::Value,
    /// When it stops being payable (null: never).
    pub expires_at: Option<String>,
    /// ISO 8601, UTC, to the second.
    pub created_at: String,
    /// When it was paid, once `completed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<String>,
}

/// The customer of a payment.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct CustomerData {
    /// E-mail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone, E.164.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Full name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl CustomerData {
    fn is_empty(&self) -> bool {
        self.email.is_none() && self.phone.is_none() && self.name.is_none()
    }

    fn of(link: &Link) -> Self {
        let c = &link.customer;
        CustomerData { email: c.email.clone(), phone: c.phone.clone(), name: c.full_name() }
    }
}

/// A payment as `POST /payments` answers it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedData {
    /// `pay_…`.
    #[schema(example = "pay_01JD8X3V9Q2W5E7R9T1Y3U5I7O")]
    pub id: String,
    /// Always `pending` on creation.
    #[schema(example = "pending")]
    pub status: &'static str,
    /// The amount in major units with the currency's decimals.
    #[schema(value_type = f64, example = 100.00)]
    pub amount: Box<RawValue>,
    /// ISO 4217 code.
    #[schema(example = "ETB")]
    pub currency: String,
    /// The `payment_method` asked for, or null.
    #[schema(example = "mobile_money")]
    pub payment_method: Option<&'static str>,
    /// The payment page to send the customer to.
    pub payment_link: String,
    /// The payment page as a QR code: `data:image/png;base64,…`.
    pub qr_code: String,
    /// When it stops being payable (default: one hour after creation).
    pub expires_at: Option<String>,
    /// ISO 8601, UTC, to the second.
    pub created_at: String,
}

/// A payment in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentSummary {
    /// `pay_…`.
    pub id: String,
    /// `pending`, `completed`, `failed` or `cancelled`.
    pub status: &'static str,
    /// The amount in major units with the currency's decimals.
    #[schema(value_type = f64, example = 100.00)]
    pub amount: Box<RawValue>,
    /// ISO 4217 code.
    pub currency: String,
    /// What the payment is for.
    pub description: String,
    /// ISO 8601, UTC, to the second.
    pub created_at: String,
}

/// BirrLink's word for a method kind.
pub fn method_word(kind: MethodKind) -> &'static str {
    match kind {
        MethodKind::Card => "card",
        MethodKind::MobileMoney => "mobile_money",
        MethodKind::Installments => "installments",
        MethodKind::Cash => "cash",
    }
}

/// The method kind a BirrLink word names (`cash` is not one a payer can choose online).
pub fn method_of_word(word: &str) -> Option<MethodKind> {
    MethodKind::ONLINE.into_iter().find(|k| method_word(*k) == word)
}

/// The payment page of a link.
pub fn page_url(base: &str, link: &Link) -> String {
    format!("{base}/pay/{}", link.id.as_str())
}

/// `txn_X` for the payment attempt `pay_X`.
pub fn transaction_id(p: &Payment) -> String {
    let id = p.id.as_str();
    format!("txn_{}", id.rsplit_once('_').map_or(id, |(_, body)| body))
}

/// A status as BirrLink shows it (see the module doc).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    pub word: &'static str,
    pub cancellation_reason: Option<&'static str>,
    pub failure_code: Option<String>,
}

/// The latest attempt of a link (by creation, then id).
pub fn latest(payments: &[Payment]) -> Option<&Payment> {
    payments.iter().max_by(|a, b| (a.created_at, a.id.as_str()).cmp(&(b.created_at, b.id.as_str())))
}

/// The BirrLink status of `link` at `now`, given its latest attempt.
pub fn status(link: &Link, latest: Option<&Payment>, now: Timestamp) -> Status {
    let plain = |word| Status { word, cancellation_reason: None, failure_code: None };
    match link.status_at(now) {
        LinkStatus::Paid => plain("completed"),
        LinkStatus::Cancelled => plain("cancelled"),
        LinkStatus::Expired => Status { cancellation_reason: Some("expired"), ..plain("cancelled") },
        LinkStatus::Open => match latest.filter(|p| p.status == PaymentStatus::Failed) {
            Some(p) => Status { failure_code: p.failure.as_ref().map(|f| f.code.clone()), ..plain("failed") },
            None => plain("pending"),
        },
    }
}

/// What `description` shows: the link's description, else its title.
fn description(link: &Link) -> String {
    link.description.clone().unwrap_or_else(|| link.title.clone())
}

impl PaymentData {
    /// The payment object of `link` with its attempts; `limited_to` is the method kind the link
    /// is limited to, if one.
    pub fn of(link: &Link, payments: &[Payment], limited_to: Option<MethodKind>, now: Timestamp, base: &str) -> Self {
        let status = status(link, latest(payments), now);
        let paid_by = (status.word == "completed")
            .then(|| payments.iter().filter(|p| p.status == PaymentStatus::Succeeded).max_by_key(|p| p.created_at))
            .flatten();
        PaymentData {
            id: payment_id(&link.id),
            status: status.word,
            cancellation_reason: status.cancellation_reason,
            failure_code: status.failure_code,
            amount: amount(link.amount),
            currency: link.amount.currency().code().to_owned(),
            customer: CustomerData::of(link),
            description: description(link),
            transaction_id: paid_by.map(transaction_id),
            payment_method: paid_by.map(|p| p.method).or(limited_to).map(method_word),
            payment_link: page_url(base, link),
            metadata: serde_json::from_str(&link.metadata).unwrap_or_else(|_| serde_json::json!({})),
            expires_at: link.expires_at.map(time),
            created_at: time(link.created_at),
            completed_at: paid_by.map(|p| time(p.completed_at.unwrap_or(p.updated_at))),
        }
    }
}

impl CreatedData {
    /// The create answer for a new link.
    pub fn of(link: &Link, payment_method: Option<MethodKind>, base: &str) -> Self {
        let payment_link = page_url(base, link);
        CreatedData {
            id: payment_id(&link.id),
            status: "pending",
            amount: amount(link.amount),
            currency: link.amount.currency().code().to_owned(),
            payment_method: payment_method.map(method_word),
            qr_code: crate::web::png::data_url(&payment_link).unwrap_or_default(),
            payment_link,
            expires_at: link.expires_at.map(time),
            created_at: time(link.created_at),
        }
    }
}

impl PaymentSummary {
    /// A list row for `link`, given its latest attempt.
    pub fn of(link: &Link, latest: Option<&Payment>, now: Timestamp) -> Self {
        PaymentSummary {
            id: payment_id(&link.id),
            status: status(link, latest, now).word,
            amount: amount(link.amount),
            currency: link.amount.currency().code().to_owned(),
            description: description(link),
            created_at: time(link.created_at),
        }
    }
}
