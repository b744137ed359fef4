//! Settling a connector's answer: each outcome becomes one guarded transition written with its
//! events in one transaction. A payment leaves its open state once (`WHERE holds_claim`), so
//! the page, the OTP form and the background sweep can race to settle it and only one wins.

use super::super::{Ctx, Result, ServiceError, events, notify};
use crate::connector::{self, Connector, ConnectorError, Outcome};
use crate::domain::Timestamp;
use crate::domain::event::EventType;
use crate::domain::id::PaymentId;
use crate::domain::link::LinkStatus;
use crate::domain::payment::{Failure, NextAction, Payment, PaymentStatus};
use crate::dto::link::LinkOut;
use crate::dto::payment::PaymentOut;
use crate::store::conn::Conn;
use crate::store::payments::{self, Resolution};
use std::sync::Arc;

/// The connector that carries a payment.
pub(super) fn connector_of(ctx: &Ctx, p: &Payment) -> Result<Arc<dyn Connector>> {
    ctx.connectors
        .get(&p.connector)
        .ok_or_else(|| ServiceError::internal(format!("connector {} is not configured", p.connector)))
}

/// Applies a connector's answer to an open payment and returns the payment as it now stands.
pub(super) async fn apply(ctx: &Ctx, p: Payment, outcome: connector::Result<Outcome>) -> Result<Payment> {
    match outcome {
        Ok(Outcome::Succeeded { reference }) => succeed(ctx, p, reference).await,
        Ok(Outcome::Failed(f)) => end(ctx, p, PaymentStatus::Failed, Some(f)).await,
        Ok(Outcome::Cancelled) => end(ctx, p, PaymentStatus::Cancelled, None).await,
        Ok(Outcome::RequiresAction { action, reference }) => {
            wait(ctx, p, PaymentStatus::RequiresAction, Some(action), reference).await
        }
        Ok(Outcome::Processing { reference }) => wait(ctx, p, PaymentStatus::Pending, None, reference).await,
        Err(e) => {
            // The outcome is unknown: the claim stays; the sweep asks the connector again.
            tracing::warn!(payment = %p.id, error = %e, "connector gave no answer");
            Ok(p)
        }
    }
}

fn record(c: &mut dyn Conn, p: &Payment, kind: EventType, now: Timestamp, base: &str) -> Result<()> {
    events::record(c, (&p.store_id, p.environment), kind, p.id.as_str(), &PaymentOut::new(p, base), now)?;
    Ok(())
}

async fn reread(ctx: &Ctx, p: Payment) -> Result<Payment> {
    super::load(ctx, p.id.as_str()).await
}

/// The money moved: the payment succeeds and counts on its link, unless the link stopped taking
/// payments while the charge ran (expired or cancelled): then the payment fails with
/// `link_expired` and the charge is refunded at once.
async fn succeed(ctx: &Ctx, p: Payment, reference: String) -> Result<Payment> {
    let (now, base) = (ctx.clock.now(), ctx.config.public_base().to_owned());
    let (id, outbox) = (p.id.clone(), notify::Outbox::of(ctx));
    let resolved = ctx.db.write(move |c| record_success(c, &id, &reference, now, &base, &outbox)).await?;
    match resolved {
        None => reread(ctx, p).await,
        Some((failed, true)) => {
            let failed = counted(ctx, failed);
            reverse(ctx, &failed).await;
            Ok(failed)
        }
        Some((paid, false)) => Ok(counted(ctx, paid)),
    }
}

/// The success transaction; `Some((payment, true))` when the success was overturned.
pub(crate) fn record_success(
    c: &mut dyn Conn,
    id: &PaymentId,
    reference: &str,
    now: Timestamp,
    base: &str,
    outbox: &notify::Outbox,
) -> Result<Option<(Payment, bool)>> {
    let end = Resolution { status: PaymentStatus::Succeeded, connector_ref: Some(reference), failure: None };
    let Some(paid) = payments::resolve(c, id, &end, now)? else { return Ok(None) };
    let Some(link) = payments::count_success(c, &paid.link_id, paid.amount.minor(), now)? else {
        payments::release(c, &paid.link_id, now)?;
        let failure = Failure {
            code: "link_expired".into(),
            message: "the link stopped taking payments while this one ran; the charge was refunded".into(),
            decline: false,
        };
        let failed = payments::overturn(c, &paid.id, &failure, now)?;
        record(c, &failed, EventType::PaymentFailed, now, base)?;
        return Ok(Some((failed, true)));
    };
    record(c, &paid, EventType::PaymentSucceeded, now, base)?;
    notify::queue_receipts(c, outbox, &link, &paid, now)?;
    if link.status == LinkStatus::Paid {
        let snapshot = LinkOut::new(&link, now, base);
        let scope = (&link.store_id, link.environment);
        events::record(c, scope, EventType::LinkPaid, link.id.as_str(), &snapshot, now)?;
    }
    Ok(Some((paid, false)))
}

/// Refunds a charge whose success the link could not take.
async fn reverse(ctx: &Ctx, p: &Payment) {
    let Ok(connector) = connector_of(ctx, p) else { return };
    let refund_id = format!("reversal_{}", p.id);
    if let Err(e) = connector.refund(p.id.as_str(), &refund_id, p.amount).await {
        tracing::error!(payment = %p.id, error = %e, "could not reverse a charge the link could not take");
    }
}

/// The charge did not happen: the payment ends and gives its place on the link back.
async fn end(ctx: &Ctx, p: Payment, status: PaymentStatus, failure: Option<Failure>) -> Result<Payment> {
    let (now, base) = (ctx.clock.now(), ctx.config.public_base().to_owned());
    let id = p.id.clone();
    let ended = ctx.db.write(move |c| record_end(c, &id, status, failure.as_ref(), now, &base)).await?;
    match ended {
        Some(ended) => Ok(counted(ctx, ended)),
        None => reread(ctx, p).await,
    }
}

/// Counts a payment this instance brought to its end (`paylink_payments_total`): only the
/// transaction that resolved it gets here, so a payment counts once whichever instance, sweep
/// or request settled it.
pub(crate) fn counted(ctx: &Ctx, p: Payment) -> Payment {
    ctx.metrics.payment(p.method.as_str(), p.status.as_str());
    p
}

fn record_end(
    c: &mut dyn Conn,
    id: &PaymentId,
    status: PaymentStatus,
    failure: Option<&Failure>,
    now: Timestamp,
    base: &str,
) -> Result<Option<Payment>> {
    let end = Resolution { status, connector_ref: None, failure };
    let Some(ended) = payments::resolve(c, id, &end, now)? else { return Ok(None) };
    payments::release(c, &ended.link_id, now)?;
    record(c, &ended, EventType::PaymentFailed, now, base)?;
    Ok(Some(ended))
}

/// The charge waits (for the payer or the connector); the claim stays.
async fn wait(
    ctx: &Ctx,
    p: Payment,
    status: PaymentStatus,
    action: Option<NextAction>,
    reference: String,
) -> Result<Payment> {
    if p.status == status && p.next_action == action && p.connector_ref.as_deref() == Some(&reference) {
        return Ok(p);
    }
    let (now, id) = (ctx.clock.now(), p.id.clone());
    let updated = ctx.db.write(move |c| payments::set_waiting(c, &id, status, action, &reference, now)).await?;
    match updated {
        Some(updated) => Ok(updated),
        None => reread(ctx, p).await,
    }
}

/// Asks the connector about an open payment and settles what it says; a payment that waited
/// longer than `action_timeout_secs` is cancelled at the connector and fails with `timeout`
/// (or succeeds, if the connector says the charge went through after all).
pub async fn refresh(ctx: &Ctx, payment_id: &str) -> Result<Payment> {
    let p = super::load(ctx, payment_id).await?;
    if !p.status.is_unresolved() {
        return Ok(p);
    }
    let connector = connector_of(ctx, &p)?;
    let outcome = connector.query(p.id.as_str()).await;
    let timed_out = ctx.clock.now() >= p.created_at.plus_secs(ctx.config.payments.action_timeout_secs);
    let still_open = matches!(outcome, Ok(Outcome::RequiresAction { .. } | Outcome::Processing { .. }))
        || matches!(outcome, Err(ConnectorError::UnknownAttempt));
    if !(timed_out && still_open) {
        return apply(ctx, p, outcome).await;
    }
    match connector.cancel(p.id.as_str()).await {
        Ok(Outcome::Cancelled) | Err(ConnectorError::UnknownAttempt) => {
            let failure = Failure {
                code: "timeout".into(),
                message: "the payment was not completed in time".into(),
                decline: false,
            };
            end(ctx, p, PaymentStatus::Failed, Some(failure)).await
        }
        other => apply(ctx, p, other).await,
    }
}

/// One round of the background sweep: asks the connector about payments left open for more
/// than `sweep_after_secs`. Returns how many it looked at.
pub async fn sweep(ctx: &Ctx) -> Result<usize> {
    let before = ctx.clock.now().plus_secs(-ctx.config.payments.sweep_after_secs);
    let ids = ctx.db.read(move |c| payments::unresolved_before(c, before, 100)).await?;
    for id in &ids {
        if let Err(e) = refresh(ctx, id.as_str()).await {
            tracing::warn!(payment = %id, error = %e, "sweep could not settle a payment");
        }
    }
    Ok(ids.len())
}
