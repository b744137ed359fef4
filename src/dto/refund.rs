//! A refund as the API (and its events) show it.

use crate::domain::Environment;
use crate::domain::refund::{Refund, RefundKind, RefundStatus};
use crate::domain::{Timestamp, access::Role};
use serde::Serialize;
use utoipa::ToSchema;

/// Money going back to a payer: requested by one person, decided by another.
#[derive(Serialize, ToSchema)]
pub struct RefundOut {
    /// Refund id (`re_…`).
    pub id: String,
    /// Always `refund`.
    pub object: &'static str,
    /// The refunded payment.
    pub payment_id: String,
    /// The payment's link.
    pub payment_link_id: String,
    /// `pending_approval`, `approved`, `rejected`, `succeeded` or `failed`.
    pub status: RefundStatus,
    /// `connector` (back through the payment's provider) or `cash` (handed back at the counter).
    pub kind: RefundKind,
    /// `sandbox` or `production`.
    pub environment: Environment,
    /// Amount as a decimal string in the currency's precision.
    pub amount: String,
    /// Amount in minor units.
    pub amount_minor: i64,
    /// ISO 4217 code.
    pub currency: String,
    /// Why the money goes back.
    pub reason: Option<String>,
    /// The merchant's own data.
    #[schema(value_type = Object)]
    pub metadata: serde_json::Value,
    /// Who asked (user or key id) and their role then.
    pub requested_by: String,
    /// The requester's role.
    pub requested_role: Role,
    /// Who approved or rejected (`policy` when approved automatically below the threshold).
    pub decided_by: Option<String>,
    /// The approver's or rejecter's note.
    pub decision_note: Option<String>,
    /// Whether the store's policy approved it (below the auto-approval threshold).
    pub auto_approved: bool,
    /// The provider's reference for the refund.
    pub connector_reference: Option<String>,
    /// Why it failed (`refund_refused`, …).
    pub failure_code: Option<String>,
    /// The provider's message.
    pub failure_message: Option<String>,
    /// The link's branch.
    pub branch_id: Option<String>,
    /// Creation time.
    pub created_at: String,
    /// When it was approved or rejected.
    pub decided_at: Option<String>,
    /// When it succeeded or failed.
    pub completed_at: Option<String>,
}

impl From<&Refund> for RefundOut {
    fn from(r: &Refund) -> Self {
        RefundOut {
            id: r.id.to_string(),
            object: "refund",
            payment_id: r.payment_id.to_string(),
            payment_link_id: r.link_id.to_string(),
            status: r.status,
            kind: r.kind,
            environment: r.environment,
            amount: r.amount.to_canonical(),
            amount_minor: r.amount.minor(),
            currency: r.amount.currency().code().to_owned(),
            reason: r.reason.clone(),
            metadata: serde_json::from_str(&r.metadata).unwrap_or_default(),
            requested_by: r.requested_by.clone(),
            requested_role: r.requested_role,
            decided_by: r.decided_by.clone(),
            decision_note: r.decision_note.clone(),
            auto_approved: r.auto_approved,
            connector_reference: r.connector_ref.clone(),
            failure_code: r.failure_code.clone(),
            failure_message: r.failure_message.clone(),
            branch_id: r.branch_id.as_ref().map(ToString::to_string),
            created_at: r.created_at.to_rfc3339(),
            decided_at: r.decided_at.map(Timestamp::to_rfc3339),
            completed_at: r.completed_at.map(Timestamp::to_rfc3339),
        }
    }
}
