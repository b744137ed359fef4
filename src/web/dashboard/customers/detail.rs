//! `GET /dashboard/customers/{id}`: a customer's details with their latest links and payments
//! (those the user sees as links), "New link for this customer", edit, and a refund request for
//! each succeeded payment — each offered only to roles that may do it.

use super::texts::CustomerTexts;
use crate::domain::access::{self, Action};
use crate::domain::format::format_amount;
use crate::domain::link::{Language, Link};
use crate::domain::payment::{Payment, PaymentStatus};
use crate::domain::{Timestamp, customer::Customer};
use crate::service::Ctx;
use crate::service::customers::get_customer;
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::error;
use crate::web::dashboard::shell::Shell;
use crate::web::dashboard::status::{self, Pill};
use crate::web::page::Page;
use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// What the page was sent back with.
#[derive(serde::Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: String,
}

/// A link or payment row.
struct Row {
    id: String,
    title: String,
    amount: String,
    status: Pill,
    date: String,
    refundable: bool,
}

#[derive(Template)]
#[template(path = "dashboard/customers/detail.html")]
struct DetailPage<'a> {
    shell: Shell,
    ct: &'a CustomerTexts,
    c: &'a Customer,
    added: String,
    links: Vec<Row>,
    payments: Vec<Row>,
    may_write: bool,
    may_link: bool,
    may_refund: bool,
}

/// `GET /dashboard/customers/{id}`.
pub async fn show(
    State(ctx): State<Ctx>,
    staff: Staff,
    Path(id): Path<String>,
    done: Result<Query<Done>, QueryRejection>,
) -> Response {
    let view = match get_customer(&ctx, &staff.actor, &id).await {
        Ok(v) => v,
        Err(e) => return error::page(e, staff.t),
    };
    let lang = staff.session.user.language;
    let ct = CustomerTexts::of(lang);
    let notice = match done.map(|Query(d)| d.done).unwrap_or_default().as_str() {
        "created" => Some(ct.created.to_owned()),
        "saved" => Some(ct.saved.to_owned()),
        _ => None,
    };
    let here = format!("/dashboard/customers/{}", view.customer.id);
    let may = |a: Action| access::may(&staff.actor, a);
    let now = ctx.clock.now();
    let tpl = DetailPage {
        shell: Shell::new(&staff, view.customer.details.name.clone(), &here).with_notice(notice),
        ct,
        c: &view.customer,
        added: staff.when(view.customer.created_at),
        links: view.links.iter().map(|l| link_row(l, now, lang, &staff.session.zone)).collect(),
        payments: view.payments.iter().map(|p| payment_row(p, &view.links, lang, &staff.session.zone)).collect(),
        may_write: may(Action::WriteCustomers),
        may_link: may(Action::CreateLink),
        may_refund: may(Action::RequestRefund),
    };
    Page::render(StatusCode::OK, &tpl).into_response()
}

fn link_row(l: &Link, now: Timestamp, lang: Language, zone: &crate::domain::zone::Zone) -> Row {
    Row {
        id: l.id.to_string(),
        title: l.title.clone(),
        amount: format_amount(l.amount, lang),
        status: status::link(l.status_at(now), lang),
        date: crate::domain::format::format_datetime_in(l.created_at, lang, zone),
        refundable: false,
    }
}

/// A payment row, titled with its link's title when that link is among those shown.
fn payment_row(p: &Payment, links: &[Link], lang: Language, zone: &crate::domain::zone::Zone) -> Row {
    let title = links.iter().find(|l| l.id == p.link_id).map_or_else(|| p.link_id.to_string(), |l| l.title.clone());
    Row {
        id: p.id.to_string(),
        title,
        amount: format_amount(p.amount, lang),
        status: status::payment(p.status, lang),
        date: crate::domain::format::format_datetime_in(p.created_at, lang, zone),
        refundable: p.status == PaymentStatus::Succeeded && p.amount.minor() > p.refund_reserved_minor,
    }
}
