//! `GET /dashboard/customers`: the customers in the user's reach, newest first, searched by
//! name, phone or e-mail (`q`), in keyset pages (`?after=` the last id shown).

use super::texts::CustomerTexts;
use crate::domain::access::{self, Action};
use crate::domain::customer::Customer;
use crate::domain::link::Language;
use crate::service::customers::{CustomerListInput, list_customers};
use crate::service::{Ctx, ServiceError};
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::error;
use crate::web::dashboard::shell::Shell;
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
    q: String,
    #[serde(default)]
    after: String,
}

/// A customer as a row.
struct Row {
    id: String,
    name: String,
    phone: String,
    email: String,
    added: String,
}

#[derive(Template)]
#[template(path = "dashboard/customers/list.html")]
struct ListPage<'a> {
    shell: Shell,
    ct: &'a CustomerTexts,
    q: String,
    search_error: Option<&'a str>,
    rows: Vec<Row>,
    may_write: bool,
    next: Option<String>,
    paged: bool,
}

/// `GET /dashboard/customers`.
pub async fn show(State(ctx): State<Ctx>, staff: Staff, q: Result<Query<ListQuery>, QueryRejection>) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let lang = staff.session.user.language;
    let ct = CustomerTexts::of(lang);
    let input = CustomerListInput {
        q: Some(q.q.clone()),
        starting_after: Some(q.after.clone()).filter(|a| !a.is_empty()),
        limit: None,
    };
    let (page, search_error) = match list_customers(&ctx, &staff.actor, input).await {
        Ok(page) => (Some(page), None),
        // A search too long is the form's problem, not an error page.
        Err(ServiceError::Invalid(f)) if f.iter().all(|f| f.field == "q") => (None, Some(ct.e_search)),
        Err(e) => return error::page(e, staff.t),
    };
    let (items, has_more) = page.map_or((Vec::new(), false), |p| (p.items, p.has_more));
    let next = items.last().filter(|_| has_more).map(|c| next_href(&q.q, c));
    let tpl = ListPage {
        shell: Shell::new(&staff, ct.title, "/dashboard/customers"),
        ct,
        rows: items.iter().map(|c| row(c, lang, &staff.session.zone)).collect(),
        may_write: access::may(&staff.actor, Action::WriteCustomers),
        search_error,
        next,
        paged: !q.after.is_empty(),
        q: q.q,
    };
    let status = if search_error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    Page::render(status, &tpl).into_response()
}

fn row(c: &Customer, lang: Language, zone: &crate::domain::zone::Zone) -> Row {
    let d = &c.details;
    Row {
        id: c.id.to_string(),
        name: d.name.clone(),
        phone: d.phone.clone().unwrap_or_default(),
        email: d.email.clone().unwrap_or_default(),
        added: crate::domain::format::format_datetime_in(c.created_at, lang, zone),
    }
}

/// The next page's address: the same search after `last`.
fn next_href(q: &str, last: &Customer) -> String {
    let q: String = form_urlencoded::byte_serialize(q.as_bytes()).collect();
    format!("/dashboard/customers?q={q}&after={}", last.id)
}
