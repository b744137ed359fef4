//! `GET /dashboard/audit`: the entries of the user's merchant through
//! `service::audit::log::list_entries` (the API's filters in a GET form that keeps its values),
//! newest first, in keyset pages (`starting_after` the last id shown).

use super::texts::AuditTexts;
use super::{Filters, Row, row};
use crate::service::audit::log::list_entries;
use crate::service::links::labels::labels;
use crate::service::{Ctx, Result, ServiceError};
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::error;
use crate::web::dashboard::shell::Shell;
use crate::web::page::Page;
use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Template)]
#[template(path = "dashboard/audit/list.html")]
struct ListPage {
    shell: Shell,
    at: &'static AuditTexts,
    f: Filters,
    rows: Vec<Row>,
    error: Option<String>,
    export: String,
    first: Option<String>,
    previous: Option<String>,
    next: Option<String>,
}

/// `GET /dashboard/audit`.
pub async fn show(
    State(ctx): State<Ctx>,
    staff: Staff,
    q: std::result::Result<Query<Filters>, QueryRejection>,
) -> Response {
    let f = q.map(|Query(f)| f).unwrap_or_default();
    render(&ctx, &staff, f, None).await
}

/// The list for `f`, with `notice` at the top (the chain check's result).
pub async fn render(ctx: &Ctx, staff: &Staff, f: Filters, notice: Option<String>) -> Response {
    let (code, rows, next, error) = match load(ctx, staff, &f).await {
        Ok((rows, next)) => (StatusCode::OK, rows, next, None),
        Err(ServiceError::Invalid(errors)) => {
            let text = errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; ");
            (StatusCode::BAD_REQUEST, vec![], None, Some(text))
        }
        Err(e) => return error::page(e, staff.t),
    };
    let at = AuditTexts::of(staff.session.user.language);
    let page = ListPage {
        // The language and environment switches come back to the same filters and page.
        shell: Shell::new(staff, at.title, &here(&f)).with_notice(notice),
        at,
        rows,
        error,
        export: Filters { limit: String::new(), ..f.clone() }.href("/dashboard/audit.csv", None, ""),
        first: f.deep().then(|| f.href("/dashboard/audit", None, "")),
        previous: f.previous_href(),
        next: next.map(|n| f.next_href(&n)),
        f,
    };
    Page::render(code, &page).into_response()
}

/// One page of rows and the cursor of the next page, if any.
async fn load(ctx: &Ctx, staff: &Staff, f: &Filters) -> Result<(Vec<Row>, Option<String>)> {
    let after = Some(f.starting_after.trim().to_owned()).filter(|s| !s.is_empty());
    let page = list_entries(ctx, &staff.actor, f.input(after, Some(f.limit()))).await?;
    let actors = page.items.iter().map(|e| e.entry.actor.id.clone()).collect();
    let names = labels(ctx, &staff.actor, actors).await?;
    let lang = staff.session.user.language;
    let rows: Vec<Row> = page.items.iter().map(|e| row(e, &names, staff.t, lang, &staff.session.zone)).collect();
    let next = rows.last().filter(|_| page.has_more).map(|r| r.id.clone());
    Ok((rows, next))
}

/// This page's own address.
fn here(f: &Filters) -> String {
    let after = Some(f.starting_after.trim()).filter(|a| !a.is_empty());
    f.href("/dashboard/audit", after, &f.back)
}
