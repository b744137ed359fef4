//! `/dashboard/refunds`: the refunds in the user's scope with an approvals queue, a refund's
//! page with the approve and reject buttons for whoever may decide it, and the request form.
//! Every rule is the service's (`service::refunds`): scope, the store's policy, maker–checker.

mod decide;
mod detail;
mod list;
mod new;
mod texts;

use super::status::{self, Pill};
use crate::domain::format::format_amount;
use crate::domain::link::Language;
use crate::domain::refund::Refund;
use crate::service::links::labels::Labels;
use crate::service::{Ctx, Result, links};
use axum::Router;
use axum::routing::{get, post};

/// The refunds pages' routes.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/dashboard/refunds", get(list::show))
        .route("/dashboard/refunds/new", get(new::show).post(new::submit))
        .route("/dashboard/refunds/{id}", get(detail::show))
        .route("/dashboard/refunds/{id}/decide", post(decide::submit))
}

/// A refund as a row of a list.
pub struct Row {
    pub id: String,
    pub link_title: String,
    pub amount: String,
    pub status: Pill,
    pub requester: String,
    pub requested_at: String,
    pub decided_at: Option<String>,
}

/// The names of the people behind `refunds` (requesters and deciders).
async fn names(ctx: &Ctx, staff: &super::auth::Staff, refunds: &[Refund]) -> Result<Labels> {
    let mut who: Vec<String> = refunds.iter().map(|r| r.requested_by.clone()).collect();
    who.extend(refunds.iter().filter_map(|r| r.decided_by.clone()));
    links::labels::labels(ctx, &staff.actor, who).await
}

/// A principal's display name: the user's name, else the id as recorded.
fn name_of(labels: &Labels, principal: &str) -> String {
    labels.creators.get(principal).map_or_else(|| principal.to_owned(), |c| c.name.clone())
}

/// The rows of `refunds`, with their links' titles and the requesters' names.
async fn rows(ctx: &Ctx, staff: &super::auth::Staff, refunds: &[Refund]) -> Result<Vec<Row>> {
    let labels = names(ctx, staff, refunds).await?;
    let lang = staff.session.user.language;
    let mut rows = Vec::with_capacity(refunds.len());
    for r in refunds {
        // A visible refund's link is visible (they share the links' scope); its id stands in
        // should it ever not be.
        let title = links::get_link(ctx, &staff.actor, r.link_id.as_str()).await.map(|l| l.title);
        rows.push(row(r, title.unwrap_or_else(|_| r.link_id.to_string()), &labels, lang, &staff.session.zone));
    }
    Ok(rows)
}

fn row(r: &Refund, link_title: String, labels: &Labels, lang: Language, zone: &crate::domain::zone::Zone) -> Row {
    Row {
        id: r.id.to_string(),
        link_title,
        amount: format_amount(r.amount, lang),
        status: status::refund(r.status, lang),
        requester: name_of(labels, &r.requested_by),
        requested_at: crate::domain::format::format_datetime_in(r.created_at, lang, zone),
        decided_at: r.decided_at.map(|at| crate::domain::format::format_datetime_in(at, lang, zone)),
    }
}
