//! Refund transitions after the request: the decision, the connector call, its completion, and
//! the sweep that retries connector calls left without an answer.

use super::{Refund, record};
use crate::connector::RefundOutcome;
use crate::domain::Timestamp;
use crate::domain::event::EventType;
use crate::domain::refund::{RefundKind, RefundStatus};
use crate::service::{Conflict, Ctx, Result, ServiceError};
use crate::store::conn::Conn;
use crate::store::{payments, refunds};

/// Seconds an approved refund waits for its connector call before the sweep calls again.
const RETRY_AFTER_SECS: i64 = 30;

/// The decision transaction: one guarded transition, its event, and on rejection the
/// reservation given back.
pub(super) fn decide_in(
    c: &mut dyn Conn,
    r: &Refund,
    to: RefundStatus,
    who: (&str, Option<&str>),
    now: Timestamp,
) -> Result<Refund> {
    let Some(decided) = refunds::decide(c, &r.id, to, who, now)? else {
        let msg = "the refund was approved or rejected already".to_owned();
        return Err(ServiceError::Conflict(Conflict::RefundNotPending, msg));
    };
    if to == RefundStatus::Rejected {
        refunds::release(c, &r.payment_id, r.amount.minor(), now)?;
        record(c, &decided, EventType::RefundRejected, now)?;
    } else {
        record(c, &decided, EventType::RefundApproved, now)?;
    }
    Ok(decided)
}

/// Sends an approved refund to the payment's connector (a cash refund needs none) and records how
/// it ended. The connector call carries the refund id, so calling again after a crash or a lost
/// answer cannot refund twice.
pub(super) async fn execute(ctx: &Ctx, r: Refund) -> Result<Refund> {
    let outcome = match r.kind {
        RefundKind::Cash => Ok(RefundOutcome::Succeeded),
        RefundKind::Connector => {
            let id = r.payment_id.clone();
            let payment = ctx.db.read(move |c| payments::get(c, &id)).await?.ok_or(ServiceError::NotFound)?;
            let connector = ctx
                .connectors
                .get(&payment.connector)
                .ok_or_else(|| ServiceError::internal(format!("connector {} is not configured", payment.connector)))?;
            connector.refund(payment.id.as_str(), r.id.as_str(), r.amount).await
        }
    };
    let outcome = match outcome {
        Ok(o) => o,
        Err(e) => {
            // Unknown: the refund stays approved and the sweep asks again.
            tracing::warn!(refund = %r.id, error = %e, "refund connector gave no answer");
            return Ok(r);
        }
    };
    let now = ctx.clock.now();
    let id = r.id.clone();
    let done = ctx.db.write(move |c| complete_in(c, &r, &outcome, now)).await?;
    match done {
        Some(done) => {
            ctx.metrics.refund(done.status.as_str());
            Ok(done)
        }
        None => super::get_any(ctx, id).await,
    }
}

/// The completion transaction; `None` when another executor completed it first.
fn complete_in(c: &mut dyn Conn, r: &Refund, outcome: &RefundOutcome, now: Timestamp) -> Result<Option<Refund>> {
    let end = match outcome {
        RefundOutcome::Succeeded => {
            refunds::Completion { status: RefundStatus::Succeeded, connector_ref: None, failure: None }
        }
        RefundOutcome::Failed(f) => refunds::Completion {
            status: RefundStatus::Failed,
            connector_ref: None,
            failure: Some((f.code.as_str(), f.message.as_str())),
        },
    };
    let Some(done) = refunds::complete(c, &r.id, &end, now)? else { return Ok(None) };
    if done.status == RefundStatus::Succeeded {
        refunds::count_refunded(c, &r.payment_id, r.amount.minor(), now)?;
        record(c, &done, EventType::RefundSucceeded, now)?;
    } else {
        refunds::release(c, &r.payment_id, r.amount.minor(), now)?;
        record(c, &done, EventType::RefundFailed, now)?;
    }
    Ok(Some(done))
}

/// Calls the connector again for approved refunds that got no answer; returns how many.
pub async fn sweep(ctx: &Ctx) -> Result<usize> {
    let before = ctx.clock.now().plus_secs(-RETRY_AFTER_SECS);
    let due = ctx.db.read(move |c| refunds::approved_before(c, before, 100)).await?;
    let n = due.len();
    for r in due {
        execute(ctx, r).await?;
    }
    Ok(n)
}
