//! The money on seeded links: every paid link gets its succeeded payment (online through one of
//! the store's sandbox methods, or recorded at the branch), and a few payments a succeeded refund,
//! written with the same store functions and columns the application uses, so reports read rows
//! like production's. Payments follow their link's creation by up to two days, refunds their
//! payment by up to ten days, never past the start of the run.

use super::rng::Rng;
use paylink::domain::Timestamp;
use paylink::domain::access::Role;
use paylink::domain::id::{PaymentId, RefundId, StoreId, UserId};
use paylink::domain::link::Link;
use paylink::domain::method::MethodKind;
use paylink::domain::money::Money;
use paylink::domain::payment::{CardSummary, Offline, OfflineMethod, Payer, Payment, PaymentStatus};
use paylink::domain::refund::{Refund, RefundKind, RefundStatus};
use paylink::domain::{Environment, link::LinkStatus};
use paylink::store::conn::{Conn, DbError};
use paylink::store::payments::{self, Resolution};
use paylink::store::{methods, refunds};

/// Share of payments with a refund, percent.
const REFUNDED: u64 = 6;

/// The store's methods a seeded payment can use: the sandbox's online ones and the two kinds
/// recorded at the branch.
#[derive(Clone, Debug, Default)]
pub struct Methods {
    /// `(method id, kind)` of each enabled sandbox method.
    pub online: Vec<(i64, MethodKind)>,
    pub cash: i64,
    pub terminal: i64,
}

/// Reads the store's sandbox methods and creates the offline ones, as a first offline payment
/// would.
pub fn methods(c: &mut dyn Conn, store: &StoreId, now: Timestamp) -> Result<Methods, DbError> {
    let env = Environment::Sandbox;
    let mut online: Vec<(i64, MethodKind)> = methods::list(c, store, env)?
        .into_iter()
        .filter(|m| m.enabled && m.connector != "offline")
        .map(|m| (m.id, m.kind))
        .collect();
    // Card first: `payment` gives it half of the online payments.
    online.sort_by_key(|(id, kind)| (*kind != MethodKind::Card, *id));
    let cash = methods::ensure_offline(c, store, env, MethodKind::Cash, now)?;
    let terminal = methods::ensure_offline(c, store, env, MethodKind::Card, now)?;
    Ok(Methods { online, cash, terminal })
}

/// A link to seed with its money, if it was paid.
pub struct SeedRow {
    pub link: Link,
    pub payment: Option<Payment>,
    pub refund: Option<Refund>,
}

impl SeedRow {
    /// A paid link gets its payment (and sometimes a refund); the link's `updated_at` becomes the
    /// payment's completion, as the success's UPDATE sets it.
    pub fn new(mut link: Link, rng: &mut Rng, m: &Methods, owner: &UserId, now: Timestamp) -> SeedRow {
        if link.status != LinkStatus::Paid || m.online.is_empty() {
            return SeedRow { link, payment: None, refund: None };
        }
        let latest = now.micros() - 2_000_000;
        let created = (link.created_at.micros() + rng.below(172_800_000_000) as i64).min(latest);
        let created = Timestamp::from_micros(created.max(link.created_at.micros()));
        let payment = payment(&link, rng, m, created);
        let completed =
            Timestamp::from_micros((created.micros() + 1_000_000 + rng.below(30_000_000) as i64).min(latest));
        let completed = Timestamp::from_micros(completed.micros().max(created.micros()));
        link.updated_at = completed;
        let payment = Payment { completed_at: Some(completed), ..payment };
        let refund = rng.chance(REFUNDED).then(|| refund(&payment, rng, owner, now)).flatten();
        SeedRow { link, payment: Some(payment), refund }
    }

    /// Writes the link, then its payment as the application does (an attempt, then its success),
    /// then the refund and what it reserved and returned on the payment.
    pub fn insert(&self, c: &mut dyn Conn) -> Result<(), DbError> {
        paylink::store::links::insert(c, &self.link)?;
        let Some(p) = &self.payment else { return Ok(()) };
        payments::insert(c, p, self.link.single_use, None)?;
        let connector_ref = format!("sbx_{}", p.id.as_str());
        let end = Resolution { status: PaymentStatus::Succeeded, connector_ref: Some(&connector_ref), failure: None };
        payments::resolve(c, &p.id, &end, p.completed_at.unwrap_or(p.created_at))?;
        let Some(r) = &self.refund else { return Ok(()) };
        refunds::insert(c, r)?;
        refunds::reserve(c, &p.id, r.amount.minor(), r.created_at)?;
        refunds::count_refunded(c, &p.id, r.amount.minor(), r.completed_at.unwrap_or(r.created_at))
    }
}

/// 80 % online (the store's sandbox methods in turn, card most often), 12 % cash at the counter,
/// 8 % a card terminal at the branch.
fn payment(link: &Link, rng: &mut Rng, m: &Methods, created: Timestamp) -> Payment {
    let roll = rng.below(100);
    let (method_id, method, offline) = match roll {
        0..80 => {
            // Card takes half of the online payments; the other methods share the rest.
            let (id, kind) = if roll < 40 { m.online[0] } else { *rng.pick(&m.online) };
            (id, kind, None)
        }
        80..92 => (m.cash, MethodKind::Cash, Some(offline(link, OfflineMethod::Cash, rng))),
        _ => (m.terminal, MethodKind::Card, Some(offline(link, OfflineMethod::CardTerminal, rng))),
    };
    let online_card = offline.is_none() && method == MethodKind::Card;
    Payment {
        id: PaymentId::generate(created.millis(), rng.bytes10()),
        link_id: link.id.clone(),
        store_id: link.store_id.clone(),
        environment: link.environment,
        branch_id: link.branch_id.clone(),
        link_created_by: link.created_by.clone(),
        method_id,
        method,
        connector: if offline.is_some() { "offline" } else { "sandbox" }.to_owned(),
        status: PaymentStatus::Pending,
        amount: link.amount,
        installments: (method == MethodKind::Installments).then(|| *rng.pick(&[3, 4, 6])),
        next_action: None,
        connector_ref: None,
        failure: None,
        card: online_card.then(|| CardSummary { brand: "visa".into(), last4: "4242".into() }),
        payer: Payer { name: link.customer.first_name.clone(), phone: link.customer.phone.clone(), ..Payer::default() },
        created_at: created,
        updated_at: created,
        completed_at: None,
        refund_reserved_minor: 0,
        refunded_minor: 0,
        offline,
    }
}

fn offline(link: &Link, method: OfflineMethod, rng: &mut Rng) -> Offline {
    Offline {
        method,
        terminal_id: (method == OfflineMethod::CardTerminal).then(|| format!("T-{:02}", rng.below(8))),
        receipt_number: Some(format!("R-{}", rng.digits(8))),
        note: None,
        recorded_by: link.created_by.clone(),
        recorded_branch_id: link.branch_id.clone(),
    }
}

/// A succeeded refund of the whole payment (60 %) or of half of it, asked for by the owner and
/// approved at once, between an hour and ten days after the payment; none if that is after `now`.
fn refund(p: &Payment, rng: &mut Rng, owner: &UserId, now: Timestamp) -> Option<Refund> {
    let paid = p.completed_at?;
    let created = paid.micros() + 3_600_000_000 + rng.below(864_000_000_000) as i64;
    if created + 5_000_000 >= now.micros() {
        return None;
    }
    let (created, completed) = (Timestamp::from_micros(created), Timestamp::from_micros(created + 2_000_000));
    let minor = if rng.chance(60) { p.amount.minor() } else { (p.amount.minor() / 2 / 5 * 5).max(5) };
    let at_branch = p.offline.is_some();
    Some(Refund {
        id: RefundId::generate(created.millis(), rng.bytes10()),
        payment_id: p.id.clone(),
        link_id: p.link_id.clone(),
        store_id: p.store_id.clone(),
        environment: p.environment,
        branch_id: p.branch_id.clone(),
        link_created_by: p.link_created_by.clone(),
        amount: Money::from_minor(minor, p.amount.currency()),
        reason: Some("Customer returned the item".into()),
        metadata: "{}".into(),
        status: RefundStatus::Succeeded,
        kind: if at_branch { RefundKind::Cash } else { RefundKind::Connector },
        requested_by: owner.to_string(),
        requested_role: Role::Owner,
        decided_by: None,
        decision_note: None,
        auto_approved: true,
        connector_ref: (!at_branch).then(|| format!("sbx_re_{}", rng.base62(12))),
        failure_code: None,
        failure_message: None,
        created_at: created,
        updated_at: completed,
        decided_at: Some(created),
        completed_at: Some(completed),
    })
}
