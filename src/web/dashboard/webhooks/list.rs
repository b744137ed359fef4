//! `GET /dashboard/developers/webhooks`: the endpoints of the store in the session's environment,
//! oldest first as the service lists them, each with its actions.

use super::{HookTexts, endpoint_pill, events_label, texts_of};
use crate::domain::webhook::EndpointStatus;
use crate::service::webhooks;
use crate::service::{Ctx, Result};
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::developers::tabs::{DevTab, Tabs};
use crate::web::dashboard::error;
use crate::web::dashboard::shell::Shell;
use crate::web::dashboard::status::Pill;
use crate::web::page::Page;
use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// What an action came back with (`?done=enabled`).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct Done {
    done: String,
}

/// An endpoint as a card of the list.
struct Card {
    id: String,
    url: String,
    description: Option<String>,
    events: String,
    status: Pill,
    enabled: bool,
    created_at: String,
}

#[derive(Template)]
#[template(path = "dashboard/webhooks/list.html")]
struct ListPage<'a> {
    shell: Shell,
    tabs: Tabs,
    ht: &'a HookTexts,
    endpoints: Vec<Card>,
}

/// `GET /dashboard/developers/webhooks`.
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
    let ht = texts_of(staff);
    let lang = staff.session.user.language;
    let found = webhooks::list_endpoints(ctx, &staff.actor).await?;
    let notice = match done {
        "enabled" => Some(ht.enabled_notice),
        "disabled" => Some(ht.disabled_notice),
        "deleted" => Some(ht.deleted_notice),
        _ => None,
    };
    let endpoints = found
        .into_iter()
        .map(|w| Card {
            status: endpoint_pill(ht, &w),
            enabled: w.status == EndpointStatus::Enabled,
            events: events_label(ht, &w.subscription),
            created_at: staff.when(w.created_at),
            id: w.id.as_str().to_owned(),
            url: w.url,
            description: w.description,
        })
        .collect();
    let page = ListPage {
        shell: Shell::new(staff, ht.title, super::BASE).with_notice(notice.map(str::to_owned)),
        tabs: Tabs::new(lang, DevTab::Webhooks),
        ht,
        endpoints,
    };
    Ok(Page::render(StatusCode::OK, &page).into_response())
}
