//! Refund rows and the guarded statements that keep refunds within what was captured: creating a
//! refund raises its payment's `refund_reserved_minor` with one conditional UPDATE, and a refund
//! leaves each state once (`WHERE status = …`), so concurrent deciders cannot both win.

pub mod list;

use super::columns::columns;
use super::conn::{Conn, DbError, Row};
use crate::domain::access::Role;
use crate::domain::id::{BranchId, LinkId, PaymentId, RefundId, StoreId};
use crate::domain::money::{Currency, Money};
use crate::domain::refund::{Policy, Refund, RefundKind, RefundStatus};
use crate::domain::{Environment, Timestamp};
use crate::params;

columns! {
    /// The columns a refund is read from, in row order (and written in, by [`insert`]).
    pub(crate) enum RefundCol {
        Id = "id", PaymentId = "payment_id", LinkId = "link_id", StoreId = "store_id", Environment = "environment",
        BranchId = "branch_id", LinkCreatedBy = "link_created_by", AmountMinor = "amount_minor",
        Currency = "currency", Reason = "reason", Metadata = "metadata", Status = "status", Kind = "kind",
        RequestedBy = "requested_by", RequestedRole = "requested_role", DecidedBy = "decided_by",
        DecisionNote = "decision_note", AutoApproved = "auto_approved", ConnectorRef = "connector_ref",
        FailureCode = "failure_code", FailureMessage = "failure_message", CreatedAt = "created_at",
        UpdatedAt = "updated_at", DecidedAt = "decided_at", CompletedAt = "completed_at",
    }
}

/// The refund columns, comma-separated.
pub(crate) const COLUMNS: &str = RefundCol::LIST;

/// Decodes a row selected with [`COLUMNS`].
pub fn from_row(mut r: Row) -> Result<Refund, DbError> {
    use RefundCol as C;
    let currency = Currency::parse(&r.take_text(C::Currency)?).map_err(|_| DbError::decode(C::Currency))?;
    Ok(Refund {
        id: RefundId::from_trusted(r.take_text(C::Id)?),
        payment_id: PaymentId::from_trusted(r.take_text(C::PaymentId)?),
        link_id: LinkId::from_trusted(r.take_text(C::LinkId)?),
        store_id: StoreId::from_trusted(r.take_text(C::StoreId)?),
        environment: Environment::parse(&r.take_text(C::Environment)?).ok_or(DbError::decode(C::Environment))?,
        branch_id: r.take_opt_text(C::BranchId)?.map(BranchId::from_trusted),
        link_created_by: r.take_text(C::LinkCreatedBy)?,
        amount: Money::from_minor(r.i64(C::AmountMinor)?, currency),
        reason: r.take_opt_text(C::Reason)?,
        metadata: r.take_text(C::Metadata)?,
        status: RefundStatus::parse(&r.take_text(C::Status)?).ok_or(DbError::decode(C::Status))?,
        kind: RefundKind::parse(&r.take_text(C::Kind)?).ok_or(DbError::decode(C::Kind))?,
        requested_by: r.take_text(C::RequestedBy)?,
        requested_role: Role::parse(&r.take_text(C::RequestedRole)?).ok_or(DbError::decode(C::RequestedRole))?,
        decided_by: r.take_opt_text(C::DecidedBy)?,
        decision_note: r.take_opt_text(C::DecisionNote)?,
        auto_approved: r.bool(C::AutoApproved)?,
        connector_ref: r.take_opt_text(C::ConnectorRef)?,
        failure_code: r.take_opt_text(C::FailureCode)?,
        failure_message: r.take_opt_text(C::FailureMessage)?,
        created_at: Timestamp::from_micros(r.i64(C::CreatedAt)?),
        updated_at: Timestamp::from_micros(r.i64(C::UpdatedAt)?),
        decided_at: r.opt_i64(C::DecidedAt)?.map(Timestamp::from_micros),
        completed_at: r.opt_i64(C::CompletedAt)?.map(Timestamp::from_micros),
    })
}

/// Reserves `amount` of a succeeded payment for a refund; false when that would take the
/// payment's live refunds past its amount (or the payment has not succeeded). One guarded UPDATE:
/// on PostgreSQL concurrent reservations queue on the row and each re-checks the sum.
pub fn reserve(c: &mut dyn Conn, payment: &PaymentId, amount: i64, now: Timestamp) -> Result<bool, DbError> {
    let n = c.execute(
        "UPDATE payments SET refund_reserved_minor = refund_reserved_minor + ?2, updated_at = ?3 WHERE id = ?1 \
         AND status = 'succeeded' AND refund_reserved_minor + ?2 <= amount_minor",
        params![payment.as_str(), amount, now.micros()],
    )?;
    Ok(n == 1)
}

/// Gives a reservation back (the refund was rejected or failed).
pub fn release(c: &mut dyn Conn, payment: &PaymentId, amount: i64, now: Timestamp) -> Result<(), DbError> {
    c.execute(
        "UPDATE payments SET refund_reserved_minor = refund_reserved_minor - ?2, updated_at = ?3 WHERE id = ?1",
        params![payment.as_str(), amount, now.micros()],
    )
    .map(|_| ())
}

/// Counts a refund's money as returned.
pub fn count_refunded(c: &mut dyn Conn, payment: &PaymentId, amount: i64, now: Timestamp) -> Result<(), DbError> {
    c.execute(
        "UPDATE payments SET refunded_minor = refunded_minor + ?2, updated_at = ?3 WHERE id = ?1",
        params![payment.as_str(), amount, now.micros()],
    )
    .map(|_| ())
}

/// Inserts a new refund.
pub fn insert(c: &mut dyn Conn, r: &Refund) -> Result<(), DbError> {
    let sql = format!(
        "INSERT INTO refunds ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, \
         ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)"
    );
    let values = params![
        r.id.as_str(),
        r.payment_id.as_str(),
        r.link_id.as_str(),
        r.store_id.as_str(),
        r.environment.as_str(),
        r.branch_id.as_ref().map(|b| b.as_str()),
        r.link_created_by.as_str(),
        r.amount.minor(),
        r.amount.currency().code(),
        r.reason.as_deref(),
        r.metadata.as_str(),
        r.status.as_str(),
        r.kind.as_str(),
        r.requested_by.as_str(),
        r.requested_role.as_str(),
        r.decided_by.as_deref(),
        r.decision_note.as_deref(),
        r.auto_approved,
        r.connector_ref.as_deref(),
        r.failure_code.as_deref(),
        r.failure_message.as_deref(),
        r.created_at.micros(),
        r.updated_at.micros(),
        r.decided_at.map(|t| t.micros()),
        r.completed_at.map(|t| t.micros()),
    ];
    c.execute(&sql, values).map(|_| ())
}

/// Reads a refund by id within a store and environment.
pub fn get(c: &mut dyn Conn, store: &StoreId, env: Environment, id: &RefundId) -> Result<Option<Refund>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM refunds WHERE id = ?1 AND store_id = ?2 AND environment = ?3");
    c.query_opt(&sql, params![id.as_str(), store.as_str(), env.as_str()])?.map(from_row).transpose()
}

/// Reads a refund by id alone (the worker's view).
pub fn get_by_id(c: &mut dyn Conn, id: &RefundId) -> Result<Option<Refund>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM refunds WHERE id = ?1");
    c.query_opt(&sql, params![id.as_str()])?.map(from_row).transpose()
}

/// Decides a pending refund (approved or rejected) if it is still pending; `None` if another
/// decision came first.
pub fn decide(
    c: &mut dyn Conn,
    id: &RefundId,
    to: RefundStatus,
    (by, note): (&str, Option<&str>),
    now: Timestamp,
) -> Result<Option<Refund>, DbError> {
    let sql = format!(
        "UPDATE refunds SET status = ?2, decided_by = ?3, decision_note = ?4, decided_at = ?5, updated_at = ?5 \
         WHERE id = ?1 AND status = 'pending_approval' RETURNING {COLUMNS}"
    );
    c.query_opt(&sql, params![id.as_str(), to.as_str(), by, note, now.micros()])?.map(from_row).transpose()
}

/// How an approved refund ended.
pub struct Completion<'a> {
    pub status: RefundStatus,
    pub connector_ref: Option<&'a str>,
    pub failure: Option<(&'a str, &'a str)>,
}

/// Ends an approved refund (succeeded or failed) if it is still approved; `None` otherwise.
pub fn complete(c: &mut dyn Conn, id: &RefundId, end: &Completion, now: Timestamp) -> Result<Option<Refund>, DbError> {
    let sql = format!(
        "UPDATE refunds SET status = ?2, connector_ref = ?3, failure_code = ?4, failure_message = ?5, \
         completed_at = ?6, updated_at = ?6 WHERE id = ?1 AND status = 'approved' RETURNING {COLUMNS}"
    );
    let (code, message) = end.failure.unzip();
    c.query_opt(&sql, params![id.as_str(), end.status.as_str(), end.connector_ref, code, message, now.micros()])?
        .map(from_row)
        .transpose()
}

/// Approved refunds last touched before `before` (their connector call is retried).
pub fn approved_before(c: &mut dyn Conn, before: Timestamp, limit: i64) -> Result<Vec<Refund>, DbError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM refunds WHERE status = 'approved' AND updated_at < ?1 ORDER BY updated_at LIMIT ?2"
    );
    c.query(&sql, params![before.micros(), limit])?.into_iter().map(from_row).collect()
}

/// The store's refund policy.
pub fn policy(c: &mut dyn Conn, store: &StoreId) -> Result<Policy, DbError> {
    columns! {
        enum PolicyCol {
            AutoApproveBelow = "refund_auto_approve_below_minor",
            SupervisorLimit = "refund_supervisor_limit_minor",
        }
        const SQL = "SELECT " + COLUMNS + " FROM stores WHERE id = ?1";
    }
    let row = c.query_opt(SQL, params![store.as_str()])?.ok_or_else(|| DbError::Other("store vanished".into()))?;
    Ok(Policy {
        auto_approve_below: row.i64(PolicyCol::AutoApproveBelow)?,
        supervisor_limit: row.i64(PolicyCol::SupervisorLimit)?,
    })
}

/// Replaces the store's refund policy.
pub fn set_policy(c: &mut dyn Conn, store: &StoreId, p: Policy) -> Result<(), DbError> {
    c.execute(
        "UPDATE stores SET refund_auto_approve_below_minor = ?2, refund_supervisor_limit_minor = ?3 WHERE id = ?1",
        params![store.as_str(), p.auto_approve_below, p.supervisor_limit],
    )
    .map(|_| ())
}
