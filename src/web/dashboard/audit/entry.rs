//! `GET /dashboard/audit/{id}`: one entry of the merchant's audit log (`get_entry`), its before
//! and after side by side (stacked on a phone), pretty-printed. Out of scope is 404.

use super::texts::AuditTexts;
use super::{Row, row};
use crate::service::audit::log::get_entry;
use crate::service::links::labels::labels;
use crate::service::{Ctx, Result};
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::error;
use crate::web::dashboard::shell::Shell;
use crate::web::page::Page;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Template)]
#[template(path = "dashboard/audit/entry.html")]
struct EntryPage {
    shell: Shell,
    at: &'static AuditTexts,
    r: Row,
    key_id: Option<String>,
    store_id: Option<String>,
    environment: Option<String>,
    before: Option<String>,
    after: Option<String>,
}

/// `GET /dashboard/audit/{id}`.
pub async fn show(State(ctx): State<Ctx>, staff: Staff, Path(id): Path<String>) -> Response {
    match render(&ctx, &staff, &id).await {
        Ok(r) => r,
        Err(e) => error::page(e, staff.t),
    }
}

async fn render(ctx: &Ctx, staff: &Staff, id: &str) -> Result<Response> {
    let stored = get_entry(ctx, &staff.actor, id).await?;
    let names = labels(ctx, &staff.actor, vec![stored.entry.actor.id.clone()]).await?;
    let at = AuditTexts::of(staff.session.user.language);
    let e = &stored.entry;
    let page = EntryPage {
        shell: Shell::new(staff, at.entry_title, &format!("/dashboard/audit/{}", e.id.as_str())),
        at,
        key_id: e.actor.key_id.clone(),
        store_id: e.store_id.as_ref().map(ToString::to_string),
        environment: e.environment.map(|env| env.as_str().to_owned()),
        before: e.before.as_deref().map(pretty),
        after: e.after.as_deref().map(pretty),
        r: row(&stored, &names, staff.t, staff.session.user.language, &staff.session.zone),
    };
    Ok(Page::render(StatusCode::OK, &page).into_response())
}

/// A snapshot indented for reading (as stored when it is not JSON).
fn pretty(json: &str) -> String {
    serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| json.to_owned())
}
