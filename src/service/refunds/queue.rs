//! Which refunds an actor could decide now — for a dashboard's approvals queue and its approve
//! and reject buttons, so they appear only where [`super::decide`] would accept the decision.

use super::{Refund, check_decider};
use crate::domain::access::Actor;
use crate::domain::refund::RefundStatus;
use crate::service::{Ctx, Result};
use crate::store::refunds;

/// The refunds of `candidates` that wait for a decision the actor may make: in reach, within
/// the store's supervisor limit, and not requested by the actor. Order is kept.
pub async fn decidable(ctx: &Ctx, actor: &Actor, candidates: Vec<Refund>) -> Result<Vec<Refund>> {
    let store = actor.store_id.clone();
    let policy = ctx.db.read(move |c| refunds::policy(c, &store)).await?;
    let waiting = candidates.into_iter().filter(|r| r.status == RefundStatus::PendingApproval);
    Ok(waiting.filter(|r| check_decider(actor, r, policy).is_ok()).collect())
}

/// Whether the actor may decide `r` now.
pub async fn may_decide(ctx: &Ctx, actor: &Actor, r: &Refund) -> Result<bool> {
    Ok(!decidable(ctx, actor, vec![r.clone()]).await?.is_empty())
}
