//! Paying a link from the hosted page: open it, check the form, pass the card-testing guard,
//! claim a place on the link (one conditional statement, docs/architecture.md), call the connector, and
//! settle the outcome. A claim is given back only when the connector says no charge happened.

mod input;
mod returns;
mod settle;

pub(crate) use settle::{counted, record_success};

pub use input::{Address, InstrumentForm, PLANS, PayRequest, PayerForm};
pub use returns::{Return, return_url, success_redirect};
pub use settle::{refresh, sweep};

use super::logos::logo_path;
use super::{Conflict, Ctx, Result, ServiceError, events, secrets};
use crate::connector::{ActionInput, Charge, Instrument};
use crate::domain::event::EventType;
use crate::domain::id::{LinkId, PaymentId};
use crate::domain::link::{Link, LinkStatus};
use crate::domain::method::PaymentMethod;
use crate::domain::payment::{CardSummary, NextAction, Payer, Payment, PaymentStatus};
use crate::domain::{ErrorKind, Timestamp};
use crate::dto::payment::PaymentOut;
use crate::store::conn::Conn;
use crate::store::pages::{self, PageData};
use crate::store::{links, logos, payments};

/// A link as the payer sees it: with its store's name and the methods it can be paid with.
#[derive(Clone, Debug)]
pub struct PublicLink {
    pub link: Link,
    pub store_name: String,
    /// Path of the store's logo, if it has one.
    pub logo: Option<String>,
    /// Enabled methods of the link's store and environment that the link allows.
    pub methods: Vec<PaymentMethod>,
    pub now: Timestamp,
}

/// A payment with its link and store name (payment and receipt pages).
#[derive(Clone, Debug)]
pub struct PaymentView {
    pub payment: Payment,
    pub link: Link,
    pub store_name: String,
    /// Path of the store's logo, if it has one.
    pub logo: Option<String>,
}

/// Opens a link by id.
pub async fn open_link(ctx: &Ctx, link_id: &str) -> Result<PublicLink> {
    let id = LinkId::parse(link_id).ok_or(ServiceError::NotFound)?;
    open(ctx, move |c| pages::by_id(c, id.as_str())).await
}

/// Opens a link by its short code.
pub async fn open_link_by_code(ctx: &Ctx, short_code: &str) -> Result<PublicLink> {
    if short_code.is_empty() || short_code.len() > 32 || !short_code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(ServiceError::NotFound);
    }
    let code = short_code.to_owned();
    open(ctx, move |c| pages::by_code(c, &code)).await
}

type Found = std::result::Result<Option<PageData>, crate::store::conn::DbError>;

async fn open(ctx: &Ctx, find: impl FnOnce(&mut dyn Conn) -> Found + Send + 'static) -> Result<PublicLink> {
    let now = ctx.clock.now();
    let page = ctx.db.read(find).await?.ok_or(ServiceError::NotFound)?;
    let allowed = page.link.payment_methods.as_ref();
    let methods = page.methods.into_iter().filter(|m| allowed.is_none_or(|ids| ids.contains(&m.id))).collect();
    let logo = logo_path(&page.link.store_id, page.logo_digest);
    Ok(PublicLink { link: page.link, store_name: page.store_name, logo, methods, now })
}

/// Starts a payment of the link.
pub async fn pay(ctx: &Ctx, link_id: &str, req: PayRequest) -> Result<Payment> {
    let opened = open_link(ctx, link_id).await?;
    pay_opened(ctx, &opened, req).await
}

/// Starts a payment of a link the caller has just opened (the page has it already). Whatever it
/// read is re-checked by the claim, in the database.
pub async fn pay_opened(ctx: &Ctx, opened: &PublicLink, req: PayRequest) -> Result<Payment> {
    let now = ctx.clock.now();
    payable(&opened.link, now)?;
    let method = input::method(&opened.methods, req.method_id)?.clone();
    let connector = ctx
        .connectors
        .get(&method.connector)
        .ok_or_else(|| ServiceError::internal(format!("connector {} is not configured", method.connector)))?;
    let instrument = input::instrument(&method, req.instrument, now)?;
    let payer = input::payer(req.payer, opened.link.address_required)?;
    let client_key = req.client.map(|ip| secrets::digest(&format!("client:{ip}"))[..32].to_owned());
    guard(ctx, &opened.link.id, client_key.clone(), now).await?;
    let payment = new_payment(&opened.link, &method, &instrument, payer, now);
    let payment = claim(ctx, &opened.link, payment, client_key).await?;
    let charge = Charge {
        attempt_id: payment.id.as_str(),
        reference: payment.link_id.as_str(),
        amount: payment.amount,
        instrument: &instrument,
    };
    let outcome = connector.start(charge).await;
    drop(instrument);
    settle::apply(ctx, payment, outcome).await
}

/// Refuses links that cannot take a payment now, with the reason.
fn payable(link: &Link, now: Timestamp) -> Result<()> {
    match link.status_at(now) {
        LinkStatus::Open => Ok(()),
        LinkStatus::Paid => {
            Err(ServiceError::Conflict(Conflict::LinkAlreadyPaid, "this payment link has been paid".into()))
        }
        other => Err(ServiceError::Conflict(Conflict::LinkNotOpen, format!("this payment link is {}", other.as_str()))),
    }
}

/// The card-testing guard: too many recent declines on this link or from this client → 429,
/// before the connector is called.
async fn guard(ctx: &Ctx, link: &LinkId, client_key: Option<String>, now: Timestamp) -> Result<()> {
    let p = &ctx.config.payments;
    let since = now.plus_secs(-p.decline_window_secs);
    let link = link.clone();
    let (on_link, from_client) =
        ctx.db.read(move |c| payments::recent_declines(c, &link, client_key.as_deref(), since)).await?;
    if on_link >= p.decline_limit_per_link || from_client >= p.decline_limit_per_client {
        return Err(ServiceError::TooManyAttempts);
    }
    Ok(())
}

fn new_payment(link: &Link, m: &PaymentMethod, instrument: &Instrument, payer: Payer, now: Timestamp) -> Payment {
    let (ms, rnd) = secrets::id_parts(now);
    let (card, installments) = match instrument {
        Instrument::Card(card) => {
            (Some(CardSummary { brand: card.brand().to_owned(), last4: card.last4().to_owned() }), None)
        }
        Instrument::Installments { months, .. } => (None, Some(*months)),
        Instrument::MobileMoney { .. } => (None, None),
    };
    Payment {
        id: PaymentId::generate(ms, rnd),
        link_id: link.id.clone(),
        store_id: link.store_id.clone(),
        environment: link.environment,
        branch_id: link.branch_id.clone(),
        link_created_by: link.created_by.clone(),
        method_id: m.id,
        method: m.kind,
        connector: m.connector.clone(),
        status: PaymentStatus::Pending,
        amount: link.amount,
        installments,
        next_action: None,
        connector_ref: None,
        failure: None,
        card,
        payer,
        created_at: now,
        updated_at: now,
        completed_at: None,
        refund_reserved_minor: 0,
        refunded_minor: 0,
        offline: None,
    }
}

/// Takes a place on the link and records the attempt and its event, in one transaction.
async fn claim(ctx: &Ctx, link: &Link, payment: Payment, client_key: Option<String>) -> Result<Payment> {
    let (single_use, now, base) = (link.single_use, payment.created_at, ctx.config.public_base().to_owned());
    ctx.db
        .write(move |c| {
            if !payments::claim(c, &payment.link_id, now)? {
                return Err(why_unclaimable(c, &payment.link_id, now));
            }
            payments::insert(c, &payment, single_use, client_key.as_deref())?;
            let snapshot = PaymentOut::new(&payment, &base);
            events::record(
                c,
                (&payment.store_id, payment.environment),
                EventType::PaymentCreated,
                payment.id.as_str(),
                &snapshot,
                now,
            )?;
            Ok(payment)
        })
        .await
}

/// Why a claim was refused, read in the same transaction.
pub(crate) fn why_unclaimable(c: &mut dyn Conn, id: &LinkId, now: Timestamp) -> ServiceError {
    let link = match links::get_public(c, id) {
        Ok(Some(link)) => link,
        Ok(None) => return ServiceError::NotFound,
        Err(e) => return e.into(),
    };
    match payable(&link, now) {
        Err(e) => e,
        Ok(()) => ServiceError::Conflict(
            Conflict::LinkBusy,
            "another payment of this link is in progress; wait for its outcome".into(),
        ),
    }
}

/// Enters the one-time code of a payment waiting for it.
pub async fn submit_otp(ctx: &Ctx, payment_id: &str, code: &str) -> Result<Payment> {
    let payment = load(ctx, payment_id).await?;
    if payment.next_action != Some(NextAction::Otp) || !payment.status.is_unresolved() {
        return Err(ServiceError::Conflict(
            Conflict::PaymentNotWaiting,
            "this payment is not waiting for a code".into(),
        ));
    }
    if code.trim().is_empty() || code.len() > 12 {
        return Err(ServiceError::field("otp", ErrorKind::Invalid, "enter the code you received"));
    }
    let connector = settle::connector_of(ctx, &payment)?;
    let outcome = connector.continue_action(payment.id.as_str(), ActionInput::Otp(code.to_owned())).await;
    if let Err(crate::connector::ConnectorError::Rejected(msg)) = &outcome {
        return Err(ServiceError::field("otp", ErrorKind::Invalid, msg.clone()));
    }
    settle::apply(ctx, payment, outcome).await
}

/// The payer gives up on a waiting payment: cancelled at the connector first, and only then
/// released (if the charge went through meanwhile, it is settled as succeeded instead).
pub async fn cancel(ctx: &Ctx, payment_id: &str) -> Result<Payment> {
    let payment = load(ctx, payment_id).await?;
    if !payment.status.is_unresolved() {
        return Ok(payment);
    }
    let connector = settle::connector_of(ctx, &payment)?;
    let outcome = connector.cancel(payment.id.as_str()).await;
    settle::apply(ctx, payment, outcome).await
}

/// A payment with its link and store, for the payment and receipt pages.
pub async fn payment_view(ctx: &Ctx, payment_id: &str) -> Result<PaymentView> {
    let payment = load(ctx, payment_id).await?;
    ctx.db
        .read(move |c| {
            let link = links::get_public(c, &payment.link_id)?.ok_or(ServiceError::NotFound)?;
            let (store_name, digest) = logos::brand(c, &link.store_id)?.ok_or(ServiceError::NotFound)?;
            let logo = logo_path(&link.store_id, digest);
            Ok(PaymentView { payment, link, store_name, logo })
        })
        .await
}

pub(super) async fn load(ctx: &Ctx, payment_id: &str) -> Result<Payment> {
    let id = PaymentId::parse(payment_id).ok_or(ServiceError::NotFound)?;
    ctx.db.read(move |c| payments::get(c, &id)?.ok_or(ServiceError::NotFound)).await
}
