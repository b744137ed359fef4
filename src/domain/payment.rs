//! Payments: one attempt to pay a link. The status machine and what is kept of the payer and the
//! instrument (never a card number or CVV: brand and last 4 only). How many attempts a link admits
//! is enforced by the claim in `store::payments` and a CHECK constraint.

use super::id::{BranchId, LinkId, PaymentId, StoreId};
use super::method::MethodKind;
use super::money::Money;
use super::{Environment, Timestamp};

/// `pending` → `requires_action` → `succeeded` | `failed` | `cancelled`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    /// Started; the connector has not answered with a final outcome yet.
    Pending,
    /// Waiting for the payer (an OTP, an approval on the phone).
    RequiresAction,
    Succeeded,
    Failed,
    Cancelled,
}

impl PaymentStatus {
    const ALL: [PaymentStatus; 5] = [
        PaymentStatus::Pending,
        PaymentStatus::RequiresAction,
        PaymentStatus::Succeeded,
        PaymentStatus::Failed,
        PaymentStatus::Cancelled,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::Pending => "pending",
            PaymentStatus::RequiresAction => "requires_action",
            PaymentStatus::Succeeded => "succeeded",
            PaymentStatus::Failed => "failed",
            PaymentStatus::Cancelled => "cancelled",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Whether the outcome is still open (the attempt holds its claim on the link).
    pub fn is_unresolved(self) -> bool {
        matches!(self, PaymentStatus::Pending | PaymentStatus::RequiresAction)
    }
}

/// What the payer must do to move a `requires_action` payment on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NextAction {
    /// Enter the one-time code the card issuer sent.
    Otp,
    /// Approve the payment on the phone (mobile money).
    ApproveOnPhone,
}

impl NextAction {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            NextAction::Otp => "otp",
            NextAction::ApproveOnPhone => "approve_on_phone",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [NextAction::Otp, NextAction::ApproveOnPhone].into_iter().find(|a| a.as_str() == s)
    }
}

/// The payer as they identified themselves on the page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Payer {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// A postal address as a JSON object (line1, line2, city, region, postal_code, country).
    pub address: Option<String>,
}

/// What is kept of a card: never the number, never the CVV.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardSummary {
    pub brand: String,
    pub last4: String,
}

/// Why a payment failed: a stable code and a sentence for the payer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub code: String,
    pub message: String,
    /// Whether it counts as a decline for the card-testing guard.
    pub decline: bool,
}

/// One attempt to pay a link, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payment {
    pub id: PaymentId,
    pub link_id: LinkId,
    pub store_id: StoreId,
    pub environment: Environment,
    /// The link's branch and creator, copied so payments share the links' role scope.
    pub branch_id: Option<BranchId>,
    pub link_created_by: String,
    pub method_id: i64,
    pub method: MethodKind,
    pub connector: String,
    pub status: PaymentStatus,
    pub amount: Money,
    /// Number of monthly installments, for an installment plan.
    pub installments: Option<i64>,
    pub next_action: Option<NextAction>,
    pub connector_ref: Option<String>,
    pub failure: Option<Failure>,
    pub card: Option<CardSummary>,
    pub payer: Payer,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub completed_at: Option<Timestamp>,
    /// The sum of its live refunds (pending approval, approved, succeeded), minor units.
    pub refund_reserved_minor: i64,
    /// What its succeeded refunds gave back, minor units.
    pub refunded_minor: i64,
    /// How a payment recorded at the branch was taken (`None` for payments made online).
    pub offline: Option<Offline>,
}

/// How a payment recorded at the branch was taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OfflineMethod {
    Cash,
    CardTerminal,
}

impl OfflineMethod {
    /// The stored and shown name.
    pub fn as_str(self) -> &'static str {
        match self {
            OfflineMethod::Cash => "cash",
            OfflineMethod::CardTerminal => "card_terminal",
        }
    }

    /// Parses the name.
    pub fn parse(s: &str) -> Option<OfflineMethod> {
        [OfflineMethod::Cash, OfflineMethod::CardTerminal].into_iter().find(|m| m.as_str() == s)
    }

    /// The payment-method kind it is recorded under.
    pub fn kind(self) -> MethodKind {
        match self {
            OfflineMethod::Cash => MethodKind::Cash,
            OfflineMethod::CardTerminal => MethodKind::Card,
        }
    }
}

/// The record of a payment taken at the branch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Offline {
    pub method: OfflineMethod,
    pub terminal_id: Option<String>,
    pub receipt_number: Option<String>,
    pub note: Option<String>,
    /// The staff member (user or key) who recorded it, and their branch.
    pub recorded_by: String,
    pub recorded_branch_id: Option<BranchId>,
}

impl Payment {
    /// Whether the receipt may be shown (the money moved).
    pub fn is_paid(&self) -> bool {
        self.status == PaymentStatus::Succeeded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_through_their_stored_names() {
        for st in PaymentStatus::ALL {
            assert_eq!(PaymentStatus::parse(st.as_str()), Some(st));
        }
        assert_eq!(PaymentStatus::parse("paid"), None);
    }
}
