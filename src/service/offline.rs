//! Payments recorded at the branch: staff take cash or a card-terminal payment for a link and
//! record it. It pays the link exactly like an online payment (the same claim on the link, the
//! same success transaction and events), attributed to the staff member and their branch.

use super::audit::{self, Audit, Target, snapshot};
use super::{Ctx, Result, ServiceError, events, links, notify, pay, secrets};
use crate::domain::access::Actor;
use crate::domain::event::EventType;
use crate::domain::id::{LinkId, PaymentId};
use crate::domain::link::Link;
use crate::domain::money::Money;
use crate::domain::payment::{Offline, OfflineMethod, Payer, Payment, PaymentStatus};
use crate::domain::{ErrorKind, Rule, Timestamp};
use crate::dto::payment::PaymentOut;
use crate::store::conn::Conn;
use crate::store::{methods, payments};

/// A payment taken at the branch, as received.
#[derive(Clone, Debug, Default)]
pub struct OfflinePayment {
    /// `cash` or `card_terminal`.
    pub method: String,
    /// The amount taken (exact text); must equal the link's amount.
    pub amount: Option<String>,
    pub terminal_id: Option<String>,
    pub receipt_number: Option<String>,
    pub note: Option<String>,
}

/// Records a payment taken at the branch for an open link (staff who may cancel the link).
pub async fn record_payment(ctx: &Ctx, actor: &Actor, link_id: &str, input: OfflinePayment) -> Result<Payment> {
    let id = LinkId::parse(link_id).ok_or(ServiceError::NotFound)?;
    let offline = check(actor, &input)?;
    let (now, base, outbox, actor) =
        (ctx.clock.now(), ctx.config.public_base().to_owned(), notify::Outbox::of(ctx), actor.clone());
    let max = ctx.config.limits.max_amount;
    let audit = Audit::by(&actor, now);
    ctx.db
        .write(move |c| {
            let link = links::load_manageable(c, &actor, &id, now)?;
            check_amount(&link, input.amount.as_deref(), max)?;
            let payment = new_payment(c, &link, offline, now)?;
            if !payments::claim(c, &link.id, now)? {
                return Err(pay::why_unclaimable(c, &link.id, now));
            }
            payments::insert(c, &payment, link.single_use, None)?;
            let scope = (&payment.store_id, payment.environment);
            events::record(
                c,
                scope,
                EventType::PaymentCreated,
                payment.id.as_str(),
                &PaymentOut::new(&payment, &base),
                now,
            )?;
            let reference = payment.offline.as_ref().and_then(|o| o.receipt_number.clone());
            let reference = reference.unwrap_or_else(|| payment.id.to_string());
            let Some((paid, false)) = pay::record_success(c, &payment.id, &reference, now, &base, &outbox)? else {
                return Err(ServiceError::internal("a just-claimed offline payment could not succeed"));
            };
            let target = Target {
                object_type: "payment",
                object_id: paid.id.as_str(),
                store_id: Some(&paid.store_id),
                environment: Some(paid.environment),
            };
            let after = snapshot(&PaymentOut::new(&paid, &base));
            audit::append(c, &audit.entry(target, "payment.record_offline", None, Some(after)))?;
            Ok(paid)
        })
        .await
        .map(|paid| pay::counted(ctx, paid))
}

/// Checks the method and the free-text fields; the record of who took it and where.
fn check(actor: &Actor, i: &OfflinePayment) -> Result<Offline> {
    let method = OfflineMethod::parse(&i.method).ok_or_else(|| {
        ServiceError::rule("method", ErrorKind::Invalid, Rule::UnknownValue, "must be cash or card_terminal")
    })?;
    let clean = |v: &Option<String>| v.as_ref().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let (terminal_id, receipt_number, note) = (clean(&i.terminal_id), clean(&i.receipt_number), clean(&i.note));
    for (field, value, max) in
        [("terminal_id", &terminal_id, 64), ("receipt_number", &receipt_number, 64), ("note", &note, 500)]
    {
        if value.as_ref().is_some_and(|v| v.chars().count() > max) {
            return Err(ServiceError::too_long(field, max));
        }
    }
    if method == OfflineMethod::CardTerminal && terminal_id.is_none() {
        return Err(ServiceError::field("terminal_id", ErrorKind::Invalid, "is required for a card-terminal payment"));
    }
    let recorded_branch_id = actor.branch_id.clone();
    Ok(Offline { method, terminal_id, receipt_number, note, recorded_by: actor.principal(), recorded_branch_id })
}

/// The amount taken must be the link's: a typo at the counter is refused, not recorded.
fn check_amount(link: &Link, text: Option<&str>, max_major: i64) -> Result<()> {
    let text = text.ok_or_else(|| ServiceError::rule("amount", ErrorKind::Amount, Rule::Required, "is required"))?;
    let taken = Money::parse(text, link.amount.currency(), max_major)
        .map_err(|e| ServiceError::Invalid(vec![e.on_field("amount", None)]))?;
    if taken != link.amount {
        let msg =
            format!("must equal the link's amount ({} {})", link.amount.to_canonical(), link.amount.currency().code());
        return Err(ServiceError::field("amount", ErrorKind::Amount, msg));
    }
    Ok(())
}

fn new_payment(c: &mut dyn Conn, link: &Link, offline: Offline, now: Timestamp) -> Result<Payment> {
    let kind = offline.method.kind();
    let method_id = methods::ensure_offline(c, &link.store_id, link.environment, kind, now)?;
    let (ms, rnd) = secrets::id_parts(now);
    Ok(Payment {
        id: PaymentId::generate(ms, rnd),
        link_id: link.id.clone(),
        store_id: link.store_id.clone(),
        environment: link.environment,
        branch_id: link.branch_id.clone(),
        link_created_by: link.created_by.clone(),
        method_id,
        method: kind,
        connector: "offline".into(),
        status: PaymentStatus::Pending,
        amount: link.amount,
        installments: None,
        next_action: None,
        connector_ref: None,
        failure: None,
        card: None,
        payer: Payer::default(),
        created_at: now,
        updated_at: now,
        completed_at: None,
        refund_reserved_minor: 0,
        refunded_minor: 0,
        offline: Some(offline),
    })
}
