//! A payment as the API (and its events) show it.

use crate::domain::Environment;
use crate::domain::Timestamp;
use crate::domain::method::MethodKind;
use crate::domain::payment::{NextAction, OfflineMethod, Payment, PaymentStatus};
use serde::Serialize;
use utoipa::ToSchema;

/// The card a payment used: never more than brand and last 4.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CardOut {
    /// `visa`, `mastercard`, `amex`, `unionpay` or `card`.
    pub brand: String,
    /// Last four digits.
    pub last4: String,
}

/// Who paid, as they identified themselves on the page.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PayerOut {
    /// Name.
    pub name: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// E.164 phone number.
    pub phone: Option<String>,
    /// Postal address (line1, line2, city, region, postal_code, country), when the link asked.
    #[schema(value_type = Option<Object>)]
    pub address: Option<Box<serde_json::value::RawValue>>,
}

/// Why a payment failed.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct FailureOut {
    /// Stable code: `card_declined`, `insufficient_funds`, `expired_card`, `otp_failed`, `timeout`,
    /// `link_expired`, … (see docs/errors.md).
    pub code: String,
    /// A sentence for people.
    pub message: String,
}

/// One attempt to pay a link.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PaymentOut {
    /// Payment id (`pay_…`).
    pub id: String,
    /// Always `payment`.
    pub object: &'static str,
    /// The link it pays.
    pub payment_link_id: String,
    /// `pending`, `requires_action`, `succeeded`, `failed` or `cancelled`.
    pub status: PaymentStatus,
    /// What the payer must do while `requires_action`: `otp` or `approve_on_phone`.
    pub next_action: Option<NextAction>,
    /// `sandbox` or `production`.
    pub environment: Environment,
    /// Amount as a decimal string (`"299.99"`).
    pub amount: String,
    /// Amount in minor units.
    pub amount_minor: i64,
    /// ISO 4217 code.
    pub currency: String,
    /// `card`, `mobile_money`, `installments` or `cash`.
    pub method: MethodKind,
    /// The payment method (integration) id.
    pub payment_method_id: i64,
    /// Months of an installment plan.
    pub installments: Option<i64>,
    /// The connector that carried it, and its reference.
    pub connector: String,
    /// The connector's reference for the charge.
    pub connector_reference: Option<String>,
    /// Card brand and last 4, for card payments.
    pub card: Option<CardOut>,
    /// Why it failed.
    pub failure: Option<FailureOut>,
    /// The payer.
    pub payer: PayerOut,
    /// Branch of the link.
    pub branch_id: Option<String>,
    /// Printable receipt (once succeeded).
    pub receipt_url: Option<String>,
    /// Creation time (RFC 3339).
    pub created_at: String,
    /// Last change (RFC 3339).
    pub updated_at: String,
    /// When it reached its final status.
    pub completed_at: Option<String>,
    /// Amount given back by succeeded refunds, minor units.
    pub refunded_minor: i64,
    /// Amount held by live refunds (pending approval, approved or succeeded), minor units; never
    /// more than `amount_minor`.
    pub refund_reserved_minor: i64,
    /// For a payment recorded at the branch: how it was taken, and by whom.
    pub offline: Option<OfflineOut>,
}

/// A payment taken at the branch.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OfflineOut {
    /// `cash` or `card_terminal`.
    pub method: OfflineMethod,
    /// The card terminal's id.
    pub terminal_id: Option<String>,
    /// The paper receipt's number.
    pub receipt_number: Option<String>,
    /// The staff member's note.
    pub note: Option<String>,
    /// Who recorded it (user or key id).
    pub recorded_by: String,
    /// Their branch.
    pub recorded_branch_id: Option<String>,
}

impl PaymentOut {
    /// The view of `p`, with URLs under `public_base`.
    pub fn new(p: &Payment, public_base: &str) -> Self {
        PaymentOut {
            id: p.id.to_string(),
            object: "payment",
            payment_link_id: p.link_id.to_string(),
            status: p.status,
            next_action: p.next_action,
            environment: p.environment,
            amount: p.amount.to_canonical(),
            amount_minor: p.amount.minor(),
            currency: p.amount.currency().code().to_owned(),
            method: p.method,
            payment_method_id: p.method_id,
            installments: p.installments,
            connector: p.connector.clone(),
            connector_reference: p.connector_ref.clone(),
            card: p.card.as_ref().map(|c| CardOut { brand: c.brand.clone(), last4: c.last4.clone() }),
            failure: p.failure.as_ref().map(|f| FailureOut { code: f.code.clone(), message: f.message.clone() }),
            payer: PayerOut {
                name: p.payer.name.clone(),
                email: p.payer.email.clone(),
                phone: p.payer.phone.clone(),
                address: p.payer.address.clone().and_then(|a| serde_json::value::RawValue::from_string(a).ok()),
            },
            branch_id: p.branch_id.as_ref().map(|b| b.to_string()),
            receipt_url: p.is_paid().then(|| format!("{public_base}/receipts/{}", p.id)),
            created_at: p.created_at.to_rfc3339(),
            updated_at: p.updated_at.to_rfc3339(),
            completed_at: p.completed_at.map(Timestamp::to_rfc3339),
            refunded_minor: p.refunded_minor,
            refund_reserved_minor: p.refund_reserved_minor,
            offline: p.offline.as_ref().map(|o| OfflineOut {
                method: o.method,
                terminal_id: o.terminal_id.clone(),
                receipt_number: o.receipt_number.clone(),
                note: o.note.clone(),
                recorded_by: o.recorded_by.clone(),
                recorded_branch_id: o.recorded_branch_id.as_ref().map(ToString::to_string),
            }),
        }
    }
}
