//! `/dashboard`: the user's day at a glance, in their scope — for now a greeting and their latest
//! links (the figures of the day come with the home page's own service).

use super::auth::Staff;
use super::error;
use super::shell::Shell;
use super::texts::Texts;
use crate::domain::format::format_amount;
use crate::service::links::list::ListInput;
use crate::service::{Ctx, links};
use crate::web::page::Page;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// A link row of the home page.
pub struct LinkRow {
    pub id: String,
    pub title: String,
    pub amount: String,
    pub status: super::status::Pill,
}

#[derive(Template)]
#[template(path = "dashboard/home.html")]
struct HomePage<'a> {
    shell: Shell,
    t: &'a Texts,
    name: &'a str,
    links: Vec<LinkRow>,
}

/// `GET /dashboard`.
pub async fn show(State(ctx): State<Ctx>, staff: Staff) -> Response {
    let input = ListInput { limit: Some(5), ..ListInput::default() };
    let page = match links::list::list_links(&ctx, &staff.actor, input).await {
        Ok(p) => p,
        Err(e) => return error::page(e, staff.t),
    };
    let lang = staff.session.user.language;
    let now = ctx.clock.now();
    let rows = page
        .items
        .iter()
        .map(|l| LinkRow {
            id: l.id.to_string(),
            title: l.title.clone(),
            amount: format_amount(l.amount, lang),
            status: super::status::link(l.status_at(now), lang),
        })
        .collect();
    let t = staff.t;
    let home = HomePage {
        shell: Shell::new(&staff, t.home_title, "/dashboard"),
        t,
        name: &staff.session.user.name,
        links: rows,
    };
    Page::render(StatusCode::OK, &home).into_response()
}
