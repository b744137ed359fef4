//! The payment link as the API shows it.

use crate::domain::link::{Language, Link, LinkStatus};
use crate::domain::{Environment, Timestamp};
use serde::Serialize;
use utoipa::ToSchema;

/// The payer as the merchant knows them (a copy, on the link; the customer record is
/// `CustomerOut`).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct LinkCustomerOut {
    /// E.164 phone number.
    pub phone: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
}

/// A payment link.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkOut {
    /// Link id (`plink_…`).
    pub id: String,
    /// Always `payment_link`.
    pub object: &'static str,
    /// `open`, `paid`, `expired` or `cancelled` (an open link past `expires_at` reads `expired`).
    pub status: LinkStatus,
    /// `sandbox` or `production`.
    pub environment: Environment,
    /// Amount as a decimal string with the currency's exponent (`"299.99"`).
    pub amount: String,
    /// Amount in minor units (`29999`).
    pub amount_minor: i64,
    /// ISO 4217 code.
    pub currency: String,
    /// Title shown to the payer.
    pub title: String,
    /// Longer description shown to the payer.
    pub description: Option<String>,
    /// The merchant's own reference, unique per store and environment.
    pub reference_id: Option<String>,
    /// Whether the link takes one payment only.
    pub single_use: bool,
    /// Cap on payments for a multi-use link (null: no cap).
    pub max_payments: Option<i64>,
    /// When the link stops accepting payments (RFC 3339), or null for never.
    pub expires_at: Option<String>,
    /// Prefilled payer details.
    pub customer: LinkCustomerOut,
    /// The customer (`cus_…`) the link was made for, whose record filled `customer`.
    pub customer_id: Option<String>,
    /// Payment page language: `ar` or `en`.
    pub language: Language,
    /// Whether the payer must give an address.
    pub address_required: bool,
    /// Whether Paylink sends the link by SMS.
    pub send_sms: bool,
    /// Whether Paylink sends the link by e-mail.
    pub send_email: bool,
    /// Receives this link's events.
    pub callback_url: Option<String>,
    /// Where the payer goes after paying.
    pub success_url: Option<String>,
    /// Where the payer goes after cancelling.
    pub cancel_url: Option<String>,
    /// The merchant's key-value data.
    #[schema(value_type = Object)]
    pub metadata: Box<serde_json::value::RawValue>,
    /// Branch the link belongs to.
    pub branch_id: Option<String>,
    /// User (or service key) that created it.
    pub created_by: String,
    /// Hosted payment page.
    pub url: String,
    /// Short URL of the hosted page.
    pub short_url: String,
    /// Succeeded payments so far.
    pub payments_count: i64,
    /// Amount paid so far, decimal string.
    pub amount_paid: String,
    /// Payment method ids the link accepts; null: every enabled method of the store.
    pub payment_methods: Option<Vec<i64>>,
    /// Per-link secret: the key of the signature on success / cancel redirects (see
    /// docs/hosted-page.md) and the secret some dialects' callbacks carry.
    pub secret: String,
    /// Creation time (RFC 3339).
    pub created_at: String,
    /// Last change (RFC 3339).
    pub updated_at: String,
    /// The link's payment attempts, oldest first (in the create and `GET /v1/payment_links/{id}`
    /// responses; lists, updates and events leave it out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payments: Option<Vec<crate::dto::payment::PaymentOut>>,
}

impl LinkOut {
    /// The view of `link` at time `now`, with URLs under `public_base` (copies the link).
    pub fn new(link: &Link, now: Timestamp, public_base: &str) -> Self {
        LinkOut::of(link.clone(), now, public_base)
    }

    /// The view of an owned link: its strings move into the view instead of being copied.
    pub fn of(link: Link, now: Timestamp, public_base: &str) -> Self {
        let paid = crate::domain::money::Money::from_minor(link.amount_paid_minor, link.amount.currency());
        LinkOut {
            id: link.id.to_string(),
            object: "payment_link",
            status: link.status_at(now),
            environment: link.environment,
            amount: link.amount.to_canonical(),
            amount_minor: link.amount.minor(),
            currency: link.amount.currency().code().to_owned(),
            title: link.title,
            description: link.description,
            reference_id: link.reference_id,
            single_use: link.single_use,
            max_payments: link.max_payments,
            expires_at: link.expires_at.map(Timestamp::to_rfc3339),
            customer_id: link.customer.id.map(|id| id.to_string()),
            customer: LinkCustomerOut {
                phone: link.customer.phone,
                email: link.customer.email,
                first_name: link.customer.first_name,
                last_name: link.customer.last_name,
            },
            language: link.language,
            address_required: link.address_required,
            send_sms: link.send_sms,
            send_email: link.send_email,
            callback_url: link.callback_url,
            success_url: link.success_url,
            cancel_url: link.cancel_url,
            // Stored metadata is a validated JSON object: pass its text through unparsed.
            metadata: serde_json::value::RawValue::from_string(link.metadata)
                .unwrap_or_else(|_| serde_json::value::RawValue::from_string("{}".into()).expect("{} is JSON")),
            branch_id: link.branch_id.map(|b| b.to_string()),
            created_by: link.created_by,
            url: format!("{public_base}/pay/{}", link.id),
            short_url: format!("{public_base}/l/{}", link.short_code),
            payments_count: link.payments_count,
            amount_paid: paid.to_canonical(),
            payment_methods: link.payment_methods,
            secret: link.secret,
            created_at: link.created_at.to_rfc3339(),
            updated_at: link.updated_at.to_rfc3339(),
            payments: None,
        }
    }
}
