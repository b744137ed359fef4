//! Refunds: request (reserving the amount on the payment), approve or reject (maker–checker),
//! then execution through the payment's connector (or at the counter for offline payments). Each
//! transition is one guarded UPDATE written with its event in one transaction.

pub mod list;
pub mod of_link;
pub mod queue;
mod run;

pub use run::sweep;

use super::audit::{self, Audit, Target, snapshot};
use super::{Conflict, Ctx, Result, ServiceError, events, payments, secrets};
use crate::domain::access::{self, Action, Actor, Owned};
use crate::domain::event::EventType;
use crate::domain::id::RefundId;
use crate::domain::link::check_metadata_value;
use crate::domain::money::Money;
use crate::domain::payment::{Payment, PaymentStatus};
use crate::domain::refund::{self, Refund, RefundKind, RefundStatus, Refusal};
use crate::domain::{ErrorKind, Timestamp};
use crate::dto::refund::RefundOut;
use crate::store::conn::Conn;
use crate::store::refunds;

/// A refund request as received.
#[derive(Clone, Debug, Default)]
pub struct NewRefund {
    pub payment_id: String,
    /// The amount's exact text; `None` refunds what is left of the payment.
    pub amount: Option<String>,
    pub reason: Option<String>,
    pub metadata: Option<serde_json::Value>,
}

/// The principal recorded when the store's policy approves a refund.
pub const POLICY: &str = "policy";

/// Requests a refund. Below the store's threshold, when the requester's role could approve it,
/// it is approved at once and executed before answering.
pub async fn create_refund(ctx: &Ctx, actor: &Actor, input: NewRefund) -> Result<Refund> {
    if !access::may(actor, Action::RequestRefund) {
        return Err(ServiceError::Forbidden("this role cannot request refunds"));
    }
    let payment = payments::get_payment(ctx, actor, &input.payment_id).await.map_err(|e| match e {
        ServiceError::NotFound => ServiceError::field("payment_id", ErrorKind::Invalid, "is not a payment you can see"),
        other => other,
    })?;
    if payment.status != PaymentStatus::Succeeded {
        let msg = format!("only succeeded payments can be refunded; this one is {}", payment.status.as_str());
        return Err(ServiceError::Conflict(Conflict::PaymentNotRefundable, msg));
    }
    let store = actor.store_id.clone();
    let policy = ctx.db.read(move |c| refunds::policy(c, &store)).await?;
    let draft = draft(ctx, actor, &payment, input)?;
    let auto = refund::auto_approves(actor, draft.amount.minor(), policy);
    let audit = Audit::by(actor, draft.created_at);
    let created = ctx.db.write(move |c| insert(c, draft, auto, &audit)).await?;
    ctx.metrics.refund(created.status.as_str());
    if created.status == RefundStatus::Approved { run::execute(ctx, created).await } else { Ok(created) }
}

/// The new refund, checked (amount in the payment's currency, reason, metadata).
fn draft(ctx: &Ctx, actor: &Actor, p: &Payment, input: NewRefund) -> Result<Refund> {
    let amount = match input.amount.as_deref() {
        None => Money::from_minor((p.amount.minor() - p.refund_reserved_minor).max(1), p.amount.currency()),
        Some(text) => Money::parse(text, p.amount.currency(), ctx.config.limits.max_amount)
            .map_err(|e| ServiceError::Invalid(vec![e.on_field("amount", Some(p.amount.currency()))]))?,
    };
    if input.reason.as_ref().is_some_and(|r| r.chars().count() > 500) {
        return Err(ServiceError::too_long("reason", 500));
    }
    let metadata = check_metadata_value(input.metadata).map_err(|e| ServiceError::Invalid(vec![e]))?;
    let now = ctx.clock.now();
    let (ms, rnd) = secrets::id_parts(now);
    Ok(Refund {
        id: RefundId::generate(ms, rnd),
        payment_id: p.id.clone(),
        link_id: p.link_id.clone(),
        store_id: p.store_id.clone(),
        environment: p.environment,
        branch_id: p.branch_id.clone(),
        link_created_by: p.link_created_by.clone(),
        amount,
        reason: input.reason.filter(|r| !r.trim().is_empty()),
        metadata,
        status: RefundStatus::PendingApproval,
        kind: if p.connector == "offline" { RefundKind::Cash } else { RefundKind::Connector },
        requested_by: actor.principal(),
        requested_role: actor.role,
        decided_by: None,
        decision_note: None,
        auto_approved: false,
        connector_ref: None,
        failure_code: None,
        failure_message: None,
        created_at: now,
        updated_at: now,
        decided_at: None,
        completed_at: None,
    })
}

/// The creation transaction: reserve, insert, the events and the audit entry.
fn insert(c: &mut dyn Conn, mut r: Refund, auto: bool, audit: &Audit) -> Result<Refund> {
    if !refunds::reserve(c, &r.payment_id, r.amount.minor(), r.created_at)? {
        let msg = "the payment's refunds would exceed its captured amount";
        return Err(ServiceError::Conflict(Conflict::RefundExceedsCaptured, msg.into()));
    }
    if auto {
        (r.status, r.auto_approved, r.decided_by, r.decided_at) =
            (RefundStatus::Approved, true, Some(POLICY.into()), Some(r.created_at));
    }
    refunds::insert(c, &r)?;
    let mut first = r.clone();
    first.status = RefundStatus::PendingApproval;
    record(c, &first, EventType::RefundCreated, r.created_at)?;
    if auto {
        record(c, &r, EventType::RefundApproved, r.created_at)?;
    }
    audit::append(c, &audited(audit, "refund.request", None, &r))?;
    Ok(r)
}

/// The audit entry of a refund change.
fn audited(
    audit: &Audit,
    action: &str,
    before: Option<&Refund>,
    after: &Refund,
) -> crate::domain::audit::NewAuditEntry {
    let target = Target {
        object_type: "refund",
        object_id: after.id.as_str(),
        store_id: Some(&after.store_id),
        environment: Some(after.environment),
    };
    let shot = |r: &Refund| snapshot(&RefundOut::from(r));
    audit.entry(target, action, before.map(shot), Some(shot(after)))
}

/// Writes a refund event with its snapshot.
fn record(c: &mut dyn Conn, r: &Refund, kind: EventType, now: Timestamp) -> Result<()> {
    events::record(c, (&r.store_id, r.environment), kind, r.id.as_str(), &RefundOut::from(r), now)?;
    Ok(())
}

/// A refund the actor can see, or 404.
pub async fn get_refund(ctx: &Ctx, actor: &Actor, id: &str) -> Result<Refund> {
    let id = RefundId::parse(id).ok_or(ServiceError::NotFound)?;
    let (store, env, visibility) = (actor.store_id.clone(), actor.environment, access::visibility(actor));
    let r = ctx.db.read(move |c| refunds::get(c, &store, env, &id)).await?.ok_or(ServiceError::NotFound)?;
    if refunds::list::visible(&visibility, &r) { Ok(r) } else { Err(ServiceError::NotFound) }
}

/// A refund by id in any scope (after a transition another process completed).
async fn get_any(ctx: &Ctx, id: RefundId) -> Result<Refund> {
    let r = ctx.db.read(move |c| crate::store::refunds::get_by_id(c, &id)).await?;
    r.ok_or(ServiceError::NotFound)
}

/// Approves (then executes) or rejects a pending refund. The requester never decides their own
/// refund; a SUPERVISOR decides within the store's limit; exactly one decision wins a race.
pub async fn decide(ctx: &Ctx, actor: &Actor, id: &str, approve: bool, note: Option<String>) -> Result<Refund> {
    let current = get_refund(ctx, actor, id).await?;
    let store = actor.store_id.clone();
    let policy = ctx.db.read(move |c| refunds::policy(c, &store)).await?;
    check_decider(actor, &current, policy)?;
    if note.as_ref().is_some_and(|n| n.chars().count() > 500) {
        return Err(ServiceError::too_long("note", 500));
    }
    let (to, by, now) =
        (if approve { RefundStatus::Approved } else { RefundStatus::Rejected }, actor.principal(), ctx.clock.now());
    let audit = Audit::by(actor, now);
    let decided = ctx
        .db
        .write(move |c| {
            let decided = run::decide_in(c, &current, to, (&by, note.as_deref()), now)?;
            let action = if approve { "refund.approve" } else { "refund.reject" };
            audit::append(c, &audited(&audit, action, Some(&current), &decided))?;
            Ok::<_, ServiceError>(decided)
        })
        .await?;
    ctx.metrics.refund(decided.status.as_str());
    if decided.status == RefundStatus::Approved { run::execute(ctx, decided).await } else { Ok(decided) }
}

/// Whether `actor` may decide `r` under `policy`: in reach for the action, within the limit, and
/// not its requester (maker–checker). The one check [`decide`] and [`queue`] share.
fn check_decider(actor: &Actor, r: &Refund, policy: refund::Policy) -> Result<()> {
    let owned = Owned { branch_id: r.branch_id.as_ref(), created_by: &r.link_created_by };
    if !access::can_act_on(actor, Action::DecideRefund, owned) {
        return Err(ServiceError::Forbidden("this role cannot approve or reject refunds"));
    }
    refund::may_decide(actor, r.amount.minor(), policy, Some(&r.requested_by)).map_err(refused)
}

fn refused(r: Refusal) -> ServiceError {
    match r {
        Refusal::Role => ServiceError::Forbidden("this role cannot approve or reject refunds"),
        Refusal::OwnRefund => {
            ServiceError::Refused("SELF_APPROVAL", "the requester of a refund cannot approve or reject it")
        }
        Refusal::OverLimit => ServiceError::Refused(
            "APPROVAL_LIMIT_EXCEEDED",
            "the refund is above the store's supervisor approval limit",
        ),
    }
}

/// The store's refund policy (OWNER, ADMIN) and its currency.
pub async fn policy(ctx: &Ctx, actor: &Actor) -> Result<(refund::Policy, crate::domain::money::Currency)> {
    super::admin::require_admin(actor)?;
    let store = actor.store_id.clone();
    let currency = super::stores::currency(ctx, &store).await?;
    Ok((ctx.db.read(move |c| refunds::policy(c, &store)).await?, currency))
}

/// Changes the store's refund policy (OWNER, ADMIN); amounts in the store's currency.
pub async fn set_policy(
    ctx: &Ctx,
    actor: &Actor,
    auto_approve_below: Option<String>,
    supervisor_limit: Option<String>,
) -> Result<(refund::Policy, crate::domain::money::Currency)> {
    let (mut p, currency) = policy(ctx, actor).await?;
    let parse = |text: &str, field: &str| -> Result<i64> {
        if text.trim() == "0" {
            return Ok(0);
        }
        Money::parse(text, currency, ctx.config.limits.max_amount)
            .map(Money::minor)
            .map_err(|e| ServiceError::Invalid(vec![e.on_field(field, None)]))
    };
    if let Some(text) = auto_approve_below {
        p.auto_approve_below = parse(&text, "auto_approve_below")?;
    }
    if let Some(text) = supervisor_limit {
        p.supervisor_limit = parse(&text, "supervisor_limit")?;
    }
    let (store, audit) = (actor.store_id.clone(), Audit::by(actor, ctx.clock.now()));
    ctx.db
        .write(move |c| {
            let before = refunds::policy(c, &store)?;
            refunds::set_policy(c, &store, p)?;
            // Who may approve what is an access rule: its changes are audited like key changes.
            let target =
                Target { object_type: "store", object_id: store.as_str(), store_id: Some(&store), environment: None };
            let shot = |p: refund::Policy| {
                snapshot(&serde_json::json!({
                    "auto_approve_below_minor": p.auto_approve_below,
                    "supervisor_limit_minor": p.supervisor_limit,
                }))
            };
            let entry = audit.entry(target, "store.refund_policy.update", Some(shot(before)), Some(shot(p)));
            audit::append(c, &entry)?;
            Ok::<_, ServiceError>(())
        })
        .await?;
    Ok((p, currency))
}
