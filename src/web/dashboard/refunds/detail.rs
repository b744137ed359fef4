//! `GET /dashboard/refunds/{id}`: a refund with its payment and link, why it was asked for, who
//! asked and who decided, and — only for a user who may decide it now and did not ask for it —
//! the approve and reject buttons with a note.

use super::texts::RefundTexts;
use super::{Row, name_of, names, row};
use crate::domain::format::format_amount;
use crate::domain::refund::{Refund, RefundStatus};
use crate::service::refunds::{POLICY, get_refund, queue};
use crate::service::{Ctx, Result, links, payments};
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

#[derive(Template)]
#[template(path = "dashboard/refunds/detail.html")]
struct DetailPage<'a> {
    shell: Shell,
    rt: &'a RefundTexts,
    r: Row,
    link_id: String,
    payment_id: String,
    paid: String,
    payment_status: Pill,
    reason: Option<String>,
    decided_by: Option<String>,
    note: Option<String>,
    failure: Option<String>,
    can_decide: bool,
    own: bool,
}

/// `GET /dashboard/refunds/{id}`.
pub async fn show(
    State(ctx): State<Ctx>,
    staff: Staff,
    Path(id): Path<String>,
    done: std::result::Result<Query<Done>, QueryRejection>,
) -> Response {
    let done = done.map(|Query(d)| d.done).unwrap_or_default();
    match render(&ctx, &staff, &id, &done).await {
        Ok(r) => r,
        Err(e) => error::page(e, staff.t),
    }
}

async fn render(ctx: &Ctx, staff: &Staff, id: &str, done: &str) -> Result<Response> {
    let lang = staff.session.user.language;
    let rt = RefundTexts::of(lang);
    let r = get_refund(ctx, &staff.actor, id).await?;
    let payment = payments::get_payment(ctx, &staff.actor, r.payment_id.as_str()).await?;
    let link = links::get_link(ctx, &staff.actor, r.link_id.as_str()).await?;
    let labels = names(ctx, staff, std::slice::from_ref(&r)).await?;
    let decided_by =
        r.decided_by.as_deref().map(|p| if p == POLICY { rt.by_policy.into() } else { name_of(&labels, p) });
    let here = format!("/dashboard/refunds/{}", r.id);
    let tpl = DetailPage {
        shell: Shell::new(staff, rt.detail_title, &here).with_notice(notice(rt, done)),
        rt,
        link_id: r.link_id.to_string(),
        payment_id: r.payment_id.to_string(),
        paid: format_amount(payment.amount, lang),
        payment_status: status::payment(payment.status, lang),
        reason: r.reason.clone(),
        decided_by,
        note: r.decision_note.clone(),
        failure: failure(&r),
        can_decide: queue::may_decide(ctx, &staff.actor, &r).await?,
        own: r.requested_by == staff.actor.principal() && r.status == RefundStatus::PendingApproval,
        r: row(&r, link.title, &labels, lang, &staff.session.zone),
    };
    Ok(Page::render(StatusCode::OK, &tpl).into_response())
}

fn failure(r: &Refund) -> Option<String> {
    r.failure_message.clone().or_else(|| r.failure_code.clone())
}

/// The notice after a request or a decision.
fn notice(rt: &RefundTexts, done: &str) -> Option<String> {
    let text = match done {
        "requested" => rt.requested,
        "auto_sending" => rt.auto_sending,
        "auto_done" => rt.auto_done,
        "approved" => rt.approved_notice,
        "rejected" => rt.rejected_notice,
        "failed" => rt.failed_notice,
        _ => return None,
    };
    Some(text.to_owned())
}
