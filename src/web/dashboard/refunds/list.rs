//! `GET /dashboard/refunds`: the approvals queue (for users who decide refunds: only those they
//! may decide now) above every refund in the user's scope, newest first, by status, in keyset
//! pages (`?after=` the last id shown).

use super::texts::RefundTexts;
use super::{Row, rows};
use crate::domain::access::{self, Action};
use crate::domain::refund::RefundStatus;
use crate::service::refunds::list::{RefundListInput, list_refunds};
use crate::service::refunds::queue;
use crate::service::{Ctx, Result};
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::error;
use crate::web::dashboard::shell::Shell;
use crate::web::dashboard::status;
use crate::web::page::Page;
use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// The list's query string.
#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    after: String,
}

/// A status the filter offers.
struct StatusOption {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

#[derive(Template)]
#[template(path = "dashboard/refunds/list.html")]
struct ListPage<'a> {
    shell: Shell,
    rt: &'a RefundTexts,
    /// `None` for users who never decide refunds (no queue shown).
    approvals: Option<Vec<Row>>,
    refunds: Vec<Row>,
    statuses: Vec<StatusOption>,
    status: String,
    next: Option<String>,
    paged: bool,
}

/// `GET /dashboard/refunds`.
pub async fn show(
    State(ctx): State<Ctx>,
    staff: Staff,
    q: std::result::Result<Query<ListQuery>, QueryRejection>,
) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    match render(&ctx, &staff, q).await {
        Ok(r) => r,
        Err(e) => error::page(e, staff.t),
    }
}

async fn render(ctx: &Ctx, staff: &Staff, q: ListQuery) -> Result<Response> {
    let lang = staff.session.user.language;
    let rt = RefundTexts::of(lang);
    let input = RefundListInput {
        status: Some(q.status.clone()).filter(|s| !s.is_empty()),
        starting_after: Some(q.after.clone()).filter(|s| !s.is_empty()),
        ..RefundListInput::default()
    };
    let page = list_refunds(ctx, &staff.actor, input).await?;
    let next = page.items.last().filter(|_| page.has_more).map(|r| r.id.to_string());
    let statuses = RefundStatus::ALL
        .into_iter()
        .map(|s| StatusOption {
            value: s.as_str(),
            label: status::refund(s, lang).label,
            selected: s.as_str() == q.status,
        })
        .collect();
    let tpl = ListPage {
        shell: Shell::new(staff, rt.title, "/dashboard/refunds"),
        rt,
        approvals: approvals(ctx, staff).await?,
        refunds: rows(ctx, staff, &page.items).await?,
        statuses,
        status: q.status,
        next,
        paged: !q.after.is_empty(),
    };
    Ok(Page::render(StatusCode::OK, &tpl).into_response())
}

/// The refunds waiting for this user's decision (the 100 newest pending ones they may decide).
async fn approvals(ctx: &Ctx, staff: &Staff) -> Result<Option<Vec<Row>>> {
    if !access::may(&staff.actor, Action::DecideRefund) {
        return Ok(None);
    }
    let input = RefundListInput {
        status: Some(RefundStatus::PendingApproval.as_str().into()),
        limit: Some(100),
        ..RefundListInput::default()
    };
    let pending = list_refunds(ctx, &staff.actor, input).await?.items;
    let mine = queue::decidable(ctx, &staff.actor, pending).await?;
    Ok(Some(rows(ctx, staff, &mine).await?))
}
