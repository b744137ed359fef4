//! Refunds and who may decide them (maker–checker, docs/roles.md).

use super::Environment;
use super::Timestamp;
use super::access::{self, Action, Actor, Reach, Role};
use super::id::{BranchId, LinkId, PaymentId, RefundId, StoreId};
use super::money::Money;

/// Where a refund stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RefundStatus {
    PendingApproval,
    Approved,
    Rejected,
    Succeeded,
    Failed,
}

impl RefundStatus {
    /// Every status.
    pub const ALL: [RefundStatus; 5] = [
        RefundStatus::PendingApproval,
        RefundStatus::Approved,
        RefundStatus::Rejected,
        RefundStatus::Succeeded,
        RefundStatus::Failed,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            RefundStatus::PendingApproval => "pending_approval",
            RefundStatus::Approved => "approved",
            RefundStatus::Rejected => "rejected",
            RefundStatus::Succeeded => "succeeded",
            RefundStatus::Failed => "failed",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<RefundStatus> {
        RefundStatus::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// How the money goes back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RefundKind {
    /// Through the payment's connector.
    Connector,
    /// Handed back at the counter (the payment was recorded offline).
    Cash,
}

impl RefundKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            RefundKind::Connector => "connector",
            RefundKind::Cash => "cash",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<RefundKind> {
        [RefundKind::Connector, RefundKind::Cash].into_iter().find(|k| k.as_str() == s)
    }
}

/// A refund of (part of) a succeeded payment.
#[derive(Clone, Debug)]
pub struct Refund {
    pub id: RefundId,
    pub payment_id: PaymentId,
    pub link_id: LinkId,
    pub store_id: StoreId,
    pub environment: Environment,
    /// The link's branch and creator, copied so refunds share the links' role scope.
    pub branch_id: Option<BranchId>,
    pub link_created_by: String,
    pub amount: Money,
    pub reason: Option<String>,
    pub metadata: String,
    pub status: RefundStatus,
    pub kind: RefundKind,
    /// The principal (user or key) who asked, and their role then.
    pub requested_by: String,
    pub requested_role: Role,
    pub decided_by: Option<String>,
    pub decision_note: Option<String>,
    pub auto_approved: bool,
    pub connector_ref: Option<String>,
    pub failure_code: Option<String>,
    pub failure_message: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub decided_at: Option<Timestamp>,
    pub completed_at: Option<Timestamp>,
}

/// The store's refund policy, in the store currency's minor units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    /// Refunds below this are approved at once when the requester's role may approve them.
    pub auto_approve_below: i64,
    /// A SUPERVISOR approves refunds of their branch up to this amount.
    pub supervisor_limit: i64,
}

/// Why an actor may not decide a refund (each answers 403 with its own code).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The role never decides refunds.
    Role,
    /// The actor asked for this refund.
    OwnRefund,
    /// Above the store's supervisor limit.
    OverLimit,
}

/// Whether `actor` may approve or reject a refund of `amount` on an object of `branch` (scope
/// has been checked already: a supervisor only sees their branch). `requested_by` is `None`
/// when judging the requester's own role for auto-approval.
pub fn may_decide(actor: &Actor, amount: i64, policy: Policy, requested_by: Option<&str>) -> Result<(), Refusal> {
    let limit_ok = match access::reach(actor.role, Action::DecideRefund) {
        Reach::None | Reach::Own => return Err(Refusal::Role),
        Reach::All => true,
        Reach::Branch => amount <= policy.supervisor_limit,
    };
    if requested_by.is_some_and(|who| who == actor.principal()) {
        return Err(Refusal::OwnRefund);
    }
    if limit_ok { Ok(()) } else { Err(Refusal::OverLimit) }
}

/// Whether a new refund is approved at once: below the threshold, and the requester's role could
/// approve it (within its limit).
pub fn auto_approves(requester: &Actor, amount: i64, policy: Policy) -> bool {
    amount < policy.auto_approve_below && may_decide(requester, amount, policy, None).is_ok()
}
