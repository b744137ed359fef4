//! `GET /dashboard/developers`: the keys of the store in the session's environment, newest
//! first as the service lists them, with their status and a revoke button for active ones.

use super::tabs::{DevTab, Tabs};
use super::texts::DeveloperTexts;
use super::{Row, row};
use crate::service::admin::api as admin;
use crate::service::{Ctx, Result};
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::error;
use crate::web::dashboard::shell::Shell;
use crate::web::page::Page;
use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// What an action came back with (`?done=revoked`).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct Done {
    done: String,
}

#[derive(Template)]
#[template(path = "dashboard/developers/keys.html")]
struct KeysPage<'a> {
    shell: Shell,
    tabs: Tabs,
    dt: &'a DeveloperTexts,
    keys: Vec<Row>,
}

/// `GET /dashboard/developers`.
pub async fn show(
    State(ctx): State<Ctx>,
    staff: Staff,
    q: std::result::Result<Query<Done>, QueryRejection>,
) -> Response {
    let done = q.map(|Query(d)| d.done).unwrap_or_default();
    match render(&ctx, &staff, &done).await {
        Ok(r) => r,
        Err(e) => error::page(e, staff.t),
    }
}

async fn render(ctx: &Ctx, staff: &Staff, done: &str) -> Result<Response> {
    let dt = DeveloperTexts::of(staff.session.user.language);
    let keys = admin::api_keys(ctx, &staff.actor).await?;
    let users = admin::users(ctx, &staff.actor).await?;
    let now = ctx.clock.now();
    let notice = (done == "revoked").then(|| dt.revoked_notice.to_owned());
    let page = KeysPage {
        shell: Shell::new(staff, dt.title, "/dashboard/developers").with_notice(notice),
        tabs: Tabs::new(staff.session.user.language, DevTab::Keys),
        dt,
        keys: keys.iter().map(|k| row(staff, k, &users, now)).collect(),
    };
    Ok(Page::render(StatusCode::OK, &page).into_response())
}
