//! `GET /dashboard/links/{id}`: everything about one link — its status, amount, customer, branch
//! and creator, its payments, refunds, event timeline and messages — and the actions the user's
//! role allows on it (the service refuses the others anyway). Out of scope: the 404 page.

use super::counter::manageable;
use super::history::{self, EventRow, MessageRow, RefundRow};
use super::texts::LinkTexts;
use super::{Done, pay_url, texts_of};
use crate::domain::access::{self, Action};
use crate::domain::format::format_amount;
use crate::domain::link::{Language, Link};
use crate::domain::method::MethodKind;
use crate::domain::payment::{Payment, PaymentStatus};
use crate::service::links::labels;
use crate::service::{Ctx, Result, links};
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::error;
use crate::web::dashboard::shell::Shell;
use crate::web::dashboard::status::{self, Pill};
use crate::web::page::Page;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// One payment of the link.
pub struct PaymentRow {
    pub id: String,
    pub method: &'static str,
    /// `VISA •••• 4242`, when the payment record has the card.
    pub card: Option<String>,
    pub status: Pill,
    pub amount: String,
    pub date: String,
    /// Succeeded with something left to refund, and the user may ask for refunds.
    pub refundable: bool,
}

/// The link's facts, as displayed.
pub struct Facts {
    pub status: Pill,
    pub amount: String,
    /// The amount as typed at the counter (`150.00`), to prefill the record-payment form.
    pub amount_plain: String,
    pub title: String,
    pub description: Option<String>,
    pub customer: Vec<String>,
    pub branch: Option<String>,
    pub creator: Option<String>,
    pub created: String,
    pub expires: String,
    pub reference: Option<String>,
    pub url: String,
}

#[derive(Template)]
#[template(path = "dashboard/link_pages/detail.html")]
struct DetailPage<'a> {
    shell: Shell,
    t: &'a LinkTexts,
    id: String,
    link: Facts,
    payments: Vec<PaymentRow>,
    refunds: Vec<RefundRow>,
    events: Vec<EventRow>,
    messages: Vec<MessageRow>,
    can_manage: bool,
    can_create: bool,
    /// The send forms' recipients, prefilled with the link's customer's.
    send_phone: String,
    send_email: String,
    /// Where the send forms come back to.
    back: &'static str,
}

/// `GET /dashboard/links/{id}`.
pub async fn show(State(ctx): State<Ctx>, staff: Staff, Path(id): Path<String>, Query(done): Query<Done>) -> Response {
    match build(&ctx, &staff, &id, &done).await {
        Ok(page) => Page::render(StatusCode::OK, &page).into_response(),
        Err(e) => error::page(e, staff.t),
    }
}

async fn build<'a>(ctx: &Ctx, staff: &Staff, id: &str, done: &Done) -> Result<DetailPage<'a>> {
    let (link, payments) = links::get_link_with_payments(ctx, &staff.actor, id).await?;
    let link_id = link.id.to_string();
    let (t, now) = (texts_of(staff), ctx.clock.now());
    let may_refund = access::may(&staff.actor, Action::RequestRefund);
    let here = format!("/dashboard/links/{link_id}");
    Ok(DetailPage {
        shell: Shell::new(staff, link.title.clone(), &here).with_notice(done.notice(t)),
        t,
        payments: payments
            .iter()
            .map(|p| payment_row(p, t, staff.session.user.language, &staff.session.zone, may_refund))
            .collect(),
        refunds: history::refunds_of(ctx, staff, &link_id).await?,
        events: history::events_of(ctx, staff, &link_id).await?,
        messages: history::messages_of(ctx, staff, &link_id).await?,
        can_manage: manageable(staff, &link, now),
        can_create: access::may(&staff.actor, Action::CreateLink),
        send_phone: link.customer.phone.clone().unwrap_or_default(),
        send_email: link.customer.email.clone().unwrap_or_default(),
        back: "detail",
        link: facts(ctx, staff, link).await?,
        id: link_id,
    })
}

async fn facts(ctx: &Ctx, staff: &Staff, link: Link) -> Result<Facts> {
    let (lang, t) = (staff.session.user.language, texts_of(staff));
    let names = labels::labels(ctx, &staff.actor, vec![link.created_by.clone()]).await?;
    let branch =
        link.branch_id.as_ref().and_then(|b| names.branch(b.as_str())).map(|b| format!("{} ({})", b.name, b.code));
    let creator = names.creators.get(&link.created_by).map(|c| c.name.clone());
    let c = &link.customer;
    let customer = [c.full_name(), c.phone.clone(), c.email.clone()].into_iter().flatten().collect();
    Ok(Facts {
        status: status::link(link.status_at(ctx.clock.now()), lang),
        amount: format_amount(link.amount, lang),
        amount_plain: link.amount.to_canonical(),
        url: pay_url(ctx, &link),
        description: link.description,
        customer,
        branch,
        creator,
        created: staff.when(link.created_at),
        expires: link.expires_at.map_or_else(|| t.never.to_owned(), |at| staff.when(at)),
        reference: link.reference_id,
        title: link.title,
    })
}

fn method_name(p: &Payment, t: &'static LinkTexts) -> &'static str {
    match (p.method, &p.offline) {
        (_, Some(o)) if o.method == crate::domain::payment::OfflineMethod::CardTerminal => t.card_terminal,
        (MethodKind::Cash, _) => t.cash,
        (MethodKind::Card, _) => t.card,
        (MethodKind::MobileMoney, _) => t.mobile_money,
        (MethodKind::Installments, _) => t.installments,
    }
}

fn payment_row(
    p: &Payment,
    t: &'static LinkTexts,
    lang: Language,
    zone: &crate::domain::zone::Zone,
    may_refund: bool,
) -> PaymentRow {
    let left = p.amount.minor() > p.refund_reserved_minor;
    PaymentRow {
        id: p.id.to_string(),
        method: method_name(p, t),
        card: p.card.as_ref().map(|c| format!("{} •••• {}", c.brand.to_uppercase(), c.last4)),
        status: status::payment(p.status, lang),
        amount: format_amount(p.amount, lang),
        date: crate::domain::format::format_datetime_in(p.completed_at.unwrap_or(p.created_at), lang, zone),
        refundable: may_refund && p.status == PaymentStatus::Succeeded && left,
    }
}
