//! Refunding a link rather than one payment, for the dialects whose "payment" is the link
//! itself (a dialect's "payment" may be a payment link): the refund is of the link's latest succeeded
//! payment that still has a refundable balance, through [`super::create_refund`], so the
//! approval policy, maker–checker and the guarded reservation all apply unchanged.

use super::{NewRefund, create_refund};
use crate::domain::access::Actor;
use crate::domain::payment::{Payment, PaymentStatus};
use crate::domain::refund::Refund;
use crate::service::{Conflict, Ctx, Result, ServiceError, links};

/// Requests a refund of the link `link_id` (its `payment_id` in `input` is ignored). A link the
/// actor cannot see is 404; one without a succeeded payment, or refunded in full, is
/// `PaymentNotRefundable`.
pub async fn create_link_refund(ctx: &Ctx, actor: &Actor, link_id: &str, input: NewRefund) -> Result<Refund> {
    let (_, payments) = links::get_link_with_payments(ctx, actor, link_id).await?;
    let payment = refundable(&payments)?;
    create_refund(ctx, actor, NewRefund { payment_id: payment.id.to_string(), ..input }).await
}

/// The latest succeeded payment with something left to refund.
fn refundable(payments: &[Payment]) -> Result<&Payment> {
    let mut succeeded = payments.iter().rev().filter(|p| p.status == PaymentStatus::Succeeded).peekable();
    if succeeded.peek().is_none() {
        let msg = "only completed payments can be refunded; this one has not been paid";
        return Err(ServiceError::Conflict(Conflict::PaymentNotRefundable, msg.into()));
    }
    succeeded.find(|p| p.amount.minor() > p.refund_reserved_minor).ok_or_else(|| {
        let msg = "the payment has been refunded in full (or its refunds await a decision)";
        ServiceError::Conflict(Conflict::PaymentNotRefundable, msg.into())
    })
}
